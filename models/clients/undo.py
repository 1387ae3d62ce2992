"""Undo for changes to one client: a snapshot of everything of theirs, and what changed
since put back as the snapshot saw it (a table of theirs that did not change, nor what it
refers to, is left alone).

Almost every change in Rapport touches one client: their details, history, notes,
family, dates, follow-ups, wishes, reminders or photo, or the client as a whole. So one
kind of undo serves them all: `snapshot_client` just before the change, and
`restore_client` to undo it. `UndoHistory` keeps the last steps for the window.

The client's tables are found from the schema (every table with a foreign key to
Client), so a new table is covered without touching this module; tests/test_undo.py
fails if it is not.

Rows come back with their own ids, so reminder keys ("date:12:…") and links stay
valid. SQLite hands out the highest id + 1, so an id freed by a delete may since have
gone to another client's row: that row is left alone, the restored one gets a new id,
and what refers to it in the snapshot (links, reminder keys) follows.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import NamedTuple

from peewee import AutoField, ForeignKeyField, Model, fn, sort_models

from models.reminders.key import ReminderKey
from models.store.changes import CLIENT_KINDS, TABLE_KINDS
from models.store.database import db
from models.store.entities import (
    ALL_TABLES,
    Booking,
    Client,
    ClientTag,
    FollowUp,
    ImportantDate,
    Interaction,
    ReminderState,
    Tag,
    utc_now,
)
from models.store.fields import UtcDateTimeField
from models.values.folding import fold

UNDO_STEPS = 20
# The window promises at least 30 seconds; a step a few minutes old is still welcome.
KEEP_FOR = timedelta(minutes=10)

_INSTANT = UtcDateTimeField()
_CHUNK = 500  # ids per IN (...), well below SQLite's limit on parameters


def _foreign_keys(model: type[Model]) -> list[ForeignKeyField]:
    return [field for field in model._meta.sorted_fields if isinstance(field, ForeignKeyField)]


# Every table with rows of a client, the tables they refer to first.
CLIENT_TABLES: tuple[type[Model], ...] = tuple(
    sort_models(
        [
            model
            for model in ALL_TABLES
            if model is not Client and any(fk.rel_model is Client for fk in _foreign_keys(model))
        ]
    )
)
# A reminder key (models/reminders/key.py) names the row it reminds of, by kind.
REMINDER_KEY_TABLES = {
    "date": ImportantDate,
    "follow_up": FollowUp,
    "check_in": Client,
    "referral": Client,  # the client referred
    "booking": Booking,
    "gallery": Interaction,
}
_MODELS = {model._meta.table_name: model for model in (Client, *CLIENT_TABLES)}


class ClientKey(NamedTuple):
    """Who a client is: an id may be reused after a delete, with a new creation time."""

    id: int
    created_at: str  # as stored


@dataclass(frozen=True)
class Rows:
    """Rows of one table exactly as stored (text, numbers, bytes or None)."""

    table: str
    columns: tuple[str, ...]
    values: tuple[tuple, ...]


@dataclass(frozen=True)
class ClientSnapshot:
    client: ClientKey
    row: Rows  # the client's own row
    tables: tuple[Rows, ...]  # one per CLIENT_TABLES, in their order
    tags: tuple[tuple[int, str], ...]  # (id, name) of the client's tags
    referrer: ClientKey | None  # who referred this client
    referrals: tuple[ClientKey, ...]  # whom this client referred
    taken_at: datetime  # reminders notified after it stay notified


@dataclass(frozen=True)
class UndoStep:
    description: str  # "Deleted Anna Berger", "Logged “Wedding at the lake”"
    snapshot: ClientSnapshot
    created_at: datetime
    # The other clients one change touched (a couple's card, a batch of printed cards).
    others: tuple[ClientSnapshot, ...] = ()


class UndoHistory:
    """The last steps that can be undone, the newest last. Plain Python, for the window."""

    def __init__(self, limit: int = UNDO_STEPS):
        self._steps: deque[UndoStep] = deque(maxlen=limit)

    def __len__(self) -> int:
        return len(self._steps)

    def push(self, step: UndoStep) -> None:
        self._steps.append(step)

    def pop_latest(self, now: datetime, max_age: timedelta = KEEP_FOR) -> UndoStep | None:
        """Take the newest step off the history; None if none is younger than `max_age`.

        Steps past `max_age` are forgotten: undoing a change the user no longer has in
        mind would surprise more than it helps.
        """
        oldest = now - max_age
        self._steps = deque((s for s in self._steps if s.created_at >= oldest), self._steps.maxlen)
        return self._steps.pop() if self._steps else None

    def clear(self) -> None:
        self._steps.clear()


# --- Snapshot ------------------------------------------------------------------------------


def snapshot_client(client_id: int) -> ClientSnapshot:
    """Everything of the client, as plain values, to put back with `restore_client`."""
    snapshot = snapshot_or_none(client_id)
    if snapshot is None:
        raise Client.DoesNotExist(f"There is no client with id {client_id}.")
    return snapshot


def snapshot_or_none(client_id: int) -> ClientSnapshot | None:
    """`snapshot_client`, or None for a client not there (deleted meanwhile)."""
    return snapshots_of([client_id])[client_id]


def snapshots_before(client_id: int, also: Iterable[int] = ()) -> dict[int, ClientSnapshot | None]:
    """The client and the other clients a change will touch (a partner, a batch of cards)
    as they are, the client first: what the change is undone from."""
    return snapshots_of((client_id, *also))


def kinds_changed(before: dict[int, ClientSnapshot | None]) -> dict[int, frozenset[str]]:
    """For each client of `before`, the kinds of their data that changed since."""
    after = snapshots_of(before)
    return {client_id: changed_kinds(was, after[client_id]) for client_id, was in before.items()}


def snapshots_of(client_ids: Iterable[int]) -> dict[int, ClientSnapshot | None]:
    """The snapshot of each client (None for one not there), in the order asked: each table
    read once for 500 clients, not once for each (the 5,134 clients of a month of printed
    cards at XL were 140,000 queries)."""
    ids = list(dict.fromkeys(client_ids))
    # One consistent picture, even while another thread writes; DEFERRED, as it only
    # reads: no need to hold the write lock that transactions take by default.
    with db.atomic("DEFERRED"):
        clients = _rows_of(Client, "id", ids)
        tables = [_rows_of(model, _client_column(model), ids) for model in CLIENT_TABLES]
        tags = _grouped(_TAGS, ids)
        referrers = _grouped(_REFERRER, ids)
        referrals = _grouped(_REFERRALS, ids)
        taken_at = utc_now()
    at = clients.columns.index("created_at")
    return {
        client_id: ClientSnapshot(
            client=ClientKey(client_id, clients.values[client_id][0][at]),
            row=Rows("client", clients.columns, clients.values[client_id]),
            tables=tuple(
                Rows(rows.table, rows.columns, rows.values.get(client_id, ())) for rows in tables
            ),
            tags=tags.get(client_id, ()),
            referrer=next((ClientKey(*key) for key in referrers.get(client_id, ())), None),
            referrals=tuple(ClientKey(*key) for key in referrals.get(client_id, ())),
            taken_at=taken_at,
        )
        if client_id in clients.values
        else None
        for client_id in ids
    }


class _RowsByClient(NamedTuple):
    table: str
    columns: tuple[str, ...]
    values: dict[int, tuple[tuple, ...]]  # client id -> their rows, in the order written


def _rows_of(model: type[Model], column: str, client_ids: list[int]) -> _RowsByClient:
    """The rows of the clients whose `column` is one of `client_ids`, by client."""
    columns, table = _columns(model), model._meta.table_name
    sql = (
        f"SELECT {column}, {', '.join(columns)} FROM {table}"
        f" WHERE {column} IN ({{}}) ORDER BY {column}, rowid"
    )
    return _RowsByClient(table, columns, _grouped(sql, client_ids))


def _grouped(sql: str, client_ids: list[int]) -> dict[int, tuple[tuple, ...]]:
    """The rows of `sql` (its first column a client id, the IN list left as {}) by client,
    without that column."""
    found: dict[int, list[tuple]] = {}
    for client_id, *rest in _each_chunk(sql, client_ids):
        found.setdefault(client_id, []).append(tuple(rest))
    return {key: tuple(rows) for key, rows in found.items()}


def _each_chunk(sql: str, ids: list[int]) -> Iterator[tuple]:
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        yield from db.execute_sql(sql.format(", ".join("?" * len(chunk))), chunk)


_TAGS = (
    "SELECT client_id, tag.id, tag.name FROM tag JOIN client_tag ON tag_id = tag.id"
    " WHERE client_id IN ({}) ORDER BY client_id, tag.id"
)
_REFERRER = (
    "SELECT client.id, referrer.id, referrer.created_at FROM client"
    " JOIN client AS referrer ON referrer.id = client.referred_by_id WHERE client.id IN ({})"
)
_REFERRALS = (
    "SELECT referred_by_id, id, created_at FROM client WHERE referred_by_id IN ({}) ORDER BY id"
)


def changed_kinds(before: ClientSnapshot | None, after: ClientSnapshot | None) -> frozenset[str]:
    """The kinds of the client's data that differ between two snapshots ("notes",
    "dates"…); a client new or gone changed in every kind."""
    if before is None or after is None:
        return CLIENT_KINDS
    kinds = {
        TABLE_KINDS[rows.table]
        for rows, rows_after in zip(
            (_own(before.row), *before.tables), (_own(after.row), *after.tables), strict=True
        )
        if rows != rows_after
    }
    if (before.tags, before.referrer, before.referrals) != (
        after.tags,
        after.referrer,
        after.referrals,
    ):
        kinds.add("clients")
    return frozenset(kinds)


def _own(client_row: Rows) -> Rows:
    """The client's row without their last contact, which the database keeps from their
    interactions: logging one changes the history, not the client."""
    keep = [i for i, column in enumerate(client_row.columns) if column != "last_contact_at"]
    return Rows(
        client_row.table,
        tuple(client_row.columns[i] for i in keep),
        tuple(tuple(values[i] for i in keep) for values in client_row.values),
    )


def _client_column(model: type[Model]) -> str:
    return next(fk.column_name for fk in _foreign_keys(model) if fk.rel_model is Client)


def _rows(model: type[Model], column: str, value: int) -> Rows:
    """The rows of one client whose `column` is `value`, in no particular order."""
    columns, table = _columns(model), model._meta.table_name
    cursor = db.execute_sql(
        f"SELECT {', '.join(columns)} FROM {table} WHERE {column} = ?", (value,)
    )
    return Rows(table, columns, tuple(cursor.fetchall()))


def _columns(model: type[Model]) -> tuple[str, ...]:
    return tuple(field.column_name for field in model._meta.sorted_fields)


# --- Restore -------------------------------------------------------------------------------


def restore_client(snapshot: ClientSnapshot) -> int:
    """Put the client back as the snapshot saw them, all or nothing; returns their id.

    The id is the snapshot's unless a client added since took it. Clients this one
    had referred are linked again unless they have another referrer by now. Reminders
    notified since the snapshot stay notified, so that none is delivered twice.
    """
    return restore_clients([snapshot])[0]


def restore_clients(
    snapshots: Iterable[ClientSnapshot], now: dict[int, ClientSnapshot | None] | None = None
) -> list[int]:
    """Put back several clients as one step, all or nothing; their ids, in order. What
    they have now is read for all of them at once (a month of printed cards: 5,134), unless
    the caller just read it (`now`, from `snapshots_of`)."""
    snapshots = list(snapshots)
    with db.atomic():
        if now is None:
            now = snapshots_of(snapshot.client.id for snapshot in snapshots)
        return [_restore(snapshot, now[snapshot.client.id]) for snapshot in snapshots]


def _restore(snapshot: ClientSnapshot, now: ClientSnapshot | None) -> int:
    """`restore_client`, given the client's snapshot as this step began (`now`)."""
    still_there = _exists(snapshot.client)
    delivered = _delivered_since(snapshot) if still_there else []
    ids: dict[tuple[str, int], int] = {}  # (table, snapshot id) -> id given now
    row = _with_referrer(snapshot)
    if still_there:
        if now is not None and now.client == snapshot.client:
            _delete_rows_added_since(snapshot, now)
        put_back = _changed_since(snapshot)
        tags_before = _tag_ids_of(snapshot.client.id) if "client_tag" in put_back else []
        _delete_rows_of(snapshot.client.id, put_back)
        if _own(row) != _own(_rows(Client, "id", snapshot.client.id)):
            _update_client(row)
    else:
        put_back = {rows.table for rows in snapshot.tables}
        tags_before = []
        _insert(row, ids)
    client_id = ids.get(("client", snapshot.client.id), snapshot.client.id)
    if "client_tag" in put_back:
        ids.update(_tags_now(snapshot.tags))
    for rows in snapshot.tables:
        if rows.table in put_back:
            _insert(rows, ids)
    _keep_delivered(delivered, client_id)
    _drop_unused_tags(tags_before)
    if not still_there:
        _link_referrals(snapshot.referrals, client_id)
        _link_partner_back(row, client_id)
    return client_id


