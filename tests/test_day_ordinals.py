"""The reminders of a window are read through each date's stored day and notice ordinals
(models/reminders/day_ordinals.py): the database keeps them right on every write, and the
indexed read finds exactly what a pass over every date finds, Feb 29 and zones included."""

from __future__ import annotations

import shutil
from datetime import date, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from models.clients.saving import save_client
from models.forms.dialog_forms import ClientForm
from models.reminders.day_ordinals import (
    day_ordinal,
    day_ordinals_in,
    notice_ordinal,
    notice_ordinals_in,
)
from models.reminders.rules import (
    DateFacts,
    ReminderWindow,
    date_reminders,
    lead_days_list,
    resolve_yearly,
)
from models.reminders.store import _date_reminders, _may_fall_in
from models.store.database import db
from models.store.entities import Client, ImportantDate
from models.store.migrations import open_database

FIXTURES = Path(__file__).parent / "fixtures"
LEAP_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
LEADS = (0, 1, 2, 7, 30, 59, 60, 61, 364, 365)
EVERY_DAY = [(m, d) for m in range(1, 13) for d in range(1, LEAP_MONTH_DAYS[m - 1] + 1)]


def stored_ordinals() -> dict[int, tuple[int, int]]:
    rows = db.execute_sql("SELECT id, day_ordinal, notice_ordinal FROM important_date")
    return {date_id: (day, notice) for date_id, day, notice in rows}


def expected_ordinals() -> dict[int, tuple[int, int]]:
    query = ImportantDate.select(
        ImportantDate.id, ImportantDate.month, ImportantDate.day, ImportantDate.lead_days
    )
    return {
        d.id: (day_ordinal(d.month, d.day), notice_ordinal(d.month, d.day, d.lead_days))
        for d in query
    }


def a_client() -> int:
    return save_client(ClientForm(first_name="Ada")).id


def test_the_database_numbers_every_day_and_lead_as_python_does(database):
    client_id = a_client()
    rows = [
        {"client": client_id, "kind": "birthday", "month": m, "day": d, "lead_days": lead}
        for m, d in EVERY_DAY
        for lead in LEADS
    ]
    for start in range(0, len(rows), 500):
        ImportantDate.insert_many(rows[start : start + 500]).execute()
    assert stored_ordinals() == expected_ordinals()
    assert day_ordinal(2, 29) == 60 and day_ordinal(12, 31) == 366
    assert notice_ordinal(1, 1, 1) == 366 and notice_ordinal(3, 1, 1) == 60


def test_every_write_keeps_the_ordinals_right(database):
    client_id = a_client()
    kept = ImportantDate.create(client=client_id, kind="birthday", month=2, day=29, lead_days=7)
    kept.month, kept.day, kept.lead_days = 12, 31, 365
    kept.save()  # a save from the dialog
    ImportantDate.update(lead_days=3).where(ImportantDate.id == kept.id).execute()
    # A restore or an undo writes whole rows, ordinals and all, as they were read.
    ImportantDate.insert(
        client=client_id,
        kind="custom",
        month=3,
        day=1,
        lead_days=1,
        day_ordinal=0,
        notice_ordinal=0,
    ).execute()
    ImportantDate.update(day_ordinal=1, notice_ordinal=1).execute()  # stale numbers put right
    assert stored_ordinals() == expected_ordinals()
    assert stored_ordinals()[kept.id] == (366, 363)


def test_the_upgrade_numbers_the_dates_already_there(tmp_path):
    path = tmp_path / "old.sqlite"
    shutil.copy(FIXTURES / "schema_v7.sqlite", path)
    database = open_database(path)
    try:
        assert len(stored_ordinals()) == 3  # the fixture's leap-day birthday among them
        assert stored_ordinals() == expected_ordinals()
    finally:
        database.close()
        db.initialize(None)


def test_a_window_of_a_year_or_more_reads_every_date():
    assert notice_ordinals_in(date(2027, 1, 1), date(2027, 12, 31)) is None
    assert day_ordinals_in(date(2027, 1, 1), date(2027, 12, 31)) == [(1, 366)]


def test_a_notice_is_read_on_its_days_and_the_day_after_each():
    """A notice counted back over a common year's February has the stored ordinal of the
    day after its own (models/reminders/day_ordinals.py)."""
    assert notice_ordinals_in(date(2028, 12, 30), date(2029, 1, 2)) == [(1, 3), (365, 366)]
    assert notice_ordinals_in(date(2027, 2, 27), date(2027, 3, 1)) == [(58, 62)]
    assert notice_ordinals_in(date(2026, 11, 17), date(2026, 12, 1)) == [(322, 337)]
    # Feb 29 kept on Feb 28, a year's lead back over a common year's February: Mar 1's number.
    assert notice_ordinal(2, 29, 365) == day_ordinal(3, 1)
    assert notice_ordinals_in(date(2026, 2, 28), date(2026, 2, 28)) == [(59, 61)]


# Leads around a month, February and a year, where a day more or less would show.
NOTICE_LEADS = (1, 2, 3, 7, 28, 29, 30, 31, 58, 59, 60, 61, 100, 200, 300, 364, 365)


@pytest.mark.parametrize("rule", ["feb28", "mar1"])
def test_every_real_notice_is_read_by_its_own_day(rule):
    """On its own, not helped by the read of the date's day: for every day of the year and
    lead, in common and leap years, the stored notice ordinal is read on the real notice."""
    for year in range(2026, 2031):
        for month, day in EVERY_DAY:
            for lead in NOTICE_LEADS:
                notice = resolve_yearly(month, day, year, rule) - timedelta(days=lead)
                ranges = notice_ordinals_in(notice, notice)
                stored = notice_ordinal(month, day, lead)
                assert any(low <= stored <= high for low, high in ranges), (month, day, lead)


