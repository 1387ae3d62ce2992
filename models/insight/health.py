"""Relationship health: how well a client is cared for, in one colour and one sentence.

The formula, in one place. For a lead, customer or client with at least one interaction:

    recency    R = 1 when the last contact was at most 30 days ago, falling in a straight
                 line to 0 at 365 days and more
    frequency  F = interactions in the last 24 months / 8, at most 1
    value      V = the share of paying clients who spent less than this one in the main
                 currency (models/insight/spending.main_currency): 0.95 for the top 5%, 0 without
    score      S = 0.5 R + 0.3 F + 0.2 V

    good (green)  S >= 0.6     fair (amber)  S >= 0.3     low (red)  below

The explanation names the value rank ("top 10% by value") only among at least
RANKED_AMONG paying clients: with one paying client, "top 1%" would be true and meaningless.

Recency weighs most because a note this month does more for a relationship than a big
invoice two years ago. Clients without any interaction are "new", past clients "past":
neither gets a score. Values are compared in whole cents, summed as the Studio sums
them (models/insight/exact_sums.py).
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from peewee import JOIN, fn

from models.insight.exact_sums import cents
from models.reminders.contact_rhythm import day_in_zone
from models.store.entities import Client, Interaction
from models.values.kinds import SESSION_KINDS
from models.values.partial_dates import months_between

RECENT_DAYS, FORGOTTEN_DAYS = 30, 365
FREQUENCY_WINDOW_DAYS, FREQUENT = 730, 8
WEIGHTS = (0.5, 0.3, 0.2)  # recency, frequency, value
GOOD, FAIR = 0.6, 0.3
RANKED_AMONG = 10  # paying clients, before a rank by value means something


# client id -> currency -> (paid interactions, their amounts in cents)
Payments = dict[int, dict[str, tuple[int, int]]]


@dataclass(frozen=True)
class ValueRanks:
    """Every paying client's lifetime value in the main currency, in cents, ascending."""

    currency: str | None
    cents: tuple[int, ...]
    # What they were worked out from, so that a change to a few clients updates them
    # (`updated_ranks`) instead of another pass over every paid interaction.
    payments: Payments = field(default_factory=dict, compare=False, repr=False)
    counts: Counter[str] = field(default_factory=Counter, compare=False, repr=False)  # payments

    def say_rank(self) -> bool:
        """Whether there are paying clients enough for a rank to mean something."""
        return len(self.cents) >= RANKED_AMONG

    def below(self, cents: int) -> float:
        """The share of paying clients who spent less than `cents`."""
        return bisect_left(self.cents, cents) / len(self.cents) if self.cents else 0.0


@dataclass(frozen=True)
class Activity:
    """What the formula reads about one client."""

    stage: str
    last_contact: datetime | None
    recent_interactions: int  # in the last FREQUENCY_WINDOW_DAYS
    sessions: int
    value_cents: int  # in the main currency


@dataclass(frozen=True)
class Health:
    level: str  # good, fair, low, new or past
    score: float | None
    explanation: str  # "Last contact 3 weeks ago · 5 sessions · top 10% by value"


def value_ranks() -> ValueRanks:
    """One pass over the paid interactions (through the currency index)."""
    payments = _payments(Interaction.currency.is_null(False))
    counts: Counter[str] = Counter()
    for by_currency in payments.values():
        _count(counts, by_currency, 1)
    return _ranks(payments, counts)


def updated_ranks(ranks: ValueRanks, client_ids: Iterable[int]) -> ValueRanks:
    """`ranks` after a change to the clients `client_ids`: their payments read anew, the
    others' kept, and their values moved in the sorted ones. The same as `value_ranks()`
    would say, for a few rows read."""
    changed = list(dict.fromkeys(client_ids))
    fresh: Payments = {}
    for start in range(0, len(changed), 500):
        fresh.update(_payments(Interaction.client.in_(changed[start : start + 500])))
    payments = dict(ranks.payments)  # new ones: the old ranks may be in use meanwhile
    counts = Counter(ranks.counts)
    for client_id in changed:
        _count(counts, payments.pop(client_id, {}), -1)
        if client_id in fresh:
            payments[client_id] = fresh[client_id]
            _count(counts, fresh[client_id], 1)
    if _main(counts) != ranks.currency:  # every value is now counted in another currency
        return _ranks(payments, +counts)
    values = list(ranks.cents)
    for client_id in changed:
        before = ranks.payments.get(client_id, {}).get(ranks.currency)
        if before is not None:
            del values[bisect_left(values, before[1])]
        after = fresh.get(client_id, {}).get(ranks.currency)
        if after is not None:
            insort(values, after[1])
    return ValueRanks(ranks.currency, tuple(values), payments, +counts)  # + drops the zeros


