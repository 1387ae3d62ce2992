"""The full-text index behind client search (SQLite FTS5), kept in sync by triggers.

One index row per searchable source row: a client's names, each email and phone, each
family member, tag, note and interaction. Its rowid is the source's rowid * 8 + a code
per source table, so a trigger finds its row without a scan.

The index is derived data, rebuilt by `rebuild_search_index()`, and lives outside the
versioned migrations because it depends on the SQLite build: without FTS5 Rapport
searches with LIKE instead (slower at scale) and says so in the log.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from peewee import SqliteDatabase

from models.database import db
from models.folding import fold

log = logging.getLogger(__name__)

TABLE = "client_search"

# Whether the open database has a working index; set when it is opened.
_ready = False


@dataclass(frozen=True)
class Source:
    table: str
    code: int  # rowid = source rowid * 8 + code
    field: str  # shown in "why it matched"
    client_id: str  # an expression over the source row, named {row}
    text: str


def _digits(value: str) -> str:
    """The phone number without separators, so '4917155' finds '+49 171 5550101'."""
    for separator in " -/().":
        value = f"replace({value}, '{separator}', '')"
    return value


SOURCES = (
    Source(
        "client",
        0,
        "name",
        "{row}.id",
        "{row}.first_name || ' ' || {row}.last_name || ' ' || {row}.preferred_name"
        " || ' ' || {row}.organization",
    ),
    Source(
        "contact_detail",
        1,
        "contact",
        "{row}.client_id",
        "{row}.value || ' ' || " + _digits("{row}.value"),
    ),
    Source("family_member", 2, "family", "{row}.client_id", "{row}.name"),
    Source(
        "client_tag",
        3,
        "tag",
        "{row}.client_id",
        "(SELECT name FROM tag WHERE tag.id = {row}.tag_id)",
    ),
    Source("note", 4, "note", "{row}.client_id", "{row}.text"),
    Source("interaction", 5, "history", "{row}.client_id", "{row}.summary || ' ' || {row}.body"),
)

# `client` holds 'c<id>' as a token, so "this client's rows that match" is an index lookup.
_CREATE_TABLE = (
    f"CREATE VIRTUAL TABLE {TABLE} USING fts5(text, client, field UNINDEXED,"
    " tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3')"
)
_COLUMNS = f"INSERT INTO {TABLE} (rowid, client, field, text)"


def _values(source: Source, row: str) -> str:
    # Folded as everywhere in Rapport ("Straße" is found by "strasse"); fold() is
    # registered on every connection (models/database.py).
    return (
        f"{row}.rowid * 8 + {source.code}, 'c' || {source.client_id.format(row=row)},"
        f" '{source.field}', fold({source.text.format(row=row)})"
    )


def _delete(source: Source, row: str) -> str:
    return f"DELETE FROM {TABLE} WHERE rowid = {row}.rowid * 8 + {source.code}"


def _triggers(source: Source) -> dict[str, str]:
    """name -> CREATE TRIGGER statement, for insert, update and delete of the source."""
    name = f"{TABLE}_{source.table}"
    insert = f"{_COLUMNS} VALUES ({_values(source, 'new')})"
    return {
        f"{name}_insert": f"CREATE TRIGGER {name}_insert AFTER INSERT ON {source.table}"
        f" BEGIN {insert}; END",
        f"{name}_update": f"CREATE TRIGGER {name}_update AFTER UPDATE ON {source.table}"
        f" BEGIN {_delete(source, 'old')}; {insert}; END",
        f"{name}_delete": f"CREATE TRIGGER {name}_delete AFTER DELETE ON {source.table}"
        f" BEGIN {_delete(source, 'old')}; END",
    }


# A renamed tag is renamed in the index for every client that has it.
_TAG_RENAME = (
    f"CREATE TRIGGER {TABLE}_tag_rename AFTER UPDATE OF name ON tag BEGIN"
    f" UPDATE {TABLE} SET text = fold(new.name) WHERE rowid IN"
    f" (SELECT rowid * 8 + 3 FROM client_tag WHERE tag_id = new.id); END"
)


def _all_triggers() -> dict[str, str]:
    triggers = {f"{TABLE}_tag_rename": _TAG_RENAME}
    for source in SOURCES:
        triggers.update(_triggers(source))
    return triggers


def fts5_available(database: SqliteDatabase) -> bool:
    try:
        database.execute_sql("CREATE VIRTUAL TABLE temp.fts5_probe USING fts5(x)")
    except Exception:  # the error class depends on the driver; any failure means no FTS5
        return False
    database.execute_sql("DROP TABLE temp.fts5_probe")
    return True


def _existing(database: SqliteDatabase, kind: str) -> dict[str, str]:
    """name -> SQL of the index's tables or triggers in the database."""
    cursor = database.execute_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = ? AND name LIKE ?", (kind, f"{TABLE}%")
    )
    return dict(cursor.fetchall())


