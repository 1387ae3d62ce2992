"""What mail capture keeps: how far each folder was read, which message became which
interaction, and the people the owner wrote to who are not in Rapport.

A batch of messages and the folder's new position are written in one transaction, so a
kill -9 anywhere leaves either both or neither; a message already captured (seen in a
second folder, or again after the server renumbered a folder) is skipped by its id.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time

from peewee import SQL, BooleanField, CompositeKey, ForeignKeyField, IntegerField, TextField, fn

from models.accounts.store import Account
from models.capture.mail_headers import Address, MailHeader, history_summary, name_parts
from models.clients.entries import save_interaction
from models.clients.saving import save_client
from models.clock import local_today
from models.forms.dialog_forms import ClientForm, InteractionForm
from models.store.database import BaseModel, db
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


@dataclass
class Tally:
    captured: int = 0  # new interactions
    strangers: int = 0  # messages with no client in them
    owner: set[str] = field(default_factory=set)  # the owner's own addresses seen so far


def client_addresses() -> dict[str, list[int]]:
    """Every client's email address, lower case, and whose it is (a shared family
    address can be two clients')."""
    by_address: dict[str, list[int]] = {}
    query = ContactDetail.select(ContactDetail.value, ContactDetail.client).where(
        ContactDetail.kind == "email"
    )
    for value, client_id in query.tuples():
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
    """Keep one batch of messages and the folder's new position, all or nothing."""
    written_to: dict[str, tuple[str, datetime]] = {}
    with db.atomic():
        for message in messages:
            header = message.header
            if message.sent:
                tally.owner.update(a.address for a in header.senders)
            people = header.recipients if message.sent else header.senders
            matched = {c for person in people for c in clients.get(person.address, ())}
            for client_id in sorted(matched):
                tally.captured += _capture(header, message.sent, client_id)
            if not matched:
                tally.strangers += 1
            if message.sent:
                for person in people:
                    if person.address not in clients and person.address not in tally.owner:
                        _latest(written_to, person.address, person.name, header.sent_at)
        _remember_strangers(written_to)
        MailFolder.insert(
            account=account.id, name=folder, uidvalidity=uidvalidity, next_uid=next_uid
        ).on_conflict_replace().execute()


def _capture(header: MailHeader, sent: bool, client_id: int) -> int:
    """1 when the message became a new interaction on the client; 0 when it was captured
    before (perhaps removed by the owner since, and then it stays removed)."""
    if CapturedMail.get_or_none(message_id=header.message_id, client=client_id) is not None:
        return 0
    form = InteractionForm(
        kind="email", occurred_at=header.sent_at, summary=history_summary(sent, header.subject)
    )
    interaction = save_interaction(form, client_id)  # as the owner logs an email
    CapturedMail.create(message_id=header.message_id, client=client_id, interaction=interaction)
    return 1


def _latest(found: dict[str, tuple[str, datetime]], address: str, name: str, at: datetime):
    known = found.get(address)
    if known is None or at > known[1]:
        found[address] = (name or (known[0] if known else ""), at)


def _remember_strangers(written_to: dict[str, tuple[str, datetime]]) -> None:
    for address, (name, at) in written_to.items():
        MailStranger.insert(address=address, name=name, wrote_at=at).on_conflict(
            conflict_target=[MailStranger.address],
            update={
                MailStranger.wrote_at: fn.MAX(MailStranger.wrote_at, SQL("excluded.wrote_at")),
                MailStranger.name: fn.COALESCE(
                    fn.NULLIF(SQL("excluded.name"), ""), MailStranger.name
                ),
            },
        ).execute()


def strangers_this_month(now: datetime) -> list[MailStranger]:
    """The people the owner wrote to since the first of this month (their local month)
    who are not clients and were not dismissed, the latest first."""
    first = local_today(now).replace(day=1)
    start = datetime.combine(first, time()).astimezone(UTC)  # local midnight
    clients = client_addresses()
    query = (
        MailStranger.select()
        .where((MailStranger.wrote_at >= start) & ~MailStranger.dismissed)
        .order_by(MailStranger.wrote_at.desc(), MailStranger.address)
    )
    return [row for row in query if row.address not in clients]


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
