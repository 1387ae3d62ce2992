"""Wishes: what a client said they want next, kept until it comes true.

A wish with a date can become a follow-up on that day, at the reminder time, so that
"family shoot when the baby arrives (March)" turns into a nudge in March.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from models.clients.entries import delete_entry, set_follow_up_done
from models.forms.dialog_forms import ValidationError, WishForm
from models.reminders.rules import fire_instant
from models.store.database import db
from models.store.entities import FollowUp, Wish
from models.store.settings import reminder_time


def wishes(client_id: int) -> list[Wish]:
    """Open wishes first, the soonest wanted first; then the ones that came true."""
    return list(
        Wish.select()
        .where(Wish.client == client_id)
        .order_by(
            Wish.fulfilled_at.is_null(False),
            Wish.wanted_by.is_null(),
            Wish.wanted_by,
            Wish.created_at,
            Wish.id,
        )
    )


def save_wish(form: WishForm, client_id: int, zone: ZoneInfo, wish_id: int | None = None) -> Wish:
    """Create or edit a wish and its follow-up, in one transaction."""
    errors = form.errors()
    if errors:
        raise ValidationError(errors)
    with db.atomic():
        wish = Wish.get_by_id(wish_id) if wish_id else Wish(client=client_id)
        wish.text = form.text.strip()
        wish.wanted_by = form.wanted_by
        wish.follow_up = _follow_up_for(wish, form, zone)
        wish.save()
    return wish


def _follow_up_for(wish: Wish, form: WishForm, zone: ZoneInfo) -> FollowUp | None:
    linked = FollowUp.get_or_none(FollowUp.id == wish.follow_up_id) if wish.follow_up_id else None
    if not form.follow_up:
        _drop_open(linked)  # an open reminder nobody wants any more
        return None
    follow_up = linked or FollowUp(client=wish.client_id)
    follow_up.title = f"Wish: {form.text.strip()}"
    follow_up.due_at = fire_instant(form.wanted_by, reminder_time(), zone)
    if wish.fulfilled_at is None:
        follow_up.done_at = None  # a new date for an open wish reminds again
    follow_up.save()
    return follow_up


def _drop_open(follow_up: FollowUp | None) -> None:
    if follow_up is not None and follow_up.done_at is None:
        delete_entry(FollowUp, follow_up.id)


def delete_wish(wish_id: int) -> None:
    """Delete a wish, and its reminder if that is still open."""
    with db.atomic():
        wish = Wish.get_by_id(wish_id)
        follow_up = FollowUp.get_or_none(FollowUp.id == wish.follow_up_id)
        wish.delete_instance()
        _drop_open(follow_up)


def set_wish_fulfilled(wish_id: int, at: datetime | None) -> None:
    """Mark a wish as come true (closing its follow-up), or open again (None)."""
    with db.atomic():
        wish = Wish.get_by_id(wish_id)
        wish.fulfilled_at = at
        wish.save()
        if wish.follow_up_id is not None:  # the reminder closes and opens with the wish
            set_follow_up_done(wish.follow_up_id, at)


def wish_form(wish: Wish) -> WishForm:
    return WishForm(wish.text, wish.wanted_by, wish.follow_up_id is not None)
