"""What mail capture keeps: how far each folder was read, which message became which
interaction, and the people the owner wrote to who are not in Rapport.

The messages read (a few batches of them) and the folder's new position are written in one
transaction, so a kill -9 anywhere leaves either both or neither; a message already
captured (seen in a second folder, or again after the server renumbered a folder) is
skipped by its id.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from peewee import BooleanField, CompositeKey, ForeignKeyField, IntegerField, TextField

from models.accounts.store import Account, set_options
from models.capture.mail_headers import Address, MailHeader, history_summary, name_parts
from models.clients.entries import add_interactions
from models.clients.saving import save_client
from models.clock import local_today
from models.forms.dialog_forms import ClientForm, InteractionForm
from models.store.database import BaseModel, db, read_rows
from models.store.entities import CapturedMail, Client, ContactDetail
from models.store.fields import UtcDateTimeField


class MailFolder(BaseModel):
    """How far one folder of one account was read: UIDs below `next_uid` are done, as
    long as the server's UIDVALIDITY is still `uidvalidity`."""

    account = ForeignKeyField(Account, on_delete="CASCADE")
    name = TextField()
    uidvalidity = IntegerField()
    next_uid = IntegerField()

    class Meta:
        primary_key = CompositeKey("account", "name")


class MailStranger(BaseModel):
    """Someone the owner wrote to who is not a client, offered on Today as a lead."""

    address = TextField(primary_key=True)
    name = TextField(default="")
    wrote_at = UtcDateTimeField()  # the latest message to them
    dismissed = BooleanField(default=False)  # "not a lead": never offered again


MAIL_TABLES = (MailFolder, MailStranger)


@dataclass(frozen=True)
class Message:
    header: MailHeader
    sent: bool  # from the sent folder: the owner wrote it
    offers_leads: bool  # sent lately enough that its recipients may be offered as leads


@dataclass
class Tally:
    captured: int = 0  # new interactions
    clients: set[int] = field(default_factory=set)  # whose history they are in
    strangers: int = 0  # messages with no client in them
    owner: set[str] = field(default_factory=set)  # the owner's own addresses seen so far


def read_mail_from(account: Account, day: date) -> None:
    """Read the account's mail from `day` on. An earlier day reads the folders again from
    the start (what was captured stays captured once, by its Message-ID)."""
    with db.atomic():
        earlier = str(account.option("mail_since", "9999-12-31")) > day.isoformat()
        set_options(account, mail_since=day.isoformat())
        if earlier:
            MailFolder.delete().where(MailFolder.account == account.id).execute()


def client_addresses() -> dict[str, list[int]]:
    """Every client's email address, lower case, and whose it is (a shared family
    address can be two clients')."""
    by_address: dict[str, list[int]] = {}
    query = ContactDetail.select(ContactDetail.value, ContactDetail.client).where(
        ContactDetail.kind == "email"
    )
    # Straight from the cursor: peewee's rows cost 0.25 s at the XL studio, this 0.08 s.
    for value, client_id in read_rows(*query.sql()):
        by_address.setdefault(value.strip().lower(), []).append(client_id)
    return by_address


def folder_position(account: Account, name: str, uidvalidity: int) -> int:
    """The first UID still to read; 1 for a folder never read, or renumbered since."""
    row = MailFolder.get_or_none((MailFolder.account == account.id) & (MailFolder.name == name))
    return row.next_uid if row is not None and row.uidvalidity == uidvalidity else 1


def record(
    account: Account,
    folder: str,
    uidvalidity: int,
    next_uid: int,
    messages: Iterable[Message],
    clients: dict[str, list[int]],
    tally: Tally,
) -> None:
    """Keep the messages read and the folder's new position, all or nothing."""
    messages = list(messages)
    written_to: dict[str, tuple[str, datetime]] = {}
    captures: list[tuple[int, Message]] = []
    matches = [_clients_in(message, clients) for message in messages]
    with db.atomic():
        done = _captured_before(
            m.header.message_id for m, matched in zip(messages, matches, strict=True) if matched
        )
        for message, matched in zip(messages, matches, strict=True):
            header = message.header
            if message.sent:
                tally.owner.update(a.address for a in header.senders)
            people = header.recipients if message.sent else header.senders
            for client_id in sorted(matched - done.get(header.message_id, set())):
                captures.append((client_id, message))
                done.setdefault(header.message_id, set()).add(client_id)
            if not matched:
                tally.strangers += 1
            if message.offers_leads:
                for person in people:
                    if person.address not in clients and person.address not in tally.owner:
                        _latest(written_to, person.address, person.name, header.sent_at)
        _capture(captures)
        tally.captured += len(captures)
        tally.clients.update(client_id for client_id, _message in captures)
        _remember_strangers(written_to)
        db.connection().execute(_POSITION, (account.id, folder, uidvalidity, next_uid))


def _clients_in(message: Message, clients: dict[str, list[int]]) -> set[int]:
    """The clients a message is with: who sent it, or whom the owner sent it to."""
    people = message.header.recipients if message.sent else message.header.senders
    return {c for person in people for c in clients.get(person.address, ())}


