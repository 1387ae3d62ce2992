"""One CSV row, read through a column mapping, as a record (or why it cannot be one)."""

from __future__ import annotations

import re

from models.importing.csv_presets import CsvMapping
from models.importing.date_text import DateTextError, add_date, imported_date
from models.importing.labels import date_kind, label_text, unique_values
from models.importing.names import display_name, no_name_reason, person_name
from models.importing.records import ImportedDate, ImportRecord, RejectedRecord
from models.importing.tags import clean_tags

# Google joins several values of one label with " ::: "; people type ", " or "; ".
_LIST = re.compile(r"\s*(?::::|[;,])\s*")
_GOOGLE_LIST = re.compile(r"\s*:::\s*")
_DATE_FIELDS = {"birthday": "birthday", "anniversary": "wedding_anniversary", "date": "custom"}


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
    try:
        dates = _dates(row)
    except DateTextError as error:
        return RejectedRecord(line, f"{display_name(*name)}: {error}")
    return ImportRecord(
        line,
        *name,
        preferred_name=next((text for _, text in row.columns("preferred_name")), ""),
        organization=organization,
        emails=emails,
        phones=phones,
        addresses=_addresses(row),
        notes=[text.replace("\r", "\n") for _, text in row.columns("note")],
        tags=clean_tags(part for _, text in row.columns("tags") for part in _LIST.split(text)),
        dates=dates,
    )


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


def _dates(row: _Fields) -> list[ImportedDate]:
    """Every date in the row; raises DateTextError naming the first one that is no date."""
    dates: list[ImportedDate] = []
    add_date(dates, _birthday_in_parts(row))
    for key, kind in _DATE_FIELDS.items():
        for i, text in row.columns(key):
            kind_, label = date_kind(row.label(i)) if kind == "custom" else (kind, "")
            add_date(dates, imported_date(text, kind_, label, month_first=row.mapping.month_first))
    return dates


def _birthday_in_parts(row: _Fields) -> ImportedDate | None:
    """Thunderbird's birthday, in Birth Year, Birth Month and Birth Day columns (the year
    may be empty); None without a month and day. Raises DateTextError."""
    year, month, day = (row.text(key) for key in ("birth_year", "birth_month", "birth_day"))
    if not (month and day):
        return None
    text = f"{year}-{month}-{day}" if year else f"--{month.zfill(2)}-{day.zfill(2)}"
    return imported_date(text, "birthday")
