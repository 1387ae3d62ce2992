"""APScheduler's QtScheduler, fixed for PySide6 and configured for Rapport.

Under PySide6 `QTimer.singleShot` returns None, so the stock QtScheduler can
never cancel a pending wake-up: each reschedule starts another chain of
wake-ups that never ends. One persistent single-shot QTimer avoids that.
"""

from __future__ import annotations

from apscheduler.executors.debug import DebugExecutor
from apscheduler.schedulers.qt import QtScheduler
from PySide6.QtCore import QTimer

# QTimer takes int milliseconds; a later wake-up is clamped and simply recomputed then.
MAX_WAIT_MS = 2**31 - 1


class RapportQtScheduler(QtScheduler):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._wakeup_timer = QTimer()
        self._wakeup_timer.setSingleShot(True)
        self._wakeup_timer.timeout.connect(self._process_jobs)

    def _start_timer(self, wait_seconds):
        self._wakeup_timer.stop()
        if wait_seconds is not None:
            self._wakeup_timer.start(min(int(wait_seconds * 1000), MAX_WAIT_MS))

    def _stop_timer(self):
        self._wakeup_timer.stop()


def make_scheduler() -> RapportQtScheduler:
    """A scheduler that never drops a late job and runs jobs on the Qt main thread.

    The defaults would drop a job more than 1 s late (after a suspend, or a busy
    UI thread) and run it on a worker thread, where it must not touch Qt objects.
    """
    return RapportQtScheduler(
        executors={"default": DebugExecutor()},
        job_defaults={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
        timezone="UTC",
    )
