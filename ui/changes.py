"""The one path every change takes in the window: a write reports a `Change`
(models/store/changes.py) here, and whatever shows data follows `changed`, connected once."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from models.store.changes import Change


class ChangeBus(QObject):
    changed = Signal(object)  # a Change: which clients, which kinds of data

    def report(self, change: Change) -> None:
        self.changed.emit(change)
