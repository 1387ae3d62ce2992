"""Which reminders fall due when: pure rules, no database and no Qt.

A reminder is one occurrence of something the owner should act on: a yearly
date (its notices `lead_days` and `more_lead_days` before, and on the day itself),
a check-in when a client has not been contacted for their check-in interval, a
follow-up (a session's care step is one), or a gallery about to close.
Each occurrence has a unique key; what was notified, snoozed or done is
recorded under that key, so nothing is delivered twice, across restarts too.

Dates are local calendar dates; the moment a date reminder falls due is the
owner's reminder time on that local day, converted to UTC here.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache, lru_cache, partial
from typing import NamedTuple
from zoneinfo import ZoneInfo

from models.reminders.contact_rhythm import (
    AS_STORED,
    STORED_MARKS,
    DaySplit,
    StoredDays,
    check_in_day,
    day_in_zone,
)
from models.reminders.key import ReminderKey, further_notice
from models.values.partial_dates import ordinal, years_since
from models.values.words import QT_TRANSLATE_NOOP

LEAP_DAY_RULES = {
    "feb28": QT_TRANSLATE_NOOP("Vocabulary", "28 February"),
    "mar1": QT_TRANSLATE_NOOP("Vocabulary", "1 March"),
}


class Reminder(NamedTuple):
    """A tuple: a window builds tens of thousands, and a tuple is built several times
    faster than a frozen dataclass (made positionally by the rules below, which build most)."""

    key: str  # unique per occurrence, e.g. "date:12:2026-11-28:notice"
    client_id: int
    kind: str  # "date", "check_in", "follow_up", "referral", "booking" or "gallery"
    due_at: datetime  # UTC
    occurs_on: date  # the local day it is about: the anniversary, the check-in day
    title: str  # who: "Anna & Tom Berger"
    text: str  # what and why: "5th wedding anniversary on Sat 28 Nov"
    occasion: str = ""  # for a date, its kind: "birthday", "wedding_anniversary"...
    for_family: bool = False  # a family member's date, not the client's own
    # The key an older Rapport gave the same occurrence (a check-in counted in local days):
    # what was recorded under it still counts.
    former_key: str = ""
    template: str = ""  # the message template a care step's Write… starts from

    @property
    def occurrence(self) -> str:
        return occurrence_of(self.key)


# A Reminder made straight from all its fields in order, without the named tuple's own
# constructor (a Python function): a window makes tens of thousands. The fast paths that
# use it are compared with reminders made by name (tests/test_reminder_window_reads.py,
# tests/test_check_in_reminder_fast.py): a field added to Reminder shows there.
_reminder = partial(tuple.__new__, Reminder)


def occurrence_of(key: str) -> str:
    """The key shared by a date's notice and its on-the-day reminder."""
    return ReminderKey.occurrence_text(key)


class DateFacts(NamedTuple):
    """An important date as the rules need it, with the words to describe it (a tuple, as
    a window builds one for each of thousands of dates)."""

    id: int
    client_id: int
    client_name: str
    kind: str
    month: int
    day: int
    year: int | None
    lead_days: int
    label: str = ""
    person: str = ""  # "Maria's child Lea" for a family member's birthday
    couple: str = ""  # "Anna & Tom" for a wedding anniversary
    more_lead_days: tuple[int, ...] = ()  # further notices: a week and a day before

    def notices(self) -> list[tuple[str, int]]:
        """(phase, days before) of every notice, the earliest first, each lead time once."""
        phases = {self.lead_days: "notice"} if self.lead_days else {}
        for days in self.more_lead_days:
            phases.setdefault(days, further_notice(days))
        return sorted(
            ((phase, days) for days, phase in phases.items() if days), key=lambda p: -p[1]
        )


def lead_times(lead_days: int, more_lead_days: str) -> list[int]:
    """Every lead time of a date, days before, the longest first: its `lead_days` (0: on
    the day) and its further notices, each once."""
    return sorted({lead_days, *lead_days_list(more_lead_days)}, reverse=True)


