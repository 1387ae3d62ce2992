"""Yearly dates whose year may be unknown (birthdays, anniversaries)."""

from __future__ import annotations

import calendar
from datetime import date

MONTH_NAMES = tuple(calendar.month_name)  # index 1..12


def partial_date_error(day: int, month: int, year: int | None) -> str | None:
    """Why (day, month, year) is not a real date, or None when it is one.

    Feb 29 without a year is allowed: it is a real yearly date (a leap-day birthday).
    """
    if not 1 <= month <= 12:
        return "Month must be between 1 and 12."
    if year is not None and not 1 <= year <= 9999:
        return "Year must be between 1 and 9999, or left empty when unknown."
    longest = calendar.monthrange(year if year is not None else 2000, month)[1]
    if not 1 <= day <= longest:
        if year is not None and month == 2 and day == 29:
            return f"{year} is not a leap year, so it has no 29 February."
        return f"{MONTH_NAMES[month]} has only {longest} days."
    return None


def years_since(
    year: int | None, month: int, day: int, today: date, leap_day_rule: str = "feb28"
) -> int | None:
    """Completed years since the date (an age); None when the year is unknown.

    A 29 February is had in a common year on the day the leap-day rule moves it to (28
    February or 1 March), as the reminders celebrate it: one age everywhere.
    """
    if year is None:
        return None
    if (month, day) == (2, 29) and not calendar.isleap(today.year):
        month, day = (3, 1) if leap_day_rule == "mar1" else (2, 28)
    had_this_years = (today.month, today.day) >= (month, day)
    return today.year - year - (0 if had_this_years else 1)


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th ... 11th, 12th, 13th ... 21st."""
    if number % 100 in (11, 12, 13):
        return f"{number}th"
    return f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th') }"


def months_between(earlier: date, later: date) -> int:
    """Whole months from `earlier` to `later`: 15 Jan to 14 Mar is 1, to 15 Mar is 2."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return months - (later.day < earlier.day)


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier, or the month's last day (31 Mar - 1 = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))
