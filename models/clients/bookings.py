"""Booked sessions: booking one, and the session becoming history once it has ended.

A booking is "booked" until its end; then it is "held": it became an interaction of its
kind, logged through the same path as one the owner logs (models/clients/entries.py), so
that health, the check-in, the Studio and whatever follows a logged session count it.
Holding runs where reminders are reconciled (models/reminders/store.py), at the session's
end or at the first look after it (Rapport was closed): in one transaction with its
interaction, so a booking never becomes two.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from models.care.steps import CareTiming
from models.clients.entries import log_interaction
from models.forms.dialog_forms import BookingForm, InteractionForm, ValidationError
from models.reminders.rules import BookingFacts
from models.store.database import db
from models.store.entities import Booking
from models.values.kinds import INTERACTION_KINDS

# A session booked without an end: how long it usually lasts.
USUAL_LENGTH = timedelta(hours=2)
# What is still to come, or still on offer: the states a calendar may move or cancel.
OPEN_STATES = ("offered", "booked")


def upcoming_bookings(client_id: int) -> list[Booking]:
    """The client's sessions still to come, booked or on offer from a calendar, soonest first
    (the others are history, or cancelled)."""
    return list(
        Booking.select()
        .where((Booking.client == client_id) & Booking.status.in_(OPEN_STATES))
        .order_by(Booking.starts_at, Booking.id)
    )


def booking_form(row: Booking) -> BookingForm:
    return BookingForm(
        kind=row.kind,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        place=row.place,
        summary=row.summary,
    )


def save_booking(form: BookingForm, client_id: int, booking_id: int | None = None) -> Booking:
    """Book a session, or change one still to come (an offered one is booked by saving it)."""
    errors = form.errors()
    if errors:
        raise ValidationError(errors)
    with db.atomic():
        row = Booking.get_by_id(booking_id) if booking_id else Booking(client=client_id)
        row.kind = form.kind
        row.starts_at = form.starts_at.astimezone(UTC)
        row.ends_at = form.ends_at.astimezone(UTC)
        row.place = form.place.strip()
        row.summary = form.summary.strip()
        if row.status in OPEN_STATES:
            row.status = "booked"
        row.save()
    return row


def set_booking_status(booking_id: int, status: str) -> None:
    """Book an offered session ("booked"), decline it, or cancel a booked one; a session
    already held stays what it became."""
    Booking.update(status=status).where(
        (Booking.id == booking_id) & Booking.status.in_(OPEN_STATES)
    ).execute()


def session_words(kind: str) -> str:
    """ "Session", "Wedding session": the kind as the owner reads it."""
    return INTERACTION_KINDS.get(kind, INTERACTION_KINDS["session"])


def booking_facts(booking: Booking, client_name: str) -> BookingFacts:
    """The booking as the reminder rules (and Today's words for it) need it."""
    return BookingFacts(
        id=booking.id,
        client_id=booking.client_id,
        client_name=client_name,
        what=session_words(booking.kind),
        starts_at=booking.starts_at,
        place=booking.place,
    )


def hold_ended(now: datetime, care: CareTiming | None = None) -> list[Booking]:
    """Every booked session that has ended by `now` becomes history: an interaction of its
    kind at its start, which starts its care plan as a logged session does (timed by
    `care`). In the caller's transaction (or its own); the status changes only from
    "booked", so a second look, or a second process, finds nothing more to do."""
    held = []
    with db.atomic():
        ended = Booking.select().where(
            (Booking.status == "booked") & (Booking.ends_at <= now.astimezone(UTC))
        )
        for booking in ended.order_by(Booking.starts_at, Booking.id):
            form = InteractionForm(
                kind=booking.kind,
                occurred_at=booking.starts_at,
                summary=booking.summary or session_words(booking.kind),
                body=f"At {booking.place}" if booking.place else "",
            )
            interaction = log_interaction(form, booking.client_id, care=care)
            Booking.update(status="held", interaction=interaction).where(
                (Booking.id == booking.id) & (Booking.status == "booked")
            ).execute()
            held.append(booking)
    return held


def next_end(now: datetime) -> datetime | None:
    """When the next booked session ends after `now`: the moment it becomes history."""
    row = (
        Booking.select(Booking.ends_at)
        .where((Booking.status == "booked") & (Booking.ends_at > now.astimezone(UTC)))
        .order_by(Booking.ends_at)
        .first()
    )
    return row.ends_at if row else None
