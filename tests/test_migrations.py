"""Every earlier schema opens with the current code; each step is all or nothing."""

from __future__ import annotations

import contextlib
import re
import shutil
import sqlite3
import unicodedata
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from models.accounts.store import ACCOUNT_TABLES
from models.capture.mail_store import MAIL_TABLES
from models.clients.entries import save_note
from models.clients.finder import ClientFilter, client_rows, find_clients, why_matched
from models.clients.saving import save_client
from models.forms.dialog_forms import ClientForm, NoteForm
from models.store import database as database_module
from models.store import migrations, search_index
from models.store.database import APPLICATION_ID, DatabaseOpenError, db
from models.store.entities import ALL_TABLES, Client, ImportantDate, Interaction
from models.store.migrations import SCHEMA_VERSION, open_database
from models.sync.publishing import PublishedItem
from models.sync.state import SYNC_TABLES

FIXTURES = Path(__file__).parent / "fixtures"


def schema_version(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("PRAGMA user_version").fetchone()[0]


def table_columns(path: Path, table: str) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}


@contextlib.contextmanager
def model_without(model: type, *names: str) -> Iterator[None]:
    """The model as an earlier version had it, without the fields `names` (nor their
    accessors: a value set on a row is then no column to write)."""
    fields = {name: model._meta.fields[name] for name in names}
    for name in names:
        model._meta.remove_field(name)
        if model.__dict__.get(name) is not None:
            delattr(model, name)
    try:
        yield
    finally:
        for name, field in fields.items():
            model._meta.add_field(name, field)


# The client's fields that later versions added (version 7's UID, the couples', the care
# loop's).
LATER_CLIENT_FIELDS = (
    "uid", "partner", "no_greetings", "referred_at", "marketing_consent_on", "care_paused_at"
)  # fmt: skip


@pytest.fixture
def close_database():
    yield
    if db.obj is not None:
        db.close()
    db.initialize(None)


def test_there_is_a_fixture_for_every_schema_version():
    versions = sorted(int(p.stem.removeprefix("schema_v")) for p in FIXTURES.glob("schema_v*"))
    assert versions == list(range(1, SCHEMA_VERSION + 1))


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION + 1))
def test_a_database_from_every_earlier_version_opens(tmp_path, version, close_database):
    path = tmp_path / "old.sqlite"
    shutil.copy(FIXTURES / f"schema_v{version}.sqlite", path)
    open_database(path)
    assert schema_version(path) == SCHEMA_VERSION
    zoe = Client.get(Client.first_name == "Zoë")
    assert zoe.sort_name == "zoe martin-dubois"  # filled in by version 3
    assert [c.first_name for c in zoe.referrals] == ["<b>Tom</b>"]
    wedding = zoe.interactions.where(Interaction.kind == "session").get()
    assert wedding.amount == Decimal("2890.50")
    assert wedding.occurred_at.utcoffset().total_seconds() == 0
    years = sorted((d.month, d.day, d.year) for d in ImportantDate.select())
    assert (2, 29, 1992) in years and (11, 3, None) in years
    backups = list(tmp_path.glob("old.schema*.backup.sqlite"))
    assert len(backups) == (1 if version < SCHEMA_VERSION else 0)


def test_models_describe_exactly_the_migrated_tables(database, tmp_path):
    path = Path(database.database)
    for model in (*ALL_TABLES, *ACCOUNT_TABLES, *MAIL_TABLES, PublishedItem, *SYNC_TABLES):
        fields = {field.column_name for field in model._meta.sorted_fields}
        assert fields == table_columns(path, model._meta.table_name), model.__name__


def test_a_new_database_is_marked_as_rapport_s(database):
    assert database.execute_sql("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


def add_test_migration(monkeypatch, *statements: str) -> None:
    """Pretend the next release adds a migration made of `statements`."""
    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS, statements))
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", SCHEMA_VERSION + 1)


def current_database(tmp_path: Path) -> Path:
    path = tmp_path / "rapport.sqlite"
    open_database(path).close()
    db.initialize(None)
    return path


