"""What an import will do, shown before anything is written: one line per person, the
existing client they seem to be, and whether to add, skip or merge them.

A record without a first name is rejected here, beside the reader's rejections. A value
Rapport would refuse to save costs only itself, never the person: an email address or
phone number that is none, a day that does not exist (30 February), a photo too large are
left out, and the person's line says so, as it says what the reader left out.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum

from models.entities import full_name
from models.folding import fold
from models.forms import ClientForm, ImportantDateForm, contact_problem
from models.importing.matching import ClientIndex, Match
from models.importing.records import ImportedDate, ImportRecord, ReadResult, RejectedRecord
from models.kinds import DEFAULT_LEAD_DAYS, IMPORTANT_DATE_KINDS
from models.partial_dates import MONTH_NAMES

MAX_PHOTO_BYTES = 5 * 1024 * 1024
KIND_BY_NAME = {fold(name): kind for kind, name in IMPORTANT_DATE_KINDS.items() if kind != "custom"}


class Choice(StrEnum):
    ADD = "add"  # a new client
    SKIP = "skip"  # nothing written
    MERGE = "merge"  # what the matched client lacks is added to them


@dataclass(frozen=True)
class PlannedRecord:
    record: ImportRecord
    summary: str  # "Anna Berger — 2 emails, 1 phone, birthday 15 Apr, 3 tags, photo"
    match: Match | None  # the existing client this person seems to be
    left_out: tuple[str, ...] = ()  # why a value is not imported: "'x' is not an email..."

    @property
    def name(self) -> str:
        return full_name(self.record.first_name.strip(), self.record.last_name.strip())

    @property
    def default(self) -> Choice:
        return Choice.ADD if self.match is None else Choice.SKIP

    @property
    def choices(self) -> tuple[Choice, ...]:
        """What the user may choose: merging needs a client to merge into."""
        if self.match is None:
            return (Choice.ADD, Choice.SKIP)
        return (Choice.ADD, Choice.SKIP, Choice.MERGE)


@dataclass
class ImportPlan:
    records: list[PlannedRecord] = field(default_factory=list)
    rejected: list[RejectedRecord] = field(default_factory=list)  # by line
    not_kept: dict[str, int] = field(default_factory=dict)  # as ReadResult.not_kept

    @property
    def dropped_anything(self) -> bool:
        """Whether a person or a value of theirs will not be imported."""
        return bool(self.rejected) or any(planned.left_out for planned in self.records)

    def left_out_lines(self) -> list[tuple[int, str]]:
        """(line, "Ole Brandt: birthday 1979-02-29 does not exist (...); kept the rest")."""
        return [
            (planned.record.line, f"{planned.name}: {reason.rstrip('.')}; kept the rest")
            for planned in self.records
            for reason in planned.left_out
        ]

    def not_kept_lines(self) -> list[str]:
        """ "12 cards had X-SOCIALPROFILE: not kept", once per kind, by name."""
        return [
            f"{count} {'record' if count == 1 else 'records'} had {kind}: not kept"
            for kind, count in sorted(self.not_kept.items())
        ]

    def default_choices(self) -> dict[int, Choice]:
        """Per position in `records`: add the new people, skip the ones already known."""
        return {position: planned.default for position, planned in enumerate(self.records)}

    def merge_choices(self) -> dict[int, Choice]:
        """Add the new people, merge the ones already known."""
        return {
            position: Choice.ADD if planned.match is None else Choice.MERGE
            for position, planned in enumerate(self.records)
        }

    def chosen(self, choices: Mapping[int, Choice] | None) -> list[tuple[PlannedRecord, Choice]]:
        """The records to write and how; a position without a choice gets its default."""
        chosen = []
        for position, planned in enumerate(self.records):
            choice = Choice((choices or {}).get(position, planned.default))
            if choice not in planned.choices:
                raise ValueError(f"Line {planned.record.line}: nobody to merge into.")
            if choice != Choice.SKIP:
                chosen.append((planned, choice))
        return chosen


def plan_import(result: ReadResult) -> ImportPlan:
    """Match each record the reader made against the existing clients."""
    index = ClientIndex()
    plan = ImportPlan(rejected=list(result.rejected), not_kept=dict(result.not_kept))
    for record in result.records:
        record = replace(record, dates=[rapport_date(imported) for imported in record.dates])
        record, left_out = with_savable_values(record)
        reason = why_not_importable(record)
        if reason:
            plan.rejected.append(RejectedRecord(record.line, reason))
        else:
            summary = describe(record, left_out)
            plan.records.append(PlannedRecord(record, summary, index.find(record), left_out))
    plan.rejected.sort(key=lambda rejected: rejected.line)
    return plan


# "Anna Berger" <anna@example.org>, Anna <anna@example.org>: the address in the brackets.
_NAMED_ADDRESS = re.compile(r"[^<>]*<\s*(?P<address>[^<>\s]+)\s*>")


def email_address(text: str) -> str:
    """The address in `text`, without the name some exporters write around it."""
    text = text.strip()
    named = _NAMED_ADDRESS.fullmatch(text)
    return named["address"] if named else text


def with_savable_values(record: ImportRecord) -> tuple[ImportRecord, tuple[str, ...]]:
    """The record with only the values Rapport would save (emails, phones, dates, photo),
    and why each other one is left out, after what the reader left out: a bad value
    costs that value, not the person."""
    emails = [(label, email_address(address)) for label, address in record.emails]
    emails, bad_emails = _valid("emails", emails)
    phones, bad_phones = _valid("phones", record.phones)
    dates = [(imported, date_errors(imported)) for imported in record.dates]
    bad_dates = [f"{date_words(d)}: {' '.join(errors)}" for d, errors in dates if errors]
    photo, bad_photo = record.photo, []
    if photo is not None and len(photo) > MAX_PHOTO_BYTES:
        megabytes = len(photo) / 1024 / 1024
        photo, bad_photo = (
            None,
            [
                f"the photo is {megabytes:.1f} MB; Rapport keeps photos up to "
                f"{MAX_PHOTO_BYTES // 1024 // 1024} MB."
            ],
        )
    left_out = (*record.left_out, *bad_emails, *bad_phones, *bad_dates, *bad_photo)
    savable = replace(
        record,
        emails=emails,
        phones=phones,
        dates=[imported for imported, errors in dates if not errors],
        photo=photo,
        left_out=[],
    )
    return savable, left_out


def _valid(kind: str, pairs: list[tuple[str, str]]) -> tuple[list[tuple[str, str]], list[str]]:
    """(the valid (label, value) pairs, why each other one is not valid)."""
    problems = [(pair, contact_problem(kind, pair[1])) for pair in pairs]
    return [pair for pair, problem in problems if not problem], [p for _, p in problems if p]


def why_not_importable(record: ImportRecord) -> str | None:
    """What Rapport's own forms would refuse in this record, or None."""
    form = ClientForm(
        first_name=record.first_name,
        last_name=record.last_name,
        emails=", ".join(address for _label, address in record.emails),
        phones=", ".join(number for _label, number in record.phones),
    )
    return " ".join(error.message for error in form.errors()) or None


