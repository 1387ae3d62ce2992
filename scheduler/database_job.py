"""Database work on a worker thread, its result reported on the Qt main thread.

Searching 100,000 clients or looking for due reminders takes longer than a frame, so it
runs on a pool thread. peewee gives that thread its own SQLite connection, closed as soon
as the work is done, before anyone may close the database.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, Signal, Slot

from models.database import db

log = logging.getLogger(__name__)


class JobReports(QObject):
    """Where an owner's jobs report: one object that lives as long as its owner, in the
    owner's thread, so that a report always finds its way (a job's own objects are gone
    once the pool has run it)."""

    done = Signal(object, object)  # callback, result
    failed = Signal(object, str)  # callback, what went wrong

    def __init__(self, owner: QObject):
        super().__init__(owner)
        # Emitted on the worker thread, delivered here: Qt queues them.
        self.done.connect(self._deliver)
        self.failed.connect(self._deliver)

    @Slot(object, object)
    def _deliver(self, callback: Callable[[object], None], value: object) -> None:
        callback(value)


class DatabaseJob(QRunnable):
    """Runs `work()` on the pool's thread; `on_done(result)` or `on_failed(message)` is
    then called in the thread of `reports` (the main thread)."""

    def __init__(
        self,
        work: Callable[[], object],
        on_done: Callable[[object], None],
        on_failed: Callable[[str], None],
        reports: JobReports,
    ):
        super().__init__()
        self._work, self._on_done, self._on_failed = work, on_done, on_failed
        self._reports = reports

    def run(self) -> None:
        try:
            result = self._work()
        except Exception as error:  # the database may be closing or broken: report it
            log.exception("Database work on a worker thread failed")
            failure = str(error) or type(error).__name__
        else:
            failure = None
        finally:
            if db.obj is not None:  # (None once the database was closed for good)
                db.close()  # this thread's own connection
        if failure is None:
            self._reports.done.emit(self._on_done, result)
        else:
            self._reports.failed.emit(self._on_failed, failure)
