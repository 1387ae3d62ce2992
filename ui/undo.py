"""Undo in the window: a snapshot of the client before each change (models/clients/undo.py), put
back with Ctrl+Z or the Undo button of a bar that stays for half a minute."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton

from models.clients.undo import UndoHistory, UndoStep, restore_client, snapshot_client
from models.store.entities import Client

BAR_SHOWN_MS = 30_000  # Ctrl+Z keeps working for longer (models.clients.undo.KEEP_FOR)


class Change:
    """Inside `UndoCommands.changing`: set `made = False` when nothing was changed after
    all (a dialog cancelled)."""

    made = True


class UndoCommands(QObject):
    offered = Signal(str)  # a change can be undone: what it was
    restored = Signal(int, str)  # the client put back, and what was undone

    def __init__(self, now: Callable[[], datetime], parent: QObject | None = None):
        super().__init__(parent)
        self._now = now
        self.history = UndoHistory()

    @contextmanager
    def changing(self, client_id: int, what: str) -> Iterator[Change]:
        """Keep the client as they are; once the block made its change, offer to undo it.
        A block that raises changed nothing (writes are transactions) and offers nothing."""
        try:
            snapshot = snapshot_client(client_id)
        except Client.DoesNotExist:  # deleted meanwhile (from Today, say): nothing to keep
            snapshot = None
        change = Change()
        yield change
        if change.made and snapshot is not None:
            self.history.push(UndoStep(what, snapshot, self._now()))
            self.offered.emit(what)

    def undo(self) -> bool:
        """Put back the newest change still in reach; False if there is none."""
        step = self.history.pop_latest(self._now())
        if step is None:
            return False
        client_id = restore_client(step.snapshot)
        self.restored.emit(client_id, step.description)
        return True

    def forget(self) -> None:
        """After an import or a restored backup, older snapshots no longer fit the data."""
        self.history.clear()


class UndoBar(QFrame):
    """ "Deleted Anna Berger  [Undo]", at the foot of the window for half a minute."""

    def __init__(self, commands: UndoCommands, parent=None):
        super().__init__(parent)
        self.setObjectName("undoBar")
        self.message = QLabel()
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # descriptions quote user text
        self.undo_button = QPushButton(self.tr("Undo"))
        self.undo_button.setToolTip("Ctrl+Z")
        self.undo_button.clicked.connect(commands.undo)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 6, 16, 6)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.undo_button)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(BAR_SHOWN_MS)
        self._timer.timeout.connect(self.hide)
        commands.offered.connect(self.offer)
        commands.restored.connect(lambda _id, what: self.hide())
        self.hide()

    def offer(self, what: str) -> None:
        self.message.setText(what)
        self.show()
        self._timer.start()
