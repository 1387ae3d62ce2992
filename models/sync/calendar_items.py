"""What Rapport publishes to a CalDAV server, as iCalendar objects: pure functions.

One object per resource (RFC 4791: one UID a resource). Each has a stable UID made from
the client's UID and what it is about, and a digest of what it is made from, so that a
sync can tell "nothing changed" without building it or asking the server.

Titles carry no private notes: who and what ("Anna & Tom — wedding anniversary"). What
goes into the description is the account's choice (`DESCRIPTIONS`).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from icalendar import Calendar, Event, Todo

from models.exchange.calendar_export import (
    UID_NAMESPACE,
    alarm,
    first_day,
    since_year,
    yearly_event,
)
from models.values.words import QT_TRANSLATE_NOOP

PRODID = "-//Rapport//Client dates//EN"
# Part of every digest: raise it when the same inputs come to make other objects, so that
# the next sync writes them all anew.
FORMAT = 1
FOLLOW_UP_MINUTES = 15  # a follow-up's event: a short slot at its due time

# What the description of a published event holds: the account option "calendar_description".
DESCRIPTIONS = {
    "off": QT_TRANSLATE_NOOP("Vocabulary", "Nothing: titles only"),
    "year": QT_TRANSLATE_NOOP("Vocabulary", "The year a date began (“Born in 1990”)"),
    "words": QT_TRANSLATE_NOOP("Vocabulary", "The year, and the words of a wish"),
}
DEFAULT_DESCRIPTION = "off"


@dataclass(frozen=True)
class Item:
    """One calendar object to publish."""

    uid: str
    digest: str  # of what it is made from: equal digests, nothing to write
    make: Callable[[], bytes]  # the whole VCALENDAR, built only when it is written
    follow_up_id: int | None = None  # a task's follow-up, to close it when done on the server

    @property
    def ics(self) -> bytes:
        return self.make()


@dataclass(frozen=True)
class YearlyDate:
    """An important date with the words for its title."""

    uid: str
    kind: str  # "birthday", "wedding_anniversary", "client_since", "custom"
    month: int
    day: int
    year: int | None
    lead_days: int
    who: str  # "Anna Berger", "Anna & Tom", "Lea (Anna Berger's child)"
    label: str = ""  # a custom date's name
    client_since: date | None = None  # the client came to Rapport: a year-unknown date's start
    more_lead_days: tuple[int, ...] = ()  # further reminders, days before ("a week before")


@dataclass(frozen=True)
class Timing:
    """How the owner is reminded: their reminder time, the leap-day rule, the
    description choice, and the moment of the sync (DTSTAMP)."""

    at: time
    leap_day_rule: str
    description: str
    now: datetime


def item_uid(client_uid: str, *what: str) -> str:
    """A name-based UUID (version 5) from the client's UID and what the object is."""
    return str(uuid.uuid5(UID_NAMESPACE, "\n".join([client_uid, *what])))


def date_title(fact: YearlyDate) -> str:
    """ "Anna & Tom — wedding anniversary", "Lea (Anna Berger's child) — birthday"."""
    what = {
        "birthday": "birthday",
        "wedding_anniversary": "wedding anniversary",
        "client_since": "client anniversary",
    }.get(fact.kind, fact.label or "important date")
    return f"{fact.who} — {what}"


def date_item(fact: YearlyDate, timing: Timing) -> Item:
    """A yearly all-day event. A date whose year is unknown starts in the year the client
    came to Rapport (a leap year's for 29 February): the phone never shows an age or
    "born 1604". Alarms at the owner's reminder time on the day and its lead days before,
    as Rapport's own reminders."""
    start = first_day(fact.month, fact.day, fact.year, fact.client_since or timing.now.date())

    def build() -> Event:
        on_the_day = _since_midnight(timing.at)
        leads = sorted({fact.lead_days, *fact.more_lead_days} - {0}, reverse=True)
        triggers = [on_the_day - timedelta(days=days) for days in leads]
        triggers.append(on_the_day)
        event = yearly_event(
            fact.uid, date_title(fact), start, timing.leap_day_rule, timing.now, triggers
        )
        if fact.year is not None and timing.description != "off":
            event.add("description", since_year(fact.kind, fact.year))
        return event

    # Only what shapes this event: the leap-day rule for 29 February, the description for
    # a date whose year is known.
    rule = timing.leap_day_rule if (fact.month, fact.day) == (2, 29) else ""
    described = fact.year is not None and timing.description != "off"
    return _item(fact.uid, ("date", fact, start, timing.at, rule, described), build)


