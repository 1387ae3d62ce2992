"""The window as the owner left it: size and place, the list's width, the last view.

Kept with QSettings (the platform's place for such things), not in the database: it
belongs to this computer's screen, not to the client data.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QListWidget, QMainWindow, QSplitter


class WindowLayout:
    def __init__(self, settings: QSettings):
        self._settings = settings

    def restore(self, window: QMainWindow, sidebar: QListWidget) -> None:
        geometry = self._settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            window.restoreGeometry(geometry)
        section = self._settings.value("window/section", type=int)
        if 0 <= section < sidebar.count():
            sidebar.setCurrentRow(section)

    def restore_splitter(self, splitter: QSplitter) -> None:
        """The list's width, once the Clients section is built (after the first paint)."""
        sizes = self._settings.value("window/clients_splitter")
        if isinstance(sizes, QByteArray):
            splitter.restoreState(sizes)

    def save(self, window: QMainWindow, splitter: QSplitter | None, sidebar: QListWidget) -> None:
        """`splitter` None: the Clients section was never built, its width stays as saved."""
        self._settings.setValue("window/geometry", window.saveGeometry())
        if splitter is not None:
            self._settings.setValue("window/clients_splitter", splitter.saveState())
        self._settings.setValue("window/section", sidebar.currentRow())
        self._settings.sync()
