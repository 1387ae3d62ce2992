"""Turns the reminders in the database into timed wake-ups and 'notify this' signals.

The database is the truth: no APScheduler job store. One job wakes Rapport at
the next moment something falls due, one every 15 minutes catches anything
the first missed, and when the scheduler's clock watch sees the wall clock jump
(suspend and resume, an NTP step, the user changed the time) the service looks
again at once.

Each look runs on a worker thread with its own database connection (with 100,000
clients it takes longer than a frame) and reports back on the Qt main thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, Signal

from background.database_worker import DatabaseWorker
from models.clock import system_now
from models.reminders.rules import Reminder, TodayList
from models.reminders.store import Delivery, reconcile_and_list
from models.store.settings import reminder_time

if TYPE_CHECKING:  # what a look reads loads with the first look, after the first paint
    from models.capture.mail_store import MailStranger
    from models.exchange.booking_calendar import OfferedSession
    from models.insight.relationship import Suggestion

log = logging.getLogger(__name__)

RECONCILE_EVERY = timedelta(minutes=15)
NEXT_REMINDER_JOB = "next-reminder"
SUGGESTIONS_SHOWN = 5  # on Today; the Clients filters find the rest
STOP_WAIT_MS = 10_000


@dataclass(frozen=True)
class Look:
    """What one look at the clock found: what to notify, and the Today list."""

    now: datetime
    delivery: Delivery
    reminders: list[Reminder]  # every reminder of the Today window
    listed: TodayList
    suggestions: list[Suggestion]  # customers worth making clients, the first few
    offers: list[OfferedSession] = field(default_factory=list)  # a calendar's, to confirm
    # People written to this month who are not clients: offered as leads (models/capture/).
    strangers: list[MailStranger] = field(default_factory=list)


def look(now: datetime, zone: ZoneInfo, starting: bool) -> Look:
    """Read the booking calendar when due, deliver what is due and gather the Today list:
    the worker thread's job."""
    from models.capture.mail_store import strangers_this_month
    from models.exchange.booking_calendar import offers, read_settings_calendar
    from models.insight.relationship import promotion_suggestions

    read_settings_calendar(now, zone)
    at = reminder_time()
    delivery, reminders, listed = reconcile_and_list(now, zone, at, starting=starting)
    suggestions = promotion_suggestions(SUGGESTIONS_SHOWN)
    return Look(
        now, delivery, reminders, listed, suggestions, offers(now, zone), strangers_this_month(now)
    )


class ReminderService(QObject):
    due = Signal(list)  # reminders that fell due just now: notify each
    # Reminders for one summary notification; whether they fell due while Rapport was closed.
    missed = Signal(list, bool)
    reconciled = Signal(object)  # a Look: the Today view and the tray count show anew

    def __init__(
        self,
        zone: ZoneInfo | None = None,
        now: Callable[[], datetime] = system_now,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        # None: the computer's zone, looked up when first needed. tzlocal's lookup (reading
        # and comparing the zone files) costs the start about 10 ms of CPU before the first
        # paint, which needs no zone: the first look runs after it.
        self._zone = zone
        self._now = now
        self._scheduler = None  # made by start(): APScheduler loads after the first paint
        # One worker: looks run one after the other, in the order asked.
        self._worker = DatabaseWorker(self, STOP_WAIT_MS)
        self._looks_asked = 0
        self._looks_ended = 0
        self._stopped = False

    @property
    def zone(self) -> ZoneInfo:
        if self._zone is None:
            from tzlocal import get_localzone

            self._zone = get_localzone()
        return self._zone

    def start(self) -> None:
        """Catch up on what fell due while closed, then keep watching."""
        from scheduler.qt_scheduler import make_scheduler  # not before: see __init__

        self._scheduler = make_scheduler(wall_clock=self._now)
        self._scheduler.start()
        self._scheduler.clock_watch.jumped.connect(lambda _jump: self.reconcile())
        self._scheduler.add_job(self.reconcile, "interval", seconds=_seconds(RECONCILE_EVERY))
        self.reconcile(starting=True)

    def stop(self) -> None:
        self._stopped = True  # a look still on its way is for a window that is closing
        if self._scheduler is not None and self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        self._worker.wait(STOP_WAIT_MS)

    def reconcile(self, starting: bool = False) -> None:
        """Look for what is due now, on the worker; `reconciled` reports the result."""
        now, zone = self._now(), self.zone
        self._looks_asked += 1
        self._worker.run(
            lambda: look(now, zone, starting), self._report, lambda _m: self._end_look()
        )

    def idle(self) -> bool:
        """Every look asked for has been reported (for tests and scripts)."""
        return self._looks_ended == self._looks_asked

    def _end_look(self) -> None:
        self._looks_ended += 1

    @property
    def next_wake_up(self) -> datetime | None:
        """When the service next looks for due reminders, real time; None if nothing is due."""
        job = self._scheduler and self._scheduler.get_job(NEXT_REMINDER_JOB)
        return job.next_run_time if job else None

    def _report(self, result: Look) -> None:
        self._end_look()
        if self._stopped:
            return
        delivery = result.delivery
        if delivery.missed:
            self.missed.emit(delivery.missed, delivery.while_closed)
        if delivery.due_now:
            self.due.emit(delivery.due_now)
        if self._scheduler is not None and self._scheduler.running:
            self._wake_at(delivery.next_at, result.now)
        self.reconciled.emit(result)

    def _wake_at(self, moment: datetime | None, looked_at: datetime) -> None:
        if moment is None:
            if self._scheduler.get_job(NEXT_REMINDER_JOB):
                self._scheduler.remove_job(NEXT_REMINDER_JOB)
            return
        # The wait is measured on the service's clock (which tests set), the wake-up on
        # the real one. Set here, after the look, never from inside the job that ran:
        # APScheduler removes a date job by its id once it has run.
        run_date = system_now() + (moment - looked_at)
        self._scheduler.add_job(
            self.reconcile, "date", run_date=run_date, id=NEXT_REMINDER_JOB, replace_existing=True
        )


def _seconds(delta: timedelta) -> int:
    return int(delta.total_seconds())
