"""A table of a client's entries that asks to edit on double-click and to delete on Delete."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QPainter, QPalette
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QTableView

from ui.entry_models import EntryTableModel


class EntryTable(QTableView):
    edit_requested = Signal(object)
    delete_requested = Signal(object)

    def __init__(self, model: EntryTableModel, stretch_column: int, accessible_name: str):
        super().__init__()
        self.empty_text = ""  # what to do next, shown while there is nothing
        self.setModel(model)
        self.setAccessibleName(accessible_name)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setShowGrid(False)
        self.setAlternatingRowColors(False)
        self.setWordWrap(True)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Sized to the rows in sight and the next hundred, not the first thousand: a
        # history of 2,000 items was read through 25,000 times at each layout (a client
        # opened painted in 120 ms instead of 65).
        header.setResizeContentsPrecision(100)
        header.setSectionResizeMode(stretch_column, QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.doubleClicked.connect(
            lambda index: self.edit_requested.emit(self.entry_at(index.row()))
        )
        self.extra_actions: list[QAction] = []
        delete = QAction(self.tr("Delete"), self)
        delete.setShortcut(QKeySequence.StandardKey.Delete)
        delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete.triggered.connect(self._delete_current)
        self.addAction(delete)
        self._delete_action = delete
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._show_menu)

    def entry_at(self, row: int):
        return self.model().entry(row)

    def current_entry(self):
        index = self.currentIndex()
        return self.entry_at(index.row()) if index.isValid() else None

    def _delete_current(self) -> None:
        entry = self.current_entry()
        if entry is not None:
            self.delete_requested.emit(entry)

    def _show_menu(self, position: QPoint) -> None:
        index = self.indexAt(position)
        if not index.isValid():
            return
        self.setCurrentIndex(index)
        entry = self.entry_at(index.row())
        menu = QMenu(self)
        menu.addAction(self.tr("Edit…"), lambda: self.edit_requested.emit(entry))
        for action in self.extra_actions:
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self._delete_action)
        menu.exec(self.viewport().mapToGlobal(position))

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if self.model().rowCount() or not self.empty_text:
            return
        painter = QPainter(self.viewport())
        quiet = self.palette().color(QPalette.ColorRole.Text)
        quiet.setAlphaF(0.6)
        painter.setPen(quiet)
        area = self.viewport().rect().adjusted(24, 24, -24, -24)
        flags = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
        painter.drawText(area, flags, self.empty_text)
        painter.end()
