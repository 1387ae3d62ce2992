"""The client list as a Qt model that finds clients in the background and holds only a
window of rows, however many clients there are.

Finding (search, filters, order) runs on a worker thread and yields the ordered ids of the
matching clients; `rowCount()` is their number, and rows are read a page at a time, by
id, as the view asks for them. Only the pages used last are kept.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QThreadPool,
    Signal,
)

from models.client_finder import ClientFilter, ClientRow, client_rows, find_clients, why_matched
from models.kinds import STAGES
from scheduler.database_job import DatabaseJob, JobReports
from ui.formatting import since

ClientIdRole = Qt.ItemDataRole.UserRole + 1
StageRole = Qt.ItemDataRole.UserRole + 2
SinceRole = Qt.ItemDataRole.UserRole + 3
ReasonRole = Qt.ItemDataRole.UserRole + 4  # why a search found the client, if not by name

_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


class ClientListModel(QAbstractListModel):
    PAGE_SIZE = 50  # a page read (rows and why they matched) stays within a frame
    MAX_PAGES = 16  # at most PAGE_SIZE * MAX_PAGES rows in memory
    found = Signal()  # the rows of the latest search are in
    failed = Signal(str)  # the latest search failed: why

    def __init__(
        self,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        today: Callable[[], date] = date.today,
        parent=None,
    ):
        super().__init__(parent)
        self._now, self._today = now, today
        self.criteria = ClientFilter()
        self._ids: list[int] = []
        self._position: dict[int, int] | None = None  # id -> row, made when first needed
        # page number -> its rows, each with why it matched; least recently used first
        self._pages: OrderedDict[int, list[tuple[ClientRow | None, str]]] = OrderedDict()
        self._searches = 0  # numbers each search, so that only the latest is shown
        self._shown = 0
        # One worker: a newer search waits for the one running, then replaces its result.
        self._worker = QThreadPool(self)
        self._worker.setMaxThreadCount(1)
        self._reports = JobReports(self)

    def set_search(self, text: str) -> None:
        self.set_criteria(replace(self.criteria, text=text))

    def set_criteria(self, criteria: ClientFilter) -> None:
        self.criteria = criteria
        self.reload()

    def reload(self) -> None:
        """Find the clients anew, e.g. after a change; `found` says when they are shown."""
        self._searches += 1
        number, criteria, today = self._searches, self.criteria, self._today()
        job = DatabaseJob(
            # A search overtaken while it waited for the worker is not run at all.
            lambda: find_clients(criteria, today) if number == self._searches else None,
            lambda ids: self._show(number, ids),
            lambda message: self._fail(number, message),
            self._reports,
        )
        self._worker.start(job)

    def searching(self) -> bool:
        return self._shown != self._searches

    def _fail(self, number: int, message: str) -> None:
        if number == self._searches:
            self._shown = number
            self.failed.emit(message)

    def _show(self, number: int, ids: list[int]) -> None:
        if number != self._searches:
            return  # a newer search is on its way
        self.beginResetModel()
        self._ids, self._position = ids, None
        self._pages.clear()
        self._shown = number
        self.endResetModel()
        self.found.emit()

    def total(self) -> int:
        return len(self._ids)

    def rows_held(self) -> int:
        return sum(len(page) for page in self._pages.values())

    def rowCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def _row(self, number: int) -> tuple[ClientRow | None, str]:
        page_number, offset = divmod(number, self.PAGE_SIZE)
        page = self._pages.get(page_number)
        if page is None:
            page = self._read_page(page_number)
        else:
            self._pages.move_to_end(page_number)
        return page[offset]

    def _read_page(self, page_number: int) -> list[tuple[ClientRow | None, str]]:
        start = page_number * self.PAGE_SIZE
        ids = self._ids[start : start + self.PAGE_SIZE]
        rows = {row.id: row for row in client_rows(ids)}
        reasons = why_matched(ids, self.criteria.text)
        # A client deleted since the search has no row (None) until the list reloads.
        page = [(rows.get(client_id), reasons.get(client_id, "")) for client_id in ids]
        self._pages[page_number] = page
        while len(self._pages) > self.MAX_PAGES:
            self._pages.popitem(last=False)
        return page

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        row, reason = self._row(index.row())
        if row is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return row.name
        if role == Qt.ItemDataRole.ToolTipRole:
            contact = since(row.last_contact, self._now())
            return f"{row.name} · {STAGES[row.stage]} · last contact {contact}"
        if role == ClientIdRole:
            return row.id
        if role == StageRole:
            return row.stage
        if role == SinceRole:
            return since(row.last_contact, self._now())
        if role == ReasonRole:
            return reason
        return None

    def row_of(self, client_id: int) -> int | None:
        """The row showing `client_id`, or None if the search leaves them out."""
        if self._position is None:
            self._position = {client_id: row for row, client_id in enumerate(self._ids)}
        return self._position.get(client_id)
