"""Reminders built from rows of the database, kept from one look to the next.

Every look reads all its rows again, so nothing written since the last look can be
missed: no write path has to mark what it changed. What it no longer does is build the
reminders of a row it met at the last look, unchanged, in the same window: at the XL
studio that building is half of a look (27,644 reminders), and between two looks all
but a few rows are the same.

This holds because a row's reminders are a pure function of the row and the window
(the rules in models/reminders/rules.py read nothing else): the same row in the same
window gives equal reminders. tests/test_reminder_row_memo.py compares looks after
every kind of change with looks built afresh.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from itertools import chain

from models.reminders.rules import Reminder, ReminderWindow

# The reminders of each of some rows, in their order (a row may have none).
Builder = Callable[[list[Hashable]], list[Sequence[Reminder]]]


class RowMemo:
    """The reminders of the rows of the last look and its window. Looks may run on two
    threads at once (the reminders' worker and the window's Today): each reads what was
    kept once and replaces it whole, so at worst a row is built twice."""

    def __init__(self) -> None:
        self._kept: tuple[ReminderWindow | None, dict[Hashable, Sequence[Reminder]]] = (None, {})

    def reminders(
        self, window: ReminderWindow, rows: Sequence[Hashable], build: Builder
    ) -> list[Reminder]:
        """The reminders of `rows` in `window`, in the rows' order: those of the rows met
        at the last look in the same window as they were, the others made by `build`.
        Only this look's rows are kept, not a history of them. Each row is distinct (it
        holds its id)."""
        kept_window, kept = self._kept
        if kept_window != window or not kept:
            # Nothing to reuse (the first look, or of another window): every row built, and
            # each row hashed once, not three times (a tuple does not keep its hash).
            kept = dict(zip(rows, build(list(rows)), strict=True))
            self._kept = (window, kept)
            return list(chain.from_iterable(kept.values()))
        found: dict[Hashable, Sequence[Reminder] | None] = {row: kept.get(row) for row in rows}
        missing = [row for row, made in found.items() if made is None]
        if missing:
            found.update(zip(missing, build(missing), strict=True))
        self._kept = (window, found)
        return list(chain.from_iterable(found.values()))

    def forget(self) -> None:
        self._kept = (None, {})
