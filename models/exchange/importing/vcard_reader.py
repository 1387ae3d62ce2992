"""Reading a vCard file (.vcf) from Apple Contacts, Google Contacts, Outlook or a phone.

The file is cut into BEGIN:VCARD ... END:VCARD blocks here, before any parsing, so a
broken card costs only itself: it becomes a RejectedRecord with its line, and the
cards around it still come through. Lines outside the blocks are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from models.exchange.importing.date_text import FoundDates
from models.exchange.importing.labels import date_kind, relation_of, unique_values
from models.exchange.importing.names import no_name_reason, person_name
from models.exchange.importing.records import (
    ImportRecord,
    ReadResult,
    RejectedRecord,
    UnreadableFile,
)
from models.exchange.importing.text_decoding import EMPTY_FILE, decode_lines, looks_binary
from models.exchange.importing.vcard_properties import Property, card_properties
from models.exchange.importing.vcard_values import (
    adr_text,
    android_item,
    contact_label,
    first_value,
    is_photo_link,
    name_parts,
    photo_bytes,
    related_name,
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
# Android's relation types (ContactsContract.CommonDataKinds.Relation); 0 has its own label.
_ANDROID_RELATIONS = {"2": "brother", "3": "child", "4": "partner", "5": "father", "6": "friend"}
_ANDROID_RELATIONS |= {"8": "mother", "9": "parent", "10": "partner", "13": "sister"}
_ANDROID_RELATIONS |= {"14": "spouse"}
# What Rapport reads of a card; of the rest, what describes the card itself rather than the
# person is passed over quietly, anything else is named in the report as not kept.
_READ = {"N", "FN", "ORG", "EMAIL", "TEL", "ADR", "NOTE", "CATEGORIES", "PHOTO", "NICKNAME"}
_READ |= {"RELATED", "X-ABRELATEDNAMES", "X-ABLABEL", "X-ANDROID-CUSTOM", *_DATE_KINDS}
_ABOUT_THE_CARD = {"VERSION", "PRODID", "REV", "UID", "X-ABUID", "X-ABSHOWAS", "SORT-STRING"}
_ABOUT_THE_CARD |= {"CLIENTPIDMAP", "LABEL", "KIND", "X-ADDRESSBOOKSERVER-KIND", "SOURCE", "NAME"}
_ABOUT_THE_CARD |= {"X-ABADR", "X-MS-OL-DEFAULT-POSTAL-ADDRESS", "X-MS-OL-DESIGN"}
# Partners in properties of their own: Outlook, Evolution, KAddressBook.
_SPOUSES = {"X-MS-SPOUSE", "X-EVOLUTION-SPOUSE", "X-KADDRESSBOOK-X-SPOUSENAME"}
_READ |= _SPOUSES
# Android keeps these in X-ANDROID-CUSTOM; Rapport reads them.
_ANDROID_READ = {"nickname", "contact_event", "relation"}


def read_vcards(data: bytes) -> ReadResult:
    """Every card in `data`: a record, or a rejection saying why. Raises UnreadableFile."""
    lines = decode_lines(data)
    if not any(line.strip() for line in lines):
        raise UnreadableFile(EMPTY_FILE)
    result = ReadResult()
    for start, block, problem in _blocks(lines):
        outcome = RejectedRecord(start, problem) if problem else _read_card(start, block)
        if isinstance(outcome, tuple):
            outcome, not_kept = outcome
            for kind in not_kept:
                result.not_kept[kind] = result.not_kept.get(kind, 0) + 1
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


def _read_card(line: int, lines: list[str]) -> tuple[ImportRecord, set[str]] | RejectedRecord:
    """The card's record and the kinds of property it has that Rapport does not keep."""
    card = _Card(*card_properties(lines[1:-1], line + 1))
    # A group (a list of other cards) is no person; a company's card (KIND:org) is a client.
    if first_value(card.values("KIND", "X-ADDRESSBOOKSERVER-KIND")).lower() == "group":
        return RejectedRecord(line, "this card is a group, not a person: skipped")
    return _record(line, card)