def _exists(client: ClientKey) -> bool:
    sql = "SELECT 1 FROM client WHERE id = ? AND created_at = ?"
    return db.execute_sql(sql, tuple(client)).fetchone() is not None


def _with_referrer(snapshot: ClientSnapshot) -> Rows:
    """The client's row, referred by the same client if they are still there, and with
    their partner if the partner is still there."""
    referrer = snapshot.referrer
    values = list(snapshot.row.values[0])
    index = snapshot.row.columns.index(Client.referred_by.column_name)
    values[index] = referrer.id if referrer and _exists(referrer) else None
    index = snapshot.row.columns.index(Client.partner.column_name)
    if values[index] is not None and not _taken_ids("client", [values[index]]):
        values[index] = None
    return replace(snapshot.row, values=(tuple(values),))


def _link_partner_back(row: Rows, client_id: int) -> None:
    """Deleting the client unlinked their partner; a partner still alone is linked again."""
    partner_id = row.values[0][row.columns.index(Client.partner.column_name)]
    if partner_id is not None:
        db.execute_sql(
            "UPDATE client SET partner_id = ? WHERE id = ? AND partner_id IS NULL",
            (client_id, partner_id),
        )


def _delete_rows_added_since(snapshot: ClientSnapshot, now: ClientSnapshot) -> None:
    """Delete the client's rows added since the snapshot, by id, from each table that holds
    the snapshot's rows unchanged besides them (as `now` saw them): undoing cards printed
    for 5,134 clients then deletes their 5,134 cards instead of writing each history again
    through the search index's triggers (18 -> 5 s at XL). What the deletes cascade into, or
    an earlier client of the step changed since `now`, is found changed, and put back
    whole, by `_changed_since`."""
    for rows, rows_now in zip(snapshot.tables, now.tables, strict=True):
        model = _MODELS[rows.table]
        if not isinstance(model._meta.primary_key, AutoField):
            continue  # the client's tags (no id) go the whole way, which drops a tag unused
        was, has = set(rows.values), set(rows_now.values)
        if was < has:
            key = model._meta.primary_key.column_name
            at = rows.columns.index(key)
            added = [row[at] for row in has - was]
            for start in range(0, len(added), _CHUNK):
                chunk = added[start : start + _CHUNK]
                # The client's own rows only: an id read before the step began may since
                # have gone to another client's row put back.
                db.execute_sql(
                    f"DELETE FROM {rows.table} WHERE {_client_column(model)} = ?"
                    f" AND {key} IN ({', '.join('?' * len(chunk))})",
                    (snapshot.client.id, *chunk),
                )


