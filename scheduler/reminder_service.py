"""Turns the reminders in the database into timed wake-ups and 'notify this' signals.

The database is the truth: no APScheduler job store. One job wakes Rapport at
the next moment something falls due, one every 15 minutes catches anything
the first missed, and a heartbeat notices when the wall clock jumped (suspend
and resume, or the user changed the time) and looks again at once.
"""

from __future__ import annotations

import logging
import time as monotonic_time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, QTimer, Signal

from models.reminder_store import Delivery, reconcile
from models.settings import reminder_time
from scheduler.qt_scheduler import make_scheduler

log = logging.getLogger(__name__)

RECONCILE_EVERY = timedelta(minutes=15)
HEARTBEAT_EVERY = timedelta(minutes=1)
# A wall-clock step larger than this between heartbeats means the machine slept.
CLOCK_JUMP = timedelta(seconds=90)
NEXT_REMINDER_JOB = "next-reminder"


class ReminderService(QObject):
    due = Signal(list)  # reminders that fell due just now: notify each
    missed = Signal(list, bool)  # reminders due while Rapport was closed; first run?
    reconciled = Signal()  # the Today view and the tray count should show anew

    def __init__(
        self,
        zone: ZoneInfo,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self.zone = zone
        self._now = now
        self._scheduler = make_scheduler()
        self._last_beat: tuple[float, datetime] | None = None

    def start(self) -> Delivery:
        """Catch up on what fell due while closed, then keep watching."""
        self._scheduler.start()
        self._scheduler.add_job(self.reconcile, "interval", seconds=_seconds(RECONCILE_EVERY))
        self._scheduler.add_job(self._heartbeat, "interval", seconds=_seconds(HEARTBEAT_EVERY))
        return self.reconcile(starting=True)

    def stop(self) -> None:
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)

    @property
    def next_wake_up(self) -> datetime | None:
        """When the service next looks for due reminders, real time; None if nothing is due."""
        job = self._scheduler.get_job(NEXT_REMINDER_JOB)
        return job.next_run_time if job else None

    def reconcile(self, starting: bool = False) -> Delivery:
        """Notify what is due now and set the wake-up for what comes next."""
        now = self._now()
        delivery = reconcile(now, self.zone, reminder_time(), starting=starting)
        if delivery.missed:
            self.missed.emit(delivery.missed, delivery.first_run)
        if delivery.due_now:
            self.due.emit(delivery.due_now)
        self._wake_at(delivery.next_at)
        self.reconciled.emit()
        return delivery

    def _wake_at(self, moment: datetime | None) -> None:
        if moment is None:
            if self._scheduler.get_job(NEXT_REMINDER_JOB):
                self._scheduler.remove_job(NEXT_REMINDER_JOB)
            return
        # The wait is measured on the service's clock (which tests set), the wake-up on
        # the real one.
        run_date = datetime.now(UTC) + (moment - self._now())
        self._scheduler.add_job(
            self._reconcile_after_job,
            "date",
            run_date=run_date,
            id=NEXT_REMINDER_JOB,
            replace_existing=True,
        )

    def _reconcile_after_job(self) -> None:
        # APScheduler removes a date job by its id once the job has run, so a next
        # wake-up set from inside the job would be removed with it: set it afterwards.
        QTimer.singleShot(0, self, self.reconcile)

    def _heartbeat(self) -> None:
        beat = (monotonic_time.monotonic(), self._now())
        if self._last_beat is not None:
            slept = (beat[1] - self._last_beat[1]) - timedelta(seconds=beat[0] - self._last_beat[0])
            if abs(slept) > CLOCK_JUMP:
                log.info("The wall clock jumped by %s; looking for due reminders", slept)
                self.reconcile()
        self._last_beat = beat


def _seconds(delta: timedelta) -> int:
    return int(delta.total_seconds())
