"""Clients: saving or deleting a client, with their contact details and tags.

Finding clients is models/clients/finder.py's job."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from models.forms.dialog_forms import (
    ClientForm,
    ValidationError,
    parse_optional_int,
    split_list,
    split_phones,
)
from models.store.database import db
from models.store.entities import Client, ClientTag, ContactDetail, Tag, utc_now
from models.values.folding import fold


def all_tag_names() -> list[str]:
    """Every tag in use, in alphabetical order."""
    return alphabetical(name for (name,) in Tag.select(Tag.name).tuples())


def alphabetical(names: Iterable[str]) -> list[str]:
    """Names in the order of their folded text. Sorted here, not by SQL's fold(): SQLite
    hands that text that is not valid UTF-8 as it is, and Python cannot take it."""
    return sorted(names, key=fold)


def referral_line(client: Client) -> str:
    """ "Partner of Tom Berger · Referred by Anna Berger · Referred Jens Hoffmann, Lea
    Brandt", or ""."""
    parts = []
    partner = Client.get_or_none(Client.id == client.partner_id) if client.partner_id else None
    if partner is not None:
        parts.append(f"Partner of {partner.full_name}")
    if client.referred_by_id:
        referrer = Client.get_or_none(Client.id == client.referred_by_id)
        if referrer is not None:
            parts.append(f"Referred by {referrer.full_name}")
    referred = Client.select().where(Client.referred_by == client.id).order_by(Client.sort_name)
    names = [other.full_name for other in referred]
    if names:
        parts.append(f"Referred {', '.join(names)}")
    return "  ·  ".join(parts)


def client_tags(client_id: int) -> list[str]:
    query = Tag.select(Tag.name).join(ClientTag).where(ClientTag.client == client_id)
    return alphabetical(name for (name,) in query.tuples())


def contact_values(client_id: int, kind: str) -> list[str]:
    query = (
        ContactDetail.select(ContactDetail.value)
        .where((ContactDetail.client == client_id) & (ContactDetail.kind == kind))
        .order_by(ContactDetail.position)
    )
    return [row.value for row in query]


def client_form(client: Client) -> ClientForm:
    """The form that edits an existing client."""
    return ClientForm(
        first_name=client.first_name,
        last_name=client.last_name,
        preferred_name=client.preferred_name,
        organization=client.organization,
        stage=client.stage,
        emails=", ".join(contact_values(client.id, "email")),
        phones=", ".join(contact_values(client.id, "phone")),
        address=client.address,
        where_from=client.where_from,
        lives_now=client.lives_now,
        how_we_met=client.how_we_met,
        tags=", ".join(client_tags(client.id)),
        check_in_days=str(client.check_in_days or ""),
        referred_by_id=client.referred_by_id,
        marketing_consent_on=client.marketing_consent_on,
    )


def save_client(
    form: ClientForm, client_id: int | None = None, now: datetime | None = None
) -> Client:
    """Create or update a client with its contact details and tags, all or nothing. A
    referrer named now for the first time (or another one) is recorded at `now`: Today
    then suggests thanking them."""
    errors = form.errors()
    if errors:
        raise ValidationError(errors)
    with db.atomic():
        client = Client.get_by_id(client_id) if client_id else Client()
        client.first_name = form.first_name.strip()
        client.last_name = form.last_name.strip()
        client.preferred_name = form.preferred_name.strip()
        client.organization = form.organization.strip()
        client.stage = form.stage
        client.address = form.address.strip()
        client.where_from = form.where_from.strip()
        client.lives_now = form.lives_now.strip()
        client.how_we_met = form.how_we_met.strip()
        client.check_in_days = parse_optional_int(form.check_in_days)
        referrer = form.referred_by_id if form.referred_by_id != client.id else None
        if referrer != client.referred_by_id:
            client.referred_at = (now or utc_now()) if referrer is not None else None
        client.referred_by = referrer
        client.marketing_consent_on = form.marketing_consent_on
        client.save()
        _replace_contact_details(client, "email", split_list(form.emails))
        _replace_contact_details(client, "phone", split_phones(form.phones))
        set_tags(client, split_list(form.tags))
    return client


def _replace_contact_details(client: Client, kind: str, values: list[str]) -> None:
    ContactDetail.delete().where(
        (ContactDetail.client == client) & (ContactDetail.kind == kind)
    ).execute()
    for position, value in enumerate(values):
        ContactDetail.create(client=client, kind=kind, value=value, position=position)


def set_tags(client: Client, names: list[str]) -> None:
    ClientTag.delete().where(ClientTag.client == client).execute()
    for folded, name in tag_spellings(names).items():
        ClientTag.insert(client=client, tag=tag_named(folded, name)).on_conflict_ignore().execute()
    _drop_unused_tags()


def tag_spellings(names: list[str]) -> dict[str, str]:
    """One tag per folded name: "VIP", "#vip" and "# Vip" are the same tag, as are
    "Ärztin" and "ärztin"; the first spelling given is kept."""
    by_folded: dict[str, str] = {}
    for name in (name.strip().lstrip("#").strip() for name in names):
        if name:
            by_folded.setdefault(fold(name), name)
    return by_folded


def tag_named(folded: str, name: str) -> Tag:
    """The tag whose folded name is `folded` (its existing spelling wins), made if new.
    Folded here, not by SQL's fold(), which a damaged name would stop: see alphabetical()."""
    known = (tag for tag in Tag.select().order_by(Tag.id) if fold(tag.name) == folded)
    return next(known, None) or Tag.create(name=name)


def _drop_unused_tags() -> None:
    Tag.delete().where(Tag.id.not_in(ClientTag.select(ClientTag.tag))).execute()


def delete_client(client_id: int) -> None:
    """Delete a client; SQLite's cascades remove their history, notes, family and dates."""
    with db.atomic():
        Client.delete_by_id(client_id)
        _drop_unused_tags()


def has_clients() -> bool:
    """Whether the owner has any client yet: Today guides a first start until they do."""
    return Client.select().exists()
