"""Last contact, check-in and drifting: the one home of these rules.

The last contact is the client's latest interaction, or when they were added if there is
none. Everything is counted in the owner's LOCAL days: a call at 23:30 in Hamburg was on
that day, whatever its UTC day. Each rule comes twice, as Python (a client page, a
reminder) and as SQL (a filter over 100,000 clients), built from the same constants;
tests/test_contact_rhythm.py checks that both forms agree.

- check-in: due `check_in_days` after the local day of the last contact; overdue
  once more days than that have passed.
- drifting: not a past client, and either no contact for `drifting_after_months` whole
  months, or a check-in overdue by more than half its interval.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo

from peewee import Value, fn

from models.store.entities import Client, Interaction
from models.values.partial_dates import months_before, months_between

# Drifting when a check-in is overdue by more than OVERDUE_SHARE of its check-in interval:
# days since * DENOMINATOR > check_in_days * (NUMERATOR + DENOMINATOR), in whole numbers, as
# SQL compares them (peewee would round a 1.5 to the column's type).
OVERDUE_SHARE = (1, 2)

# --- Python ---------------------------------------------------------------------------------


def day_in_zone(instant: datetime, zone: tzinfo | None = None) -> date:
    """The owner's day of `instant`: in `zone`, or the machine's zone when None."""
    return (instant.astimezone(zone) if zone is not None else instant.astimezone()).date()


def last_contact(client_id: int) -> datetime | None:
    """The client's latest interaction (UTC), or None."""
    latest = (
        Interaction.select(Interaction.occurred_at)
        .where(Interaction.client == client_id)
        .order_by(Interaction.occurred_at.desc())
        .first()
    )
    return latest.occurred_at if latest else None


def contacted_at(client: Client) -> datetime:
    """When the client last heard from the owner: the latest interaction, else when added."""
    return last_contact(client.id) or client.created_at


def check_in_day(contacted_on: date, check_in_days: int) -> date:
    """The local day the next check-in falls due."""
    return contacted_on + timedelta(days=check_in_days)


def check_in_overdue(contacted_on: date, check_in_days: int | None, today: date) -> bool:
    """More days have passed since the last contact than the client's check-in interval."""
    if check_in_days is None or check_in_days <= 0:
        return False
    return today > check_in_day(contacted_on, check_in_days)


def drifting_reason(
    contacted_on: date, check_in_days: int | None, today: date, after_months: int
) -> str | None:
    """Why the client is drifting and what to do, or None: no contact for `after_months`,
    or a check-in overdue by more than half its interval (a past client is never asked)."""
    months = months_between(contacted_on, today)
    if months >= after_months:
        return f"Last contact {months} months ago — send a note"
    overdue = (today - contacted_on).days - (check_in_days or 0)
    if check_in_days is not None and check_in_days > 0 and _well_overdue(overdue, check_in_days):
        return f"Check-in overdue by {overdue} days — call or write"
    return None


def is_drifting(
    stage: str, contacted_on: date, check_in_days: int | None, today: date, after_months: int
) -> bool:
    """A past client has moved on on purpose; anyone else may be drifting."""
    if stage == "past":
        return False
    return drifting_reason(contacted_on, check_in_days, today, after_months) is not None


def _well_overdue(overdue: int, check_in_days: int) -> bool:
    numerator, denominator = OVERDUE_SHARE
    return overdue * denominator > check_in_days * numerator


# --- SQL, over the Client table -------------------------------------------------------------


def last_contact_sql():
    """The client's latest interaction, as stored UTC text, or NULL: the column the
    database's triggers keep (models/store/migrations.py), equal to `last_contact`."""
    return Client.last_contact_at


def contacted_at_sql():
    """When the client last heard from the owner, as stored UTC text."""
    return fn.COALESCE(last_contact_sql(), Client.created_at)


def contacted_on_sql(zone: tzinfo | None = None):
    """The local day of the last contact, as ISO text (models/store/fields.stored_local_day)."""
    return fn.local_date(contacted_at_sql(), _zone_key(zone))


def check_in_day_sql(zone: tzinfo | None = None):
    """The local day the next check-in falls due, as ISO text; NULL without a check-in interval."""
    days = Value("+").concat(Client.check_in_days).concat(" days")
    return fn.date(contacted_on_sql(zone), days)


# The filters below compare the stored UTC text of the last contact with the instants local
# days begin, worked out once per query: SQLite then compares text instead of calling
# Python's `local_date` for each of 100,000 clients (2-3x slower at XL). This relies on
# local days following each other in time, as they do in every zone.


def contacted_before_sql(day: date, zone: tzinfo | None = None):
    """The last contact was on a local day before `day`."""
    return contacted_at_sql() < _stored(day_start(day, zone))


def _contacted_more_days_ago_than_sql(days, today: date, zone: tzinfo | None):
    """More than `days` (an integer expression per client) local days have passed since the
    last contact: it was before the local day `days` before today."""
    longest = Client.select(fn.MAX(Client.check_in_days)).scalar() or 0
    # As bytes: SQLite's substr of text counts characters from its start, thousands per
    # client; of a blob it goes straight to the byte (the text is ASCII, so the same).
    starts = _day_starts(today, _most_days(longest), zone).encode()
    day_start_of = fn.substr(starts, days * _STORED_LENGTH + 1, _STORED_LENGTH).cast("TEXT")
    return contacted_at_sql() < day_start_of


def check_in_overdue_sql(today: date, zone: tzinfo | None = None):
    return (Client.check_in_days > 0) & _contacted_more_days_ago_than_sql(
        Client.check_in_days, today, zone
    )


