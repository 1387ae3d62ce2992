"""Log an interaction (a session, a purchase, a call...) or edit one."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import QComboBox, QDateTimeEdit, QPlainTextEdit, QWidget

from models.entities import Interaction
from models.forms import InteractionForm
from models.kinds import INTERACTION_KINDS
from models.records import interaction_form, save_interaction
from ui.dialogs.form_dialog import FormDialog, choice_combo, line_edit

CURRENCIES = ("EUR", "USD", "GBP", "CHF")


class InteractionDialog(FormDialog):
    def __init__(
        self,
        client_id: int,
        interaction: Interaction | None = None,
        now: datetime | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__("Edit interaction" if interaction else "Log an interaction", parent)
        self._client_id = client_id
        self._interaction_id = interaction.id if interaction else None
        form = interaction_form(interaction) if interaction else InteractionForm()
        when = form.occurred_at or now or datetime.now(UTC)
        self.kind = self.add_field("&Kind", "kind", choice_combo(INTERACTION_KINDS, form.kind))
        self.occurred_at = self.add_field("&When", "occurred_at", QDateTimeEdit())
        self.occurred_at.setCalendarPopup(True)
        self.occurred_at.setDateTime(QDateTime.fromSecsSinceEpoch(int(when.timestamp())))
        self.summary = self.add_field(
            "&Summary", "summary", line_edit(form.summary, "e.g. Family shoot at the lake")
        )
        self.body = self.add_field("&Details", "body", QPlainTextEdit(form.body))
        self.body.setMaximumHeight(90)
        self.amount = self.add_field(
            "&Amount", "amount", line_edit(form.amount, "optional, e.g. 450")
        )
        self.currency = self.add_field("&Currency", "currency", QComboBox())
        self.currency.setEditable(True)
        self.currency.addItems(CURRENCIES)
        self.currency.setCurrentText(form.currency or CURRENCIES[0])
        self.summary.setFocus()

    def save(self) -> Interaction:
        when = datetime.fromtimestamp(self.occurred_at.dateTime().toSecsSinceEpoch(), UTC)
        form = InteractionForm(
            kind=self.kind.currentData(),
            occurred_at=when,
            summary=self.summary.text(),
            body=self.body.toPlainText(),
            amount=self.amount.text(),
            currency=self.currency.currentText(),
        )
        return save_interaction(form, self._client_id, self._interaction_id)
