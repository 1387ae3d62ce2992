"""A first start that guides: Today says what to do first, closing to
the tray is explained once, and Help names the shortcuts, the files and the version."""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel

from models.store.entities import Client
from models.store.settings import get_setting, is_on, set_setting
from tests.ui_helpers import when_dialog_opens
from ui.dialogs.client_dialog import ClientDialog
from ui.dialogs.help_dialogs import HelpDialog
from ui.dialogs.settings_dialog import SettingsDialog
from ui.tray import Tray

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def window(open_window, database):
    return open_window(size=(1024, 700))


def test_an_empty_database_s_today_says_what_to_do_first(qtbot, window):
    card = window.today_view.first_start
    assert window.sections.currentWidget() is window.today_view
    assert card.isVisibleTo(window)
    buttons = [b.text() for b in (card.add_button, card.import_button, card.name_button)]
    assert buttons == ["Add a client…", "Import contacts…", "Set your name…"]
    assert "{your_name}" in card.name_text.text()
    assert "09:00" in card.time_text.text()
    assert any("vCard (.vcf) or CSV" in label.text() for label in card.findChildren(QLabel))

    def name_yourself(dialog: SettingsDialog) -> None:
        assert dialog.focusWidget() is dialog.your_name  # the step opens where it points
        dialog.your_name.setText("Lena Wolf")
        dialog.save()

    seen = when_dialog_opens(name_yourself, kind=SettingsDialog)
    card.name_button.click()
    assert seen and get_setting("your_name") == "Lena Wolf"
    assert card.name_text.text() == "Your messages are signed “Lena Wolf”."

    seen = when_dialog_opens(lambda dialog: dialog.reject(), kind=QFileDialog)
    card.import_button.click()  # the import starts with choosing a vCard or CSV file
    assert seen

    def add_anna(dialog: ClientDialog) -> None:
        dialog.first_name.setText("Anna")
        dialog.accept()

    seen = when_dialog_opens(add_anna, kind=ClientDialog)
    card.add_button.click()
    assert seen and Client.select().count() == 1
    assert not card.isVisibleTo(window)  # the first client is in: the guide has done its job


def test_the_reminder_time_step_opens_settings_at_the_time(qtbot, window):
    card = window.today_view.first_start
    set_setting("reminder_time", "07:30")
    card.refresh()
    assert "07:30" in card.time_text.text()
    focused = []

    def look(dialog: SettingsDialog) -> None:
        focused.append(dialog.focusWidget() is dialog.reminder_time)
        dialog.reject()

    when_dialog_opens(look, kind=SettingsDialog)
    card.time_button.click()
    assert focused == [True]


def test_on_a_desktop_with_a_tray_the_window_makes_its_tray_icon(
    qtbot, open_window, database, monkeypatch
):
    """The tests' X server has no tray area: as if the desktop had one (and the icon
    apply_style gives the application)."""
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QSystemTrayIcon

    from ui.theme import ASSETS

    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: True))
    before = QApplication.windowIcon()
    QApplication.setWindowIcon(QIcon(str(ASSETS / "rapport.svg")))
    try:
        window = open_window()
        assert isinstance(window.tray, Tray) and window.tray.isVisible()
        window.tray.hide()
    finally:
        QApplication.setWindowIcon(before)


def test_closing_to_the_tray_is_explained_once(qtbot, window):
    # No tray area under the tests' X server: the window is given a tray icon of its own,
    # the real one the app makes, as if the desktop had a tray.
    window.tray = Tray(QApplication.windowIcon(), window)
    assert not is_on("told_about_tray")
    window.close()
    assert window.isHidden()  # still running, in the tray
    said = window.statusBar().currentMessage()
    assert said.startswith("Rapport is still running: It keeps reminding you from the tray.")
    assert "Quit Rapport" in said and "Ctrl+Q" in said
    assert is_on("told_about_tray")  # remembered in the settings, with the database

    window.statusBar().clearMessage()
    window.show()
    window.close()
    assert window.isHidden() and window.statusBar().currentMessage() == ""  # said once
    window.quit()


def test_help_lists_the_shortcuts_the_files_and_the_version(qtbot, window, tmp_path):
    window.log_folder = tmp_path / "log"
    shortcuts = when_dialog_opens(lambda dialog: dialog.reject(), kind=HelpDialog)
    window.show_shortcuts()
    rows = {label: shown.text() for label, shown in shortcuts[0].values.items()}
    assert rows["Go to anything…"] == "Ctrl+K"
    assert rows["New client…"] == "Ctrl+N" and rows["Keyboard shortcuts"] == "F1"
    assert "Delete" in rows

    opened = FolderOpener()
    QDesktopServices.setUrlHandler("file", opened, "open")
    try:
        files = when_dialog_opens(open_each_folder_then_close, kind=HelpDialog)
        window.show_data_folders()
    finally:
        QDesktopServices.unsetUrlHandler("file")
    rows = {label: shown.text() for label, shown in files[0].values.items()}
    assert rows["Your data"] == str(tmp_path / "rapport.sqlite")
    assert rows["Log"] == str(tmp_path / "log")
    assert rows["Backups"] == "not set up in this window"  # tests run without backups
    assert opened.folders == [str(tmp_path)]  # the log folder does not exist yet: its button is off
    assert not files[0].open_buttons["Log"].isEnabled()

    about = when_dialog_opens(lambda dialog: dialog.reject(), kind=HelpDialog)
    window.show_about()
    rows = {label: shown.text() for label, shown in about[0].values.items()}
    assert rows["Version"] == version("rapport")
    licences = about[0].licences.toPlainText()
    assert "PySide6_Essentials 6." in licences and "LGPL-3.0" in licences
    assert "peewee" in licences and "APScheduler" in licences and "Python 3." in licences
    assert "replace the Qt and PySide6 libraries" in licences
    assert "unknown" not in licences  # every library's licence is named
    help_menu = window.menuBar().actions()[-1].menu()
    assert [a.text() for a in help_menu.actions()] == [
        "&Keyboard shortcuts",
        "&User guide",
        "Your &data, backups and log",
        "",
        "&About Rapport",
    ]


class FolderOpener(QObject):
    """Stands in for the file manager: the desktop's handler of file: links."""

    def __init__(self):
        super().__init__()
        self.folders: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.folders.append(url.toLocalFile())


def open_each_folder_then_close(dialog: HelpDialog) -> None:
    for button in dialog.open_buttons.values():
        if button.isEnabled():
            button.click()
    dialog.reject()


def test_help_opens_the_user_guide_with_every_chapter_the_readme_links(qtbot, window):
    guides = when_dialog_opens(lambda dialog: dialog.reject())
    window.show_user_guide()
    text = guides[0].browser.toPlainText()
    for chapter in (
        "Installing",
        "First steps",
        "Importing your contacts",
        "Reminders and notifications",
        "Backups and restoring",
        "Moving to a new computer",
        "Uninstalling",
    ):
        assert chapter in text
    assert "~/.local/share/Rapport" in text  # where the data stays after uninstalling
    assert "docs/user-guide.md" in (ROOT / "README.md").read_text()
