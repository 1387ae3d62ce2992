"""Runs every account's jobs (models/accounts/) on a worker thread while Rapport runs:
soon after start, every 15 minutes, and a few seconds after a change settles.

When a server cannot be reached, or refuses the password, the next attempt waits
longer each time (1, 2, 4, 8 minutes, then the usual 15), so that being offline costs
nothing and a server that comes back is used again within minutes. At quit a run that
is still going is asked to stop, keeping what it has done.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal

from background.database_worker import DatabaseWorker
from models.accounts.runs import RunResult, run_jobs
from models.accounts.store import Account
from models.clock import system_now

log = logging.getLogger(__name__)

START_DELAY_MS = 10_000  # after the first paint and the reminders
EVERY_MS = 15 * 60 * 1000
SETTLE_MS = 5_000  # a change "settles" when no other follows for this long
RETRY_MS = (60_000, 120_000, 240_000, 480_000, EVERY_MS)
STOP_WAIT_MS = 10_000


class AccountRuns(QObject):
    status = Signal(str)  # one line for the status bar
    finished = Signal(object)  # list[RunResult] of a run
    progress = Signal(int, int)  # done, total, of a long first run

    def __init__(self, now: Callable[[], datetime] = system_now, parent: QObject | None = None):
        super().__init__(parent)
        self._now = now
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self.run_now)
        self._worker = DatabaseWorker(self, STOP_WAIT_MS)
        # Set on the window's thread, read by the job's: quitting for good, or the
        # owner's Stop, which ends the current run only.
        self._quitting, self._stop_pressed = threading.Event(), threading.Event()
        self._running = False
        self._again = False  # a change came in during a run: run once more after it
        self._failures = 0  # runs in a row that could not reach a server
        self._reporting = False  # the changes reported now are the run's own

    def start(self) -> None:
        self._timer.start(START_DELAY_MS)

    def soon(self, *_change: object) -> None:
        """Something changed: run when changes have settled. While a server is out of
        reach the retry waits keep their length: edits do not hammer it."""
        if self._reporting:  # what a run itself brought in: nothing to sync back
            return
        if self._running:
            self._again = True
        elif not self._quitting.is_set() and not self._failures:
            self._timer.start(SETTLE_MS)

    def run_now(self, only: Account | None = None) -> None:
        if self._quitting.is_set():
            return
        if self._running:
            self._again = True
            return
        self._running, self._again = True, False
        self._timer.stop()
        self._worker.run(lambda: self._run(only), self._done, self._failed)

    def stop(self) -> None:
        """At quit: no new run; a running one stops soon, keeping what it did."""
        self._quitting.set()
        self._timer.stop()

    def stop_current(self) -> None:
        """The owner pressed Stop: this run ends soon; the next comes as usual."""
        if self._running:
            self._stop_pressed.set()

    @property
    def running(self) -> bool:
        return self._running

    def _stopping(self) -> bool:
        return self._quitting.is_set() or self._stop_pressed.is_set()

    def _run(self, only: Account | None) -> list[RunResult]:
        return run_jobs(
            None,
            self._now,
            progress=lambda done, total: self._worker.report(self._progress, (done, total)),
            stopping=self._stopping,
            only=only,
        )

    def _progress(self, done_total: tuple[int, int]) -> None:
        self.progress.emit(*done_total)

    def _done(self, results: list[RunResult]) -> None:
        errors = [result for result in results if result.error]
        self._failures = self._failures + 1 if errors else 0
        self._finish(_status_line(results, errors, self._retry_ms()))
        self._reporting = True  # the window shows what the run changed: no second run for it
        try:
            self.finished.emit(results)
        finally:
            self._reporting = False

    def _failed(self, message: str) -> None:  # a bug, or the database closing
        self._failures += 1
        self._finish(f"Sync stopped: {message}")

    def _finish(self, status: str) -> None:
        self._running = False
        self._stop_pressed.clear()
        if status:
            self.status.emit(status)
        if self._quitting.is_set():
            return
        if self._again and not self._failures:
            self._timer.start(SETTLE_MS)
        else:
            self._timer.start(self._retry_ms() if self._failures else EVERY_MS)

    def _retry_ms(self) -> int:
        return RETRY_MS[min(self._failures, len(RETRY_MS)) - 1] if self._failures else EVERY_MS


def _status_line(results: list[RunResult], errors: list[RunResult], retry_ms: int) -> str:
    if errors:
        return f"{errors[0].line} Trying again in {retry_ms // 60_000} min."
    return "; ".join(result.line for result in results)
