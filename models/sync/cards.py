"""A client and an address-book card, as the fields both keep, and their three-way merge.

Both sides are read the same way: the client is written as a card (the vCard export) and
read back with the import's tolerant reader, as a server card is. So "the same" means
the same to both, and a card Rapport wrote reads back as what it wrote.

Only the synced fields are Rapport's to write on a card. Every other property a phone
or another program put there (a ringtone, a social profile, Apple's related names, the
card's note while the owner keeps notes out) is kept and written back unchanged.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field

from models.exchange.importing.apply import joined_addresses
from models.exchange.importing.records import ImportedDate, ImportRecord
from models.exchange.importing.text_decoding import decode_lines, redecode
from models.exchange.importing.vcard_reader import read_vcards
from models.exchange.vcard_export import CardDetails, client_card, wrap_line
from models.store.entities import Client, ContactDetail, ImportantDate
from models.sync.state import DATE_FIELDS, SYNCED, Fields, Value

_LISTS = ("emails", "phones", "addresses", "tags", "note")
# The properties each synced field is written as (NOTE only while notes are synced).
_PROPERTIES = {
    "N": "name",
    "FN": "name",
    "NICKNAME": "nickname",
    "ORG": "organization",
    "EMAIL": "emails",
    "TEL": "phones",
    "ADR": "addresses",
    "BDAY": "birthday",
    "ANNIVERSARY": "anniversary",
    "PHOTO": "photo",
    "CATEGORIES": "tags",
    "NOTE": "note",
}
# What describes the card itself: Rapport writes these anew.
_OF_THE_CARD = {"BEGIN", "END", "VERSION", "PRODID", "UID", "REV"}
_NAME = re.compile(r"^(?:([A-Za-z0-9-]+)\.)?([A-Za-z0-9-]+)")


class BadCard(ValueError):
    """A card that cannot be read; its str() says why."""


@dataclass
class Card:
    """A server card: its fields, its UID, its version and what Rapport keeps as it is."""

    fields: Fields
    uid: str
    version: str
    lines: list[str]  # its content lines, unfolded
    record: ImportRecord


def read_card(data: bytes, with_note: bool) -> Card:
    """One card from the server. Raises BadCard when it cannot be read (it costs itself)."""
    result = read_vcards(data) if data.strip() else None
    if result is None or not result.records:
        reason = result.rejected[0].reason if result and result.rejected else "it is empty"
        raise BadCard(reason)
    record = result.records[0]
    # As the importer reads it: a byte that is not UTF-8 is Windows-1252 (or its CHARSET).
    lines = [redecode(line) for line in _unfolded(decode_lines(data))]
    version = next((line.partition(":")[2] for line in lines if _named(line)[0] == "VERSION"), "")
    return Card(
        fields=record_fields(record, with_note),
        uid=record.uid,
        version="4.0" if version.strip() == "4.0" else "3.0",
        lines=lines,
        record=record,
    )


def record_fields(record: ImportRecord, with_note: bool) -> Fields:
    """The synced fields of a card read by the importer."""
    dates = {kind: _date(record.dates, own) for kind, own in DATE_FIELDS.items()}
    photo = base64.b64encode(record.photo).decode() if record.photo else ""
    return {
        "name": [record.first_name.strip(), record.last_name.strip()],
        "nickname": record.preferred_name.strip(),
        "organization": record.organization.strip(),
        "emails": [[label, value] for label, value in record.emails],
        "phones": [[label, value] for label, value in record.phones],
        "addresses": [[label, value] for label, value in record.addresses],
        **dates,
        "photo": photo,
        "tags": sorted(record.tags, key=str.casefold),
        "note": [note.strip() for note in record.notes] if with_note else [],
    }


def _date(dates: list[ImportedDate], kind: str) -> Value:
    found = next((d for d in dates if d.kind == kind), None)
    return None if found is None else [found.year, found.month, found.day]


def client_text(client: Client, details: CardDetails, with_note: bool) -> str:
    """The card Rapport would write for the client (only the synced fields): what the
    client's fields are read from, as a server card's are."""
    synced = CardDetails(
        contacts=details.contacts,
        notes=details.notes if with_note else [],
        tags=details.tags,
        dates=[row for row in details.dates if row.kind in DATE_FIELDS.values()],
        photo=details.photo,
    )
    return client_card(client, synced)


def text_fields(text: str, with_note: bool) -> Fields:
    return read_card(text.encode(), with_note).fields


def card_text(
    fields: Fields,
    uid: str,
    changed: set[str] | frozenset[str] = frozenset(SYNCED),
    server: Card | None = None,
) -> str:
    """The card for the server: the `changed` fields as the export writes them; every
    other line as the server's card has it (a phone's structured address stays as the
    phone wrote it while Rapport changed only the tags)."""
    client, details = _unsaved_client(fields, uid)
    version = server.version if server else "3.0"
    written = _unfolded(client_card(client, details, version).splitlines())
    ours = [line for line, key in _fields_of(written) if key in changed or _head(line)]
    lines = server.lines if server else []
    theirs = [line for line, key in _fields_of(lines) if key not in changed and not _head(line)]
    theirs = _regrouped(theirs, _groups(ours))
    end = ours.pop()  # END:VCARD
    return "".join(wrap_line(line) for line in [*ours, *theirs, end])


def _head(line: str) -> bool:
    found = _NAME.match(line)
    return bool(found) and found[2].upper() in _OF_THE_CARD


def _unsaved_client(fields: Fields, uid: str) -> tuple[Client, CardDetails]:
    first, last = fields["name"]
    client = Client(
        first_name=first,
        last_name=last,
        preferred_name=fields["nickname"],
        organization=fields["organization"],
        address=joined_addresses([tuple(pair) for pair in fields["addresses"]]),
        uid=uid,
    )
    contacts = [
        ContactDetail(kind=kind, label=label, value=value)
        for kind, key in (("email", "emails"), ("phone", "phones"))
        for label, value in fields[key]
    ]
    dates = [
        ImportantDate(kind=kind, year=fields[key][0], month=fields[key][1], day=fields[key][2])
        for key, kind in DATE_FIELDS.items()
        if fields[key]
    ]
    photo = base64.b64decode(fields["photo"]) if fields["photo"] else None
    return client, CardDetails(
        contacts=contacts, notes=list(fields["note"]), tags=fields["tags"], dates=dates, photo=photo
    )


def _unfolded(lines: list[str]) -> list[str]:
    """Content lines with their continuations joined (RFC 6350 3.2)."""
    joined: list[str] = []
    for line in lines:
        if line[:1] in (" ", "\t") and joined:
            joined[-1] += line[1:]
        elif line.strip():
            joined.append(line.rstrip("\r\n"))
    return joined


def _named(line: str) -> tuple[str, str]:
    """(upper-case name, lower-case group) of a content line."""
    found = _NAME.match(line)
    return (found[2].upper(), (found[1] or "").lower()) if found else ("", "")


def _fields_of(lines: list[str]) -> list[tuple[str, str]]:
    """Each line with the synced field it belongs to: "" for the card's own lines and for
    properties Rapport does not write; a grouped line (Apple's X-ABLabel) goes with the
    property of its group."""
    named = [_named(line) for line in lines]
    by_group = {group: _PROPERTIES[name] for name, group in named if group and name in _PROPERTIES}
    return [
        (line, "" if name in _OF_THE_CARD else by_group.get(group) or _PROPERTIES.get(name, ""))
        for line, (name, group) in zip(lines, named, strict=True)
    ]


def _groups(lines: list[str]) -> set[str]:
    return {group for group in (_named(line)[1] for line in lines) if group}


def _regrouped(lines: list[str], taken: set[str]) -> list[str]:
    """The lines with each group that is `taken` renamed to a free "itemN"."""
    renamed: dict[str, str] = {}
    count = 0
    result = []
    for line in lines:
        group = _named(line)[1]
        if group in taken:
            if group not in renamed:
                count += 1
                while f"item{count}" in taken | _groups(lines):
                    count += 1
                renamed[group] = f"item{count}"
                taken = taken | {renamed[group]}
            line = renamed[group] + line[len(group) :]
        result.append(line)
    return result


@dataclass
class Merged:
    """The outcome of a merge: the fields both sides should have, which side needs what,
    and the fields both changed otherwise (each side keeps its value until resolved)."""

    fields: Fields
    for_client: set[str] = field(default_factory=set)  # fields to write in Rapport
    for_card: set[str] = field(default_factory=set)  # fields to write on the card
    conflicts: dict[str, tuple[Value, Value]] = field(default_factory=dict)  # ours, theirs

    def card_fields(self) -> Fields:
        """What the card gets: the merge, with the server's value where in conflict."""
        return self.fields | {key: theirs for key, (_ours, theirs) in self.conflicts.items()}


def merge(base: Fields | None, ours: Fields, theirs: Fields) -> Merged:
    """Field by field against what was last synced (`base`): a field changed on one side
    only takes that side's value; changed on both to different values, it is a conflict.
    Without a base (a client and a card matched on a first sync), an empty field takes the
    other side's value, lists are joined, and different values are a conflict."""
    merged = Merged(fields={})
    for key in SYNCED:
        mine, other = ours[key], theirs[key]
        if base is not None:
            value = _three_way(base[key], mine, other)
        else:
            value = _two_way(key, mine, other)
        if value is _CONFLICT:
            merged.conflicts[key] = (mine, other)
            value = mine
        merged.fields[key] = value
        if value != mine:
            merged.for_client.add(key)
        if value != other and key not in merged.conflicts:
            merged.for_card.add(key)
    return merged


_CONFLICT = object()


def _empty(value: Value) -> bool:
    return not value or value == ["", ""]


def _three_way(base: Value, mine: Value, other: Value) -> Value:
    if mine == other or other == base:
        return mine
    if mine == base:
        return other
    return _CONFLICT


def _two_way(key: str, mine: Value, other: Value) -> Value:
    if mine == other or _empty(other):
        return mine
    if _empty(mine):
        return other
    if key in _LISTS:
        joined = list(mine) + [item for item in other if item not in mine]
        return sorted(joined, key=str.casefold) if key == "tags" else joined
    return _CONFLICT


def dumps(value: Value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
