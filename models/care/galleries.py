"""A session's gallery: its link (any host) and the day it closes, and the reminder a
week before ("Anna's gallery closes in 7 days: a word about prints?")."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date, timedelta

from models.reminders.key import ReminderKey
from models.reminders.rules import Reminder, ReminderWindow, fire_instant
from models.store.database import one_of
from models.store.entities import NEWEST_FIRST, Client, Interaction, full_name

NOTICE_DAYS = 7  # a week: time for a word about prints before the gallery closes


def gallery_reminders(window: ReminderWindow, pending: set[str]) -> list[Reminder]:
    """Galleries whose notice falls by the window's last day and that closed no earlier
    than its first, and those whose reminder is `pending` (notified or snoozed into the
    window and not done: the keys the reminders' store keeps on Today) however long ago
    they closed: open until done, as follow-ups are."""
    in_window = Interaction.gallery_expires_on.between(
        window.first, window.last + timedelta(days=NOTICE_DAYS)
    )
    if pending:
        sessions = Interaction.id.in_(one_of({ReminderKey.parse(key).row_id for key in pending}))
        in_window |= sessions & Interaction.gallery_expires_on.is_null(False)
    query = (
        Interaction.select(
            Interaction.id,
            Interaction.gallery_expires_on,
            Client.id,
            Client.first_name,
            Client.last_name,
            Client.preferred_name,
        )
        .join(Client)
        .where(in_window & (Interaction.gallery_url != ""))
        .tuples()
    )
    reminders = [
        Reminder(
            key=str(ReminderKey.gallery(session_id, closes_on)),
            client_id=client_id,
            kind="gallery",
            due_at=fire_instant(closes_on - timedelta(days=NOTICE_DAYS), window.at, window.zone),
            occurs_on=closes_on,
            title=full_name(first, last),
            text=closing_words(preferred or first, closes_on, window.today),
            occasion="gallery",
        )
        for session_id, closes_on, client_id, first, last, preferred in query
    ]
    # A pending session is read whole: its gallery since moved to a day before the window is
    # another reminder, never notified, so not pending.
    return [r for r in reminders if r.occurs_on >= window.first or r.key in pending]


def closing_words(first_name: str, closes_on: date, today: date) -> str:
    """ "Anna's gallery closes in 7 days: a word about prints?" """
    days = (closes_on - today).days
    if days > 1:
        when = f"closes in {days} days"
    elif days == 1:
        when = "closes tomorrow"
    elif days == 0:
        when = "closes today"
    else:
        when = f"closed on {closes_on:%a} {closes_on.day} {closes_on:%b}"
    return f"{first_name}'s gallery {when}: a word about prints?"


def newest_gallery(interactions: Iterable[Interaction]) -> Interaction | None:
    """The newest session with a gallery link among a client's `interactions`, which come
    NEWEST_FIRST, as their history is read (models/clients/entries.py)."""
    return next((session for session in interactions if session.gallery_url), None)


def latest_galleries(client_ids: Collection[int]) -> dict[int, Interaction]:
    """client id -> their newest session with a gallery link (the first NEWEST_FIRST, as
    `newest_gallery` takes it); a client without a gallery is left out."""
    sessions = (
        Interaction.select()
        .where(Interaction.client.in_(one_of(client_ids)) & (Interaction.gallery_url != ""))
        .order_by(*NEWEST_FIRST)
    )
    newest: dict[int, Interaction] = {}
    for session in sessions:
        newest.setdefault(session.client_id, session)
    return newest
