"""Reading the dates that address books write: birthdays and anniversaries, year maybe unknown.

Exporters disagree: vCard has `1985-04-15`, `19850415`, `--0415`, times with UTC offsets,
Apple's placeholder year 1604; CSV files have `4/15/1985` (Outlook), `15.04.1985` and
Google's `--04-15`. A time or offset never moves the day: the date is taken as written,
because a birthday is a calendar day, not an instant.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from models.exchange.importing.records import ImportedDate
from models.values.folding import fold
from models.values.partial_dates import MONTH_NAMES, partial_date_error

# Years that exporters write when the real year is unknown: Apple's 1604 (a leap year, so
# 29 Feb survives) and 0000 from some phones.
PLACEHOLDER_YEARS = (0, 1604)

_TIME = r"(?:[T ]\d{2}(?::?\d{2}(?::?\d{2}(?:[.,]\d+)?)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?"
_ISO = re.compile(rf"(?P<y>\d{{4}})-(?P<m>\d{{1,2}})-(?P<d>\d{{1,2}}){_TIME}")
_ISO_BASIC = re.compile(rf"(?P<y>\d{{4}})(?P<m>\d{{2}})(?P<d>\d{{2}}){_TIME}")
_NO_YEAR = re.compile(r"--(?P<m>\d{2})-?(?P<d>\d{2})")
_DOTTED = re.compile(r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{2,4})?")
_SLASHED = re.compile(r"(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{2,4})")
# Typed by hand: 2021/06/12 (Japan, China), 12 June 2021, 12. Juni 2021, June 12, 2021.
_YEAR_FIRST = re.compile(r"(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})")
# The year may be left out: "April 15" is a birthday whose year is not known.
_NAMED_DAY_FIRST = re.compile(r"(?P<d>\d{1,2})\.? (?P<name>[^\W\d_]+)\.?(?:,? (?P<y>\d{4}))?")
_NAMED_MONTH_FIRST = re.compile(
    r"(?P<name>[^\W\d_]+)\.? (?P<d>\d{1,2})(?:st|nd|rd|th)?(?:,? (?P<y>\d{4}))?"
)
ENGLISH_MONTHS = {name: number for number, name in enumerate(MONTH_NAMES) if name}
_SHORTEST_MONTH_PREFIX = 3  # "Jun", "Sept": fewer letters may name two months ("Ju")


_KIND_WORDS = {
    "birthday": "birthday",
    "wedding_anniversary": "wedding anniversary",
    "custom": "other date",
}


class DateTextError(ValueError):
    """The text is not a date; the message says why, for the user."""


class ImpossibleDate(DateTextError):
    """The text is written like a date, but that day does not exist (30 February)."""


@dataclass
class FoundDates:
    """A person's dates as read, and what could not be a date: the text of one that is
    not a full day ("circa 1800", RFC 6350's 1985-04 or ---15) is kept as a note; a day
    that does not exist (2023-02-30) is left out, saying why."""

    dates: list[ImportedDate] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # "Birthday: circa 1800"
    left_out: list[str] = field(default_factory=list)

    def add(self, text: str, kind: str, label: str = "", **how) -> None:
        """The date of `kind` written as `text` (nothing when empty); `how` as for read_date."""
        what = label or _KIND_WORDS[kind]
        try:
            parts = read_date(text, **how)
        except ImpossibleDate as error:
            self.left_out.append(f"{what} {text.strip()} does not exist ({error}).")
            return
        except DateTextError:
            self.notes.append(f"{what[:1].upper()}{what[1:]}: {' '.join(text.split())}")
            return
        if parts is not None:
            year, month, day = parts
            add_date(self.dates, ImportedDate(kind, month, day, year, label))


def add_date(dates: list[ImportedDate], date: ImportedDate) -> None:
    """Add `date` unless it is already there. A second birthday is kept too: the plan
    makes it an other date (plan.one_of_each), so that nothing is lost unsaid."""
    if date not in dates:
        dates.append(date)


def read_date(
    text: str, *, month_first: bool = False, unknown_year: int | None = None
) -> tuple[int | None, int, int] | None:
    """(year, month, day) from `text`, year None when unknown; None for an empty date.

    `month_first` reads 4/5/1985 as April 5th (US, Outlook), otherwise as 4 May: the
    order is the file's, decided once (see csv_reader), never guessed per value.
    `unknown_year` is a year the source declared as "no year" (Apple's X-APPLE-OMIT-YEAR).
    Raises DateTextError.
    """
    text = text.strip()
    if not text:
        return None
    parts = _parts(text, month_first) or _named_parts(" ".join(text.split()), {})
    if parts is None:
        raise DateTextError("Rapport reads dates written like 1985-04-15, 15.04.1985 or --04-15")
    year, month, day = parts
    if month == day == 0 and not year:
        return None  # Outlook's "0/0/00": no date
    if year in PLACEHOLDER_YEARS or (unknown_year is not None and year == unknown_year):
        year = None
    problem = partial_date_error(day, month, year)
    if problem:
        raise ImpossibleDate(problem.rstrip("."))
    return year, month, day


def typed_day(text: str, *, month_first: bool = False, month_names: Mapping[str, int] = {}) -> date:
    """The day someone typed into a date field: 2021-06-12, 12.6.2021, 12/06/2021 (day
    first unless their locale writes the month first: `month_first`), 12 June 2021 or
    June 12, 2021 (months named in English or in `month_names`, e.g. their locale's).

    Raises DateTextError saying why the text is no day.
    """
    text = " ".join(text.split())
    parts = _parts(text, month_first) or _named_parts(text, month_names)
    if parts is None:
        raise DateTextError("write it like 2021-06-12, 12.6.2021 or 12 June 2021")
    year, month, day = parts
    if not year:
        raise DateTextError("the year is missing")
    problem = partial_date_error(day, month, year)
    if problem:
        raise DateTextError(problem.rstrip("."))
    return date(year, month, day)


def _named_parts(text: str, month_names: Mapping[str, int]) -> tuple[int, int, int] | None:
    names = {fold(name): number for name, number in {**ENGLISH_MONTHS, **month_names}.items()}
    for pattern in (_NAMED_DAY_FIRST, _NAMED_MONTH_FIRST):
        match = pattern.fullmatch(text)
        month = _month_named(fold(match["name"]), names) if match else None
        if month:
            return _year(match["y"]), month, int(match["d"])
    return None


def _month_named(name: str, names: Mapping[str, int]) -> int | None:
    """The month called `name` in full or by its first letters ("Jun", "Sept")."""
    if name in names:
        return names[name]
    found = {number for full, number in names.items() if full.startswith(name)}
    return found.pop() if len(found) == 1 and len(name) >= _SHORTEST_MONTH_PREFIX else None


def _parts(text: str, month_first: bool) -> tuple[int | None, int, int] | None:
    for pattern in (_ISO, _ISO_BASIC, _NO_YEAR, _DOTTED, _YEAR_FIRST):
        match = pattern.fullmatch(text)
        if match:
            year = match.groupdict().get("y")
            return _year(year), int(match["m"]), int(match["d"])
    match = _SLASHED.fullmatch(text)
    if match is None:
        return None
    first, second = int(match["a"]), int(match["b"])
    month, day = (first, second) if month_first else (second, first)
    return _year(match["y"]), month, day


def _year(digits: str | None) -> int | None:
    if digits is None:
        return None
    if len(digits) == 3 or (len(digits) == 2 and int(digits) != 0):
        raise DateTextError(f"the year {digits!r} is not written in full (like 1985)")
    return int(digits)