def _changed_since(snapshot: ClientSnapshot) -> set[str]:
    """The client's tables to put back: those whose rows differ from the snapshot's, and
    those that refer to one of them (deleting a row deletes or unlinks what refers to it;
    reminder keys name rows that may come back under new ids). The others are left as they
    are: undoing a date added to a client with 2,000 history items wrote them all again,
    through the search index's triggers (half a second at XL)."""
    changed = {
        rows.table
        for rows in snapshot.tables
        if Counter(_rows(_MODELS[rows.table], _client_column(_MODELS[rows.table]),
                         snapshot.client.id).values) != Counter(rows.values)
    }  # fmt: skip
    grown = True
    while grown:
        grown = False
        for rows in snapshot.tables:
            if rows.table not in changed and _refers_to(rows.table) & changed:
                changed.add(rows.table)
                grown = True
    return changed


def _refers_to(table: str) -> set[str]:
    model = _MODELS[table]
    tables = {fk.rel_model._meta.table_name for fk in _foreign_keys(model)}
    if model is ReminderState:
        tables |= {named._meta.table_name for named in REMINDER_KEY_TABLES.values()}
    return tables


def _delete_rows_of(client_id: int, tables: set[str]) -> None:
    for model in reversed(CLIENT_TABLES):
        if model._meta.table_name in tables:
            sql = f"DELETE FROM {model._meta.table_name} WHERE {_client_column(model)} = ?"
            db.execute_sql(sql, (client_id,))