@lru_cache(maxsize=256)  # a window's thousands of dates hold a few such texts
def lead_days_list(text: str) -> tuple[int, ...]:
    """The further lead times stored as "30,1"; a value that is no number is dropped
    (a hand-edited row costs that value, never the date's reminders)."""
    days = []
    for part in text.split(","):
        part = part.strip()
        if part.isdigit() and 0 < int(part) <= 365 and int(part) not in days:
            days.append(int(part))
    return tuple(days)


class ReminderProgress(NamedTuple):
    """What was recorded about a reminder (a tuple: a look at a big studio reads tens of
    thousands)."""

    notified_at: datetime | None = None
    snoozed_until: datetime | None = None
    done_at: datetime | None = None


def resolve_yearly(month: int, day: int, year: int, leap_day_rule: str = "feb28") -> date:
    """The day a yearly date is celebrated in `year`; Feb 29 moves in common years."""
    if (month, day) == (2, 29) and not calendar.isleap(year):
        return date(year, 3, 1) if leap_day_rule == "mar1" else date(year, 2, 28)
    return date(year, month, day)


@lru_cache(maxsize=4096)  # a window's thousands of reminders fall on a few dozen days
def fire_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of wall-clock `at` on local `day`.

    On a DST change the rule is fold=0: a time skipped by the spring change fires
    just after it (02:30 becomes 03:30), a time repeated in autumn fires at its
    first occurrence. Either way exactly one instant, never none and never two.
    """
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def follow_up_due(occurred_at: datetime, days: int, zone: ZoneInfo, at: time) -> datetime:
    """When a follow-up promised `days` after an interaction falls due: at the reminder time."""
    return fire_instant(day_in_zone(occurred_at, zone) + timedelta(days=days), at, zone)


@dataclass(frozen=True)
class ReminderWindow:
    """The local days whose reminders are wanted, and how they are timed."""

    first: date
    last: date
    today: date
    at: time  # the owner's reminder time of day
    zone: ZoneInfo
    leap_day_rule: str = "feb28"


def date_reminders(facts: DateFacts, window: ReminderWindow) -> list[Reminder]:
    """The notice and on-the-day reminders of one date that fall due within the window."""
    return DateReminders(window).of(facts)


# One occurrence of a yearly day in a window: its year, its day (as a date, ISO text and
# words: "on Sat 28 Nov", "today"), and the (phase, fire instant) of each of its notices and
# its day that fall in the window.
_Occurrence = tuple[int, date, str, str, list[tuple[str, datetime]]]


class DateReminders:
    """A window's date reminders, built with what dates of the same day and lead times
    share worked out once: which occurrences and notices fall in the window, and when each
    fires (the window's thousands of dates fall on a few dozen days)."""

    def __init__(self, window: ReminderWindow):
        self._window = window
        self._occurrences: dict[tuple, list[_Occurrence]] = {}

    def of(self, facts: DateFacts) -> list[Reminder]:
        """The notice and on-the-day reminders of the date that fall due within the window."""
        shared = (facts.month, facts.day, facts.lead_days, facts.more_lead_days)
        occurrences = self._occurrences.get(shared)
        if occurrences is None:
            occurrences = self._occurrences[shared] = self._in_window(facts)
        reminders = []
        for year, occurs_on, day_text, when, phases in occurrences:
            if facts.year is not None and year <= facts.year:
                continue  # the day itself (a birth, the wedding) is not an anniversary
            text = describe_date(facts, occurs_on, when)
            for phase, due_at in phases:
                key = ReminderKey.date_text(facts.id, day_text, phase)
                reminders.append(
                    _reminder(
                        (
                            key,
                            facts.client_id,
                            "date",
                            due_at,
                            occurs_on,
                            facts.client_name,
                            text,
                            facts.kind,
                            bool(facts.person),
                            "",
                            "",
                        ),
                    )
                )
        return reminders

    def _in_window(self, facts: DateFacts) -> list[_Occurrence]:
        """The occurrences of the date's month and day with a notice or the day itself in
        the window, whatever the date's year."""
        window = self._window
        occurrences = []
        for year in range(window.first.year, window.last.year + 2):
            occurs_on = resolve_yearly(facts.month, facts.day, year, window.leap_day_rule)
            phases = [(phase, occurs_on - timedelta(days=days)) for phase, days in facts.notices()]
            phases.append(("day", occurs_on))
            due = [
                (phase, fire_instant(day, window.at, window.zone))
                for phase, day in phases
                if window.first <= day <= window.last
            ]
            if due:
                when = day_words(occurs_on, window.today)
                occurrences.append((year, occurs_on, occurs_on.isoformat(), when, due))
        return occurrences


def day_words(occurs_on: date, today: date) -> str:
    """'on Sat 28 Nov', 'today' or 'tomorrow'."""
    if occurs_on == today:
        return "today"
    if occurs_on == today + timedelta(days=1):
        return "tomorrow"
    return _on_day(occurs_on)


def describe_date(facts: DateFacts, occurs_on: date, when: str) -> str:
    """'5th wedding anniversary on Sat 28 Nov', '... today' or '... tomorrow': `when` is
    the day's words (`day_words`)."""
    count = years_since(facts.year, occurs_on.month, occurs_on.day, occurs_on)
    if facts.kind == "birthday":
        who = facts.person or facts.client_name
        if count is None:
            return f"{who}'s birthday {when}"
        return f"{who} turns {count} {when}"
    if facts.kind == "wedding_anniversary":
        what = "Wedding anniversary" if not count else f"{ordinal(count)} wedding anniversary"
        prefix = f"{facts.couple} — " if facts.couple else ""
        return f"{prefix}{what} {when}"
    if facts.kind == "client_since":
        what = "Client anniversary" if not count else f"{_years(count)} as a client"
        return f"{what} {when}"
    label = facts.label or "Important date"
    return f"{label} — {_years(count)} {when}" if count else f"{label} {when}"


@lru_cache(maxsize=1024)
def _on_day(day: date) -> str:
    """'on Sat 28 Nov', made once for each of the few days a window's reminders fall on."""
    return f"on {day:%a} {day.day} {day:%b}"


def _years(count: int) -> str:
    return "1 year" if count == 1 else f"{count} years"


def check_in_reminder(
    client_id: int, client_name: str, check_in_days: int, last_contact: datetime, window
) -> Reminder:
    """The next check-in: the check-in interval counted from the last contact."""
    return CheckIns(window).reminder(
        client_id,
        client_name,
        check_in_days,
        day_in_zone(last_contact, UTC),
        day_in_zone(last_contact, window.zone),
    )


# What the check-ins of the same contact (its UTC and local day) and interval share: whether
# it falls due by the window's last day, its local day, fire instant and words, and the days
# its key and former key name ("" for none).
_Shared = tuple[bool, date, datetime, str, str, str]


class _ContactDay:
    """The check-ins of the contacts of one UTC day at one interval: when the next local
    day begins (as stored text); before it and from it, the local day and what the
    check-ins share (None until met)."""

    __slots__ = ("local_days", "next_starts", "shared", "utc_day")

    def __init__(self, split: DaySplit):
        self.utc_day, before, self.next_starts, after = split
        self.local_days = (before, after)
        self.shared: list[_Shared | None] = [None, None]


class CheckIns:
    """A window's check-ins, built with what they share worked out once (their contacts
    fall on a few thousand days)."""

    def __init__(self, window: ReminderWindow):
        self._window = window
        self._days = StoredDays(window.zone)
        self._shared: dict[tuple[date, date, int], _Shared] = {}
        self._due_days: dict[date, tuple[date, str, datetime]] = {}
        self._contacts: dict[tuple[str, int], _ContactDay] = {}  # by (UTC day text, interval)

    def reminder(
        self,
        client_id: int,
        client_name: str,
        check_in_days: int,
        contacted_utc_day: date,
        contacted_on: date,
    ) -> Reminder:
        """The check-in of a last contact on `contacted_on` (the owner's local day), which was
        `contacted_utc_day` in UTC.

        It falls due on a local day, but its key counts the interval from the contact's UTC
        day: the same check-in keeps its identity (and what was done about it) when the zone
        changes.
        """
        shared = self._share(contacted_utc_day, contacted_on, check_in_days)
        return _check_in(client_id, client_name, shared)

    def of_rows(
        self, rows: Iterable[tuple], name: Callable[[str, str], str]
    ) -> list[tuple[Reminder, ...]]:
        """The check-in of each of `rows` (client id, first name, last name, check-in
        interval, last contact as stored) if it falls due by the window's last day: a
        tuple of it, or an empty one. `name` makes the title."""
        contacts, made = self._contacts, []
        for client_id, first, last, check_in_days, stored in rows:
            # Looked up here, inline: one call fewer for each of 18,000 (text not as Rapport
            # stores it takes the long way, as in StoredDays).
            found = None
            if stored[STORED_MARKS] == AS_STORED:
                found = contacts.get((stored[:10], check_in_days))
            if found is None:
                each = self._first_of_day(stored, check_in_days)
            else:
                side = stored >= found.next_starts  # False: the local day before, True: from
                each = found.shared[side]
                if each is None:
                    each = self._share(found.utc_day, found.local_days[side], check_in_days)
                    found.shared[side] = each
            made.append((_check_in(client_id, name(first, last), each),) if each[0] else ())
        return made

    def _first_of_day(self, stored: str, check_in_days: int) -> _Shared:
        """What the check-in of a contact `stored` shares, the first of its UTC day and
        interval met: kept for the others when its UTC day splits into local days."""
        split = self._days.split_of(stored)
        if split is None:
            return self._share(*self._days.of(stored), check_in_days)
        contact = _ContactDay(split)
        side = stored >= contact.next_starts
        shared = self._share(contact.utc_day, contact.local_days[side], check_in_days)
        contact.shared[side] = shared
        self._contacts[stored[:10], check_in_days] = contact
        return shared

    def _share(self, utc_day: date, local_day: date, check_in_days: int) -> _Shared:
        key = (utc_day, local_day, check_in_days)
        shared = self._shared.get(key)
        if shared is None:
            due_on, due_text, due_at = self._due_day(local_day, check_in_days)
            key_day = due_text  # the same day unless the contact's UTC day was another
            if utc_day != local_day:
                key_day = check_in_day(utc_day, check_in_days).isoformat()
            former = due_text if key_day != due_text else ""
            words = _check_in_words(local_day, check_in_days, self._window.today)
            shared = (due_on <= self._window.last, due_on, due_at, words, key_day, former)
            self._shared[key] = shared
        return shared

    def _due_day(self, contacted_on: date, check_in_days: int) -> tuple[date, str, datetime]:
        """The local day a check-in falls due (as a date and ISO text), and when it fires:
        worked out once per day (the window's check-ins fall due on a few thousand)."""
        due_on = check_in_day(contacted_on, check_in_days)
        found = self._due_days.get(due_on)
        if found is None:
            window = self._window
            found = self._due_days[due_on] = (
                due_on,
                due_on.isoformat(),
                fire_instant(due_on, window.at, window.zone),
            )
        return found


def _check_in(client_id: int, client_name: str, shared: _Shared) -> Reminder:
    _, due_on, due_at, words, key_day, former = shared
    return _reminder(
        (
            ReminderKey.check_in_text(client_id, key_day),
            client_id,
            "check_in",
            due_at,
            due_on,
            client_name,
            f"Check in with {client_name.split()[0]} — {words}",
            "",
            False,
            ReminderKey.check_in_text(client_id, former) if former else "",
            "",
        ),
    )


def _check_in_words(contacted_on: date, check_in_days: int, today: date) -> str:
    """What a check-in says of the last contact."""
    ago = (today - contacted_on).days
    since = "today" if ago == 0 else ("yesterday" if ago == 1 else f"{ago} days ago")
    return f"last contact {since}, every {check_in_days} days"


def follow_up_key(follow_up_id: int, due_at: datetime) -> str:
    return ReminderKey.follow_up_text(follow_up_id, due_at)


def follow_up_reminder(
    follow_up_id: int,
    client_id: int,
    client_name: str,
    title: str,
    due_at: datetime,
    zone,
    template: str = "",
    care_step: bool = False,
) -> Reminder:
    local, due_at = due_at.astimezone(zone), due_at.astimezone(UTC)
    return Reminder(
        key=follow_up_key(follow_up_id, due_at),
        client_id=client_id,
        kind="follow_up",
        due_at=due_at,
        occurs_on=local.date(),
        title=client_name,
        text=f"{title} — due {local.hour:02}:{local.minute:02}",  # strftime: see key._minute
        occasion="care_step" if care_step else "",
        template=template,
    )


@dataclass(frozen=True)
class ReferralFacts:
    referred_id: int
    referred_name: str
    referrer_id: int
    referrer_name: str


def referral_reminder(
    facts: ReferralFacts, referrer_short: str, referred_at: datetime, zone: ZoneInfo
) -> Reminder:
    """Thank the referrer, from the moment the referral was recorded: the reminder is the
    referrer's (Open, Write… and Done act on them)."""
    return Reminder(
        key=str(ReminderKey.referral(facts.referred_id, facts.referrer_id)),
        client_id=facts.referrer_id,
        kind="referral",
        due_at=referred_at.astimezone(UTC),
        occurs_on=day_in_zone(referred_at, zone),
        title=facts.referrer_name,
        text=f"Thank {referrer_short} for referring {facts.referred_name}",
    )


@dataclass(frozen=True)
class BookingFacts:
    """A booked session as the rules need it."""

    id: int
    client_id: int
    client_name: str
    what: str  # "Session", "Wedding session"
    starts_at: datetime  # UTC
    place: str = ""


# On the day, a session is reminded at the owner's reminder time, or this long before it
# starts when that is earlier (a sunrise shoot at 07:00).
BOOKING_DAY_LEAD = timedelta(hours=2)


def booking_reminders(facts: BookingFacts, window: ReminderWindow) -> list[Reminder]:
    """A booked session's reminders: the day before at the reminder time (its notice),
    and on the day; those that fall due by the window's last day."""
    day = day_in_zone(facts.starts_at, window.zone)
    due = {
        "notice": fire_instant(day - timedelta(days=1), window.at, window.zone),
        "day": min(fire_instant(day, window.at, window.zone), facts.starts_at - BOOKING_DAY_LEAD),
    }
    return [
        Reminder(
            key=str(ReminderKey.booking(facts.id, facts.starts_at, phase)),
            client_id=facts.client_id,
            kind="booking",
            due_at=due_at,
            occurs_on=day,
            title=facts.client_name,
            text=describe_booking(facts, window.today, window.zone),
        )
        for phase, due_at in due.items()
        if day_in_zone(due_at, window.zone) <= window.last
    ]


def describe_booking(facts: BookingFacts, today: date, zone: ZoneInfo) -> str:
    """ "Session with Anna Berger tomorrow 10:00 · Schloss Nymphenburg", in local time."""
    local = facts.starts_at.astimezone(zone)
    when = f"on {local:%a} {local.day} {local:%b}"
    if local.date() == today:
        when = "today"
    elif local.date() == today + timedelta(days=1):
        when = "tomorrow"
    text = f"{facts.what} with {facts.client_name} {when} {local:%H:%M}"
    return f"{text} · {facts.place}" if facts.place else text


SNOOZE_CHOICES = {
    "hour": QT_TRANSLATE_NOOP("Vocabulary", "1 hour"),
    "tomorrow": QT_TRANSLATE_NOOP("Vocabulary", "Tomorrow"),
    "next_week": QT_TRANSLATE_NOOP("Vocabulary", "Next week"),
}


# A snooze never ends sooner than this: one to "tomorrow" at 23:30, with reminders at
# 00:15, would be back in 45 minutes.
SHORTEST_SNOOZE = timedelta(hours=1)


def snooze_until(choice: str, now: datetime, zone: ZoneInfo, at: time) -> datetime:
    """The end of a snooze, the one meaning of each choice wherever it is made:

    - "hour": an hour from now;
    - "tomorrow" (Today's "Tomorrow" and a notification's "Snooze 1 day"): tomorrow at the
      owner's reminder time, when the day's reminders come, but never sooner than an hour
      from now;
    - "next_week": the reminder time seven days from today.
    """
    if choice == "hour":
        return now + SHORTEST_SNOOZE
    days = {"tomorrow": 1, "next_week": 7}[choice]
    return max(
        fire_instant(day_in_zone(now, zone) + timedelta(days=days), at, zone), now + SHORTEST_SNOOZE
    )


# What a notification's "Snooze 1 day" means.
NOTIFICATION_SNOOZE = "tomorrow"


@dataclass(frozen=True)
class DoneLog:
    """What Done on a reminder logs on the client, as an interaction kind."""

    choices: tuple[str, ...]  # offered on Today; none: Done only closes it
    without_asking: str | None  # logged by a notification's Done, which cannot ask
    dismissable: bool = False  # Today also offers to close it logging nothing


_GREETING_OR_CHECK_IN = ("card", "message", "call", "email", "gift", "meeting")


def done_log(reminder_kind: str) -> DoneLog:
    """A greeting is usually a message, a check-in a call; a follow-up logs nothing (closing
    it is what was done; what the owner did is logged on its own)."""
    if reminder_kind == "date":
        return DoneLog(_GREETING_OR_CHECK_IN, "message")
    if reminder_kind == "check_in":
        return DoneLog(_GREETING_OR_CHECK_IN, "call")
    if reminder_kind == "referral":  # a thank-you, or a gift; or no thanks at all
        return DoneLog(_GREETING_OR_CHECK_IN, "message", dismissable=True)
    return DoneLog((), None)


def fires_at(reminder: Reminder, state: ReminderProgress | None) -> datetime:
    """When the reminder (next) falls due: its own time, or the end of its snooze."""
    if state and state.snoozed_until:
        return state.snoozed_until
    return reminder.due_at


def is_open(state: ReminderProgress | None) -> bool:
    return state is None or state.done_at is None


# How far ahead of now a delivery's stamp may be and still count: the most a clock read in
# the wrong zone errs (a machine booted with its clock in UTC+14 taken for UTC-12), more
# than a clock an hour or two fast that NTP sets right soon after. The owner saw those.
CLOCK_SET_RIGHT = timedelta(hours=26)


def was_notified(state: ReminderProgress | None, now: datetime) -> bool:
    """Notified by `now`, or stamped at most CLOCK_SET_RIGHT later by a clock since set
    back: told at 11:30 by a clock two hours fast, it is not told again at 09:30. A
    delivery stamped further ahead happened while the clock was set wrong by hand (a year
    ahead, then back): it does not count, or the reminder would stay silent on its real
    day."""
    return (
        state is not None
        and state.notified_at is not None
        and state.notified_at <= now + CLOCK_SET_RIGHT
    )


def to_notify(
    reminders: list[Reminder], states: dict[str, ReminderProgress], now: datetime
) -> list[Reminder]:
    """Reminders due by `now` that were neither done nor already notified."""
    due = []
    for reminder in reminders:
        state = states.get(reminder.key)
        if not was_notified(state, now) and is_open(state) and fires_at(reminder, state) <= now:
            due.append(reminder)
    return sorted(due, key=lambda r: (r.due_at, r.key))


def first_of_each_occurrence(
    reminders: Iterable[Reminder], states: dict[str, ReminderProgress]
) -> Iterator[tuple[Reminder, ReminderProgress | None]]:
    """The open reminders, each with its state, in the order they fire (then by key), only
    the first of each occurrence: the one home of which of a date's notices and its day
    stands for the occasion, on Today and in a notification."""
    seen: set[str] = set()
    for reminder in sorted(reminders, key=lambda r: (fires_at(r, states.get(r.key)), r.key)):
        state, occurrence = states.get(reminder.key), reminder.occurrence
        if is_open(state) and occurrence not in seen:
            seen.add(occurrence)
            yield reminder, state


def to_tell(fresh: list[Reminder], states: dict[str, ReminderProgress]) -> list[Reminder]:
    """Of the reminders falling due at one look (`to_notify`'s), those to notify: one per
    occurrence, chosen as Today chooses the one it lists. A notice snoozed to the day
    itself, or a look after a day asleep, finds a date's notice and its day due at once:
    one occasion, one notification (the others are recorded as notified all the same, so
    none comes later)."""
    return [reminder for reminder, _ in first_of_each_occurrence(fresh, states)]


def next_fire_time(
    reminders: list[Reminder], states: dict[str, ReminderProgress], now: datetime
) -> datetime | None:
    """The earliest moment after `now` at which some open reminder falls due."""
    upcoming = [
        fires_at(r, states.get(r.key))
        for r in reminders
        if is_open(states.get(r.key)) and fires_at(r, states.get(r.key)) > now
    ]
    return min(upcoming, default=None)


@dataclass(frozen=True)
class TodayList:
    """What Today lists; the one home of that rule (the window and `main.py today`)."""

    overdue: list[Reminder]  # the reminder and its event are both past
    today: list[Reminder]  # to do now: due today, or due earlier for an event still to come
    coming: list[Reminder]  # falls due in the next days
    snoozed_until: dict[str, datetime] = field(default_factory=dict)  # listed key -> UTC

    def count_due(self) -> int:
        return len(self.overdue) + len(self.today)

    def fires_at(self, reminder: Reminder) -> datetime:
        """When the listed reminder falls due: its own time, or the end of its snooze."""
        return self.snoozed_until.get(reminder.key, reminder.due_at)

    def snoozed(self, reminder: Reminder, now: datetime) -> datetime | None:
        """Until when the listed reminder is snoozed, if that is still to come."""
        until = self.snoozed_until.get(reminder.key)
        return until if until is not None and until > now else None

    def reminder_since(self, reminder: Reminder, today: date, zone: ZoneInfo) -> date | None:
        """The past day a listed reminder fell due, where that is not its event's day (a
        notice a week before an anniversary, a snooze that ended); else None."""
        started = day_in_zone(self.fires_at(reminder), zone)
        return started if started < today and started != reminder.occurs_on else None


def today_list(
    reminders: list[Reminder],
    states: dict[str, ReminderProgress],
    now: datetime,
    zone: ZoneInfo,
    days_ahead: int = 7,
) -> TodayList:
    """Open reminders grouped for the Today view, one entry per occurrence.

    A date's notice and its on-the-day reminder are one occasion for the owner:
    only the earlier open one is listed. Nothing whose event is still to come is
    overdue: a notice that fell due last week for an anniversary on Thursday is to
    do now.
    """
    today = day_in_zone(now, zone)
    last = today + timedelta(days=days_ahead)
    # The window's tens of thousands of reminders fire at a few hundred instants.
    local_day = cache(partial(day_in_zone, zone=zone))
    groups: dict[str, list[Reminder]] = {"overdue": [], "today": [], "coming": []}
    snoozed: dict[str, datetime] = {}
    for reminder, state in first_of_each_occurrence(reminders, states):
        day = local_day(fires_at(reminder, state))
        if day > last:
            break  # the rest fire later still
        if day > today:
            group = "coming"
        elif day == today or reminder.occurs_on >= today:
            group = "today"
        else:
            group = "overdue"
        groups[group].append(reminder)
        if state is not None and state.snoozed_until is not None:
            snoozed[reminder.key] = state.snoozed_until
    return TodayList(**groups, snoozed_until=snoozed)
