"""The client list as a Qt model that pages rows in as the view scrolls."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from models.clients import ClientRow, count_clients, list_clients
from models.kinds import STAGES
from ui.formatting import since

ClientIdRole = Qt.ItemDataRole.UserRole + 1
StageRole = Qt.ItemDataRole.UserRole + 2
SinceRole = Qt.ItemDataRole.UserRole + 3

_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


class ClientListModel(QAbstractListModel):
    PAGE_SIZE = 200

    def __init__(self, now: Callable[[], datetime] = lambda: datetime.now(UTC), parent=None):
        super().__init__(parent)
        self._now = now
        self._search = ""
        self._rows: list[ClientRow] = []
        self._total = 0

    def set_search(self, text: str) -> None:
        self._search = text
        self.reload()

    def reload(self) -> None:
        """Start again from the first page, e.g. after the data changed."""
        self.beginResetModel()
        self._total = count_clients(self._search)
        self._rows = list_clients(self._search, 0, self.PAGE_SIZE)
        self.endResetModel()

    def total(self) -> int:
        return self._total

    def rowCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def canFetchMore(self, parent: _Index = _ROOT) -> bool:
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: _Index = _ROOT) -> None:
        page = list_clients(self._search, len(self._rows), self.PAGE_SIZE)
        if not page:
            self._total = len(self._rows)
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
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
        return None

    def row_of(self, client_id: int) -> int | None:
        """The row showing `client_id` among the rows loaded so far."""
        return next((i for i, row in enumerate(self._rows) if row.id == client_id), None)
