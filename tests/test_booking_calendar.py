"""The booking calendar read from an ICS file: matching events offered as booked sessions,
moved and cancelled ones followed, each event one booking however often it is read."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from models.clients.bookings import set_booking_status
from models.clients.entries import history
from models.clients.saving import save_client
from models.exchange.booking_calendar import (
    SETTINGS_CALENDAR,
    CalendarError,
    book_always,
    fetch_source,
    last_read,
    offers,
    read_calendar,
    read_settings_calendar,
)
from models.forms.dialog_forms import ClientForm, ValidationError
from models.forms.settings_form import save_settings, settings_form
from models.reminders.store import listed_today, reconcile
from models.store.entities import Booking
from models.store.settings import set_setting

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 12, 6, 12, tzinfo=UTC)


def event(uid: str, starts: str, summary: str, *extra: str, hours: int = 2) -> str:
    """A VEVENT starting at `starts` (Berlin time, "20261212T100000")."""
    begin = datetime.strptime(starts, "%Y%m%dT%H%M%S")
    ends = (begin + timedelta(hours=hours)).strftime("%Y%m%dT%H%M%S")
    return "\r\n".join(
        (
            "BEGIN:VEVENT",
            f"UID:{uid}",
            "DTSTAMP:20261201T000000Z",
            f"DTSTART;TZID=Europe/Berlin:{starts}",
            f"DTEND;TZID=Europe/Berlin:{ends}",
            f"SUMMARY:{summary}",
            *extra,
            "END:VEVENT",
        )
    )


def calendar(*events: str) -> str:
    head = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Rapport tests//EN\r\n"
    return head + "\r\n".join(events) + "\r\nEND:VCALENDAR\r\n"


ANNA_SHOOT = event(
    "shoot-1@studio",
    "20261212T100000",
    "Family shoot",
    "LOCATION:Schloss Nymphenburg",
    "ATTENDEE;CN=Anna:mailto:ANNA@example.org",
)
TOM_WEDDING = event("wedding-1@studio", "20261219T110000", "Wedding Tom Meyer", hours=8)


@pytest.fixture
def clients(database) -> dict[str, int]:
    made = {}
    for first, last, email in (
        ("Anna", "Berger", "anna@example.org"),
        ("Tom", "Meyer", ""),
        ("Jens", "Ortmann", ""),
        ("Jens", "Ortmann", ""),  # two of that name: a title naming him names nobody
    ):
        form = ClientForm(first_name=first, last_name=last, emails=email)
        made[first] = save_client(form).id
    return made


def bookings() -> dict[str, tuple]:
    return {
        row.event_uid + row.recurrence_id: (row.client_id, row.kind, row.status, row.starts_at)
        for row in Booking.select()
    }


def test_events_with_a_client_are_offered_by_address_or_by_name(clients):
    other = event("dentist@me", "20261214T090000", "Dentist")
    ambiguous = event("jens@studio", "20261215T090000", "Jens Ortmann portraits")
    all_day = "\r\n".join(
        ("BEGIN:VEVENT", "UID:day@studio", "DTSTART;VALUE=DATE:20261216", "SUMMARY:Anna Berger",
         "END:VEVENT")
    )  # fmt: skip
    report = read_calendar("ics", calendar(ANNA_SHOOT, TOM_WEDDING, other, ambiguous, all_day),
                           NOW, BERLIN)  # fmt: skip
    assert report.summary() == "2 to confirm"
    anna_at, tom_at = datetime(2026, 12, 12, 9, tzinfo=UTC), datetime(2026, 12, 19, 10, tzinfo=UTC)
    assert bookings() == {
        "shoot-1@studio": (clients["Anna"], "session", "offered", anna_at),
        "wedding-1@studio": (clients["Tom"], "wedding", "offered", tom_at),
    }
    assert [offer.text for offer in offers(NOW, BERLIN)] == [
        "Session with Anna Berger on Sat 12 Dec 10:00 · Schloss Nymphenburg",
        "Wedding session with Tom Meyer on Sat 19 Dec 11:00",
    ]
    # An offer is no booking yet: nothing on Today, nothing becomes history.
    _all, listed = listed_today(datetime(2026, 12, 11, 10, tzinfo=UTC), BERLIN, time(9))
    assert listed.today == []


def test_reading_again_changes_nothing_and_a_confirmed_offer_is_booked(clients):
    read_calendar("ics", calendar(ANNA_SHOOT), NOW, BERLIN)
    [offer] = offers(NOW, BERLIN)
    set_booking_status(offer.booking_id, "booked")
    again = read_calendar("ics", calendar(ANNA_SHOOT), NOW + timedelta(hours=1), BERLIN)
    assert again.summary() == "Nothing new"
    assert Booking.select().count() == 1
    _all, listed = listed_today(datetime(2026, 12, 11, 10, tzinfo=UTC), BERLIN, time(9))
    assert [r.text for r in listed.today] == [
        "Session with Anna Berger tomorrow 10:00 · Schloss Nymphenburg"
    ]


def test_a_moved_event_moves_its_booking_and_a_cancelled_one_cancels_it(clients):
    read_calendar("ics", calendar(ANNA_SHOOT, TOM_WEDDING), NOW, BERLIN)
    book_always("ics")
    moved = ANNA_SHOOT.replace("20261212T1", "20261213T1").replace("Nymphenburg", "Park")
    cancelled = TOM_WEDDING.replace("END:VEVENT", "STATUS:CANCELLED\r\nEND:VEVENT")
    report = read_calendar("ics", calendar(moved, cancelled), NOW, BERLIN)
    assert report.summary() == "1 moved, 1 cancelled"
    anna = Booking.get(Booking.event_uid == "shoot-1@studio")
    assert (anna.status, anna.starts_at, anna.place) == (
        "booked",
        datetime(2026, 12, 13, 9, tzinfo=UTC),
        "Schloss Park",
    )
    assert Booking.get(Booking.event_uid == "wedding-1@studio").status == "cancelled"


def test_an_event_gone_from_the_calendar_cancels_its_booking(clients):
    read_calendar("ics", calendar(ANNA_SHOOT, TOM_WEDDING), NOW, BERLIN)
    report = read_calendar("ics", calendar(TOM_WEDDING), NOW, BERLIN)
    assert report.cancelled == 1
    assert bookings()["shoot-1@studio"][2] == "cancelled"
    assert bookings()["wedding-1@studio"][2] == "offered"


def test_always_for_this_calendar_books_its_offers_and_what_comes_next(clients):
    read_calendar("ics", calendar(ANNA_SHOOT), NOW, BERLIN)
    book_always("ics")
    assert bookings()["shoot-1@studio"][2] == "booked"
    report = read_calendar("ics", calendar(ANNA_SHOOT, TOM_WEDDING), NOW, BERLIN)
    assert report.summary() == "1 booked"
    assert bookings()["wedding-1@studio"][2] == "booked"
    # Another calendar still asks.
    read_calendar("dav:other", calendar(ANNA_SHOOT), NOW, BERLIN)
    assert Booking.get(Booking.calendar == "dav:other").status == "offered"


def test_a_recurring_event_is_one_booking_per_occurrence(clients):
    weekly = ANNA_SHOOT.replace("END:VEVENT", "RRULE:FREQ=WEEKLY;COUNT=3\r\nEND:VEVENT")
    read_calendar("ics", calendar(weekly), NOW, BERLIN)
    assert sorted(bookings()) == [
        "shoot-1@studio20261212T090000Z",
        "shoot-1@studio20261219T090000Z",
        "shoot-1@studio20261226T090000Z",
    ]
    # One occurrence moved an hour later in the calendar: only that booking moves.
    moved = event(
        "shoot-1@studio",
        "20261219T110000",
        "Family shoot",
        "RECURRENCE-ID;TZID=Europe/Berlin:20261219T100000",
        "LOCATION:Schloss Nymphenburg",
    )
    assert read_calendar("ics", calendar(weekly, moved), NOW, BERLIN).summary() == "1 moved"
    assert bookings()["shoot-1@studio20261219T090000Z"][3] == datetime(2026, 12, 19, 10, tzinfo=UTC)
    assert Booking.select().count() == 3


def test_a_session_already_held_stays_history_whatever_the_calendar_says(clients):
    read_calendar("ics", calendar(ANNA_SHOOT), NOW, BERLIN)
    book_always("ics")
    after = datetime(2026, 12, 12, 12, tzinfo=UTC)
    reconcile(after, BERLIN, time(9))
    cancelled = ANNA_SHOOT.replace("END:VEVENT", "STATUS:CANCELLED\r\nEND:VEVENT")
    read_calendar("ics", calendar(cancelled), after, BERLIN)
    read_calendar("ics", calendar(), after + timedelta(days=1), BERLIN)
    assert bookings()["shoot-1@studio"][2] == "held"
    assert [row.summary for row in history(clients["Anna"])] == ["Family shoot"]


def test_past_events_are_not_offered(clients):
    past = ANNA_SHOOT.replace("20261212", "20261205")
    assert read_calendar("ics", calendar(past), NOW, BERLIN).summary() == "Nothing new"
    assert Booking.select().count() == 0


def test_a_file_that_is_no_calendar_is_said_in_words_and_changes_nothing(clients, tmp_path):
    read_calendar("ics", calendar(ANNA_SHOOT), NOW, BERLIN)
    with pytest.raises(CalendarError, match="not a calendar Rapport can read"):
        read_calendar("ics", b"<html>Sign in</html>", NOW, BERLIN)
    assert bookings()["shoot-1@studio"][2] == "offered"
    with pytest.raises(CalendarError, match=r"could not read .*missing\.ics"):
        fetch_source(str(tmp_path / "missing.ics"))
    with pytest.raises(CalendarError, match="only over https"):
        fetch_source("http://calendar.example.org/studio.ics")


def test_the_calendar_in_settings_is_read_every_15_minutes(clients, tmp_path):
    path = tmp_path / "studio.ics"
    path.write_text(calendar(ANNA_SHOOT))
    set_setting("booking_calendar", str(path))
    assert read_settings_calendar(NOW, BERLIN).summary() == "1 to confirm"
    path.write_text(calendar(ANNA_SHOOT, TOM_WEDDING))
    assert read_settings_calendar(NOW + timedelta(minutes=10), BERLIN) is None
    later = read_settings_calendar(NOW + timedelta(minutes=15), BERLIN)
    assert later.summary() == "1 to confirm"
    assert Booking.get(Booking.event_uid == "wedding-1@studio").calendar == SETTINGS_CALENDAR
    # The clock set back: read again at once rather than wait.
    path.unlink()
    assert read_settings_calendar(NOW, BERLIN) is None
    _at, source, said = last_read()
    assert (source, said.startswith("Rapport could not read")) == (str(path), True)
    assert Booking.select().where(Booking.status == "offered").count() == 2


def test_settings_take_a_calendar_file_or_an_https_address_and_refuse_anything_else(
    clients, tmp_path
):
    path = tmp_path / "studio.ics"
    path.write_text(calendar(ANNA_SHOOT))
    for typed, problem in (
        (str(tmp_path / "nowhere.ics"), "There is no calendar file"),
        ("http://calendar.example.org/x.ics", "only over https"),
    ):
        form = replace(settings_form(), booking_calendar=typed)
        with pytest.raises(ValidationError, match=problem):
            save_settings(form)
    for typed in (str(path), "webcal://calendar.example.org/x.ics", ""):
        save_settings(replace(settings_form(), booking_calendar=typed))
        assert settings_form().booking_calendar == typed


def test_an_event_in_another_zone_is_booked_at_its_instant_and_shown_in_the_owner_s(clients):
    # A shoot booked by the couple's planner in New York: 09:00 there is 15:00 in Berlin.
    new_york = ANNA_SHOOT.replace("TZID=Europe/Berlin", "TZID=America/New_York")
    read_calendar("ics", calendar(new_york), NOW, BERLIN)
    book_always("ics")
    assert Booking.get().starts_at == datetime(2026, 12, 12, 15, tzinfo=UTC)
    _all, listed = listed_today(datetime(2026, 12, 11, 10, tzinfo=UTC), BERLIN, time(9))
    assert [r.text for r in listed.today] == [
        "Session with Anna Berger tomorrow 16:00 · Schloss Nymphenburg"
    ]
