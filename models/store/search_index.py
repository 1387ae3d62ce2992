"""The full-text index behind client search (SQLite FTS5), kept in sync by triggers.

One index row per searchable source row: a client's names, each email and phone, each
family member, tag, note and interaction. Its rowid says whose and what it is:
client id * 2**32 + the source's rowid * 8 + a code per source table. So a trigger finds
its row without a scan, and a search reads the matching clients from the index alone,
never from the stored text (five times faster for a common prefix at 1M rows).

The index is derived data, rebuilt by `rebuild_search_index()`, and lives outside the
versioned migrations because it depends on the SQLite build: without FTS5 Rapport
searches with LIKE instead (slower at scale) and says so in the log. A migration that
changes what it holds (a new folding rule) touches the source rows concerned, and the
triggers index them anew.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

from peewee import SqliteDatabase

from models.store.database import db
from models.values.folding import fold

log = logging.getLogger(__name__)

TABLE = "client_search"

# Whether the open database has a working index, or one waiting to be built, or one to
# tidy (see MOST_SEGMENTS); set when it is opened.
_ready = False
_building = False
_untidy = False


@dataclass(frozen=True)
class Source:
    table: str
    code: int  # in the index's rowid, see above
    field: str  # shown in "why it matched"
    client_id: str  # an expression over the source row, named {row}
    text: str  # what is searched
    shown: str = ""  # what "why it matched" quotes, if not the text


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
        "{row}.value",
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

_CREATE_TABLE = (
    f"CREATE VIRTUAL TABLE {TABLE} USING fts5(text,"
    " tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
)
CLIENT_SHIFT = 32  # rowid >> CLIENT_SHIFT is the client's id


def _rowid(source: Source, row: str) -> str:
    client_id = source.client_id.format(row=row)
    return f"({client_id} << {CLIENT_SHIFT}) + {row}.rowid * 8 + {source.code}"


def _values(source: Source, row: str) -> str:
    # Folded as everywhere in Rapport ("Straße" is found by "strasse"); fold() is
    # registered on every connection (models/store/database.py).
    return f"{_rowid(source, row)}, fold({source.text.format(row=row)})"


_COLUMNS = f"INSERT INTO {TABLE} (rowid, text)"


def _delete(source: Source, row: str) -> str:
    return f"DELETE FROM {TABLE} WHERE rowid = {_rowid(source, row)}"


def _changed(rowid: str, text: str) -> str:
    """When an update changes what a source row puts in an index: its text or its rowid.
    Other updates (a client's last contact, say, moved by every new interaction) leave
    the index alone instead of folding and indexing the same text again."""
    return (
        f"WHEN {rowid.format(row='old')} IS NOT {rowid.format(row='new')}"
        f" OR ({text.format(row='old')}) IS NOT ({text.format(row='new')})"
    )


def _triggers(source: Source, every_update: bool = False) -> dict[str, str]:
    """name -> CREATE TRIGGER statement, for insert, update and delete of the source
    (with `every_update`, as Rapport wrote them before 18: re-indexing on any update)."""
    name = f"{TABLE}_{source.table}"
    insert = f"{_COLUMNS} VALUES ({_values(source, 'new')})"
    when = "" if every_update else " " + _changed(_rowid(source, "{row}"), source.text)
    return {
        f"{name}_insert": f"CREATE TRIGGER {name}_insert AFTER INSERT ON {source.table}"
        f" BEGIN {insert}; END",
        f"{name}_update": f"CREATE TRIGGER {name}_update AFTER UPDATE ON {source.table}{when}"
        f" BEGIN {_delete(source, 'old')}; {insert}; END",
        f"{name}_delete": f"CREATE TRIGGER {name}_delete AFTER DELETE ON {source.table}"
        f" BEGIN {_delete(source, 'old')}; END",
    }


# A renamed tag is renamed in the index for every client that has it.
_TAG_RENAME = (
    f"CREATE TRIGGER {TABLE}_tag_rename AFTER UPDATE OF name ON tag BEGIN"
    f" UPDATE {TABLE} SET text = fold(new.name) WHERE rowid IN"
    f" (SELECT (client_id << {CLIENT_SHIFT}) + rowid * 8 + 3 FROM client_tag"
    f" WHERE tag_id = new.id); END"
)


def _all_triggers(every_update: bool = False) -> dict[str, str]:
    triggers = {f"{TABLE}_tag_rename": _TAG_RENAME}
    for source in SOURCES:
        triggers.update(_triggers(source, every_update))
    return triggers


def set_update_triggers(database: SqliteDatabase, every_update: bool) -> None:
    """Swap both indexes' update triggers for their other form, if they have it. Today's
    re-index a row only when its indexed text changes; while migrations run, every update
    does, as in Rapport before schema 18: a migration that changes what an index holds (a
    new folding rule) touches the rows concerned to have them indexed anew. The same
    index either way, so no rebuild."""
    for table, triggers in _INDEXES:
        wanted, other = triggers(every_update), triggers(not every_update)
        if _existing(database, "trigger", table) != other:
            continue  # already so, or missing or different: ensure_search_index sees to it
        with database.atomic():
            for name, statement in wanted.items():
                if statement != other[name]:
                    database.execute_sql(f"DROP TRIGGER {name}")
                    database.execute_sql(statement)


def fts5_available(database: SqliteDatabase) -> bool:
    try:
        database.execute_sql("CREATE VIRTUAL TABLE temp.fts5_probe USING fts5(x)")
    except Exception:  # the error class depends on the driver; any failure means no FTS5
        return False
    database.execute_sql("DROP TABLE temp.fts5_probe")
    return True


def _existing(database: SqliteDatabase, kind: str, table: str = TABLE) -> dict[str, str]:
    """name -> SQL of the index's (or `table`'s) tables or triggers in the database."""
    cursor = database.execute_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = ? AND name LIKE ?", (kind, f"{table}%")
    )
    return dict(cursor.fetchall())


def search_index_ready() -> bool:
    return _ready


def search_index_building() -> bool:
    """The open database's index is missing or incomplete and waits for
    `rebuild_search_index` (on a worker, with progress); search meanwhile looks in
    names, emails and phones only, and the window says so."""
    return _building


def search_index_untidy() -> bool:
    """The open database's index is in more segments than a lookup should seek in, and
    waits for `tidy_search_index` (on a worker); search works meanwhile, slower."""
    return _untidy


def ensure_search_index(database: SqliteDatabase, build_later: bool = False) -> bool:
    """Make sure the index exists and is kept in sync; False when search must use LIKE.
    With `build_later`, an index to build is left for `rebuild_search_index` (minutes for
    100,000 clients): the window opens at once and builds it on a worker. One to tidy
    (`search_index_untidy`) is left for `tidy_search_index`, the window's worker's too."""
    global _ready, _building, _untidy
    _ready = _ensure(database, build_later)
    _building = not _ready and build_later and fts5_available(database)
    _untidy = _ready and not _read_only(database) and _segments(database) > MOST_SEGMENTS
    return _ready


def _read_only(database: SqliteDatabase) -> bool:
    """Opened for reading only (models/store/database.read_only_uri)."""
    return "mode=ro" in str(database.database)


def _ensure(database: SqliteDatabase, build_later: bool) -> bool:
    if not fts5_available(database):
        log.warning("This SQLite has no FTS5: client search falls back to slower LIKE queries")
        with database.atomic():
            # Triggers writing to an index this SQLite cannot open would fail every write.
            for table in (TABLE, NAMES_TABLE):
                for name in _existing(database, "trigger", table):
                    database.execute_sql(f"DROP TRIGGER {name}")
        return False
    if _read_only(database):
        # Nothing can be written: the indexes serve as they are, if whole; else LIKE.
        whole = all(
            _existing(database, "trigger", table) in (triggers(False), triggers(True))
            for table, triggers in _INDEXES
        )
        return whole and not _incomplete(database)
    set_update_triggers(database, every_update=False)
    _ensure_names(database)
    # Missing or different triggers (dropped without FTS5, or from another version of
    # Rapport) mean the index may be stale, and a build that did not finish left it
    # incomplete: build it anew.
    if _existing(database, "trigger") != _all_triggers() or _incomplete(database):
        if build_later:
            return False
        rebuild_search_index(database)
    return True


# Set while a build is under way: one stopped halfway (Rapport quit) is begun again.
_INCOMPLETE = "search_index_incomplete"
CHUNK_ROWS = 1_000  # rows indexed per transaction: a write waits for one at most


def _incomplete(database: SqliteDatabase) -> bool:
    found = database.execute_sql("SELECT 1 FROM setting WHERE key = ?", (_INCOMPLETE,))
    return found.fetchone() is not None


def rebuild_search_index(
    database: SqliteDatabase, progress: Callable[[int, int], None] | None = None
) -> None:
    """Build the index and its triggers anew from the source rows; `progress(done, total)`
    after each chunk of rows.

    The triggers come first, so that what is written meanwhile (the window is usable
    while a worker builds) is indexed by them; then the rows, a chunk per transaction
    (INSERT OR REPLACE: a row a trigger indexed already is indexed once)."""
    global _ready, _building, _untidy
    with database.atomic():
        for name in _existing(database, "trigger"):
            database.execute_sql(f"DROP TRIGGER {name}")
        if TABLE in _existing(database, "table"):
            database.execute_sql(f"DROP TABLE {TABLE}")
        database.execute_sql(_CREATE_TABLE)
        for statement in _all_triggers().values():
            database.execute_sql(statement)
        database.execute_sql(
            "INSERT OR REPLACE INTO setting (key, value) VALUES (?, '1')", (_INCOMPLETE,)
        )
    sizes = {s.table: _max_rowid(database, s.table) for s in SOURCES}
    total, done = sum(sizes.values()), 0
    for source in SOURCES:
        for start in range(0, sizes[source.table], CHUNK_ROWS):
            with database.atomic():
                database.execute_sql(
                    f"INSERT OR REPLACE INTO {TABLE} (rowid, text)"
                    f" SELECT {_values(source, 'src')} FROM {source.table} AS src"
                    " WHERE src.rowid > ? AND src.rowid <= ?",
                    (start, start + CHUNK_ROWS),
                )
            done += min(CHUNK_ROWS, sizes[source.table] - start)
            if progress is not None:
                progress(done, total)
    database.execute_sql("DELETE FROM setting WHERE key = ?", (_INCOMPLETE,))
    # Indexed a chunk per transaction, the rows are in a dozen segments or more.
    _ready, _building, _untidy = True, False, _segments(database) > MOST_SEGMENTS


# FTS5 writes each transaction's rows as a segment of their own and merges them a few at
# a time: after a build in chunks, or years of writes, the index is in a dozen segments,
# and every lookup seeks in each of them. The search's first page looks clients up one by
# one (models/clients/finder.py): 40 µs a lookup in 14 segments, 10 µs in one. Beyond
# this many, they are merged into one, on a worker.
MOST_SEGMENTS = 6
MERGE_PAGES = 500  # pages merged per transaction: a write waits for one step at most


def _segments(database: SqliteDatabase) -> int:
    found = database.execute_sql(f"SELECT count(DISTINCT segid) FROM {TABLE}_idx")
    return found.fetchone()[0]


def tidy_search_index(
    database: SqliteDatabase, keep_going: Callable[[], bool] = lambda: True
) -> None:
    """Merge the index's segments into one, a step per transaction, while `keep_going()`;
    what is left is merged at the next start. FTS5's incremental form of 'optimize': a
    merge with a negative size merges segments of every level, and it is done when a
    step changes fewer than two rows."""
    global _untidy
    while keep_going():
        with database.atomic():
            before = database.connection().total_changes
            database.execute_sql(
                f"INSERT INTO {TABLE} ({TABLE}, rank) VALUES ('merge', ?)", (-MERGE_PAGES,)
            )
            if database.connection().total_changes - before < 2:
                _untidy = False
                return


def _max_rowid(database: SqliteDatabase, table: str) -> int:
    return database.execute_sql(f"SELECT coalesce(max(rowid), 0) FROM {table}").fetchone()[0]


# --- The names alone: what a search shows first -----------------------------------------------

# The clients' names in an index of their own, one row per client (rowid: the client's id).
# "th" is in most of the full index's million history rows, but in a few thousand names:
# the clients a search lists first are read from here in a few milliseconds.
NAMES_TABLE = "client_name_search"
_NAMES = SOURCES[0]  # the client's names, as the full index holds them


def _names_triggers(every_update: bool = False) -> dict[str, str]:
    names = _NAMES.text.format(row="new")
    insert = f"INSERT INTO {NAMES_TABLE} (rowid, text) VALUES (new.id, fold({names}))"
    delete = f"DELETE FROM {NAMES_TABLE} WHERE rowid = old.id"
    when = "" if every_update else _changed("{row}.id", _NAMES.text) + " "
    return {
        f"{NAMES_TABLE}_insert": f"CREATE TRIGGER {NAMES_TABLE}_insert AFTER INSERT ON client"
        f" BEGIN {insert}; END",
        f"{NAMES_TABLE}_update": f"CREATE TRIGGER {NAMES_TABLE}_update AFTER UPDATE ON client"
        f" {when}BEGIN {delete}; {insert}; END",
        f"{NAMES_TABLE}_delete": f"CREATE TRIGGER {NAMES_TABLE}_delete AFTER DELETE ON client"
        f" BEGIN {delete}; END",
    }


# Each index's table, and its triggers (of either form, see set_update_triggers).
_INDEXES: tuple[tuple[str, Callable[[bool], dict[str, str]]], ...] = (
    (TABLE, _all_triggers),
    (NAMES_TABLE, _names_triggers),
)


def _ensure_names(database: SqliteDatabase) -> None:
    """Build the names index when it is missing or its triggers differ: once, half a second
    for 100,000 clients, so it is done at once rather than on a worker."""
    if _existing(database, "trigger", NAMES_TABLE) == _names_triggers():
        return
    with database.atomic():
        for name in _existing(database, "trigger", NAMES_TABLE):
            database.execute_sql(f"DROP TRIGGER {name}")
        database.execute_sql(f"DROP TABLE IF EXISTS {NAMES_TABLE}")
        database.execute_sql(_CREATE_TABLE.replace(TABLE, NAMES_TABLE, 1))
        database.execute_sql(
            f"INSERT INTO {NAMES_TABLE} (rowid, text)"
            f" SELECT id, fold({_NAMES.text.format(row='client')}) FROM client"
        )
        for statement in _names_triggers().values():
            database.execute_sql(statement)


def search_words(text: str) -> list[str]:
    """The folded words of a search: 'Mey José!' -> ['mey', 'jose']."""
    return re.findall(r"[^\W_]+", fold(text))


def words_typed(text: str) -> list[str]:
    """The words of a search, each an FTS5 prefix query on the text: 'Mey José' -> 2."""
    return [f'text : "{word}"*' for word in search_words(text)]


# SQLite takes 500 terms in one compound SELECT at most: the words of a pasted paragraph
# are intersected (and looked up, see probe_sql) in groups of this many.
_INTERSECTED = 400


def matching_clients_sql(words: list[str]) -> tuple[str, list[str]]:
    """A sub-select of the ids of clients with every word somewhere in their rows."""
    each = f"SELECT DISTINCT rowid >> {CLIENT_SHIFT} FROM {TABLE} WHERE {TABLE} MATCH ?"
    groups = [
        " INTERSECT ".join([each] * len(words[at : at + _INTERSECTED]))
        for at in range(0, len(words), _INTERSECTED)
    ]
    if len(groups) > 1:  # a pasted paragraph: each group a sub-select of its own
        groups = [f"SELECT * FROM ({group})" for group in groups]
    return "(" + " INTERSECT ".join(groups) + ")", words


def name_matching_clients_sql(words: list[str]) -> tuple[str, list[str]]:
    """A sub-select of the ids of clients whose name alone has every word."""
    return (
        f"(SELECT rowid FROM {NAMES_TABLE} WHERE {NAMES_TABLE} MATCH ?)",
        [" AND ".join(words)],
    )


# --- The first clients in the list's order, a page at a time ----------------------------------

# The longest prefix the index keeps ready (`prefix = '2 3'`): finding a client's rows for
# one of these is a lookup. A longer prefix makes FTS5 merge the rows of every word it
# begins, each time it is asked ("weddin": 100,000 rows, 6 ms): a client is looked up with
# the word's first three letters, and FTS5's own marks on the words found say whether one
# begins with the whole word.
READY_PREFIX = 3


def probe_sql(words: list[str], client_id: str) -> tuple[str, list[str]]:
    """A condition: the client of `client_id` (an SQL expression) has every word (of 2
    letters or more) somewhere in their rows, as one lookup per word in the index, within
    the client's range of rowids (see the top of this module)."""
    start, end = (f"(({client_id} + {n}) << {CLIENT_SHIFT})" for n in (0, 1))
    rows = f"rowid >= {start} AND rowid < {end}"
    conditions, params = [], []
    for word in words:
        condition = f"SELECT 1 FROM {TABLE} WHERE {TABLE} MATCH ? AND {rows}"
        params.append(f'text : "{word[:READY_PREFIX]}"*')
        if len(word) > READY_PREFIX:
            condition += f" AND marked_prefix(highlight({TABLE}, 0, char(1), char(2)), ?)"
            params.append(word)
        conditions.append(f"EXISTS ({condition})")
    return _joined(conditions, "AND") or "1", params


