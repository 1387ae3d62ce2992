"""How often we were in touch with a client, quarter by quarter, over the years."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo


class Quarter(NamedTuple):
    year: int
    number: int  # 1..4

    def next(self) -> Quarter:
        return (
            Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)
        )

    def label(self) -> str:
        return f"Q{self.number} {self.year}"


def quarter_of(day: date) -> Quarter:
    return Quarter(day.year, (day.month - 1) // 3 + 1)


def interactions_per_quarter(
    instants: Iterable[datetime], today: date, zone: ZoneInfo
) -> list[tuple[Quarter, int]]:
    """Every quarter from the first of the interactions at `instants` to today's, with
    its count (zeros too: a gap is what the chart is there to show). Quarters follow the
    local calendar. The instants are those of the client's history as read for their page
    (a second read of 2,000 of them would cost as much as the rest of the page)."""
    counts = Counter(quarter_of(at.astimezone(zone).date()) for at in instants)
    if not counts:
        return []
    quarter, last = min(counts), max(max(counts), quarter_of(today))
    found = []
    while quarter <= last:
        found.append((quarter, counts[quarter]))
        quarter = quarter.next()
    return found
