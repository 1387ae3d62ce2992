"""One CSV row, read through a column mapping, as a record (or why it cannot be one)."""

from __future__ import annotations

import re

from models.exchange.importing.csv_presets import CsvMapping
from models.exchange.importing.date_text import FoundDates
from models.exchange.importing.labels import date_kind, label_text, relation_of, unique_values
from models.exchange.importing.names import no_name_reason, person_name
from models.exchange.importing.records import ImportRecord, RejectedRecord
from models.exchange.importing.tags import clean_tags

# Google joins several values of one label with " ::: "; people type ", " or "; ".
_LIST = re.compile(r"\s*(?::::|[;,])\s*")
_GOOGLE_LIST = re.compile(r"\s*:::\s*")
_DATE_FIELDS = {"birthday": "birthday", "anniversary": "wedding_anniversary", "date": "custom"}
# Outlook's "Spouse" and "Children" columns; a "family" column's label says who it is.
_FAMILY_FIELDS = {"partner": "partner", "children": "child", "family": ""}


class _Fields:
    """The cells of one row, looked up by field through the mapping."""

    def __init__(self, cells: list[str], mapping: CsvMapping):
        self.cells, self.mapping = cells, mapping

    def columns(self, key: str) -> list[tuple[int, str]]:
        """(column, stripped text) of the non-empty cells mapped to `key`, in column order."""
        found = []
        for i, field in sorted(self.mapping.fields.items()):
            text = self.cells[i].strip() if field == key and i < len(self.cells) else ""
            if text:
                found.append((i, text))
        return found

    def cell(self, column: int) -> str:
        return self.cells[column].strip() if column < len(self.cells) else ""

    def text(self, key: str, separator: str = " ") -> str:
        return separator.join(" ".join(text.split()) for _, text in self.columns(key))

    def label(self, column: int) -> str:
        if column in self.mapping.labels:
            return self.mapping.labels[column]
        source = self.mapping.label_columns.get(column)
        return (
            label_text(self.cells[source])
            if source is not None and source < len(self.cells)
            else ""
        )

    def labels(self, column: int) -> list[str]:
        """The label of each value Google joined with " ::: " ("Home ::: Work")."""
        if column in self.mapping.labels or column not in self.mapping.label_columns:
            return [self.label(column)]
        source = self.cell(self.mapping.label_columns[column])
        return [label_text(text) for text in _GOOGLE_LIST.split(source)]

    def values(self, key: str) -> list[tuple[int, str]]:
        """(column, value) of each value in the cells mapped to `key`, several in a cell
        split as its exporter joined them."""
        return [
            (i, value)
            for i, text in self.columns(key)
            for value in (_GOOGLE_LIST if i in self.mapping.colon_lists else _LIST).split(text)
        ]

    def contacts(self, key: str, separators: re.Pattern) -> list[tuple[str, str]]:
        cells = self.columns(key)
        return unique_values(
            (self.label(i), v) for i, text in cells for v in separators.split(text)
        )


def row_record(line: int, cells: list[str], mapping: CsvMapping) -> ImportRecord | RejectedRecord:
    row = _Fields(cells, mapping)
    given = " ".join(filter(None, (row.text("first_name"), row.text("middle_name"))))
    organization = row.text("organization", ", ")
    emails = row.contacts("email", _LIST)
    phones = row.contacts("phone", _GOOGLE_LIST)
    name = person_name(given, row.text("last_name"), row.text("full_name"), organization)
    if name is None:
        return RejectedRecord(line, no_name_reason(emails, phones))
    found = _dates(row)
    return ImportRecord(
        line,
        *name,
        preferred_name=next((text for _, text in row.columns("preferred_name")), ""),
        organization=organization,
        emails=emails,
        phones=phones,
        addresses=_addresses(row),
        notes=[text.replace("\r", "\n") for _, text in row.columns("note")] + found.notes,
        tags=clean_tags(value for _, value in row.values("tags")),
        dates=found.dates,
        family=_family(row),
        left_out=found.left_out,
    )


def _family(row: _Fields) -> list[tuple[str, str]]:
    """(relation, name) of each name in the family columns ("Mia, Tom" are two children)."""
    found = []
    for key, relation in _FAMILY_FIELDS.items():
        found += [(relation or relation_of(row.label(i)), name) for i, name in row.values(key)]
    return [(relation, name) for relation, name in dict.fromkeys(found) if name]


def _addresses(row: _Fields) -> list[tuple[str, str]]:
    """Parts with the same fixed label ("work": street, city...) make one address; so do
    the parts of one numbered address (Google's "Address 1 - City"), read only when its
    whole ("Address 1 - Formatted") is empty. Values Google joined with " ::: " are
    separate addresses, the n-th part of each column making the n-th address."""
    groups: dict[object, list[list[str]]] = {}  # group -> each address's lines
    labels: dict[object, list[str]] = {}
    for i, text in row.columns("address"):
        whole = row.mapping.parts_of.get(i)
        if whole is not None and row.cell(whole):
            continue
        if whole is not None:
            key: object = whole
        else:
            key = i if i in row.mapping.label_columns else row.mapping.labels.get(i, "")
        addresses = groups.setdefault(key, [])
        for n, value in enumerate(_GOOGLE_LIST.split(text)):
            if n == len(addresses):
                addresses.append([])
            addresses[n].extend(value.splitlines())
        labels.setdefault(key, row.labels(i))
    found = []
    for key, addresses in groups.items():
        for n, lines in enumerate(addresses):
            label = labels[key][min(n, len(labels[key]) - 1)]
            text = ", ".join(part for part in (line.strip(" ,") for line in lines) if part)
            if text and (label, text) not in found:
                found.append((label, text))
    return found


def _dates(row: _Fields) -> FoundDates:
    """Every date in the row, the text of those that are no day, and the impossible ones."""
    found = FoundDates()
    if parts := _birthday_in_parts(row):
        found.add(parts, "birthday")
    for key, kind in _DATE_FIELDS.items():
        for i, text in row.columns(key):
            kind_, label = date_kind(row.label(i)) if kind == "custom" else (kind, "")
            found.add(text, kind_, label, month_first=row.mapping.month_first)
    return found


def _birthday_in_parts(row: _Fields) -> str:
    """Thunderbird's birthday, in Birth Year, Birth Month and Birth Day columns (the year
    may be empty), as ISO text; "" without a month and day."""
    year, month, day = (row.text(key) for key in ("birth_year", "birth_month", "birth_day"))
    if not (month and day):
        return ""
    return f"{year}-{month}-{day}" if year else f"--{month.zfill(2)}-{day.zfill(2)}"
