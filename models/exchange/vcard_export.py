"""The clients as vCards, for phones, mail apps, other address books and CardDAV servers.

vCard 3.0 (RFC 2426) by default: its photo (PHOTO;ENCODING=b;TYPE=JPEG:...) is what
servers keep; Radicale cut every vCard 4.0 data: URI photo to its header, the image
lost. 4.0 (RFC 6350) is written on request. Written by hand rather than with vobject: each
property is one content line, its text escaped (backslash, comma, semicolon, newline)
and wrapped at 75 octets without splitting a character. Everything the person's card can
carry goes out and comes back in through Rapport's own vCard reader: the UID (the
client's own, the same in every export), names, preferred name, organization, emails
and phones with their labels, address lines, tags, the yearly dates (year unknown as
--MMDD), family (RELATED) and the photo; the private notes only when asked for, since a
vCard file is often shared.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from models.clients.saving import alphabetical
from models.reminders.rules import lead_times
from models.store.entities import (
    Client,
    ClientPhoto,
    ClientTag,
    ContactDetail,
    FamilyMember,
    ImportantDate,
    Note,
    Tag,
)
from models.store.private_files import replacing
from models.values.image_types import image_type
from models.values.kinds import IMPORTANT_DATE_KINDS

PRODID = "-//Rapport//Clients//EN"
LINE_OCTETS = 75
DATE_PROPERTIES = {"birthday": "BDAY", "wedding_anniversary": "ANNIVERSARY"}
# Labels every address book reads as TYPE values; any other label is written Apple's way,
# as a group with an X-ABLabel ("item1.EMAIL:..." and "item1.X-ABLabel:Studio").
PLACES = ("home", "work", "other")
KIND_TYPES = {"mobile": "cell", "iPhone": "iphone", "fax": "fax", "pager": "pager"}
LONGEST_ADDRESS_LABEL = 30
CHUNK = 500  # clients read at once: few queries, bounded memory

Line = tuple[str, dict[str, str], str]  # (name, parameters, escaped value)


@dataclass(frozen=True)
class CardOptions:
    """What the user chose: private notes in or out (out by default: a vCard file is
    often shared), and the vCard version."""

    with_notes: bool = False
    version: str = "3.0"


@dataclass
class Written:
    """What an export wrote, and what it left out."""

    clients: int = 0
    notes_left_out: int = 0  # notes not written (CardOptions.with_notes off)
    clients_with_notes: int = 0  # the clients whose notes they are

    def left_out(self) -> str:
        """ "Private notes were left out (3 notes of 2 clients)." or "" when nothing was."""
        if not self.notes_left_out:
            return ""
        notes = _plural(self.notes_left_out, "note")
        clients = _plural(self.clients_with_notes, "client")
        return f"Private notes were left out ({notes} of {clients})."


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' * (count != 1)}"


def note_count(client_ids: list[int] | None = None) -> int:
    """How many private notes the clients (all, or those given) have."""
    query = Note.select()
    if client_ids is not None:
        query = query.where(Note.client.in_(client_ids))
    return query.count()


def write_vcards(
    target: Path, client_ids: list[int] | None = None, options: CardOptions = CardOptions()
) -> Written:
    """Write the clients (all of them, or those given) to `target`, all or nothing.
    Read and written CHUNK clients at a time: one query per table for each, not five per
    client (100,000 clients took 81 s that way)."""
    with replacing(target) as out:
        return write_cards(out.write, client_ids, options)


def write_cards(
    write: Callable[[str], object], client_ids: list[int] | None, options: CardOptions
) -> Written:
    """Each client's card to `write`, in the order of their names."""
    query = Client.select(Client.id).order_by(Client.sort_name, Client.id)
    if client_ids is not None:
        query = query.where(Client.id.in_(client_ids))
    ids = [client_id for (client_id,) in query.tuples()]
    written = Written(clients=len(ids))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        clients = {c.id: c for c in Client.select().where(Client.id.in_(chunk))}
        details = card_details(chunk)
        for client_id in chunk:
            card = details[client_id]
            if not options.with_notes and card.notes:
                written.notes_left_out += len(card.notes)
                written.clients_with_notes += 1
                card.notes = []
            write(client_card(clients[client_id], card, options.version))
    return written


@dataclass
class CardDetails:
    """What a card says besides the client row, read for many clients at once."""

    contacts: list[ContactDetail] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    dates: list[ImportantDate] = field(default_factory=list)
    family: list[FamilyMember] = field(default_factory=list)
    photo: bytes | None = None


