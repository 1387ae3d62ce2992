"""What a write changed, said once: which clients and which kinds of their data.

Every write in the window reports one `Change` (the undo commands for a change to one
client, the window for a new client, an import, a restored backup, the sample clients,
the settings); everything that shows data (the list, the client's page, Today, the
Studio, the calendar file) follows that one report instead of being refreshed by hand.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from peewee import Model

from models.store.entities import (
    Booking,
    Client,
    ClientPhoto,
    ClientTag,
    ContactDetail,
    FamilyMember,
    FollowUp,
    Gift,
    ImportantDate,
    Interaction,
    Note,
    ReminderState,
    Wish,
)

# The kinds of data, in the owner's words, each kept in these tables.
KIND_TABLES: dict[str, tuple[type[Model], ...]] = {
    "clients": (Client, ContactDetail, ClientTag),  # who they are, how to reach them, tags
    "interactions": (Interaction,),
    "notes": (Note,),
    "family": (FamilyMember,),
    "dates": (ImportantDate,),
    "follow-ups": (FollowUp,),
    "wishes": (Wish,),
    "gifts": (Gift,),
    "reminders": (ReminderState,),  # done, snoozed, notified
    "photos": (ClientPhoto,),
    "bookings": (Booking,),
}
CLIENT_KINDS = frozenset(KIND_TABLES)
SETTINGS = "settings"
TABLE_KINDS = {
    model._meta.table_name: kind for kind, tables in KIND_TABLES.items() for model in tables
}


@dataclass(frozen=True)
class Change:
    client_ids: frozenset[int] | None  # None: every client (an import, the settings)
    kinds: frozenset[str]

    def concerns(self, client_id: int) -> bool:
        return self.client_ids is None or client_id in self.client_ids

    def touches(self, kinds: Iterable[str]) -> bool:
        return not self.kinds.isdisjoint(kinds)

    def at_large(self) -> bool:
        """Any client's data may have changed: snapshots taken before may not fit."""
        return self.client_ids is None and self.touches(CLIENT_KINDS)


def client_change(client_id: int, kinds: Iterable[str] = CLIENT_KINDS) -> Change:
    """A change to one client: by default to anything of theirs (new, deleted)."""
    return Change(frozenset({client_id}), frozenset(kinds))


def all_clients_changed() -> Change:
    """Clients added or merged at large: an import, the sample clients."""
    return Change(None, CLIENT_KINDS)


def everything_changed() -> Change:
    """All the data replaced, settings too: a backup put back."""
    return Change(None, CLIENT_KINDS | {SETTINGS})


def settings_changed() -> Change:
    """The settings: no client's data, but how every client is seen (drifting,
    promotion, the reminder time)."""
    return Change(None, frozenset({SETTINGS}))
