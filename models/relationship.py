"""From customer to client: when to suggest the step, and whether a client is drifting
(the rule itself lives in models/contact_rhythm.py).

The rules are pure functions of what Rapport knows; the thresholds are settings
(models/settings.py) with sensible defaults.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from peewee import fn

from models.contact_rhythm import contacted_at, drifting_reason, is_drifting, local_day
from models.database import db
from models.entities import Client, ImportantDate, Interaction
from models.kinds import PAID_INTERACTION_KINDS
from models.records import add_yearly_date
from models.settings import drifting_after_months, get_setting, setting_number
from models.spending import Spending, spending


def promotion_due(
    stage: str,
    summary: Spending,
    declined_at: int | None,
    after_bookings: int | None,
    after_value: Decimal | None,
) -> bool:
    """A customer who booked often enough, or spent enough in one currency, and who was
    not declined at this number of bookings, may become a client."""
    bookings = summary.sessions + summary.purchases
    if stage != "customer" or (declined_at is not None and bookings <= declined_at):
        return False
    often = after_bookings is not None and bookings >= after_bookings
    spent = after_value is not None and any(t >= after_value for t in summary.totals.values())
    return often or spent


@dataclass(frozen=True)
class Relationship:
    """What the client page says about where the relationship stands."""

    spending: Spending
    promotion: str | None  # "Anna has booked 3 times. Make Anna a client?"
    drifting: str | None


def relationship(client: Client, today: date) -> Relationship:
    summary = spending(client.id)
    promote = promotion_due(
        client.stage,
        summary,
        client.promotion_declined_at,
        setting_number("promote_after_bookings"),
        _decimal_setting("promote_after_value"),
    )
    bookings = summary.sessions + summary.purchases
    contacted_on = local_day(contacted_at(client))
    after_months = drifting_after_months()
    drifting = is_drifting(
        client.stage, contacted_on, client.keep_in_touch_days, today, after_months
    )
    return Relationship(
        summary,
        _promotion_text(client, bookings) if promote else None,
        drifting_reason(contacted_on, client.keep_in_touch_days, today, after_months)
        if drifting
        else None,
    )


def _promotion_text(client: Client, bookings: int) -> str:
    name = client.preferred_name or client.first_name
    return f"{name} has booked {bookings} times. Make {name} a client?"


def _decimal_setting(key: str) -> Decimal | None:
    try:
        return Decimal(get_setting(key))
    except InvalidOperation:  # empty: not used
        return None


def accept_promotion(client_id: int, today: date) -> None:
    """Make the customer a client, and remember the day as their yearly 'client since'
    (unless they have one already)."""
    with db.atomic():
        Client.update(stage="client").where(Client.id == client_id).execute()
        known = ImportantDate.select().where(
            (ImportantDate.client == client_id) & (ImportantDate.kind == "client_since")
        )
        if not known.exists():
            add_yearly_date(client_id, "client_since", today)


def decline_promotion(client_id: int) -> None:
    """Not now: ask again after the next booking."""
    bookings = (
        Interaction.select()
        .where((Interaction.client == client_id) & Interaction.kind.in_(PAID_INTERACTION_KINDS))
        .count()
    )
    Client.update(promotion_declined_at=bookings).where(Client.id == client_id).execute()


@dataclass(frozen=True)
class Suggestion:
    client_id: int
    text: str  # "Jake has booked 5 times. Make Jake a client?"


def promotion_suggestions(limit: int) -> list[Suggestion]:
    """Customers Rapport suggests making clients, the most booked first (by the rule of
    `promotion_due`; bookings are counted in SQL, amounts checked in Decimal)."""
    bookings = fn.COUNT(Interaction.id)
    query = (
        Client.select(Client, bookings.alias("bookings"))
        .join(Interaction)
        .where((Client.stage == "customer") & Interaction.kind.in_(PAID_INTERACTION_KINDS))
        .group_by(Client.id)
        .having(Client.promotion_declined_at.is_null() | (bookings > Client.promotion_declined_at))
        .order_by(bookings.desc(), Client.sort_name)
    )
    after_bookings = setting_number("promote_after_bookings")
    after_value = _decimal_setting("promote_after_value")
    if after_value is None:  # only the count can qualify: let SQL stop early
        query = query.having(bookings >= (after_bookings or 0)).limit(limit)
    found = []
    for client in query:
        summary = spending(client.id)
        if promotion_due(
            "customer", summary, client.promotion_declined_at, after_bookings, after_value
        ):
            found.append(Suggestion(client.id, _promotion_text(client, client.bookings)))
            if len(found) == limit:
                break
    return found