def _joined(conditions: list[str], operator: str) -> str:
    """`conditions` joined by AND or OR, in groups: SQLite nests each of a chain a level
    deeper, 1,000 levels at most, and a pasted paragraph may have more words."""
    groups = [
        "(" + f" {operator} ".join(conditions[at : at + _INTERSECTED]) + ")"
        for at in range(0, len(conditions), _INTERSECTED)
    ]
    return f" {operator} ".join(groups)


def fewer_rows_than(word: str, rows: int) -> bool:
    """Whether fewer than `rows` rows of the index have a word that begins with the first
    letters of `word` (at most READY_PREFIX of them, from the prefix index): counted up to
    `rows` at most, about 0.1 ms a thousand rows, where finding every client with a common
    word ("th": in 80,000 clients' rows) takes a tenth of a second."""
    found = db.execute_sql(
        f"SELECT count(*) FROM (SELECT 1 FROM {TABLE} WHERE {TABLE} MATCH ? LIMIT ?)",
        (f'text : "{word[:READY_PREFIX]}"*', rows),
    )
    return found.fetchone()[0] < rows


def names_found(words: list[str]) -> int:
    """How many clients' names have every word (each an FTS5 query, as words_typed)."""
    found = db.execute_sql(
        f"SELECT count(*) FROM {NAMES_TABLE} WHERE {NAMES_TABLE} MATCH ?", (" AND ".join(words),)
    )
    return found.fetchone()[0]


