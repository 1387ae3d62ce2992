"""Database work on a worker thread, its result reported on the Qt main thread.

Searching 100,000 clients or looking for due reminders takes longer than a frame, so it
runs on a pool thread. peewee gives that thread its own SQLite connection, closed as soon
as the work is done, before anyone may close the database.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable
from functools import partial

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QObject,
    QRunnable,
    QThreadPool,
    Signal,
    Slot,
)

from models.store.database import db

log = logging.getLogger(__name__)

# Every worker made, for the window to wait for at quit: a worker registers itself when it
# is made, so none can be forgotten (and none is kept alive by being listed).
_WORKERS: weakref.WeakSet[DatabaseWorker] = weakref.WeakSet()


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


class DatabaseWorker(QObject):
    """One thread of its owner's that runs database work one job after another, in the
    order asked, and reports each result on the owner's thread."""

    def __init__(self, owner: QObject, stop_wait_ms: int = -1, reports_at_quit: bool = False):
        super().__init__(owner)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._reports = JobReports(self)
        self.stop_wait_ms = stop_wait_ms  # how long quitting waits for it; -1: as long as it takes
        # Its reports start more work (the cards written, then marked as sent): quitting
        # delivers them, and waits for what they start (finish_all_workers).
        self.reports_at_quit = reports_at_quit
        self._delivered = 0  # jobs that reported, ever
        _WORKERS.add(self)

    def run(
        self,
        work: Callable[[], object],
        on_done: Callable[[object], None],
        on_failed: Callable[[str], None],
    ) -> None:
        """`work()` on the worker's thread, then `on_done(result)` or `on_failed(message)`
        on the owner's."""
        done, failed = partial(self._reported, on_done), partial(self._reported, on_failed)
        self._pool.start(DatabaseJob(work, done, failed, self._reports))

    def _reported(self, callback: Callable[[object], None], value: object) -> None:
        self._delivered += 1
        callback(value)

    def report(self, callback: Callable[[object], None], value: object) -> None:
        """From the worker's thread, while work runs: `callback(value)` on the owner's."""
        self._reports.done.emit(callback, value)

    def wait(self, ms: int = -1) -> bool:
        """Until the work asked for is done (at most `ms`); False if it is not done yet."""
        return self._pool.waitForDone(ms)

    def finish(self) -> int:
        """Wait for the work asked for, then report it now, on the owner's thread (where
        this is called), rather than at the next turn of its event loop; how many jobs
        reported."""
        delivered = self._delivered
        self.wait()
        QCoreApplication.sendPostedEvents(self._reports, QEvent.Type.MetaCall)
        return self._delivered - delivered


def finish_all_workers() -> None:
    """Wait for every worker still alive to finish what it reads or writes: at quit,
    before the database closes. The reports of those whose reports start more work are
    delivered, and what they started is waited for in turn."""
    while True:
        # (A worker's owner may be gone, and the worker with it.)
        alive = [worker for worker in list(_WORKERS) if shiboken6.isValid(worker)]
        for worker in alive:
            worker.wait(worker.stop_wait_ms)
        # Their reports now: none (nothing more started), and all is done.
        if not sum(worker.finish() for worker in alive if worker.reports_at_quit):
            return