def card_details(client_ids: list[int]) -> dict[int, CardDetails]:
    found = {client_id: CardDetails() for client_id in client_ids}
    contacts = ContactDetail.select().where(ContactDetail.client.in_(client_ids))
    for detail in contacts.order_by(ContactDetail.kind, ContactDetail.position):
        found[detail.client_id].contacts.append(detail)
    for client_id, note in (
        Note.select(Note.client, Note.text).where(Note.client.in_(client_ids)).order_by(Note.id)
    ).tuples():
        found[client_id].notes.append(note)
    tags = (
        Tag.select(ClientTag.client, Tag.name)
        .join(ClientTag)
        .where(ClientTag.client.in_(client_ids))
    )
    for client_id, name in tags.tuples():
        found[client_id].tags.append(name)
    for details in found.values():
        details.tags = alphabetical(details.tags)
    own_dates = ImportantDate.client.in_(client_ids) & ImportantDate.family_member.is_null()
    for row in ImportantDate.select().where(own_dates).order_by(ImportantDate.id):
        found[row.client_id].dates.append(row)
    family = FamilyMember.select().where(FamilyMember.client.in_(client_ids))
    for member in family.order_by(FamilyMember.id):
        found[member.client_id].family.append(member)
    photos = ClientPhoto.select(ClientPhoto.client, ClientPhoto.image)
    for client_id, image in photos.where(ClientPhoto.client.in_(client_ids)).tuples():
        found[client_id].photo = bytes(image)
    return found


def client_card(client: Client, details: CardDetails, version: str = "3.0") -> str:
    """One client's vCard (3.0 or 4.0), CRLF line endings, lines wrapped."""
    groups = Groups()
    lines = [
        ("BEGIN", {}, "VCARD"),
        ("VERSION", {}, version),
        ("PRODID", {}, PRODID),
        ("UID", {}, text(client.uid)),
        ("FN", {}, text(client.full_name)),
        ("N", {}, f"{text(client.last_name)};{text(client.first_name)};;;"),
        *_optional("NICKNAME", client.preferred_name),
        *_optional("ORG", client.organization),
        *_contact_lines(details.contacts, groups),
        *_address_lines(client.address, groups),
        *(("NOTE", {}, text(note)) for note in details.notes),
        *_tag_lines(details.tags),
        *_date_lines(details.dates, groups),
        *_family_lines(details.family),
        *_photo_lines(details.photo, version),
        ("END", {}, "VCARD"),
    ]
    return "".join(content_line(name, params, value) for name, params, value in lines)


class Groups:
    """Numbers the labelled properties of one card: item1, item2..."""

    def __init__(self) -> None:
        self.count = 0

    def labelled(
        self, name: str, params: dict[str, str], value: str, label: str, types: str = ""
    ) -> list[Line]:
        """The property with its label as TYPE values when given (address books know
        those), else grouped with an X-ABLabel."""
        if types:
            return [(name, params | {"TYPE": types}, value)]
        if not label:
            return [(name, params, value)]
        self.count += 1
        group = f"item{self.count}"
        return [(f"{group}.{name}", params, value), (f"{group}.X-ABLabel", {}, text(label))]


def label_types(label: str) -> str:
    """ "home", "work mobile" -> "home", "work,cell"; "" for a label of the user's own."""
    place, _, kind = label.partition(" ") if " " in label else ("", "", label)
    if not place and kind in PLACES:
        place, kind = kind, ""
    if (place and place not in PLACES) or (kind and kind not in KIND_TYPES):
        return ""
    return ",".join(filter(None, (place, KIND_TYPES.get(kind, ""))))


def _optional(name: str, value: str) -> list[Line]:
    return [(name, {}, text(value))] if value else []


def _contact_lines(contacts: list[ContactDetail], groups: Groups) -> Iterable[Line]:
    for detail in contacts:
        name = "EMAIL" if detail.kind == "email" else "TEL"
        label = detail.label
        yield from groups.labelled(name, {}, text(detail.value), label, label_types(label))


def _address_lines(address: str, groups: Groups) -> Iterable[Line]:
    """One ADR per line of the free-text address, its text as the street; a line
    "Home: ..." as imported is the home address."""
    for line in address.splitlines():
        label, street = address_label(line.strip())
        if street:
            types = label.lower() if label in ("Home", "Work", "Other") else ""
            yield from groups.labelled(
                "ADR", {"LABEL": street}, f";;{text(street)};;;;", label, types
            )


def address_label(line: str) -> tuple[str, str]:
    """ "Home: Hauptstr. 1" -> ("Home", "Hauptstr. 1"); a line without a short
    capitalised label before ": " -> ("", line)."""
    label, separator, rest = line.partition(": ")
    labelled = separator and rest.strip() and 0 < len(label) <= LONGEST_ADDRESS_LABEL
    if not labelled or label[:1] != label[:1].upper() or label != label.strip():
        return "", line
    return label, rest.strip()


