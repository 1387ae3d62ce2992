"""Who referred a client: typed into the client dialog, picked from the clients found."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from models.clients.saving import save_client
from models.forms.dialog_forms import ClientForm
from models.store.entities import Client
from ui.dialogs.client_dialog import ClientDialog


@pytest.fixture
def studio(database):
    berger = save_client(ClientForm(first_name="Anna", last_name="Berger"))
    meyer = save_client(ClientForm(first_name="Anna", last_name="Meyer"))
    jens = save_client(ClientForm(first_name="Jens", referred_by_id=berger.id))
    return berger, meyer, jens


def opened(qtbot, client: Client | None = None) -> ClientDialog:
    dialog = ClientDialog(client)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    dialog.referred_by.setFocus()
    qtbot.waitUntil(dialog.referred_by.hasFocus)
    return dialog


def key(qtbot, dialog: ClientDialog, name: Qt.Key) -> None:
    """As Qt routes a key: to the list of clients while it is open, else to the field."""
    QApplication.processEvents()
    qtbot.keyClick(QApplication.activePopupWidget() or dialog.referred_by, name)


def typed(qtbot, dialog: ClientDialog, text: str) -> list[str]:
    """Type `text`, a key at a time; the names then listed under the field."""
    for letter in text:
        QApplication.processEvents()
        qtbot.keyClicks(QApplication.activePopupWidget() or dialog.referred_by, letter)
    return listed(qtbot, dialog)


def listed(qtbot, dialog: ClientDialog) -> list[str]:
    field = dialog.referred_by
    qtbot.waitUntil(lambda: not field.busy() and field.popup().isVisible())
    return [field.found.item(row).text() for row in range(field.found.rowCount())]


def save(dialog: ClientDialog) -> None:
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()


def test_a_referrer_is_picked_by_typing_arrows_and_enter(qtbot, studio):
    _, meyer, _ = studio
    dialog = opened(qtbot)
    dialog.first_name.setText("Lea")
    assert typed(qtbot, dialog, "anna") == ["Anna Berger", "Anna Meyer"]
    key(qtbot, dialog, Qt.Key.Key_Down)  # from the first to the second
    key(qtbot, dialog, Qt.Key.Key_Return)
    assert dialog.referred_by.text() == "Anna Meyer"
    assert dialog.isVisible()  # Enter picked a name; it did not save
    save(dialog)
    assert Client.get(Client.first_name == "Lea").referred_by_id == meyer.id


def test_enter_picks_the_first_found_and_typing_on_narrows(qtbot, studio):
    berger, _, _ = studio
    dialog = opened(qtbot)
    dialog.first_name.setText("Lea")
    assert typed(qtbot, dialog, "ann") == ["Anna Berger", "Anna Meyer"]
    assert typed(qtbot, dialog, " b") == ["Anna Berger"]
    key(qtbot, dialog, Qt.Key.Key_Enter)
    save(dialog)
    assert Client.get(Client.first_name == "Lea").referred_by_id == berger.id


def test_editing_shows_the_referrer_and_keeps_them(qtbot, studio):
    berger, _, jens = studio
    dialog = opened(qtbot, jens)
    assert dialog.referred_by.text() == "Anna Berger"
    dialog.last_name.setText("Ortmann")
    save(dialog)
    assert Client.get_by_id(jens.id).referred_by_id == berger.id


def test_emptying_the_field_clears_the_referrer(qtbot, studio):
    _, _, jens = studio
    dialog = opened(qtbot, jens)
    qtbot.keyClick(dialog.referred_by, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(dialog.referred_by, Qt.Key.Key_Backspace)
    assert not dialog.referred_by.popup().isVisible()
    save(dialog)
    assert not dialog.error_label.isVisibleTo(dialog)
    assert Client.get_by_id(jens.id).referred_by_id is None


def test_a_name_typed_but_not_picked_is_refused_and_nothing_saved(qtbot, studio):
    _, _, jens = studio
    dialog = opened(qtbot, jens)
    dialog.referred_by.selectAll()
    typed(qtbot, dialog, "anna m")
    key(qtbot, dialog, Qt.Key.Key_Escape)  # the list closes, nobody picked
    assert dialog.isVisible()
    dialog.last_name.setText("Ortmann")
    save(dialog)
    assert "Referred by: pick a client from the list" in dialog.error_label.text()
    assert dialog.referred_by.property("invalid") is True
    assert Client.get_by_id(jens.id).last_name == ""


def test_the_client_is_never_offered_as_their_own_referrer(qtbot, studio):
    berger, _, _ = studio
    dialog = opened(qtbot, berger)
    assert typed(qtbot, dialog, "anna") == ["Anna Meyer"]
    for _ in "anna":
        key(qtbot, dialog, Qt.Key.Key_Backspace)
    assert not dialog.referred_by.popup().isVisible()  # emptied: nobody, no list
    key(qtbot, dialog, Qt.Key.Key_Down)  # with nothing typed: the first clients by name
    assert listed(qtbot, dialog) == ["Anna Meyer", "Jens"]


def test_a_name_nobody_has_is_said_and_cannot_be_picked(qtbot, studio):
    dialog = opened(qtbot)
    assert typed(qtbot, dialog, "zq") == ["No client's name has that"]
    key(qtbot, dialog, Qt.Key.Key_Return)
    assert dialog.referred_by.text() == "zq"
    assert dialog.referred_by.chosen_id() is None


def test_a_name_with_markup_is_shown_as_it_was_typed(qtbot, database):
    ann = save_client(ClientForm(first_name="<b>Ann</b>", last_name="<i>Lee"))
    dialog = opened(qtbot)
    dialog.first_name.setText("Jo")
    assert typed(qtbot, dialog, "ann") == ["<b>Ann</b> <i>Lee"]
    popup = dialog.referred_by.popup()
    assert popup.model().index(0, 0).data() == "<b>Ann</b> <i>Lee"  # what the list draws
    key(qtbot, dialog, Qt.Key.Key_Return)
    assert dialog.referred_by.text() == "<b>Ann</b> <i>Lee"
    save(dialog)
    assert Client.get(Client.first_name == "Jo").referred_by_id == ann.id


def test_namesakes_are_told_apart(qtbot, studio):
    other = save_client(ClientForm(first_name="Anna", last_name="Meyer", emails="am@example.org"))
    dialog = opened(qtbot)
    dialog.first_name.setText("Lea")
    assert typed(qtbot, dialog, "anna m") == ["Anna Meyer", "Anna Meyer · am@example.org"]
    key(qtbot, dialog, Qt.Key.Key_Down)
    key(qtbot, dialog, Qt.Key.Key_Return)
    assert dialog.referred_by.text() == "Anna Meyer · am@example.org"
    key(qtbot, dialog, Qt.Key.Key_Down)  # the list again: looked for by the name alone
    assert listed(qtbot, dialog) == ["Anna Meyer", "Anna Meyer · am@example.org"]
    key(qtbot, dialog, Qt.Key.Key_Escape)
    save(dialog)
    assert Client.get(Client.first_name == "Lea").referred_by_id == other.id
