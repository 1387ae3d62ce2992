"""How dates, times and money read in the window, in the user's locale."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale
from PySide6.QtGui import Qt

from models.values.amounts import Separators, format_amount
from models.values.partial_dates import years_since


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


def shown_day(instant: datetime) -> date:
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
    """How the user's locale writes numbers, for models/values/amounts.py to read and write them."""
    locale = QLocale()
    return Separators(decimal=locale.decimalPoint(), group=locale.groupSeparator())


def money(amount: Decimal | None, currency: str | None) -> str:
    """ "1,250.00 EUR" with the locale's separators, to the cent (sums and averages)."""
    if amount is None:
        return ""
    return f"{format_amount(Decimal(f'{amount:.2f}'), locale_separators())} {currency}"


def yearly_date(
    day: int,
    month: int,
    year: int | None,
    today: date,
    kind: str = "",
    leap_day_rule: str = "feb28",
) -> str:
    """ "15 April 1985 (turns 42)" for a birthday, "12 June 2021 (5 years)" for any other
    date, "15 April" when the year is unknown: never a made-up age, never a bare number.
    Ages follow the reminders' leap-day rule (see years_since): one age everywhere."""
    text = f"{day} {QLocale().monthName(month)}"
    if year is None:
        return text
    count = _years_count(day, month, year, today, kind, leap_day_rule)
    return f"{text} {year} ({count})" if count else f"{text} {year}"


def _years_count(day: int, month: int, year: int, today: date, kind: str, rule: str) -> str:
    """What the number of years is: the age at the coming birthday, or the years since."""
    if kind == "birthday":
        # The age completed by yesterday, plus the birthday of today or the next to come.
        turns = years_since(year, month, day, today - timedelta(days=1), rule) + 1
        return QCoreApplication.translate("Formatting", "turns %n", "", turns) if turns > 0 else ""
    years = years_since(year, month, day, today, rule)
    if years < 1:
        return ""  # the date and its year say it all
    # English's one and many as two texts, each with the count (as elsewhere): a translation
    # can give every plural form of its language.
    one = QCoreApplication.translate("Formatting", "%n year", "", years)
    many = QCoreApplication.translate("Formatting", "%n years", "", years)
    return one if years == 1 else many


def plain_tooltip(text: str) -> str:
    """A tooltip that shows `text` as typed: Qt renders tooltips that look like HTML as
    HTML, so a note with "<b>" or a pasted email would be read as markup."""
    return Qt.convertFromPlainText(text) if Qt.mightBeRichText(text) else text
