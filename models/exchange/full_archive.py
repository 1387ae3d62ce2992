"""Everything in the database as one .zip: moving to another computer, or keeping a copy
that any program can read.

The zip holds `rapport.json` (every table's rows exactly as stored: amounts as decimal
text, instants as UTC text, the schema version) and each client's photo as
`photos/<client id>.<ext>`. Importing it into an empty database gives back the same
rows with the same ids; an archive is never mixed into a database that has clients.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import re
import sqlite3
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from peewee import IntegrityError

from models.exchange.archive_values import stored_values
from models.exchange.importing.plan import MAX_PHOTO_BYTES
from models.exchange.importing.records import UnreadableFile
from models.store.database import db
from models.store.entities import ALL_TABLES, Client, ClientPhoto, Setting, Tag, new_uid
from models.store.migrations import SCHEMA_VERSION
from models.store.private_files import replacing
from models.store.settings import PORTABLE_SETTINGS
from models.values.image_types import image_type

FORMAT = "rapport-archive"
DATA_NAME = "rapport.json"
CLIENT_TABLE = Client._meta.table_name
PHOTO_TABLE = ClientPhoto._meta.table_name
SETTING_TABLE = Setting._meta.table_name
STORED_TYPES = (str, int, float, type(None))
# What an archive may unpack to, so that a crafted one (a "zip bomb": gigabytes of blanks
# in a small file) is refused in words instead of filling memory or the disk. An archive
# of 100,000 clients with a million history items holds 355 MB of rapport.json.
MAX_DATA_BYTES = 2 * 2**30
MAX_ROW_CHARS = 32 * 2**20  # one row, the most read into memory at once
PIECE_CHARS = 2**20
BATCH_ROWS = 500
COLUMNS = {
    model._meta.table_name: [field.column_name for field in model._meta.sorted_fields]
    for model in ALL_TABLES
}


class ArchiveError(UnreadableFile):
    """The file is not an archive Rapport can import; the message says why."""


class DatabaseNotEmpty(Exception):
    """An archive is imported only into an empty database."""


@dataclass(frozen=True)
class Archive:
    """An archive that passed its check; restoring reads it again, a row at a time."""

    path: Path
    schema_version: int
    row_counts: dict[str, int]  # table name -> rows

    @property
    def client_count(self) -> int:
        return self.row_counts.get(Client._meta.table_name, 0)


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
    """The archive, checked from end to end (a row at a time, in bounded memory);
    ArchiveError when it is not one Rapport can import, or exceeds the limits."""
    counts: dict[str, int] = {}
    with _opened(path) as (zipped, header):
        for table, row in _checked_rows(zipped, header, path):
            counts[table] = counts.get(table, 0) + 1
            if table == PHOTO_TABLE:
                _photo_info(zipped, row, path)
    return Archive(path, header["schema_version"], counts)


@contextlib.contextmanager
def _opened(path: Path) -> Iterator[tuple[zipfile.ZipFile, dict]]:
    """The zip, and a dict that fills with rapport.json's header as its rows are read;
    every way the file can be wrong becomes an ArchiveError."""
    try:
        with zipfile.ZipFile(path) as zipped:
            size = zipped.getinfo(DATA_NAME).file_size
            if size > MAX_DATA_BYTES:
                raise ArchiveError(_too_large(path, f"its {DATA_NAME} unpacks to {size:,} bytes"))
            yield zipped, {}
    # RuntimeError: encrypted, or packed in a way zipfile cannot unpack.
    except (
        zipfile.BadZipFile,
        zlib.error,
        RuntimeError,
        LookupError,
        ValueError,
        TypeError,
        EOFError,
    ) as error:
        raise ArchiveError(
            f"{path} is not a Rapport archive, or it is damaged ({error})."
        ) from error
    except OSError as error:
        raise ArchiveError(f"Rapport cannot read {path} ({error.strerror}).") from error


def _too_large(path: Path, what: str) -> str:
    return (
        f"{path} was not imported: {what}, more than Rapport reads from an archive "
        f"({MAX_DATA_BYTES // 2**30} GB of data, {MAX_ROW_CHARS // 2**20} MB for one row, "
        f"{MAX_PHOTO_BYTES // 2**20} MB for one photo). It is damaged, or not one Rapport wrote."
    )


def _checked_rows(zipped: zipfile.ZipFile, header: dict, path: Path) -> Iterator[tuple[str, dict]]:
    """rapport.json's rows as (table, row), one at a time, each checked; `header` gets
    the format and schema version, which come before the tables."""
    with zipped.open(DATA_NAME) as raw:
        reader = _JsonReader(io.TextIOWrapper(raw, "utf-8"), path)
        reader.expect("{")
        for _ in _members(reader, "}"):
            key = reader.value()
            reader.expect(":")
            if key == "tables":
                _check_header(header, path)
                yield from _table_rows(reader)
            else:
                header[key] = reader.value()
        reader.expect("")  # nothing after the end
    _check_header(header, path)


def _table_rows(reader: _JsonReader) -> Iterator[tuple[str, dict]]:
    """{"client": [row, …], …}: each row as it is read."""
    reader.expect("{")
    for _ in _members(reader, "}"):
        table = reader.value()
        if table not in COLUMNS:
            raise ValueError(f"unknown table {table}")
        reader.expect(":")
        reader.expect("[")
        for _ in _members(reader, "]"):
            yield table, _checked_row(table, reader.value())


def _members(reader: _JsonReader, close: str) -> Iterator[None]:
    """Steps through an object's or array's members, separated by commas, up to and
    including `close`: the caller reads each member when this yields."""
    while reader.peek() != close:
        yield
        if reader.peek() != close:
            reader.expect(",")
    reader.expect(close)


def _check_header(header: dict, path: Path) -> None:
    if header.get("format") != FORMAT or not isinstance(header.get("schema_version"), int):
        raise ValueError(f"{DATA_NAME} is not a Rapport archive's")
    if header["schema_version"] > SCHEMA_VERSION:
        raise ArchiveError(
            f"{path} was written by a newer version of Rapport (schema "
            f"{header['schema_version']}; this version understands up to {SCHEMA_VERSION}). "
            "Update Rapport to import it."
        )


def _checked_row(table: str, row: object) -> dict:
    """`row` with its values as Rapport stores them; ValueError when it cannot be one."""
    if not isinstance(row, dict):
        raise ValueError(f"a row of {table} is not a set of columns")
    unknown = set(row) - set(COLUMNS[table])
    if unknown:
        raise ValueError(f"unknown columns {', '.join(sorted(unknown))} in {table}")
    if not all(isinstance(value, STORED_TYPES) for value in row.values()):
        raise ValueError(f"a value in {table} is not text, a number or empty")
    return stored_values(table, row)


def _photo_info(zipped: zipfile.ZipFile, row: dict, path: Path) -> zipfile.ZipInfo:
    info = zipped.getinfo(row["image"])  # KeyError: a photo named but missing
    if info.file_size > MAX_PHOTO_BYTES:
        raise ArchiveError(
            _too_large(path, f"the photo {info.filename} is {info.file_size:,} bytes")
        )
    return info


class _JsonReader:
    """JSON text read a piece at a time: each value (a whole row) decoded by Python's C
    decoder, the braces, brackets and commas between values stepped over here. Memory
    holds one piece and one row, whatever the layout (a row a line, or indented)."""

    def __init__(self, text: io.TextIOBase, path: Path):
        self._text, self._path = text, path
        self._buffer, self._at, self._ended = "", 0, False

    def peek(self) -> str:
        """The next character that is not white space ("" at the end), left unread."""
        blank = 0
        while True:
            found = _NOT_SPACE.search(self._buffer, self._at)
            if found:
                self._at = found.start()
                return found.group()
            blank += len(self._buffer) - self._at
            if blank > MAX_ROW_CHARS:  # Rapport indents by a few spaces at most
                raise ArchiveError(_too_large(self._path, "it holds a long run of blanks"))
            self._buffer, self._at = "", 0
            if not self._read_more():
                return ""

    def expect(self, character: str) -> None:
        found = self.peek()
        if found != character:
            raise ValueError(f"{DATA_NAME} has {found or 'its end'!r} where {character!r} belongs")
        self._at += len(found)

    def value(self) -> object:
        """The next JSON value (a row, a name, a number)."""
        self.peek()
        while True:
            try:
                value, end = _DECODER.raw_decode(self._buffer, self._at)
            except json.JSONDecodeError:
                if self._ended:
                    raise
            else:  # a number or a row cut by the piece's end is not whole yet
                if end < len(self._buffer) or self._ended:
                    self._at = end
                    return value
            if len(self._buffer) - self._at > MAX_ROW_CHARS:
                raise ArchiveError(
                    _too_large(self._path, "one of its rows never ends or is longer")
                )
            self._read_more()

    def _read_more(self) -> bool:
        piece = self._text.read(PIECE_CHARS)
        self._ended = not piece
        self._buffer = self._buffer[self._at :] + piece
        self._at = 0
        return bool(piece)


_NOT_SPACE = re.compile(r"[^ \t\n\r]")  # JSON's white space, no other
_DECODER = json.JSONDecoder()


@dataclass(frozen=True)
class Restored:
    """What a restore wrote, and which of the archive's settings it took or left."""

    client_count: int
    settings_taken: list[str]
    settings_left: list[str]  # they name files or act on this computer: its own stay

    def settings_summary(self) -> str:
        """ "Settings taken from the archive: …; left as they are here: …", or ""."""
        parts = []
        if self.settings_taken:
            parts.append(f"Settings taken from the archive: {_names(self.settings_taken)}.")
        if self.settings_left:
            parts.append(
                f"Settings left as they are on this computer: {_names(self.settings_left)}."
            )
        return " ".join(parts)