def _update_client(row: Rows) -> None:
    changed = {c: v for c, v in zip(row.columns, row.values[0], strict=True) if c != "id"}
    assignments = ", ".join(f"{column} = ?" for column in changed)
    client_id = row.values[0][row.columns.index("id")]
    db.execute_sql(f"UPDATE client SET {assignments} WHERE id = ?", (*changed.values(), client_id))


def _insert(rows: Rows, ids: dict[tuple[str, int], int]) -> None:
    """Insert the rows with their references remapped; an id now taken gets a new one."""
    model = _MODELS[rows.table]
    values = [_remapped(model, rows.columns, row, ids) for row in rows.values]
    placeholders = ", ".join("?" * len(rows.columns))
    sql = f"INSERT INTO {rows.table} ({', '.join(rows.columns)}) VALUES ({placeholders})"
    if not isinstance(model._meta.primary_key, AutoField):
        _execute_each(sql, values)
        return
    at = rows.columns.index(model._meta.primary_key.column_name)
    taken = _taken_ids(rows.table, [row[at] for row in values])
    _execute_each(sql, [row for row in values if row[at] not in taken])
    for row in (row for row in values if row[at] in taken):
        cursor = db.execute_sql(sql, (*row[:at], None, *row[at + 1 :]))
        ids[(rows.table, row[at])] = cursor.lastrowid