def _tag_lines(tags: list[str]) -> list[Line]:
    return [("CATEGORIES", {}, ",".join(text(tag) for tag in tags))] if tags else []


def _date_lines(dates: list[ImportantDate], groups: Groups) -> Iterable[Line]:
    """The client's own yearly dates (a family member's birthday is theirs): birthday and
    wedding anniversary as BDAY and ANNIVERSARY, any other as Apple's labelled X-ABDATE."""
    for row in dates:
        value = date_value(row.year, row.month, row.day)
        params = _reminder_params(row)
        if row.kind in DATE_PROPERTIES:
            yield (DATE_PROPERTIES[row.kind], params, value)
        else:
            label = row.label if row.kind == "custom" else IMPORTANT_DATE_KINDS[row.kind]
            yield from groups.labelled("X-ABDATE", params, value, label or "Other date")


REMINDER_PARAM = "X-RAPPORT-REMIND-DAYS"


def _reminder_params(row: ImportantDate) -> dict[str, str]:
    """A date with several reminders carries them all, days before, as an extension
    parameter other address books keep and ignore: X-RAPPORT-REMIND-DAYS=7,1."""
    times = lead_times(row.lead_days, row.more_lead_days)
    return {REMINDER_PARAM: ",".join(map(str, times))} if len(times) > 1 else {}


def date_value(year: int | None, month: int, day: int) -> str:
    """ "19850415", or "--0415" when the year is unknown (RFC 6350 4.3.1)."""
    return f"{year:04d}{month:02d}{day:02d}" if year is not None else f"--{month:02d}{day:02d}"


# Rapport's relations as RFC 6350 RELATED types ("pet" is none: written as it is, as the
# readers of this and other address books take it).
RELATED_TYPES = {
    "partner": "spouse",
    "child": "child",
    "parent": "parent",
    "sibling": "sibling",
    "friend": "friend",
    "pet": "pet",
    "other": "kin",
}


def _family_lines(family: list[FamilyMember]) -> list[Line]:
    """RELATED;TYPE=spouse;VALUE=text:Lea: the name and relation (their notes and
    birthdays stay in Rapport and its full archive)."""
    return [
        ("RELATED", {"TYPE": RELATED_TYPES.get(m.relation, "kin"), "VALUE": "text"}, text(m.name))
        for m in family
        if m.name.strip()
    ]


def _photo_lines(image: bytes | None, version: str) -> list[Line]:
    """3.0's inline base64 (kept by CardDAV servers), or 4.0's data: URI."""
    if image is None:
        return []
    mime, encoded = image_type(image)[0], base64.b64encode(image).decode()
    if version == "4.0":
        return [("PHOTO", {}, f"data:{mime};base64,{encoded}")]
    return [("PHOTO", {"ENCODING": "b", "TYPE": mime.removeprefix("image/").upper()}, encoded)]


def text(value: str) -> str:
    """A text value escaped as RFC 6350 3.4 says."""
    return (
        value.replace("\\", "\\\\")
        .replace(",", "\\,")
        .replace(";", "\\;")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def param_value(value: str) -> str:
    """A parameter value, quoted when it holds a separator; newlines and double quotes
    cannot be written in one (RFC 6350 3.3), so they become a space and a single quote."""
    value = " ".join(value.splitlines()).replace('"', "'")
    return f'"{value}"' if any(c in value for c in ":;, ") else value


def content_line(name: str, params: dict[str, str], value: str) -> str:
    parameters = "".join(f";{key}={param_values(key, v)}" for key, v in params.items())
    return wrap_line(f"{name}{parameters}:{value}")


def param_values(key: str, value: str) -> str:
    """TYPE holds a list ("work,fax"), written unquoted: quoted, vobject and other readers
    take it as one type nobody knows."""
    if key == "TYPE":
        return ",".join(param_value(one) for one in value.split(","))
    return param_value(value)


def wrap_line(line: str) -> str:
    """The line cut into pieces of at most 75 octets, each after the first starting with
    a space, never inside a UTF-8 character; CRLF after each."""
    if line.isascii():  # one octet a character: a photo's long base64 line is cut fast
        rest = [
            line[i : i + LINE_OCTETS - 1] for i in range(LINE_OCTETS, len(line), LINE_OCTETS - 1)
        ]
        return "\r\n ".join([line[:LINE_OCTETS], *rest]) + "\r\n"
    pieces, piece, size, limit = [], [], 0, LINE_OCTETS
    for char in line:
        octets = len(char.encode())
        if size + octets > limit:
            pieces.append("".join(piece))
            piece, size, limit = [], 0, LINE_OCTETS - 1
        piece.append(char)
        size += octets
    pieces.append("".join(piece))
    return "\r\n ".join(pieces) + "\r\n"