def search_index_ready() -> bool:
    return _ready


def ensure_search_index(database: SqliteDatabase) -> bool:
    """Make sure the index exists and is kept in sync; False when search must use LIKE."""
    global _ready
    _ready = _ensure(database)
    return _ready


def _ensure(database: SqliteDatabase) -> bool:
    if not fts5_available(database):
        log.warning("This SQLite has no FTS5: client search falls back to slower LIKE queries")
        with database.atomic():
            # Triggers writing to an index this SQLite cannot open would fail every write.
            for name in _existing(database, "trigger"):
                database.execute_sql(f"DROP TRIGGER {name}")
        return False
    # Missing or different triggers (dropped without FTS5, or from another version of
    # Rapport) mean the index may be stale: build it anew.
    if _existing(database, "trigger") != _all_triggers():
        rebuild_search_index(database)
    return True


def rebuild_search_index(database: SqliteDatabase) -> None:
    """Build the index and its triggers anew from the source rows, in one transaction."""
    with database.atomic():
        for name in _existing(database, "trigger"):
            database.execute_sql(f"DROP TRIGGER {name}")
        if TABLE in _existing(database, "table"):
            database.execute_sql(f"DROP TABLE {TABLE}")
        database.execute_sql(_CREATE_TABLE)
        for source in SOURCES:
            database.execute_sql(
                f"{_COLUMNS} SELECT {_values(source, 'src')} FROM {source.table} AS src"
            )
        for statement in _all_triggers().values():
            database.execute_sql(statement)


def search_words(text: str) -> list[str]:
    """The folded words of a search: 'Mey José!' -> ['mey', 'jose']."""
    return re.findall(r"[^\W_]+", fold(text))


def words_typed(text: str) -> list[str]:
    """The words of a search, each an FTS5 prefix query on the text: 'Mey José' -> 2."""
    return [f'text : "{word}"*' for word in search_words(text)]


def matching_clients_sql(words: list[str]) -> tuple[str, list[str]]:
    """A sub-select of the ids of clients with every word somewhere in their rows."""
    each = f"SELECT CAST(substr(client, 2) AS INTEGER) FROM {TABLE} WHERE {TABLE} MATCH ?"
    return "(" + " INTERSECT ".join([each] * len(words)) + ")", words


def match_reasons(client_ids: list[int], words: list[str]) -> dict[int, str]:
    """Why each client matched, where it is not their name: 'note: …beach shoot…'."""
    if not client_ids or not words:
        return {}
    clients = " OR ".join(f"c{client_id}" for client_id in client_ids)
    query = f"client : ({clients}) AND ({' OR '.join(words)})"
    cursor = db.execute_sql(
        f"SELECT client, field, snippet({TABLE}, 0, '', '', '…', 4) FROM {TABLE}"
        f" WHERE {TABLE} MATCH ? ORDER BY rowid % 8",
        (query,),
    )
    reasons: dict[int, str] = {}
    for client, field, snippet in cursor:
        client_id = int(client[1:])
        reasons.setdefault(client_id, "" if field == "name" else f"{field}: {snippet}")
    return {client_id: reason for client_id, reason in reasons.items() if reason}
