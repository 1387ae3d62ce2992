"""Linking a partner: the client is picked by typing part of their name, never from a list
of every client (100,000 at a big studio)."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from models.clients.saving import save_client
from models.forms.dialog_forms import ClientForm
from models.store.entities import Client
from tests.ui_helpers import when_dialog_opens
from ui.client_page import ClientPage
from ui.dialogs.pick_client_dialog import PickClientDialog

NOW = datetime(2026, 11, 24, 10, tzinfo=UTC)


def listed(qtbot, dialog: PickClientDialog, text: str) -> list[str]:
    field = dialog.field
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    for letter in text:
        QApplication.processEvents()
        qtbot.keyClicks(QApplication.activePopupWidget() or field, letter)
    qtbot.waitUntil(lambda: not field.busy() and field.popup().isVisible())
    return [field.found.item(row).text() for row in range(field.found.rowCount())]


def test_a_partner_is_linked_by_typing_their_name(qtbot, database):
    anna = save_client(ClientForm(first_name="Anna", last_name="Berger"))
    save_client(ClientForm(first_name="Annika", last_name="Tomsen"))
    tom = save_client(ClientForm(first_name="Tom", last_name="Berger"))
    page = ClientPage(today=lambda: NOW.date(), now=lambda: NOW)
    qtbot.addWidget(page)
    page.show_client(anna)
    seen = {}

    def pick(dialog: PickClientDialog) -> None:
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        seen["ok at first"] = ok.isEnabled()
        seen["anna"] = listed(qtbot, dialog, "ann")  # never Anna herself
        dialog.field.clear()
        seen["berger"] = listed(qtbot, dialog, "berger")
        qtbot.keyClick(QApplication.activePopupWidget(), Qt.Key.Key_Return)
        seen["ok once picked"] = ok.isEnabled()
        ok.click()

    when_dialog_opens(pick, kind=PickClientDialog)
    page.link_partner()
    assert seen == {
        "ok at first": False,
        "anna": ["Annika Tomsen"],
        "berger": ["Tom Berger"],
        "ok once picked": True,
    }
    assert Client.get_by_id(anna.id).partner_id == tom.id


def test_cancel_links_no_one(qtbot, database):
    anna = save_client(ClientForm(first_name="Anna", last_name="Berger"))
    save_client(ClientForm(first_name="Tom", last_name="Berger"))
    page = ClientPage(today=lambda: NOW.date(), now=lambda: NOW)
    qtbot.addWidget(page)
    page.show_client(anna)
    when_dialog_opens(lambda dialog: dialog.reject(), kind=PickClientDialog)
    page.link_partner()
    assert Client.get_by_id(anna.id).partner_id is None