def _count(counts: Counter[str], by_currency: dict[str, tuple[int, int]], sign: int) -> None:
    for currency, (count, _total) in by_currency.items():
        counts[currency] += sign * count


def _payments(condition) -> Payments:
    query = (
        Interaction.select(
            Interaction.client, Interaction.currency, fn.COUNT(), fn.SUM(cents(Interaction.amount))
        )
        .where(condition & Interaction.currency.is_null(False))
        .group_by(Interaction.currency, Interaction.client)
        .tuples()
    )
    payments: Payments = {}
    for client_id, currency, count, total in query:
        payments.setdefault(client_id, {})[currency] = (count, total)
    return payments


def _main(counts: Counter[str]) -> str | None:
    """models/insight/spending.main_currency's rule: the most payments, the first by name
    among equals; None when nobody has paid anything."""
    paid = [currency for currency, count in counts.items() if count > 0]
    return min(paid, key=lambda each: (-counts[each], each)) if paid else None


def _ranks(payments: Payments, counts: Counter[str]) -> ValueRanks:
    currency = _main(counts)
    totals = (by[currency][1] for by in payments.values() if currency in by)
    return ValueRanks(currency, tuple(sorted(totals)), payments, counts)


def activities(client_ids: list[int], ranks: ValueRanks, now: datetime) -> dict[int, Activity]:
    """The activity of each of these clients (a page of the list), in one query."""
    window_start = now - timedelta(days=FREQUENCY_WINDOW_DAYS)
    in_currency = Interaction.currency == ranks.currency
    query = (
        Client.select(
            Client.id,
            Client.stage,
            fn.MAX(Interaction.occurred_at),
            fn.COUNT(Interaction.id).filter(Interaction.occurred_at >= window_start),
            fn.COUNT(Interaction.id).filter(Interaction.kind.in_(SESSION_KINDS)),
            fn.COALESCE(fn.SUM(cents(Interaction.amount)).filter(in_currency), 0),
        )
        .join(Interaction, on=(Interaction.client == Client.id), join_type=JOIN.LEFT_OUTER)
        .where(Client.id.in_(client_ids))
        .group_by(Client.id)
    )
    return {
        # peewee reads MAX(occurred_at) through the column's type: an aware datetime.
        client_id: Activity(stage, last, recent, sessions, cents)
        for client_id, stage, last, recent, sessions, cents in query.tuples()
    }


def health(activity: Activity, ranks: ValueRanks, now: datetime) -> Health:
    if activity.stage == "past":
        return Health("past", None, "A past client: no check-ins expected")
    if activity.last_contact is None:
        return Health("new", None, "No interaction yet — log the first one")
    days = max(0, (now - activity.last_contact).days)
    recency = min(1.0, max(0.0, (FORGOTTEN_DAYS - days) / (FORGOTTEN_DAYS - RECENT_DAYS)))
    frequency = min(1.0, activity.recent_interactions / FREQUENT)
    value = ranks.below(activity.value_cents) if activity.value_cents else 0.0
    score = sum(w * part for w, part in zip(WEIGHTS, (recency, frequency, value), strict=True))
    level = "good" if score >= GOOD else "fair" if score >= FAIR else "low"
    # Local days, counted as the drifting flag counts them, so that both say the same.
    last = ago(day_in_zone(activity.last_contact), day_in_zone(now))
    rank = value if ranks.say_rank() else None
    return Health(level, round(score, 2), _explain(last, activity, rank))


def _explain(last: str, activity: Activity, value: float | None) -> str:
    parts = [f"Last contact {last}"]
    if activity.sessions:
        parts.append(f"{activity.sessions} session{'s' if activity.sessions > 1 else ''}")
    recent = activity.recent_interactions
    parts.append(f"{recent} interaction{'s' if recent != 1 else ''} in 2 years")
    if activity.value_cents and value is not None:
        top = max(1, round((1 - value) * 100))
        if top <= 50:
            parts.append(f"top {top}% by value")
    return " · ".join(parts)


def ago(last: date, today: date) -> str:
    """ "today", "3 days ago", "3 weeks ago", "5 months ago", "2 years ago": calendar
    months, as models/insight/relationship.drifting_reason counts them."""
    days, months = (today - last).days, months_between(last, today)
    if days < 1:
        return "today"
    if days < 14:
        return f"{days} day{'s' if days > 1 else ''} ago"
    if months < 2:
        return f"{days // 7} weeks ago"
    if months < 24:
        return f"{months} months ago"
    return f"{months // 12} years ago"


def healths(client_ids: list[int], ranks: ValueRanks, now: datetime) -> dict[int, Health]:
    """The health of each of these clients (a page of the list, or one client's page)."""
    return {
        client_id: health(activity, ranks, now)
        for client_id, activity in activities(client_ids, ranks, now).items()
    }
