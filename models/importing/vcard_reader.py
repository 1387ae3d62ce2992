"""Reading a vCard file (.vcf) from Apple Contacts, Google Contacts, Outlook or a phone.

The file is cut into BEGIN:VCARD ... END:VCARD blocks here, before any parsing, so a
broken card costs only itself: it becomes a RejectedRecord with its line, and the
cards around it still come through. Lines outside the blocks are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from models.importing.date_text import DateTextError, add_date, imported_date
from models.importing.labels import date_kind, unique_values
from models.importing.names import display_name, no_name_reason, person_name
from models.importing.records import (
    ImportedDate,
    ImportRecord,
    ReadResult,
    RejectedRecord,
    UnreadableFile,
)
from models.importing.text_decoding import EMPTY_FILE, decode_lines, looks_binary
from models.importing.vcard_properties import CardError, Property, card_properties
from models.importing.vcard_values import (
    address_text,
    android_item,
    contact_label,
    first_value,
    name_parts,
    photo_bytes,
    tag_names,
    text_value,
)

BEGIN_CARD = re.compile(r"\s*BEGIN\s*:\s*VCARD\s*", re.IGNORECASE)
_END = re.compile(r"\s*END\s*:\s*VCARD\s*", re.IGNORECASE)

_DATE_KINDS = {
    "BDAY": "birthday",
    "ANNIVERSARY": "wedding_anniversary",
    "X-ANNIVERSARY": "wedding_anniversary",
    "X-MS-ANNIVERSARY": "wedding_anniversary",
    "X-EVOLUTION-ANNIVERSARY": "wedding_anniversary",
    "X-ABDATE": "custom",  # Apple's dates; the group's X-ABLabel says which
}
# Android's event types (ContactsContract.CommonDataKinds.Event); 0 has its own label.
_ANDROID_EVENTS = {"1": ("wedding_anniversary", ""), "3": ("birthday", "")}


def read_vcards(data: bytes) -> ReadResult:
    """Every card in `data`: a record, or a rejection saying why. Raises UnreadableFile."""
    lines = decode_lines(data)
    if not any(line.strip() for line in lines):
        raise UnreadableFile(EMPTY_FILE)
    result = ReadResult()
    for start, block, problem in _blocks(lines):
        outcome = RejectedRecord(start, problem) if problem else _read_card(start, block)
        target = result.records if isinstance(outcome, ImportRecord) else result.rejected
        target.append(outcome)
    if not result.records and not result.rejected:
        what = (
            "it holds binary data, not text" if looks_binary(data) else "no line says BEGIN:VCARD"
        )
        raise UnreadableFile(
            f"This is not a vCard file: {what}. "
            "Export your contacts as vCard (.vcf) and choose that file."
        )
    return result


def _blocks(lines: list[str]) -> Iterator[tuple[int, list[str], str]]:
    """(first line, lines, problem) for each BEGIN:VCARD; problem is "" for a whole card."""
    start, block = 0, []
    for number, text in enumerate(lines, start=1):
        if BEGIN_CARD.fullmatch(text):
            if start:
                yield (
                    start,
                    block,
                    f"the card has no END:VCARD before the next card (line {number})",
                )
            start, block = number, [text]
        elif start:
            block.append(text)
            if _END.fullmatch(text):
                yield start, block, ""
                start = 0
    if start:
        yield start, block, "the file ends before this card's END:VCARD (is the file cut short?)"


def _read_card(line: int, lines: list[str]) -> ImportRecord | RejectedRecord:
    try:
        properties = card_properties(lines[1:-1], line + 1)
        return _record(line, properties)
    except CardError as error:
        return RejectedRecord(line, str(error))


class _Card:
    """A card's properties by name, and Apple's labels by group (item1.X-ABLabel)."""

    def __init__(self, properties: list[Property]):
        self.properties = properties
        self.by_name: dict[str, list[Property]] = {}
        for prop in properties:
            self.by_name.setdefault(prop.name, []).append(prop)
        self.labels = {p.group: text_value(p) for p in self.values("X-ABLABEL") if p.group}

    def values(self, name: str) -> list[Property]:
        return self.by_name.get(name, [])

    def contacts(self, name: str, scheme: str) -> list[tuple[str, str]]:
        """(label, value) of each EMAIL or TEL, without a "mailto:" or "tel:" in front."""
        pairs = []
        for prop in self.values(name):
            value = text_value(prop).strip()
            if value.lower().startswith(scheme):
                value = value[len(scheme) :].strip()
            pairs.append((contact_label(prop, self.labels), value))
        return unique_values(pairs)

    def addresses(self) -> list[tuple[str, str]]:
        return unique_values(
            (contact_label(p, self.labels), address_text(p)) for p in self.values("ADR")
        )

    def nickname(self) -> str:
        """NICKNAME's first, else Android's (a 2.1 card has no NICKNAME)."""
        android = map(android_item, self.values("X-ANDROID-CUSTOM"))
        names = (f[0].strip() for kind, f in android if kind == "nickname" and f)
        return first_value(self.values("NICKNAME"), listed=True) or next(filter(None, names), "")


def _record(line: int, properties: list[Property]) -> ImportRecord | RejectedRecord:
    card = _Card(properties)
    given, family = name_parts(card.values("N"))
    organization = first_value(card.values("ORG"), structured=True)
    emails, phones = card.contacts("EMAIL", "mailto:"), card.contacts("TEL", "tel:")
    name = person_name(given, family, first_value(card.values("FN")), organization)
    if name is None:
        return RejectedRecord(line, no_name_reason(emails, phones))
    try:
        dates = _dates(card)
    except DateTextError as error:
        return RejectedRecord(line, f"{display_name(*name)}: {error}")
    return ImportRecord(
        line,
        *name,
        preferred_name=card.nickname(),
        organization=organization,
        emails=emails,
        phones=phones,
        addresses=card.addresses(),
        notes=[note for p in card.values("NOTE") if (note := text_value(p).strip())],
        tags=tag_names(card.values("CATEGORIES")),
        dates=dates,
        photo=next(filter(None, map(photo_bytes, card.values("PHOTO"))), None),
        uid=first_value(card.values("UID")),
    )


def _dates(card: _Card) -> list[ImportedDate]:
    """Every date on the card; raises DateTextError naming the first one that is no date."""
    dates: list[ImportedDate] = []
    for prop in card.properties:
        source = _date_source(prop, card.labels)
        if source is None:
            continue
        text, kind, label = source
        omitted = prop.param("X-APPLE-OMIT-YEAR")
        unknown_year = int(omitted) if omitted.isdigit() else None
        add_date(dates, imported_date(text, kind, label, unknown_year=unknown_year))
    return dates


def _date_source(prop: Property, labels: dict[str, str]) -> tuple[str, str, str] | None:
    """(text, kind, label) when the property is a date; Apple and Android label theirs."""
    if prop.name == "X-ANDROID-CUSTOM":
        kind, fields = android_item(prop)
        if kind != "contact_event" or not fields:
            return None
        code, label = [*fields, "", ""][1:3]
        return fields[0], *_ANDROID_EVENTS.get(
            code.strip(), date_kind(label if code.strip() == "0" else "")
        )
    kind = _DATE_KINDS.get(prop.name)
    if kind is None:
        return None
    if kind == "custom":
        return text_value(prop), *date_kind(labels.get(prop.group, ""))
    return text_value(prop), kind, ""
