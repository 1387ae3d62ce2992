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
    QSizePolicy,
    QVBoxLayout,
)

from models.clients.couples import display_name, partner_of, shares_with
from models.clients.entries import pinned_notes, save_interaction
from models.clients.saving import contact_values
from models.clients.templates import (
    TEMPLATE_KINDS,
    Message,
    client_values,
    get_template,
    mailto_url,
    render,
)
from models.clock import system_now
from models.forms.dialog_forms import InteractionForm
from models.reminders.rules import Reminder
from models.reminders.store import close_reminder
from models.store.entities import Client
from models.values.kinds import INTERACTION_KINDS
from ui.client_header import pinned_line
from ui.dialogs.form_dialog import choice_combo
from ui.elided_label import ElidedLabel
from ui.mail import mail_program_known

SENT_AS = ("email", "card", "message")
# The occasion a template greets for: the couple's anniversary is both partners'.
_OCCASIONS = {"anniversary": "wedding_anniversary"}


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
        # A couple is written to together: "Write to Anna & Tom Berger".
        self.setWindowTitle(self.tr("Write to {name}").format(name=display_name(client)))
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
        pinned = pinned_notes([client.id]).get(client.id, "")
        self.pinned = ElidedLabel("pinnedNote")  # "allergic to lilies": before a word is written
        self.pinned.setText(pinned_line(pinned) if pinned else "")
        self.pinned.setVisible(bool(pinned))
        # As wide as the dialog, never wider: a long note elides rather than stretch it.
        self.pinned.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        form = QFormLayout()
        form.addRow(self.pinned)
        form.addRow(self.tr("&Message"), self.kind)
        form.addRow(self.tr("&Subject"), self.subject)
        form.addRow(self.body)
        form.addRow(self.notice)
        self.said = QLabel()  # "Copied", or why the mail program did not open
        self.said.setTextFormat(Qt.TextFormat.PlainText)
        self.said.hide()
        form.addRow(self.said)
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
        notice = self.tr(
            "Rapport has nothing for {names} here, so it was left out: read it through."
        ).format(names=names)
        if "your_name" in message.missing:  # the one Rapport asks the owner, not the client
            notice += " " + self.tr("Your name is set under File → Settings.")
        self.notice.setText(notice if message.missing else "")
        self.notice.setVisible(bool(message.missing))

    def message(self) -> Message:
        return Message(self.subject.text(), self.body.toPlainText(), [])

    def copy(self) -> None:
        message = self.message()
        QGuiApplication.clipboard().setText(f"{message.subject}\n\n{message.body}")
        self._say(self.tr("Copied: paste it into any mail or message."))

    def recipients(self) -> list[str]:
        """The client's first email; for an anniversary greeting, their partner's too."""
        partner = partner_of(self._client.id) if self.kind.currentData() == "anniversary" else None
        theirs = contact_values(partner.id, "email")[:1] if partner is not None else []
        return [*self.emails[:1], *theirs]

    def open_in_mail(self) -> None:
        url = QUrl(mailto_url(self.recipients(), self.message()), QUrl.TolerantMode)
        if mail_program_known() is False or not QDesktopServices.openUrl(url):
            self._say(
                self.tr("No mail program is set up here: Copy the message and paste it instead.")
            )
        else:
            self._say(self.tr("Opened in your mail program."))

    def _say(self, text: str) -> None:
        """What the last button did, beside the buttons, until the next one."""
        self.said.setText(text)
        self.said.show()
        # One more line: the dialog grows by it rather than squeeze the message's notice.
        needed = self.layout().totalHeightForWidth(self.width())
        if needed > self.height():
            self.resize(self.width(), needed)

    def log_as_sent(self) -> None:
        """Log the message on the client's history: contact made, the check-in resets."""
        form = InteractionForm(
            kind=self.sent_as.currentData(),
            occurred_at=self._now(),
            summary=f"{self.kind.currentText()}: {self.subject.text()}",
            body=self.body.toPlainText(),
        )
        if self._reminder is None:
            for client_id in shares_with(self._client.id, _OCCASIONS.get(self.kind.currentData())):
                save_interaction(form, client_id)  # an anniversary card: on both histories
        else:
            close_reminder(self._reminder, self._now(), form)
        self.accept()