class _Card:
    """A card's properties by name, and Apple's labels by group (item1.X-ABLabel)."""

    def __init__(self, properties: list[Property], unread: list[str]):
        self.properties = properties
        self.unread = unread  # why each line that is no property is left out
        self.by_name: dict[str, list[Property]] = {}
        for prop in properties:
            self.by_name.setdefault(prop.name, []).append(prop)
        self.labels = {p.group: text_value(p) for p in self.values("X-ABLABEL") if p.group}

    def values(self, *names: str) -> list[Property]:
        return [prop for name in names for prop in self.by_name.get(name, [])]

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
            (contact_label(p, self.labels), adr_text(p)) for p in self.values("ADR")
        )

    def family(self) -> list[tuple[str, str]]:
        """(relation, name) from vCard 4's RELATED, Apple's X-ABRELATEDNAMES (its label
        in the group's X-ABLabel) and Android's relations; links to other cards name nobody."""
        found = []
        for prop in self.values("RELATED"):
            words = sorted(prop.types, key=lambda word: relation_of(word) == "other")
            found.append((relation_of(words[0] if words else ""), related_name(prop)))
        for prop in self.values("X-ABRELATEDNAMES"):
            label = self.labels.get(prop.group, "") or next(iter(sorted(prop.types)), "")
            found.append((relation_of(label), related_name(prop)))
        found += [("partner", related_name(prop)) for prop in self.values(*_SPOUSES)]
        for kind, fields in map(android_item, self.values("X-ANDROID-CUSTOM")):
            if kind == "relation" and fields:
                code, label = [*fields, "", ""][1:3]
                word = label if code.strip() == "0" else _ANDROID_RELATIONS.get(code.strip(), "")
                found.append((relation_of(word), " ".join(fields[0].split())))
        return [(relation, name) for relation, name in dict.fromkeys(found) if name]

    def not_kept(self) -> set[str]:
        """The kinds of property on the card that Rapport does not keep ("X-SOCIALPROFILE");
        a RELATED that is a link to another card is one of them."""
        names = {p.name for p in self.properties} - _READ - _ABOUT_THE_CARD
        android = {kind for kind, _ in map(android_item, self.values("X-ANDROID-CUSTOM"))}
        names |= {f"X-ANDROID-CUSTOM {kind}" for kind in android - _ANDROID_READ if kind}
        if any(not related_name(p) for p in self.values("RELATED", "X-ABRELATEDNAMES")):
            names.add("RELATED (a link to another card)")
        if any(map(is_photo_link, self.values("PHOTO"))):
            names.discard("PHOTO")
            names.add("PHOTO (a link, which Rapport does not fetch)")
        return names

    def nickname(self) -> str:
        """NICKNAME's first, else Android's (a 2.1 card has no NICKNAME)."""
        android = map(android_item, self.values("X-ANDROID-CUSTOM"))
        names = (f[0].strip() for kind, f in android if kind == "nickname" and f)
        return first_value(self.values("NICKNAME"), listed=True) or next(filter(None, names), "")


def _record(line: int, card: _Card) -> tuple[ImportRecord, set[str]] | RejectedRecord:
    given, family = name_parts(card.values("N"))
    organization = first_value(card.values("ORG"), structured=True)
    emails, phones = card.contacts("EMAIL", "mailto:"), card.contacts("TEL", "tel:")
    name = person_name(given, family, first_value(card.values("FN")), organization)
    if name is None:
        return RejectedRecord(line, no_name_reason(emails, phones))
    found = _dates(card)
    photos = [photo_bytes(p) for p in card.values("PHOTO") if not is_photo_link(p)]
    photo = next((data for data, _problem in photos if data), None)
    photo_problems = [] if photo else [problem for _data, problem in photos][:1]
    record = ImportRecord(
        line,
        *name,
        preferred_name=card.nickname(),
        organization=organization,
        emails=emails,
        phones=phones,
        addresses=card.addresses(),
        notes=[note for p in card.values("NOTE") if (note := text_value(p).strip())] + found.notes,
        tags=tag_names(card.values("CATEGORIES")),
        dates=found.dates,
        photo=photo,
        family=card.family(),
        left_out=card.unread + found.left_out + photo_problems,
        uid=first_value(card.values("UID")),
    )
    return record, card.not_kept()


def _dates(card: _Card) -> FoundDates:
    """Every date on the card, the text of those that are no day, and the impossible ones."""
    found = FoundDates()
    for prop in card.properties:
        source = _date_source(prop, card.labels)
        if source is None:
            continue
        text, kind, label = source
        omitted = prop.param("X-APPLE-OMIT-YEAR")
        unknown_year = int(omitted) if omitted.isdigit() else None
        found.add(text, kind, label, unknown_year=unknown_year)
    return found


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
