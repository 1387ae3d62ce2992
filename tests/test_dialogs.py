"""Each dialog names what is wrong, marks the field, and saves nothing until it is right."""

from datetime import UTC, datetime

from PySide6.QtWidgets import QDialogButtonBox

from models.clients.entries import save_family_member
from models.clients.saving import save_client
from models.forms.dialog_forms import ClientForm, FamilyMemberForm
from models.store.entities import Client, FamilyMember, ImportantDate, Interaction, Note
from ui.dialogs.client_dialog import ClientDialog
from ui.dialogs.family_member_dialog import FamilyMemberDialog
from ui.dialogs.important_date_dialog import ImportantDateDialog
from ui.dialogs.interaction_dialog import InteractionDialog
from ui.dialogs.note_dialog import NoteDialog


def _press_save(dialog) -> None:
    buttons = dialog.findChild(QDialogButtonBox)
    buttons.button(QDialogButtonBox.StandardButton.Save).click()


def test_client_dialog_requires_a_name_and_real_emails(qtbot, database):
    dialog = ClientDialog()
    qtbot.addWidget(dialog)
    dialog.emails.setText("anna-at-example")
    _press_save(dialog)
    assert dialog.error_label.isVisibleTo(dialog)
    assert "First name is required." in dialog.error_label.text()
    assert "'anna-at-example' is not an email address." in dialog.error_label.text()
    assert dialog.first_name.property("invalid") is True
    assert dialog.result() == 0
    assert Client.select().count() == 0

    dialog.first_name.setText("Anna")
    dialog.emails.setText("anna@example.com")
    dialog.tags.setText("wedding, VIP")
    _press_save(dialog)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.saved.first_name == "Anna"
    assert Client.select().count() == 1


def test_client_dialog_edits_an_existing_client(qtbot, database):
    client = save_client(ClientForm(first_name="Anna", emails="a@example.com", tags="vip"))
    dialog = ClientDialog(client)
    qtbot.addWidget(dialog)
    assert dialog.emails.text() == "a@example.com"
    assert dialog.tags.text() == "vip"
    dialog.last_name.setText("Meyer")
    _press_save(dialog)
    assert Client.get_by_id(client.id).last_name == "Meyer"


def test_interaction_dialog_refuses_negative_and_non_numeric_amounts(qtbot, database):
    client = save_client(ClientForm(first_name="Anna"))
    now = datetime(2026, 11, 24, 10, tzinfo=UTC)
    dialog = InteractionDialog(client.id, now=now)
    qtbot.addWidget(dialog)
    dialog.summary.setText("Family shoot")
    for amount, message in (("-5", "cannot be negative"), ("lots", "is not an amount")):
        dialog.amount.setText(amount)
        _press_save(dialog)
        assert message in dialog.error_label.text()
        assert dialog.amount.property("invalid") is True
        assert Interaction.select().count() == 0
    dialog.amount.setText("450.50")
    _press_save(dialog)
    saved = Interaction.get()
    assert (str(saved.amount), saved.currency, saved.occurred_at) == ("450.50", "EUR", now)


def test_note_dialog_refuses_an_empty_note(qtbot, database):
    client = save_client(ClientForm(first_name="Anna"))
    dialog = NoteDialog(client.id)
    qtbot.addWidget(dialog)
    dialog.text.setPlainText("   ")
    _press_save(dialog)
    assert dialog.error_label.text() == "The note is empty."
    dialog.text.setPlainText("Shy in front of the camera")
    dialog.pinned.setChecked(True)
    _press_save(dialog)
    assert Note.get().pinned is True


def test_family_dialog_refuses_feb_29_in_a_common_year(qtbot, database):
    client = save_client(ClientForm(first_name="Maria"))
    dialog = FamilyMemberDialog(client.id)
    qtbot.addWidget(dialog)
    dialog.name.setText("Lea")
    dialog.relation.setCurrentIndex(dialog.relation.findData("child"))
    dialog.has_birthday.setChecked(True)
    dialog.birthday.day.setValue(29)
    dialog.birthday.month.setCurrentIndex(1)
    dialog.birthday.year.setText("2019")
    _press_save(dialog)
    assert "2019 is not a leap year" in dialog.error_label.text()
    assert FamilyMember.select().count() == 0
    dialog.birthday.year.setText("2020")
    _press_save(dialog)
    birthday = ImportantDate.get()
    assert (birthday.day, birthday.month, birthday.year) == (29, 2, 2020)
    assert birthday.family_member.name == "Lea"


def test_important_date_dialog_defaults_lead_days_per_kind_and_checks_days(qtbot, database):
    client = save_client(ClientForm(first_name="Maria"))
    tom = save_family_member(FamilyMemberForm(name="Tom", relation="partner"), client.id)
    dialog = ImportantDateDialog(client.id, [tom])
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("wedding_anniversary"))
    assert dialog.lead_days.value() == 7
    dialog.date.day.setValue(31)
    dialog.date.month.setCurrentIndex(3)  # April
    _press_save(dialog)
    assert dialog.error_label.text() == "April has only 30 days."
    assert ImportantDate.select().count() == 0
    dialog.date.day.setValue(30)
    dialog.member.setCurrentIndex(dialog.member.findData(tom.id))
    _press_save(dialog)
    saved = ImportantDate.get()
    assert (saved.kind, saved.month, saved.day, saved.year, saved.lead_days) == (
        "wedding_anniversary",
        4,
        30,
        None,
        7,
    )
    assert saved.family_member_id == tom.id
