"""Writing the chosen records of an import plan, all in one transaction.

Adding and merging are one rule: a new client starts empty, and a record fills in
what the client does not have yet (an empty field, an email or phone not listed, a tag,
a note, a date, a family member, a photo). What the user typed is never overwritten.
The same functions choose what a record adds in both cases; new clients are only written
faster (nothing to look up first, many rows to a statement).
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from peewee import Model

from models.clients.saving import client_tags, set_tags, tag_named, tag_spellings
from models.exchange.importing.matching import ONE_PER_PERSON, differing_dates, email_key, own_dates
from models.exchange.importing.plan import Choice, ImportPlan, PlannedRecord, other_date_note
from models.exchange.importing.records import ImportedDate, ImportRecord, RejectedRecord
from models.exchange.phone_numbers import home_region, line_key
from models.store.database import db
from models.store.entities import (
    Client,
    ClientPhoto,
    ClientTag,
    ContactDetail,
    FamilyMember,
    ImportantDate,
    Note,
)
from models.values.folding import fold
from models.values.kinds import DEFAULT_LEAD_DAYS

Progress = Callable[[int, int], bool]  # (done, total) -> go on?


class _Cancelled(Exception):
    """The progress callback said stop: everything written so far is rolled back."""


class ClientGone(Exception):
    """The client a record was to be merged into was deleted since the plan was made."""


@dataclass
class ImportOutcome:
    added: list[int] = field(default_factory=list)  # new clients' ids
    merged: list[int] = field(default_factory=list)  # existing clients' ids
    skipped: int = 0
    rejected: list[RejectedRecord] = field(default_factory=list)
    cancelled: bool = False

    def summary(self) -> str:
        """ "Added 3 clients, merged 1, skipped 2; 1 record rejected." """
        if self.cancelled:
            return "Import cancelled; nothing was written."
        parts = [f"Added {len(self.added)} client{'s' * (len(self.added) != 1)}"]
        if self.merged:
            parts.append(f"merged {len(self.merged)}")
        if self.skipped:
            parts.append(f"skipped {self.skipped}")
        text = ", ".join(parts)
        if self.rejected:
            text += f"; {len(self.rejected)} record{'s' * (len(self.rejected) != 1)} rejected"
        return text + "."


def apply_import(
    plan: ImportPlan,
    choices: Mapping[int, Choice] | None = None,
    progress: Progress | None = None,
) -> ImportOutcome:
    """Write each record as chosen (default: add new people, skip known ones): all or
    nothing. `progress(done, total)` is called before the first and after each record;
    returning False cancels and rolls back. Any error rolls back and is raised."""
    chosen = plan.chosen(choices)
    outcome = ImportOutcome(skipped=len(plan.records) - len(chosen), rejected=plan.rejected)
    try:
        with db.atomic():
            # Looked up before anything is added: a new client may get a deleted one's id.
            merging = clients_to_merge(chosen)
            new_clients = NewClients()
            _report(progress, 0, len(chosen))
            for done, (planned, choice) in enumerate(chosen, start=1):
                if choice == Choice.MERGE:
                    new_clients.write()  # merging may drop tags no written client has yet
                    client = merging[planned.match.client_id]
                    fill_in(client, planned.record)
                    outcome.merged.append(client.id)
                else:
                    outcome.added.append(new_clients.add(planned.record))
                _report(progress, done, len(chosen))
            new_clients.write()
    except _Cancelled:
        return ImportOutcome(skipped=len(plan.records), rejected=plan.rejected, cancelled=True)
    return outcome


def clients_to_merge(chosen: list[tuple[PlannedRecord, Choice]]) -> dict[int, Client]:
    """The existing clients to merge into, by id; ClientGone if one was deleted."""
    ids = {planned.match.client_id for planned, choice in chosen if choice == Choice.MERGE}
    clients = {client.id: client for client in Client.select().where(Client.id.in_(ids))}
    for planned, choice in chosen:
        if choice == Choice.MERGE and planned.match.client_id not in clients:
            raise ClientGone(
                f"{planned.match.name} was deleted after the import was prepared; "
                "nothing was imported. Prepare the import again."
            )
    return clients


def _report(progress: Progress | None, done: int, total: int) -> None:
    # Only an explicit False cancels: a callback that forgets to return goes on.
    if progress is not None and progress(done, total) is False:
        raise _Cancelled


def fill_in(client: Client, record: ImportRecord) -> None:
    """Give an existing `client` what the record has and the client lacks."""
    for name in ("last_name", "preferred_name", "organization"):
        if not getattr(client, name):
            setattr(client, name, getattr(record, name).strip())
    if not client.address:
        client.address = joined_addresses(record.addresses)
    client.save()
    add_contact_details(client, "email", record.emails)
    add_contact_details(client, "phone", record.phones)
    if record.tags:
        set_tags(client, client_tags(client.id) + record.tags)  # existing spellings win
    # A date of theirs is never replaced: the file's other one is kept as a note.
    differs = differing_dates(own_dates(client.id), record.dates)
    file_notes = [other_date_note(own, theirs, "The imported file") for own, theirs in differs]
    add_notes(client, record.notes + file_notes)
    add_dates(client, record.dates)
    add_family(client, record.family)
    if record.photo and not ClientPhoto.select().where(ClientPhoto.client == client).exists():
        ClientPhoto.create(client=client, image=record.photo)


class NewClients:
    """New clients, written fast: each client's row at once (its id is needed), the rows
    of their emails, phones, tags, notes, dates and photos a few hundred clients at a time,
    one statement per table, instead of a dozen statements per person. A new client has
    nothing yet, so nothing needs to be looked up first."""

    BATCH = 500  # clients whose rows wait to be written

    def __init__(self) -> None:
        self._rows: dict[type[Model], list[dict]] = defaultdict(list)
        self._tag_ids: dict[str, int] = {}  # by folded name
        self._waiting = 0

    def add(self, record: ImportRecord) -> int:
        """Add the person as a new client; their id."""
        client = {
            "first_name": record.first_name.strip(),
            "last_name": record.last_name.strip(),
            "preferred_name": record.preferred_name.strip(),
            "organization": record.organization.strip(),
            "address": joined_addresses(record.addresses),
        }
        if record.uid and not Client.select().where(Client.uid == record.uid).exists():
            client["uid"] = record.uid  # else a new one: a UID names one client
        client_id = insert_rows(Client, [client]).lastrowid
        for kind, details in (("email", record.emails), ("phone", record.phones)):
            for position, (label, value) in enumerate(new_contact_details(kind, details, set())):
                self._rows[ContactDetail].append(
                    {
                        "client": client_id,
                        "kind": kind,
                        "label": label,
                        "value": value,
                        "position": position,
                    }
                )
        for folded, name in tag_spellings(record.tags).items():
            self._rows[ClientTag].append({"client": client_id, "tag": self._tag_id(folded, name)})
        for text in new_notes(record.notes, set()):
            self._rows[Note].append({"client": client_id, "text": text})
        for imported in new_dates(record.dates, set()):
            self._rows[ImportantDate].append({"client": client_id, **date_row(imported)})
        for relation, name in new_family(record.family, set()):
            self._rows[FamilyMember].append(
                {"client": client_id, "relation": relation, "name": name}
            )
        if record.photo:
            self._rows[ClientPhoto].append({"client": client_id, "image": record.photo})
        self._waiting += 1
        if self._waiting >= self.BATCH:
            self.write()
        return client_id

    def write(self) -> None:
        """Write the rows waiting."""
        for model, rows in self._rows.items():
            insert_rows(model, rows)
        self._rows.clear()
        self._waiting = 0

    def _tag_id(self, folded: str, name: str) -> int:
        if folded not in self._tag_ids:
            self._tag_ids[folded] = tag_named(folded, name).id
        return self._tag_ids[folded]


def insert_rows(model: type[Model], rows: list[dict]) -> sqlite3.Cursor:
    """INSERT `rows` (dicts with the same keys) as peewee's insert would, with each field's
    conversion and default, but with one prepared statement for them all: peewee builds
    the SQL anew for every row, which took most of an import's time."""
    given = [model._meta.fields[name] for name in rows[0]]
    defaulted = [
        field
        for field in model._meta.sorted_fields
        if field.name not in rows[0] and field.default is not None
    ]
    columns = ", ".join(f'"{field.column_name}"' for field in given + defaulted)
    places = ", ".join("?" * (len(given) + len(defaulted)))
    sql = f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES ({places})'
    values = [
        [field.db_value(row[field.name]) for field in given]
        + [field.db_value(field.default() if callable(field.default) else field.default)
           for field in defaulted]
        for row in rows
    ]  # fmt: skip
    cursor = db.cursor()
    if len(values) == 1:
        cursor.execute(sql, values[0])  # lastrowid is the new row's id
    else:
        cursor.executemany(sql, values)
    return cursor


