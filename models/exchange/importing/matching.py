"""Is an imported person already a client? Same card (UID), same email, same phone, or
same name. And is a person in the file twice?

A UID names one card, so it is the same person. An email is the same person when the
first name is the same too: a couple or a family shares one address. Phones are shared
(a studio, a family's landline) and names repeat, so a match by either alone, or by an
email under another first name, is only possible: the preview says so and adds the
person unless told otherwise. Within one
file, the same email or phone with the same name is the same person twice (see
SamePeople).

The existing clients' emails, phones and names are read once into an index, so a file
of thousands of contacts is matched without a query per record.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from models.exchange.importing.records import ImportedDate, ImportRecord
from models.exchange.phone_numbers import home_region, phone_key
from models.store.entities import Client, ContactDetail, ImportantDate, full_name
from models.values.folding import fold

# A person has one of these; another one from a file is not added beside it.
ONE_PER_PERSON = ("birthday", "wedding_anniversary", "client_since")


@dataclass(frozen=True)
class Match:
    """The existing client an imported person seems to be, and why: "same email anna@x.org".
    A `certain` match (the same card, or the same email and names that agree) is skipped
    or merged by default; a possible one is not."""

    client_id: int
    name: str
    why: str
    certain: bool
    # What a merge would not take as it is: "birthday differs: 16 Apr here, ..."
    differs: tuple[str, ...] = ()


def email_key(address: str) -> str:
    return address.strip().casefold()


def name_key(first: str, last: str) -> str:
    """As Client.sort_name, which SQLite triggers keep: fold(first || ' ' || last)."""
    return fold(f"{first.strip()} {last.strip()}")


class ClientIndex:
    """Every existing client's emails, phones and folded name, read at once."""

    def __init__(self, region: str | None = None) -> None:
        self.region = region or home_region()
        self.name_parts: dict[int, tuple[str, str]] = {}  # (first, last)
        self.by_name: dict[str, int] = {}
        self.by_email: dict[str, list[int]] = {}  # a family shares one address
        self.by_phone: dict[str, int] = {}
        self.by_uid: dict[str, int] = {}
        clients = Client.select(Client.id, Client.first_name, Client.last_name, Client.uid)
        for client in clients.order_by(Client.id):
            self.name_parts[client.id] = (client.first_name, client.last_name)
            self.by_name.setdefault(name_key(client.first_name, client.last_name), client.id)
            self.by_uid.setdefault(client.uid, client.id)
        for detail in ContactDetail.select().order_by(ContactDetail.client, ContactDetail.position):
            if detail.kind != "email":
                if key := phone_key(detail.value, self.region):
                    self.by_phone.setdefault(key, detail.client_id)
            elif key := email_key(detail.value):
                self.by_email.setdefault(key, []).append(detail.client_id)

    def find(self, record: ImportRecord) -> Match | None:
        """The client with the record's UID, else email, else phone, else name; None if
        nobody."""
        if record.uid and (client_id := self.by_uid.get(record.uid)):
            return self._match(client_id, "same card (UID)", certain=True)
        # Every email for a client whose name agrees, before a client who only shares one:
        # Ben's card has the family's address first and his own after it.
        by_email = [
            match for _, address in record.emails if (match := self._by_email(record, address))
        ]
        if by_email:
            return next((match for match in by_email if match.certain), by_email[0])
        for _label, number in record.phones:
            key = phone_key(number, self.region)
            if key and (client_id := self.by_phone.get(key)):
                return self._match(client_id, f"possibly: same phone {number.strip()}")
        if client_id := self.by_name.get(name_key(record.first_name, record.last_name)):
            return self._match(client_id, "possibly: same name")
        return None

    def _by_email(self, record: ImportRecord, address: str) -> Match | None:
        """The client with this email: certainly the record's person when their names
        agree (same_names), possibly when not (Ben writing from the family's address that
        Anna's client record has: skipped by default, he was lost; "Benjamin" on the phone
        for the client "Ben" is for the owner to tick)."""
        having = self.by_email.get(email_key(address), [])
        names = (record.first_name, record.last_name)
        for client_id in having:
            if same_names(self.name_parts[client_id], names):
                return self._match(client_id, f"same email {address.strip()}", certain=True)
        if having:
            return self._match(having[0], f"possibly: same email {address.strip()}")
        return None

    def _match(self, client_id: int, why: str, certain: bool = False) -> Match:
        return Match(client_id, full_name(*self.name_parts[client_id]), why, certain)


