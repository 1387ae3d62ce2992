"""Keeps a calendar file of the yearly dates up to date, for a calendar app that
subscribes to it: rewritten (whole, replacing the old one) a moment after each change.

The file is the setting "calendar_file"; empty means off. It is never the database or a
file beside it, nor one among the backups (an archive or a hand edit could name one).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, QTimer, Signal

from background.database_worker import DatabaseWorker
from models.clock import system_now
from models.exchange.export_target import export_target_problem
from models.store.changes import SETTINGS, Change
from models.store.database import open_database_path
from models.store.settings import get_setting

SETTLE_MS = 2000  # a burst of edits (an import, a dialog's saves) makes one rewrite
# What the file shows: names, family members' birthdays, dates; and where it goes.
SHOWN_KINDS = frozenset({"clients", "family", "dates", SETTINGS})


class CalendarFile(QObject):
    written = Signal(int)  # how many dates
    failed = Signal(str)  # what went wrong and what to do

    def __init__(
        self,
        zone: ZoneInfo,
        now: Callable[[], datetime] = system_now,
        parent: QObject | None = None,
        backups: Path | None = None,
    ):
        super().__init__(parent)
        self._zone, self._now = zone, now
        self._backups = backups
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SETTLE_MS)
        self._timer.timeout.connect(self.rewrite)
        self._worker = DatabaseWorker(self)

    def data_changed(self, change: Change) -> None:
        """Rewrite the file once the changes settle, if they change what it shows."""
        if change.touches(SHOWN_KINDS) and get_setting("calendar_file"):
            self._timer.start()

    def rewrite(self) -> None:
        target = get_setting("calendar_file")
        if not target:
            return
        problem = export_target_problem(Path(target), open_database_path(), self._backups)
        if problem:
            self.failed.emit(f"{problem} (Settings, Keep a calendar file)")
            return
        from models.exchange.calendar_export import write_calendar  # icalendar: 35 ms, only if used

        now = self._now()
        self._worker.run(
            lambda: write_calendar(Path(target), now.astimezone(self._zone).date(), now),
            self.written.emit,
            lambda message: self.failed.emit(
                f"The calendar file {target} could not be written: {message}. Check the "
                "folder exists and is writable, or choose another file in Settings."
            ),
        )

    def stop(self) -> None:
        """At quit: write what is still waiting for changes to settle, and wait for it."""
        if self._timer.isActive():
            self._timer.stop()
            self.rewrite()
        self._worker.wait()
