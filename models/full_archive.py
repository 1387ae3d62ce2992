"""Everything in the database as one .zip: moving to another computer, or keeping a copy
that any program can read.

The zip holds `rapport.json` (every table's rows exactly as stored: amounts as decimal
text, instants as UTC text, the schema version) and each client's photo as
`photos/<client id>.<ext>`. Importing it into an empty database gives back the same
rows with the same ids; an archive is never mixed into a database that has clients.
"""

from __future__ import annotations

import io
import itertools
import json
import sqlite3
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from peewee import IntegrityError

from models.database import db
from models.entities import ALL_TABLES, Client, ClientPhoto, Setting, Tag
from models.image_types import image_type
from models.importing.records import UnreadableFile
from models.migrations import SCHEMA_VERSION
from models.private_files import replacing

FORMAT = "rapport-archive"
DATA_NAME = "rapport.json"
PHOTO_TABLE = ClientPhoto._meta.table_name
STORED_TYPES = (str, int, float, type(None))
COLUMNS = {
    model._meta.table_name: [field.column_name for field in model._meta.sorted_fields]
    for model in ALL_TABLES
}


class ArchiveError(UnreadableFile):
    """The file is not an archive Rapport can import; the message says why."""


class DatabaseNotEmpty(Exception):
    """An archive is imported only into an empty database."""


@dataclass
class Archive:
    schema_version: int
    tables: dict[str, list[dict]]  # table name -> rows (column -> stored value)

    @property
    def client_count(self) -> int:
        return len(self.tables.get(Client._meta.table_name, []))


def write_archive(target: Path) -> int:
    """Write the whole database to `target` (all or nothing); how many clients it holds.

    Rows are read and written one at a time: a large database does not fit in memory
    as one JSON text (20,000 clients with their history took 1.4 GB that way)."""
    # One consistent snapshot, even while the app writes; it only reads: DEFERRED.
    with (
        replacing(target, "wb") as file,
        db.atomic("DEFERRED"),
        zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED) as zipped,
    ):
        clients = Client.select().count()
        for row in _rows(PHOTO_TABLE):  # zip members are written one after another
            zipped.writestr(_photo_name(row), row["image"])
        with zipped.open(DATA_NAME, "w") as raw, io.TextIOWrapper(raw, "utf-8") as out:
            _write_tables(out)
    return clients


def _rows(table: str) -> Iterator[dict]:
    columns = COLUMNS[table]
    cursor = db.execute_sql(f"SELECT {', '.join(columns)} FROM {table} ORDER BY rowid")
    for values in cursor:
        yield dict(zip(columns, values, strict=True))


def _write_tables(out: io.TextIOBase) -> None:
    """{"format": …, "schema_version": …, "tables": {table: [row, …], …}}, a row a line."""
    out.write(f'{{"format": {json.dumps(FORMAT)}, "schema_version": {SCHEMA_VERSION}, "tables": {{')
    for number, table in enumerate(COLUMNS):
        out.write(f"{',' if number else ''}\n{json.dumps(table)}: [")
        for index, row in enumerate(_rows(table)):
            if table == PHOTO_TABLE:
                row = row | {"image": _photo_name(row)}  # the photo itself is its own file
            out.write(("," if index else "") + "\n" + json.dumps(row, ensure_ascii=False))
        out.write("]")
    out.write("}}\n")


def _photo_name(row: dict) -> str:
    return f"photos/{row['client_id']}.{image_type(row['image'])[1]}"


def read_archive(path: Path) -> Archive:
    """The archive's rows, checked; ArchiveError when it is not one Rapport can import."""
    try:
        with zipfile.ZipFile(path) as zipped:
            data = json.loads(zipped.read(DATA_NAME))
            _check(data, path)
            tables = data["tables"]
            tables[PHOTO_TABLE] = [
                row | {"image": zipped.read(row["image"])} for row in tables.get(PHOTO_TABLE, [])
            ]
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, AttributeError) as error:
        raise ArchiveError(
            f"{path} is not a Rapport archive, or it is damaged ({error})."
        ) from error
    except OSError as error:
        raise ArchiveError(f"Rapport cannot read {path} ({error.strerror}).") from error
    return Archive(data["schema_version"], tables)


def _check(data: dict, path: Path) -> None:
    if data.get("format") != FORMAT or not isinstance(data.get("schema_version"), int):
        raise ValueError(f"{DATA_NAME} is not a Rapport archive's")
    if data["schema_version"] > SCHEMA_VERSION:
        raise ArchiveError(
            f"{path} was written by a newer version of Rapport (schema "
            f"{data['schema_version']}; this version understands up to {SCHEMA_VERSION}). "
            "Update Rapport to import it."
        )
    for table, rows in data["tables"].items():
        if table not in COLUMNS:
            raise ValueError(f"unknown table {table}")
        unknown = {column for row in rows for column in row} - set(COLUMNS[table])
        if unknown:
            raise ValueError(f"unknown columns {', '.join(sorted(unknown))} in {table}")
        if not all(isinstance(value, STORED_TYPES) for row in rows for value in row.values()):
            raise ValueError(f"a value in {table} is not text, a number or empty")


def import_archive(path: Path) -> Archive:
    """Fill an empty database with the archive's rows, all or nothing."""
    archive = read_archive(path)
    restore(archive)
    return archive


def restore(archive: Archive) -> None:
    """Write a read archive into an empty database, all or nothing."""
    try:
        with db.atomic():
            if Client.select().exists() or Tag.select().exists():
                raise DatabaseNotEmpty(
                    "This database already has clients. An archive is imported only into "
                    "a new, empty database, so that nothing mixes: choose a new database "
                    "file and import it there."
                )
            # Clients may refer to clients stored after them: check references at commit.
            db.execute_sql("PRAGMA defer_foreign_keys = ON")
            Setting.delete().execute()  # the archive's settings, not a new database's
            for table, rows in archive.tables.items():
                _insert(table, rows)
    except (IntegrityError, sqlite3.DatabaseError) as error:  # a hand-edited archive
        raise ArchiveError(f"The archive is damaged ({error}); nothing was imported.") from error


def _insert(table: str, rows: list[dict]) -> None:
    # Rows are written with the columns they have: an older archive lacks newer ones,
    # which then get their defaults.
    for columns, group in itertools.groupby(rows, key=lambda row: tuple(row)):
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        db.cursor().executemany(sql, [tuple(row.values()) for row in group])
