"""Paid interactions (sessions, weddings, purchases) per local period: the Studio's months
and gift years.

Read from the sums the database keeps per UTC day (models/store/entities.PaidDay): a few
thousand rows instead of every interaction of the years asked for. A day on which a period
begins in mid-day (a local midnight is rarely a UTC one) is split between two periods, so
those days, and the few with an amount only Decimal adds up exactly, are read from the
interactions themselves. The sums are exactly those of models/insight/exact_sums.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from peewee import CTE, JOIN, Case, ValuesList, fn

from models.insight.exact_sums import money_sum
from models.store.entities import Client, Interaction, PaidDay
from models.store.fields import UtcDateTimeField
from models.values.kinds import PAID_INTERACTION_KINDS, SESSION_KINDS

_INSTANT = UtcDateTimeField()


@dataclass
class Paid:
    """One period's paid interactions in one currency (None: without an amount), of
    referred clients or of the others."""

    sessions: int = 0
    purchases: int = 0
    cents: int = 0  # the amounts of at most two decimals
    odd: list[str] = field(default_factory=list)  # the others, as stored

    def odd_text(self) -> str:
        """The odd amounts as models/insight/exact_sums.total reads them."""
        return " ".join(self.odd)


Key = tuple[int, str | None, bool]  # period, currency, referred


def paid_per_period(bounds: list[datetime]) -> dict[Key, Paid]:
    """Paid interactions in each period from bounds[n] (included) to bounds[n + 1]
    (excluded), by currency and whether the client was referred; only what was paid."""
    edges = [_INSTANT.db_value(bound) for bound in bounds]
    days = [edge[:10] for edge in edges]
    read_days = sorted({*days, *_days_with_odd_amounts(days[0], days[-1])})
    found: dict[Key, Paid] = {}
    _add_kept(found, days, read_days)
    _add_read(found, bounds, read_days)
    return found


def in_order(found: dict[Key, Paid]) -> list[tuple[Key, Paid]]:
    """By period, then currency (none first), then not referred before referred: the
    order SQLite's grouping gave these figures before they were kept."""
    return sorted(found.items(), key=lambda item: _order(*item[0]))


def _order(period: int, currency: str | None, referred: bool) -> tuple:
    return period, currency is not None, currency or "", referred


def _days_with_odd_amounts(first: str, last: str) -> set[str]:
    query = (
        PaidDay.select(PaidDay.day)
        .where((PaidDay.day >= first) & (PaidDay.day <= last) & (PaidDay.odd > 0))
        .distinct()
    )
    return {day for (day,) in query.tuples()}


def _add_kept(found: dict[Key, Paid], days: list[str], read_days: list[str]) -> None:
    """The whole days between the periods' first and last day (no period begins on one:
    those are read), from the kept sums."""
    day = PaidDay.day
    period = Case(None, [(day < first, number) for number, first in enumerate(days[1:])])
    sessions = Case(None, [(PaidDay.kind.in_(SESSION_KINDS), PaidDay.payments)], 0)
    purchases = Case(None, [(PaidDay.kind == "purchase", PaidDay.payments)], 0)
    query = (
        PaidDay.select(
            period,
            PaidDay.currency,
            PaidDay.referred,
            fn.SUM(sessions),
            fn.SUM(purchases),
            fn.SUM(PaidDay.cents),
        )
        .where((day > days[0]) & (day < days[-1]) & day.not_in(read_days))
        .group_by(period, PaidDay.currency, PaidDay.referred)
        .tuples()
    )
    for number, currency, referred, session_count, purchase_count, cents in query:
        paid = found.setdefault((number, currency or None, bool(referred)), Paid())
        paid.sessions += session_count
        paid.purchases += purchase_count
        paid.cents += cents


def _add_read(found: dict[Key, Paid], bounds: list[datetime], read_days: list[str]) -> None:
    """The paid interactions of `read_days` within the periods, from the interactions."""
    at = Interaction.occurred_at
    period = Case(None, [(at < bound, number) for number, bound in enumerate(bounds[1:])])
    referred = Client.referred_by.is_null(False)
    ranges = _day_ranges(read_days, _INSTANT.db_value(bounds[0]), _INSTANT.db_value(bounds[-1]))
    query = (
        Interaction.select(
            period,
            Interaction.currency,
            referred,
            fn.SUM(Interaction.kind.in_(SESSION_KINDS)),
            fn.SUM(Interaction.kind == "purchase"),
            *money_sum(Interaction.amount),
        )
        .with_cte(ranges)
        .from_(ranges)
        .join(Interaction, on=(at >= ranges.c.first) & (at < ranges.c.last))
        .join(Client, JOIN.LEFT_OUTER, on=(Interaction.client == Client.id))
        .where(Interaction.kind.in_(PAID_INTERACTION_KINDS))
        .group_by(period, Interaction.currency, referred)
        .tuples()
    )
    for number, currency, was_referred, session_count, purchase_count, cents, odd in query:
        # As the kept sums read it: no currency code, empty or missing, is no currency.
        paid = found.setdefault((number, currency or None, bool(was_referred)), Paid())
        paid.sessions += session_count
        paid.purchases += purchase_count
        paid.cents += cents or 0
        paid.odd += (odd or "").split()


def _day_ranges(days: list[str], first: str, last: str) -> CTE:
    """first, last: each day's stored times, within the periods (from `first` to before
    `last`). A table SQLite loops over, reading each day's range from the index; a
    condition on the times alone would have it read every interaction of the periods."""
    rows = [(max(day, first), min(_next(day), last)) for day in days]
    return ValuesList(rows).cte("read_day", columns=("first", "last"))


def _next(day: str) -> str:
    return (date.fromisoformat(day) + timedelta(days=1)).isoformat()
