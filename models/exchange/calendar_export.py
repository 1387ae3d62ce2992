"""The clients' birthdays, anniversaries and other yearly dates as an iCalendar file.

Each important date is one yearly all-day event with an alarm at each lead time, so a
calendar app shows and reminds them too. The rules are Rapport's own: a date whose
year is unknown never shows an age (no event does: a yearly event has one title), and
29 February falls on the 28th or on 1 March in other years, as set in Rapport.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

from icalendar import Alarm, Calendar, Event, vRecur
from peewee import JOIN

from models.reminders.rules import lead_times
from models.store.entities import Client, FamilyMember, ImportantDate
from models.store.private_files import replacing
from models.store.settings import leap_day_rule
from models.values.folding import fold
from models.values.kinds import IMPORTANT_DATE_KINDS, RELATIONS

PRODID = "-//Rapport//Client dates//EN"
SINCE = {"birthday": "Born in", "wedding_anniversary": "Married in", "client_since": "Client since"}
# Event UIDs are name-based UUIDs (RFC 4122 version 5) in a namespace of Rapport's own.
UID_NAMESPACE = uuid.UUID("5f0c3a0e-8d1b-4f5e-9c56-2a7e1b4d9c11")
ONE_A_YEAR = ("birthday", "wedding_anniversary", "client_since")


def yearly_rule(month: int, day: int, rule: str) -> vRecur:
    """Every year on the day; 29 February as the last day of February ("feb28") or as
    the 60th day of the year ("mar1": 1 March in common years)."""
    if (month, day) != (2, 29):
        return vRecur(freq="YEARLY")
    if rule == "mar1":
        return vRecur(freq="YEARLY", byyearday=60)
    return vRecur(freq="YEARLY", bymonth=2, bymonthday=-1)


def first_day(month: int, day: int, year: int | None, today: date) -> date:
    """The day the yearly event starts from: the date itself when its year is known,
    else this year's (a leap year's for 29 February)."""
    if year is not None:
        return date(year, month, day)
    start_year = today.year
    while (month, day) == (2, 29) and not _is_leap(start_year):
        start_year -= 1
    return date(start_year, month, day)


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def title(kind: str, label: str, client: str, person: str) -> str:
    """ "Birthday: Lea (Maria Weber's child)", "Wedding anniversary: Anna Berger"."""
    what = label or IMPORTANT_DATE_KINDS[kind]
    return f"{what}: {person or client}"


def dates_calendar(today: date, now: datetime) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Rapport: client dates")
    rule = leap_day_rule()
    query = (
        ImportantDate.select(ImportantDate, Client, FamilyMember)
        .join(Client)
        .switch(ImportantDate)
        .join(FamilyMember, JOIN.LEFT_OUTER)
        .order_by(ImportantDate.id)
    )
    used: set[str] = set()
    for row in query:
        calendar.add_component(_event(row, rule, today, now, event_uid(row, used)))
    return calendar


def event_uid(row: ImportantDate, used: set[str]) -> str:
    """The date's UID: the same in every export, its own in every database. It is made
    from the client's UID and what the date is (whose birthday; another date by its name
    and day), not from the row's number, which another database has too; correcting a
    birthday keeps its event."""
    whose = fold(row.family_member.name) if row.family_member_id else ""
    what = (
        [row.kind]
        if row.kind in ONE_A_YEAR
        else [row.kind, fold(row.label), f"{row.month}-{row.day}"]
    )
    identity = "\n".join([row.client.uid, whose, *what])
    uid, repeat = str(uuid.uuid5(UID_NAMESPACE, identity)), 1
    while uid in used:  # two family members of one name: their birthdays stay apart
        repeat += 1
        uid = str(uuid.uuid5(UID_NAMESPACE, f"{identity}\n{repeat}"))
    used.add(uid)
    return uid


def _event(row: ImportantDate, rule: str, today: date, now: datetime, uid: str) -> Event:
    client = row.client.full_name
    person = ""
    if row.family_member_id:
        relation = RELATIONS[row.family_member.relation].lower()
        person = f"{row.family_member.name} ({client}'s {relation})"
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", now)
    event.add("summary", title(row.kind, row.label, client, person))
    start = first_day(row.month, row.day, row.year, today)
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(days=1))
    event.add("rrule", yearly_rule(row.month, row.day, rule))
    event.add("transp", "TRANSPARENT")  # a reminder, not a busy day
    if row.year is not None:
        event.add("description", f"{SINCE.get(row.kind, 'Since')} {row.year}")
    for lead_days in lead_times(row.lead_days, row.more_lead_days):  # a VALARM each
        event.add_component(_alarm(lead_days, event["summary"]))
    return event


def _alarm(lead_days: int, summary: str) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    alarm.add("trigger", -timedelta(days=lead_days))
    return alarm


def write_calendar(target: Path, today: date, now: datetime) -> int:
    """Write every important date to `target` (all or nothing); how many were written."""
    calendar = dates_calendar(today, now)
    with replacing(target, "wb") as out:
        out.write(calendar.to_ical())
    return len(calendar.subcomponents)
