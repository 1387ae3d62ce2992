"""The window comes back as the owner left it: size, list width, last view."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from ui.main_window import SECTIONS
from ui.window_layout import WindowLayout


def test_size_list_width_and_view_are_remembered(open_window, database, tmp_path):
    def settings() -> WindowLayout:
        return WindowLayout(QSettings(str(tmp_path / "rapport.ini"), QSettings.Format.IniFormat))

    first = open_window(size=(1000, 700), layout=settings())
    assert first.sidebar.currentRow() == SECTIONS.index("Today")  # nothing remembered yet
    first.resize(1100, 720)
    first.show_clients()
    first.clients_splitter.setSizes([420, 680])
    width = first.clients_splitter.sizes()[0]
    first.quit()

    again = open_window(size=(1000, 700), layout=settings())
    assert again.sidebar.currentRow() == SECTIONS.index("Clients")
    assert (again.width(), again.height()) == (1100, 720)
    assert again.clients_splitter.sizes()[0] == width
    again.quit()