def test_a_date_s_own_day_is_read_by_the_window_s_days_exactly():
    assert day_ordinals_in(date(2026, 11, 17), date(2026, 12, 1)) == [(322, 336)]
    assert day_ordinals_in(date(2026, 12, 30), date(2027, 1, 2)) == [(1, 2), (365, 366)]
    # Feb 29 is kept on Feb 28 or Mar 1 in a common year: read when either is in the window.
    assert day_ordinals_in(date(2027, 2, 20), date(2027, 2, 28)) == [(51, 60)]
    assert day_ordinals_in(date(2027, 3, 1), date(2027, 3, 5)) == [(60, 65)]
    assert day_ordinals_in(date(2027, 3, 2), date(2027, 3, 5)) == [(62, 65)]


# --- The indexed read against a pass over every date ----------------------------------------

ZONES = ("Europe/Berlin", "America/New_York", "Australia/Sydney", "Pacific/Kiritimati", "UTC")


# Further notices as stored: none mostly, a week and a day, a value that is no number.
FURTHER = st.sampled_from(["", "", "", "7,1", "30", "x,3", "365"])


@st.composite
def yearly_dates(draw):
    """(month, day, year or None, lead_days, more_lead_days): Feb 29 and the turn of the
    year often."""
    month, day = draw(
        st.sampled_from([(2, 29), (2, 28), (3, 1), (1, 1), (12, 31)]) | st.sampled_from(EVERY_DAY)
    )
    year = draw(st.none() | st.sampled_from([1992, 2000, 2027, 2028]) | st.integers(1900, 2040))
    lead = draw(st.sampled_from(LEADS) | st.integers(0, 365))
    return month, day, year, lead, draw(FURTHER)


@st.composite
def windows(draw):
    today = draw(
        st.dates(date(2026, 1, 1), date(2033, 12, 31))
        | st.sampled_from([date(2028, 2, 29), date(2027, 2, 28), date(2027, 12, 28)])
    )
    before = draw(st.sampled_from([0, 1, 7, 60, 200, 366]))  # a wider look back after a gap
    return ReminderWindow(
        first=today - timedelta(days=before),
        last=today + timedelta(days=draw(st.sampled_from([0, 7, 30]))),
        today=today,
        at=draw(st.sampled_from([time(9), time(0), time(2, 30), time(23, 59)])),
        zone=ZoneInfo(draw(st.sampled_from(ZONES))),
        leap_day_rule=draw(st.sampled_from(["feb28", "mar1"])),
    )


def every_date_reminder(window: ReminderWindow) -> set[tuple]:
    """The straightforward way: every date through the rules, none left out by SQL."""
    found = set()
    for d in ImportantDate.select():
        facts = DateFacts(
            d.id,
            d.client_id,
            "Ada",
            d.kind,
            d.month,
            d.day,
            d.year,
            d.lead_days,
            more_lead_days=lead_days_list(d.more_lead_days),
        )
        found |= {(r.key, r.due_at, r.occurs_on) for r in date_reminders(facts, window)}
    return found


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(yearly_dates(), min_size=1, max_size=25), windows())
@example(
    [(2, 29, None, 0, ""), (3, 1, 2000, 1, "7,1"), (2, 28, None, 365, "")],
    ReminderWindow(
        date(2027, 2, 22), date(2027, 3, 8), date(2027, 3, 1), time(9), ZoneInfo("UTC"), "mar1"
    ),
)
@example(  # kept on Feb 28 in a common year: a day before its number
    [(2, 29, None, 0, "")],
    ReminderWindow(
        date(2027, 2, 20), date(2027, 2, 28), date(2027, 2, 28), time(9), ZoneInfo("UTC")
    ),
)
@example(  # its notice a year ahead, counted back over a common year's February
    [(2, 29, 1992, 365, "30"), (3, 1, None, 365, "")],
    ReminderWindow(
        date(2026, 2, 21), date(2026, 2, 28), date(2026, 2, 28), time(0), ZoneInfo("UTC")
    ),
)
def test_the_indexed_read_finds_what_a_pass_over_every_date_finds(database, dates, window):
    ImportantDate.delete().execute()
    client_id = Client.select(Client.id).scalar() or a_client()
    for month, day, year, lead, further in dates:
        ImportantDate.create(
            client=client_id,
            kind="birthday",
            month=month,
            day=day,
            year=year,
            lead_days=lead,
            more_lead_days=further,
        )
    found = {(r.key, r.due_at, r.occurs_on) for r in _date_reminders(window)}
    assert found == every_date_reminder(window)


def test_a_window_reads_its_dates_through_indexes_alone(database):
    """The dates with further notices have their own index: no scan of every date."""
    window = ReminderWindow(
        date(2026, 11, 24), date(2026, 12, 1), date(2026, 11, 24), time(9), ZoneInfo("UTC")
    )
    sql, params = ImportantDate.select(ImportantDate.id).where(_may_fall_in(window)).sql()
    plan = [row[-1] for row in db.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params)]
    assert "MULTI-INDEX OR" in plan
    assert not [step for step in plan if step.startswith("SCAN")], plan
    assert any("important_date_more_lead_days" in step for step in plan), plan
    # Only the dates with a lead time have their notices indexed (migration 20).
    assert any("important_date_notice_ordinal" in step for step in plan), plan
