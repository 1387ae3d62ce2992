"""APScheduler's QtScheduler, fixed for PySide6 and configured for Rapport.

Under PySide6 `QTimer.singleShot` returns None, so the stock QtScheduler can
never cancel a pending wake-up: each add_job/wakeup while running starts
another chain of wake-ups that never ends. RapportQtScheduler keeps one
single-shot QTimer instead and restarts it for every new wake-up.

APScheduler times its jobs on the wall clock: when that clock goes back (an NTP
correction, a manual change), an interval job's next run stays at the old wall-clock
time, and for a 2-hour step back nothing runs for 2 hours. A ClockWatch, on a Qt
timer (which runs on the monotonic clock), notices such a jump within seconds and
the scheduler sets every interval job anew from the present.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from apscheduler.executors.debug import DebugExecutor
from apscheduler.schedulers.qt import QtScheduler
from apscheduler.triggers.interval import IntervalTrigger
from PySide6.QtCore import (
    Q_ARG,
    QCoreApplication,
    QMetaObject,
    QObject,
    Qt,
    QThread,
    QTimer,
    Signal,
)

from models.clock import system_now

log = logging.getLogger(__name__)

# QTimer takes int milliseconds up to 2**31-1 (~24.8 days). A later wake-up is clamped:
# the timer then fires early, finds nothing due and sets the next wake-up anew.
MAX_WAIT_MS = 2**31 - 1
CLOCK_CHECK_MS = 15_000
# A wall-clock step larger than this against the monotonic clock is a jump (NTP slews
# smaller errors gradually; suspend and resume shows as a jump ahead).
CLOCK_JUMP = timedelta(seconds=90)


class ClockWatch(QObject):
    """Compares the wall clock with the monotonic clock every few seconds."""

    jumped = Signal(object)  # the jump, a timedelta: negative when the clock went back

    def __init__(
        self,
        wall: Callable[[], datetime] = system_now,
        monotonic: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self._wall, self._monotonic = wall, monotonic
        self._last: tuple[float, datetime] | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(CLOCK_CHECK_MS)
        self._timer.timeout.connect(self.check)

    def start(self) -> None:
        self._last = (self._monotonic(), self._wall())
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def check(self) -> None:
        now = (self._monotonic(), self._wall())
        if self._last is not None:
            jump = (now[1] - self._last[1]) - timedelta(seconds=now[0] - self._last[0])
            if abs(jump) > CLOCK_JUMP:
                log.info("The wall clock jumped by %s", jump)
                self.jumped.emit(jump)
        self._last = now


class RapportQtScheduler(QtScheduler):
    """A QtScheduler with one wake-up timer, which it restarts or stops.

    `start()` creates the timer in the calling thread, which must run a Qt event
    loop (in Rapport: the main thread), as a child of `parent` if given, else of
    the application; `shutdown()` stops and deletes it.
    """

    def __init__(
        self,
        gconfig=None,
        parent: QObject | None = None,
        wall_clock: Callable[[], datetime] = system_now,
        **options,
    ):
        self._parent = parent
        self._wall_clock = wall_clock
        self._wakeup: QTimer | None = None
        self.clock_watch: ClockWatch | None = None  # while running
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
            self.clock_watch = ClockWatch(self._wall_clock, parent=timer.parent())
            self.clock_watch.jumped.connect(self.realign)
        super().start(paused)
        self.clock_watch.start()

    def shutdown(self, *args, **kwargs):
        super().shutdown(*args, **kwargs)  # QtScheduler's stops the timer
        if self._wakeup is not None:
            self._invoke("deleteLater")
            self._wakeup = None
        if self.clock_watch is not None:
            self.clock_watch.stop()
            self.clock_watch.deleteLater()
            self.clock_watch = None

    def realign(self, _jump: timedelta | None = None) -> None:
        """After a jump of the wall clock: every interval job next runs one interval from
        now. A date job keeps its wall-clock time (a reminder due at 09:00 is due at 09:00
        on the corrected clock); the wake-up is measured anew for it."""
        for job in self.get_jobs():
            if isinstance(job.trigger, IntervalTrigger):
                trigger = IntervalTrigger(
                    seconds=job.trigger.interval.total_seconds(),
                    timezone=job.trigger.timezone,
                    jitter=job.trigger.jitter,
                )
                self.reschedule_job(job.id, trigger=trigger)
        self.wakeup()

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


def make_scheduler(
    parent: QObject | None = None,
    wall_clock: Callable[[], datetime] = system_now,
) -> RapportQtScheduler:
    """The scheduler Rapport uses: late jobs still run, and on the Qt main thread.

    `wall_clock` is the clock the ClockWatch compares with the monotonic one."""
    return RapportQtScheduler(
        parent=parent,
        wall_clock=wall_clock,
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
