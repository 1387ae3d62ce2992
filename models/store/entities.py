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
    # Their partner when the partner is a client too; both rows point at each other
    # (models/clients/couples.py).
    partner = ForeignKeyField("self", null=True, on_delete="SET NULL", backref="+")
    # "Do not send greetings": no birthday, anniversary or check-in reminders (a death,
    # a wish); nothing of theirs is deleted.
    no_greetings = BooleanField(default=False)
    # When "referred by" was set: Today suggests thanking the referrer from then on.
    referred_at = UtcDateTimeField(null=True)
    # The day the client agreed to marketing (review requests, offers); None: not agreed.
    marketing_consent_on = DateField(null=True)
    # Their care steps wait while this is set (models/care/steps.py).
    care_paused_at = UtcDateTimeField(null=True)
    # Their latest interaction's time, kept by the database's triggers (None without any):
    # read it, never write it (models/reminders/contact_rhythm.py).
    last_contact_at = UtcDateTimeField(null=True)

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
    gallery_url = TextField(default="")  # a session's gallery, on any host
    gallery_expires_on = DateField(null=True)  # the day the gallery closes


# A client's history in order: newest first; of two at the same moment, the one logged last.
NEWEST_FIRST = (Interaction.occurred_at.desc(), Interaction.id.desc())


class PaidDay(BaseModel):
    """Paid interactions (sessions, weddings, purchases) summed per UTC day, kind, currency
    ("" without an amount) and whether the client was referred. Kept by the database's
    triggers on every write of an interaction or a referral (models/store/migrations.py
    `_PAID_DAYS`), never written by Rapport itself; read by models/insight/paid_days.py.
    Not in ALL_TABLES: archives and undo carry the interactions, and the triggers follow."""

    day = TextField()  # the first ten characters of occurred_at
    kind = TextField()
    currency = TextField()
    referred = BooleanField()
    payments = IntegerField()
    cents = IntegerField()  # amounts of at most two decimals, in whole cents
    odd = IntegerField()  # other amounts, read from the interactions themselves

    class Meta:
        primary_key = CompositeKey("day", "kind", "currency", "referred")
        without_rowid = True


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
    no_greetings = BooleanField(default=False)  # kept, but reminds no more (a separation)
    # Further notices, days before, as text ("1" or "30,1"): models/reminders/rules.py.
    more_lead_days = TextField(default="")
    # Where the day and its notice fall in a leap year (1-366): kept by the database's
    # triggers, read by the reminders' window (models/reminders/day_ordinals.py).
    day_ordinal = IntegerField(default=0)
    notice_ordinal = IntegerField(default=0)


class FollowUp(BaseModel):
    """A one-off task on a client, due at an instant: "deliver the gallery"."""

    client = ForeignKeyField(Client, on_delete="CASCADE", backref="follow_ups")
    title = TextField()
    due_at = UtcDateTimeField()
    done_at = UtcDateTimeField(null=True)
    created_at = UtcDateTimeField(default=utc_now)
    # A care step (models/care/) remembers its session and a copy of its plan's step.
    session = ForeignKeyField(Interaction, null=True, on_delete="SET NULL", backref="care_steps")
    template = TextField(default="")  # the message template Write… starts from
    marketing = BooleanField(default=False)  # offered only with the client's consent
    yearly = BooleanField(default=False)  # comes again a year later once closed
    step_months = IntegerField(default=0)  # its offset from the session's day
    step_days = IntegerField(default=0)
    skipped = BooleanField(default=False)  # closed without being done


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


BOOKING_STATES = ("offered", "booked", "held", "cancelled", "declined")


class Booking(BaseModel):
    """A session booked with the client, to come: typed by the owner, or read from their
    booking calendar (offered first, unless they said "always" for that calendar). Once
    it has ended it is "held": it became the interaction it links to."""

    client = ForeignKeyField(Client, on_delete="CASCADE", backref="bookings")
    kind = TextField()  # one of models.values.kinds.SESSION_KINDS
    starts_at = UtcDateTimeField()
    ends_at = UtcDateTimeField()
    place = TextField(default="")
    summary = TextField(default="")
    status = TextField(default="booked")  # one of BOOKING_STATES
    interaction = ForeignKeyField(Interaction, null=True, on_delete="SET NULL", unique=True)
    # Where it came from: "" typed by the owner; else the calendar and the event in it.
    calendar = TextField(default="")
    event_uid = TextField(default="")
    recurrence_id = TextField(default="")
    created_at = UtcDateTimeField(default=utc_now)


class ClientPhoto(BaseModel):
    """The client's photo, scaled and cropped square (models/clients/photos.py), as PNG or JPEG."""

    client = ForeignKeyField(Client, primary_key=True, on_delete="CASCADE", backref="photo")
    image = BlobField()
    updated_at = UtcDateTimeField(default=utc_now)


class Gift(BaseModel):
    """A gift given to a client, or planned: "Canvas print" for their anniversary."""

    client = ForeignKeyField(Client, on_delete="CASCADE", backref="gifts")
    given_on = DateField()
    what = TextField()
    occasion = TextField(default="")
    cost = DecimalTextField(null=True)
    currency = TextField(null=True)
    planned = BooleanField(default=False)


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
    Gift,
    Setting,
    Booking,
)
