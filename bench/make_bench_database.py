"""Write a synthetic bench database for benchmarks: the same rows for the same size.

    .venv/bin/python bench/make_bench_database.py --size S|XL [--out PATH]

S is a busy photographer after ten years (2,000 clients); XL is far beyond any real
studio (100,000 clients, a million history items), to find what does not scale.
Everything is dated relative to REFERENCE, not to today, and drawn from one seeded
generator, so that a benchmark measures the code and never a change of data. One
client, Ida Historia, has exactly 2,000 history items: the slowest page to open.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from itertools import accumulate
from operator import itemgetter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script, `bench` and this checkout's models import

from peewee import Field, Model, chunked  # noqa: E402

from bench import bench_words as text  # noqa: E402
from models.store.database import db  # noqa: E402
from models.store.entities import (  # noqa: E402
    ALL_TABLES,
    Client,
    ClientTag,
    ContactDetail,
    FamilyMember,
    FollowUp,
    ImportantDate,
    Interaction,
    Note,
    Tag,
)
from models.store.migrations import open_database  # noqa: E402
from models.values.folding import fold  # noqa: E402
from models.values.kinds import DEFAULT_LEAD_DAYS  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"

SEED = 42
REFERENCE = datetime(2026, 11, 24, 12, tzinfo=UTC)  # "now" in the studio
HISTORY_DAYS = 3650
HISTORY_CLIENT = ("Ida", "Historia")
HISTORY_ITEMS = 2_000


@dataclass(frozen=True)
class Size:
    clients: int
    interactions: int
    notes: int
    follow_ups: int


SIZES = {
    "S": Size(clients=2_000, interactions=40_000, notes=10_000, follow_ups=1_000),
    "XL": Size(clients=100_000, interactions=1_000_000, notes=200_000, follow_ups=5_000),
}

STAGES = ("lead", "customer", "client", "past")
_STAGE_WEIGHTS = tuple(accumulate((15, 30, 40, 15)))
# How much history a client of each stage gathers, relative to a customer.
STAGE_ACTIVITY = {"lead": 0.15, "customer": 1.0, "client": 2.0, "past": 0.6}

KINDS = ("email", "call", "message", "session", "purchase", "meeting", "gift", "card")
_KIND_WEIGHTS = tuple(accumulate((28, 14, 16, 15, 12, 7, 4, 4)))
LEAD_KINDS = ("email", "call", "message", "meeting")  # a lead has bought nothing yet

RELATIONS = ("child", "pet", "parent", "sibling", "friend", "other")
_RELATION_WEIGHTS = tuple(accumulate((45, 15, 15, 15, 5, 5)))
# Which relatives' birthdays the photographer knows, and the years they were born in.
BIRTHDAY_SHARE = {"partner": 0.4, "child": 0.7, "pet": 0.25}
BIRTH_YEARS = {"child": (2005, 2026), "pet": (2010, 2026), "parent": (1935, 1975)}
ADULT_BIRTH_YEARS = (1950, 2004)

CHECK_IN_DAYS = (30, 45, 60, 90, 120, 180, 365)


@dataclass
class Person:
    """A client as drawn, kept for the rows of the other tables that belong to them."""

    first: str
    last: str
    culture: text.Culture
    stage: str
    organization: str
    since: datetime
    activity: float  # their share of history and notes, relative to other clients
    id: int = 0


def make_bench_database(path: Path, size: str) -> dict[str, int]:
    """Replace `path` with a studio of the given size; returns the rows per table."""
    spec = SIZES[size]  # an unknown size fails before anything is deleted
    for suffix in ("", "-wal", "-shm"):  # a stale WAL file would be replayed into the new one
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    database = open_database(path)
    try:
        _fill(random.Random(SEED), spec)
        counts = {model._meta.table_name: model.select().count() for model in ALL_TABLES}
    finally:
        database.close()
    return counts


def history_client_id() -> int:
    """The id of the client with exactly HISTORY_ITEMS history items, in the open database."""
    first, last = HISTORY_CLIENT
    return Client.get((Client.first_name == first) & (Client.last_name == last)).id


class _Progress:
    """Prints each table's rows and the time since the previous table was written."""

    def __init__(self) -> None:
        self.last = time.perf_counter()

    def done(self, table: str, rows: int) -> None:
        now = time.perf_counter()
        print(f"{table:<15} {rows:>10,} rows {now - self.last:7.1f} s", flush=True)
        self.last = now


