"""Who sends the studio new clients: referrers ranked by the clients they referred.

A referrer's value is what the clients they referred spent (their lifetime value: the
amounts of sessions and purchases, as models/insight/spending.py counts it), per currency and
never summed across currencies. The ranking is by how many clients they referred, then
by that value in the main currency (models/insight/spending.main_currency), then by name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from peewee import JOIN, Ordering, fn

from models.insight.exact_sums import cents, money_sum, total
from models.insight.spending import main_currency
from models.store.entities import Client, Interaction, full_name
from models.values.kinds import PAID_INTERACTION_KINDS


@dataclass(frozen=True)
class Referrer:
    client_id: int
    name: str
    referrals: int  # clients who name them in "referred by"
    # currency -> what those clients spent; the main currency first, then by name
    value: dict[str, Decimal] = field(default_factory=dict)


def top_referrers(limit: int = 10, main: str | None = None) -> list[Referrer]:
    """The `limit` clients who referred the most clients, best first. `main` is the main
    currency when the caller read it already (it takes a pass over every interaction)."""
    counts = (
        Client.select(Client.referred_by.alias("referrer"), fn.COUNT(Client.id).alias("count"))
        .where(Client.referred_by.is_null(False))
        .group_by(Client.referred_by)
        .alias("counts")
    )
    main = main or main_currency()
    worth = _referred_cents(main).alias("worth")
    query = (
        Client.select(Client.id, Client.first_name, Client.last_name, counts.c.count)
        .join(counts, on=(counts.c.referrer == Client.id))
        .join(worth, JOIN.LEFT_OUTER, on=(worth.c.referrer == Client.id))
        .order_by(
            counts.c.count.desc(),
            Ordering(worth.c.cents, "DESC", nulls="LAST"),
            Client.sort_name,
            Client.id,
        )
        .limit(limit)
        .tuples()
    )
    ranked = list(query)
    values = referred_values([client_id for client_id, *_ in ranked], main)
    return [
        Referrer(client_id, full_name(first, last), count, values.get(client_id, {}))
        for client_id, first, last, count in ranked
    ]


def _paid_by_referred():
    """Sessions and purchases with an amount, of clients someone referred. CROSS JOIN
    keeps SQLite's order: the referred clients through their index, then their
    interactions, rather than every interaction (0.2 s instead of 0.4 s at 1M)."""
    return (
        Client.select()
        .join(Interaction, JOIN.CROSS)
        .where(
            (Interaction.client == Client.id)
            & Client.referred_by.is_null(False)
            & Interaction.kind.in_(PAID_INTERACTION_KINDS)
            & Interaction.amount.is_null(False)
        )
    )


def _referred_cents(currency: str | None):
    """referrer, cents: what each referrer's clients spent in `currency`, to rank by."""
    return (
        _paid_by_referred()
        .select(
            Client.referred_by.alias("referrer"), fn.SUM(cents(Interaction.amount)).alias("cents")
        )
        .where(Interaction.currency == currency)
        .group_by(Client.referred_by)
    )


def referred_values(
    referrer_ids: list[int], main: str | None = None
) -> dict[int, dict[str, Decimal]]:
    """referrer id -> currency -> the exact amount their referred clients spent."""
    query = (
        _paid_by_referred()
        .select(Client.referred_by, Interaction.currency, *money_sum(Interaction.amount))
        .where(Client.referred_by.in_(referrer_ids))
        .group_by(Client.referred_by, Interaction.currency)
        .order_by(Interaction.currency != main, Interaction.currency)
        .tuples()
    )
    values: dict[int, dict[str, Decimal]] = {}
    for referrer, currency, cents_sum, odd in query:
        values.setdefault(referrer, {})[currency] = total(cents_sum, odd)
    return values
