"""Ctrl+K: type a few letters, press Enter — run any command of the menus, or open a
client by name, without the mouse.

Commands match when every word typed begins a word of their text ("new cl" finds
"New client…"), ignoring case and accents; clients come from the function the window
passes in (its own search), asked on a worker thread a moment after typing stops, since
a search of 100,000 clients may take longer than a frame. Each client row says the
client's stage and, when the search found them other than by name, where (as the list).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models.client_finder import FoundClient
from models.folding import fold
from models.kinds import STAGES
from scheduler.database_job import DatabaseWorker
from ui.formatting import plain_tooltip, vocabulary

MAX_CLIENTS = 8
CLIENT_SEARCH_DELAY_MS = 120  # typing on: one search, not one per key
_ROW_HEIGHT = 28
_TARGET = Qt.ItemDataRole.UserRole  # the row's QAction, or the client's id
_TEXT, _WHY, _KIND, _SHORTCUT = range(4)  # the columns
_MOVES = {
    Qt.Key.Key_Up: QAbstractItemView.CursorAction.MoveUp,
    Qt.Key.Key_Down: QAbstractItemView.CursorAction.MoveDown,
    Qt.Key.Key_PageUp: QAbstractItemView.CursorAction.MovePageUp,
    Qt.Key.Key_PageDown: QAbstractItemView.CursorAction.MovePageDown,
}


def plain_text(action: QAction) -> str:
    """The action's text without its mnemonic: "&New client…" -> "New client…"."""
    return re.sub(r"&(.)", r"\1", action.text())


def matches(typed: str, text: str) -> bool:
    """Every word typed begins some word of `text`, case and accents folded."""
    words = re.findall(r"\w+", fold(text))
    return all(any(word.startswith(part) for word in words) for part in fold(typed).split())