def drifting_sql(today: date, after_months: int, zone: tzinfo | None = None):
    """`is_drifting` as a condition on clients."""
    # No contact for `after_months` whole months: contacted on or before this day.
    long_ago = months_before(today, after_months)
    # Well overdue: days since * DENOMINATOR > check_in_days * (NUMERATOR + DENOMINATOR),
    # that is more days than check_in_days * (NUMERATOR + DENOMINATOR) // DENOMINATOR.
    numerator, denominator = OVERDUE_SHARE
    days = Client.check_in_days * (numerator + denominator) / denominator  # SQLite: whole
    behind = (Client.check_in_days > 0) & _contacted_more_days_ago_than_sql(days, today, zone)
    contacted_long_ago = contacted_before_sql(long_ago + timedelta(days=1), zone)
    return (Client.stage != "past") & (contacted_long_ago | behind)


_STORED_LENGTH = len("2026-01-31 09:00:00")  # models/store/fields.py's UTC text


def _most_days(check_in_days: int) -> int:
    """The most days back a filter compares with, for the longest check-in interval."""
    numerator, denominator = OVERDUE_SHARE
    return check_in_days * (numerator + denominator) // denominator


def _stored(instant: datetime) -> str:
    """The instant as models/store/fields.py stores it ("2026-01-31 09:00:00"). Not by
    strftime: with PySide6 loaded, each strftime goes through its import hook (10x slower)."""
    return instant.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "seconds")


def _day_starts(today: date, days: int, zone: tzinfo | None) -> str:
    """The instants the local days today, the day before, ... `days` days before begin, as
    stored UTC text one after the other: day n back is at n * _STORED_LENGTH."""
    return "".join(_stored(day_start(today - timedelta(days=n), zone)) for n in range(days + 1))


def day_start(day: date, zone: tzinfo | None = None) -> datetime:
    """The first instant of the local `day`: its midnight, or where a change of the clock
    at midnight makes the day begin."""
    midnight = datetime.combine(day, time())
    guess = midnight.replace(tzinfo=zone) if zone is not None else midnight.astimezone()
    if _begins(guess, day, zone):
        return guess.astimezone(UTC)
    # The clock skipped midnight, or went back over it: the first instant of `day` lies
    # within a day of the guess (bisected to the second).
    low, high = guess - timedelta(days=1), guess + timedelta(days=1)
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        if day_in_zone(middle, zone) >= day:
            high = middle
        else:
            low = middle
    return high.astimezone(UTC).replace(microsecond=0)


# Text as Rapport stores an instant ("2026-01-31 09:00:00", perhaps more after) has these
# marks at these places: the fast reads of stored text check them first.
STORED_MARKS, AS_STORED = slice(10, 17, 3), " ::"

# How a UTC day splits into the owner's local days: the UTC day, the local day at its first
# second, and when (as stored text) and which the next local day begins.
DaySplit = tuple[date, date, str, date]


class StoredDays:
    """The UTC day and the owner's local day of instants stored as UTC text, read by
    comparing text with the instant the next local day begins, worked out once per UTC day
    (`day_split`): a window's thousands of last contacts are not each parsed and converted.
    A UTC day in which the zone changes its clock, and text not as Rapport writes it, take
    the long way (parsed and converted)."""

    def __init__(self, zone: tzinfo):
        self._zone = zone

    def of(self, stored: str) -> tuple[date, date]:
        """(UTC day, local day) of the instant stored as `stored`."""
        split = self.split_of(stored)
        if split is None:
            instant = datetime.fromisoformat(stored).replace(tzinfo=UTC)
            return instant.date(), day_in_zone(instant, self._zone)
        utc_day, local_day, next_start, next_day = split
        return utc_day, next_day if stored >= next_start else local_day

    def split_of(self, stored: str) -> DaySplit | None:
        """How the UTC day of `stored` splits into local days; None for text not as Rapport
        writes it ("2026-01-31 09:00:00", perhaps more after) or a UTC day with a change of
        the clock."""
        if stored[STORED_MARKS] != AS_STORED:
            return None
        return day_split(stored[:10], self._zone)


@lru_cache(maxsize=8192)  # a calendar fact: each day's is worked out once, not per window
def day_split(utc_day_text: str, zone: tzinfo) -> DaySplit | None:
    """How the UTC day (as ISO text) splits into local days in `zone`; None when the zone's
    offset changes during it."""
    utc_day = date.fromisoformat(utc_day_text)
    midnight = datetime.combine(utc_day, time(), tzinfo=UTC)
    offset = midnight.astimezone(zone).utcoffset()
    if (midnight + timedelta(days=1, seconds=-1)).astimezone(zone).utcoffset() != offset:
        return None
    first = (midnight + offset).date()
    following = first + timedelta(days=1)
    # The offset holds all day: the next local day begins at its midnight less the offset
    # (within the UTC day, or after it: then no instant of the day reaches it).
    begins = datetime.combine(following, time(), tzinfo=UTC) - offset
    return utc_day, first, _stored(begins), following


def _begins(instant: datetime, day: date, zone: tzinfo | None) -> bool:
    before = instant - timedelta(seconds=1)
    return day_in_zone(instant, zone) == day and day_in_zone(before, zone) < day


def _zone_key(zone: tzinfo | None) -> str:
    """The zone's name for SQLite's local_date; "" for the machine's own."""
    if zone is None:
        return ""
    if zone is UTC:
        return "UTC"
    if isinstance(zone, ZoneInfo) and zone.key:
        return zone.key
    raise ValueError(f"a named time zone is needed, not {zone!r}")