def date_errors(imported: ImportedDate) -> list[str]:
    form = ImportantDateForm(
        kind=imported.kind,
        day=imported.day,
        month=imported.month,
        year="" if imported.year is None else str(imported.year),
        label=imported.label,
        lead_days=DEFAULT_LEAD_DAYS.get(imported.kind, 0),
    )
    return [error.message for error in form.errors()]


def rapport_date(imported: ImportedDate) -> ImportedDate:
    """An other date named like one of Rapport's kinds ("Client since", as Rapport's own
    vCards write it) is of that kind; an unnamed one is called "Other date"."""
    kind = KIND_BY_NAME.get(fold(imported.label.strip())) if imported.kind == "custom" else None
    if kind:
        return replace(imported, kind=kind, label="")
    if imported.kind == "custom" and not imported.label.strip():
        return replace(imported, label=IMPORTANT_DATE_KINDS["custom"])
    return replace(imported, label=imported.label.strip())


def date_words(imported: ImportedDate) -> str:
    """ "birthday 15 Apr", "wedding anniversary 3 Jun 2019", "first shoot 9 Sep"."""
    what = imported.label or IMPORTANT_DATE_KINDS.get(imported.kind, imported.kind)
    month = MONTH_NAMES[imported.month][:3] if 1 <= imported.month <= 12 else imported.month
    year = "" if imported.year is None else f" {imported.year}"
    return f"{what.lower()} {imported.day} {month}{year}"


def describe(record: ImportRecord, left_out: tuple[str, ...] = ()) -> str:
    """The person and what comes with them, in one line, and what is left out of it."""
    parts = [
        _count(len(record.emails), "email"),
        _count(len(record.phones), "phone"),
        _count(len(record.addresses), "address", "addresses"),
        *(date_words(imported) for imported in record.dates),
        _count(len(record.notes), "note"),
        _count(len(record.tags), "tag"),
        *family_words(record.family),
        "photo" if record.photo else "",
    ]
    name = full_name(record.first_name.strip(), record.last_name.strip())
    details = ", ".join(part for part in parts if part)
    line = f"{name} — {details}" if details else name
    return f"{line}; left out: {' '.join(left_out)}" if left_out else line


_FAMILY_WORDS = {"partner": ("partner", ""), "child": ("child", "children")}
_FAMILY_WORDS |= {"parent": ("parent", ""), "sibling": ("sibling", ""), "pet": ("pet", "")}
_FAMILY_WORDS |= {"friend": ("friend", ""), "other": ("other relation", "")}


def family_words(family: list[tuple[str, str]]) -> list[str]:
    """ "1 partner", "2 children": how many of each relation, in the relations' order."""
    counts = Counter(relation for relation, _name in family)
    return [_count(counts[relation], *words) for relation, words in _FAMILY_WORDS.items()]


def _count(number: int, one: str, many: str = "") -> str:
    if number == 0:
        return ""
    return f"1 {one}" if number == 1 else f"{number} {many or one + 's'}"
