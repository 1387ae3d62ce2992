"""The window's Studio section (built when first shown) and its Ctrl+K palette."""

from __future__ import annotations

from PySide6.QtCore import Qt

from models.clients import save_client
from models.forms import ClientForm
from ui.main_window import SECTIONS


def test_the_studio_is_built_when_first_shown(qtbot, open_window, database):
    save_client(ClientForm(first_name="Anna", stage="lead"))
    window = open_window()
    assert window.dashboard is None
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    dashboard = window.dashboard
    assert window.sections.currentWidget() is dashboard
    qtbot.waitSignal(dashboard.refreshed, timeout=10000).wait()
    window.show_today()
    window.show_studio()
    assert window.dashboard is dashboard  # built once
    assert window.sidebar.currentRow() == SECTIONS.index("Studio")


def test_ctrl_k_finds_a_client_and_opens_their_page(qtbot, open_window, database):
    anna = save_client(ClientForm(first_name="Anna", last_name="Berger"))
    save_client(ClientForm(first_name="Jens", last_name="Hoffmann"))
    window = open_window()
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    palette = window.command_palette
    qtbot.waitUntil(palette.isVisible)
    qtbot.keyClicks(palette.search, "berg")
    with qtbot.waitSignal(palette.client_chosen, timeout=5000):
        qtbot.keyClick(palette.search, Qt.Key.Key_Return)
    assert window.page.client.id == anna.id
    assert window.sidebar.currentRow() == SECTIONS.index("Clients")


def test_ctrl_k_runs_a_menu_action(qtbot, window):
    window.open_palette()
    palette = window.command_palette
    qtbot.keyClicks(palette.search, "studio")
    assert [row[0] for row in palette.rows()] == ["Studio"]
    qtbot.keyClick(palette.search, Qt.Key.Key_Return)
    assert window.sidebar.currentRow() == SECTIONS.index("Studio")
