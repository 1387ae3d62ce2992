"""A control character typed or pasted into a field (NUL, escape...) is not stored, nor
exported: the forms keep text by the import's rule, one rule in models/values/plain_text.py."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtWidgets import QDialogButtonBox

from models.clients.entries import save_interaction, save_note
from models.clients.templates import get_template, save_template
from models.exchange.importing import text_decoding
from models.exchange.vcard_export import write_vcards
from models.forms.dialog_forms import ClientForm, InteractionForm, NoteForm
from models.store.entities import Client, Interaction, Note
from models.values.plain_text import one_line, without_controls
from ui.dialogs.client_dialog import ClientDialog

HOSTILE = "An\x00na\x1b[31m\x07\x7f"


def test_control_characters_go_and_tabs_and_line_breaks_stay_where_text_has_lines():
    assert without_controls(HOSTILE) == "Anna[31m"
    assert without_controls("Line 1\r\n\tLine 2") == "Line 1\r\n\tLine 2"
    assert one_line("at the\tspring\r\nfair\x00") == "at the spring fair"
    assert one_line("Café, ☕, 東京") == "Café, ☕, 東京"


def test_the_import_keeps_text_by_the_same_rule():
    assert text_decoding.without_controls is without_controls


def test_a_nul_typed_into_the_client_dialog_is_neither_stored_nor_exported(
    qtbot, database, tmp_path
):
    dialog = ClientDialog()
    qtbot.addWidget(dialog)
    dialog.first_name.setText("An\x00na")
    dialog.last_name.setText("Berger\x1b")
    dialog.address.setPlainText("Hauptstr. 1\x00\n10115 Berlin")
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
    anna = Client.get()
    assert (anna.first_name, anna.last_name) == ("Anna", "Berger")
    assert anna.address == "Hauptstr. 1\n10115 Berlin"
    write_vcards(tmp_path / "clients.vcf")
    exported = (tmp_path / "clients.vcf").read_bytes()
    assert b"\x00" not in exported and b"\x1b" not in exported
    assert b"FN:Anna Berger" in exported


def test_every_form_drops_control_characters(database):
    anna = Client.create(first_name="Anna")
    form = ClientForm(first_name=HOSTILE, how_we_met="at the\tfair", emails="a@x.org\nb@x.org")
    assert (form.first_name, form.how_we_met) == ("Anna[31m", "at the fair")
    assert form.emails == "a@x.org\nb@x.org"  # one per line, as the list field reads them
    when = datetime(2026, 6, 12, tzinfo=UTC)
    save_interaction(InteractionForm("call", when, "Call\x00", body="Said:\n\tyes\x00"), anna.id)
    assert (Interaction.get().summary, Interaction.get().body) == ("Call", "Said:\n\tyes")
    save_note(NoteForm("Shy\x08 in front of the camera\nloves lilies"), anna.id)
    assert Note.get().text == "Shy in front of the camera\nloves lilies"
    save_template("thank_you", "Thank you\x00", "Dear {first_name},\x1b\n\tthank you")
    assert get_template("thank_you") == ("Thank you", "Dear {first_name},\n\tthank you")
