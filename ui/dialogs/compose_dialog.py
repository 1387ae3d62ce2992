"""Compose a message to a client from a template: copy it, open it in the mail app,
and log it as sent in one click (which also counts as contact for the check-in, and
closes the reminder it was written for, if any)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from models.clients import contact_values
from models.clock import system_now
from models.entities import Client
from models.forms import InteractionForm
from models.kinds import INTERACTION_KINDS
from models.records import save_interaction
from models.reminder_store import close_reminder
from models.reminders import Reminder
from models.templates import (
    TEMPLATE_KINDS,
    Message,
    client_values,
    get_template,
    mailto_url,
    render,
)
from ui.dialogs.form_dialog import choice_combo

SENT_AS = ("email", "card", "message")


class ComposeDialog(QDialog):
    def __init__(
        self,
        client: Client,
        kind: str = "thank_you",
        now: Callable[[], datetime] = system_now,
        today: Callable[[], date] = date.today,
        reminder: Reminder | None = None,
        parent=None,
    ):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Write to {name}").format(name=client.full_name))
        self.setMinimumWidth(560)
        self._client, self._now, self._today = client, now, today
        self._reminder = reminder
        self.kind = choice_combo(TEMPLATE_KINDS, kind)
        self.kind.currentIndexChanged.connect(self._fill)
        self.subject = QLineEdit()
        self.body = QPlainTextEdit()
        self.body.setMinimumHeight(200)
        self.notice = QLabel()
        self.notice.setObjectName("formError")
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        self.notice.setWordWrap(True)
        self.sent_as = choice_combo({k: INTERACTION_KINDS[k] for k in SENT_AS}, "email")
        form = QFormLayout()
        form.addRow(self.tr("&Message"), self.kind)
        form.addRow(self.tr("&Subject"), self.subject)
        form.addRow(self.body)
        form.addRow(self.notice)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(self._buttons())
        self._fill()

    def _buttons(self) -> QHBoxLayout:
        self.copy_button = QPushButton(self.tr("Copy"))
        self.copy_button.clicked.connect(self.copy)
        self.mail_button = QPushButton(self.tr("Open in mail"))
        self.emails = contact_values(self._client.id, "email")
        self.mail_button.setEnabled(bool(self.emails))
        self.mail_button.clicked.connect(self.open_in_mail)
        self.log_button = QPushButton(self.tr("Log as sent"))
        self.log_button.setProperty("primary", True)
        self.log_button.clicked.connect(self.log_as_sent)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.reject)
        row = QHBoxLayout()
        for widget in (self.copy_button, self.mail_button):
            row.addWidget(widget)
        row.addStretch()
        row.addWidget(QLabel(self.tr("Sent as")))
        row.addWidget(self.sent_as)
        row.addWidget(self.log_button)
        row.addWidget(close)
        return row

    def _fill(self) -> None:
        subject, body = get_template(self.kind.currentData())
        message = render(subject, body, client_values(self._client, self._today()))
        self.subject.setText(message.subject)
        self.body.setPlainText(message.body)
        names = ", ".join(f"{{{name}}}" for name in message.missing)
        self.notice.setText(
            self.tr(
                "Rapport has nothing for {names} here, so it was left out: read it through."
            ).format(names=names)
            if message.missing
            else ""
        )
        self.notice.setVisible(bool(message.missing))

    def message(self) -> Message:
        return Message(self.subject.text(), self.body.toPlainText(), [])

    def copy(self) -> None:
        message = self.message()
        QGuiApplication.clipboard().setText(f"{message.subject}\n\n{message.body}")

    def open_in_mail(self) -> None:
        QDesktopServices.openUrl(
            QUrl(mailto_url(self.emails[0], self.message()), QUrl.TolerantMode)
        )

    def log_as_sent(self) -> None:
        """Log the message on the client's history: contact made, the check-in resets."""
        form = InteractionForm(
            kind=self.sent_as.currentData(),
            occurred_at=self._now(),
            summary=f"{self.kind.currentText()}: {self.subject.text()}",
            body=self.body.toPlainText(),
        )
        if self._reminder is None:
            save_interaction(form, self._client.id)
        else:
            close_reminder(self._reminder, self._now(), form)
        self.accept()
