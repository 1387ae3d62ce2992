"""What a client has booked and bought: counts, dates, and money per currency.

Amounts stay Decimal and are never added across currencies: a client who paid in EUR
and in CHF has two totals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from peewee import fn

from models.store.entities import Interaction
from models.values.kinds import PAID_INTERACTION_KINDS, SESSION_KINDS

CENT = Decimal("0.01")


@dataclass
class Spending:
    sessions: int = 0
    purchases: int = 0
    first_session: datetime | None = None
    last_session: datetime | None = None
    totals: dict[str, Decimal] = field(default_factory=dict)  # currency -> lifetime value
    paid: dict[str, int] = field(default_factory=dict)  # currency -> paid interactions

    def average(self, currency: str) -> Decimal:
        """The mean amount paid in `currency`, to the cent."""
        return (self.totals[currency] / self.paid[currency]).quantize(CENT, ROUND_HALF_UP)

    def currencies(self) -> list[str]:
        """The currencies paid in, the largest count of payments first."""
        return sorted(self.totals, key=lambda currency: (-self.paid[currency], currency))


def spending(client_id: int) -> Spending:
    summary = Spending()
    query = (
        Interaction.select(
            Interaction.kind, Interaction.occurred_at, Interaction.amount, Interaction.currency
        )
        .where((Interaction.client == client_id) & Interaction.kind.in_(PAID_INTERACTION_KINDS))
        .order_by(Interaction.occurred_at)
    )
    for row in query:
        if row.kind in SESSION_KINDS:
            summary.sessions += 1
            summary.first_session = summary.first_session or row.occurred_at
            summary.last_session = row.occurred_at
        else:
            summary.purchases += 1
        if row.amount is not None:
            summary.totals[row.currency] = summary.totals.get(row.currency, Decimal(0)) + row.amount
            summary.paid[row.currency] = summary.paid.get(row.currency, 0) + 1
    return summary


def main_currency() -> str | None:
    """The currency the studio is paid in most often: orders and ranks by value use it,
    since amounts in different currencies cannot be compared."""
    return (
        Interaction.select(Interaction.currency)
        .where(Interaction.currency.is_null(False))
        .group_by(Interaction.currency)
        .order_by(fn.COUNT(Interaction.id).desc(), Interaction.currency)  # equals: by name
        .limit(1)
        .scalar()
    )
