"""Column types that keep Rapport's rules about time and money."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from peewee import TextField


class UtcDateTimeField(TextField):
    """An instant, stored as UTC text so that it sorts and never depends on the zone."""

    def db_value(self, value: datetime | None) -> str | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("instants must be timezone-aware")
        # "2026-12-07 09:30:00", by isoformat, not strftime: with PySide6 loaded, each
        # strftime goes through its import hook, several times slower (thousands of
        # instants are written by a mail capture).
        return value.astimezone(UTC).replace(tzinfo=None, microsecond=0).isoformat(" ")

    def python_value(self, value: str | None) -> datetime | None:
        if value is None:
            return None
        # fromisoformat reads that text and is many times faster than strptime.
        return datetime.fromisoformat(value).replace(tzinfo=UTC)


class DecimalTextField(TextField):
    """A money amount, stored as exact decimal text (SQLite's NUMERIC would round it)."""

    def db_value(self, value: Decimal | None) -> str | None:
        return None if value is None else str(value)

    def python_value(self, value: str | None) -> Decimal | None:
        return None if value is None else Decimal(value)


def stored_local_day(stored: str | None, zone_key: str) -> str | None:
    """The local day (ISO text) of an instant stored as UTC text, in the zone named
    `zone_key` ("" for the machine's own): SQLite's `local_date`, which knows no zones."""
    if stored is None:
        return None
    instant = datetime.fromisoformat(stored).replace(tzinfo=UTC)
    local = instant.astimezone(ZoneInfo(zone_key)) if zone_key else instant.astimezone()
    return local.date().isoformat()