def _execute_each(sql: str, rows: list[tuple]) -> None:
    # Through peewee, which raises its own errors (a raw executemany raises sqlite3's);
    # the search index's triggers cost far more than the calls.
    for row in rows:
        db.execute_sql(sql, row)


def _remapped(model: type[Model], columns: tuple[str, ...], row: tuple, ids: dict) -> tuple:
    values = list(row)
    for fk in _foreign_keys(model):
        at = columns.index(fk.column_name)
        values[at] = ids.get((fk.rel_model._meta.table_name, values[at]), values[at])
    if model is ReminderState:
        at = columns.index(ReminderState.key.column_name)
        values[at] = _remapped_key(values[at], ids)
    return tuple(values)


def _remapped_key(text: str, ids: dict) -> str:
    key = ReminderKey.parse(text)
    table = REMINDER_KEY_TABLES[key.kind]._meta.table_name
    return str(key.for_row(ids.get((table, key.row_id), key.row_id)))


def _taken_ids(table: str, ids: list[int]) -> set[int]:
    taken = set()
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        sql = f"SELECT id FROM {table} WHERE id IN ({', '.join('?' * len(chunk))})"
        taken.update(row_id for (row_id,) in db.execute_sql(sql, chunk))
    return taken


def _tags_now(tags: tuple[tuple[int, str], ...]) -> dict[tuple[str, int], int]:
    """The tags' ids now: the tag of the same folded name, or the tag made again."""
    ids = {}
    for tag_id, name in tags:
        tag = Tag.get_or_none(fn.fold(Tag.name) == fold(name))
        if tag is None:
            free = not _taken_ids(Tag._meta.table_name, [tag_id])
            tag = Tag.create(id=tag_id if free else None, name=name)
        ids[(Tag._meta.table_name, tag_id)] = tag.id
    return ids


def _tag_ids_of(client_id: int) -> list[int]:
    query = ClientTag.select(ClientTag.tag).where(ClientTag.client == client_id)
    return [tag_id for (tag_id,) in query.tuples()]


def _drop_unused_tags(tag_ids: list[int]) -> None:
    """A tag no client has any more is gone, as when tags are edited (models/clients/saving.py)."""
    if not tag_ids:  # (a query built and run for nothing costs 0.5 ms, each of 5,000 clients)
        return
    Tag.delete().where(
        Tag.id.in_(tag_ids) & Tag.id.not_in(ClientTag.select(ClientTag.tag))
    ).execute()


def _delivered_since(snapshot: ClientSnapshot) -> list[tuple[str, str]]:
    """(key, notified at) of the client's reminders notified after the snapshot."""
    sql = "SELECT key, notified_at FROM reminder_state WHERE client_id = ? AND notified_at >= ?"
    since = _INSTANT.db_value(snapshot.taken_at)
    return db.execute_sql(sql, (snapshot.client.id, since)).fetchall()


def _keep_delivered(delivered: list[tuple[str, str]], client_id: int) -> None:
    _execute_each(
        "INSERT INTO reminder_state (key, client_id, notified_at) VALUES (?, ?, ?)"
        " ON CONFLICT (key) DO UPDATE SET notified_at = excluded.notified_at",
        [(key, client_id, notified_at) for key, notified_at in delivered],
    )


def _link_referrals(referrals: tuple[ClientKey, ...], client_id: int) -> None:
    """Deleting the client unlinked whom they referred; a referrer set since is kept."""
    _execute_each(
        "UPDATE client SET referred_by_id = ?"
        " WHERE id = ? AND created_at = ? AND referred_by_id IS NULL",
        [(client_id, *referral) for referral in referrals],
    )
