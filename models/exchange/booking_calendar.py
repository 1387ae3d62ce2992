"""The photographer's booking calendar, read into booked sessions.

Events are read from iCalendar text (an ICS file, an https address, a CalDAV calendar),
recurring ones expanded over the coming year. An event whose attendee has a client's
email address, or whose title names one client ("Shoot Anna Berger"), is offered as a
booked session, or booked at once for a calendar the owner said "always" for. Each event
is one booking, known by its UID (and RECURRENCE-ID for one occurrence of a series): read
again, a moved event moves its booking, a cancelled or vanished one cancels it; a session
already held stays history.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from models.clients.bookings import OPEN_STATES, USUAL_LENGTH, booking_facts
from models.reminders.rules import describe_booking
from models.store.database import db
from models.store.entities import Booking, Client, ContactDetail, Setting
from models.store.settings import get_setting, set_setting
from models.values.folding import fold
from models.values.plain_text import one_line

# What is read: what is still to come in the next year (and a day back, so a session
# running now is still seen and not taken for cancelled).
READ_BEHIND = timedelta(days=1)
READ_AHEAD = timedelta(days=400)
# The calendar the owner named in Settings (a file or an address): its bookings' calendar.
SETTINGS_CALENDAR = "ics"
_ALWAYS = "booking_calendars_always"  # the calendars whose matching events are booked at once
_LONGEST_NAME = 4  # words: a client's name is looked for in runs of up to this many words
_FETCH_SECONDS = 20
READ_EVERY = timedelta(minutes=15)
_WEDDING = ("wedding", "hochzeit", "mariage", "boda", "matrimonio", "bruiloft")


class CalendarError(Exception):
    """Why the calendar could not be read, in a sentence for the owner."""


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    recurrence_id: str  # "" for an event that is not one of a series
    starts_at: datetime  # UTC
    ends_at: datetime  # UTC
    summary: str
    place: str = ""
    attendees: tuple[str, ...] = ()  # email addresses, folded
    cancelled: bool = False


@dataclass
class CalendarReport:
    offered: int = 0
    booked: int = 0
    moved: int = 0
    cancelled: int = 0
    skipped: list[str] = field(default_factory=list)  # events that could not be read, why

    def summary(self) -> str:
        """ "2 sessions to confirm, 1 booked, 1 moved, 1 cancelled", or "Nothing new"."""
        parts = [
            f"{count} {words}"
            for count, words in (
                (self.offered, "to confirm"),
                (self.booked, "booked"),
                (self.moved, "moved"),
                (self.cancelled, "cancelled"),
                (len(self.skipped), "not readable"),
            )
            if count
        ]
        return ", ".join(parts) if parts else "Nothing new"


def read_events(
    data: bytes | str, now: datetime, zone: ZoneInfo
) -> tuple[list[CalendarEvent], list[str]]:
    """The events (one per occurrence) that are not over by `now` - READ_BEHIND and start
    within READ_AHEAD, and why any could not be read. A time without a zone is the owner's.
    All-day events are no session with a time and are left out; an event that cannot be
    read costs only itself; text that is no calendar raises CalendarError."""
    # Loaded when a calendar is read, not when the window opens (tests/test_lazy_imports.py).
    import icalendar
    import recurring_ical_events

    try:
        calendar = icalendar.Calendar.from_ical(data)
        occurrences = recurring_ical_events.of(calendar, skip_bad_series=True).between(
            now - READ_BEHIND, now + READ_AHEAD
        )
    except (ValueError, TypeError, KeyError, IndexError) as error:
        raise CalendarError(f"This is not a calendar Rapport can read ({error}).") from error
    # The expansion names an occurrence of any event by its start; only one of a series
    # needs it, and a single event's must not change when the event moves.
    series = {
        str(component.get("UID", "")).strip()
        for component in calendar.walk("VEVENT")
        if {"RRULE", "RDATE", "RECURRENCE-ID"} & set(component)
    }
    events, skipped = [], []
    for occurrence in occurrences:
        if occurrence.name != "VEVENT":
            continue
        try:
            event = _event(occurrence, zone, series)
        except (ValueError, TypeError, KeyError, AttributeError) as error:
            skipped.append(f"{occurrence.get('SUMMARY', 'An event')}: {error}")
            continue
        if event is not None:
            events.append(event)
    return events, skipped


def _event(component, zone: ZoneInfo, series: set[str]) -> CalendarEvent | None:
    uid = str(component.get("UID", "")).strip()
    starts = component["DTSTART"].dt
    if not uid or not isinstance(starts, datetime):
        return None  # no identity to follow, or an all-day event
    ends = component["DTEND"].dt if "DTEND" in component else None
    if not isinstance(ends, datetime):
        ends = starts + (component["DURATION"].dt if "DURATION" in component else USUAL_LENGTH)
    return CalendarEvent(
        uid=uid,
        recurrence_id=_recurrence_id(component.get("RECURRENCE-ID"), zone) if uid in series else "",
        starts_at=_instant(starts, zone),
        ends_at=max(_instant(ends, zone), _instant(starts, zone)),
        summary=one_line(str(component.get("SUMMARY", ""))).strip(),
        place=one_line(str(component.get("LOCATION", ""))).strip(),
        attendees=tuple(_attendees(component)),
        cancelled=str(component.get("STATUS", "")).upper() == "CANCELLED",
    )


def _recurrence_id(recurrence, zone: ZoneInfo) -> str:
    """Which occurrence of a series, in UTC (a zone change leaves it the same); ""."""
    if recurrence is None:
        return ""
    if isinstance(recurrence.dt, datetime):
        return _instant(recurrence.dt, zone).strftime("%Y%m%dT%H%M%SZ")
    return recurrence.dt.isoformat()


def _instant(moment: datetime | date, zone: ZoneInfo) -> datetime:
    if moment.tzinfo is None:  # floating time: the owner's wall clock
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(UTC).replace(microsecond=0)


def _attendees(component) -> Iterable[str]:
    found = component.get("ATTENDEE", [])
    for address in found if isinstance(found, list) else [found]:
        text = str(address)
        if text.lower().startswith("mailto:"):
            yield fold(text[len("mailto:") :].strip())


# --- Which client an event is with ---------------------------------------------------


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", fold(text))


class ClientMatcher:
    """Finds the one client an event is with: by an attendee's email address, else by a
    client's whole name in the title. A name or address shared by several clients names
    none of them."""

    def __init__(self) -> None:
        self.by_email: dict[str, int | None] = {}
        emails = ContactDetail.select(ContactDetail.client, ContactDetail.value).where(
            ContactDetail.kind == "email"
        )
        for client_id, email in emails.tuples():
            self._add(self.by_email, fold(email.strip()), client_id)
        self.by_name: dict[str, int | None] = {}
        names = Client.select(Client.id, Client.first_name, Client.last_name, Client.preferred_name)
        for client_id, first, last, preferred in names.tuples():
            for given in {first, preferred} - {""}:
                words = _words(f"{given} {last}")
                if len(words) >= 2:  # a first name alone says too little
                    self._add(self.by_name, " ".join(words), client_id)

    @staticmethod
    def _add(found: dict[str, int | None], key: str, client_id: int) -> None:
        found[key] = client_id if found.get(key, client_id) == client_id else None

    def client_for(self, event: CalendarEvent) -> int | None:
        by_email = {self.by_email.get(address) for address in event.attendees} - {None}
        if by_email:
            return by_email.pop() if len(by_email) == 1 else None
        words = _words(event.summary)
        named = {
            self.by_name.get(" ".join(words[start : start + length]))
            for length in range(2, _LONGEST_NAME + 1)
            for start in range(len(words) - length + 1)
        } - {None}
        return named.pop() if len(named) == 1 else None


def session_kind(event: CalendarEvent) -> str:
    return "wedding" if any(word in _WEDDING for word in _words(event.summary)) else "session"


# --- Applying what the calendar says -------------------------------------------------


def always_books(calendar: str) -> bool:
    return calendar in _always_calendars()


def _always_calendars() -> list[str]:
    row = Setting.get_or_none(Setting.key == _ALWAYS)
    return row.value.splitlines() if row else []


def book_always(calendar: str) -> None:
    """From now on, book this calendar's matching events without asking; and the ones on
    offer now."""
    with db.atomic():
        kept = [*_always_calendars(), calendar] if not always_books(calendar) else None
        if kept is not None:
            Setting.insert(key=_ALWAYS, value="\n".join(kept)).on_conflict_replace().execute()
        Booking.update(status="booked").where(
            (Booking.calendar == calendar) & (Booking.status == "offered")
        ).execute()


def apply_events(
    calendar: str, events: list[CalendarEvent], now: datetime, report: CalendarReport | None = None
) -> CalendarReport:
    """Bring the bookings from `calendar` in line with its events, read at `now`, in one
    transaction: new matching events offered (or booked), moved ones moved, cancelled or
    vanished ones cancelled. Nothing that has begun by `now` is offered or changed."""
    report = report or CalendarReport()
    always = always_books(calendar)
    matcher = ClientMatcher()
    with db.atomic():
        known = {
            (row.event_uid, row.recurrence_id): row
            for row in Booking.select().where(
                (Booking.calendar == calendar) & (Booking.event_uid != "")
            )
        }
        seen = set()
        for event in events:
            key = (event.uid, event.recurrence_id)
            seen.add(key)
            row = known.get(key)
            if row is None:
                _offer(calendar, event, now, always, matcher, report)
            elif row.starts_at > now:
                _follow(row, event, always, report)
        _cancel_vanished(calendar, known, seen, now, report)
    return report


def _offer(calendar, event, now, always, matcher, report) -> None:
    if event.cancelled or event.starts_at <= now:
        return
    client_id = matcher.client_for(event)
    if client_id is None:
        return
    Booking.create(
        client=client_id,
        kind=session_kind(event),
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        place=event.place,
        summary=event.summary,
        status="booked" if always else "offered",
        calendar=calendar,
        event_uid=event.uid,
        recurrence_id=event.recurrence_id,
    )
    if always:
        report.booked += 1
    else:
        report.offered += 1


def _follow(row: Booking, event: CalendarEvent, always: bool, report: CalendarReport) -> None:
    """A known event read again: cancelled, moved, or back after a cancellation."""
    if event.cancelled:
        if row.status in OPEN_STATES:
            row.status = "cancelled"
            row.save()
            report.cancelled += 1
        return
    if row.status == "cancelled":
        row.status = "booked" if always else "offered"
        report.booked += always
        report.offered += not always
    elif (row.starts_at, row.ends_at, row.place) != (event.starts_at, event.ends_at, event.place):
        report.moved += row.status in OPEN_STATES
    else:
        return
    row.starts_at, row.ends_at, row.place = event.starts_at, event.ends_at, event.place
    row.save()


def _cancel_vanished(calendar, known, seen, now, report) -> None:
    """An open booking still to come whose event is gone from what was read (deleted in
    the calendar) is cancelled; one beyond the read year may just not have been read."""
    horizon = now + READ_AHEAD
    for key, row in known.items():
        if (
            key not in seen
            and row.status in OPEN_STATES
            and now < row.starts_at < horizon - timedelta(days=1)
        ):
            row.status = "cancelled"
            row.save()
            report.cancelled += 1


def read_calendar(calendar: str, data: bytes | str, now: datetime, zone: ZoneInfo):
    """Read iCalendar text and apply it: what changed, and what could not be read."""
    events, skipped = read_events(data, now, zone)
    return apply_events(calendar, events, now, CalendarReport(skipped=skipped))


# --- The calendar named in Settings: a file, or an address --------------------------


def _address(source: str) -> str:
    source = source.strip()
    if source.lower().startswith("webcal://"):
        return "https://" + source[len("webcal://") :]
    return source


def source_problem(source: str) -> str | None:
    """Why `source` (as typed in Settings) can be no booking calendar, or None. Plain http
    only to this machine: a calendar of clients' names does not cross a network in the
    clear."""
    source = _address(source)
    address = urlsplit(source)
    if not source or address.scheme == "https":
        return None
    if address.scheme == "http":
        if address.hostname in ("127.0.0.1", "localhost", "::1"):
            return None
        return "Rapport reads a calendar address only over https."
    if not Path(source).expanduser().is_file():
        return f"There is no calendar file {source}: an .ics file, or an https:// address."
    return None


def fetch_source(source: str) -> bytes:
    """The ICS text at `source`: a file path, or an https (webcal) address."""
    source = _address(source)
    if urlsplit(source).scheme in ("http", "https"):
        problem = source_problem(source)
        if problem:
            raise CalendarError(problem)
        # Here, not at the top: urllib with ssl costs the window's first paint 25 ms.
        import urllib.error
        import urllib.request

        try:
            with urllib.request.urlopen(source, timeout=_FETCH_SECONDS) as response:
                return response.read()
        except urllib.error.HTTPError as error:
            raise CalendarError(
                f"The calendar address answered {error.code} {error.reason}."
            ) from error
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise CalendarError(f"The calendar address could not be reached ({reason}).") from error
    try:
        return Path(source).expanduser().read_bytes()
    except OSError as error:
        raise CalendarError(f"Rapport could not read {source}: {error.strerror}.") from error


def read_settings_calendar(now: datetime, zone: ZoneInfo) -> CalendarReport | None:
    """Read the calendar named in Settings, when it is due: never read, named anew, last
    read READ_EVERY ago or more, or "later" than `now` (the clock went back). What came of
    it is kept as a sentence for Settings; a calendar that cannot be read changes nothing."""
    source = get_setting("booking_calendar").strip()
    read_at, read_source, _said = last_read()
    if not source or (
        read_source == source and read_at is not None and read_at <= now < read_at + READ_EVERY
    ):
        return None
    try:
        report = read_calendar(SETTINGS_CALENDAR, fetch_source(source), now, zone)
        said = report.summary()
    except CalendarError as error:
        report, said = None, str(error)
    set_setting("booking_calendar_read", f"{now.astimezone(UTC).isoformat()}\n{source}\n{said}")
    return report


def last_read() -> tuple[datetime | None, str, str]:
    """When the calendar named in Settings was last read, which one, and what came of it."""
    parts = get_setting("booking_calendar_read").split("\n", 2)
    if len(parts) != 3:
        return None, "", ""
    try:
        return datetime.fromisoformat(parts[0]), parts[1], parts[2]
    except ValueError:
        return None, parts[1], parts[2]


@dataclass(frozen=True)
class OfferedSession:
    """A session a calendar offers, as Today shows it."""

    booking_id: int
    client_id: int
    calendar: str
    text: str  # "Session with Anna Berger on Sat 12 Dec 10:00 · Schloss Nymphenburg"
    title: str  # the event's own title


OFFERS_SHOWN = 20  # on Today at once; the client's page lists every one


def offers(now: datetime, zone: ZoneInfo) -> list[OfferedSession]:
    """The sessions a calendar offers, still to come, soonest first."""
    query = (
        Booking.select(Booking, Client)
        .join(Client)
        .where((Booking.status == "offered") & (Booking.starts_at > now.astimezone(UTC)))
        .order_by(Booking.starts_at, Booking.id)
        .limit(OFFERS_SHOWN)
    )
    today = now.astimezone(zone).date()
    return [
        OfferedSession(
            booking_id=row.id,
            client_id=row.client_id,
            calendar=row.calendar,
            text=describe_booking(booking_facts(row, row.client.full_name), today, zone),
            title=row.summary,
        )
        for row in query
    ]
