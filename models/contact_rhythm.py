"""Last contact, check-in and drifting: the one home of these rules.

The last contact is the client's latest interaction, or when they were added if there is
none. Everything is counted in the owner's LOCAL days: a call at 23:30 in Hamburg was on
that day, whatever its UTC day. Each rule comes twice, as Python (a client page, a
reminder) and as SQL (a filter over 100,000 clients), built from the same constants;
tests/test_contact_rhythm.py checks that both forms agree.

- check-in: due `keep_in_touch_days` after the local day of the last contact; overdue
  once more days than that have passed.
- drifting: not a past client, and either no contact for `drifting_after_months` whole
  months, or a check-in overdue by more than half its cadence.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from peewee import Value, fn

from models.entities import Client, Interaction
from models.partial_dates import months_before, months_between

# Drifting when a check-in is overdue by more than OVERDUE_SHARE of its cadence:
# days since * DENOMINATOR > cadence * (NUMERATOR + DENOMINATOR), in whole numbers, as
# SQL compares them (peewee would round a 1.5 to the column's type).
OVERDUE_SHARE = (1, 2)

# --- Python ---------------------------------------------------------------------------------


def local_day(instant: datetime, zone: tzinfo | None = None) -> date:
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


def check_in_day(contacted_on: date, cadence_days: int) -> date:
    """The local day the next check-in falls due."""
    return contacted_on + timedelta(days=cadence_days)


def check_in_overdue(contacted_on: date, cadence_days: int | None, today: date) -> bool:
    """More days have passed since the last contact than the client's cadence."""
    if cadence_days is None or cadence_days <= 0:
        return False
    return today > check_in_day(contacted_on, cadence_days)


def drifting_reason(
    contacted_on: date, cadence_days: int | None, today: date, after_months: int
) -> str | None:
    """Why the client is drifting and what to do, or None: no contact for `after_months`,
    or a check-in overdue by more than half its cadence (a past client is never asked)."""
    months = months_between(contacted_on, today)
    if months >= after_months:
        return f"Last contact {months} months ago — send a note"
    overdue = (today - contacted_on).days - (cadence_days or 0)
    if cadence_days is not None and cadence_days > 0 and _well_overdue(overdue, cadence_days):
        return f"Check-in overdue by {overdue} days — call or write"
    return None


def is_drifting(
    stage: str, contacted_on: date, cadence_days: int | None, today: date, after_months: int
) -> bool:
    """A past client has moved on on purpose; anyone else may be drifting."""
    if stage == "past":
        return False
    return drifting_reason(contacted_on, cadence_days, today, after_months) is not None


def _well_overdue(overdue: int, cadence_days: int) -> bool:
    numerator, denominator = OVERDUE_SHARE
    return overdue * denominator > cadence_days * numerator


# --- SQL, over the Client table -------------------------------------------------------------


def last_contact_sql():
    """The client's latest interaction (read through its index), or NULL."""
    return (
        Interaction.select(fn.MAX(Interaction.occurred_at))
        .where(Interaction.client == Client.id)
        .alias("last_contact")
    )


def contacted_at_sql():
    """When the client last heard from the owner, as stored UTC text."""
    return fn.COALESCE(last_contact_sql(), Client.created_at)


def contacted_on_sql(zone: tzinfo | None = None):
    """The local day of the last contact, as ISO text (models/fields.stored_local_day)."""
    return fn.local_date(contacted_at_sql(), _zone_key(zone))


def days_since_contact_sql(today: date, zone: tzinfo | None = None):
    return fn.julianday(Value(today.isoformat())) - fn.julianday(contacted_on_sql(zone))


def check_in_day_sql(zone: tzinfo | None = None):
    """The local day the next check-in falls due, as ISO text; NULL without a cadence."""
    days = Value("+").concat(Client.keep_in_touch_days).concat(" days")
    return fn.date(contacted_on_sql(zone), days)


def check_in_overdue_sql(today: date, zone: tzinfo | None = None):
    return (Client.keep_in_touch_days > 0) & (
        days_since_contact_sql(today, zone) > Client.keep_in_touch_days
    )


def drifting_sql(today: date, after_months: int, zone: tzinfo | None = None):
    """`is_drifting` as a condition on clients."""
    # No contact for `after_months` whole months: contacted on or before this day.
    long_ago = months_before(today, after_months).isoformat()
    numerator, denominator = OVERDUE_SHARE
    behind = (Client.keep_in_touch_days > 0) & (
        days_since_contact_sql(today, zone) * denominator
        > Client.keep_in_touch_days * (numerator + denominator)
    )
    return (Client.stage != "past") & ((contacted_on_sql(zone) <= long_ago) | behind)


def _zone_key(zone: tzinfo | None) -> str:
    """The zone's name for SQLite's local_date; "" for the machine's own."""
    if zone is None:
        return ""
    if zone is UTC:
        return "UTC"
    if isinstance(zone, ZoneInfo) and zone.key:
        return zone.key
    raise ValueError(f"a named time zone is needed, not {zone!r}")
