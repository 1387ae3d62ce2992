"""Job "client dates": the clients' yearly dates, open follow-ups and dated wishes as
events in the account's calendar, kept equal to Rapport's data at every sync.

Rapport owns these events: an event edited or deleted on the server is put back as
Rapport has it, and one whose date, follow-up or wish is gone here is deleted there.
"""

from __future__ import annotations

from peewee import JOIN

from models.accounts.jobs import JobReport, RunContext
from models.accounts.store import Account, AccountError
from models.clients.couples import family_partner_names
from models.exchange.calendar_export import date_uid
from models.reminders.greetings import Partner, greeted, with_partner
from models.reminders.rules import lead_days_list
from models.store.entities import Client, FamilyMember, FollowUp, ImportantDate, Wish, full_name
from models.store.settings import leap_day_rule, reminder_time
from models.sync.calendar_items import (
    DEFAULT_DESCRIPTION,
    DESCRIPTIONS,
    Item,
    Timing,
    YearlyDate,
    date_item,
    follow_up_event,
    item_uid,
    wish_event,
)
from models.sync.discovery import session_for
from models.sync.publishing import Publication
from models.values.kinds import RELATIONS

JOB = "client dates"


def run(context: RunContext) -> JobReport:
    calendar = context.account.option("calendar_url")
    if not calendar:
        raise AccountError(f"No calendar is chosen for {context.account.shown_name}.")
    session = session_for(context)
    try:
        publication = Publication(
            session, context.account, JOB, calendar, context.progress, context.stopping
        )
        counts = publication.run(calendar_items(timing_for(context.account, context)))
    finally:
        session.close()
    return JobReport(counts.summary(), len(counts.failed))


def timing_for(account: Account, context: RunContext) -> Timing:
    description = account.option("calendar_description", DEFAULT_DESCRIPTION)
    return Timing(
        at=reminder_time(),
        leap_day_rule=leap_day_rule(),
        description=description if description in DESCRIPTIONS else DEFAULT_DESCRIPTION,
        now=context.now(),
    )


def calendar_items(timing: Timing) -> list[Item]:
    return [*_yearly_dates(timing), *_follow_up_events(timing), *_wish_events(timing)]


def _yearly_dates(timing: Timing) -> list[Item]:
    """Every important date; read as plain values (thousands of model rows would make
    an idle sync slow)."""
    query = ImportantDate.select(
        *(ImportantDate.kind, ImportantDate.month, ImportantDate.day, ImportantDate.year),
        *(ImportantDate.lead_days, ImportantDate.label, Client.id, Client.uid),
        *(Client.first_name, Client.last_name, Client.preferred_name, Client.created_at),
        *(FamilyMember.name, FamilyMember.relation, ImportantDate.more_lead_days),
        *(Partner.first_name, Partner.preferred_name),
    ).join(Client)
    query = (
        with_partner(query)
        .switch(ImportantDate)
        .join(FamilyMember, JOIN.LEFT_OUTER)
        # Greetings turned off (a separation, a death) leave the phone's calendar too, and
        # a couple's anniversary both hold is one event, as it is one reminder.
        .where(greeted())
        .order_by(ImportantDate.id)
        .tuples()
    )
    partners = family_partner_names(Client.select(Client.id))
    used: set[str] = set()
    items = []
    for kind, month, day, year, lead_days, label, client_id, client_uid, *rest in query:
        first, last, preferred, created_at, member, relation, more_leads, *partner = rest
        partner_first, partner_preferred = partner
        whose = member or ""
        fact = YearlyDate(
            # The calendar file's UID for the same date.
            uid=date_uid(client_uid, whose, kind, label, month, day, used),
            kind=kind,
            month=month,
            day=day,
            year=year,
            lead_days=lead_days,
            who=_who(
                kind,
                full_name(first, last),
                preferred or first,
                member,
                relation,
                # The partner who is a client, else the family's partner.
                partner_preferred or partner_first or partners.get(client_id),
            ),
            label=label,
            client_since=created_at.date(),
            more_lead_days=tuple(lead_days_list(more_leads)),
        )
        items.append(date_item(fact, timing))
    return items


def _who(
    kind: str,
    client: str,
    short: str,
    member: str | None,
    relation: str | None,
    partner: str | None,
) -> str:
    """Whose date: "Lea (Anna Berger's child)", "Anna & Tom", "Anna Berger"."""
    if member:
        return f"{member} ({client}'s {RELATIONS[relation].lower()})"
    if kind == "wedding_anniversary" and partner:
        return f"{short} & {partner}"
    return client


def _follow_up_events(timing: Timing) -> list[Item]:
    """Open follow-ups; one made from a wish is the wish's day, its words kept as a wish's."""
    wishes = {wish.follow_up_id: wish for wish in Wish.select().where(_has_follow_up())}
    query = FollowUp.select(FollowUp, Client).join(Client).where(FollowUp.done_at.is_null())
    items = []
    for follow_up in query:
        uid = item_uid(follow_up.client.uid, "follow-up", str(follow_up.id))
        who, wish = follow_up.client.full_name, wishes.get(follow_up.id)
        if wish is not None and wish.wanted_by is not None:
            items.append(wish_event(uid, who, wish.text, wish.wanted_by, timing))
        else:
            items.append(follow_up_event(uid, who, follow_up.title, follow_up.due_at, timing))
    return items


def _wish_events(timing: Timing) -> list[Item]:
    """Open wishes with a day and no follow-up of their own (that one is published)."""
    query = (
        Wish.select(Wish, Client)
        .join(Client)
        .where(Wish.wanted_by.is_null(False) & Wish.fulfilled_at.is_null() & ~_has_follow_up())
    )
    return [
        wish_event(
            item_uid(wish.client.uid, "wish", str(wish.id)),
            wish.client.full_name,
            wish.text,
            wish.wanted_by,
            timing,
        )
        for wish in query
    ]


def _has_follow_up():
    return Wish.follow_up.is_null(False)
