"""Gifts: given or planned, for an occasion, with what they cost (Decimal, in a currency)."""

from __future__ import annotations

from models.forms.dialog_forms import GiftForm, ValidationError
from models.store.database import db
from models.store.entities import Gift
from models.values.amounts import PLAIN, Separators, parse_amount, typed_amount


def gifts(client_id: int) -> list[Gift]:
    """The client's gifts, the planned ones first, then the newest first."""
    return list(
        Gift.select()
        .where(Gift.client == client_id)
        .order_by(Gift.planned.desc(), Gift.given_on.desc(), Gift.id.desc())
    )


def save_gift(form: GiftForm, client_id: int, gift_id: int | None = None) -> Gift:
    errors = form.errors()
    if errors:
        raise ValidationError(errors)
    cost = parse_amount(form.amount, form.separators)
    with db.atomic():
        gift = Gift.get_by_id(gift_id) if gift_id else Gift(client=client_id)
        gift.what = form.what.strip()
        gift.given_on = form.given_on
        gift.occasion = form.occasion
        gift.cost = cost
        gift.currency = form.currency.strip().upper() if cost is not None else None
        gift.planned = form.planned
        gift.save()
    return gift


def gift_form(gift: Gift, separators: Separators = PLAIN) -> GiftForm:
    return GiftForm(
        what=gift.what,
        given_on=gift.given_on,
        occasion=gift.occasion,
        amount="" if gift.cost is None else typed_amount(gift.cost, separators),
        currency=gift.currency or "",
        planned=gift.planned,
        separators=separators,
    )
