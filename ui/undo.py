"""Undo in the window: a snapshot of the client before each change (models/clients/undo.py), put
back with Ctrl+Z or the Undo button of a bar that stays for half a minute."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton

from models.clients.undo import (
    ClientSnapshot,
    UndoHistory,
    UndoStep,
    changed_kinds,
    restore_clients,
    snapshot_client,
)
from models.store.changes import Change, client_change
from models.store.entities import Client
from ui.changes import ChangeBus

BAR_SHOWN_MS = 30_000  # Ctrl+Z keeps working for longer (models.clients.undo.KEEP_FOR)


class Changing:
    """Inside `UndoCommands.changing`: set `made = False` when nothing was changed after
    all (a dialog cancelled)."""

    made = True


class UndoCommands(QObject):
    """Every change to one client passes here: kept for Ctrl+Z, and reported (with the
    kinds of data it changed) to the window's one change path."""

    offered = Signal(str)  # a change can be undone: what it was
    restored = Signal(int, str)  # the client put back, and what was undone
    forgotten = Signal()  # nothing left to undo: the data changed at large

    def __init__(
        self,
        now: Callable[[], datetime],
        parent: QObject | None = None,
        *,
        changes: ChangeBus | None = None,
    ):
        super().__init__(parent)
        self._now = now
        self.history = UndoHistory()
        self.changes = changes or ChangeBus(self)

    @contextmanager
    def changing(self, client_id: int, what: str, also: Iterable[int] = ()) -> Iterator[Changing]:
        """Keep the client (and the clients `also` touched: a partner, a batch of cards) as
        they are; once the block made its change, offer to undo it, as one step, and report
        it. A block that raises changed nothing (writes are transactions)."""
        snapshot = _snapshot_or_none(client_id)  # None: deleted meanwhile (from Today, say)
        others = {other: _snapshot_or_none(other) for other in dict.fromkeys(also)}
        others.pop(client_id, None)
        changing = Changing()
        yield changing
        if not changing.made:
            return
        if snapshot is not None:
            kept = tuple(other for other in others.values() if other is not None)
            self.history.push(UndoStep(what, snapshot, self._now(), kept))
            self.offered.emit(what)
        self._report(client_id, snapshot)
        for other, before in others.items():
            self._report(other, before)

    def undo(self) -> bool:
        """Put back the newest change still in reach; False if there is none."""
        step = self.history.pop_latest(self._now())
        if step is None:
            return False
        befores = [_snapshot_or_none(s.client.id) for s in (step.snapshot, *step.others)]
        restored = restore_clients((step.snapshot, *step.others))
        for client_id, before in zip(restored, befores, strict=True):
            self._report(client_id, before)
        self.restored.emit(restored[0], step.description)
        return True

    def _report(self, client_id: int, before: ClientSnapshot | None) -> None:
        after = _snapshot_or_none(client_id)
        self.changes.report(client_change(client_id, changed_kinds(before, after)))

    def follow(self, change: Change) -> None:
        """After an import or a restored backup, older snapshots no longer fit the data."""
        if change.at_large():
            self.history.clear()
            self.forgotten.emit()


def _snapshot_or_none(client_id: int) -> ClientSnapshot | None:
    try:
        return snapshot_client(client_id)
    except Client.DoesNotExist:
        return None


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
        commands.forgotten.connect(self.hide)
        self.hide()

    def offer(self, what: str) -> None:
        self.message.setText(what)
        self.show()
        self._timer.start()
