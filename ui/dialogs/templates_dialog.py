"""Edit the message templates; a placeholder Rapport does not know is named, not saved."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QWidget

from models.clients.templates import PLACEHOLDERS, TEMPLATE_KINDS, get_template, save_template
from ui.dialogs.form_dialog import FormDialog, choice_combo, line_edit
from ui.formatting import vocabulary


class TemplatesDialog(FormDialog):
    def __init__(self, kind: str = "thank_you", parent: QWidget | None = None):
        super().__init__(self.tr("Message templates"), parent)
        self.setMinimumWidth(560)
        self.kind = self.add_field(self.tr("&Message"), "kind", choice_combo(TEMPLATE_KINDS, kind))
        self.subject = self.add_field(self.tr("&Subject"), "subject", line_edit())
        self.body = self.add_field(self.tr("&Text"), "body", QPlainTextEdit())
        self.body.setMinimumHeight(180)
        names = "\n".join(
            f"{{{name}}}  {vocabulary(meaning)}" for name, meaning in PLACEHOLDERS.items()
        )
        help_text = QLabel(self.tr("Placeholders:") + "\n" + names)
        help_text.setObjectName("quiet")
        help_text.setTextFormat(Qt.TextFormat.PlainText)
        self.form.addRow(help_text)
        self.kind.currentIndexChanged.connect(self._load)
        self._load()

    def _load(self) -> None:
        subject, body = get_template(self.kind.currentData())
        self.subject.setText(subject)
        self.body.setPlainText(body)

    def save(self) -> None:
        save_template(self.kind.currentData(), self.subject.text(), self.body.toPlainText())