def joined_addresses(addresses: list[tuple[str, str]]) -> str:
    """One line per address: "Home: Hauptstr. 1, 10115 Berlin", or the address alone."""
    return "\n".join(address_line(label, text) for label, text in addresses if text.strip())


def address_line(label: str, text: str) -> str:
    label = label.strip()
    return f"{label[:1].upper()}{label[1:]}: {text.strip()}" if label else text.strip()


def add_contact_details(client: Client, kind: str, details: list[tuple[str, str]]) -> None:
    """Append the emails or phones the client does not have yet, after theirs."""
    rows = list(
        ContactDetail.select().where(
            (ContactDetail.client == client) & (ContactDetail.kind == kind)
        )
    )
    known = {_contact_key(kind, row.value) for row in rows}
    position = max((row.position for row in rows), default=-1) + 1
    for offset, (label, value) in enumerate(new_contact_details(kind, details, known)):
        ContactDetail.create(
            client=client, kind=kind, label=label, value=value, position=position + offset
        )


def new_contact_details(
    kind: str, details: list[tuple[str, str]], known: set[str]
) -> Iterator[tuple[str, str]]:
    """(label, value), stripped, of the emails or phones not `known` (by their key)."""
    for label, value in details:
        key = _contact_key(kind, value)
        if value.strip() and key not in known:
            known.add(key)
            yield label.strip(), value.strip()


