"""Booked sessions: on Today the day before and on the day, notified once each, and history
once they have ended, exactly once, however long Rapport was closed."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from models.clients.bookings import hold_ended, save_booking, set_booking_status
from models.clients.entries import delete_entry, history
from models.clients.saving import save_client
from models.forms.dialog_forms import BookingForm, ClientForm, ValidationError
from models.reminders.store import listed_today, mark_done, reconcile
from models.store.entities import Booking, FollowUp, Interaction, ReminderState

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
NINE = time(9)
# Saturday 12 December 2026, 10:00 in Berlin, for two hours.
STARTS = datetime(2026, 12, 12, 10, tzinfo=BERLIN)
DAY_BEFORE = datetime(2026, 12, 11, 8, tzinfo=BERLIN)


def anna() -> int:
    return save_client(ClientForm(first_name="Anna", last_name="Berger")).id


def book(client_id: int, starts: datetime = STARTS, hours: int = 2, **more) -> Booking:
    form = BookingForm(
        kind=more.pop("kind", "session"),
        starts_at=starts,
        ends_at=starts + timedelta(hours=hours),
        place=more.pop("place", "Schloss Nymphenburg"),
        summary=more.pop("summary", ""),
    )
    return save_booking(form, client_id)


def listed_texts(now: datetime, zone: ZoneInfo = BERLIN) -> dict[str, list[str]]:
    _reminders, listed = listed_today(now, zone, NINE)
    return {
        group: [r.text for r in getattr(listed, group)] for group in ("overdue", "today", "coming")
    }


def test_a_booking_shows_on_today_the_day_before_and_on_the_day(database):
    book(anna())
    text = "Session with Anna Berger tomorrow 10:00 · Schloss Nymphenburg"
    assert listed_texts(DAY_BEFORE)["today"] == [text]
    three_days_before = listed_texts(STARTS - timedelta(days=3))
    assert three_days_before["today"] == []
    assert three_days_before["coming"] == [
        "Session with Anna Berger on Sat 12 Dec 10:00 · Schloss Nymphenburg"
    ]
    on_the_day = listed_texts(datetime(2026, 12, 12, 7, tzinfo=BERLIN))
    assert on_the_day["today"] == ["Session with Anna Berger today 10:00 · Schloss Nymphenburg"]
    assert on_the_day["overdue"] == []


def test_the_booking_is_notified_the_day_before_and_on_the_day_once_each(database):
    book(anna())
    reconcile(DAY_BEFORE - timedelta(hours=1), BERLIN, NINE)
    day_before = reconcile(datetime(2026, 12, 11, 9, 0, 30, tzinfo=BERLIN), BERLIN, NINE)
    assert [r.text for r in day_before.due_now] == [
        "Session with Anna Berger tomorrow 10:00 · Schloss Nymphenburg"
    ]
    assert reconcile(datetime(2026, 12, 11, 12, tzinfo=BERLIN), BERLIN, NINE).due_now == []
    # On the day two hours before the start, since that is before nine.
    early = reconcile(datetime(2026, 12, 12, 7, 30, tzinfo=BERLIN), BERLIN, NINE)
    assert early.due_now == []
    on_the_day = reconcile(datetime(2026, 12, 12, 8, 0, 30, tzinfo=BERLIN), BERLIN, NINE)
    assert [r.key.endswith(":day") for r in on_the_day.due_now] == [True]


def test_a_zone_change_between_runs_notifies_nothing_twice(database):
    book(anna())
    notified = reconcile(datetime(2026, 12, 11, 9, 1, tzinfo=BERLIN), BERLIN, NINE)
    assert len(notified.due_now) == 1
    # Rapport starts again in New York: 09:01 there is later, but the same notice.
    later = reconcile(datetime(2026, 12, 11, 9, 1, tzinfo=NEW_YORK), NEW_YORK, NINE)
    assert [r.key for r in later.due_now if r.key.endswith(":notice")] == []
    # Shown in the zone Rapport runs in now: 10:00 in Berlin is 04:00 in New York.
    texts = listed_texts(datetime(2026, 12, 11, 10, tzinfo=NEW_YORK), NEW_YORK)
    assert texts["today"] == ["Session with Anna Berger tomorrow 04:00 · Schloss Nymphenburg"]


def test_a_booking_across_the_summer_time_change_keeps_its_wall_clock_time(database):
    # Booked in winter for a morning after the spring change: 10:00 summer time.
    book(anna(), datetime(2027, 3, 29, 10, tzinfo=BERLIN))
    stored = Booking.get()
    assert stored.starts_at == datetime(2027, 3, 29, 8, tzinfo=UTC)
    texts = listed_texts(datetime(2027, 3, 28, 12, tzinfo=BERLIN))
    assert texts["today"] == ["Session with Anna Berger tomorrow 10:00 · Schloss Nymphenburg"]


def test_a_session_becomes_history_at_its_end_once(database):
    client_id = anna()
    book(client_id, summary="Family shoot")
    assert reconcile(STARTS + timedelta(hours=1), BERLIN, NINE).next_at == (
        STARTS + timedelta(hours=2)
    )
    assert history(client_id) == []
    reconcile(STARTS + timedelta(hours=2), BERLIN, NINE)
    reconcile(STARTS + timedelta(hours=2, minutes=1), BERLIN, NINE)
    [held] = history(client_id)
    assert (held.kind, held.summary, held.body) == (
        "session",
        "Family shoot",
        "At Schloss Nymphenburg",
    )
    assert held.occurred_at == STARTS.astimezone(UTC)
    assert Booking.get().status == "held"
    assert Booking.get().interaction_id == held.id
    assert listed_texts(STARTS + timedelta(hours=3))["today"] == []


def test_a_held_wedding_starts_its_care_plan_as_a_logged_one_does(database):
    client_id = anna()
    book(client_id, kind="wedding", summary="Anna & Tom")
    reconcile(STARTS + timedelta(hours=2), BERLIN, NINE)
    [held] = history(client_id)
    steps = FollowUp.select().where(FollowUp.session == held.id).order_by(FollowUp.due_at)
    assert steps[0].title == "Send a thank-you note"
    # The thank-you comes the day after, at the reminder time, in the owner's zone.
    assert steps[0].due_at == datetime(2026, 12, 13, 9, tzinfo=BERLIN).astimezone(UTC)
    reconcile(STARTS + timedelta(hours=3), BERLIN, NINE)
    assert FollowUp.select().where(FollowUp.session == held.id).count() == len(steps)


def test_a_session_that_ended_while_rapport_was_closed_for_days_becomes_history(database):
    client_id = anna()
    book(client_id, kind="wedding")
    book(client_id, STARTS + timedelta(days=2))
    delivery = reconcile(STARTS + timedelta(days=5), BERLIN, NINE, starting=True)
    kinds = [row.kind for row in history(client_id)]
    assert kinds == ["session", "wedding"]
    # Nothing about a session that is over is notified after the fact.
    assert [r for r in (*delivery.due_now, *delivery.missed) if r.kind == "booking"] == []
    hold_ended(STARTS + timedelta(days=6))
    assert Interaction.select().count() == 2


def test_the_clock_jumping_back_after_a_session_brings_nothing_back(database):
    client_id = anna()
    book(client_id)
    reconcile(STARTS + timedelta(hours=3), BERLIN, NINE)
    back = reconcile(DAY_BEFORE + timedelta(hours=2), BERLIN, NINE)  # a day back
    assert [r for r in back.due_now if r.kind == "booking"] == []
    assert listed_texts(DAY_BEFORE + timedelta(hours=2))["today"] == []
    reconcile(STARTS + timedelta(hours=3), BERLIN, NINE)
    assert len(history(client_id)) == 1


def test_the_clock_jumping_back_before_a_notice_notifies_it_once(database):
    book(anna())
    assert len(reconcile(datetime(2026, 12, 11, 9, 5, tzinfo=BERLIN), BERLIN, NINE).due_now) == 1
    reconcile(datetime(2026, 12, 11, 8, 30, tzinfo=BERLIN), BERLIN, NINE)  # back 35 minutes
    again = reconcile(datetime(2026, 12, 11, 9, 10, tzinfo=BERLIN), BERLIN, NINE)
    assert again.due_now == []


def test_done_on_the_notice_closes_the_day_too_and_logs_nothing(database):
    client_id = anna()
    book(client_id)
    [notice] = listed_today(DAY_BEFORE, BERLIN, NINE)[1].today
    mark_done(notice, DAY_BEFORE)
    assert listed_texts(datetime(2026, 12, 12, 7, tzinfo=BERLIN))["today"] == []
    assert history(client_id) == []
    assert ReminderState.select().where(ReminderState.done_at.is_null(False)).count() == 2


def test_a_moved_booking_is_reminded_anew(database):
    client_id = anna()
    booking = book(client_id)
    reconcile(datetime(2026, 12, 11, 9, 5, tzinfo=BERLIN), BERLIN, NINE)
    moved = BookingForm(
        "session", STARTS + timedelta(days=1), STARTS + timedelta(days=1, hours=2), "Park"
    )
    save_booking(moved, client_id, booking.id)
    due = reconcile(datetime(2026, 12, 12, 9, 5, tzinfo=BERLIN), BERLIN, NINE).due_now
    assert [r.text for r in due] == ["Session with Anna Berger tomorrow 10:00 · Park"]


def test_cancelled_and_deleted_bookings_leave_today_and_history_alone(database):
    client_id = anna()
    cancelled = book(client_id)
    set_booking_status(cancelled.id, "cancelled")
    deleted = book(client_id, STARTS + timedelta(hours=4))
    reconcile(datetime(2026, 12, 11, 9, 5, tzinfo=BERLIN), BERLIN, NINE)
    delete_entry(Booking, deleted.id)
    assert listed_texts(DAY_BEFORE)["today"] == []
    assert not ReminderState.select().where(ReminderState.key.startswith("booking:")).exists()
    reconcile(STARTS + timedelta(days=1), BERLIN, NINE)
    assert history(client_id) == []


def test_a_booking_that_ends_before_it_starts_is_refused_in_words(database):
    form = BookingForm("session", STARTS, STARTS - timedelta(hours=1))
    with pytest.raises(ValidationError, match="cannot end before it starts"):
        save_booking(form, anna())
    with pytest.raises(ValidationError, match="Start: date and time are required"):
        save_booking(BookingForm("session", None, STARTS), anna())
    assert Booking.select().count() == 0


def test_an_offered_session_is_not_reminded_until_it_is_booked(database):
    client_id = anna()
    offered = book(client_id)
    Booking.update(status="offered").execute()
    assert listed_texts(DAY_BEFORE)["today"] == []
    reconcile(STARTS + timedelta(hours=3), BERLIN, NINE)
    assert history(client_id) == []
    assert date(2026, 12, 12) == Booking.get_by_id(offered.id).starts_at.date()