class CommandPalette(QFrame):
    client_chosen = Signal(int)

    def __init__(
        self,
        parent: QWidget,
        actions: list[QAction],
        find_clients: Callable[[str], list[FoundClient]],
    ):
        super().__init__(parent, Qt.WindowType.Popup)
        self._actions, self._find_clients = actions, find_clients
        self._clients: list[FoundClient] = []
        self.setAccessibleName(self.tr("Command palette"))
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Type a command or a client's name…"))
        self.search.setAccessibleName(self.tr("Command or client"))
        self.search.setClearButtonEnabled(True)
        self.search.installEventFilter(self)
        self.search.textChanged.connect(self._typed)
        self.results = self._results_list()
        self._client_search = QTimer(self)
        self._client_search.setSingleShot(True)
        self._client_search.setInterval(CLIENT_SEARCH_DELAY_MS)
        self._client_search.timeout.connect(self._look_up_clients)
        self._worker = DatabaseWorker(self)
        self._searches = 0  # numbers what was typed: only the latest search's clients show
        self._searching = False  # the clients for what is typed are still to come
        self._enter_waiting = False  # Enter was pressed before they came
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.search)
        layout.addWidget(self.results)
        self.resize(560, 380)

    def _results_list(self) -> QTreeWidget:
        results = QTreeWidget()
        results.setAccessibleName(self.tr("Commands and clients"))
        results.setColumnCount(4)
        results.setHeaderHidden(True)
        results.setRootIsDecorated(False)
        results.setIndentation(0)
        results.setUniformRowHeights(True)
        results.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys stay in the search field
        results.setFrameShape(QFrame.Shape.NoFrame)
        header = results.header()
        header.setStretchLastSection(False)
        # The texts as wide as they need (see _fit_texts), why a client was found in the
        # room left over.
        header.setSectionResizeMode(_TEXT, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(_WHY, QHeaderView.ResizeMode.Stretch)
        # Fixed columns keep kinds and shortcuts in line from one search to the next.
        metrics = results.fontMetrics()
        kinds = [self.tr("Action"), *(vocabulary(stage) for stage in STAGES.values())]
        kind = max(metrics.horizontalAdvance(word) for word in kinds)
        shortcut = metrics.horizontalAdvance("Ctrl+Shift+W") + 16
        for column, width in ((_KIND, kind + 24), (_SHORTCUT, shortcut)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, width)
        results.itemClicked.connect(self._run)
        return results

    # --- Opening and closing ----------------------------------------------------------------

    def open(self) -> None:
        """Show the palette at the top of the window, empty, every command listed."""
        window = self.parentWidget().window()
        corner = window.mapToGlobal(QPoint((window.width() - self.width()) // 2, 48))
        self.move(corner)
        self.search.clear()
        self._clients = []
        self._list()
        self.show()
        self.raise_()
        self.activateWindow()
        self.search.setFocus(Qt.FocusReason.PopupFocusReason)

    def hideEvent(self, event) -> None:
        # Closed: no search for what was typed last, nor a result of one running.
        self._client_search.stop()
        self._searches += 1
        self._searching = self._enter_waiting = False
        super().hideEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            return self._key(event.key())
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event) -> None:
        if not self._key(event.key()):
            super().keyPressEvent(event)

    def _key(self, key: int) -> bool:
        """Arrows move in the list, Enter runs, Esc closes; True when the key was used."""
        if key in _MOVES:
            self.results.setCurrentIndex(
                self.results.moveCursor(_MOVES[key], Qt.KeyboardModifier.NoModifier)
            )
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._enter()
        elif key == Qt.Key.Key_Escape:
            self.close()
        else:
            return False
        return True

    # --- Listing ----------------------------------------------------------------------------

    def _enter(self) -> None:
        """Run the current row; with none yet, the first client found, once found."""
        if self.results.currentItem() is not None:
            self._run(self.results.currentItem())
        elif self._searching:
            self._enter_waiting = True
            if self._client_search.isActive():
                self._client_search.stop()
                self._look_up_clients()

    def _typed(self, text: str) -> None:
        self._searches += 1
        self._searching, self._enter_waiting = bool(text.strip()), False
        self._clients = []
        self._list()
        if self._searching:
            self._client_search.start()
        else:
            self._client_search.stop()

    def _look_up_clients(self) -> None:
        number, text = self._searches, self.search.text().strip()
        self._worker.run(
            lambda: self._find_clients(text)[:MAX_CLIENTS],
            lambda found: self._found(number, found),
            lambda _message: self._found(number, []),  # logged; the commands still work
        )

    def _found(self, number: int, clients: list[FoundClient]) -> None:
        if number != self._searches:
            return  # typed on, or closed, since
        self._searching, self._clients = False, clients
        self._list()
        if self._enter_waiting:
            self._enter_waiting = False
            self._enter()

    def busy(self) -> bool:
        """The clients for what is typed are still to come (for tests and scripts)."""
        return self._searching

    def _list(self) -> None:
        """The matching commands, then the clients found; the first row current."""
        typed = self.search.text()
        self.results.clear()
        for action in self._actions:
            if self._runnable(action) and matches(typed, plain_text(action)):
                shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
                self._add([plain_text(action), "", self.tr("Action"), shortcut], action)
        for client in self._clients:
            stage = vocabulary(STAGES[client.stage])
            self._add([client.name, client.reason, stage, ""], client.id)
        self._fit_texts()
        self.results.setCurrentItem(self.results.topLevelItem(0))

    def _fit_texts(self) -> None:
        """The texts' column as wide as its longest text, up to most of the list: names
        are read whole, why a client was found is cut short first."""
        metrics = self.results.fontMetrics()
        texts = (self.results.topLevelItem(i).text(_TEXT) for i in range(self._count()))
        widest = max((metrics.horizontalAdvance(text) for text in texts), default=0) + 24
        room = self.results.viewport().width() - sum(
            self.results.header().sectionSize(column) for column in (_KIND, _SHORTCUT)
        )
        self.results.header().resizeSection(_TEXT, max(0, min(widest, room * 2 // 3)))

    def _runnable(self, action: QAction) -> bool:
        """Enabled, visible, with a text, and not a submenu (which does nothing when run)."""
        return (
            bool(action.text())
            and action.isEnabled()
            and action.isVisible()
            and action.menu() is None
        )

    def _add(self, columns: list[str], target: QAction | int) -> None:
        """A row of [text, why, kind, shortcut]; all but the text quiet."""
        item = QTreeWidgetItem(columns)
        item.setData(_TEXT, _TARGET, target)
        item.setSizeHint(_TEXT, QSize(0, _ROW_HEIGHT))
        for column in (_WHY, _KIND, _SHORTCUT):
            item.setForeground(column, self.palette().placeholderText())
        if columns[_WHY]:  # elided when long: whole in the tooltip
            item.setToolTip(_WHY, plain_tooltip(columns[_WHY]))
        item.setTextAlignment(
            _SHORTCUT, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        )
        self.results.addTopLevelItem(item)

    def rows(self) -> list[tuple[str, str, str, str]]:
        """What the list shows: (text, why, kind, shortcut) per row."""
        items = (self.results.topLevelItem(i) for i in range(self._count()))
        return [tuple(item.text(column) for column in range(4)) for item in items]

    def _count(self) -> int:
        return self.results.topLevelItemCount()

    # --- Running ----------------------------------------------------------------------------

    def _run(self, item: QTreeWidgetItem) -> None:
        """Close first: the command may open a dialog, which must not sit under the popup."""
        target = item.data(_TEXT, _TARGET)
        self.close()
        if isinstance(target, QAction):
            target.trigger()
        else:
            self.client_chosen.emit(target)
