"""The Rapport side of address-book sync: the clients' cards as Rapport would write them,
read many at a time, and a card's fields written into a client."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from dataclasses import replace

from models.clients.saving import set_tags
from models.exchange.importing.apply import NewClients, add_notes, date_row, joined_addresses
from models.exchange.importing.records import ImportedDate, ImportRecord
from models.exchange.vcard_export import CHUNK, card_details
from models.store.database import db
from models.store.entities import Client, ClientPhoto, ContactDetail, ImportantDate
from models.sync.cards import client_text
from models.sync.state import DATE_FIELDS, Fields


def client_texts(client_ids: list[int], with_note: bool) -> Iterator[tuple[int, str]]:
    """(id, the client's card as Rapport would write it), CHUNK clients a query."""
    for start in range(0, len(client_ids), CHUNK):
        chunk = client_ids[start : start + CHUNK]
        clients = {client.id: client for client in Client.select().where(Client.id.in_(chunk))}
        details = card_details(list(clients))
        for client_id, client in clients.items():
            yield client_id, client_text(client, details[client_id], with_note)


# What a client's card is made of, each row led by the client's id, and the column that
# names the client. Plain SQL: peewee's per-value work took most of an idle sync's time.
_CARD_ROWS = (
    (
        "SELECT id, first_name, last_name, preferred_name, organization, address, uid"
        " FROM client WHERE {only}",
        "id",
    ),
    (
        "SELECT client_id, kind, label, value FROM contact_detail WHERE {only}"
        " ORDER BY kind, position, id",
        "client_id",
    ),
    (
        "SELECT client_tag.client_id, tag.name FROM client_tag"
        " JOIN tag ON tag.id = client_tag.tag_id WHERE {only} ORDER BY tag.name",
        "client_tag.client_id",
    ),
    (
        "SELECT client_id, kind, year, month, day FROM important_date WHERE {only}"
        " AND family_member_id IS NULL AND kind IN ('birthday', 'wedding_anniversary')"
        " ORDER BY id",
        "client_id",
    ),
    ("SELECT client_id, length(image), updated_at FROM client_photo WHERE {only}", "client_id"),
)
_NOTE_ROWS = ("SELECT client_id, text FROM note WHERE {only} ORDER BY id", "client_id")
FEW = 50  # up to this many clients are asked for by id; more, and every row is read


def client_fingerprints(client_ids: list[int], with_note: bool) -> dict[int, str]:
    """A fingerprint of what each client's card is made of, read as raw rows (a fraction
    of the time of writing the cards): it changes when the card would."""
    found: dict[int, list] = {client_id: [with_note] for client_id in client_ids}
    few = client_ids if len(client_ids) <= FEW else []
    for template, column in (*_CARD_ROWS, *((_NOTE_ROWS,) if with_note else ())):
        only = f"{column} IN ({', '.join('?' * len(few))})" if few else "1"
        for client_id, *row in db.execute_sql(template.format(only=only), few):
            if client_id in found:
                found[client_id].append(row)
    return {
        client_id: hashlib.sha256(repr(rows).encode()).hexdigest()
        for client_id, rows in found.items()
    }


def synced_record(record: ImportRecord, with_note: bool) -> ImportRecord:
    """The card's record with only what sync brings in: no family, only the birthday and
    wedding anniversary among the dates, the note only when notes are synced."""
    dates = [d for d in record.dates if d.kind in DATE_FIELDS.values()]
    notes = record.notes if with_note else []
    return replace(record, family=[], dates=dates, notes=notes)


def add_clients(records: list[ImportRecord]) -> list[int]:
    """New clients for the cards' records; their ids, in order."""
    adding = NewClients()
    ids = [adding.add(record) for record in records]
    adding.write()
    return ids


def apply_fields(client: Client, values: Fields) -> None:
    """Write the fields given into the client; the rest stays as it is."""
    first, last = values.get("name", ["", ""])
    if first.strip():  # a client always has a first name
        client.first_name, client.last_name = first.strip(), last.strip()
    if "nickname" in values:
        client.preferred_name = values["nickname"]
    if "organization" in values:
        client.organization = values["organization"]
    if "addresses" in values:
        client.address = joined_addresses([tuple(pair) for pair in values["addresses"]])
    client.save()
    for kind, key in (("email", "emails"), ("phone", "phones")):
        if key in values:
            _replace_details(client, kind, values[key])
    for key, kind in DATE_FIELDS.items():
        if key in values:
            _replace_date(client, kind, values[key])
    if "photo" in values:
        _replace_photo(client, values["photo"])
    if "tags" in values:
        set_tags(client, list(values["tags"]))
    if "note" in values:
        add_notes(client, list(values["note"]))  # notes are history: never removed by a card


def _replace_details(client: Client, kind: str, pairs: list[list[str]]) -> None:
    mine = (ContactDetail.client == client) & (ContactDetail.kind == kind)
    ContactDetail.delete().where(mine).execute()
    for position, (label, value) in enumerate(pairs):
        ContactDetail.create(client=client, kind=kind, label=label, value=value, position=position)


def _replace_date(client: Client, kind: str, value: list | None) -> None:
    own = (
        (ImportantDate.client == client)
        & ImportantDate.family_member.is_null()
        & (ImportantDate.kind == kind)
    )
    row = ImportantDate.select().where(own).first()
    if value is None:
        ImportantDate.delete().where(own).execute()
        return
    year, month, day = value
    if row is None:
        ImportantDate.create(client=client, **date_row(ImportedDate(kind, month, day, year)))
    else:  # the reminder's lead time the owner chose stays
        row.year, row.month, row.day = year, month, day
        row.save()


def _replace_photo(client: Client, photo: str) -> None:
    ClientPhoto.delete().where(ClientPhoto.client == client).execute()
    if photo:
        ClientPhoto.create(client=client, image=base64.b64decode(photo))
