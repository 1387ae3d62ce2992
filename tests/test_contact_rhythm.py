"""Last contact, check-in and drifting (models/contact_rhythm.py): the SQL that filters the
client list and the Python that explains a client page say the same, in local days, for
any clients, any time and any zone, on a real SQLite file."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.client_finder import ClientFilter, find_clients, next_due_days
from models.contact_rhythm import (
    check_in_day,
    check_in_overdue,
    contacted_at,
    drifting_sql,
    is_drifting,
    local_day,
)
from models.entities import Client, Interaction
from models.settings import drifting_after_months, set_setting

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
            "cadence": st.one_of(st.none(), st.integers(1, 400)),
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
            keep_in_touch_days=facts["cadence"],
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
)
def test_sql_and_python_agree_on_drifting_and_check_ins(database, found, now, zone_name, months):
    zone = ZoneInfo(zone_name)
    set_setting("drifting_after_months", months)
    stored = _store(found)
    today = local_day(now, zone)
    after = drifting_after_months()
    contacted = {c.id: local_day(contacted_at(c), zone) for c in stored}

    drifting = {
        c.id
        for c in stored
        if is_drifting(c.stage, contacted[c.id], c.keep_in_touch_days, today, after)
    }
    overdue = {
        c.id for c in stored if check_in_overdue(contacted[c.id], c.keep_in_touch_days, today)
    }
    due_days = {
        c.id: check_in_day(contacted[c.id], c.keep_in_touch_days)
        for c in stored
        if c.keep_in_touch_days
    }

    assert set(find_clients(ClientFilter(drifting=True), today, zone)) == drifting
    assert (
        set(Client.select(Client.id).where(drifting_sql(today, after, zone)).scalars()) == drifting
    )
    assert set(find_clients(ClientFilter(check_in_overdue=True), today, zone)) == overdue
    assert next_due_days([c.id for c in stored], today, zone) == due_days


def test_an_empty_or_nonsense_drifting_setting_means_the_default_twelve_months(database):
    for typed in ("", "soon", "0", "-3"):
        set_setting("drifting_after_months", typed)
        assert drifting_after_months() == 12
    set_setting("drifting_after_months", "6")
    assert drifting_after_months() == 6


def test_a_late_evening_call_counts_on_its_local_day(database):
    """23:30 in Los Angeles on 1 March is 2 March in UTC: the check-in counts from 1 March."""
    client = Client.create(
        first_name="Lea", keep_in_touch_days=30, created_at=datetime(2025, 1, 1, tzinfo=UTC)
    )
    call = datetime(2026, 3, 2, 7, 30, tzinfo=UTC)
    Interaction.create(client=client, kind="call", occurred_at=call, summary="Call")
    zone = ZoneInfo("America/Los_Angeles")
    assert next_due_days([client.id], date(2026, 3, 5), zone) == {client.id: date(2026, 3, 31)}
    overdue = ClientFilter(check_in_overdue=True)
    assert find_clients(overdue, date(2026, 3, 31), zone) == []
    assert find_clients(overdue, date(2026, 4, 1), zone) == [client.id]
