"""Write or edit a personal note about a client."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QPlainTextEdit, QWidget

from models.clients.entries import save_note
from models.forms.dialog_forms import NoteForm
from models.store.entities import Note
from ui.dialogs.form_dialog import FormDialog


class NoteDialog(FormDialog):
    def __init__(self, client_id: int, note: Note | None = None, parent: QWidget | None = None):
        super().__init__(self.tr("Edit note") if note else self.tr("New note"), parent)
        self._client_id = client_id
        self._note_id = note.id if note else None
        self.text = self.add_field(
            self.tr("&Note"), "text", QPlainTextEdit(note.text if note else "")
        )
        self.text.setPlaceholderText(self.tr("Preferences, coaching hints, what matters to them…"))
        self.pinned = self.add_field("", "pinned", QCheckBox(self.tr("&Pin to the top")))
        self.pinned.setChecked(bool(note and note.pinned))
        self.text.setFocus()

    def save(self) -> Note:
        form = NoteForm(text=self.text.toPlainText(), pinned=self.pinned.isChecked())
        return save_note(form, self._client_id, self._note_id)
