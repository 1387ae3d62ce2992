"""Last contact, check-in and drifting (models/reminders/contact_rhythm.py): the SQL that filters
the client list and the Python that explains a client page say the same, in local days, for
any clients, any time and any zone, on a real SQLite file."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.clients.finder import ClientFilter, find_clients, next_due_days
from models.reminders.contact_rhythm import (
    check_in_day,
    check_in_overdue,
    contacted_at,
    day_in_zone,
    drifting_sql,
    is_drifting,
)
from models.store.entities import Client, Interaction
from models.store.settings import drifting_after_months, set_setting

ZONES = [
    "UTC",
    "Europe/Berlin",
    "America/Los_Angeles",
    "Pacific/Kiritimati",  # UTC+14: its day is two days from Pago Pago's
    "Pacific/Pago_Pago",
    "Australia/Lord_Howe",  # half-hour DST
    "America/Santiago",  # DST changes at midnight
    "Asia/Kathmandu",
]
START = datetime(2024, 1, 1, tzinfo=UTC)

instants = st.integers(0, 3 * 365 * 24 * 60).map(lambda minutes: START + timedelta(minutes=minutes))
clients = st.lists(
    st.fixed_dictionaries(
        {
            "created_at": instants,
            "contacts": st.lists(instants, max_size=3),
            "check_in_days": st.one_of(st.none(), st.integers(1, 400)),
            "stage": st.sampled_from(["lead", "customer", "client", "past"]),
        }
    ),
    min_size=1,
    max_size=6,
)


def _store(found: list[dict]) -> list[Client]:
    Interaction.delete().execute()
    Client.delete().execute()
    stored = []
    for number, facts in enumerate(found):
        client = Client.create(
            first_name=f"Client {number}",
            stage=facts["stage"],
            check_in_days=facts["check_in_days"],
            created_at=facts["created_at"],
        )
        for at in facts["contacts"]:
            Interaction.create(client=client, kind="call", occurred_at=at, summary="Call")
        stored.append(client)
    return stored


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    found=clients,
    now=instants,
    zone_name=st.sampled_from(ZONES),
    months=st.sampled_from(["", "x", "0", "1", "3", "12", "24"]),
    since_days=st.integers(-3, 800),
)
def test_sql_and_python_agree_on_drifting_and_check_ins(
    database, found, now, zone_name, months, since_days
):
    zone = ZoneInfo(zone_name)
    set_setting("drifting_after_months", months)
    stored = _store(found)
    today = day_in_zone(now, zone)
    after = drifting_after_months()
    contacted = {c.id: day_in_zone(contacted_at(c), zone) for c in stored}

    drifting = {
        c.id for c in stored if is_drifting(c.stage, contacted[c.id], c.check_in_days, today, after)
    }
    overdue = {c.id for c in stored if check_in_overdue(contacted[c.id], c.check_in_days, today)}
    due_days = {
        c.id: check_in_day(contacted[c.id], c.check_in_days) for c in stored if c.check_in_days
    }

    assert set(find_clients(ClientFilter(drifting=True), today, zone)) == drifting
    assert (
        set(Client.select(Client.id).where(drifting_sql(today, after, zone)).scalars()) == drifting
    )
    assert set(find_clients(ClientFilter(check_in_overdue=True), today, zone)) == overdue
    assert next_due_days([c.id for c in stored], today, zone) == due_days
    since = today - timedelta(days=since_days)
    quiet = {c.id for c in stored if contacted[c.id] < since}
    assert set(find_clients(ClientFilter(no_contact_since=since), today, zone)) == quiet


@pytest.mark.parametrize("machine_zone", ["America/Santiago", "Australia/Lord_Howe", "Asia/Tokyo"])
def test_the_filters_count_in_the_machine_s_zone_when_given_none(
    database, monkeypatch, machine_zone
):
    """The client list passes no zone: the machine's, including its changes of the clock."""
    monkeypatch.setenv("TZ", machine_zone)
    time.tzset()
    try:
        today = date(2026, 4, 10)
        stored = _store(
            [
                {"created_at": START + timedelta(hours=7 * n), "contacts": [], "stage": "client",
                 "check_in_days": 1 + n % 400}
                for n in range(0, 3 * 365 * 24, 97)
            ]
        )  # fmt: skip
        contacted = {c.id: day_in_zone(contacted_at(c)) for c in stored}
        overdue = {
            c.id for c in stored if check_in_overdue(contacted[c.id], c.check_in_days, today)
        }
        drifting = {
            c.id
            for c in stored
            if is_drifting(c.stage, contacted[c.id], c.check_in_days, today, 12)
        }
        assert set(find_clients(ClientFilter(check_in_overdue=True), today)) == overdue
        assert set(find_clients(ClientFilter(drifting=True), today)) == drifting
        assert 0 < len(overdue) < len(stored)
    finally:
        monkeypatch.undo()
        time.tzset()


def test_an_empty_or_nonsense_drifting_setting_means_the_default_twelve_months(database):
    for typed in ("", "soon", "0", "-3"):
        set_setting("drifting_after_months", typed)
        assert drifting_after_months() == 12
    set_setting("drifting_after_months", "6")
    assert drifting_after_months() == 6


def test_a_late_evening_call_counts_on_its_local_day(database):
    """23:30 in Los Angeles on 1 March is 2 March in UTC: the check-in counts from 1 March."""
    client = Client.create(
        first_name="Lea", check_in_days=30, created_at=datetime(2025, 1, 1, tzinfo=UTC)
    )
    call = datetime(2026, 3, 2, 7, 30, tzinfo=UTC)
    Interaction.create(client=client, kind="call", occurred_at=call, summary="Call")
    zone = ZoneInfo("America/Los_Angeles")
    assert next_due_days([client.id], date(2026, 3, 5), zone) == {client.id: date(2026, 3, 31)}
    overdue = ClientFilter(check_in_overdue=True)
    assert find_clients(overdue, date(2026, 3, 31), zone) == []
    assert find_clients(overdue, date(2026, 4, 1), zone) == [client.id]
