"""The system clock, read in one place.

Everything that needs "now" or "today" is handed a `now` callable; only the composition
roots (main.py, cli.py and the window's defaults) pass this one, so tests can pass another.
"""

from __future__ import annotations

from datetime import UTC, date, datetime


def system_now() -> datetime:
    """The current instant, in UTC."""
    return datetime.now(UTC)


def local_today(now: datetime) -> date:
    """The day it is at `now` in the machine's time zone."""
    return now.astimezone().date()
