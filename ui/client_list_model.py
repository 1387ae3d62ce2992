"""The client list as a Qt model that finds clients in the background and holds only a
window of rows, however many clients there are.

Finding (search, filters, order) runs on a worker thread and yields the ordered ids of the
matching clients; `rowCount()` is their number, and rows are read a page at a time, by
id, as the view asks for them. Only the pages used last are kept.

A search comes in twice: first a page at most, found in milliseconds (the clients found
by name come first: models/clients/finder.find_first_clients); then every client found,
appended after them (the first ones are always the start of the whole result). Why a
client matched is read for the rows painted only.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from typing import NamedTuple

from peewee import OperationalError
from PySide6.QtCore import (
    QAbstractListModel,
    QDate,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from background.database_worker import DatabaseWorker
from models.clients.finder import (
    ClientFilter,
    ClientRow,
    FirstClients,
    GreetingDay,
    client_rows,
    find_clients,
    find_first_clients,
    greeting_days,
    lifetime_values,
    next_due_days,
    why_matched,
)
from models.clients.photos import photo_versions
from models.clock import system_now
from models.insight.health import Health, ValueRanks, healths, updated_ranks, value_ranks
from models.store.database import db
from models.values.kinds import STAGES
from ui.formatting import money, plain_tooltip, since, vocabulary

ClientIdRole = Qt.ItemDataRole.UserRole + 1
StageRole = Qt.ItemDataRole.UserRole + 2
SinceRole = Qt.ItemDataRole.UserRole + 3
ReasonRole = Qt.ItemDataRole.UserRole + 4  # why a search found the client, if not by name
HealthRole = Qt.ItemDataRole.UserRole + 5  # models.insight.health.Health
PhotoRole = Qt.ItemDataRole.UserRole + 6  # the photo's version, or None: initials instead
# What the filters or the order go by, when the row would not say it otherwise: the
# birthday this month, the lifetime value, the day next due.
FactRole = Qt.ItemDataRole.UserRole + 7

_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


class _Line(NamedTuple):
    """What the list holds of one client: the row, why a search found it, its health,
    which photo it has, and what the filters or the order go by."""

    row: ClientRow | None
    reason: str | None  # None until the row is painted
    health: Health | None
    photo_version: str | None
    fact: str


class ClientListModel(QAbstractListModel):
    # A page read (rows and why they matched) stays within a frame. At 52 px a row, one
    # page fills the list on a screen up to 1600 px tall (18 rows at 1080, 25 at 1440): the
    # first screen of a search is one read, and no row is read that it does not show.
    PAGE_SIZE = 30
    MAX_PAGES = 27  # at most PAGE_SIZE * MAX_PAGES rows in memory
    found = Signal()  # the rows of the latest search are in
    first_found = Signal()  # the first rows of the latest search are in, the rest to come
    failed = Signal(str)  # the latest search failed: why

    def __init__(
        self,
        now: Callable[[], datetime] = system_now,
        today: Callable[[], date] = date.today,
        parent=None,
    ):
        super().__init__(parent)
        self._now, self._today = now, today
        self.criteria = ClientFilter()
        self._ids: list[int] = []
        # How many of them came first, found by name: no row of theirs says why it matched.
        self._first = 0
        self._position: dict[int, int] | None = None  # id -> row, made when first needed
        # page number -> its rows, each with why it matched; least recently used first
        self._pages: OrderedDict[int, list[_Line]] = OrderedDict()
        # What health ranks values by; kept while new ones are read after a change, so that
        # rows painted meanwhile have the previous ranks, never none. The clients changed
        # since, whose payments to read anew; None: all of them (at first, after an import).
        self._ranks = ValueRanks(None, ())
        self._ranks_stale: set[int] | None = None
        self._changes = 0  # changes to the data so far
        self._searches = 0  # numbers each search, so that only the latest is shown
        self._shown = 0
        # One worker: a newer search waits for the one running, then replaces its result.
        self._worker = DatabaseWorker(self)
        # The worker's connection while it finds every client, to cut a search short
        # when a newer one is asked for.
        self._finding = None

    def set_search(self, text: str) -> None:
        self.set_criteria(replace(self.criteria, text=text))

    def set_criteria(self, criteria: ClientFilter) -> None:
        self.criteria = criteria
        self.reload()

    def reload(self, data_changed: bool = False, clients: frozenset[int] | None = None) -> None:
        """Find the clients anew; `found` says when they are shown. After a change to the
        data, of `clients` (None: of anyone), health's ranks by value are updated too."""
        if data_changed:
            self._changes += 1
            if clients is None or self._ranks_stale is None:
                self._ranks_stale = None
            else:
                self._ranks_stale |= clients
        self._searches += 1
        number, criteria, today = self._searches, self.criteria, self._today()
        stale = None if self._ranks_stale is None else frozenset(self._ranks_stale)
        changes = self._changes
        self._stop_finding()
        self._worker.run(
            lambda: self._find_first(number, criteria, today, stale),
            lambda found: self._show_first(number, changes, *found),
            lambda message: self._fail(number, message),
        )
        self._worker.run(
            lambda: self._find(number, criteria, today),
            lambda ids: self._show(number, ids),
            lambda message: self._fail(number, message),
        )

    def _find_first(
        self, number: int, criteria: ClientFilter, today: date, stale: frozenset | None
    ):
        """On the worker thread. A search overtaken while it waited is not run at all."""
        if number != self._searches:
            return [], None
        if stale is None:
            ranks = value_ranks()
        else:  # the clients changed: their payments alone (updating twice does no harm)
            ranks = updated_ranks(self._ranks, stale) if stale else None
        return find_first_clients(criteria, today, self.PAGE_SIZE), ranks

    def _find(self, number: int, criteria: ClientFilter, today: date) -> list[int] | None:
        """On the worker thread: every client found; None when a newer search overtook it."""
        if number != self._searches:
            return None
        self._finding = db.connection()
        try:
            return find_clients(criteria, today)
        # peewee wraps the error of a query's first step; the rows fetched after it raise
        # sqlite3's own.
        except (OperationalError, sqlite3.OperationalError):
            if number != self._searches:  # cut short by _stop_finding
                return None
            raise
        finally:
            self._finding = None

    def _stop_finding(self) -> None:
        """Cut short the search the worker runs (SQLite's interrupt, made to be called
        from another thread); a finished one's connection is closed already."""
        finding = self._finding
        if finding is not None:
            with contextlib.suppress(sqlite3.ProgrammingError):  # closed meanwhile
                finding.interrupt()

    def value_ranks(self) -> ValueRanks:
        """What health ranks values by, as of the latest search (none before the first)."""
        return self._ranks

    def searching(self) -> bool:
        return self._shown != self._searches

    def _fail(self, number: int, message: str) -> None:
        if number == self._searches:
            self._shown = number
            self.failed.emit(message)

    def _show_first(
        self, number: int, changes: int, first: FirstClients, ranks: ValueRanks | None
    ) -> None:
        if number != self._searches:
            return  # a newer search is on its way
        if ranks is not None:
            self._ranks = ranks
            if changes == self._changes:  # else what changed since is still to be read
                self._ranks_stale = set()
        self._reset(first.ids)
        self._first = first.by_name
        self.first_found.emit()

    def _show(self, number: int, ids: list[int] | None) -> None:
        if number != self._searches or ids is None:
            return  # a newer search is on its way
        shown = len(self._ids)
        if ids[:shown] != self._ids:  # the data changed in between: never a wrong row
            self._reset(ids)
        elif len(ids) > shown:
            self.beginInsertRows(_ROOT, shown, len(ids) - 1)
            # The page the first rows ended in is short of the rows after them.
            self._pages.pop(shown // self.PAGE_SIZE, None)
            self._ids, self._position = ids, None
            self.endInsertRows()
        self._shown = number
        self.found.emit()

    def _reset(self, ids: list[int]) -> None:
        self.beginResetModel()
        self._ids, self._position, self._first = ids, None, 0
        self._pages.clear()
        self.endResetModel()

    def total(self) -> int:
        return len(self._ids)

    def rows_held(self) -> int:
        return sum(len(page) for page in self._pages.values())

    def rowCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def _row(self, number: int) -> _Line:
        page_number, offset = divmod(number, self.PAGE_SIZE)
        page = self._pages.get(page_number)
        if page is None:
            page = self._read_page(page_number)
        else:
            self._pages.move_to_end(page_number)
        return page[offset]

    def _read_page(self, page_number: int) -> list[_Line]:
        start = page_number * self.PAGE_SIZE
        ids = self._ids[start : start + self.PAGE_SIZE]
        rows = {row.id: row for row in client_rows(ids)}
        now = self._now()
        health_of = healths(ids, self._ranks, now)
        photos = photo_versions(ids)
        facts = self._facts(ids)
        # A client deleted since the search has no row (None) until the list reloads.
        page = [
            _Line(
                rows.get(client_id),
                None,
                health_of.get(client_id),
                photos.get(client_id),
                " · ".join(fact[client_id] for fact in facts if client_id in fact),
            )
            for client_id in ids
        ]
        self._pages[page_number] = page
        while len(self._pages) > self.MAX_PAGES:
            self._pages.popitem(last=False)
        return page

    def _reason(self, number: int) -> str:
        """Why a search found the client of row `number`: read for its whole page (one
        query per kind of row) the first time a row of the page is painted."""
        page_number, offset = divmod(number, self.PAGE_SIZE)
        page = self._pages[page_number]  # read by _row() just before
        if page[offset].reason is None:
            start = page_number * self.PAGE_SIZE
            ids = self._ids[start : start + len(page)]
            after_first = ids[max(0, self._first - start) :]
            reasons = why_matched(after_first, self.criteria.text) if after_first else {}
            page[:] = [
                line._replace(reason=reasons.get(client_id, ""))
                for line, client_id in zip(page, ids, strict=True)
            ]
        return page[offset].reason

    def _facts(self, ids: list[int]) -> list[dict[int, str]]:
        """Per client, what the filters and the order go by, in words: the order by name
        or by last contact needs none (the row shows both)."""
        criteria, today = self.criteria, self._today()
        facts = []
        if criteria.greeting_this_month:
            greetings = greeting_days(ids, today).items()
            facts.append({key: " · ".join(map(self._greeting, days)) for key, days in greetings})
        if criteria.sort == "lifetime_value":
            values = lifetime_values(ids).items()
            facts.append({client_id: money(*value) for client_id, value in values})
        if criteria.sort == "next_due":
            due = next_due_days(ids, today).items()
            facts.append({client_id: self._due(day, today) for client_id, day in due})
        return facts

    def _greeting(self, greeting: GreetingDay) -> str:
        """The day first: in a narrow list, the end of the line is cut off."""
        day = _day(greeting.on, greeting.on.year)
        if greeting.kind == "wedding_anniversary":
            return self.tr("{day}: anniversary").format(day=day)  # the filter's word
        if greeting.person:
            return self.tr("{day}: {person}'s birthday").format(person=greeting.person, day=day)
        return self.tr("{day}: birthday").format(day=day)

    def _due(self, day: date, today: date) -> str:
        if day < today:  # the weekday of a day gone by matters less than room in the row
            return self.tr("Overdue since {day}").format(day=_day(day, today.year, weekday=False))
        if day == today:
            return self.tr("Due today")
        return self.tr("Due {day}").format(day=_day(day, today.year))

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        row, _reason, health_now, photo, fact = self._row(index.row())
        if row is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return row.name
        if role == Qt.ItemDataRole.ToolTipRole:
            stage = vocabulary(STAGES[row.stage])
            lines = [f"{row.name} · {stage}", fact, health_now.explanation]
            return plain_tooltip("\n".join(line for line in lines if line))
        if role == HealthRole:
            return health_now
        if role == PhotoRole:
            return photo
        if role == ClientIdRole:
            return row.id
        if role == StageRole:
            return row.stage
        if role == SinceRole:
            return since(row.last_contact, self._now())
        if role == ReasonRole:
            return self._reason(index.row())
        if role == FactRole:
            return fact
        return None

    def row_of(self, client_id: int) -> int | None:
        """The row showing `client_id`, or None if the search leaves them out."""
        if self._position is None:
            self._position = {client_id: row for row, client_id in enumerate(self._ids)}
        return self._position.get(client_id)


def _day(day: date, this_year: int, weekday: bool = True) -> str:
    """ "Mon 30 Nov", with the year when it is not `this_year`'s: the locale's names."""
    if day.year != this_year:
        return QLocale().toString(QDate(day), "d MMM yyyy")
    return QLocale().toString(QDate(day), "ddd d MMM" if weekday else "d MMM")
