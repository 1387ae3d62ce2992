"""Where a yearly date falls in the year, as a number the database can index.

Each important date stores the day of a leap year (1-366) of its month and day, and of
its notice (`lead_days` before, counted round the year): `day_ordinal` and
`notice_ordinal`, kept by triggers (models/store/migrations.py, with this same rule in
SQL; tests/test_day_ordinals.py checks that both agree). The reminders of a window are
then the dates whose day or notice ordinal lies in the window's ordinals: range reads
instead of a pass over every date.

A date falls on its own month and day, so its day is read exactly by the ordinals of the
window's days (`day_ordinals_in`); only Feb 29, kept on Feb 28 or Mar 1 in a common year,
is read whenever either of those is in the window. A notice's stored number depends on
neither the year nor the leap-day rule, so it never goes stale; it is the ordinal of the
real notice, of the day after, or of the day after that (`notice_ordinals_in`). Counting
the lead back across the end of February of a common year goes a day further than in the
leap year the numbers count in, and so does counting back from a Feb 29 kept on Feb 28
(kept on Mar 1, it counts back over February: the two cancel). Both at once only when a
Feb 29 kept on Feb 28 has a lead of a whole year reaching back over the common year before:
its real notice is that year's Feb 28, its number Mar 1's, the calendar's next day. The
exact rule (models/reminders/rules.date_reminders) then decides on the few rows read. A
date without a lead time has its notice on its day: only dates with one are read by their
notice (the notices' index holds only those).
"""

from __future__ import annotations

from datetime import date, timedelta
from itertools import accumulate

DAYS_IN_LEAP_YEAR = 366
_LEAP_MONTH_LENGTHS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_DAYS_BEFORE_MONTH = (0, *accumulate(_LEAP_MONTH_LENGTHS[:-1]))
_LEAP_DAY = _DAYS_BEFORE_MONTH[1] + 29  # Feb 29's number, missing from a common year


def day_ordinal(month: int, day: int) -> int:
    """The day of a leap year of `month` and `day`: 1 for Jan 1, 60 for Feb 29, 366 for Dec 31."""
    return _DAYS_BEFORE_MONTH[month - 1] + day


def notice_ordinal(month: int, day: int, lead_days: int) -> int:
    """The day of a leap year `lead_days` before `month` and `day`, counted round the year."""
    return (day_ordinal(month, day) - 1 - lead_days) % DAYS_IN_LEAP_YEAR + 1


def notice_ordinals_in(first: date, last: date) -> list[tuple[int, int]] | None:
    """The ranges of ordinals (inclusive) that a date's notice must lie in to fall between
    `first` and `last`: those of the window's days, of the day after each as numbered and
    of the calendar's next day (Mar 1 after a common year's Feb 28); None when every
    ordinal may (a window of a year or more)."""
    if (last - first).days + 1 >= DAYS_IN_LEAP_YEAR - 1:
        return None
    days = list(_days(first, last))
    ordinals = {day_ordinal(d.month, d.day) for d in days}
    ordinals |= {ordinal % DAYS_IN_LEAP_YEAR + 1 for ordinal in ordinals}
    ordinals |= {day_ordinal(d.month, d.day) for d in (d + timedelta(days=1) for d in days)}
    return _runs(sorted(ordinals))


def day_ordinals_in(first: date, last: date) -> list[tuple[int, int]]:
    """The ranges of ordinals (inclusive) that a date's own day must lie in to fall between
    `first` and `last` (a window shorter than a year): those of the window's days, exactly,
    as a date falls on its own month and day; and Feb 29's whenever Feb 28 or Mar 1 is among
    them (where a common year keeps it)."""
    ordinals = {day_ordinal(d.month, d.day) for d in _days(first, last)}
    if ordinals & {_LEAP_DAY - 1, _LEAP_DAY + 1}:
        ordinals.add(_LEAP_DAY)
    return _runs(sorted(ordinals))


def _days(start: date, end: date):
    return (start + timedelta(days=n) for n in range((end - start).days + 1))


def _runs(ordinals: list[int]) -> list[tuple[int, int]]:
    """Consecutive numbers as (first, last) ranges: [1, 2, 3, 365, 366] -> [(1, 3), (365, 366)]."""
    runs: list[tuple[int, int]] = []
    for number in ordinals:
        if runs and runs[-1][1] == number - 1:
            runs[-1] = (runs[-1][0], number)
        else:
            runs.append((number, number))
    return runs