def own_dates(client_id: int) -> dict[str, ImportedDate]:
    """The client's birthday, wedding anniversary and client-since date, by kind."""
    rows = ImportantDate.select().where(
        (ImportantDate.client == client_id)
        & ImportantDate.family_member.is_null()
        & ImportantDate.kind.in_(ONE_PER_PERSON)
    )
    return {row.kind: ImportedDate(row.kind, row.month, row.day, row.year) for row in rows}


def differing_dates(
    kept: dict[str, ImportedDate], incoming: list[ImportedDate]
) -> list[tuple[ImportedDate, ImportedDate]]:
    """(kept, incoming) for each birthday, anniversary or client-since date the person
    already has and the file gives otherwise: another day, or another year where both
    are known. Such a date is never put in place of theirs."""
    pairs = []
    for imported in incoming:
        own = kept.get(imported.kind)
        if own is None:
            continue
        other_year = None not in (own.year, imported.year) and own.year != imported.year
        if (own.month, own.day) != (imported.month, imported.day) or other_year:
            pairs.append((own, imported))
    return pairs


class SamePeople:
    """Finds a person the file has twice: the same email, or the same phone (in E.164),
    as an earlier record of the file with the same name.

    A family or a studio shares one address as it shares one phone, so an email alone
    does not make two records one person: the names must agree too (the same name, or
    the same first name where one of them has no last name). Two cards with different
    UIDs are two people whatever else they share: an address book said so.
    """

    def __init__(self, region: str | None = None) -> None:
        self.region = region or home_region()
        self._seen: dict[tuple[str, ...], list[int]] = {}  # key -> positions having it
        self._people: dict[int, ImportRecord] = {}  # position -> its first record

    def earlier(self, record: ImportRecord, position: int) -> int | None:
        """The position of the earlier record that is this person, else None; the
        record's keys are remembered as at `position` when it is nobody earlier."""
        keys = [("email", email_key(address)) for _label, address in record.emails]
        keys += [
            ("phone", key)
            for _label, number in record.phones
            if (key := phone_key(number, self.region))
        ]
        found = next(
            (
                earlier
                for key in keys
                for earlier in self._seen.get(key, [])
                if same_person(self._people[earlier], record)
            ),
            None,
        )
        if found is None:
            self._people[position] = record
        elif record.uid and not self._people[found].uid:
            # The joined person takes this UID (see combined): no other card's joins them.
            self._people[found] = replace(self._people[found], uid=record.uid)
        at = position if found is None else found
        for key in keys:
            if at not in (known := self._seen.setdefault(key, [])):
                known.append(at)
        return found


def same_person(first: ImportRecord, other: ImportRecord) -> bool:
    """Whether two records that share an email or a phone are one person: no two UIDs,
    and names that agree (same_names)."""
    if first.uid and other.uid and first.uid != other.uid:
        return False
    return same_names((first.first_name, first.last_name), (other.first_name, other.last_name))


def same_names(one: tuple[str, str], other: tuple[str, str]) -> bool:
    """Whether two (first, last) names are one person's: the same first name, and the
    same last name or none on one side; folded ("Zoe" is "Zoë"). A couple or a family
    sharing an address differ in the first; "Dan" is not taken for "Daniela", nor "Ben"
    for "Benjamin": that is for the owner to say."""
    (first, last), (other_first, other_last) = (
        tuple(fold(part.strip()) for part in names) for names in (one, other)
    )
    return first == other_first and (last == other_last or not (last and other_last))


def combined(first: ImportRecord, other: ImportRecord) -> ImportRecord:
    """One record of two of the same person: the first's names and photo win, the
    lists (emails, phones, notes, tags, dates...) are joined (the writing leaves out the
    repeats). A birthday of the other that differs is kept as a note."""
    changes = {}
    for field in fields(ImportRecord):
        mine, theirs = getattr(first, field.name), getattr(other, field.name)
        if isinstance(mine, list):
            changes[field.name] = mine + theirs
        elif not mine and field.name != "line":
            changes[field.name] = theirs
    return replace(first, **changes)
