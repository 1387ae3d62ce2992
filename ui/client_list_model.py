"""The client list as a Qt model that holds only a window of rows, however many clients.

`rowCount()` is the number of matching clients; rows are read a page at a time as the
view asks for them, and only the pages used last are kept.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from models.clients import ClientRow, client_position, count_clients, list_clients, why_matched
from models.kinds import STAGES
from ui.formatting import since

ClientIdRole = Qt.ItemDataRole.UserRole + 1
StageRole = Qt.ItemDataRole.UserRole + 2
SinceRole = Qt.ItemDataRole.UserRole + 3
ReasonRole = Qt.ItemDataRole.UserRole + 4  # why a search found the client, if not by name

_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


class ClientListModel(QAbstractListModel):
    PAGE_SIZE = 200
    MAX_PAGES = 6  # at most PAGE_SIZE * MAX_PAGES rows in memory

    def __init__(self, now: Callable[[], datetime] = lambda: datetime.now(UTC), parent=None):
        super().__init__(parent)
        self._now = now
        self._search = ""
        self._total = 0
        # page number -> its rows, each with why it matched; least recently used first
        self._pages: OrderedDict[int, list[tuple[ClientRow, str]]] = OrderedDict()

    def set_search(self, text: str) -> None:
        self._search = text
        self.reload()

    def reload(self) -> None:
        """Count the matching clients again and forget the pages read, e.g. after a change."""
        self.beginResetModel()
        self._total = count_clients(self._search)
        self._pages.clear()
        self.endResetModel()

    def total(self) -> int:
        return self._total

    def rows_held(self) -> int:
        return sum(len(page) for page in self._pages.values())

    def rowCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else self._total

    def _row(self, number: int) -> tuple[ClientRow, str] | None:
        page_number, offset = divmod(number, self.PAGE_SIZE)
        page = self._pages.get(page_number)
        if page is None:
            page = self._read_page(page_number)
        else:
            self._pages.move_to_end(page_number)
        return page[offset] if offset < len(page) else None

    def _read_page(self, page_number: int) -> list[tuple[ClientRow, str]]:
        rows = list_clients(self._search, page_number * self.PAGE_SIZE, self.PAGE_SIZE)
        reasons = why_matched([row.id for row in rows], self._search) if self._search else {}
        page = [(row, reasons.get(row.id, "")) for row in rows]
        self._pages[page_number] = page
        while len(self._pages) > self.MAX_PAGES:
            self._pages.popitem(last=False)
        return page

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < self._total:
            return None
        found = self._row(index.row())
        if found is None:  # the data changed since the count; a reload follows
            return None
        row, reason = found
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
        return client_position(client_id, self._search)
