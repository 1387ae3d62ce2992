"""Opening a Rapport database file safely.

A file is only ever written after it has been checked: it must be missing, empty,
or an SQLite database of a schema version this app understands. Anything else is
refused with a `DatabaseOpenError` whose message tells the user what to do, and
the file is left byte-identical.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from peewee import DatabaseProxy, Model, SqliteDatabase

SQLITE_HEADER = b"SQLite format 3\x00"

# Every connection gets these, including the ones worker threads open later.
PRAGMAS = {"foreign_keys": 1, "journal_mode": "wal", "synchronous": 1}

db = DatabaseProxy()


class BaseModel(Model):
    class Meta:
        database = db
        legacy_table_names = False


class DatabaseOpenError(Exception):
    """The database cannot be opened; the message is meant for the user."""


def check_file_is_usable(path: Path) -> None:
    """Raise DatabaseOpenError unless `path` is missing, empty or an SQLite file."""
    if path.is_dir():
        raise DatabaseOpenError(
            f"{path} is a folder, not a database file. Choose a file name instead."
        )
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        with path.open("rb") as f:
            header = f.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise DatabaseOpenError(
            f"Rapport cannot read {path} ({exc.strerror}). Check the file's permissions."
        ) from exc
    if header != SQLITE_HEADER:
        raise DatabaseOpenError(
            f"{path} is not a Rapport database (it is not an SQLite file). "
            "It was left untouched; choose another file or start with a new one."
        )


def read_schema_version(path: Path) -> int:
    """The file's schema version, read without writing anything (0 for a new file)."""
    if not path.exists() or path.stat().st_size == 0:
        return 0
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            return conn.execute("PRAGMA user_version").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise DatabaseOpenError(
            f"{path} could not be read as a database ({exc}). It was left untouched."
        ) from exc


def connect(path: Path) -> SqliteDatabase:
    """Open `path` (creating its folder) and bind the models to it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    database = SqliteDatabase(str(path), pragmas=PRAGMAS, check_same_thread=False)
    try:
        database.connect()
    except Exception as exc:
        raise DatabaseOpenError(f"Rapport could not open {path}: {exc}") from exc
    db.initialize(database)
    return database
