"""A short list of clients, each with one fact beside the name; a click or Enter asks to
open the client."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QTreeWidget,
    QTreeWidgetItem,
)

from ui.formatting import plain_tooltip

_ID = Qt.ItemDataRole.UserRole
_ROW_HEIGHT = 28  # tall enough to scan, as the client list's rows


class ClientRows(QTreeWidget):
    client_requested = Signal(int)

    def __init__(self, name: str, parent=None):
        super().__init__(parent)
        self.setAccessibleName(name)
        self.setColumnCount(2)
        self.setHeaderHidden(True)
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.viewport().setAutoFillBackground(False)  # the page's background shows through
        self.setIndentation(0)
        header = self.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.itemClicked.connect(self._request)

    def set_rows(self, rows: list[tuple[int | None, str, str]]) -> None:
        """(client id, name, fact) per row; a row without a client id cannot be opened
        ("… and 12 more"). Item text is always plain text."""
        self.clear()
        for client_id, name, fact in rows:
            item = QTreeWidgetItem([name, fact])
            item.setSizeHint(1, QSize(0, _ROW_HEIGHT))  # the stretching column
            item.setToolTip(1, plain_tooltip(fact))
            if client_id is None:
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            else:
                item.setData(0, _ID, client_id)
            self.addTopLevelItem(item)
        # As tall as its rows: the page scrolls, not the list.
        row = self.sizeHintForRow(0) if rows else 0
        self.setFixedHeight(row * len(rows) + 2 * self.frameWidth() + 2)

    def rows(self) -> list[tuple[int | None, str, str]]:
        items = (self.topLevelItem(i) for i in range(self.topLevelItemCount()))
        return [(item.data(0, _ID), item.text(0), item.text(1)) for item in items]

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentItem():
            self._request(self.currentItem())
            return
        super().keyPressEvent(event)

    def _request(self, item: QTreeWidgetItem) -> None:
        client_id = item.data(0, _ID)
        if client_id is not None:
            self.client_requested.emit(client_id)