def follow_up_event(uid: str, who: str, title: str, due_at: datetime, timing: Timing) -> Item:
    """An open follow-up as a short event at its due time, with an alarm then."""
    due_at = due_at.astimezone(UTC)

    def build() -> Event:
        event = _stamped(Event(), uid, f"{who} — {title}", timing)
        event.add("dtstart", due_at)
        event.add("dtend", due_at + timedelta(minutes=FOLLOW_UP_MINUTES))
        event.add_component(alarm(timedelta(0), event["summary"]))
        return event

    return _item(uid, ("follow-up", who, title, due_at), build)


def wish_event(uid: str, who: str, words: str, wanted_by: date, timing: Timing) -> Item:
    """A dated wish as an all-day event on its day. A wish is the client's own words:
    they leave the machine only when the account's description says so."""
    words = words if timing.description == "words" else ""

    def build() -> Event:
        event = _stamped(Event(), uid, f"{who} — a wish for this day", timing)
        event.add("dtstart", wanted_by)
        event.add("dtend", wanted_by + timedelta(days=1))
        event.add("transp", "TRANSPARENT")
        if words:
            event.add("description", words)
        event.add_component(alarm(_since_midnight(timing.at), event["summary"]))
        return event

    return _item(uid, ("wish", who, words, wanted_by, timing.at), build)


def follow_up_task(
    follow_up_id: int,
    uid: str,
    who: str,
    title: str,
    due_at: datetime,
    done_at: datetime | None,
    timing: Timing,
) -> Item:
    """A follow-up as a task (VTODO) due at its time, with an alarm then; completed when
    it is done in Rapport. The alarm is absolute: a task has no start to count from."""
    due_at = due_at.astimezone(UTC)
    done_at = done_at.astimezone(UTC) if done_at is not None else None

    def build() -> Todo:
        task = _stamped(Todo(), uid, f"{who} — {title}", timing)
        task.add("due", due_at)
        if done_at is None:
            task.add("status", "NEEDS-ACTION")
        else:
            task.add("status", "COMPLETED")
            task.add("completed", done_at)
            task.add("percent-complete", 100)
        task.add_component(alarm(due_at, task["summary"]))
        return task

    return _item(uid, ("task", who, title, due_at, done_at), build, follow_up_id)


def completed_at(ics: bytes, now: datetime) -> datetime | None:
    """When a task read from the server was completed (as a phone marks it: STATUS
    COMPLETED, a COMPLETED time, or both), in UTC (`now` when it says no time); None
    while it is open, or when it cannot be read."""
    try:
        calendar = Calendar.from_ical(ics)
    except ValueError:
        return None
    for task in calendar.walk("VTODO"):
        status = str(task.get("status", "")).upper()
        when = task.get("completed")
        if status != "COMPLETED" and when is None:
            return None
        if when is not None and isinstance(when.dt, datetime):
            moment = when.dt
            return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
        return now
    return None


def _since_midnight(at: time) -> timedelta:
    return timedelta(hours=at.hour, minutes=at.minute)


def _stamped(component, uid: str, summary: str, timing: Timing):
    component.add("uid", uid)
    component.add("dtstamp", timing.now)
    component.add("summary", summary)
    return component


def _item(uid: str, inputs: tuple, build, follow_up_id: int | None = None) -> Item:
    """The object and the digest of what it is made from (its inputs, never the moment):
    an idle sync compares digests and builds nothing."""
    digest = hashlib.sha256(repr((FORMAT, inputs)).encode()).hexdigest()
    return Item(uid, digest, lambda: _calendar(build()), follow_up_id)


def _calendar(component) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add_component(component)
    return calendar.to_ical()