def _contact_key(kind: str, value: str) -> str:
    return email_key(value) if kind == "email" else line_key(value, home_region()) or value.strip()


def add_notes(client: Client, lines: list[str]) -> None:
    known = {note.text for note in Note.select(Note.text).where(Note.client == client)}
    for text in new_notes(lines, known):
        Note.create(client=client, text=text)


def new_notes(lines: list[str], known: set[str]) -> Iterator[str]:
    for line in lines:
        if line.strip() and line.strip() not in known:
            known.add(line.strip())
            yield line.strip()


def add_family(client: Client, family: list[tuple[str, str]]) -> None:
    """Add the family members the client lacks, known by their name (case and accents aside)."""
    names = FamilyMember.select(FamilyMember.name).where(FamilyMember.client == client)
    for relation, name in new_family(family, {fold(row.name.strip()) for row in names}):
        FamilyMember.create(client=client, relation=relation, name=name)


def new_family(family: list[tuple[str, str]], known: set[str]) -> Iterator[tuple[str, str]]:
    """(relation, name), stripped, of the family members whose folded name is not `known`."""
    for relation, name in family:
        if name.strip() and fold(name.strip()) not in known:
            known.add(fold(name.strip()))
            yield relation, name.strip()


def add_dates(client: Client, dates: list[ImportedDate]) -> None:
    """Add the dates the client lacks: a second birthday is never added beside theirs."""
    own = ImportantDate.select().where(
        (ImportantDate.client == client) & ImportantDate.family_member.is_null()
    )
    known = {_date_key(row.kind, row.month, row.day, row.label) for row in own}
    for imported in new_dates(dates, known):
        ImportantDate.create(client=client, **date_row(imported))


def new_dates(dates: list[ImportedDate], known: set[tuple]) -> Iterator[ImportedDate]:
    for imported in dates:
        key = _date_key(imported.kind, imported.month, imported.day, imported.label)
        if key not in known:
            known.add(key)
            yield imported


def date_row(imported: ImportedDate) -> dict:
    return {
        "kind": imported.kind,
        "month": imported.month,
        "day": imported.day,
        "year": imported.year,
        "label": imported.label,
        "lead_days": DEFAULT_LEAD_DAYS[imported.kind],
    }


def _date_key(kind: str, month: int, day: int, label: str) -> tuple:
    if kind in ONE_PER_PERSON:
        return (kind,)
    return (kind, month, day, fold(label))
