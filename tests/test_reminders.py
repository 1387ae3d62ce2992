"""The reminder rules, without a database: leap days, DST, texts, states, grouping."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from models.reminders.rules import (
    DateFacts,
    DoneLog,
    ReminderProgress,
    ReminderWindow,
    check_in_reminder,
    date_reminders,
    day_in_zone,
    done_log,
    fire_instant,
    follow_up_reminder,
    next_fire_time,
    resolve_yearly,
    snooze_until,
    to_notify,
    today_list,
)
from models.values.partial_dates import years_since

BERLIN = ZoneInfo("Europe/Berlin")


def noon(day: date) -> datetime:
    """A contact at noon UTC: the same day in Berlin, New York and UTC."""
    return datetime.combine(day, time(12), tzinfo=UTC)


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


def test_a_check_in_falls_due_its_interval_after_the_last_contact():
    today = date(2026, 11, 24)
    reminder = check_in_reminder(
        3, "Jens Hoffmann", 90, noon(today - timedelta(days=97)), window(today)
    )
    assert reminder.occurs_on == today - timedelta(days=7)
    assert reminder.key == f"check_in:3:{reminder.occurs_on.isoformat()}"
    assert reminder.text == "Check in with Jens — last contact 97 days ago, every 90 days"


def test_what_to_notify_skips_done_notified_and_snoozed():
    today = date(2026, 11, 24)
    notice, day = date_reminders(facts(lead_days=3), window(today))
    now = datetime(2026, 11, 28, 12, tzinfo=UTC)
    assert to_notify([notice, day], {}, now) == [notice, day]
    notified = {notice.key: ReminderProgress(notified_at=now)}
    assert to_notify([notice, day], notified, now) == [day]
    done = {day.key: ReminderProgress(done_at=now)}
    assert to_notify([day], done, now) == []
    later = now + timedelta(hours=1)
    snoozed = {day.key: ReminderProgress(snoozed_until=later)}
    assert to_notify([day], snoozed, now) == []
    assert to_notify([day], snoozed, later) == [day]
    assert next_fire_time([day], snoozed, now) == later


def test_today_lists_one_entry_per_occasion_in_its_group():
    today = date(2026, 11, 24)
    now = datetime(2026, 11, 24, 12, tzinfo=UTC)
    notice, day = date_reminders(facts(lead_days=7), window(today, days_back=7))
    check_in = check_in_reminder(
        3, "Jens Hoffmann", 90, noon(today - timedelta(days=90)), window(today)
    )
    listed = today_list([notice, day, check_in], {}, now, BERLIN)
    # The notice fell due on the 21st for the 28th: to do now, not overdue; its on-the-day
    # reminder is the same occasion.
    assert listed.overdue == []
    assert listed.today == [notice, check_in]
    assert listed.coming == []
    listed = today_list([notice, day], {notice.key: ReminderProgress(done_at=now)}, now, BERLIN)
    assert listed.coming == [day]


def test_snooze_choices_land_on_the_reminder_time():
    now = datetime(2026, 3, 28, 20, tzinfo=UTC)  # the evening before the spring change
    assert snooze_until("hour", now, BERLIN, NINE) == now + timedelta(hours=1)
    assert snooze_until("tomorrow", now, BERLIN, NINE) == datetime(2026, 3, 29, 7, tzinfo=UTC)
    assert snooze_until("next_week", now, BERLIN, NINE) == datetime(2026, 4, 4, 7, tzinfo=UTC)


# --- Leap days -----------------------------------------------------------------------------


@pytest.mark.parametrize("rule", ["feb28", "mar1"])
@pytest.mark.parametrize(
    ("year", "leap"), [(2024, True), (2026, False), (2000, True), (2100, False)]
)
def test_only_feb_29_moves_and_only_in_common_years(rule, year, leap):
    moved = date(year, 3, 1) if rule == "mar1" else date(year, 2, 28)
    assert resolve_yearly(2, 29, year, rule) == (date(year, 2, 29) if leap else moved)
    assert resolve_yearly(2, 28, year, rule) == date(year, 2, 28)
    assert resolve_yearly(3, 1, year, rule) == date(year, 3, 1)
    assert resolve_yearly(12, 31, year, rule) == date(year, 12, 31)


@pytest.mark.parametrize(
    ("rule", "day", "notice", "text"),
    [
        ("feb28", date(2027, 2, 28), date(2027, 2, 25), "Anna Berger's birthday on Sun 28 Feb"),
        ("mar1", date(2027, 3, 1), date(2027, 2, 26), "Anna Berger's birthday on Mon 1 Mar"),
    ],
)
def test_a_leap_day_birthday_of_unknown_year_moves_with_its_notice(rule, day, notice, text):
    leap = facts(month=2, day=29, lead_days=3)
    reminders = date_reminders(leap, window(date(2027, 2, 1), days_ahead=40, leap_day_rule=rule))
    assert [r.key for r in reminders] == [f"date:1:{day}:notice", f"date:1:{day}:day"]
    assert [r.due_at for r in reminders] == [
        fire_instant(notice, NINE, BERLIN),
        fire_instant(day, NINE, BERLIN),
    ]
    assert all(r.occurs_on == day and r.text == text for r in reminders)  # never an age


def test_a_leap_day_stays_on_feb_29_in_leap_years_under_both_rules():
    leap = facts(month=2, day=29, year=2000)
    for rule in ("feb28", "mar1"):
        [reminder] = date_reminders(leap, window(date(2028, 2, 29), leap_day_rule=rule))
        assert reminder.key == "date:1:2028-02-29:day"
        assert reminder.text == "Anna Berger turns 28 today"


@pytest.mark.parametrize("rule", ["feb28", "mar1"])
def test_a_leap_day_baby_turns_one_in_the_next_common_year(rule):
    born = facts(month=2, day=29, year=2028)
    assert date_reminders(born, window(date(2028, 2, 25), days_ahead=10, leap_day_rule=rule)) == []
    [reminder] = date_reminders(born, window(date(2029, 2, 25), days_ahead=10, leap_day_rule=rule))
    expected = date(2029, 3, 1) if rule == "mar1" else date(2029, 2, 28)
    assert reminder.occurs_on == expected
    assert reminder.text.startswith("Anna Berger turns 1 on ")


def test_a_notice_can_fall_in_the_year_before_its_date():
    new_year = facts(month=1, day=3, lead_days=7)
    [notice] = date_reminders(new_year, window(date(2026, 12, 27), days_ahead=3))
    assert notice.key == "date:1:2027-01-03:notice"
    assert notice.due_at == fire_instant(date(2026, 12, 27), NINE, BERLIN)
    assert notice.text == "Anna Berger's birthday on Sun 3 Jan"


def test_a_date_before_its_first_year_has_no_reminders():
    assert date_reminders(facts(year=2030), window(date(2026, 11, 24))) == []
    [first] = date_reminders(facts(year=2025), window(date(2026, 11, 24)))
    assert first.text == "Anna Berger turns 1 on Sat 28 Nov"


# --- Local days and DST --------------------------------------------------------------------

ZONES = {"Europe/Berlin": BERLIN, "America/New_York": NEW_YORK, "Australia/Sydney": SYDNEY}
SPRING_FORWARD = {  # the one day of 2026 whose 02:00-02:59 does not exist
    "Europe/Berlin": date(2026, 3, 29),
    "America/New_York": date(2026, 3, 8),
    "Australia/Sydney": date(2026, 10, 4),  # southern hemisphere: summer time starts in October
}
FALL_BACK = {  # (the day, a wall time that happens twice on it)
    "Europe/Berlin": (date(2026, 10, 25), time(2, 30)),
    "America/New_York": (date(2026, 11, 1), time(1, 30)),
    "Australia/Sydney": (date(2026, 4, 5), time(2, 30)),
}


def exists(day: date, at: time, zone: ZoneInfo) -> bool:
    wall = datetime.combine(day, at)
    return wall.replace(tzinfo=zone).astimezone(UTC).astimezone(zone).replace(tzinfo=None) == wall


@pytest.mark.parametrize("name", ZONES)
@pytest.mark.parametrize("at", [time(0), time(1, 30), time(2), time(2, 30), time(9), time(23, 59)])
def test_every_local_day_of_a_year_fires_once_at_its_wall_clock_time(name, at):
    zone = ZONES[name]
    days = [date(2026, 1, 1) + timedelta(days=n) for n in range(366)]
    instants = [fire_instant(day, at, zone) for day in days]
    for day, instant in zip(days, instants, strict=True):
        assert instant.tzinfo is UTC
        local = instant.astimezone(zone)
        assert local.date() == day == day_in_zone(instant, zone)
        if exists(day, at, zone):
            assert local.time() == at
            # the first of two equal wall times: an hour earlier was not yet `at`
            assert (instant - timedelta(hours=1)).astimezone(zone).time() != at
        else:  # skipped by the spring change: just after the gap, an hour later
            assert day == SPRING_FORWARD[name]
            assert local.time() == (datetime.combine(day, at) + timedelta(hours=1)).time()
    gaps = [b - a for a, b in itertools.pairwise(instants)]
    assert set(gaps) <= {timedelta(hours=23), timedelta(hours=24), timedelta(hours=25)}
    assert gaps.count(timedelta(hours=23)) == gaps.count(timedelta(hours=25)) == 1


@pytest.mark.parametrize("name", ZONES)
def test_the_spring_gap_and_the_autumn_repeat_are_where_the_zone_has_them(name):
    zone = ZONES[name]
    days = [date(2026, 1, 1) + timedelta(days=n) for n in range(365)]
    assert [d for d in days if not exists(d, time(2, 30), zone)] == [SPRING_FORWARD[name]]
    day, twice = FALL_BACK[name]
    first = fire_instant(day, twice, zone)
    second = first + timedelta(hours=1)
    assert second.astimezone(zone).replace(tzinfo=None) == datetime.combine(day, twice)
    assert first.astimezone(zone).fold == 0 and first.astimezone(zone).utcoffset() > (
        second.astimezone(zone).utcoffset()
    )


@pytest.mark.parametrize(
    ("zone", "day", "expected_utc"),
    [
        (BERLIN, date(2026, 10, 24), datetime(2026, 10, 24, 7, tzinfo=UTC)),
        (BERLIN, date(2026, 10, 25), datetime(2026, 10, 25, 8, tzinfo=UTC)),
        (NEW_YORK, date(2026, 3, 7), datetime(2026, 3, 7, 14, tzinfo=UTC)),
        (NEW_YORK, date(2026, 3, 8), datetime(2026, 3, 8, 13, tzinfo=UTC)),
        (SYDNEY, date(2026, 10, 3), datetime(2026, 10, 2, 23, tzinfo=UTC)),
        (SYDNEY, date(2026, 10, 4), datetime(2026, 10, 3, 22, tzinfo=UTC)),
        (SYDNEY, date(2026, 4, 5), datetime(2026, 4, 4, 23, tzinfo=UTC)),
    ],
)
def test_nine_in_the_morning_around_each_change(zone, day, expected_utc):
    assert fire_instant(day, NINE, zone) == expected_utc


def test_a_date_is_a_local_calendar_date_in_every_zone():
    # Sydney is already on the 28th while it is still the 27th in UTC: no shift either way.
    for zone in (BERLIN, NEW_YORK, SYDNEY):
        [reminder] = date_reminders(facts(), window(date(2026, 11, 24), zone=zone))
        assert reminder.occurs_on == date(2026, 11, 28)
        assert reminder.due_at.astimezone(zone) == datetime(2026, 11, 28, 9, tzinfo=zone)
    [sydney] = date_reminders(facts(), window(date(2026, 11, 24), zone=SYDNEY))
    assert sydney.due_at == datetime(2026, 11, 27, 22, tzinfo=UTC)


# --- Keys and texts ------------------------------------------------------------------------


def test_a_date_has_a_notice_and_an_on_the_day_reminder_of_one_occurrence():
    notice, day = date_reminders(facts(year=2019, lead_days=3), window(date(2026, 11, 24)))
    assert notice.key == "date:1:2026-11-28:notice"
    assert day.key == "date:1:2026-11-28:day"
    assert notice.occurrence == day.occurrence == "date:1:2026-11-28"
    assert notice.due_at == datetime(2026, 11, 25, 8, tzinfo=UTC)  # 09:00 in Berlin
    assert day.due_at == datetime(2026, 11, 28, 8, tzinfo=UTC)
    for reminder in (notice, day):
        assert reminder.occurs_on == date(2026, 11, 28)
        assert (reminder.client_id, reminder.kind, reminder.occasion) == (7, "date", "birthday")
        assert reminder.title == "Anna Berger"
        assert reminder.text == "Anna Berger turns 7 on Sat 28 Nov"


def test_a_date_without_lead_days_has_only_its_day():
    [day] = date_reminders(facts(), window(date(2026, 11, 24)))
    assert day.key == "date:1:2026-11-28:day"


def test_only_reminders_inside_the_window_are_made():
    # The notice (Nov 21) is before the window, the day (Nov 28) inside it.
    [day] = date_reminders(facts(lead_days=7), window(date(2026, 11, 24)))
    assert day.key.endswith(":day")
    assert date_reminders(facts(), window(date(2026, 11, 29), days_ahead=30)) == []


@pytest.mark.parametrize(
    ("year", "words"),
    [
        (2025, "1st"),
        (2024, "2nd"),
        (2023, "3rd"),
        (2022, "4th"),
        (2021, "5th"),
        (2015, "11th"),
        (2014, "12th"),
        (2013, "13th"),
        (2005, "21st"),
        (2004, "22nd"),
        (2003, "23rd"),
        (1915, "111th"),
        (1914, "112th"),
        (1905, "121st"),
    ],
)
def test_wedding_anniversaries_count_with_ordinals(year, words):
    wedding = facts(kind="wedding_anniversary", year=year, couple="Anna & Tom")
    [reminder] = date_reminders(wedding, window(date(2026, 11, 24)))
    assert reminder.text == f"Anna & Tom — {words} wedding anniversary on Sat 28 Nov"
    assert reminder.occasion == "wedding_anniversary"


@pytest.mark.parametrize(
    ("today", "when"),
    [
        (date(2026, 11, 28), "today"),
        (date(2026, 11, 27), "tomorrow"),
        (date(2026, 11, 26), "on Sat 28 Nov"),
        (date(2026, 11, 21), "on Sat 28 Nov"),
    ],
)
def test_when_reads_today_tomorrow_or_the_day(today, when):
    [reminder] = date_reminders(facts(year=2019, person="Maria's child Lea"), window(today))
    assert reminder.text == f"Maria's child Lea turns 7 {when}"


def test_one_year_as_a_client_is_singular():
    [reminder] = date_reminders(facts(kind="client_since", year=2025), window(date(2026, 11, 24)))
    assert reminder.text == "1 year as a client on Sat 28 Nov"


def test_an_unknown_year_never_shows_a_count():
    for kind in ("birthday", "wedding_anniversary", "client_since", "custom"):
        [reminder] = date_reminders(facts(kind=kind, label="Label"), window(date(2026, 11, 27)))
        assert not any(ch.isdigit() for ch in reminder.text), reminder.text
        assert reminder.text.endswith("tomorrow")


@pytest.mark.parametrize(
    ("days_ago", "since"), [(0, "today"), (1, "yesterday"), (97, "97 days ago")]
)
def test_check_in_texts(days_ago, since):
    today = date(2026, 11, 24)
    reminder = check_in_reminder(
        3, "Jens Hoffmann", 90, noon(today - timedelta(days=days_ago)), window(today)
    )
    assert reminder.text == f"Check in with Jens — last contact {since}, every 90 days"
    due_on = today - timedelta(days=days_ago) + timedelta(days=90)
    assert reminder.key == f"check_in:3:{due_on.isoformat()}"
    assert (reminder.occurs_on, reminder.kind, reminder.title) == (
        due_on,
        "check_in",
        "Jens Hoffmann",
    )
    assert reminder.due_at == fire_instant(due_on, NINE, BERLIN)


def test_a_check_in_fires_at_the_reminder_time_in_the_owner_zone():
    today = date(2026, 3, 1)
    reminder = check_in_reminder(
        3, "Jens", 7, noon(today), window(today, at=time(2, 30), zone=NEW_YORK)
    )
    assert reminder.occurs_on == date(2026, 3, 8)  # the spring change in New York
    assert reminder.due_at == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)  # 03:30 EDT


def test_a_follow_up_is_due_at_its_instant_and_reads_in_local_time():
    due = datetime(2026, 11, 24, 13, tzinfo=UTC)
    reminder = follow_up_reminder(5, 7, "Eva Roth", "Deliver the wedding gallery", due, BERLIN)
    assert reminder.key == "follow_up:5:20261124T1300"
    assert (reminder.due_at, reminder.occurs_on) == (due, date(2026, 11, 24))
    assert (reminder.kind, reminder.title) == ("follow_up", "Eva Roth")
    assert reminder.text == "Deliver the wedding gallery — due 14:00"
    late = follow_up_reminder(6, 7, "Eva Roth", "Call", due.astimezone(SYDNEY), SYDNEY)
    assert late.key == "follow_up:6:20261124T1300"  # keyed in UTC whatever zone it came in
    assert late.due_at.tzinfo is UTC
    assert (late.occurs_on, late.text) == (date(2026, 11, 25), "Call — due 00:00")


# --- States --------------------------------------------------------------------------------

NOW = datetime(2026, 11, 28, 12, tzinfo=UTC)


def test_to_notify_decides_by_state_and_time():
    notice, day = date_reminders(facts(lead_days=3), window(date(2026, 11, 24)))
    [coming] = date_reminders(facts(id=2, day=30), window(date(2026, 11, 24)))
    reminders = [day, coming, notice]
    assert to_notify(reminders, {}, NOW) == [notice, day]  # due ones, earliest first
    assert to_notify(reminders, {}, day.due_at) == [notice, day]  # due exactly now counts
    assert to_notify(reminders, {}, day.due_at - timedelta(seconds=1)) == [notice]
    cases = {
        "done": (ReminderProgress(done_at=NOW), []),
        "done after a snooze": (ReminderProgress(snoozed_until=NOW, done_at=NOW), []),
        "notified": (ReminderProgress(notified_at=day.due_at), []),
        "snoozed into the future": (ReminderProgress(snoozed_until=NOW + timedelta(hours=1)), []),
        "snoozed, now past": (ReminderProgress(snoozed_until=NOW - timedelta(hours=1)), [day]),
        "snoozed and notified again": (
            ReminderProgress(notified_at=NOW, snoozed_until=NOW - timedelta(hours=1)),
            [],
        ),
    }
    for name, (state, expected) in cases.items():
        assert to_notify([day], {day.key: state}, NOW) == expected, name


def test_next_fire_time_is_the_earliest_open_moment_after_now():
    notice, day = date_reminders(facts(lead_days=3), window(date(2026, 11, 24)))
    [coming] = date_reminders(facts(id=2, day=30), window(date(2026, 11, 24)))
    reminders = [notice, day, coming]
    assert next_fire_time(reminders, {}, notice.due_at - timedelta(minutes=1)) == notice.due_at
    assert next_fire_time(reminders, {}, notice.due_at) == day.due_at  # strictly after now
    assert next_fire_time(reminders, {}, NOW) == coming.due_at
    assert next_fire_time(reminders, {}, coming.due_at) is None
    done = {coming.key: ReminderProgress(done_at=NOW)}
    assert next_fire_time(reminders, done, NOW) is None
    later = NOW + timedelta(hours=2)
    snoozed = {day.key: ReminderProgress(snoozed_until=later)}
    assert next_fire_time(reminders, snoozed, NOW) == later
    snoozed_past = {day.key: ReminderProgress(snoozed_until=NOW - timedelta(hours=1))}
    assert next_fire_time([day], snoozed_past, NOW) is None


def test_today_groups_one_entry_per_occurrence():
    now = datetime(2026, 11, 24, 12, tzinfo=UTC)  # 13:00 in Berlin
    today = date(2026, 11, 24)
    notice, day = date_reminders(facts(lead_days=3), window(today))  # Nov 25 and Nov 28
    [far] = date_reminders(facts(id=2, day=2, month=12), window(today, days_ahead=9))
    check_in = check_in_reminder(
        3, "Jens Hoffmann", 90, noon(today - timedelta(days=92)), window(today)
    )
    due = datetime(2026, 11, 24, 15, tzinfo=UTC)
    follow_up = follow_up_reminder(5, 8, "Eva Roth", "Deliver the gallery", due, BERLIN)
    reminders = [far, day, follow_up, notice, check_in]

    listed = today_list(reminders, {}, now, BERLIN)
    assert (listed.overdue, listed.today, listed.coming) == ([check_in], [follow_up], [notice])
    assert listed.count_due() == 2
    assert today_list(reminders, {}, now, BERLIN, days_ahead=8).coming == [notice, far]

    # Notified reminders stay listed until done; done ones go.
    notified = {r.key: ReminderProgress(notified_at=now) for r in reminders}
    assert today_list(reminders, notified, now, BERLIN) == listed
    done = {
        check_in.key: ReminderProgress(done_at=now),
        follow_up.key: ReminderProgress(done_at=now),
    }
    assert today_list(reminders, done, now, BERLIN).count_due() == 0

    # A snooze moves the entry to the day it ends; past the week it is not listed.
    states = {
        check_in.key: ReminderProgress(snoozed_until=datetime(2026, 11, 25, 8, tzinfo=UTC)),
        follow_up.key: ReminderProgress(snoozed_until=datetime(2026, 12, 9, 8, tzinfo=UTC)),
        notice.key: ReminderProgress(snoozed_until=datetime(2026, 11, 24, 9, tzinfo=UTC)),
    }
    listed = today_list(reminders, states, now, BERLIN)
    assert (listed.overdue, listed.today, listed.coming) == ([], [notice], [check_in])

    # Its notice snoozed beyond the day itself: the occasion shows once, at the day.
    states = {notice.key: ReminderProgress(snoozed_until=datetime(2026, 11, 29, 8, tzinfo=UTC))}
    listed = today_list([notice, day], states, now, BERLIN)
    assert listed.coming == [day]


def test_today_is_the_owner_local_day():
    now = datetime(2026, 11, 24, 23, 30, tzinfo=UTC)  # already Wednesday in Berlin
    [day] = date_reminders(facts(day=25), window(date(2026, 11, 25), days_back=1))
    assert today_list([day], {}, now, BERLIN).today == [day]
    assert today_list([day], {}, now, NEW_YORK).coming == [day]  # still Tuesday there


# --- What a reminder is and when it counts ---------------------------------------------------

TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.mark.parametrize("hour", [0, 3, 9, 13, 15, 20, 23])
def test_a_check_in_keeps_its_identity_when_the_zone_changes(hour):
    """New York to Tokyo and back: the same contact gives the same check-in, whatever the
    local day it falls due on in each zone."""
    contact = datetime(2026, 8, 19, hour, 30, tzinfo=UTC)
    today = date(2026, 11, 24)
    keys = {
        check_in_reminder(3, "Jens", 90, contact, window(today, zone=zone)).key
        for zone in (NEW_YORK, TOKYO, BERLIN, ZoneInfo("UTC"))
    }
    assert keys == {"check_in:3:2026-11-17"}  # 19 Aug (UTC) + 90 days


def test_a_check_in_remembers_the_key_an_older_rapport_gave_it():
    contact = datetime(2026, 8, 20, 1, 30, tzinfo=UTC)  # 19 Aug, 21:30 in New York
    reminder = check_in_reminder(3, "Jens", 90, contact, window(date(2026, 11, 24), zone=NEW_YORK))
    assert reminder.occurs_on == date(2026, 11, 17)  # the local day it falls due
    assert reminder.key == "check_in:3:2026-11-18"
    assert reminder.former_key == "check_in:3:2026-11-17"


def test_a_delivery_stamped_more_than_a_day_later_than_now_does_not_count():
    """The clock was a year ahead when it was recorded: it notifies on its real day. One a
    wrong zone or a fast clock at boot stamped a few hours ahead was told: it counts."""
    [day] = date_reminders(facts(), window(date(2026, 11, 28)))
    now = datetime(2026, 11, 28, 9, tzinfo=UTC)
    from_the_future = {day.key: ReminderProgress(notified_at=datetime(2027, 11, 30, tzinfo=UTC))}
    assert to_notify([day], from_the_future, now) == [day]
    from_the_past = {day.key: ReminderProgress(notified_at=now - timedelta(minutes=1))}
    assert to_notify([day], from_the_past, now) == []
    for ahead, told_again in ((timedelta(hours=2), []), (timedelta(hours=25), [])):
        stamped = {day.key: ReminderProgress(notified_at=now + ahead)}
        assert to_notify([day], stamped, now) == told_again, ahead
    two_days = {day.key: ReminderProgress(notified_at=now + timedelta(days=2))}
    assert to_notify([day], two_days, now) == [day]


def test_an_event_still_to_come_is_never_overdue():
    """A wedding anniversary on Thu 10 Dec with its reminder a week before, on Sun 6 Dec."""
    wedding = facts(kind="wedding_anniversary", month=12, day=10, year=2021, lead_days=7)
    now = datetime(2026, 12, 6, 10, tzinfo=UTC)
    today = date(2026, 12, 6)
    notice, day = date_reminders(wedding, window(today, days_back=7))
    listed = today_list([notice, day], {}, now, BERLIN)
    assert (listed.overdue, listed.today, listed.coming) == ([], [notice], [])
    assert notice.text == "5th wedding anniversary on Thu 10 Dec"
    assert listed.reminder_since(notice, today, BERLIN) == date(2026, 12, 3)
    # Once the day has passed, it is overdue.
    later = datetime(2026, 12, 11, 10, tzinfo=UTC)
    assert today_list([notice, day], {}, later, BERLIN).overdue == [notice]


def test_a_snoozed_reminder_says_until_when():
    [day] = date_reminders(facts(), window(date(2026, 11, 28)))
    now = datetime(2026, 11, 28, 10, tzinfo=UTC)
    until = datetime(2026, 11, 30, 8, tzinfo=UTC)
    listed = today_list([day], {day.key: ReminderProgress(snoozed_until=until)}, now, BERLIN)
    assert listed.coming == [day]
    assert listed.snoozed(day, now) == until
    assert listed.fires_at(day) == until
    assert listed.snoozed(day, until + timedelta(seconds=1)) is None  # over: due again


@pytest.mark.parametrize(
    ("rule", "on", "age"),
    [
        ("feb28", date(2025, 2, 27), 36),
        ("feb28", date(2025, 2, 28), 37),
        ("mar1", date(2025, 2, 28), 36),
        ("mar1", date(2025, 3, 1), 37),
        ("feb28", date(2028, 2, 28), 39),
        ("feb28", date(2028, 2, 29), 40),
    ],
)
def test_one_age_for_a_leap_day_birthday(rule, on, age):
    """Born 29 Feb 1988: the reminder and the client page count the same years."""
    assert years_since(1988, 2, 29, on, rule) == age
    born = facts(month=2, day=29, year=1988)
    reminders = date_reminders(born, window(on, leap_day_rule=rule))
    for reminder in reminders:
        if reminder.occurs_on == on:
            assert reminder.text == f"Anna Berger turns {age} today"


def test_snoozing_to_tomorrow_means_the_reminder_time_but_never_within_the_hour():
    berlin = ZoneInfo("Europe/Berlin")
    morning = datetime(2026, 11, 24, 10, tzinfo=UTC)
    assert snooze_until("tomorrow", morning, berlin, time(9)) == datetime(
        2026, 11, 25, 8, tzinfo=UTC
    )
    late = datetime(2026, 11, 24, 22, 40, tzinfo=UTC)  # 23:40 in Berlin, reminders at 00:15
    assert snooze_until("tomorrow", late, berlin, time(0, 15)) == late + timedelta(hours=1)


def test_done_logs_a_message_for_a_greeting_a_call_for_a_check_in_nothing_for_a_follow_up():
    assert done_log("date").without_asking == "message"
    assert done_log("check_in").without_asking == "call"
    assert done_log("follow_up") == DoneLog((), None)
    assert "card" in done_log("date").choices and "call" in done_log("check_in").choices
