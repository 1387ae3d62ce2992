"""Undo in the window: a snapshot of the client before each change (models/clients/undo.py), put
back with Ctrl+Z or the Undo button of a bar that stays for half a minute."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from functools import partial

from peewee import DatabaseError
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton

from background.database_worker import DatabaseWorker
from models.clients.undo import (
    ClientSnapshot,
    UndoHistory,
    UndoStep,
    kinds_changed,
    restore_clients,
    snapshots_before,
    snapshots_of,
)
from models.store.changes import CLIENT_KINDS, Change
from ui.changes import ChangeBus

log = logging.getLogger(__name__)

# A step of more clients than this is put back on a worker: a month of printed cards at a
# big studio is thousands (24 s at XL), too long for the window to wait.
CLIENTS_UNDONE_HERE = 50

BAR_SHOWN_MS = 30_000  # Ctrl+Z keeps working for longer (models.clients.undo.KEEP_FOR)


class Changing:
    """Inside `UndoCommands.changing`: set `made = False` when nothing was changed after
    all (a dialog cancelled)."""

    made = True


class UndoCommands(QObject):
    """Every change to one client passes here: kept for Ctrl+Z, and reported (with the
    kinds of data it changed) to the window's one change path."""

    offered = Signal(str)  # a change can be undone: what it was
    undoing = Signal(str)  # a change of many clients is being undone, on a worker: what
    restored = Signal(int, str)  # the client put back, and what was undone
    not_restored = Signal(str)  # a change could not be undone (it still can be): why
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
        # Changes and undos of many clients run here, one after another, in the order asked.
        self._worker = DatabaseWorker(self)
        self._on_worker = 0  # of those, how many have not reported yet
        self._cleared = 0  # how many times the history was cleared: a step from before is stale

    @contextmanager
    def changing(self, client_id: int, what: str, also: Iterable[int] = ()) -> Iterator[Changing]:
        """Keep the client (and the clients `also` touched: a partner, a batch of cards) as
        they are; once the block made its change, offer to undo it, as one step, and report
        it. A block that raises changed nothing (writes are transactions). A change or undo
        still running on the worker is waited for first: steps are undone in the order made,
        and each from the data as it then was."""
        if self._on_worker:
            self._worker.finish()
        before = snapshots_before(client_id, also)  # None: deleted meanwhile (from Today, say)
        changing = Changing()
        yield changing
        if changing.made:
            self._offer(what, before, _kinds_after(before))

    def change_on(
        self,
        clients: Sequence[int],
        what: str,
        change: Callable[[], None],
        then: Callable[[], None],
        failed: Callable[[str], None],
    ) -> None:
        """`changing` the `clients` (the first as the client) with `change`, all of it on
        the worker, snapshots included: thousands of clients at once (a month of printed
        cards at a big studio) take seconds. Offered and reported here, then `then()`;
        `failed(message)` if the change raised (its transaction changed nothing)."""

        def work() -> tuple[dict[int, ClientSnapshot | None], dict[int, frozenset[str]]]:
            before = snapshots_before(clients[0], clients[1:])
            change()
            return before, _kinds_after(before)

        def made(taken: tuple) -> None:
            self._on_worker -= 1
            self._offer(what, *taken)
            then()

        def not_made(message: str) -> None:
            self._on_worker -= 1
            failed(message)

        self._on_worker += 1
        self._worker.run(work, made, not_made)

    def _offer(
        self,
        what: str,
        before: dict[int, ClientSnapshot | None],
        kinds: dict[int, frozenset[str]],
    ) -> None:
        """Offer to undo a change made to the clients `before` (the client first), and report
        what it changed: one report for the clients whose data changed alike."""
        snapshot, *others = before.values()
        if snapshot is not None:
            kept = tuple(other for other in others if other is not None)
            self.history.push(UndoStep(what, snapshot, self._now(), kept))
            self.offered.emit(what)
        self._report(kinds)

    def undo(self) -> bool:
        """Put back the newest change still in reach; False if there is none, or while a
        change or an undo runs on the worker (its step is not in the history yet, or the
        next one waits for it). A change of many clients is put back on the worker."""
        step = None if self._on_worker else self.history.pop_latest(self._now())
        if step is None:
            return False
        snapshots = (step.snapshot, *step.others)
        if len(snapshots) <= CLIENTS_UNDONE_HERE:
            self._restored(step, _put_back(snapshots))
            return True
        self._on_worker += 1
        self.undoing.emit(step.description)
        done = partial(self._restored_on_worker, step)
        failed = partial(self._not_restored, step, self._cleared)
        self._worker.run(partial(_put_back, snapshots), done, failed)
        return True

    def _restored_on_worker(self, step: UndoStep, kinds: dict[int, frozenset[str]]) -> None:
        self._on_worker -= 1
        self._restored(step, kinds)

    def _restored(self, step: UndoStep, kinds: dict[int, frozenset[str]]) -> None:
        """`kinds` changed, for each client put back, the first the step's own."""
        self._report(kinds)
        self.restored.emit(next(iter(kinds)), step.description)

    def _not_restored(self, step: UndoStep, cleared: int, message: str) -> None:
        """The step's transaction changed nothing: it is offered again, on top (nothing was
        added meanwhile: changes waited), unless the history was cleared since."""
        self._on_worker -= 1
        if cleared == self._cleared:
            self.history.push(step)
        self.not_restored.emit(message)

    def _report(self, kinds: dict[int, frozenset[str]]) -> None:
        """One report for the clients whose data changed alike."""
        alike: dict[frozenset[str], list[int]] = {}
        for client_id, changed in kinds.items():
            alike.setdefault(changed, []).append(client_id)
        for changed, client_ids in alike.items():
            self.changes.report(Change(frozenset(client_ids), changed))

    def follow(self, change: Change) -> None:
        """After an import or a restored backup, older snapshots no longer fit the data."""
        if change.at_large():
            self.history.clear()
            self._cleared += 1
            self.forgotten.emit()


def _put_back(snapshots: Sequence[ClientSnapshot]) -> dict[int, frozenset[str]]:
    """Put the clients back as `snapshots` saw them, as one step; for each, by the id it
    has now, the kinds of data that changed."""
    now = snapshots_of(snapshot.client.id for snapshot in snapshots)
    before = [now[snapshot.client.id] for snapshot in snapshots]
    restored = restore_clients(snapshots, now)  # (read once, before the write lock)
    return _kinds_after(dict(zip(restored, before, strict=True)))


def _kinds_after(before: dict[int, ClientSnapshot | None]) -> dict[int, frozenset[str]]:
    """`kinds_changed` since `before`, by a change made: it is reported whatever happens,
    and what could not be read (the database busy, say) is reported as every kind."""
    try:
        return kinds_changed(before)
    except DatabaseError:
        log.exception("What a change made could not be read; every kind of data is reported")
        return dict.fromkeys(before, CLIENT_KINDS)


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
