"""How dates, times and money read in the window, in the user's locale."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale
from PySide6.QtGui import Qt

from models.amounts import Separators, format_amount
from models.partial_dates import years_since


def vocabulary(word: str) -> str:
    """A word of models/' vocabularies (stages, kinds of interaction, relations...) in the
    user's language: models/ cannot use Qt, so its words are translated where they are shown."""
    return QCoreApplication.translate("Vocabulary", word)


def since(instant: datetime | None, now: datetime) -> str:
    """A short, quiet "time since": 2d, 3w, 5mo, 2y."""
    if instant is None:
        return QCoreApplication.translate("Formatting", "never", "no contact yet")
    days = (now - instant).days
    if days < 1:
        return QCoreApplication.translate("Formatting", "today", "last contact")
    if days < 14:
        return QCoreApplication.translate("Formatting", "{days}d").format(days=days)
    if days < 60:
        return QCoreApplication.translate("Formatting", "{weeks}w").format(weeks=days // 7)
    if days < 730:
        return QCoreApplication.translate("Formatting", "{months}mo").format(months=days // 30)
    return QCoreApplication.translate("Formatting", "{years}y").format(years=days // 365)


def _local(instant: datetime) -> QDateTime:
    return QDateTime.fromSecsSinceEpoch(int(instant.timestamp()))


def local_day(instant: datetime) -> date:
    """The local calendar day of an instant."""
    return _local(instant).date().toPython()


def local_date(instant: datetime) -> str:
    """The local calendar day of an instant, e.g. "12 Nov 2026", month named in the locale."""
    return QLocale().toString(_local(instant).date(), "d MMM yyyy")


def month_year(instant: datetime) -> str:
    """ "Jun 2021": the local month of an instant."""
    return QLocale().toString(_local(instant).date(), "MMM yyyy")


def local_date_time(instant: datetime) -> str:
    """ "12 Nov 2026, 14:00": an instant in local time."""
    return QLocale().toString(_local(instant), "d MMM yyyy, HH:mm")


def locale_separators() -> Separators:
    """How the user's locale writes numbers, for models/amounts.py to read and write them."""
    locale = QLocale()
    return Separators(decimal=locale.decimalPoint(), group=locale.groupSeparator())


def money(amount: Decimal | None, currency: str | None) -> str:
    """ "1,250.00 EUR" with the locale's separators, to the cent (sums and averages)."""
    if amount is None:
        return ""
    return f"{format_amount(Decimal(f'{amount:.2f}'), locale_separators())} {currency}"


def yearly_date(
    day: int, month: int, year: int | None, today: date, leap_day_rule: str = "feb28"
) -> str:
    """ "15 April 1985 (41)" or "15 April" when the year is unknown: never a made-up age.

    The age follows the leap-day rule of the reminders (see years_since)."""
    locale = QLocale()
    text = f"{day} {locale.monthName(month)}"
    if year is not None:
        text += f" {year}"
        age = years_since(year, month, day, today, leap_day_rule)
        if age is not None and age >= 0:
            text += f" ({age})"
    return text


def plain_tooltip(text: str) -> str:
    """A tooltip that shows `text` as typed: Qt renders tooltips that look like HTML as
    HTML, so a note with "<b>" or a pasted email would be read as markup."""
    return Qt.convertFromPlainText(text) if Qt.mightBeRichText(text) else text
