"""Fuzzing the whole import on a real database: damaged files, read, planned and written.

Whatever the file, nothing escapes but UnreadableFile, every record the plan keeps is
written, and an import stopped at any point (a cancel, or an error from the database)
leaves every table exactly as it was.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.clients.saving import save_client
from models.exchange.importing.apply import apply_import
from models.exchange.importing.plan import plan_import
from models.exchange.importing.records import UnreadableFile
from models.exchange.importing.vcard_reader import read_vcards
from models.forms.dialog_forms import ClientForm
from models.store.entities import Client
from tests.database_dump import dump_tables
from tests.test_import_fuzz import VCARDS, damaged, fuzz


def on_the_database(examples: int) -> settings:
    """The readers' fuzz settings; the database fixture is shared by the examples, which
    is the point: each one must leave it as it found it."""
    parent = fuzz(examples)
    checks = [*parent.suppress_health_check, HealthCheck.function_scoped_fixture]
    return settings(parent, suppress_health_check=checks)


class Stop(Exception):
    """Stands in for an error from the database in the middle of an import."""


@pytest.fixture
def studio(database):
    save_client(ClientForm(first_name="Anna", last_name="Berger", emails="anna@example.org"))
    return database


def _plan(data: bytes):
    try:
        return plan_import(read_vcards(data))
    except UnreadableFile:
        return None


@on_the_database(150)
@given(data=damaged(VCARDS), stop_after=st.integers(0, 30), raise_error=st.booleans())
def test_a_stopped_import_changes_nothing(studio, data, stop_after, raise_error):
    plan = _plan(data)
    if plan is None:
        return
    before = dump_tables()

    def progress(done: int, total: int) -> bool:
        if done >= min(stop_after, total):
            if raise_error:
                raise Stop
            return False
        return True

    try:
        outcome = apply_import(plan, plan.merge_choices(), progress)
    except Stop:
        outcome = None
    assert outcome is None or outcome.cancelled
    assert dump_tables() == before


@on_the_database(150)
@given(data=damaged(VCARDS))
def test_every_planned_record_is_written(studio, data):
    plan = _plan(data)
    if plan is None:
        return
    clients_before = Client.select().count()
    outcome = apply_import(plan)
    new_people = sum(1 for planned in plan.records if planned.match is None)
    assert len(outcome.added) == new_people
    assert Client.select().count() == clients_before + new_people
    for client_id in outcome.added:  # undo this example's clients for the next one
        Client.delete_by_id(client_id)
