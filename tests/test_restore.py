"""Restoring a backup from Settings, as a user would."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtWidgets import QMessageBox

from models.backups import list_backups, make_backup, restore_backup
from models.clients import save_client
from models.entities import Client
from models.forms import ClientForm
from scheduler.backup_service import BackupService
from tests.ui_helpers import answer_delete, wait_for_client_list, when_dialog_opens
from ui.dialogs.backups_box import BackupsBox


class Clock:
    def __init__(self):
        self.moment = datetime(2026, 11, 25, 18, tzinfo=UTC)

    def __call__(self):
        self.moment += timedelta(minutes=1)
        return self.moment


@pytest.fixture
def clock():
    return Clock()


def test_restore_from_settings_brings_the_data_back(qtbot, open_window, database, tmp_path, clock):
    path = tmp_path / "rapport.sqlite"
    save_client(ClientForm(first_name="Anna"))
    window = open_window()
    service = BackupService(path, tmp_path / "backups", clock)
    window.use_backups(service)
    service.back_up_now()
    save_client(ClientForm(first_name="Ben"))
    seen = []

    def in_settings(dialog) -> None:
        box = dialog.findChild(BackupsBox)
        seen.append(box.list.count())
        box.list.setCurrentRow(0)
        when_dialog_opens(lambda ask: ask.button(QMessageBox.StandardButton.Yes).click())
        box.restore_button.click()
        seen.append(box.list.count())  # the backup of what was there before, added
        dialog.reject()

    when_dialog_opens(in_settings)
    window.open_settings()
    assert seen == [1, 2]
    assert [c.first_name for c in Client.select()] == ["Anna"]
    wait_for_client_list(qtbot, window)
    assert window.list_model.rowCount() == 1
    assert "Restored the backup" in window.statusBar().currentMessage()
    window.quit()


def test_the_copy_made_before_a_restore_is_listed_and_only_the_owner_removes_it(
    qtbot, database, tmp_path
):
    path, folder = tmp_path / "rapport.sqlite", tmp_path / "backups"
    moment = datetime(2026, 11, 25, 18, tzinfo=UTC)
    daily = make_backup(path, folder, moment)
    safety = restore_backup(daily.path, path, folder, moment + timedelta(hours=1))
    box = BackupsBox(folder, lambda: None, lambda backup: None)
    qtbot.addWidget(box)
    texts = [box.list.item(row).text() for row in range(box.list.count())]
    assert "before a restore, kept until you remove it" in texts[0]
    assert "before a restore" not in texts[1]
    box.list.setCurrentRow(1)
    assert box.restore_button.isEnabled() and not box.remove_button.isEnabled()
    box.list.setCurrentRow(0)
    assert box.remove_button.isEnabled()
    when_dialog_opens(answer_delete)
    box.remove_button.click()
    assert not safety.path.exists()
    assert list_backups(folder) == [daily]
    assert box.list.count() == 1
