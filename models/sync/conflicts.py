"""Conflicts of address-book sync, as the client page shows them, and their resolution:
the owner keeps Rapport's value or takes the address book's.

Light on purpose: the client page reads this for every client, and a window without
accounts must not load the vCard code (models/sync/local.py is imported on resolving).
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass

from models.store.database import db
from models.store.entities import Client
from models.sync.state import CardConflict, CardSync, Value

FIELD_WORDS = {
    "name": "Name",
    "nickname": "Nickname",
    "organization": "Organization",
    "emails": "Emails",
    "phones": "Phones",
    "addresses": "Addresses",
    "birthday": "Birthday",
    "anniversary": "Wedding anniversary",
    "photo": "Photo",
    "tags": "Tags",
    "note": "Note",
}


@dataclass(frozen=True)
class ShownConflict:
    id: int
    field: str  # in words: "Nickname", "Wedding anniversary"
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


def value_words(key: str, value: Value) -> str:
    """A field's value as the owner reads it on the client page."""
    if not value or value == ["", ""]:
        return "(none)"
    if key == "name":
        return " ".join(part for part in value if part)
    if key in ("birthday", "anniversary"):
        year, month, day = value
        return f"{year:04d}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"
    if key == "photo":
        return f"a photo ({len(base64.b64decode(value)) // 1024 or 1} KB)"
    if key in ("emails", "phones", "addresses"):
        return "; ".join(f"{label}: {text}" if label else text for label, text in value)
    if key in ("tags", "note"):
        return "; ".join(value)
    return str(value)


def resolve(conflict_id: int, take_theirs: bool) -> None:
    """Keep Rapport's value (the next sync writes it to the card) or take the address
    book's (written into the client now). Either way both sides then agree."""
    from models.sync.local import apply_fields  # the vCard code: only when it is needed

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
            row.synced = json.dumps(synced, ensure_ascii=False, sort_keys=True)
            row.fingerprint = ""  # the next sync merges the client again
            row.save()
        conflict.delete_instance()
