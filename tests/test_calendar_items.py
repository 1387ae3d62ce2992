"""What Rapport publishes to a CalDAV server, object by object: pure functions, no server."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar

from models.sync.calendar_items import (
    Timing,
    YearlyDate,
    completed_at,
    date_item,
    follow_up_task,
    wish_event,
)

NOW = datetime(2026, 12, 6, 21, 0, tzinfo=UTC)


def timing(rule: str = "feb28", description: str = "off", now: datetime = NOW) -> Timing:
    return Timing(time(9, 0), rule, description, now)


def component(item, name: str = "VEVENT"):
    (found,) = Calendar.from_ical(item.ics).walk(name)
    return found


def leap_day(year: int | None = None) -> YearlyDate:
    return YearlyDate("u1", "birthday", 2, 29, year, 0, "Anna Berger", "", date(2025, 3, 1))


def occurrences(event, first: int, last: int) -> list[date]:
    start = datetime.combine(event.decoded("dtstart"), datetime.min.time())
    rule = rrulestr(event["rrule"].to_ical().decode(), dtstart=start)
    return [day.date() for day in rule.between(datetime(first, 1, 1), datetime(last + 1, 1, 1))]


@pytest.mark.parametrize(
    ("rule", "common_year_day"), [("feb28", date(2027, 2, 28)), ("mar1", date(2027, 3, 1))]
)
def test_a_leap_day_of_unknown_year_starts_in_a_leap_year_and_moves_by_the_rule(
    rule, common_year_day
):
    event = component(date_item(leap_day(), timing(rule)))
    assert event.decoded("dtstart") == date(2024, 2, 29)  # the leap year before the client came
    assert occurrences(event, 2027, 2028) == [common_year_day, date(2028, 2, 29)]


def test_a_date_without_lead_days_has_one_alarm_at_the_reminder_time():
    event = component(date_item(leap_day(), timing()))
    assert [alarm.decoded("trigger") for alarm in event.walk("VALARM")] == [timedelta(hours=9)]


def test_the_description_is_the_account_s_choice():
    assert "description" not in component(date_item(leap_day(1988), timing()))
    described = component(date_item(leap_day(1988), timing(description="year")))
    assert str(described["description"]) == "Born in 1988"
    words = "Newborn session when the baby arrives"
    for choice, expected in (("off", None), ("year", None), ("words", words)):
        wish = component(
            wish_event("u2", "Ben", words, date(2027, 3, 15), timing(description=choice))
        )
        assert wish.get("description") == expected
        assert str(wish["summary"]) == "Ben — a wish for this day"


def test_the_digest_is_the_content_not_the_moment_of_the_sync():
    first = date_item(leap_day(), timing())
    later = date_item(leap_day(), timing(now=NOW + timedelta(days=30)))
    assert first.ics != later.ics and first.digest == later.digest
    assert date_item(leap_day(1988), timing()).digest != first.digest


def test_a_task_is_due_with_an_alarm_at_its_time_and_completed_when_done():
    due = datetime(2026, 12, 10, 15, 0, tzinfo=UTC)
    task = component(follow_up_task(7, "u3", "Anna", "Call", due, None, timing()), "VTODO")
    assert str(task["status"]) == "NEEDS-ACTION" and task.decoded("due") == due
    assert [alarm.decoded("trigger") for alarm in task.walk("VALARM")] == [due]
    done = datetime(2026, 12, 9, 8, 0, tzinfo=UTC)
    item = follow_up_task(7, "u3", "Anna", "Call", due, done, timing())
    assert item.follow_up_id == 7
    assert completed_at(item.ics, NOW) == done


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ("STATUS:COMPLETED", NOW),  # a phone that says no time: the sync's moment
        ("COMPLETED:20261207T083000Z", datetime(2026, 12, 7, 8, 30, tzinfo=UTC)),
        ("STATUS:COMPLETED\nCOMPLETED:20261207T083000", datetime(2026, 12, 7, 8, 30, tzinfo=UTC)),
        ("STATUS:NEEDS-ACTION", None),
        ("STATUS:IN-PROCESS\nPERCENT-COMPLETE:50", None),
    ],
)
def test_a_task_completed_on_a_phone_is_read_whichever_way_it_says_so(lines, expected):
    ics = (
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Phone//EN\nBEGIN:VTODO\nUID:u3\n"
        f"DTSTAMP:20261207T083000Z\nSUMMARY:Call\n{lines}\nEND:VTODO\nEND:VCALENDAR\n"
    ).replace("\n", "\r\n")
    assert completed_at(ics.encode(), NOW) == expected


def test_a_task_that_cannot_be_read_is_not_taken_as_done():
    assert completed_at(b"BEGIN:VCALENDAR\r\nthis is not iCalendar", NOW) is None
