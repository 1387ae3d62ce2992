"""The studio at a glance: the Studio's figures, each from a few grouped queries.

Every function here aggregates in SQL and returns small results (24 months, 4 stages,
at most 366 days, a handful of clients), so the Studio stays quick at 100,000 clients.
Months and years are the owner's local ones: instants are stored in UTC, so each local
month is turned into its UTC bounds before asking SQLite.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from peewee import Value, fn

from models.clients.finder import GREETING_KINDS, ClientFilter, find_clients
from models.insight.exact_sums import total
from models.insight.gifts import BudgetStatus, GiftYear, budget_status, gift_budget, gift_years
from models.insight.paid_days import in_order, paid_per_period
from models.insight.referrals import Referrer, top_referrers
from models.insight.spending import main_currency
from models.reminders.contact_rhythm import contacted_on_sql, drifting_reason
from models.reminders.key import ReminderKey
from models.reminders.rules import DateFacts, Reminder, ReminderWindow, date_reminders
from models.reminders.store import _date_reminders
from models.store.entities import Client, ImportantDate, full_name
from models.store.fields import UtcDateTimeField
from models.store.settings import drifting_after_months, leap_day_rule, reminder_time
from models.values.kinds import STAGES

_INSTANT = UtcDateTimeField()

# --- Sessions and revenue per month ---------------------------------------------------------


@dataclass(frozen=True)
class Month:
    first_day: date  # the local calendar month
    sessions: int = 0
    purchases: int = 0
    revenue: dict[str, Decimal] = field(default_factory=dict)  # currency -> amounts paid


def month_starts(today: date, count: int) -> list[date]:
    """The first days of the `count` months up to today's, oldest first."""
    index = today.year * 12 + today.month - 1
    return [date(i // 12, i % 12 + 1, 1) for i in range(index - count + 1, index + 1)]


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _beginning(day: date, zone: ZoneInfo) -> datetime:
    """The instant local `day` begins (its UTC text is what the database compares)."""
    return datetime.combine(day, time(), tzinfo=zone)


def monthly_figures(today: date, zone: ZoneInfo, count: int = 24) -> list[Month]:
    """Sessions, purchases and revenue per currency in each of the last `count` local
    months (this one included), oldest first; months without any are there, empty."""
    starts = month_starts(today, count)
    bounds = [_beginning(day, zone) for day in [*starts, _next_month(starts[-1])]]
    sessions, purchases = [0] * count, [0] * count
    revenue: list[dict[str, Decimal]] = [{} for _ in starts]
    cents: dict[tuple[int, str], int] = defaultdict(int)
    odd: dict[tuple[int, str], list[str]] = defaultdict(list)
    for (number, currency, _referred), paid in in_order(paid_per_period(bounds)):
        sessions[number] += paid.sessions
        purchases[number] += paid.purchases
        if currency is not None:
            cents[number, currency] += paid.cents
            odd[number, currency] += paid.odd
    for number, currency in cents:
        revenue[number][currency] = total(cents[number, currency], " ".join(odd[number, currency]))
    return [Month(*figures) for figures in zip(starts, sessions, purchases, revenue, strict=True)]


def currencies_by_use(months: list[Month], main: str | None) -> list[str]:
    """The currencies paid in over `months`: the studio's main currency first, then the
    others by name."""
    paid = {currency for month in months for currency in month.revenue}
    return sorted(paid, key=lambda currency: (currency != main, currency))


# --- Pipeline -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pipeline:
    """How many leads, customers, clients and past clients there are, and how people moved
    on this (local, calendar) year. Rapport keeps no history of stage changes, so:

    - `added`: people added to Rapport this year (their `created_at`);
    - `booked`: of those, the ones who are no longer leads (customers, clients or past);
    - `became_clients`: clients and past clients whose 'client since' date is this year
      (making a customer a client records it, models/insight/relationship.accept_promotion).

    A lead added last year who booked this year is in neither `added` nor `booked`.
    """

    stages: dict[str, int]  # every stage of models/values/kinds.STAGES, in that order
    added: int
    booked: int
    became_clients: int

    def booked_share(self) -> float | None:
        """The share of this year's new people who booked; None when nobody was added."""
        return self.booked / self.added if self.added else None


def pipeline(today: date, zone: ZoneInfo) -> Pipeline:
    counts = dict(Client.select(Client.stage, fn.COUNT(Client.id)).group_by(Client.stage).tuples())
    year_start = date(today.year, 1, 1)
    added, booked = (
        Client.select(fn.COUNT(Client.id), fn.SUM(Client.stage != "lead"))
        .where(
            (Client.created_at >= _beginning(year_start, zone))
            & (Client.created_at < _beginning(date(today.year + 1, 1, 1), zone))
        )
        .tuples()
        .get()
    )
    became = (
        ImportantDate.select(fn.COUNT(fn.DISTINCT(ImportantDate.client)))
        .join(Client)
        .where(
            (ImportantDate.kind == "client_since")
            & (ImportantDate.year == today.year)
            & Client.stage.in_(("client", "past"))
        )
        .scalar()
    )
    return Pipeline(
        stages={stage: counts.get(stage, 0) for stage in STAGES},
        added=added,
        booked=booked or 0,
        became_clients=became,
    )


# --- Birthdays and anniversaries ahead ------------------------------------------------------


@dataclass(frozen=True)
class Greetings:
    """The birthdays and wedding anniversaries of one day."""

    birthdays: int = 0
    anniversaries: int = 0

    @property
    def count(self) -> int:
        return self.birthdays + self.anniversaries


def greeting_window(today: date) -> tuple[date, date]:
    """Today to the last day of the 12th month counted from this one."""
    return today, date(today.year + 1, today.month, 1) - timedelta(days=1)


def greetings_ahead(today: date) -> dict[date, Greetings]:
    """Per day of `greeting_window`, the birthdays and wedding anniversaries it brings.

    Dates are counted per (month, day) in SQL; each such day is then resolved by the
    reminders' own rule (models/reminders/rules.date_reminders: 29 February in common years,
    no anniversary before or in the year of the event itself). Only dates of this year
    or later keep their year apart, since only they can fall on or before their year.
    """
    first, last = greeting_window(today)
    window = _window(first, last, today, UTC)
    window = _window(first, last, today, UTC)
    birthdays: dict[date, int] = defaultdict(int)
    anniversaries: dict[date, int] = defaultdict(int)
    for kind, month, day, year, count in _greeting_days(today.year):
        counts = birthdays if kind == "birthday" else anniversaries
        facts = DateFacts(0, 0, "", kind, month, day, year, lead_days=0)
        for reminder in date_reminders(facts, window):
            counts[reminder.occurs_on] += count
    days = sorted(birthdays.keys() | anniversaries.keys())
    return {day: Greetings(birthdays.get(day, 0), anniversaries.get(day, 0)) for day in days}


def _greeting_days(this_year: int) -> Iterator[tuple]:
    """kind, month, day, year (None before `this_year`), count: the greeting dates counted.
    Two queries: those of earlier or unknown years grouped as their index orders them,
    without sorting 100,000s of rows; then the few of this year or later."""
    kind, month, day, year = (ImportantDate.kind, ImportantDate.month, ImportantDate.day,
                              ImportantDate.year)  # fmt: skip
    greeting, count = kind.in_(GREETING_KINDS), fn.COUNT(ImportantDate.id)
    older = (
        ImportantDate.select(kind, month, day, Value(None), count)
        .where(greeting & (year.is_null() | (year < this_year)))
        .group_by(kind, month, day)
    )
    recent = (
        ImportantDate.select(kind, month, day, year, count)
        .where(greeting & (year >= this_year))
        .group_by(kind, month, day, year)
    )
    yield from older.tuples()
    yield from recent.tuples()


def greetings_on(day: date, today: date, zone: ZoneInfo) -> list[Reminder]:
    """Whose birthday or wedding anniversary falls on `day`: the on-the-day reminders of
    models/reminders/store, with their words ("Maria's child Lea turns 7 on Sun 29 Nov")."""
    found = [
        reminder
        for reminder in _date_reminders(_window(day, day, today, zone))
        if reminder.occasion in GREETING_KINDS and ReminderKey.parse(reminder.key).phase == "day"
    ]
    return sorted(found, key=lambda reminder: (reminder.title, reminder.key))


def _window(first: date, last: date, today: date, zone: ZoneInfo) -> ReminderWindow:
    return ReminderWindow(first, last, today, reminder_time(), zone, leap_day_rule())


# --- Drifting clients -----------------------------------------------------------------------


@dataclass(frozen=True)
class DriftingClient:
    client_id: int
    name: str
    reason: str  # "Last contact 14 months ago — send a note"


@dataclass(frozen=True)
class Drifting:
    total: int  # every drifting client
    most_valuable: list[DriftingClient]  # at most the limit asked for


def drifting_clients(today: date, zone: ZoneInfo, limit: int = 8) -> Drifting:
    """Clients drifting away (models/reminders/contact_rhythm.py's rule, found in SQL), the most
    valuable in the main currency first, each with the rule's reason in Python."""
    ids = find_clients(ClientFilter(drifting=True, sort="lifetime_value"), today, zone)
    after_months = drifting_after_months()
    query = (
        Client.select(
            Client.id,
            Client.first_name,
            Client.last_name,
            Client.check_in_days,
            contacted_on_sql(zone),
        )
        .where(Client.id.in_(ids[:limit]))
        .tuples()
    )
    rows = {row[0]: row[1:] for row in query}
    found = []
    for client_id in (client_id for client_id in ids[:limit] if client_id in rows):
        first, last, check_in_days, contacted_on = rows[client_id]
        reason = drifting_reason(
            date.fromisoformat(contacted_on), check_in_days, today, after_months
        )
        found.append(DriftingClient(client_id, full_name(first, last), reason or ""))
    return Drifting(len(ids), found)


# --- Everything at once ---------------------------------------------------------------------


@dataclass(frozen=True)
class Overview:
    """Every figure of the Studio, read together (on a worker thread)."""

    months: list[Month]
    currencies: list[str]  # of `months`, the main currency first
    pipeline: Pipeline
    greetings: dict[date, Greetings]
    referrers: list[Referrer]
    drifting: Drifting
    gift_years: list[GiftYear] = field(default_factory=list)  # this year last
    budget: BudgetStatus | None = None  # this year's gifts against the budget, if one is set


def overview(today: date, zone: ZoneInfo) -> Overview:
    months, main = monthly_figures(today, zone), main_currency()
    years = gift_years(today, zone)
    return Overview(
        months=months,
        currencies=currencies_by_use(months, main),
        pipeline=pipeline(today, zone),
        greetings=greetings_ahead(today),
        referrers=top_referrers(main=main),
        drifting=drifting_clients(today, zone),
        gift_years=years,
        budget=budget_status(years[-1], gift_budget()),
    )
