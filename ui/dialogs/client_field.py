"""A field that picks one client by typing part of their name: who referred a client.

The clients whose names match are listed under the field as the owner types (arrows move,
Enter or a click picks, Esc closes the list); emptying the field picks nobody. They are
found on a worker thread, one search at a time and always for the latest text: a few
milliseconds at 100,000 clients with the index of names, more while that index is being
built, and never a wait for the dialog.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from background.database_worker import DatabaseWorker
from models.clients.finder import NamedClient, clients_named

_CLIENT_ID = Qt.ItemDataRole.UserRole
_NAME = Qt.ItemDataRole.UserRole + 1  # the name alone, without what tells namesakes apart
CLIENTS_LISTED = 20  # at a time: typing on narrows them


class ClientField(QLineEdit):
    """Never offers `leave_out` (the client being edited, say)."""

    def __init__(
        self,
        chosen: NamedClient | None = None,
        leave_out: int | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(chosen.name if chosen else "", parent)
        self._leave_out = leave_out
        self._chosen_id = chosen.id if chosen else None
        self._chosen_name = chosen.name if chosen else ""
        self.setPlaceholderText(self.tr("— (type a client's name)"))
        self.setClearButtonEnabled(True)
        self.found = QStandardItemModel(self)
        self._completer = QCompleter(self.found, self)
        self._completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        # Not setCompleter(): that would put each name the arrows pass over into the field,
        # and have the completer filter what the search found.
        self._completer.setWidget(self)
        self._completer.activated[QModelIndex].connect(self._pick)
        self.popup().setObjectName("clientsFound")
        self._worker = DatabaseWorker(self)
        self._edits = 0  # numbers the owner's edits: a search's clients show for the latest
        self._searching = False  # a search runs on the worker
        self._search_again = False  # typed on since it started
        self.textEdited.connect(self._typed)

    def chosen_id(self) -> int | None:
        """The client picked; None for nobody, or while a name is typed but not picked."""
        return self._chosen_id

    def busy(self) -> bool:
        """The clients for what is typed are still to come (for tests and scripts)."""
        return self._searching

    def popup(self) -> QWidget:
        return self._completer.popup()

    # --- Searching --------------------------------------------------------------------------

    def _typed(self, text: str) -> None:
        self._chosen_id = None
        self._edits += 1
        if text.strip():
            self._search()
        else:  # emptied: nobody, and no list
            self._search_again = False
            self.popup().hide()

    def keyPressEvent(self, event) -> None:
        """Down with the list closed lists the clients for what is there (the first in
        the order of names, for an empty field)."""
        if event.key() == Qt.Key.Key_Down and not self.popup().isVisible():
            self._search()
        else:
            super().keyPressEvent(event)

    def _search(self) -> None:
        if self._searching:  # one at a time: the latest text once this one is back
            self._search_again = True
            return
        self._searching, self._search_again = True, False
        # A client picked is looked for by name: the field may also say their email.
        text = self._chosen_name if self._chosen_id is not None else self.text()
        edit = self._edits
        self._worker.run(
            lambda: clients_named(text, CLIENTS_LISTED, self._leave_out),
            lambda clients: self._show(edit, clients),
            lambda _why: self._show(edit, []),  # logged; said as nothing found
        )

    def _show(self, edit: int, clients: list[NamedClient]) -> None:
        self._searching = False
        if self._search_again:
            self._search()
            return
        if edit != self._edits:
            return  # emptied since
        self.found.clear()
        for client in clients:
            item = QStandardItem(self._shown(client))  # a view's item: text, never markup
            item.setData(client.id, _CLIENT_ID)
            item.setData(client.name, _NAME)
            item.setEditable(False)
            self.found.appendRow(item)
        if not clients:
            nobody = QStandardItem(self.tr("No client's name has that"))
            nobody.setFlags(Qt.ItemFlag.NoItemFlags)
            self.found.appendRow(nobody)
        if self.hasFocus():
            self._completer.complete()
            if clients:  # Enter picks the first
                self.popup().setCurrentIndex(self.found.index(0, 0))

    def _shown(self, client: NamedClient) -> str:
        if not client.detail:
            return client.name
        return self.tr("{name} · {detail}").format(name=client.name, detail=client.detail)

    def _pick(self, index: QModelIndex) -> None:
        client_id = index.data(_CLIENT_ID)
        if client_id is not None:
            self._chosen_id, self._chosen_name = client_id, index.data(_NAME)
            self.setText(index.data())  # with what told namesakes apart

    def hideEvent(self, event) -> None:
        # The dialog closes: a search in flight finishes (milliseconds) before it goes.
        self._worker.wait()
        super().hideEvent(event)
