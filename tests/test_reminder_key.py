"""The reminder key (models/reminders/key.py): one type builds, stores and reads every key,
in the text older databases already hold."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.reminders.key import PHASES, ReminderKey, further_notice, prefix_of

FIXTURES = Path(__file__).parent / "fixtures"

row_ids = st.integers(1, 10**9)
days = st.dates(date(1900, 1, 1), date(2200, 12, 31))
instants = st.datetimes(datetime(1970, 1, 1), datetime(2200, 1, 1), timezones=st.just(UTC))
keys = st.one_of(
    st.builds(ReminderKey.for_date, row_ids, days, st.sampled_from(PHASES)),
    st.builds(ReminderKey.check_in, row_ids, days),
    st.builds(ReminderKey.follow_up, row_ids, instants),
    st.builds(ReminderKey.booking, row_ids, instants, st.sampled_from(PHASES)),
)


@given(
    st.one_of(
        keys,
        st.builds(ReminderKey.for_date, row_ids, days, st.integers(1, 365).map(further_notice)),
        st.builds(ReminderKey.gallery, row_ids, days),
        st.builds(ReminderKey.referral, row_ids, row_ids),
    )
)
def test_the_occurrence_read_from_the_text_is_the_key_s(key):
    assert ReminderKey.occurrence_text(str(key)) == key.occurrence


@given(keys)
def test_every_key_reads_back_from_its_text(key):
    assert ReminderKey.parse(str(key)) == key
    assert str(key).startswith(prefix_of(key.kind, key.row_id))


@pytest.mark.parametrize(
    ("key", "text"),
    [
        (ReminderKey.for_date(12, date(2026, 11, 28), "notice"), "date:12:2026-11-28:notice"),
        (ReminderKey.for_date(12, date(2026, 11, 28), "day"), "date:12:2026-11-28:day"),
        (ReminderKey.check_in(7, date(2026, 3, 1)), "check_in:7:2026-03-01"),
        (
            ReminderKey.follow_up(3, datetime(2026, 11, 24, 13, 0, 59, tzinfo=UTC)),
            "follow_up:3:20261124T1300",
        ),
        (
            ReminderKey.booking(4, datetime(2026, 12, 12, 9, 0, 30, tzinfo=UTC), "notice"),
            "booking:4:20261212T0900:notice",
        ),
    ],
)
def test_the_stored_text_is_the_format_older_databases_hold(key, text):
    assert str(key) == text


def test_a_date_s_notice_and_day_share_one_occurrence():
    notice = ReminderKey.for_date(12, date(2026, 11, 28), "notice")
    day = ReminderKey.for_date(12, date(2026, 11, 28), "day")
    assert notice.occurrence == day.occurrence == "date:12:2026-11-28"
    assert ReminderKey.check_in(7, date(2026, 3, 1)).occurrence == "check_in:7:2026-03-01"
    starts = datetime(2026, 12, 12, 9, tzinfo=UTC)
    booking = [ReminderKey.booking(4, starts, phase) for phase in PHASES]
    assert {key.occurrence for key in booking} == {"booking:4:20261212T0900"}
    assert booking[0].phases() == booking


def _stored_keys(fixture: Path) -> list[str]:
    with sqlite3.connect(f"file:{fixture}?mode=ro", uri=True) as connection:
        tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master")}
        if "reminder_state" not in tables:  # schema 1 kept no reminder states yet
            return []
        return [key for (key,) in connection.execute("SELECT key FROM reminder_state")]


def test_every_key_stored_by_an_older_rapport_parses():
    stored = [key for fixture in sorted(FIXTURES.glob("*.sqlite")) for key in _stored_keys(fixture)]
    assert stored
    for text in stored:
        assert str(ReminderKey.parse(text)) == text


@pytest.mark.parametrize(
    "text",
    ["", "summary", "date:12", "date:x:2026-11-28:day", "date:1:2026-11-28:soon", "wish:1:2"],
)
def test_anything_else_is_no_key(text):
    with pytest.raises(ValueError):
        ReminderKey.parse(text)
