"""A window's check-ins are built with what they share worked out once (models/reminders/
rules.py `CheckIns`, `ReminderKey.check_in_text`): each must equal the check-in
built step by step, as the rule reads, in any zone, around Feb 29 and DST changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from models.reminders.contact_rhythm import check_in_day, day_in_zone
from models.reminders.key import ReminderKey
from models.reminders.rules import (
    CheckIns,
    Reminder,
    ReminderWindow,
    check_in_reminder,
    fire_instant,
)

ZONES = [
    ZoneInfo(key)
    for key in (
        "UTC",
        "Europe/Berlin",
        "America/New_York",
        "Australia/Lord_Howe",  # a half-hour DST change
        "Asia/Kathmandu",  # a quarter-hour offset
        "Pacific/Apia",  # skipped a whole day (30 Dec 2011)
        "Pacific/Kiritimati",  # UTC+14
        "Pacific/Niue",  # UTC-11
    )
]


def step_by_step(
    client_id: int, name: str, check_in_days: int, last_contact: datetime, window: ReminderWindow
) -> Reminder:
    """The check-in as the rule reads, nothing shared between check-ins."""
    contacted_on = day_in_zone(last_contact, window.zone)
    due_on = check_in_day(contacted_on, check_in_days)
    ago = (window.today - contacted_on).days
    since = "today" if ago == 0 else ("yesterday" if ago == 1 else f"{ago} days ago")
    key_day = check_in_day(day_in_zone(last_contact, UTC), check_in_days)
    return Reminder(
        key=str(ReminderKey.check_in(client_id, key_day)),
        former_key=str(ReminderKey.check_in(client_id, due_on)) if key_day != due_on else "",
        client_id=client_id,
        kind="check_in",
        due_at=datetime.combine(due_on, window.at, tzinfo=window.zone).astimezone(UTC),
        occurs_on=due_on,
        title=name,
        text=f"Check in with {name.split()[0]} — last contact {since}, every {check_in_days} days",
    )


# Contacts bunched around leap days and year ends, where a day off would show.
leap_days = st.sampled_from([date(2024, 2, 29), date(2028, 2, 29), date(2011, 12, 30)])
contacts = st.one_of(
    st.datetimes(datetime(1990, 1, 1), datetime(2040, 12, 31)),
    st.builds(
        lambda day, minutes: datetime.combine(day, time()) + timedelta(minutes=minutes),
        leap_days,
        st.integers(-2 * 24 * 60, 2 * 24 * 60),
    ),
).map(lambda instant: instant.replace(tzinfo=UTC))


@settings(max_examples=300, deadline=None)
@given(
    checks=st.lists(
        st.tuples(
            st.integers(1, 10**6),
            st.sampled_from(["Anna Berg", "Jens", "Zoë Ä. Müller"]),
            st.integers(1, 800),
            contacts,
        ),
        min_size=1,
        max_size=30,
    ),
    zone=st.sampled_from(ZONES),
    today=st.one_of(st.dates(date(2000, 1, 1), date(2040, 12, 31)), leap_days),
    at=st.times(),
)
def test_each_check_in_equals_the_one_built_step_by_step(checks, zone, today, at):
    window = ReminderWindow(today - timedelta(days=3), today + timedelta(days=7), today, at, zone)
    # Many check-ins in one window, as a window's thousands share their days' words.
    check_ins = CheckIns(window)
    for client_id, name, days, contact in checks:
        expected = step_by_step(client_id, name, days, contact, window)
        utc_day, local_day = day_in_zone(contact, UTC), day_in_zone(contact, zone)
        assert check_ins.reminder(client_id, name, days, utc_day, local_day) == expected
        assert check_in_reminder(client_id, name, days, contact, window) == expected


@given(client_id=st.integers(1, 10**9), day=st.dates())
def test_the_key_text_is_the_key(client_id, day):
    assert ReminderKey.check_in_text(client_id, day) == str(ReminderKey.check_in(client_id, day))
    assert ReminderKey.parse(ReminderKey.check_in_text(client_id, day)).day == day


def test_the_fire_instant_is_the_rules(client_id=7):
    """A check-in falling on a spring-forward day fires as `fire_instant` says (fold=0)."""
    berlin = ZoneInfo("Europe/Berlin")
    today = date(2026, 3, 29)
    window = ReminderWindow(today, today + timedelta(days=7), today, time(2, 30), berlin)
    contact = datetime(2026, 3, 19, 12, tzinfo=UTC)
    reminder = check_in_reminder(client_id, "Anna Berg", 10, contact, window)
    assert reminder.due_at == fire_instant(today, time(2, 30), berlin)
    assert reminder.due_at == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # 03:30 local
