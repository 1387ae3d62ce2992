"""A wedding session is the day a couple will celebrate every year: offer to remember it."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from models.clients.entries import add_yearly_date
from models.store.database import db
from models.store.entities import ImportantDate, Interaction


def wedding_anniversary_offer(interaction: Interaction, zone: ZoneInfo) -> date | None:
    """The local day of a wedding session, if the client has no wedding anniversary yet."""
    if interaction.kind != "wedding":
        return None
    known = ImportantDate.select().where(
        (ImportantDate.client == interaction.client_id)
        & (ImportantDate.kind == "wedding_anniversary")
        & ImportantDate.family_member.is_null()
    )
    return None if known.exists() else interaction.occurred_at.astimezone(zone).date()


def add_wedding_anniversary(client_id: int, day: date) -> ImportantDate:
    """The couple's yearly wedding anniversary, with the usual week's notice."""
    with db.atomic():
        return add_yearly_date(client_id, "wedding_anniversary", day)