def test_upgrading_backs_up_the_file_first(tmp_path, monkeypatch, close_database):
    path = current_database(tmp_path)
    add_test_migration(monkeypatch, "ALTER TABLE client ADD COLUMN nickname TEXT")
    open_database(path)
    assert schema_version(path) == SCHEMA_VERSION + 1
    assert "nickname" in table_columns(path, "client")
    [backup] = tmp_path.glob("rapport.schema*.backup.sqlite")
    assert schema_version(backup) == SCHEMA_VERSION
    assert "nickname" not in table_columns(backup, "client")


def test_a_failing_step_changes_nothing(tmp_path, monkeypatch):
    path = current_database(tmp_path)
    add_test_migration(
        monkeypatch, "ALTER TABLE client ADD COLUMN nickname TEXT", "THIS IS NOT SQL"
    )
    with pytest.raises(DatabaseOpenError, match="could not open"):
        open_database(path)
    assert schema_version(path) == SCHEMA_VERSION
    assert "nickname" not in table_columns(path, "client")


def fold_before_version_6(text: str | None) -> str:
    """Folding as Rapport did up to schema 5: accents only, "ø" kept."""
    decomposed = unicodedata.normalize("NFKD", (text or "").casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def test_names_and_the_search_index_are_folded_anew_by_version_6(
    tmp_path, monkeypatch, close_database
):
    """A database written with the earlier folding: its index and sort names held "ø",
    so "bjorn" found Bjørn only through his email address."""
    path = tmp_path / "rapport.sqlite"
    shutil.copy(FIXTURES / "schema_v5.sqlite", path)
    # Version 5's clients had no UID, no partner, no consent, no paused care.
    with monkeypatch.context() as before, model_without(Client, *LATER_CLIENT_FIELDS):
        before.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:5])
        before.setattr(migrations, "SCHEMA_VERSION", 5)
        before.setattr(database_module, "fold", fold_before_version_6)
        open_database(path)
        save_client(ClientForm(first_name="Bjørn", last_name="Østergaard", emails="b@x.dk"))
        for first in ("Olaf", "Øystein"):
            olaf = save_client(ClientForm(first_name=first, last_name="Berg"))
        save_note(NoteForm(text="Met on Ærø"), olaf.id)
        db.close()
    assert schema_version(path) == 5

    def rebuild_whole(database) -> None:
        raise AssertionError("the whole index was rebuilt (minutes for a big studio)")

    monkeypatch.setattr(search_index, "rebuild_search_index", rebuild_whole)
    open_database(path)
    assert schema_version(path) == SCHEMA_VERSION
    bjorn = Client.get(Client.first_name == "Bjørn")
    assert bjorn.sort_name == "bjorn ostergaard"
    # Øystein sorted among the O's now, not after the Z's.
    assert [c.first_name for c in Client.select().order_by(Client.sort_name)] == [
        "<b>Tom</b>",
        "Bjørn",
        "Élodie",
        "Olaf",
        "Øystein",
        "Zoë",
    ]
    today = date(2026, 11, 24)
    found = client_rows(find_clients(ClientFilter("ostergaard"), today))
    assert [row.name for row in found] == ["Bjørn Østergaard"]
    assert why_matched([bjorn.id], "bjorn") == {}  # by name, not by the email
    assert why_matched([olaf.id], "aero") == {olaf.id: "note: Met on Ærø"}
    # The index's triggers are back: a change is found at once.
    save_client(ClientForm(first_name="Søren", last_name="Kjær"))
    assert len(find_clients(ClientFilter("kjaer"), today)) == 1


UUID_TEXT = r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"


def test_version_7_gives_every_client_a_uid_of_their_own(tmp_path, close_database):
    path = tmp_path / "rapport.sqlite"
    shutil.copy(FIXTURES / "schema_v6.sqlite", path)
    open_database(path)
    uids = [client.uid for client in Client.select()]
    assert len(uids) == 4 and len(set(uids)) == 4
    assert all(re.fullmatch(UUID_TEXT, uid) for uid in uids)
    new = save_client(ClientForm(first_name="Nina"))  # a new client gets one too
    assert re.fullmatch(UUID_TEXT, Client.get_by_id(new.id).uid)
    assert len({client.uid for client in Client.select()}) == 5
