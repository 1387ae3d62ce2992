"""The window comes back as the owner left it: size, list width, last view."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from ui.after_first_paint import AT_THE_LATEST_MS
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


def test_a_window_closed_before_its_client_list_was_built_keeps_the_list_width(
    open_window, database, tmp_path, qtbot
):
    """The Clients section is built after the first paint: a window closed before that
    (quit at once, from the tray) must not forget the list's width the owner chose."""
    from ui.main_window import MainWindow

    store = QSettings(str(tmp_path / "rapport.ini"), QSettings.Format.IniFormat)
    first = open_window(layout=WindowLayout(store))
    first.show_clients()
    first.clients_splitter.setSizes([420, 680])
    first.show_today()
    first.quit()
    chosen = store.value("window/clients_splitter")

    unshown = MainWindow(tmp_path / "rapport.sqlite", now=first._now)
    qtbot.addWidget(unshown)
    unshown.remember_layout(WindowLayout(store))
    assert unshown._clients_splitter is None  # never shown: not built
    unshown.quit()
    assert store.value("window/clients_splitter") == chosen
    qtbot.wait(AT_THE_LATEST_MS + 200)  # when an unpainted window builds it all the same
    assert unshown._clients_splitter is None  # but not once it was closed


def test_the_appearance_chosen_in_settings_is_remembered_for_the_next_first_paint(
    open_window, database, tmp_path, monkeypatch
):
    """main.py paints the frame before the database (which holds the choice) is open."""
    from PySide6.QtWidgets import QDialogButtonBox

    from tests.ui_helpers import when_dialog_opens

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))  # the autostart file
    layout = WindowLayout(QSettings(str(tmp_path / "rapport.ini"), QSettings.Format.IniFormat))
    window = open_window(layout=layout)
    assert layout.appearance() == "system"

    def dark(dialog) -> None:
        dialog.appearance.setCurrentIndex(dialog.appearance.findData("dark"))
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()

    when_dialog_opens(dark)
    window.open_settings()
    assert layout.appearance() == "dark"
    window.quit()
