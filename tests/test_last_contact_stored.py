"""Each client's stored last contact (kept by the database's triggers) is their latest
interaction's time after any sequence of writes: adding, moving, re-dating and deleting
interactions, saving a stale copy of the client, undoing a deletion, upgrading."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.clients.undo import restore_client, snapshot_client
from models.reminders.contact_rhythm import last_contact
from models.store.database import db
from models.store.entities import Client, Interaction
from models.store.migrations import open_database

START = datetime(2024, 1, 1, tzinfo=UTC)
instants = st.integers(0, 2 * 365 * 24).map(lambda hours: START + timedelta(hours=hours))
writes = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.integers(0, 2), instants),
        st.tuples(st.just("redate"), st.integers(0, 20), instants),
        st.tuples(st.just("move"), st.integers(0, 20), st.integers(0, 2)),
        st.tuples(st.just("delete"), st.integers(0, 20), st.none()),
        st.tuples(st.just("save stale copy"), st.integers(0, 2), st.none()),
        st.tuples(st.just("delete and undo"), st.integers(0, 2), st.none()),
    ),
    max_size=14,
)


def assert_kept(clients: list[int]) -> None:
    for client_id in clients:
        assert Client.get_by_id(client_id).last_contact_at == last_contact(client_id)


def nth_interaction(number: int) -> Interaction | None:
    found = list(Interaction.select().order_by(Interaction.id))
    return found[number % len(found)] if found else None


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(writes)
def test_the_stored_last_contact_follows_every_write(database, steps):
    Interaction.delete().execute()
    Client.delete().execute()
    clients = [Client.create(first_name=name).id for name in ("Ada", "Ben", "Cleo")]
    stale = {client_id: Client.get_by_id(client_id) for client_id in clients}
    for step, number, value in steps:
        interaction = nth_interaction(number)
        if step == "add":
            Interaction.create(client=clients[number], kind="call", occurred_at=value, summary="Hi")
        elif step == "redate" and interaction:
            interaction.occurred_at = value
            interaction.save()
        elif step == "move" and interaction:
            interaction.client = clients[value]
            interaction.save()
        elif step == "delete" and interaction:
            interaction.delete_instance()
        elif step == "save stale copy":
            stale[clients[number]].save()  # read before the interactions since
        elif step == "delete and undo":
            snapshot = snapshot_client(clients[number])
            Client.delete_by_id(clients[number])
            restore_client(snapshot)
        assert_kept(clients)


def test_an_upgraded_database_knows_each_client_s_last_contact(tmp_path):
    path = tmp_path / "old.sqlite"
    shutil.copy(Path(__file__).parent / "fixtures" / "schema_v7.sqlite", path)
    database = open_database(path)
    try:
        zoe = Client.get(Client.first_name == "Zoë")
        assert zoe.last_contact_at == datetime(2026, 1, 5, 8, 15, tzinfo=UTC)
        assert_kept([client.id for client in Client.select()])
    finally:
        database.close()
        db.initialize(None)
