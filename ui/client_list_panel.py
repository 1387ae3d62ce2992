"""The left side: search box, client list, and what to do when there are no clients."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ui.client_filter_bar import ClientFilterBar
from ui.client_list_delegate import ClientListDelegate
from ui.client_list_model import ClientIdRole, ClientListModel

_SEARCH_DELAY_MS = 150  # wait for a pause in typing before querying


class ClientListPanel(QWidget):
    client_selected = Signal(int)
    selection_cleared = Signal()
    delete_requested = Signal(int)
    new_client_requested = Signal()
    sample_requested = Signal()
    not_listed = Signal(int)  # a client asked for is not in the list (e.g. searched away)

    def __init__(self, model: ClientListModel, today: Callable[[], date], parent=None):
        super().__init__(parent)
        self.model = model
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search clients…"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(self.tr("Search clients"))
        self._search_timer = QTimer(self, singleShot=True, interval=_SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._find)
        self.search.textChanged.connect(self._search_timer.start)
        self.search.installEventFilter(self)  # Enter and Down lead to the results
        self.filter_bar = ClientFilterBar(today)
        self.filter_bar.changed.connect(self._find)
        self.list = self._build_list()
        self.empty_state = self._build_empty_state()
        self.no_match = QLabel()
        self.no_match.setWordWrap(True)
        self.no_match.setObjectName("emptyState")
        self.no_match.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        for widget in (self.list, self.empty_state, self.no_match):
            self.stack.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 0, 12)
        # While the search index of an older database is built (ui/search_index_build.py).
        self.index_notice = QLabel()
        self.index_notice.setWordWrap(True)
        self.index_notice.setTextFormat(Qt.TextFormat.PlainText)
        self.index_notice.hide()
        layout.addWidget(self.search)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.index_notice)
        layout.addWidget(self.stack, 1)
        self._wanted: int | None = None  # to select once the search is in
        self._kept: int | None = None  # current before the search; selected again if listed
        self._first_search = True
        # Enter or Down pressed in the search before its results were in: done with them.
        self._key_waiting: Qt.Key | None = None
        model.modelAboutToBeReset.connect(self._remember_current)
        model.first_found.connect(self._show_first_found)
        model.found.connect(self._after_search)
        model.failed.connect(self._show_failure)

    def show_index_progress(self, percent: int) -> None:
        self.index_notice.setText(
            self.tr(
                "The search index is being built ({percent}%). Until it is ready, search "
                "finds names, emails and phones only."
            ).format(percent=percent)
        )
        self.index_notice.show()

    def show_index_failure(self, reason: str) -> None:
        self.index_notice.setText(
            self.tr(
                "The search index could not be built ({reason}): search finds names, "
                "emails and phones only. Rapport tries again at the next start."
            ).format(reason=reason)
        )
        self.index_notice.show()

    def index_built(self) -> None:
        """Search with the whole index from now on: what is typed is looked up again."""
        self.index_notice.hide()
        self._find()

    def _find(self) -> None:
        self.model.set_criteria(replace(self.filter_bar.filters, text=self.search.text()))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.search
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Down)
        ):
            self._to_results_of_what_is_typed(Qt.Key(event.key()))
            return True
        return super().eventFilter(watched, event)

    def _to_results_of_what_is_typed(self, key: Qt.Key) -> None:
        """Go to the results of what is typed now, even if typed a moment ago."""
        self._key_waiting = key
        if self._search_timer.isActive():
            self._search_timer.stop()
            self._find()
        elif not self.model.searching():
            self._go_to_results()

    def _go_to_results(self) -> None:
        """Into the list: with Enter, opening the first client; with Down, at the current
        client if it is listed, else the first. Nothing found: the search keeps the keys."""
        key, self._key_waiting = self._key_waiting, None
        if not self.model.rowCount():
            return
        if key != Qt.Key.Key_Down or not self.list.currentIndex().isValid():
            self._select_row(0)
        self.list.setFocus(Qt.FocusReason.OtherFocusReason)

    def _build_list(self) -> QListView:
        view = QListView()
        view.setModel(self.model)
        view.setItemDelegate(ClientListDelegate(view))
        view.setUniformItemSizes(True)
        # Lay out the rows a batch per turn of the event loop: for 100,000 clients a
        # layout at once would freeze the window for a quarter of a second on each reload.
        view.setLayoutMode(QListView.LayoutMode.Batched)
        view.setBatchSize(1000)
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setAccessibleName(self.tr("Clients"))
        view.selectionModel().currentRowChanged.connect(self._current_changed)
        delete = QAction(self.tr("Delete client"), view)
        delete.setShortcut(QKeySequence.StandardKey.Delete)
        delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete.triggered.connect(self._delete_current)
        view.addAction(delete)
        return view

    def _build_empty_state(self) -> QWidget:
        panel = QWidget()
        text = QLabel(
            self.tr(
                "No clients yet.\nAdd your first client, or load sample clients to look around."
            )
        )
        text.setObjectName("emptyState")
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        add = QPushButton(self.tr("Add a client"))
        add.setProperty("primary", True)
        add.clicked.connect(self.new_client_requested)
        sample = QPushButton(self.tr("Load sample clients"))
        sample.clicked.connect(self.sample_requested)
        layout = QVBoxLayout(panel)
        layout.addStretch()
        for widget in (text, add, sample):
            layout.addWidget(widget)
        layout.addStretch()
        return panel

    def _show_list_or_empty_state(self) -> None:
        if self.model.total():
            self.stack.setCurrentWidget(self.list)
        elif self.search.text().strip() or self.model.criteria.filters_set():
            self.no_match.setText(self.tr("No client matches your search and filters."))
            self.stack.setCurrentWidget(self.no_match)
        else:
            self.stack.setCurrentWidget(self.empty_state)

    def _show_first_found(self) -> None:
        """The first clients found are shown at once; "no client matches" waits for the
        whole search."""
        if self.model.total():
            self.stack.setCurrentWidget(self.list)

    def _current_changed(self, current, _previous) -> None:
        if current.isValid():
            self.client_selected.emit(current.data(ClientIdRole))
        else:
            self.selection_cleared.emit()

    def current_client_id(self) -> int | None:
        index = self.list.currentIndex()
        return index.data(ClientIdRole) if index.isValid() else None

    def select_client(self, client_id: int) -> None:
        """Make the client current as soon as the list shows them; if it does not (the
        search leaves them out), say so with `not_listed`."""
        self._wanted = client_id
        if not self.model.searching():
            self._select_wanted()

    def _select_wanted(self) -> None:
        client_id, self._wanted = self._wanted, None
        row = self.model.row_of(client_id)
        if row is None:
            self.not_listed.emit(client_id)
        else:
            self._select_row(row)

    def _remember_current(self) -> None:
        """Before the list is emptied for a search; the client current before a search
        is not forgotten when its whole result, coming after its first rows, resets the
        list once more."""
        if self._kept is None:
            self._kept = self.current_client_id()

    def _after_search(self) -> None:
        """Keep (or move to) the client asked for; at the start, the first one."""
        self._show_list_or_empty_state()
        # A client chosen among the first rows while the rest was found stays chosen.
        kept, self._kept = self.current_client_id() or self._kept, None
        kept_row = None if kept is None else self.model.row_of(kept)
        opening_first = self._key_waiting in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if self._wanted is not None:
            self._select_wanted()
        elif kept_row is not None and not opening_first:
            self._select_row(kept_row)
        elif self._first_search and not opening_first:
            if self.model.rowCount():
                self._select_row(0)
            else:
                self.selection_cleared.emit()
        self._first_search = False
        if self._key_waiting is not None:
            self._go_to_results()

    def _show_failure(self, message: str) -> None:
        self._key_waiting = None
        self.no_match.setText(
            self.tr("Rapport could not search the clients: {reason}").format(reason=message)
        )
        self.stack.setCurrentWidget(self.no_match)

    def _select_row(self, row: int) -> None:
        index = self.model.index(row)
        self.list.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        self.list.scrollTo(index)

    def _delete_current(self) -> None:
        client_id = self.current_client_id()
        if client_id is not None:
            self.delete_requested.emit(client_id)
