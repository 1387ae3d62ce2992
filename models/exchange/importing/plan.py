"""What an import will do, shown before anything is written: one line per person, the
existing client they seem to be, and whether to add, skip or merge them.

A record without a first name is rejected here, beside the reader's rejections. A value
Rapport would refuse to save costs only itself, never the person: an email address or
phone number that is none, a day that does not exist (30 February), a photo too large are
left out, and the person's line says so, as it says what the reader left out. A person
the file has twice becomes one line ("line 12 is the same person as line 3: merged into
one"). Only a certain match (same card, same email) is skipped or merged by default.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum

from models.exchange.importing.matching import (
    ONE_PER_PERSON,
    ClientIndex,
    Match,
    SamePeople,
    combined,
    differing_dates,
    own_dates,
)
from models.exchange.importing.records import ImportedDate, ImportRecord, ReadResult, RejectedRecord
from models.forms.dialog_forms import ClientForm, ImportantDateForm, contact_problem
from models.store.entities import full_name
from models.values.folding import fold
from models.values.kinds import DEFAULT_LEAD_DAYS, IMPORTANT_DATE_KINDS
from models.values.partial_dates import MONTH_NAMES

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
    same_as: tuple[str, ...] = ()  # "line 12 is the same person as line 3: merged into one"

    @property
    def name(self) -> str:
        return full_name(self.record.first_name.strip(), self.record.last_name.strip())

    @property
    def default(self) -> Choice:
        """Skip who is certainly a client already; add everyone else."""
        return Choice.SKIP if self.known else Choice.ADD

    @property
    def known(self) -> bool:
        return self.match is not None and self.match.certain

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
        """Per position in `records`: add the new people, skip the ones certainly known."""
        return {position: planned.default for position, planned in enumerate(self.records)}

    def merge_choices(self) -> dict[int, Choice]:
        """Add the new people, merge the ones certainly known (a possible match is added)."""
        return {
            position: Choice.MERGE if planned.known else Choice.ADD
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


@dataclass
class _Person:
    """A person of the file, maybe from several of its records."""

    record: ImportRecord
    left_out: tuple[str, ...]
    same_as: list[str] = field(default_factory=list)  # "line 12 is the same person as line 3"

    def take(self, other: ImportRecord, left_out: tuple[str, ...]) -> None:
        """Merge the same person's other record into this one."""
        kept = {d.kind: d for d in self.record.dates if d.kind in ONE_PER_PERSON}
        where = f"Line {other.line} of the imported file"
        notes = [
            other_date_note(own, theirs, where)
            for own, theirs in differing_dates(kept, other.dates)
        ]
        self.record = combined(self.record, replace(other, notes=other.notes + notes))
        self.left_out += left_out
        line = self.record.line
        self.same_as.append(f"line {other.line} is the same person as line {line}: merged into one")


def plan_import(result: ReadResult) -> ImportPlan:
    """Match each record the reader made against the existing clients, after making one
    of each person the file has twice."""
    index = ClientIndex()
    same = SamePeople(index.region)
    plan = ImportPlan(rejected=list(result.rejected), not_kept=dict(result.not_kept))
    people: list[_Person] = []
    for record in result.records:
        record = replace(record, dates=one_of_each([rapport_date(d) for d in record.dates]))
        record, left_out = with_savable_values(record)
        reason = why_not_importable(record)
        if reason:
            plan.rejected.append(RejectedRecord(record.line, reason))
        elif (earlier := same.earlier(record, len(people))) is not None:
            people[earlier].take(record, left_out)
        else:
            people.append(_Person(record, left_out))
    for person in people:
        summary = describe(person.record, person.left_out, person.same_as)
        match = index.find(person.record)
        if match is not None and any(d.kind in ONE_PER_PERSON for d in person.record.dates):
            differs = differing_dates(own_dates(match.client_id), person.record.dates)
            match = replace(match, differs=tuple(map(_differs_words, differs)))
        plan.records.append(
            PlannedRecord(person.record, summary, match, person.left_out, tuple(person.same_as))
        )
    plan.rejected.sort(key=lambda rejected: rejected.line)
    return plan


def _differs_words(pair: tuple[ImportedDate, ImportedDate]) -> str:
    """ "birthday differs: 16 Apr 1990 here, 15 Apr 1990 in the file — a merge keeps
    16 Apr 1990 and adds the file's as a note"."""
    own, theirs = pair
    here, there = day_words(own), day_words(theirs)
    return (
        f"{_what(own)} differs: {here} here, {there} in the file — "
        f"a merge keeps {here} and adds the file's as a note"
    )


def other_date_note(own: ImportedDate, theirs: ImportedDate, where: str) -> str:
    """The note a merge adds for a date it does not take: "The imported file gave another
    birthday: 15 Apr 1990 (kept 16 Apr 1990)"."""
    return f"{where} gave another {_what(theirs)}: {day_words(theirs)} (kept {day_words(own)})"


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


def one_of_each(dates: list[ImportedDate]) -> list[ImportedDate]:
    """The dates with one birthday, wedding anniversary and client-since date at most: a
    further one (Apple Contacts lets a card have two anniversaries) is kept as an other
    date named like its kind, never dropped; the same date written again is a repeat."""
    first: dict[str, ImportedDate] = {}
    kept = []
    for imported in dates:
        one_per_person = imported.kind in ONE_PER_PERSON
        earlier = first.setdefault(imported.kind, imported) if one_per_person else imported
        if earlier is imported:
            kept.append(imported)
        elif earlier != imported:
            kept.append(replace(imported, kind="custom", label=IMPORTANT_DATE_KINDS[imported.kind]))
    return kept


def date_words(imported: ImportedDate) -> str:
    """ "birthday 15 Apr", "wedding anniversary 3 Jun 2019", "first shoot 9 Sep"."""
    return f"{_what(imported)} {day_words(imported)}"


def _what(imported: ImportedDate) -> str:
    return (imported.label or IMPORTANT_DATE_KINDS.get(imported.kind, imported.kind)).lower()


def day_words(imported: ImportedDate) -> str:
    """ "15 Apr", "3 Jun 2019"."""
    month = MONTH_NAMES[imported.month][:3] if 1 <= imported.month <= 12 else imported.month
    year = "" if imported.year is None else f" {imported.year}"
    return f"{imported.day} {month}{year}"


def describe(
    record: ImportRecord, left_out: tuple[str, ...] = (), same_as: list[str] | None = None
) -> str:
    """The person and what comes with them, in one line, what is left out of it, and
    which other lines of the file are the same person."""
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
    if left_out:
        line += f"; left out: {' '.join(left_out)}"
    return "; ".join([line, *(same_as or [])])


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
