"""File dialogs start in the home folder and remember the last folder (in QSettings)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QWidget

from models.clients import save_client
from models.forms import ClientForm
from tests.ui_helpers import when_dialog_opens
from ui.exports import Exports
from ui.file_dialogs import remember_folders_in
from ui.import_flow import ImportFlow


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """A home folder of the test's own, and QSettings in a file of the test's own."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    remember_folders_in(QSettings(str(tmp_path / "rapport.ini"), QSettings.Format.IniFormat))
    yield home
    remember_folders_in(None)


def where_it_opens(answer) -> list[tuple[str, list[str]]]:
    """(the folder, the file names offered) of the next file dialog, which `answer`s it."""
    seen = []

    def look(dialog: QFileDialog) -> None:
        seen.append((dialog.directory().absolutePath(), dialog.selectedFiles()))
        answer(dialog)

    when_dialog_opens(look, kind=QFileDialog)
    return seen


def test_the_first_dialog_opens_in_home_and_the_next_in_the_folder_chosen_last(
    qtbot, database, home, tmp_path
):
    save_client(ClientForm(first_name="Anna"))
    parent = QWidget()
    qtbot.addWidget(parent)
    exports = Exports(
        parent, lambda: datetime(2026, 6, 16, 9, tzinfo=UTC), tmp_path / "rapport.sqlite"
    )
    photos = tmp_path / "Pictures" / "exports"
    photos.mkdir(parents=True)

    def save_in_photos(dialog: QFileDialog) -> None:
        dialog.selectFile(str(photos / "clients.vcf"))
        dialog.accept()

    seen = where_it_opens(save_in_photos)
    with qtbot.waitSignal(exports.written, timeout=10000):
        exports.vcards()
    assert seen == [(str(home), [str(home / "clients.vcf")])]
    assert (photos / "clients.vcf").exists()

    seen = where_it_opens(lambda dialog: dialog.reject())
    ImportFlow(parent).choose_file()
    assert seen[0][0] == str(photos)

    # Remembered across starts: a new QSettings on the same file has it too.
    remember_folders_in(QSettings(str(tmp_path / "rapport.ini"), QSettings.Format.IniFormat))
    seen = where_it_opens(lambda dialog: dialog.reject())
    ImportFlow(parent).choose_file()
    assert seen[0][0] == str(photos)


def test_a_folder_that_is_gone_is_not_offered(qtbot, database, home, tmp_path):
    gone = tmp_path / "usb-stick"
    settings = QSettings(str(tmp_path / "rapport.ini"), QSettings.Format.IniFormat)
    settings.setValue("files/last_folder", str(gone))
    remember_folders_in(settings)
    parent = QWidget()
    qtbot.addWidget(parent)
    seen = where_it_opens(lambda dialog: dialog.reject())
    ImportFlow(parent).choose_file()
    assert seen[0][0] == str(home)
