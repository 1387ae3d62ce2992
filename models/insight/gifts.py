"""Gift spending beside revenue, per year: what the studio gave back to its clients, what
it earned, and what the clients others referred brought in; and the yearly gift budget.

Every amount is per currency, exact (models/insight/exact_sums.py), never added across
currencies. A year is the owner's local calendar year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from peewee import fn

from models.insight.exact_sums import money_sum, total
from models.insight.paid_days import in_order, paid_per_period
from models.store.entities import Gift
from models.store.settings import get_setting
from models.values.amounts import AmountError, parse_amount

NEAR_BUDGET = Decimal("0.9")  # from 90 % of the budget, the Studio warns


@dataclass(frozen=True)
class GiftYear:
    year: int
    revenue: dict[str, Decimal] = field(default_factory=dict)  # currency -> paid
    referred: dict[str, Decimal] = field(default_factory=dict)  # of it, by referred clients
    given: dict[str, Decimal] = field(default_factory=dict)  # gifts given
    planned: dict[str, Decimal] = field(default_factory=dict)  # gifts planned


@dataclass(frozen=True)
class Budget:
    amount: Decimal
    currency: str


@dataclass(frozen=True)
class BudgetStatus:
    """This year's gifts (given and planned) against the budget."""

    budget: Budget
    spent: Decimal  # in the budget's currency
    level: str  # "ok", "near" (at least 90 %) or "over"

    @property
    def share(self) -> Decimal:
        return self.spent / self.budget.amount if self.budget.amount else Decimal(0)


def gift_budget() -> Budget | None:
    """The yearly gift budget from Settings; None when none is set (or it is no amount)."""
    try:
        amount = parse_amount(get_setting("gift_budget"))
    except AmountError:
        return None
    currency = get_setting("gift_budget_currency").strip().upper()
    if amount is None or amount <= 0 or len(currency) != 3:
        return None
    return Budget(amount, currency)


def budget_status(year: GiftYear, budget: Budget | None) -> BudgetStatus | None:
    if budget is None:
        return None
    zero = Decimal(0)
    spent = year.given.get(budget.currency, zero) + year.planned.get(budget.currency, zero)
    if spent > budget.amount:
        level = "over"
    elif spent >= budget.amount * NEAR_BUDGET:
        level = "near"
    else:
        level = "ok"
    return BudgetStatus(budget, spent, level)


def gift_years(today: date, zone: ZoneInfo, count: int = 3) -> list[GiftYear]:
    """The last `count` local years (this one last): revenue, referred revenue and gifts."""
    years = list(range(today.year - count + 1, today.year + 1))
    revenue, referred = _paid_per_year(years, zone)
    given, planned = _gifts_per_year(years)
    return [
        GiftYear(y, revenue.get(y, {}), referred.get(y, {}), given.get(y, {}), planned.get(y, {}))
        for y in years
    ]


def _year_start(year: int, zone: ZoneInfo) -> datetime:
    return datetime.combine(date(year, 1, 1), time(), tzinfo=zone)


Sums = dict[int, dict[str, Decimal]]


def _paid_per_year(years: list[int], zone: ZoneInfo) -> tuple[Sums, Sums]:
    bounds = [_year_start(year, zone) for year in [*years, years[-1] + 1]]
    revenue: Sums = {}
    referred: Sums = {}
    for (number, currency, was_referred), paid in in_order(paid_per_period(bounds)):
        if currency is None:  # no amount
            continue
        amount = total(paid.cents, paid.odd_text())
        _add(revenue, years[number], currency, amount)
        if was_referred:
            _add(referred, years[number], currency, amount)
    return revenue, referred


def _gifts_per_year(years: list[int]) -> tuple[Sums, Sums]:
    year_of = fn.substr(Gift.given_on, 1, 4).cast("INTEGER")
    query = (
        Gift.select(year_of, Gift.planned, Gift.currency, *money_sum(Gift.cost))
        .where(
            Gift.cost.is_null(False)
            & (Gift.given_on >= date(years[0], 1, 1))
            & (Gift.given_on < date(years[-1] + 1, 1, 1))
        )
        .group_by(year_of, Gift.planned, Gift.currency)
        .tuples()
    )
    given: Sums = {}
    planned: Sums = {}
    for year, is_planned, currency, cents_sum, odd in query:
        _add(planned if is_planned else given, year, currency, total(cents_sum, odd))
    return given, planned


def _add(sums: Sums, year: int, currency: str, amount: Decimal) -> None:
    per_currency = sums.setdefault(year, {})
    per_currency[currency] = per_currency.get(currency, Decimal(0)) + amount
