"""APScheduler's QtScheduler, fixed for PySide6 and configured for Rapport.

Under PySide6 `QTimer.singleShot` returns None, so the stock QtScheduler can
never cancel a pending wake-up: each add_job/wakeup while running starts
another chain of wake-ups that never ends. RapportQtScheduler keeps one
single-shot QTimer instead and restarts it for every new wake-up.
"""

from __future__ import annotations

import math

from apscheduler.executors.debug import DebugExecutor
from apscheduler.schedulers.qt import QtScheduler
from PySide6.QtCore import Q_ARG, QCoreApplication, QMetaObject, QObject, Qt, QThread, QTimer

# QTimer takes int milliseconds up to 2**31-1 (~24.8 days). A later wake-up is clamped:
# the timer then fires early, finds nothing due and sets the next wake-up anew.
MAX_WAIT_MS = 2**31 - 1


class RapportQtScheduler(QtScheduler):
    """A QtScheduler with one wake-up timer, which it restarts or stops.

    `start()` creates the timer in the calling thread, which must run a Qt event
    loop (in Rapport: the main thread), as a child of `parent` if given, else of
    the application; `shutdown()` stops and deletes it.
    """

    def __init__(self, gconfig=None, parent: QObject | None = None, **options):
        self._parent = parent
        self._wakeup: QTimer | None = None
        super().__init__(gconfig or {}, **options)

    @property
    def wakeup_timer(self) -> QTimer | None:
        """The wake-up timer while the scheduler runs; None once shut down."""
        return self._wakeup

    def start(self, paused=False):
        if self._wakeup is None:
            timer = QTimer(self._timer_parent())
            timer.setSingleShot(True)
            # A coarse timer may fire up to 5% early, only to find nothing due yet.
            timer.setTimerType(Qt.TimerType.PreciseTimer)
            timer.timeout.connect(self._process_jobs)
            self._wakeup = timer
        super().start(paused)

    def shutdown(self, *args, **kwargs):
        super().shutdown(*args, **kwargs)  # QtScheduler's stops the timer
        if self._wakeup is not None:
            self._invoke("deleteLater")
            self._wakeup = None

    def _timer_parent(self) -> QObject | None:
        if self._parent is not None:
            return self._parent
        app = QCoreApplication.instance()
        # A parent must live in the same thread as its child.
        return app if app is not None and app.thread() is QThread.currentThread() else None

    def _start_timer(self, wait_seconds):
        if wait_seconds is None:
            self._stop_timer()
        else:
            # Round up: waking a millisecond early would only find nothing due yet.
            msec = math.ceil(max(wait_seconds, 0) * 1000)
            self._invoke("start", Q_ARG(int, min(msec, MAX_WAIT_MS)))  # restarts if active

    def _stop_timer(self):
        self._invoke("stop")

    def _invoke(self, slot: str, *args) -> None:
        # Through the meta-object: from another thread (add_job is thread-safe) the call is
        # queued to the timer's thread, as Qt requires. It also avoids calling QTimer's
        # void methods directly, which under PySide6 6.12 on Python 3.11 each drop a
        # reference to None; a wake-up every minute would crash the app within days.
        if self._wakeup is not None:
            QMetaObject.invokeMethod(self._wakeup, slot, Qt.ConnectionType.AutoConnection, *args)


def make_scheduler(parent: QObject | None = None) -> RapportQtScheduler:
    """The scheduler Rapport uses: late jobs still run, and on the Qt main thread."""
    return RapportQtScheduler(
        parent=parent,
        # The default thread pool would run jobs off the UI thread, where they must not
        # touch Qt objects; "debug" runs them right in the timer callback, in the Qt loop.
        executors={"default": DebugExecutor()},
        job_defaults={
            # The default drops a job more than 1 s late (after a suspend or a busy UI
            # thread); None runs it however late it is.
            "misfire_grace_time": None,
            # Several missed runs of one job run once, and never two at a time.
            "coalesce": True,
            "max_instances": 1,
        },
        timezone="UTC",
    )
