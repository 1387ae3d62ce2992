"""Today on a first start: what to do first, each as a button."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QPushButton, QVBoxLayout

from models.clients.saving import has_clients
from models.store.settings import get_setting, reminder_time
from ui.labels import plain_label


class FirstStartCard(QFrame):
    """Shown on Today while there is no client: add one, import contacts, sign your
    messages, choose when reminders arrive. Each step is one button away."""

    add_client_requested = Signal()
    import_requested = Signal()
    settings_requested = Signal(str)  # the Settings field to start in: "your_name", …
    sample_requested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("reminderRow")  # a card like Today's rows
        title = plain_label("sectionTitle")
        title.setText(self.tr("Welcome to Rapport — where to start"))
        self.name_text = _text("")
        self.time_text = _text("")
        self.add_button = self._button(self.tr("Add a client…"), self.add_client_requested.emit)
        self.add_button.setProperty("primary", True)
        self.import_button = self._button(self.tr("Import contacts…"), self.import_requested.emit)
        self.name_button = self._button(
            self.tr("Set your name…"), lambda: self.settings_requested.emit("your_name")
        )
        self.time_button = self._button(
            self.tr("Change the time…"), lambda: self.settings_requested.emit("reminder_time")
        )
        self.sample_button = self._button(
            self.tr("Load sample clients"), self.sample_requested.emit
        )
        steps = QGridLayout()
        steps.setHorizontalSpacing(16)
        steps.setColumnStretch(0, 1)
        for row, (label, button) in enumerate(
            (
                (_text(self.tr("Add your first client: how to reach them, the dates that matter.")),
                 self.add_button),
                (_text(self.tr("Or bring the contacts you have, from a vCard (.vcf) or CSV file.")),
                 self.import_button),
                (self.name_text, self.name_button),
                (self.time_text, self.time_button),
                (_text(self.tr("Just looking? Sample clients show what Rapport does.")),
                 self.sample_button),
            )
        ):  # fmt: skip
            steps.addWidget(label, row, 0)
            steps.addWidget(button, row, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 4, 16, 16)
        layout.addWidget(title)
        layout.addLayout(steps)
        self.hide()

    def _button(self, text: str, slot) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(slot)
        return button

    def refresh(self) -> None:
        """Shown until the first client is in; the steps say what is already set."""
        first_start = not has_clients()
        self.setVisible(first_start)
        if not first_start:
            return
        name = get_setting("your_name")
        self.name_text.setText(
            self.tr("Your messages are signed “{name}”.").format(name=name)
            if name
            else self.tr("Your name signs the messages Rapport writes for you ({your_name}).")
        )
        self.name_button.setText(
            self.tr("Change your name…") if name else self.tr("Set your name…")
        )
        self.time_text.setText(
            self.tr("Reminders arrive at {time} each day, here and as notifications.").format(
                time=reminder_time().strftime("%H:%M")
            )
        )


def _text(text: str):
    label = plain_label("reminderText")
    label.setText(text)
    label.setWordWrap(True)
    return label
