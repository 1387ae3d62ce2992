"""The tables of a Rapport database.

The schema itself is created by models/store/migrations.py; these classes must describe
exactly what the newest migration leaves behind (tests/test_migrations.py checks).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from peewee import (
    BlobField,
    BooleanField,
    CompositeKey,
    DateField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from models.clock import system_now
from models.store.database import BaseModel
from models.store.fields import DecimalTextField, UtcDateTimeField


def utc_now() -> datetime:
    return system_now().replace(microsecond=0)


def full_name(first: str, last: str) -> str:
    """ "Anna Berger", or "Anna" without a last name."""
    return f"{first} {last}" if last else first


def new_uid() -> str:
    """A random UUID for a new client ("1b4e28ba-2fa1-4d2b-a8f6-0e1c5f8e2b7a")."""
    return str(uuid.uuid4())


class Client(BaseModel):
    first_name = TextField()
    last_name = TextField(default="")
    preferred_name = TextField(default="")
    organization = TextField(default="")
    stage = TextField(default="customer")
    address = TextField(default="")
    where_from = TextField(default="")
    lives_now = TextField(default="")
    how_we_met = TextField(default="")
    referred_by = ForeignKeyField("self", null=True, on_delete="SET NULL", backref="referrals")
    check_in_days = IntegerField(null=True, column_name="keep_in_touch_days")  # its old name
    created_at = UtcDateTimeField(default=utc_now)
    # The folded "first last", for ordering; SQLite triggers keep it (models/store/migrations.py).
    sort_name = TextField(default="")
    # The number of bookings when the owner said "not now" to making them a client.
    promotion_declined_at = IntegerField(null=True)
    # Stable across exports and imports: the UID of the client's vCard and events.
    uid = TextField(default=new_uid)

    @property
    def full_name(self) -> str:
        return full_name(self.first_name, self.last_name)


class ContactDetail(BaseModel):
    """One email address or phone number of a client; a client may have several."""

    client = ForeignKeyField(Client, on_delete="CASCADE", backref="contact_details")
    kind = TextField()
    label = TextField(default="")
    value = TextField()
    position = IntegerField(default=0)


class Tag(BaseModel):
    name = TextField(unique=True)


class ClientTag(BaseModel):
    client = ForeignKeyField(Client, on_delete="CASCADE")
    tag = ForeignKeyField(Tag, on_delete="CASCADE")

    class Meta:
        primary_key = CompositeKey("client", "tag")


class Interaction(BaseModel):
    client = ForeignKeyField(Client, on_delete="CASCADE", backref="interactions")
    kind = TextField()
    occurred_at = UtcDateTimeField()
    summary = TextField()
    body = TextField(default="")
    amount = DecimalTextField(null=True)
    currency = TextField(null=True)


class CapturedMail(BaseModel):
    """A message (by its Message-ID) that became an interaction on a client; the
    interaction is None once the owner removed it, and the message stays removed."""

    message_id = TextField()
    client = ForeignKeyField(Client, on_delete="CASCADE", backref="captured_mail")
    interaction = ForeignKeyField(Interaction, null=True, on_delete="SET NULL", unique=True)

    class Meta:
        primary_key = CompositeKey("message_id", "client")


class Note(BaseModel):
    client = ForeignKeyField(Client, on_delete="CASCADE", backref="notes")
    text = TextField()
    pinned = BooleanField(default=False)
    created_at = UtcDateTimeField(default=utc_now)
    updated_at = UtcDateTimeField(default=utc_now)


class FamilyMember(BaseModel):
    client = ForeignKeyField(Client, on_delete="CASCADE", backref="family")
    name = TextField()
    relation = TextField()
    notes = TextField(default="")


class ImportantDate(BaseModel):
    """A yearly date; `year` is None when the user does not know it."""

    client = ForeignKeyField(Client, on_delete="CASCADE", backref="important_dates")
    family_member = ForeignKeyField(
        FamilyMember, null=True, on_delete="CASCADE", backref="important_dates"
    )
    kind = TextField()
    month = IntegerField()
    day = IntegerField()
    year = IntegerField(null=True)
    label = TextField(default="")
    lead_days = IntegerField(default=0)


class FollowUp(BaseModel):
    """A one-off task on a client, due at an instant: "deliver the gallery"."""

    client = ForeignKeyField(Client, on_delete="CASCADE", backref="follow_ups")
    title = TextField()
    due_at = UtcDateTimeField()
    done_at = UtcDateTimeField(null=True)
    created_at = UtcDateTimeField(default=utc_now)


class ReminderState(BaseModel):
    """What happened to one reminder occurrence, under its unique key."""

    key = TextField(primary_key=True)
    client = ForeignKeyField(Client, on_delete="CASCADE")
    notified_at = UtcDateTimeField(null=True)
    snoozed_until = UtcDateTimeField(null=True)
    done_at = UtcDateTimeField(null=True)


class Wish(BaseModel):
    """Something the client said they want next: "canvas print of the wedding photo"."""

    client = ForeignKeyField(Client, on_delete="CASCADE", backref="wishes")
    text = TextField()
    wanted_by = DateField(null=True)
    follow_up = ForeignKeyField(FollowUp, null=True, on_delete="SET NULL", backref="wishes")
    fulfilled_at = UtcDateTimeField(null=True)
    created_at = UtcDateTimeField(default=utc_now)


class ClientPhoto(BaseModel):
    """The client's photo, scaled and cropped square (models/clients/photos.py), as PNG or JPEG."""

    client = ForeignKeyField(Client, primary_key=True, on_delete="CASCADE", backref="photo")
    image = BlobField()
    updated_at = UtcDateTimeField(default=utc_now)


class Setting(BaseModel):
    key = TextField(primary_key=True)
    value = TextField()


ALL_TABLES = (
    Client,
    ContactDetail,
    Tag,
    ClientTag,
    Interaction,
    CapturedMail,
    Note,
    FamilyMember,
    ImportantDate,
    FollowUp,
    ReminderState,
    Wish,
    ClientPhoto,
    Setting,
)