def _fill(rng: random.Random, size: Size) -> None:
    progress = _Progress()
    people = _people(rng, size.clients)
    progress.done("client", _write(_client_fields(), _client_rows(rng, people)))
    progress.done("contact_detail", _write(CONTACT_FIELDS, _contact_rows(rng, people)))
    tags = list(enumerate(text.TAGS, start=1))
    progress.done("tag", _write((Tag.id, Tag.name), tags))
    progress.done("client_tag", _write(CLIENT_TAG_FIELDS, _client_tag_rows(rng, people, tags)))
    family = _family_rows(rng, people)
    progress.done("family_member", _write(FAMILY_FIELDS, family))
    progress.done("important_date", _write(DATE_FIELDS, _date_rows(rng, people, family)))
    interactions = _interaction_rows(rng, people, size.interactions)
    progress.done("interaction", _write(INTERACTION_FIELDS, interactions))
    progress.done("note", _write(NOTE_FIELDS, _note_rows(rng, people, size.notes)))
    progress.done("follow_up", _write(FOLLOW_UP_FIELDS, _follow_up_rows(rng, people, size)))


def _write(fields: tuple[Field, ...], rows: Iterable[tuple]) -> int:
    """Insert `rows` (values in `fields` order) in batches, each in its own transaction.

    A batch is as large as SQLite's limit on bound variables allows: a few thousand rows.
    """
    model: type[Model] = fields[0].model
    limit = db.connection().getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    written = 0
    # peewee adds the columns with a default that `fields` leaves out (a client's uid).
    for batch in chunked(rows, limit // len(model._meta.sorted_fields)):
        with db.atomic():
            model.insert_many(batch, fields=fields).execute()
        written += len(batch)
    return written


def _between(rng: random.Random, start: datetime, end: datetime = REFERENCE) -> datetime:
    """An instant in working hours on a day after `start`'s, and not after `end`."""
    days = max((end.date() - start.date()).days - 1, 1)
    instant = _working_hours(rng, start.date() + timedelta(days=1 + rng.randrange(days)))
    return min(instant, end)  # when `end` is the next day, its hour may have passed


def _days_ago(rng: random.Random, days: int) -> datetime:
    return _working_hours(rng, REFERENCE.date() - timedelta(days=days))


def _working_hours(rng: random.Random, day: date) -> datetime:
    return datetime.combine(day, clock(rng.randrange(7, 20), rng.randrange(60)), UTC)


def _people(rng: random.Random, count: int) -> list[Person]:
    """The clients, numbered in the order the studio met them, as ids grow in real use."""
    people = [_person(rng) for _ in range(count - 1)]
    people.append(_history_person())
    people.sort(key=lambda person: person.since)
    for id, person in enumerate(people, start=1):
        person.id = id
    return people


def _person(rng: random.Random) -> Person:
    stage = rng.choices(STAGES, cum_weights=_STAGE_WEIGHTS)[0]
    culture = text.culture(rng)
    first = rng.choice(culture.firsts)
    # Now and then only a first name is known, as for a lead from Instagram.
    last = "" if rng.random() < 0.01 else text.last_name(rng, culture)
    organization = text.organization(rng, first, last) if rng.random() < 0.08 else ""
    days = rng.randrange(2, 400) if stage == "lead" else rng.randrange(30, HISTORY_DAYS)
    # Longer-known clients have more history; a few are far busier than the rest.
    activity = rng.lognormvariate(0, 0.8) * STAGE_ACTIVITY[stage] * (0.1 + days / HISTORY_DAYS)
    return Person(first, last, culture, stage, organization, _days_ago(rng, days), activity)


def _history_person() -> Person:
    first, last = HISTORY_CLIENT
    since = datetime.combine(REFERENCE.date() - timedelta(days=HISTORY_DAYS - 5), clock(9), UTC)
    return Person(first, last, text.CULTURES[0][0], "client", "", since, activity=3.0)


def _client_fields() -> tuple[Field, ...]:
    fields = (
        Client.id,
        Client.first_name,
        Client.last_name,
        Client.preferred_name,
        Client.organization,
        Client.stage,
        Client.address,
        Client.where_from,
        Client.lives_now,
        Client.how_we_met,
        Client.referred_by,
        Client.check_in_days,
        Client.created_at,
    )
    # The column arrives with a schema change; a database trigger may also fill it.
    return (*fields, Client.sort_name) if hasattr(Client, "sort_name") else fields


def _client_rows(rng: random.Random, people: list[Person]) -> Iterator[tuple]:
    with_sort_name = hasattr(Client, "sort_name")
    for person in people:
        first, last = person.first, person.last
        nickname = text.NICKNAMES.get(first, "") if rng.random() < 0.5 else ""
        where_from = rng.choice(person.culture.cities)
        local = rng.random() < 0.7  # most clients live near the Munich studio
        row = (
            person.id,
            first,
            last,
            nickname,
            person.organization,
            person.stage,
            text.address(rng) if local and rng.random() < 0.6 else "",
            where_from,
            "München" if local else where_from,
            rng.choice(text.HOW_WE_MET) if rng.random() < 0.7 else "",
            rng.randrange(1, person.id) if person.id > 1 and rng.random() < 0.1 else None,
            rng.choice(CHECK_IN_DAYS) if rng.random() < 0.3 else None,
            person.since,
        )
        yield (*row, fold(f"{first} {last}")) if with_sort_name else row


CONTACT_FIELDS = (
    ContactDetail.client,
    ContactDetail.kind,
    ContactDetail.label,
    ContactDetail.value,
    ContactDetail.position,
)


def _contact_rows(rng: random.Random, people: list[Person]) -> Iterator[tuple]:
    for person in people:
        first, last = person.first, person.last
        yield person.id, "email", "", text.email(rng, first, last, person.organization), 0
        if rng.random() < 0.15:
            yield person.id, "email", "work", text.email(rng, first, last, "Studio"), 1
        yield person.id, "phone", "mobile", text.phone(rng, person.culture), 0
        if rng.random() < 0.1:
            yield person.id, "phone", "home", f"+49 89 {rng.randrange(100_000, 10_000_000)}", 1


CLIENT_TAG_FIELDS = (ClientTag.client, ClientTag.tag)


def _client_tag_rows(
    rng: random.Random, people: list[Person], tags: list[tuple[int, str]]
) -> Iterator[tuple]:
    tag_ids = [id for id, _ in tags]
    for person in people:
        count = rng.choices((0, 1, 2, 3), weights=(30, 35, 22, 13))[0]
        for tag_id in rng.sample(tag_ids, count):
            yield person.id, tag_id


FAMILY_FIELDS = (
    FamilyMember.id,
    FamilyMember.client,
    FamilyMember.name,
    FamilyMember.relation,
    FamilyMember.notes,
)


def _family_rows(rng: random.Random, people: list[Person]) -> list[tuple]:
    """About one relative per client: partners first, then children, pets, parents..."""
    rows = []
    for person in people:
        for position in range(rng.choices((0, 1, 2, 3, 4), weights=(35, 35, 18, 8, 4))[0]):
            if position == 0 and rng.random() < 0.6:
                relation = "partner"
            else:
                relation = rng.choices(RELATIONS, cum_weights=_RELATION_WEIGHTS)[0]
            notes = rng.choice(text.FAMILY_NOTES) if rng.random() < 0.2 else ""
            name = _relative_name(rng, person, relation)
            rows.append((len(rows) + 1, person.id, name, relation, notes))
    return rows


def _relative_name(rng: random.Random, person: Person, relation: str) -> str:
    first = rng.choice(person.culture.firsts)
    if relation == "pet":
        return rng.choice(text.PET_NAMES)
    if relation == "child":
        return first
    if relation == "partner" and person.last and rng.random() < 0.5:
        return f"{first} {person.last}"
    return f"{first} {text.last_name(rng, person.culture)}"


DATE_FIELDS = (
    ImportantDate.client,
    ImportantDate.family_member,
    ImportantDate.kind,
    ImportantDate.month,
    ImportantDate.day,
    ImportantDate.year,
    ImportantDate.label,
    ImportantDate.lead_days,
)


def _date_rows(rng: random.Random, people: list[Person], family: list[tuple]) -> Iterator[tuple]:
    """About 1.5 dates per client: their own, then their relatives' birthdays."""
    for person in people:
        if rng.random() < 0.45:
            yield _date(rng, person.id, None, "birthday", _yearly(rng, ADULT_BIRTH_YEARS, 0.65))
        if rng.random() < 0.18:
            wedding = _yearly(rng, (1985, REFERENCE.year), 0.9)
            yield _date(rng, person.id, None, "wedding_anniversary", wedding)
        if person.stage == "client":
            since = person.since
            yield _date(rng, person.id, None, "client_since", (since.month, since.day, since.year))
        if rng.random() < 0.04:
            label = rng.choice(text.CUSTOM_DATES)
            custom = _yearly(rng, (1990, REFERENCE.year), 0.5)
            yield _date(rng, person.id, None, "custom", custom, label)
    for member_id, client_id, _, relation, _ in family:
        if rng.random() < BIRTHDAY_SHARE.get(relation, 0.1):
            years = BIRTH_YEARS.get(relation, ADULT_BIRTH_YEARS)
            yield _date(rng, client_id, member_id, "birthday", _yearly(rng, years, 0.8))


def _yearly(
    rng: random.Random, years: tuple[int, int], year_known: float
) -> tuple[int, int, int | None]:
    """(month, day, year) of a real date; year None when the photographer does not know it."""
    if rng.random() < year_known:
        first = date(years[0], 1, 1).toordinal()
        last = min(date(years[1], 12, 31), REFERENCE.date()).toordinal()
        day = date.fromordinal(rng.randrange(first, last + 1))
        return day.month, day.day, day.year
    # Drawn from a leap year, so that a birthday on 29 February without a year occurs too.
    day = date.fromordinal(date(2000, 1, 1).toordinal() + rng.randrange(366))
    return day.month, day.day, None


def _date(
    rng: random.Random,
    client_id: int,
    member_id: int | None,
    kind: str,
    yearly: tuple[int, int, int | None],
    label: str = "",
) -> tuple:
    month, day, year = yearly
    if member_id is not None:
        lead_days = 0  # as the family dialog saves a relative's birthday
    elif rng.random() < 0.1:
        lead_days = rng.choice((1, 3, 7, 14, 30))  # the few who changed the notice
    else:
        lead_days = DEFAULT_LEAD_DAYS[kind]
    return client_id, member_id, kind, month, day, year, label, lead_days


INTERACTION_FIELDS = (
    Interaction.occurred_at,
    Interaction.client,
    Interaction.kind,
    Interaction.summary,
    Interaction.body,
    Interaction.amount,
    Interaction.currency,
)


def _interaction_rows(rng: random.Random, people: list[Person], total: int) -> list[tuple]:
    """History items in the order they happened, as a studio records them over the years.

    Each client's rows are thus spread across the table, as in a real file.
    """
    weights = [0.0 if _is_history_client(person) else person.activity for person in people]
    counts = _shares(rng, weights, total - HISTORY_ITEMS)
    rows = []
    for person, count in zip(people, counts, strict=True):
        if _is_history_client(person):
            count = HISTORY_ITEMS
        if person.stage == "lead":
            kinds = [rng.choice(LEAD_KINDS) for _ in range(count)]
        else:
            kinds = rng.choices(KINDS, cum_weights=_KIND_WEIGHTS, k=count)
        for kind in kinds:
            when = _between(rng, person.since)
            summary, body, price = text.interaction(rng, kind, person.first, when)
            currency = None if price is None else person.culture.currency
            rows.append((when, person.id, kind, summary, body, price, currency))
    rows.sort(key=itemgetter(0, 1))
    return rows


def _is_history_client(person: Person) -> bool:
    return (person.first, person.last) == HISTORY_CLIENT


def _shares(rng: random.Random, weights: list[float], total: int) -> list[int]:
    """Split `total` among the clients at random, in proportion to `weights`."""
    counts = [0] * len(weights)
    for index in rng.choices(range(len(weights)), cum_weights=list(accumulate(weights)), k=total):
        counts[index] += 1
    return counts


NOTE_FIELDS = (Note.created_at, Note.client, Note.text, Note.pinned, Note.updated_at)


def _note_rows(rng: random.Random, people: list[Person], total: int) -> list[tuple]:
    counts = _shares(rng, [person.activity for person in people], total)
    rows = []
    for person, count in zip(people, counts, strict=True):
        for _ in range(count):
            written = _between(rng, person.since)
            edited = _between(rng, written) if rng.random() < 0.2 else written
            note = text.note(rng, person.first, written)
            rows.append((written, person.id, note, rng.random() < 0.04, edited))
    rows.sort(key=itemgetter(0, 1))
    return rows


FOLLOW_UP_FIELDS = (
    FollowUp.created_at,
    FollowUp.client,
    FollowUp.title,
    FollowUp.due_at,
    FollowUp.done_at,
)


def _follow_up_rows(rng: random.Random, people: list[Person], size: Size) -> list[tuple]:
    """Tasks of the active clients: a third still ahead, the rest past and mostly done."""
    weights = list(accumulate(person.activity for person in people))
    rows = []
    for person in rng.choices(people, cum_weights=weights, k=size.follow_ups):
        if rng.random() < 0.35:
            day = REFERENCE.date() + timedelta(days=rng.randrange(1, 60))
            due = datetime.combine(day, clock(rng.randrange(7, 19)), UTC)
            created = _between(rng, max(person.since, REFERENCE - timedelta(days=30)))
            done = None
        else:
            due = _between(rng, person.since)
            created = max(person.since, due - timedelta(days=rng.randrange(1, 30)))
            late = timedelta(hours=rng.randrange(0, 96))
            done = None if rng.random() < 0.15 else min(due + late, REFERENCE)
        rows.append((created, person.id, text.follow_up(rng, person.first), due, done))
    rows.sort(key=itemgetter(0, 1))
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=SIZES, required=True)
    parser.add_argument("--out", type=Path, help="default: bench/data/bench-<size>.sqlite")
    args = parser.parse_args(argv)
    out = args.out or DATA / f"bench-{args.size}.sqlite"
    started = time.perf_counter()
    counts = make_bench_database(out, args.size)
    elapsed = time.perf_counter() - started
    print(f"{sum(counts.values()):,} rows in {out}: {out.stat().st_size / 1e6:,.1f} MB")
    print(f"{elapsed:.1f} s in all")


if __name__ == "__main__":
    main()
