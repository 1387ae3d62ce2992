"""The reminder rules, without a database: leap days, DST, texts, states, grouping."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from models.reminders import (
    DateFacts,
    ReminderState,
    ReminderWindow,
    check_in_reminder,
    date_reminders,
    fire_instant,
    next_fire_time,
    resolve_yearly,
    snooze_until,
    to_notify,
    today_list,
)

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
SYDNEY = ZoneInfo("Australia/Sydney")
NINE = time(9)


def window(today: date, days_back: int = 0, days_ahead: int = 7, **kw) -> ReminderWindow:
    return ReminderWindow(
        first=today - timedelta(days=days_back),
        last=today + timedelta(days=days_ahead),
        today=today,
        at=kw.pop("at", NINE),
        zone=kw.pop("zone", BERLIN),
        **kw,
    )


def facts(**fields) -> DateFacts:
    base = dict(id=1, client_id=7, client_name="Anna Berger", kind="birthday", month=11, day=28)
    base.update(year=None, lead_days=0)
    return DateFacts(**(base | fields))


@pytest.mark.parametrize(
    ("year", "rule", "expected"),
    [
        (2027, "feb28", date(2027, 2, 28)),
        (2027, "mar1", date(2027, 3, 1)),
        (2028, "feb28", date(2028, 2, 29)),
        (2028, "mar1", date(2028, 2, 29)),
    ],
)
def test_a_leap_day_date_moves_only_in_common_years(year, rule, expected):
    assert resolve_yearly(2, 29, year, rule) == expected


def test_lead_days_count_back_from_the_moved_leap_day():
    leap = facts(month=2, day=29, year=1992, lead_days=3)
    reminders = date_reminders(leap, window(date(2027, 2, 20), days_ahead=14, leap_day_rule="mar1"))
    assert [r.key for r in reminders] == ["date:1:2027-03-01:notice", "date:1:2027-03-01:day"]
    assert reminders[0].due_at == fire_instant(date(2027, 2, 26), NINE, BERLIN)
    assert reminders[1].text == "Anna Berger turns 35 on Mon 1 Mar"


@pytest.mark.parametrize(
    ("zone", "day", "at", "expected_utc"),
    [
        (BERLIN, date(2026, 3, 29), time(9), datetime(2026, 3, 29, 7, tzinfo=UTC)),
        (BERLIN, date(2026, 3, 28), time(9), datetime(2026, 3, 28, 8, tzinfo=UTC)),
        # 02:30 does not exist on the spring change: it fires just after the gap, at 03:30.
        (BERLIN, date(2026, 3, 29), time(2, 30), datetime(2026, 3, 29, 1, 30, tzinfo=UTC)),
        # 02:30 happens twice in autumn: it fires once, the first time (still summer time).
        (BERLIN, date(2026, 10, 25), time(2, 30), datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),
        (NEW_YORK, date(2026, 3, 8), time(2, 30), datetime(2026, 3, 8, 7, 30, tzinfo=UTC)),
        (NEW_YORK, date(2026, 11, 1), time(1, 30), datetime(2026, 11, 1, 5, 30, tzinfo=UTC)),
        (SYDNEY, date(2026, 10, 4), time(2, 30), datetime(2026, 10, 3, 16, 30, tzinfo=UTC)),
        (SYDNEY, date(2026, 4, 5), time(2, 30), datetime(2026, 4, 4, 15, 30, tzinfo=UTC)),
    ],
)
def test_fire_times_across_dst_changes(zone, day, at, expected_utc):
    instant = fire_instant(day, at, zone)
    assert instant == expected_utc
    assert instant.astimezone(zone).date() == day  # never moved to another day


@pytest.mark.parametrize(
    ("fields", "text"),
    [
        ({"year": 2019}, "Anna Berger turns 7 on Sat 28 Nov"),
        ({}, "Anna Berger's birthday on Sat 28 Nov"),
        ({"person": "Maria's child Lea", "year": 2019}, "Maria's child Lea turns 7 on Sat 28 Nov"),
        (
            {"kind": "wedding_anniversary", "year": 2021, "couple": "Anna & Tom"},
            "Anna & Tom — 5th wedding anniversary on Sat 28 Nov",
        ),
        ({"kind": "wedding_anniversary"}, "Wedding anniversary on Sat 28 Nov"),
        ({"kind": "client_since", "year": 2023}, "3 years as a client on Sat 28 Nov"),
        (
            {"kind": "custom", "label": "Bakery opened", "year": 2001},
            "Bakery opened — 25 years on Sat 28 Nov",
        ),
    ],
)  # fmt: skip
def test_date_texts_carry_the_count_only_when_the_year_is_known(fields, text):
    [reminder] = date_reminders(facts(**fields), window(date(2026, 11, 24)))
    assert reminder.text == text


def test_today_and_tomorrow_read_as_words():
    [reminder] = date_reminders(facts(), window(date(2026, 11, 27)))
    assert reminder.text == "Anna Berger's birthday tomorrow"
    [reminder] = date_reminders(facts(), window(date(2026, 11, 28)))
    assert reminder.text == "Anna Berger's birthday today"


def test_the_day_itself_is_not_an_anniversary():
    assert date_reminders(facts(year=2026), window(date(2026, 11, 24))) == []


def test_a_check_in_falls_due_a_cadence_after_the_last_contact():
    today = date(2026, 11, 24)
    reminder = check_in_reminder(3, "Jens Hoffmann", 90, today - timedelta(days=97), window(today))
    assert reminder.occurs_on == today - timedelta(days=7)
    assert reminder.key == f"check_in:3:{reminder.occurs_on.isoformat()}"
    assert reminder.text == "Check in with Jens — last contact 97 days ago, every 90 days"


def test_what_to_notify_skips_done_notified_and_snoozed():
    today = date(2026, 11, 24)
    notice, day = date_reminders(facts(lead_days=3), window(today))
    now = datetime(2026, 11, 28, 12, tzinfo=UTC)
    assert to_notify([notice, day], {}, now) == [notice, day]
    notified = {notice.key: ReminderState(notified_at=now)}
    assert to_notify([notice, day], notified, now) == [day]
    done = {day.key: ReminderState(done_at=now)}
    assert to_notify([day], done, now) == []
    later = now + timedelta(hours=1)
    snoozed = {day.key: ReminderState(snoozed_until=later)}
    assert to_notify([day], snoozed, now) == []
    assert to_notify([day], snoozed, later) == [day]
    assert next_fire_time([day], snoozed, now) == later


def test_today_lists_one_entry_per_occasion_in_its_group():
    today = date(2026, 11, 24)
    now = datetime(2026, 11, 24, 12, tzinfo=UTC)
    notice, day = date_reminders(facts(lead_days=7), window(today, days_back=7))
    check_in = check_in_reminder(3, "Jens Hoffmann", 90, today - timedelta(days=90), window(today))
    listed = today_list([notice, day, check_in], {}, now, BERLIN)
    assert listed.overdue == [notice]  # its on-the-day reminder is the same occasion
    assert listed.today == [check_in]
    assert listed.coming == []
    listed = today_list([notice, day], {notice.key: ReminderState(done_at=now)}, now, BERLIN)
    assert listed.coming == [day]


def test_snooze_choices_land_on_the_reminder_time():
    now = datetime(2026, 3, 28, 20, tzinfo=UTC)  # the evening before the spring change
    assert snooze_until("hour", now, BERLIN, NINE) == now + timedelta(hours=1)
    assert snooze_until("tomorrow", now, BERLIN, NINE) == datetime(2026, 3, 29, 7, tzinfo=UTC)
    assert snooze_until("next_week", now, BERLIN, NINE) == datetime(2026, 4, 4, 7, tzinfo=UTC)
