"""Finding clients: search, filters and sort orders for the client list.

`find_clients` returns the ordered ids of every client that matches: cheap to hold even
for 100,000 clients, so a list can show any stretch of them with `client_rows`, which
reads just those rows.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, fields
from datetime import date, datetime, tzinfo
from decimal import Decimal
from typing import NamedTuple

from peewee import JOIN, SQL, Case, Ordering, fn

from models.clients.couples import Person, couple_name
from models.insight.exact_sums import money_sum, total
from models.insight.spending import main_currency
from models.reminders.contact_rhythm import (
    check_in_day_sql,
    check_in_overdue_sql,
    contacted_before_sql,
    drifting_sql,
    last_contact_sql,
)
from models.reminders.rules import resolve_yearly
from models.store.database import db
from models.store.entities import (
    Client,
    ClientTag,
    ContactDetail,
    FamilyMember,
    FollowUp,
    ImportantDate,
    Interaction,
    Tag,
    full_name,
)
from models.store.search_index import (
    fewer_rows_than,
    match_reasons,
    matching_clients_sql,
    name_matching_clients_sql,
    names_found,
    probe_sql,
    search_index_ready,
    search_words,
    words_typed,
)
from models.store.settings import drifting_after_months, leap_day_rule
from models.values.folding import fold
from models.values.words import QT_TRANSLATE_NOOP

SORTS = {
    "name": QT_TRANSLATE_NOOP("Vocabulary", "Name"),
    "last_contact": QT_TRANSLATE_NOOP("Vocabulary", "Last contact"),
    "lifetime_value": QT_TRANSLATE_NOOP("Vocabulary", "Lifetime value"),
    "next_due": QT_TRANSLATE_NOOP("Vocabulary", "Next due"),
}
GREETING_KINDS = ("birthday", "wedding_anniversary")


class ClientRow(NamedTuple):
    """One line of the client list."""

    id: int
    name: str
    stage: str
    last_contact: datetime | None


@dataclass(frozen=True)
class ClientFilter:
    """What the list shows: a search, any filters, and an order."""

    text: str = ""
    stage: str = ""  # "" for any
    tag: str = ""
    drifting: bool = False
    check_in_overdue: bool = False
    greeting_this_month: bool = False  # a birthday or wedding anniversary
    no_contact_since: date | None = None
    sort: str = "name"

    def filters_set(self) -> int:
        """How many filters narrow the list (the search and the order aside)."""
        return sum(bool(getattr(self, f.name)) for f in fields(self)[1:-1])


def find_clients(criteria: ClientFilter, today: date, zone: tzinfo | None = None) -> list[int]:
    """The ids of the clients that match, in the order asked for; local days are those of
    `zone` (the machine's when None)."""
    named = _named(criteria.text)
    first = [] if named is None else [Case(None, [(named, 0)], 1)]
    query = _matching(Client.select(Client.id), criteria.text)
    return _ids(query, first, criteria, today, zone)


class FirstClients(NamedTuple):
    """The start of what `find_clients` returns, and how many of them were found by name."""

    ids: list[int]
    by_name: int  # the first ones: no row of theirs says why it matched


def find_first_clients(
    criteria: ClientFilter, today: date, limit: int, zone: tzinfo | None = None
) -> FirstClients:
    """The first ids `find_clients` returns, up to `limit`, in milliseconds where the whole
    search takes a tenth of a second, so the list can show them while the rest is found.

    In the order by name, the clients are looked up in that order, a window at a time,
    until a page is found: the cost goes with the page, not with the clients found ("the"
    is in 80,000 clients' history). Otherwise the clients found by name, who come first,
    from the names alone; fewer than `limit` when the search must look beyond the names."""
    named = _named(criteria.text)
    if named is None:  # nothing ranked first: the whole search, cut short
        query = _matching(Client.select(Client.id), criteria.text)
        return FirstClients(_ids(query.limit(limit), [], criteria, today, zone), 0)
    words = _probed_words(criteria)
    candidates = _initials(Client.select(Client.id), criteria.text)
    for condition in _conditions(criteria, today, zone):
        candidates = candidates.where(condition)
    by_name: list[int] = []
    # Every client a candidate (no filter, no initial): the order of names from its index.
    if words and not criteria.filters_set() and len(words) == len(search_words(criteria.text)):
        by_name = _first_named(candidates, words, limit)
    if len(by_name) < limit:
        # From the names alone: their index is small, finding every name costs less than
        # looking names up one by one.
        query = _initials(Client.select(Client.id), criteria.text).where(named)
        by_name = _ids(query.limit(limit), [], criteria, today, zone)
    if words is None or len(by_name) == limit:
        return FirstClients(by_name, len(by_name))
    others = candidates.where(Client.id.not_in(by_name))
    rest = _first_in_name_order(others, words, limit - len(by_name))
    return FirstClients(by_name + rest, len(by_name))


def _probed_words(criteria: ClientFilter) -> list[str] | None:
    """The words to look up client by client: those of two letters or more, when the list
    is in the order of names and the index is ready; None otherwise."""
    if criteria.sort != "name" or not search_index_ready():
        return None
    return [word for word in search_words(criteria.text) if len(word) > 1] or None


# Below this many names found, sorting them all costs under a millisecond.
MANY_NAMED = 1000
# How far the order of names is read for a page of them, in names found. Where they are
# spread out ("ma", "jo", "sch"), a page of them comes within a fraction of that; where
# they begin late first names ("kat": the first page 48,000 clients down at XL), nothing
# comes, and the stretch costs half the sort that follows (0.4 µs a client read and
# checked, 0.8 µs a name sorted).
STRETCH_PER_NAME = 1


def _first_named(candidates, words: list[str], wanted: int) -> list[int]:
    """The first `wanted` of `candidates` found by name, if a page of them comes early
    enough in the order of names; else fewer, and the caller sorts every name found. A
    common prefix ("ma": 12,000 names at XL, 12 ms to sort) meets a page within 1,200
    clients in that order, read from its index (2.5 ms)."""
    typed = words_typed(" ".join(words))
    found = names_found(typed)
    if found < MANY_NAMED:
        return []
    named = name_matching_clients_sql(typed)
    condition = (f"candidate.id IN {named[0]}", named[1])
    return _looked_up(candidates, condition, wanted, math.ceil(STRETCH_PER_NAME * found), 0)


# Clients looked up first; then as many as the share found so far says a page needs.
PROBE_WINDOW = 256
# Beyond this many, the words are too rare to look for client by client (fewer than one
# client in 80 has them): finding those who have the rarest costs less.
MOST_PROBED = 4096


def _first_in_name_order(candidates, words: list[str], wanted: int) -> list[int]:
    """The first `wanted` of `candidates` (clients, with their sort_name) in the order of
    names who have every word: looked up one by one in that order while enough of them
    have the words; else among the clients the index finds with the longest word (the
    likeliest to be rare), or with every word when the others are rare too."""
    longest = max(words, key=len)
    if not fewer_rows_than(longest, FEW_ROWS):
        found = _probed_in_name_order(candidates, words, wanted)
        if found is not None:
            return found
    rest = [word for word in words if word is not longest]  # one of a word typed twice
    having = [longest]
    if all(fewer_rows_than(word, RARE_ROWS) for word in rest):
        # The index's rows of the others cost less than looking up each client with the
        # longest ("jürgen kr": 5 ms, not 13).
        having, rest = words, []
    having_sql = SQL(*matching_clients_sql(words_typed(" ".join(having))))
    return _looked_up(
        candidates.where(Client.id.in_(having_sql)), probe_sql(rest, "candidate.id"), wanted, -1, 0
    )


# A word in fewer rows of the index than this is found in every client's rows at once in a
# few milliseconds (0.4 µs a row).
RARE_ROWS = 10_000
# A word so rare that looking up clients one by one for it never pays ("ananya i": 3 ms,
# not 12): counted in half a millisecond, where counting up to RARE_ROWS would cost every
# common word a millisecond or two.
FEW_ROWS = 5000


def _probed_in_name_order(candidates, words: list[str], wanted: int) -> list[int] | None:
    """The first `wanted` of `candidates` who have every word, looked up one by one in
    the order of names while enough of them have the words; None once too few do."""
    probed, window = 0, PROBE_WINDOW
    found: list[int] = []
    having_words = probe_sql(words, "candidate.id")
    while True:
        found += _looked_up(candidates, having_words, wanted - len(found), window, probed)
        probed += window
        if len(found) == wanted or not _any(_by_name(candidates).limit(1).offset(probed)):
            return found
        share = len(found) / probed
        if not share or probed + (wanted - len(found)) / share > MOST_PROBED:
            return None
        window = max(PROBE_WINDOW, math.ceil(1.5 * (wanted - len(found)) / share))


def _by_name(candidates):
    return candidates.order_by(Client.sort_name, Client.id)


def _looked_up(
    candidates, condition: tuple[str, list], wanted: int, window: int, start: int
) -> list[int]:
    """The first `wanted` for whom `condition` (SQL on `candidate.id`, its parameters)
    holds among the `window` candidates from `start` on (-1: all) in the order of names."""
    sql, params = _by_name(candidates).limit(window).offset(start).sql()
    # SQLite keeps a sub-select with a LIMIT apart (a co-routine) and hands its rows on
    # in its order, so the LIMIT keeps the first; an ORDER BY here would make it look
    # every candidate up before sorting them.
    rows = db.execute_sql(
        f"SELECT candidate.id FROM ({sql}) AS candidate WHERE {condition[0]} LIMIT ?",
        [*params, *condition[1], wanted],
    )
    return [client_id for (client_id,) in rows.fetchall()]


def _any(query) -> bool:
    sql, params = query.sql()
    return db.execute_sql(sql, params).fetchone() is not None


def _ids(query, first: list, criteria: ClientFilter, today: date, zone: tzinfo | None):
    for condition in _conditions(criteria, today, zone):
        query = query.where(condition)
    sql, params = _ordered(query, first, criteria, today, zone).sql()
    # Straight from the cursor: for 100,000 ids, peewee's row handling would cost more
    # than the query.
    return [client_id for (client_id,) in db.execute_sql(sql, params).fetchall()]


def client_rows(ids: list[int]) -> list[ClientRow]:
    """The rows of these clients, in the order of `ids`; a couple's as "Anna & Tom Berger"
    (models/clients/couples.py), on each partner's row."""
    partner = Client.alias("partner")
    query = (
        Client.select(
            Client.id,
            Client.first_name,
            Client.last_name,
            Client.stage,
            last_contact_sql(),
            partner.first_name,
            partner.last_name,
        )
        .join(partner, JOIN.LEFT_OUTER, on=(Client.partner == partner.id))
        .where(Client.id.in_(ids))
    )
    rows = {}
    for client_id, first, last, stage, at, partner_first, partner_last in query.tuples():
        name = full_name(first, last)
        if partner_first is not None:
            name = couple_name(Person(first, last), Person(partner_first, partner_last))
        rows[client_id] = ClientRow(client_id, name, stage, at)
    return [rows[client_id] for client_id in ids if client_id in rows]


class FoundClient(NamedTuple):
    """A client found by a search, with why, for a short list of them (Ctrl+K)."""

    id: int
    name: str
    stage: str
    reason: str  # where the search found them, if not in the name: 'note: …'


def first_found(text: str, today: date, limit: int) -> list[FoundClient]:
    """The first clients the list would show for `text`, each saying why it was found."""
    ids = find_clients(ClientFilter(text=text), today)[:limit]
    reasons = why_matched(ids, text)
    return [
        FoundClient(row.id, row.name, row.stage, reasons.get(row.id, ""))
        for row in client_rows(ids)
    ]


class NamedClient(NamedTuple):
    """A client as a field that picks one shows them: who referred a client, say."""

    id: int
    name: str
    detail: str = ""  # what tells namesakes apart (see clients_named); "" for the others


def clients_named(text: str, limit: int, leave_out: int | None = None) -> list[NamedClient]:
    """The first `limit` clients, in the order of names, whose names have what is typed,
    as the list's search finds names ("ann b": Anna Berger), never `leave_out`: a few
    milliseconds at 100,000 clients, from the index of names. Namesakes among them come
    with their first email, else phone, else where they live now."""
    query = _initials(
        Client.select(Client.id, Client.first_name, Client.last_name, Client.lives_now), text
    )
    named = _named(text)
    if named is not None:
        query = query.where(named)
    if leave_out is not None:
        query = query.where(Client.id != leave_out)
    rows = _by_name(query).limit(limit).tuples()
    found = [(client_id, full_name(first, last), lives) for client_id, first, last, lives in rows]
    names = Counter(name for _, name, _ in found)
    contacts = _first_contacts([client_id for client_id, name, _ in found if names[name] > 1])
    return [
        NamedClient(client_id, name, contacts.get(client_id, lives) if names[name] > 1 else "")
        for client_id, name, lives in found
    ]


def _first_contacts(client_ids: list[int]) -> dict[int, str]:
    """Each client's first email address, else their first phone number, if any."""
    query = (
        ContactDetail.select(ContactDetail.client, ContactDetail.value)
        .where(ContactDetail.client.in_(client_ids) & ContactDetail.kind.in_(["email", "phone"]))
        .order_by(ContactDetail.client, ContactDetail.kind, ContactDetail.position)
    )
    first: dict[int, str] = {}
    for client_id, value in query.tuples():  # "email" sorts before "phone"
        first.setdefault(client_id, value)
    return first


def named_client(client_id: int | None) -> NamedClient | None:
    """The client of `client_id` by name, as the field that picks them shows them; None if
    there is none."""
    if client_id is None:
        return None
    query = Client.select(Client.id, Client.first_name, Client.last_name)
    row = query.where(Client.id == client_id).tuples().first()
    return None if row is None else NamedClient(row[0], full_name(row[1], row[2]))


def why_matched(client_ids: list[int], text: str) -> dict[int, str]:
    """For clients found by `text` other than by name, where: 'note: …beach shoot…'."""
    longer = [word for word in search_words(text) if len(word) > 1]
    if not search_index_ready() or not longer:
        return {}
    return match_reasons(client_ids, longer)


# --- Search --------------------------------------------------------------------------------


def _matching(query, text: str):
    """Clients with every word of `text` in their names, contacts, family, tags, notes
    or history (each word a prefix: "mey" finds Meyer); or, without the search index or
    without any word in `text` ("%"), clients whose names or contacts contain `text`."""
    folded = fold(text.strip())
    if not folded:
        return query
    words = search_words(folded)
    if not words or not search_index_ready():
        return query.where(_containing(folded))
    query = _initials(query, text)
    longer = [word for word in words if len(word) > 1]
    if longer:
        sql, params = matching_clients_sql(words_typed(" ".join(longer)))
        query = query.where(Client.id.in_(SQL(sql, params)))
    return query


def _initials(query, text: str):
    """A single letter would match most of the index: it stands for a name's initial
    (with the index only: without it, `text` is looked for as it is)."""
    if not search_index_ready():
        return query
    # Each letter once: a pasted line of letters would nest SQLite's parser too deep.
    for initial in dict.fromkeys(word for word in search_words(text) if len(word) == 1):
        query = query.where(
            Client.sort_name.startswith(initial) | Client.sort_name.contains(f" {initial}")
        )
    return query


def _contains(column, folded_text: str):
    """`column` contains the text, ignoring case and accents; % and _ are plain characters."""
    return fn.instr(fn.fold(column), folded_text) > 0


def _containing(folded: str):
    in_contact_details = ContactDetail.select(ContactDetail.client).where(
        _contains(ContactDetail.value, folded)
    )
    return _names_containing(folded) | Client.id.in_(in_contact_details)


def _names_containing(folded: str):
    first_and_last = Client.first_name.concat(" ").concat(Client.last_name)
    return (
        _contains(first_and_last, folded)
        | _contains(Client.preferred_name, folded)
        | _contains(Client.organization, folded)
    )


def _named(text: str):
    """Clients found by name, who come before those found elsewhere ("liv": Liv before
    the clients with a "living room" session), as a condition; None when there is
    nothing to rank."""
    folded = fold(text.strip())
    words = search_words(folded)
    if not folded:
        return None
    if not words or not search_index_ready():  # found as _matching() finds them
        return _names_containing(folded)
    longer = [word for word in words if len(word) > 1]
    if not longer:  # initials only: every client found has them in the name
        return None
    return Client.id.in_(SQL(*name_matching_clients_sql(words_typed(" ".join(longer)))))


# --- Filters -------------------------------------------------------------------------------


def _conditions(criteria: ClientFilter, today: date, zone: tzinfo | None) -> list:
    conditions = []
    if criteria.stage:
        conditions.append(Client.stage == criteria.stage)
    if criteria.tag:
        tagged = ClientTag.select(ClientTag.client).join(Tag)
        conditions.append(Client.id.in_(tagged.where(fn.fold(Tag.name) == fold(criteria.tag))))
    if criteria.drifting:
        conditions.append(drifting_sql(today, drifting_after_months(), zone))
    if criteria.check_in_overdue:
        conditions.append(check_in_overdue_sql(today, zone))
    if criteria.greeting_this_month:
        greetings = ImportantDate.select(ImportantDate.client).where(_greeting_in_month(today))
        conditions.append(Client.id.in_(greetings))
    if criteria.no_contact_since:
        conditions.append(contacted_before_sql(criteria.no_contact_since, zone))
    return conditions


def _greeting_in_month(today: date):
    """An important date that puts its client under "birthday or anniversary this month"."""
    return ImportantDate.kind.in_(GREETING_KINDS) & (ImportantDate.month == today.month)


# --- What a filter or an order goes by, for the rows shown ------------------------------------


class GreetingDay(NamedTuple):
    kind: str  # "birthday" or "wedding_anniversary"
    on: date  # this year's day (a leap-day birthday on the day it is kept)
    person: str  # the family member's name, "" for the client's own


def greeting_days(client_ids: list[int], today: date) -> dict[int, list[GreetingDay]]:
    """The days that put each of these clients under "birthday or anniversary this
    month", by day."""
    query = (
        ImportantDate.select(
            ImportantDate.client, ImportantDate.kind, ImportantDate.month, ImportantDate.day
        )
        .select_extend(FamilyMember.name)
        .join(FamilyMember, JOIN.LEFT_OUTER)
        .where(ImportantDate.client.in_(client_ids) & _greeting_in_month(today))
    )
    rule = leap_day_rule()
    found: dict[int, list[GreetingDay]] = {}
    for client_id, kind, month, day, person in query.tuples():
        on = resolve_yearly(month, day, today.year, rule)
        found.setdefault(client_id, []).append(GreetingDay(kind, on, person or ""))
    for days in found.values():
        days.sort(key=lambda greeting: (greeting.on, greeting.person))
    return found


def lifetime_values(client_ids: list[int]) -> dict[int, tuple[Decimal, str]]:
    """What each of these clients spent, exactly, in the currency the value order goes by;
    clients who spent nothing in it are left out."""
    currency = main_currency()
    query = (
        Interaction.select(Interaction.client, *money_sum(Interaction.amount))
        .where(Interaction.client.in_(client_ids) & (Interaction.currency == currency))
        .group_by(Interaction.client)
    )
    return {client_id: (total(*sums), currency) for client_id, *sums in query.tuples()}


def next_due_days(
    client_ids: list[int], today: date, zone: tzinfo | None = None
) -> dict[int, date]:
    """The day the next-due order puts each of these clients by; none when nothing is due."""
    query = Client.select(Client.id, _next_due(today, zone)).where(Client.id.in_(client_ids))
    return {
        client_id: date.fromisoformat(day)
        for client_id, day in query.tuples()
        if day != _NOTHING_DUE
    }


# --- Orders --------------------------------------------------------------------------------


def _ordered(query, first: list, criteria: ClientFilter, today: date, zone: tzinfo | None):
    """In the order asked for, after `first` (clients found by name first when searching)."""
    sort = criteria.sort
    by_name = [Client.sort_name, Client.id]
    if sort == "last_contact":
        return query.order_by(*first, Ordering(last_contact_sql(), "DESC", nulls="LAST"), *by_name)
    if sort == "lifetime_value" and (criteria.text.strip() or criteria.filters_set()):
        value = _lifetime_value()  # of the clients found alone
        return query.order_by(*first, Ordering(value, "DESC", nulls="LAST"), *by_name)
    if sort == "lifetime_value":
        values = _lifetime_values()
        return query.join(values, JOIN.LEFT_OUTER, on=(values.c.client_id == Client.id)).order_by(
            *first, Ordering(values.c.total, "DESC", nulls="LAST"), *by_name
        )
    if sort == "next_due":
        return query.order_by(*first, _next_due(today, zone), *by_name)
    return query.order_by(*first, *by_name)


def _lifetime_values():
    """client_id, total: what each client spent in the studio's main currency (amounts are
    never summed across currencies, so others do not count towards this order). One pass
    over the interactions."""
    return (
        Interaction.select(
            Interaction.client.alias("client_id"), fn.SUM(Interaction.amount).alias("total")
        )
        .where(Interaction.currency == main_currency())
        # One pass over the currency index (currency, client, amount), in client order.
        .group_by(Interaction.client)
        .alias("lifetime_value")
    )


def _lifetime_value():
    """_lifetime_values' total of one client, read per client from the same index in the
    same order (the same sum to the last bit): for a list a search or a filter narrows,
    only the clients found are summed (the drifting among 100,000 clients: 0.07 s instead
    of 0.12 s), where the one pass suits every client (0.12 s instead of 0.14 s)."""
    return Interaction.select(fn.SUM(Interaction.amount)).where(
        (Interaction.currency == main_currency()) & (Interaction.client == Client.id)
    )


_NOTHING_DUE = "9999-12-31"


def _next_due(today: date, zone: tzinfo | None):
    """The day of the client's next check-in, open follow-up or yearly date, as ISO text;
    _NOTHING_DUE when nothing is coming."""
    check_in = check_in_day_sql(zone)
    follow_up = FollowUp.select(fn.MIN(fn.date(FollowUp.due_at))).where(
        (FollowUp.client == Client.id) & FollowUp.done_at.is_null()
    )
    return fn.MIN(
        *(fn.COALESCE(day, _NOTHING_DUE) for day in (check_in, follow_up, _next_yearly(today)))
    )


def _next_yearly(today: date):
    """The next day one of the client's yearly dates comes round (Feb 29 kept as is)."""

    def in_year(year: int):
        return fn.printf("%04d-%02d-%02d", year, ImportantDate.month, ImportantDate.day)

    this_year_still = ImportantDate.month * 100 + ImportantDate.day >= today.month * 100 + today.day
    next_day = Case(None, [(this_year_still, in_year(today.year))], in_year(today.year + 1))
    return ImportantDate.select(fn.MIN(next_day)).where(ImportantDate.client == Client.id)
