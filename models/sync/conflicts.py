"""Conflicts of address-book sync, as the client page shows them, and their resolution:
the owner keeps Rapport's value or takes the address book's."""

from __future__ import annotations

import json
from dataclasses import dataclass

from models.store.database import db
from models.store.entities import Client
from models.sync.cards import FIELD_WORDS, dumps, value_words
from models.sync.local import apply_fields
from models.sync.state import CardConflict, CardSync


@dataclass(frozen=True)
class ShownConflict:
    id: int
    field: str  # in words: "nickname", "wedding anniversary"
    ours: str  # Rapport's value, in words
    theirs: str  # the address book's value


def conflicts_of(client_id: int) -> list[ShownConflict]:
    rows = CardConflict.select().where(CardConflict.client == client_id).order_by(CardConflict.id)
    return [
        ShownConflict(
            row.id,
            FIELD_WORDS[row.field],
            value_words(row.field, json.loads(row.ours)),
            value_words(row.field, json.loads(row.theirs)),
        )
        for row in rows
    ]


def resolve(conflict_id: int, take_theirs: bool) -> None:
    """Keep Rapport's value (the next sync writes it to the card) or take the address
    book's (written into the client now). Either way both sides then agree."""
    with db.atomic():
        conflict = CardConflict.get_by_id(conflict_id)
        theirs = json.loads(conflict.theirs)
        client = Client.get_by_id(conflict.client_id)
        if take_theirs:
            apply_fields(client, {conflict.field: theirs})
        mine = (CardSync.client == client) & (CardSync.account == conflict.account_id)
        for row in CardSync.select().where(mine):
            synced = json.loads(row.synced or "{}")
            synced[conflict.field] = theirs  # the card's value is now the agreed one
            row.synced = dumps(synced)
            row.fingerprint = ""  # the next sync merges the client again
            row.save()
        conflict.delete_instance()
