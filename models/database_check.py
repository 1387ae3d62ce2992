"""Check database (File menu, `rapport check`): SQLite's checks of every page and every
reference, and a look for text that is not valid UTF-8.

Such text passes SQLite's checks (SQLite stores whatever bytes it is given: another
program, a hand edit, a damaged sector). Rapport reads it with U+FFFD in place of the bad
bytes (models/database.py); the check finds it, names the clients it belongs to, and
repairs it by storing that readable text instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from peewee import TextField

from models.database import db
from models.entities import ALL_TABLES, Client, ClientTag, Tag, full_name

ISSUES_SHOWN = 20  # of a damaged file's problems, as SQLite lists them


@dataclass(frozen=True)
class DamagedRow:
    table: str
    rowid: int
    readable: dict[str, str]  # column -> its text with U+FFFD in place of the bad bytes
    client_ids: tuple[int, ...]  # whose data it is (a tag's: every client with the tag)


def _plain_text_columns(model) -> list[str]:
    """Columns of free text (instants and amounts are text too, but U+FFFD would not make
    them readable)."""
    return [f.column_name for f in model._meta.sorted_fields if type(f) is TextField]


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def damaged_rows() -> Iterator[DamagedRow]:
    """Every row of Rapport's tables whose text is not valid UTF-8, table by table."""
    for model in ALL_TABLES:
        columns = _plain_text_columns(model)
        if not columns:
            continue
        table = model._meta.table_name
        owner = (
            "rowid"
            if model is Client
            else ("client_id" if "client" in model._meta.fields else "NULL")
        )
        raw = ", ".join(f"CAST({column} AS BLOB)" for column in columns)
        for rowid, client_id, *values in db.execute_sql(
            f"SELECT rowid, {owner}, {raw} FROM {table}"
        ):
            bad = {
                column: value.decode("utf-8", "replace")
                for column, value in zip(columns, values, strict=True)
                if value is not None and not _is_utf8(value)
            }
            if bad:
                owners = _tag_owners(rowid) if model is Tag else (client_id,)
                yield DamagedRow(table, rowid, bad, tuple(i for i in owners if i is not None))


def _tag_owners(tag_id: int) -> tuple[int, ...]:
    query = ClientTag.select(ClientTag.client).where(ClientTag.tag == tag_id).tuples()
    return tuple(client_id for (client_id,) in query)


def client_names(client_ids: set[int]) -> list[str]:
    query = Client.select(Client.first_name, Client.last_name).where(Client.id.in_(client_ids))
    return sorted(
        full_name(first, last) for first, last in query.order_by(Client.sort_name).tuples()
    )


def damaged_clients_note() -> str | None:
    """For an export: which clients' text is damaged (it was written with U+FFFD), if any."""
    owners = {client_id for row in damaged_rows() for client_id in row.client_ids}
    if not owners:
        return None
    return (
        f"The text of {_clients(len(owners))} is damaged (not valid UTF-8) and was written "
        f"with \ufffd in place of the unreadable characters: {', '.join(client_names(owners))}."
    )


def _clients(count: int) -> str:
    return f"{count} client{'s' * (count != 1)}"


@dataclass
class CheckReport:
    damage: list[str] = field(default_factory=list)  # SQLite's findings: the file is damaged
    broken_references: int = 0  # rows that refer to a row that is gone
    repaired: list[DamagedRow] = field(default_factory=list)
    repaired_clients: list[str] = field(default_factory=list)

    @property
    def damaged(self) -> bool:
        return bool(self.damage)

    def sentences(self) -> list[str]:
        """What the check found and did, in words."""
        if self.damage:
            return [
                "The database file is damaged: "
                + "; ".join(self.damage[:ISSUES_SHOWN])
                + ". Nothing was changed. Restore a backup (Settings lists them) or "
                "export what can still be read."
            ]
        found = []
        if self.broken_references:
            found.append(
                f"{self.broken_references} rows refer to rows that are gone; they were "
                "left as they are."
            )
        if self.repaired:
            fields = sum(len(row.readable) for row in self.repaired)
            who = ", ".join(self.repaired_clients) or "no client's (settings or tags)"
            found.append(
                f"Repaired {fields} text{'s' * (fields != 1)} that were not valid UTF-8, "
                f"in the data of: {who}. The unreadable characters are now \ufffd; check "
                "those clients and retype what is wrong."
            )
        return found or [
            "The database is in good order: every page, every reference and all text checked."
        ]


def check_database() -> CheckReport:
    """Check the open database and repair its unreadable text, all in one transaction."""
    report = CheckReport()
    issues = [row[0] for row in db.execute_sql(f"PRAGMA integrity_check({ISSUES_SHOWN})")]
    if issues != ["ok"]:
        report.damage = issues
        return report
    report.broken_references = len(db.execute_sql("PRAGMA foreign_key_check").fetchall())
    with db.atomic():
        report.repaired = list(damaged_rows())
        for row in report.repaired:
            # Every damaged column of the row at once: the search index's triggers fold the
            # row's text, and cannot read a column still damaged.
            assignments = ", ".join(f"{column} = ?" for column in row.readable)
            db.execute_sql(
                f"UPDATE {row.table} SET {assignments} WHERE rowid = ?",
                (*row.readable.values(), row.rowid),
            )
        owners = {client_id for row in report.repaired for client_id in row.client_ids}
        report.repaired_clients = client_names(owners)
    return report
