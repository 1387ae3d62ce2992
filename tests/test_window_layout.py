"""The window comes back as the owner left it: size, list width, last view."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from tests.ui_helpers import wait_for_client_list
from ui.main_window import SECTIONS, MainWindow
from ui.window_layout import WindowLayout


def _window(qtbot, tmp_path, settings: QSettings) -> MainWindow:
    window = MainWindow(tmp_path / "rapport.sqlite")
    qtbot.addWidget(window)
    window.resize(1000, 700)
    window.remember_layout(WindowLayout(settings))
    window.show()
    qtbot.waitExposed(window)
    wait_for_client_list(qtbot, window)
    return window


def test_size_list_width_and_view_are_remembered(qtbot, database, tmp_path):
    settings = QSettings(str(tmp_path / "rapport.ini"), QSettings.Format.IniFormat)
    first = _window(qtbot, tmp_path, settings)
    assert first.sidebar.currentRow() == SECTIONS.index("Today")  # nothing remembered yet
    first.resize(1100, 720)
    first.show_clients()
    first.clients_splitter.setSizes([420, 680])
    width = first.clients_splitter.sizes()[0]
    first.quit()

    again = _window(
        qtbot, tmp_path, QSettings(str(tmp_path / "rapport.ini"), QSettings.Format.IniFormat)
    )
    assert again.sidebar.currentRow() == SECTIONS.index("Clients")
    assert (again.width(), again.height()) == (1100, 720)
    assert again.clients_splitter.sizes()[0] == width
    again.quit()
