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

    def restore(self, window: QMainWindow, splitter: QSplitter, sidebar: QListWidget) -> None:
        geometry = self._settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            window.restoreGeometry(geometry)
        sizes = self._settings.value("window/clients_splitter")
        if isinstance(sizes, QByteArray):
            splitter.restoreState(sizes)
        section = self._settings.value("window/section", type=int)
        if 0 <= section < sidebar.count():
            sidebar.setCurrentRow(section)

    def save(self, window: QMainWindow, splitter: QSplitter, sidebar: QListWidget) -> None:
        self._settings.setValue("window/geometry", window.saveGeometry())
        self._settings.setValue("window/clients_splitter", splitter.saveState())
        self._settings.setValue("window/section", sidebar.currentRow())
        self._settings.sync()
