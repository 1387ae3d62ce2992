"""Writing to a client from a template, as a user: fill, copy, log as sent."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QPushButton

from models.clients import save_client
from models.entities import Client, Interaction
from models.forms import ClientForm, InteractionForm
from models.records import save_interaction
from models.reminder_store import collect_reminders, reminder_window
from models.settings import reminder_time, set_setting
from models.templates import get_template
from tests.ui_helpers import NOW, when_dialog_opens
from ui.dialogs.compose_dialog import ComposeDialog
from ui.dialogs.templates_dialog import TemplatesDialog

BERLIN = ZoneInfo("Europe/Berlin")


def test_compose_a_thank_you_copy_it_and_log_it_as_sent(open_window, database):
    jens = save_client(
        ClientForm(first_name="Jens", emails="jens@example.org", keep_in_touch_days="30")
    )
    shoot = InteractionForm("session", NOW - timedelta(days=40), "Portraits")
    save_interaction(shoot, jens.id)
    set_setting("your_name", "Lena")
    window_ = reminder_window(NOW, BERLIN, reminder_time())
    [overdue] = [r for r in collect_reminders(window_) if r.kind == "check_in"]
    window = open_window()
    window.open_client(jens.id)

    def write(dialog: ComposeDialog) -> None:
        assert dialog.subject.text() == "Thank you, Jens!"
        assert "the session on 16 October 2026" in dialog.body.toPlainText()
        assert not dialog.notice.isVisibleTo(dialog)
        assert dialog.mail_button.isEnabled()
        dialog.body.setPlainText(dialog.body.toPlainText() + "\nP.S. The prints are lovely.")
        dialog.copy()
        assert QGuiApplication.clipboard().text().startswith("Thank you, Jens!\n\nDear Jens,")
        dialog.log_button.click()

    seen = when_dialog_opens(write)
    next(b for b in window.page.findChildren(QPushButton) if b.text() == "Write…").click()
    assert len(seen) == 1
    [sent] = Interaction.select().where(Interaction.kind == "email")
    assert sent.summary == "Thank-you note: Thank you, Jens!"
    assert sent.body.endswith("P.S. The prints are lovely.")
    assert sent.occurred_at == NOW
    assert window.page.history.rowCount() == 2  # on the page at once
    assert not [r for r in collect_reminders(window_) if r.kind == "check_in"]  # reset...
    month_on = reminder_window(NOW + timedelta(days=30), BERLIN, reminder_time())
    [check_in] = [r for r in collect_reminders(month_on) if r.kind == "check_in"]
    assert check_in.occurs_on == date(2026, 12, 25) != overdue.occurs_on  # ...to a month on
    window.quit()


def test_a_missing_value_is_pointed_out(qtbot, database):
    mia = save_client(ClientForm(first_name="Mia"))
    dialog = ComposeDialog(Client.get_by_id(mia.id), "anniversary", today=lambda: NOW.date())
    qtbot.addWidget(dialog)
    assert dialog.notice.isVisibleTo(dialog)
    assert "{partner_name}, {years}, {your_name}" in dialog.notice.text()
    assert dialog.notice.text().endswith("Your name is set under File → Settings.")
    assert not dialog.mail_button.isEnabled()  # no email address on file


def test_templates_are_edited_and_an_unknown_placeholder_is_named(qtbot, database):
    dialog = TemplatesDialog("birthday")
    qtbot.addWidget(dialog)
    assert dialog.subject.text() == "Happy birthday, {first_name}!"
    dialog.body.setPlainText("Alles Gute, {frist_name}!")
    dialog.accept()
    assert dialog.result() == 0
    assert "Rapport does not know {frist_name}" in dialog.error_label.text()
    assert dialog.body.property("invalid") is True
    dialog.body.setPlainText("Alles Gute, {first_name}!")
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert get_template("birthday") == (
        "Happy birthday, {first_name}!",
        "Alles Gute, {first_name}!",
    )


@pytest.fixture
def desktop(tmp_path, monkeypatch):
    """A desktop of the test's own: no mail program until a test sets one up."""
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_DATA_DIRS", "XDG_CONFIG_DIRS"):
        (tmp_path / name).mkdir()
        monkeypatch.setenv(name, str(tmp_path / name))
    for name in (
        "XDG_CURRENT_DESKTOP",
        "DESKTOP_SESSION",
        "KDE_FULL_SESSION",
        "GNOME_DESKTOP_SESSION_ID",
    ):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def set_up_mail_program(desktop) -> Path:
    """A mail program that writes the link it is given to a file: as xdg-open starts one."""
    received = desktop / "received"
    program = desktop / "testmail"
    program.write_text(f"#!/bin/sh\nprintf '%s' \"$1\" > {received}\n")
    program.chmod(0o755)
    applications = desktop / "XDG_DATA_HOME" / "applications"
    applications.mkdir()
    (applications / "testmail.desktop").write_text(
        "[Desktop Entry]\nType=Application\nName=Test mail\n"
        f"Exec={program} %u\nMimeType=x-scheme-handler/mailto;\n"
    )
    (desktop / "XDG_CONFIG_HOME" / "mimeapps.list").write_text(
        "[Default Applications]\nx-scheme-handler/mailto=testmail.desktop\n"
    )
    return received


def _jens_writes(qtbot) -> ComposeDialog:
    jens = save_client(ClientForm(first_name="Jens", emails="jens@example.org"))
    dialog = ComposeDialog(Client.get_by_id(jens.id), now=lambda: NOW, today=lambda: NOW.date())
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_copy_says_it_copied(qtbot, database):
    dialog = _jens_writes(qtbot)
    assert not dialog.said.isVisibleTo(dialog)
    dialog.copy_button.click()
    assert dialog.said.isVisibleTo(dialog)
    assert dialog.said.text().startswith("Copied")
    assert QGuiApplication.clipboard().text().startswith(dialog.subject.text())


def test_open_in_mail_says_when_no_mail_program_is_set_up(qtbot, database, desktop):
    dialog = _jens_writes(qtbot)
    dialog.mail_button.click()
    assert dialog.said.isVisibleTo(dialog)
    assert dialog.said.text().startswith("No mail program is set up")


def test_open_in_mail_hands_the_message_to_the_mail_program(qtbot, database, desktop):
    received = set_up_mail_program(desktop)
    dialog = _jens_writes(qtbot)
    dialog.mail_button.click()
    assert dialog.said.text() == "Opened in your mail program."
    qtbot.waitUntil(lambda: received.exists() and bool(received.read_text()), timeout=10000)
    assert received.read_text().startswith("mailto:jens@example.org?subject=Thank")
