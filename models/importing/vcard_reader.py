"""Reading a vCard file (.vcf) from Apple Contacts, Google Contacts, Outlook or a phone.

The file is cut into BEGIN:VCARD ... END:VCARD blocks here, before any parsing, so a
broken card costs only itself: it becomes a RejectedRecord with its line, and the
cards around it still come through. Lines outside the blocks are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from models.importing.date_text import DateTextError, add_date, imported_date
from models.importing.labels import date_kind
from models.importing.names import no_name_reason, person_name
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

_BEGIN = re.compile(r"\s*BEGIN\s*:\s*VCARD\s*", re.IGNORECASE)
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
        if _BEGIN.fullmatch(text):
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


def _record(line: int, properties: list[Property]) -> ImportRecord | RejectedRecord:
    by_name: dict[str, list[Property]] = {}
    for prop in properties:
        by_name.setdefault(prop.name, []).append(prop)
    labels = {p.group: text_value(p) for p in by_name.get("X-ABLABEL", []) if p.group}

    def values(name: str) -> list[Property]:
        return by_name.get(name, [])

    given, family = name_parts(values("N"))
    full = first_value(values("FN"))
    organization = first_value(values("ORG"), structured=True)
    emails = _contacts(values("EMAIL"), labels, "mailto:")
    phones = _contacts(values("TEL"), labels, "tel:")
    name = person_name(given, family, full, organization)
    if name is None:
        reason = no_name_reason([e for _, e in emails], [p for _, p in phones])
        return RejectedRecord(line, reason)
    record = ImportRecord(line, *name, organization=organization, emails=emails, phones=phones)
    nicknames = [
        fields[0]
        for kind, fields in map(android_item, values("X-ANDROID-CUSTOM"))
        if kind == "nickname" and fields
    ]
    record.preferred_name = first_value(values("NICKNAME"), listed=True) or next(
        (n.strip() for n in nicknames if n.strip()), ""
    )
    record.addresses = _unique(
        (contact_label(p, labels), a) for p in values("ADR") if (a := address_text(p))
    )
    record.notes = [n for p in values("NOTE") if (n := text_value(p).strip())]
    record.tags = tag_names(values("CATEGORIES"))
    record.photo = next(filter(None, map(photo_bytes, values("PHOTO"))), None)
    try:
        record.dates = _dates(properties, labels)
    except DateTextError as error:
        who = " ".join(filter(None, name))
        return RejectedRecord(line, f"{who}: {error}")
    return record


def _contacts(props: list[Property], labels: dict[str, str], scheme: str):
    pairs = []
    for prop in props:
        value = text_value(prop).strip()
        if value.lower().startswith(scheme):
            value = value[len(scheme) :].strip()
        if value:
            pairs.append((contact_label(prop, labels), value))
    return _unique(pairs)


def _unique(pairs) -> list[tuple[str, str]]:
    """Each value once (compared without case), with the label it had first."""
    seen, kept = set(), []
    for label, value in pairs:
        if value.casefold() not in seen:
            seen.add(value.casefold())
            kept.append((label, value))
    return kept


def _dates(properties: list[Property], labels: dict[str, str]) -> list[ImportedDate]:
    """Every date on the card; raises DateTextError naming the first one that is no date."""
    dates: list[ImportedDate] = []
    for prop in properties:
        source = _date_source(prop, labels)
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
