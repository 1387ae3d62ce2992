"""Opening a database file: what is refused is left byte-identical, with a clear message."""

from __future__ import annotations

import sqlite3
import stat
import threading
from pathlib import Path

import pytest

from models.store import database as database_module
from models.store import migrations
from models.store.database import DatabaseOpenError, db
from models.store.entities import Client
from models.store.migrations import SCHEMA_VERSION, open_database


def refused_untouched(path, match: str) -> None:
    before = path.read_bytes()
    siblings = set(path.parent.iterdir())
    with pytest.raises(DatabaseOpenError, match=match):
        open_database(path)
    assert path.read_bytes() == before
    assert set(path.parent.iterdir()) == siblings  # no -wal, -shm or backup files


def test_a_text_file_named_sqlite_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "clients.sqlite"
    path.write_text("name,phone\nAnna,+49 151 1234567\n")
    refused_untouched(path, "not an SQLite file")


def test_another_program_s_sqlite_file_is_refused(tmp_path):
    path = tmp_path / "places.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    refused_untouched(path, "another program")


def test_a_database_from_a_newer_rapport_is_refused(tmp_path):
    path = tmp_path / "future.sqlite"
    open_database(path).close()
    db.initialize(None)
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        conn.execute("PRAGMA journal_mode = delete")
    refused_untouched(path, "newer version of Rapport")


def test_a_damaged_database_is_refused(tmp_path):
    path = tmp_path / "damaged.sqlite"
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 2000)
    refused_untouched(path, "damaged")


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(DatabaseOpenError, match="is a folder"):
        open_database(tmp_path)


def test_a_missing_folder_is_created(tmp_path):
    path = tmp_path / "new" / "deeper" / "rapport.sqlite"
    open_database(path)
    Client.create(first_name="Anna")
    db.close()
    db.initialize(None)
    open_database(path)
    assert [c.first_name for c in Client.select()] == ["Anna"]


def pragmas(conn) -> tuple:
    return tuple(
        conn.execute_sql(f"PRAGMA {name}").fetchone()[0]
        for name in ("foreign_keys", "journal_mode", "synchronous")
    )


def test_every_connection_enforces_foreign_keys_in_wal_mode(database):
    assert pragmas(database) == (1, "wal", 1)
    seen = []
    # peewee opens one connection per thread; a worker's must get the pragmas too.
    worker = threading.Thread(target=lambda: seen.append(pragmas(database)))
    worker.start()
    worker.join()
    assert seen == [(1, "wal", 1)]


def test_a_locked_database_says_so_and_changes_nothing(tmp_path, monkeypatch):
    path = tmp_path / "rapport.sqlite"
    open_database(path).close()
    db.initialize(None)
    monkeypatch.setattr(database_module, "BUSY_TIMEOUT_SECONDS", 0.1)
    monkeypatch.setattr(
        migrations, "MIGRATIONS", (*migrations.MIGRATIONS, ("CREATE TABLE later (id)",))
    )
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    other = sqlite3.connect(path)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseOpenError, match="in use by another program"):
            open_database(path)
    finally:
        other.rollback()
        other.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_relative_path_opens(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    database = open_database(Path("studio.sqlite"))
    try:
        assert Path(database.database) == tmp_path / "studio.sqlite"
    finally:
        database.close()
        db.initialize(None)


def test_a_new_database_and_its_journal_are_the_owner_s_alone(tmp_path):
    database = open_database(tmp_path / "new" / "rapport.sqlite")
    try:
        for name in ("rapport.sqlite", "rapport.sqlite-wal", "rapport.sqlite-shm"):
            mode = stat.S_IMODE((tmp_path / "new" / name).stat().st_mode)
            assert mode == 0o600, name
    finally:
        database.close()
        db.initialize(None)