def _captured_before(message_ids: Iterable[str]) -> dict[str, set[int]]:
    """Message-ID -> the clients it was captured on before (removed since or not)."""
    done: dict[str, set[int]] = {}
    wanted = list(set(message_ids))
    if not wanted:  # a batch with no client in it, as most are
        return done
    marks = ", ".join("?" * len(wanted))
    rows = db.connection().execute(_CAPTURED_BEFORE.format(marks=marks), wanted)
    for message_id, client_id in rows:
        done.setdefault(message_id, set()).add(client_id)
    return done


def _capture(captures: list[tuple[int, Message]]) -> None:
    """New interactions on these clients, saved as the owner logs an email, and the
    rows that mark them captured."""
    ids = add_interactions([(client_id, _as_logged(m)) for client_id, m in captures])
    rows = [
        (m.header.message_id, client_id, interaction_id)
        for (client_id, m), interaction_id in zip(captures, ids, strict=True)
    ]
    db.connection().executemany(_CAPTURED, rows)


def _as_logged(message: Message) -> InteractionForm:
    """The message as the owner would log it: an email, at its time, with its subject."""
    summary = history_summary(message.sent, message.header.subject)
    return InteractionForm(kind="email", occurred_at=message.header.sent_at, summary=summary)


def _latest(found: dict[str, tuple[str, datetime]], address: str, name: str, at: datetime):
    known = found.get(address)
    if known is None or at > known[1]:
        found[address] = (name or (known[0] if known else ""), at)


# Raw SQL, one statement for the batch: peewee builds each row's insert anew, which costs
# more than the write on a first scan of thousands of messages (and so for each batch's
# look-up and position: a hundred batches).
_CAPTURED = "INSERT INTO captured_mail (message_id, client_id, interaction_id) VALUES (?, ?, ?)"
_CAPTURED_BEFORE = "SELECT message_id, client_id FROM captured_mail WHERE message_id IN ({marks})"
_POSITION = (
    "INSERT OR REPLACE INTO mail_folder (account_id, name, uidvalidity, next_uid)"
    " VALUES (?, ?, ?, ?)"
)
_REMEMBER_STRANGER = (
    "INSERT INTO mail_stranger (address, name, wrote_at) VALUES (?, ?, ?)"
    " ON CONFLICT (address) DO UPDATE SET wrote_at = max(wrote_at, excluded.wrote_at),"
    " name = coalesce(nullif(excluded.name, ''), name)"
)


def _remember_strangers(written_to: dict[str, tuple[str, datetime]]) -> None:
    """Keep each person's latest time written to, and their name once one is known."""
    stored = MailStranger.wrote_at.db_value
    rows = [(address, name, stored(at)) for address, (name, at) in written_to.items()]
    db.connection().executemany(_REMEMBER_STRANGER, rows)


def strangers_this_month(now: datetime) -> list[MailStranger]:
    """The people the owner wrote to since the first of this month (their local month)
    who are not clients and were not dismissed, the latest first."""
    query = (
        MailStranger.select()
        .where((MailStranger.wrote_at >= _month_start(now)) & ~MailStranger.dismissed)
        .order_by(MailStranger.wrote_at.desc(), MailStranger.address)
    )
    strangers = list(query)
    if not strangers:
        return []  # each look asks: the clients' addresses are read only when needed
    clients = client_addresses()
    return [row for row in strangers if row.address not in clients]


def _month_start(now: datetime) -> datetime:
    first = local_today(now).replace(day=1)
    return datetime.combine(first, time()).astimezone(UTC)  # local midnight


# A move to another time zone moves where the month starts by up to 26 hours (UTC-12 to
# UTC+14); a clock set back a day, a day.
_MONTH_START_MOVES = timedelta(days=3)


def leads_from(now: datetime) -> datetime:
    """From when on the people the owner writes to are kept as strangers: only those of
    this month are ever offered (strangers_this_month), and none are kept that never
    can be. What a first scan of a year of mail spares itself."""
    return _month_start(now) - _MONTH_START_MOVES


def dismiss_strangers(addresses: Iterable[str]) -> None:
    MailStranger.update(dismissed=True).where(MailStranger.address.in_(list(addresses))).execute()


def add_as_leads(addresses: Iterable[str]) -> list[Client]:
    """Make these people leads, each with their address; saved as the owner saves a
    client. They leave the offer because they are clients now."""
    leads = []
    with db.atomic():
        for row in MailStranger.select().where(MailStranger.address.in_(list(addresses))):
            first, last = name_parts(Address(row.address, row.name))
            form = ClientForm(first_name=first, last_name=last, stage="lead", emails=row.address)
            if not form.errors():  # an address Rapport cannot keep costs that lead only
                leads.append(save_client(form))
    return leads


def captured_interactions(client_id: int) -> set[int]:
    """The client's interactions that mail capture wrote: History can hide them."""
    query = CapturedMail.select(CapturedMail.interaction).where(
        (CapturedMail.client == client_id) & CapturedMail.interaction.is_null(False)
    )
    return {interaction_id for (interaction_id,) in query.tuples()}