def _names(keys: list[str]) -> str:
    return ", ".join(key.replace("_", " ") for key in sorted(keys))


def import_archive(path: Path) -> Restored:
    """Fill an empty database with the archive's rows, all or nothing."""
    return restore(read_archive(path))


def restore(archive: Archive) -> Restored:
    """Write a read archive into an empty database, all or nothing, a batch of rows at a
    time. Of its settings, only the portable ones are taken (models/store/settings.py)."""
    taken: list[str] = []
    left: list[str] = []
    try:
        with db.atomic(), _opened(archive.path) as (zipped, header):
            if Client.select().exists() or Tag.select().exists():
                raise DatabaseNotEmpty(
                    "This database already has clients. An archive is imported only into "
                    "a new, empty database, so that nothing mixes: choose a new database "
                    "file and import it there."
                )
            # Clients may refer to clients stored after them: check references at commit.
            db.execute_sql("PRAGMA defer_foreign_keys = ON")
            # The archive's way of working, not a new database's; this computer's own stay.
            Setting.delete().where(Setting.key.in_(PORTABLE_SETTINGS)).execute()
            rows = _checked_rows(zipped, header, archive.path)
            for table, batch in _batches(_to_store(rows, zipped, archive.path, taken, left)):
                _insert(table, batch)
    except (IntegrityError, sqlite3.DatabaseError, ValueError) as error:  # a hand-edited archive
        raise ArchiveError(f"The archive is damaged ({error}); nothing was imported.") from error
    return Restored(archive.client_count, taken, left)


