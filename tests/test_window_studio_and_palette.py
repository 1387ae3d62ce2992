"""The window's Studio section (built when first shown) and its Ctrl+K palette."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt

from models.clients import save_client
from models.forms import ClientForm
from tests.ui_helpers import wait_for_client_list
from ui.main_window import SECTIONS, MainWindow

NOW = datetime(2026, 11, 25, 10, tzinfo=UTC)


def _window(qtbot, tmp_path) -> MainWindow:
    window = MainWindow(tmp_path / "rapport.sqlite", now=lambda: NOW)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()  # shortcuts go to the active window
    qtbot.waitUntil(window.isActiveWindow)
    wait_for_client_list(qtbot, window)
    return window


def test_the_studio_is_built_when_first_shown(qtbot, database, tmp_path):
    save_client(ClientForm(first_name="Anna", stage="lead"))
    window = _window(qtbot, tmp_path)
    assert window.dashboard is None
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    dashboard = window.dashboard
    assert window.sections.currentWidget() is dashboard
    qtbot.waitSignal(dashboard.refreshed, timeout=10000).wait()
    window.show_today()
    window.show_studio()
    assert window.dashboard is dashboard  # built once
    assert window.sidebar.currentRow() == SECTIONS.index("Studio")


def test_ctrl_k_finds_a_client_and_opens_their_page(qtbot, database, tmp_path):
    anna = save_client(ClientForm(first_name="Anna", last_name="Berger"))
    save_client(ClientForm(first_name="Jens", last_name="Hoffmann"))
    window = _window(qtbot, tmp_path)
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    palette = window.command_palette
    qtbot.waitUntil(palette.isVisible)
    qtbot.keyClicks(palette.search, "berg")
    with qtbot.waitSignal(palette.client_chosen, timeout=5000):
        qtbot.keyClick(palette.search, Qt.Key.Key_Return)
    assert window.page.client.id == anna.id
    assert window.sidebar.currentRow() == SECTIONS.index("Clients")


def test_ctrl_k_runs_a_menu_action(qtbot, database, tmp_path):
    window = _window(qtbot, tmp_path)
    window.open_palette()
    palette = window.command_palette
    qtbot.keyClicks(palette.search, "studio")
    assert [row[0] for row in palette.rows()] == ["Studio"]
    qtbot.keyClick(palette.search, Qt.Key.Key_Return)
    assert window.sidebar.currentRow() == SECTIONS.index("Studio")
