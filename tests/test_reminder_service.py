"""The reminder service on the real clock, in a real Qt event loop."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from models.clients.entries import save_follow_up
from models.clients.saving import save_client
from models.forms.dialog_forms import ClientForm, FollowUpForm
from scheduler.reminder_wakeups import ReminderService


def test_each_wake_up_sets_the_next(qtbot, database):
    client = save_client(ClientForm(first_name="Jens", last_name="Weber"))
    first_due = datetime(2026, 11, 24, 14, tzinfo=UTC)
    for n in range(2):
        save_follow_up(FollowUpForm(f"Task {n}", first_due + timedelta(hours=n)), client.id)
    # The service's clock stands a second before the first follow-up is due.
    offset = first_due - timedelta(seconds=1) - datetime.now(UTC)
    service = ReminderService(ZoneInfo("UTC"), now=lambda: datetime.now(UTC) + offset)
    fired = []
    service.due.connect(lambda reminders: fired.extend(r.text for r in reminders))
    try:
        service.start()
        assert fired == []
        qtbot.waitUntil(lambda: fired == ["Task 0 — due 14:00"], timeout=5000)
        # The wake-up that delivered Task 0 has set the one for Task 1, an hour on.
        qtbot.waitUntil(lambda: service.next_wake_up is not None, timeout=1000)
        wait = service.next_wake_up - datetime.now(UTC)
        assert timedelta(minutes=59) < wait <= timedelta(hours=1)
    finally:
        service.stop()


def test_a_clock_jump_back_makes_the_service_look_again_at_once(qtbot, database):
    """Two hours back (an NTP step, a manual change): the clock watch, on a Qt timer,
    notices it and the service looks again then, not two hours later."""
    clock = [datetime(2026, 11, 24, 10, tzinfo=UTC)]
    service = ReminderService(ZoneInfo("UTC"), now=lambda: clock[0])
    looks = []
    service.reconciled.connect(lambda look: looks.append(look.now))
    try:
        service.start()
        qtbot.waitUntil(lambda: len(looks) == 1, timeout=5000)
        clock[0] -= timedelta(hours=2)
        service._scheduler.clock_watch.check()
        qtbot.waitUntil(lambda: len(looks) == 2, timeout=5000)
        assert looks[1] == clock[0]
    finally:
        service.stop()