def match_reasons(client_ids: list[int], words: list[str]) -> dict[int, str]:
    """Why each client matched, where it is not their name: 'note: …beach shoot…'.

    Read from the text the index keeps, folded already, a client's rows at a time (by
    rowid, see the top of this module): a few hundred rows for a page of clients cost
    less than expanding a common prefix over the whole index again. The first of the
    kinds of row in SOURCES' order says why, and its own text is quoted."""
    reasons: dict[int, str] = {}
    # The rows with a word anywhere (in SQL: most rows have none, and reading a row into
    # Python costs more than looking), then those with a word that begins with one.
    anywhere = _joined(["instr(c0, ?)"] * len(words), "OR")
    for client_id in client_ids if words else ():
        rows = db.execute_sql(
            f"SELECT id, c0 FROM {TABLE}_content WHERE id >= ? AND id < ? AND ({anywhere})",
            (client_id << CLIENT_SHIFT, (client_id + 1) << CLIENT_SHIFT, *words),
        )
        found = [
            (rowid & 7, (rowid & _ROWS) >> 3)  # which source, its rowid
            for rowid, text in rows
            if _has_prefix(text, words)
        ]
        code, rowid = min(found, default=(0, 0))
        if code:  # a name that matches says why already
            reasons[client_id] = _reason(_BY_CODE[code], rowid, words)
    return reasons


