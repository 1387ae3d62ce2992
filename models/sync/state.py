"""What address-book sync remembers per account: each client's card as last synced (the
base of the three-way merge) and the conflicts waiting for the owner's choice."""

from __future__ import annotations

import json

from peewee import BooleanField, ForeignKeyField, TextField

from models.accounts.store import Account
from models.store.database import BaseModel
from models.store.entities import Client
from models.store.fields import UtcDateTimeField

Value = object  # a field's value, as JSON keeps it: text, a list of [label, value], None
Fields = dict[str, Value]
# The synced fields (models/sync/cards.py), in the order the owner reads them. Here, not
# there: the client page reads conflicts without loading the vCard code.
SYNCED = (
    "name",
    "nickname",
    "organization",
    "emails",
    "phones",
    "addresses",
    "birthday",
    "anniversary",
    "photo",
    "tags",
    "note",
)

# The dated fields and the kind of important date each is.
DATE_FIELDS = {"birthday": "birthday", "anniversary": "wedding_anniversary"}


class CardSync(BaseModel):
    """One card in an account's address book and the client it is. `client` is None once
    the client was deleted in Rapport: the card is then left alone (or deleted, when the
    owner said so: `delete_card`). `removed_at`: the card was deleted on the server; the
    client and their history stay."""

    account = ForeignKeyField(Account, on_delete="CASCADE")
    client = ForeignKeyField(Client, null=True, on_delete="SET NULL", backref="cards")
    href = TextField()  # the card's full URL
    etag = TextField(default="")
    card = TextField(default="")  # the server's card as last read or written
    synced = TextField(default="{}")  # JSON: the fields both sides had at the last sync
    fingerprint = TextField(default="")  # of the client's card as last synced
    removed_at = UtcDateTimeField(null=True)
    delete_card = BooleanField(default=False)

    class Meta:
        table_name = "card_sync"
        indexes = ((("account", "href"), True),)

    def base(self) -> Fields | None:
        synced = json.loads(self.synced or "{}")
        return synced if set(synced) >= set(SYNCED) else None


class CardConflict(BaseModel):
    """A field both sides changed to different values; `ours` and `theirs` are JSON."""

    account = ForeignKeyField(Account, on_delete="CASCADE")
    client = ForeignKeyField(Client, on_delete="CASCADE", backref="card_conflicts")
    field = TextField()
    ours = TextField()
    theirs = TextField()
    found_at = UtcDateTimeField()

    class Meta:
        table_name = "card_conflict"
        indexes = ((("client", "account", "field"), True),)


SYNC_TABLES = (CardSync, CardConflict)


def has_card(client_id: int) -> bool:
    """Whether the client has a card in an address book Rapport syncs with."""
    mine = (CardSync.client == client_id) & CardSync.removed_at.is_null()
    return CardSync.select().where(mine).exists()


def delete_card_too(client_id: int) -> None:
    """The owner deletes the client and wants their card gone too: the next sync deletes
    it (call before deleting the client, whose rows then lose their client)."""
    CardSync.update(delete_card=True).where(CardSync.client == client_id).execute()


def removed_from_address_book(client_id: int) -> bool:
    """Whether the client's card was deleted on the server (and no other card is theirs)."""
    rows = CardSync.select(CardSync.removed_at).where(CardSync.client == client_id)
    found = [row.removed_at for row in rows]
    return bool(found) and all(found)
