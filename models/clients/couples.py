"""Couples: two clients linked as partners, their one wedding anniversary, and the end of
shared greetings when a couple separates or someone dies.

A partner is either a client of their own (both rows point at each other through
`client.partner_id`) or only a name on the client's family (a `family_member` of relation
partner, as older databases and imports hold them). "Make a client of Tom" turns such a
name into a client linked as partner. Nothing here deletes what the owner kept: separating
unlinks the two and turns their anniversary's greetings off; the history stays on both.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from models.forms.dialog_forms import FieldError, ValidationError
from models.reminders.key import prefix_of
from models.store.database import db, one_of
from models.store.entities import (
    Client,
    FamilyMember,
    ImportantDate,
    Note,
    ReminderState,
    full_name,
)


@dataclass(frozen=True)
class Person:
    """A name as couples are written: the short name (preferred or first) and the last."""

    short: str
    last: str


def person_of(client: Client) -> Person:
    return Person(client.preferred_name or client.first_name, client.last_name)


def couple_name(one: Person, other: Person) -> str:
    """ "Anna & Tom Berger" when they share the last name (or one has none), else
    "Anna Berger & Tom Meyer"."""
    if not one.last or not other.last or one.last == other.last:
        return full_name(f"{one.short} & {other.short}", one.last or other.last)
    return f"{full_name(one.short, one.last)} & {full_name(other.short, other.last)}"


def partner_of(client_id: int) -> Client | None:
    """The client's partner, when the partner is a client too."""
    partner_id = Client.select(Client.partner).where(Client.id == client_id).scalar()
    return Client.get_or_none(Client.id == partner_id) if partner_id else None


def partner_short_names(client_ids: Collection[int]) -> dict[int, str]:
    """client id -> their partner's short name: of the partner who is a client, else of the
    family's partner; a client without a partner is left out."""
    partner = Client.alias()
    clients = (
        Client.select(Client.id, partner.first_name, partner.preferred_name)
        .join(partner, on=(Client.partner == partner.id))
        .where(Client.id.in_(one_of(client_ids)))
        .tuples()
    )
    names = family_partner_names(one_of(client_ids))
    names.update({client_id: preferred or first for client_id, first, preferred in clients})
    return names


def family_partner_names(client_ids) -> dict[int, str]:
    """client id -> the first name of their family's partner (the newest with a name), for
    the clients of the `client_ids` query."""
    query = (
        FamilyMember.select(FamilyMember.client, FamilyMember.name)
        .where((FamilyMember.relation == "partner") & FamilyMember.client.in_(client_ids))
        .order_by(FamilyMember.id.desc())
    )
    newest: dict[int, str] = {}
    for client_id, name in db.execute_sql(*query.sql()):
        # A name of blanks alone (a hand-edited row) names no one: that partner is passed over.
        if words := name.split():
            newest.setdefault(client_id, words[0])
    return newest


def display_name(client: Client) -> str:
    """The client's name, or the couple's when their partner is a client: "Anna & Tom"."""
    partner = partner_of(client.id)
    if partner is None:
        return client.full_name
    return couple_name(person_of(client), person_of(partner))


def shares_with(client_id: int, occasion: str) -> list[int]:
    """Who a greeting for this occasion goes to: a wedding anniversary to the couple (the
    client first), anything else to the client alone."""
    return each_shares_with([(client_id, occasion)])[0]


def each_shares_with(greetings: Sequence[tuple[int, str]]) -> list[list[int]]:
    """`shares_with` of each (client id, occasion), the partners read in one query: a month
    of printed cards at a big studio is thousands."""
    couples = {client_id for client_id, occasion in greetings if occasion == "wedding_anniversary"}
    partners: dict[int, int] = {}
    if couples:
        partner = Client.alias()
        partners = dict(
            Client.select(Client.id, partner.id)
            .join(partner, on=(Client.partner == partner.id))
            .where(Client.id.in_(one_of(couples)))
            .tuples()
        )
    shared = []
    for client_id, occasion in greetings:
        partner_id = partners.get(client_id) if occasion == "wedding_anniversary" else None
        shared.append([client_id] if partner_id is None else [client_id, partner_id])
    return shared


def link_partners(client_id: int, partner_id: int) -> None:
    """Make two clients each other's partner; a partner either had before is unlinked."""
    if client_id == partner_id:
        raise ValidationError([FieldError("partner", "A client cannot be their own partner.")])
    with db.atomic():
        ids = [client_id, partner_id]
        Client.update(partner=None).where(Client.partner.in_(ids) | Client.id.in_(ids)).execute()
        Client.update(partner=partner_id).where(Client.id == client_id).execute()
        Client.update(partner=client_id).where(Client.id == partner_id).execute()


def make_client_of(member_id: int) -> Client:
    """Turn a family member (the partner who is only a name) into a client linked as the
    partner: their birthday becomes the new client's own, their notes a note; the family
    row is then gone, as it now is a client. Returns the new client."""
    with db.atomic():
        member = FamilyMember.get_by_id(member_id)
        owner = Client.get_by_id(member.client_id)
        first, _, last = member.name.strip().partition(" ")
        partner = Client.create(
            first_name=first or member.name,
            last_name=last.strip() or owner.last_name,
            stage=owner.stage,
            address=owner.address,  # a couple usually shares the address; editable
        )
        dates = ImportantDate.select(ImportantDate.id).where(
            ImportantDate.family_member == member_id
        )
        ids = [row.id for row in dates]
        ImportantDate.update(client=partner.id, family_member=None).where(
            ImportantDate.id.in_(ids)
        ).execute()
        for date_id in ids:  # what was notified or done about them goes along
            ReminderState.update(client=partner.id).where(
                ReminderState.key.startswith(prefix_of("date", date_id))
            ).execute()
        if member.notes.strip():
            Note.create(client=partner.id, text=member.notes.strip())
        member.delete_instance()
        link_partners(owner.id, partner.id)
    return Client.get_by_id(partner.id)


def separate(client_id: int) -> list[int]:
    """The couple separates: the two are unlinked and their wedding anniversaries remind no
    more (kept, greetings off). Everything else stays. The clients it touched."""
    with db.atomic():
        partner = partner_of(client_id)
        ids = [client_id] if partner is None else [client_id, partner.id]
        Client.update(partner=None).where(Client.id.in_(ids)).execute()
        ImportantDate.update(no_greetings=True).where(
            ImportantDate.client.in_(ids)
            & (ImportantDate.kind == "wedding_anniversary")
            & ImportantDate.family_member.is_null()
        ).execute()
    return ids


def set_no_greetings(client_id: int, off: bool) -> None:
    """ "Do not send greetings" for a person (a death, their wish): no greeting reminders
    of their dates, their check-ins or their couple's anniversary. Nothing is deleted."""
    Client.update(no_greetings=off).where(Client.id == client_id).execute()


def set_date_greetings_off(date_id: int, off: bool) -> None:
    """Greetings off (or on again) for one important date; the date stays."""
    ImportantDate.update(no_greetings=off).where(ImportantDate.id == date_id).execute()