_ROWS = (1 << CLIENT_SHIFT) - 1  # the source's rowid * 8 + its code, in an index rowid
_BY_CODE = {source.code: source for source in SOURCES}


def _reason(source: Source, rowid: int, words: list[str]) -> str:
    shown = (source.shown or source.text).format(row="src")
    cursor = db.execute_sql(f"SELECT {shown} FROM {source.table} AS src WHERE rowid = ?", (rowid,))
    (quoted,) = cursor.fetchone()
    return f"{source.field}: {_snippet(quoted or '', words)}"


def _has_prefix(text: str | None, words: list[str]) -> bool:
    return any(token.startswith(word) for token in search_words(text or "") for word in words)


def _snippet(text: str, words: list[str], length: int = 4) -> str:
    """A few words of `text` around the first one that starts with a word searched."""
    tokens = re.findall(r"[^\W_]+", text)
    hits = (i for i, token in enumerate(tokens) if any(fold(token).startswith(w) for w in words))
    hit = next(hits, None)  # folding the words up to it only: a session's notes are long
    if hit is None:  # found in what is searched but not shown (a phone's bare digits)
        return text
    start = max(0, min(hit - 1, len(tokens) - length))
    end = start + length
    return ("…" if start else "") + " ".join(tokens[start:end]) + ("…" if end < len(tokens) else "")
