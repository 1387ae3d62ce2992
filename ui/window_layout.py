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

    def restore_geometry(self, window: QMainWindow) -> None:
        """Where the window was and how big: before it is first shown."""
        geometry = self._settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            window.restoreGeometry(geometry)

    def restore_section(self, sidebar: QListWidget) -> None:
        """The section the owner left, once the window can show it."""
        section = self._settings.value("window/section", type=int)
        if 0 <= section < sidebar.count():
            sidebar.setCurrentRow(section)

    def restore_splitter(self, splitter: QSplitter) -> None:
        """The list's width, once the Clients section is built (after the first paint)."""
        sizes = self._settings.value("window/clients_splitter")
        if isinstance(sizes, QByteArray):
            splitter.restoreState(sizes)

    def appearance(self) -> str:
        """The owner's appearance ("system", "light" or "dark") as last read from the
        database: the first paint comes before the database is open."""
        value = self._settings.value("window/appearance", "system")
        return value if isinstance(value, str) else "system"

    def remember_appearance(self, appearance: str) -> None:
        self._settings.setValue("window/appearance", appearance)

    def save(
        self, window: QMainWindow, splitter: QSplitter | None, sidebar: QListWidget | None
    ) -> None:
        """`splitter` None: the Clients section was never built, its width stays as saved;
        `sidebar` None: the section stays as saved."""
        self._settings.setValue("window/geometry", window.saveGeometry())
        if splitter is not None:
            self._settings.setValue("window/clients_splitter", splitter.saveState())
        if sidebar is not None:
            self._settings.setValue("window/section", sidebar.currentRow())
        self._settings.sync()
