"""Backs the database up at most once a day while Rapport runs, and when it quits.

The copy runs on a worker thread (a large database takes seconds); at quit it runs in
the foreground, as the last thing Rapport does.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from background.database_worker import DatabaseWorker
from models.clock import system_now
from models.store.backups import Backup, BackupError, backup_due, make_backup, thin_backups

log = logging.getLogger(__name__)

CHECK_EVERY_MS = 60 * 60 * 1000  # an hour: "at most daily" without a timer of 24 h
STOP_WAIT_MS = 60_000


class BackupService(QObject):
    backed_up = Signal(object)  # a Backup
    failed = Signal(str)  # what went wrong and what to do

    def __init__(
        self,
        database: Path,
        folder: Path,
        now: Callable[[], datetime] = system_now,
        parent: QObject | None = None,
        every_backup: Path | None = None,
    ):
        super().__init__(parent)
        self.database, self.folder, self._now = database, folder, now
        # The folder of every database's backups (`folder` or one holding it), where no
        # export may go.
        self.every_backup = every_backup or folder
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_EVERY_MS)
        self._timer.timeout.connect(self.back_up_if_due)
        self._worker = DatabaseWorker(self, STOP_WAIT_MS)

    def start(self) -> None:
        self._timer.start()
        self.back_up_if_due()

    def back_up_if_due(self) -> None:
        if backup_due(self.folder, self._now()):
            now = self._now()
            self._worker.run(lambda: self._back_up(now), self.backed_up.emit, self.failed.emit)

    def back_up_now(self) -> Backup | None:
        """A backup in the foreground, after any running one; None if it failed."""
        self._worker.wait(STOP_WAIT_MS)
        try:
            return self._back_up(self._now())
        except BackupError as error:
            log.error("%s", error)
            self.failed.emit(str(error))
            return None

    def stop_and_back_up(self) -> Backup | None:
        """The backup at quit, the last thing Rapport does."""
        self._timer.stop()
        return self.back_up_now()

    def _back_up(self, now: datetime) -> Backup:
        backup = make_backup(self.database, self.folder, now)
        removed = thin_backups(self.folder, now, backup)
        log.info("Backed up to %s; %d older backups thinned out", backup.path, len(removed))
        return backup