def _to_store(
    rows: Iterator[tuple[str, dict]],
    zipped: zipfile.ZipFile,
    path: Path,
    taken: list[str],
    left: list[str],
) -> Iterator[tuple[str, dict]]:
    """The rows as they are stored: photos read from their files, settings that are not
    portable left out (and noted in `taken` and `left`)."""
    for table, row in rows:
        if table == PHOTO_TABLE:
            with zipped.open(_photo_info(zipped, row, path)) as photo:
                row = row | {"image": photo.read(MAX_PHOTO_BYTES + 1)}
        elif table == SETTING_TABLE:
            portable = row.get("key") in PORTABLE_SETTINGS
            (taken if portable else left).append(str(row.get("key")))
            if not portable:
                continue
        elif table == CLIENT_TABLE and not row.get("uid"):
            row = row | {"uid": new_uid()}  # from an archive older than UIDs
        yield table, row


def _batches(rows: Iterator[tuple[str, dict]]) -> Iterator[tuple[str, list[dict]]]:
    """Consecutive rows of one table with the same columns, at most BATCH_ROWS at a time."""
    for (table, _columns), group in itertools.groupby(
        rows, key=lambda pair: (pair[0], tuple(pair[1]))
    ):
        rows_of_group = (row for _table, row in group)
        while batch := list(itertools.islice(rows_of_group, BATCH_ROWS)):
            yield table, batch


def _insert(table: str, rows: list[dict]) -> None:
    # Rows are written with the columns they have: an older archive lacks newer ones,
    # which then get their defaults.
    columns = tuple(rows[0])
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    db.cursor().executemany(sql, [tuple(row.values()) for row in rows])
