"""Log an interaction (a session, a purchase, a call...) or edit one.

Logging a new one can also promise a follow-up "in N days", saved with it.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QComboBox, QPlainTextEdit, QSpinBox, QWidget
from tzlocal import get_localzone

from models.entities import Interaction
from models.forms import MAX_LEAD_DAYS, FollowUpForm, InteractionForm
from models.kinds import INTERACTION_KINDS
from models.records import interaction_form, log_interaction, save_interaction
from models.reminders import follow_up_due
from models.settings import reminder_time
from ui.dialogs.form_dialog import (
    FormDialog,
    choice_combo,
    edited_instant,
    instant_edit,
    line_edit,
)

CURRENCIES = ("EUR", "USD", "GBP", "CHF")


class InteractionDialog(FormDialog):
    def __init__(
        self,
        client_id: int,
        now: datetime,
        interaction: Interaction | None = None,
        parent: QWidget | None = None,
    ):
        title = self.tr("Edit interaction") if interaction else self.tr("Log an interaction")
        super().__init__(title, parent)
        self._client_id = client_id
        self._interaction_id = interaction.id if interaction else None
        form = interaction_form(interaction) if interaction else InteractionForm()
        when = form.occurred_at or now
        self.kind = self.add_field(
            self.tr("&Kind"), "kind", choice_combo(INTERACTION_KINDS, form.kind)
        )
        self.occurred_at = self.add_field(self.tr("&When"), "occurred_at", instant_edit(when))
        self.summary = self.add_field(
            self.tr("&Summary"),
            "summary",
            line_edit(form.summary, self.tr("e.g. Family shoot at the lake")),
        )
        self.body = self.add_field(self.tr("&Details"), "body", QPlainTextEdit(form.body))
        self.body.setMaximumHeight(90)
        self.amount = self.add_field(
            self.tr("&Amount"), "amount", line_edit(form.amount, self.tr("optional, e.g. 450"))
        )
        self.currency = self.add_field(self.tr("&Currency"), "currency", QComboBox())
        self.currency.setEditable(True)
        self.currency.addItems(CURRENCIES)
        self.currency.setCurrentText(form.currency or CURRENCIES[0])
        if interaction is None:
            self._add_follow_up_fields()
        self.summary.setFocus()

    def _add_follow_up_fields(self) -> None:
        self.follow_up_days = self.add_field(
            self.tr("&Follow up in"), "follow_up_due_at", QSpinBox()
        )
        self.follow_up_days.setRange(0, MAX_LEAD_DAYS)
        self.follow_up_days.setSpecialValueText(self.tr("no follow-up"))
        self.follow_up_days.setSuffix(self.tr(" days"))
        self.follow_up_title = self.add_field(
            self.tr("&To do"), "follow_up_title", line_edit("", self.tr("e.g. Deliver the gallery"))
        )
        self.follow_up_title.setEnabled(False)
        self.follow_up_days.valueChanged.connect(
            lambda days: self.follow_up_title.setEnabled(days > 0)
        )

    def save(self) -> Interaction:
        form = InteractionForm(
            kind=self.kind.currentData(),
            occurred_at=edited_instant(self.occurred_at),
            summary=self.summary.text(),
            body=self.body.toPlainText(),
            amount=self.amount.text(),
            currency=self.currency.currentText(),
        )
        if self._interaction_id is not None:
            return save_interaction(form, self._client_id, self._interaction_id)
        return log_interaction(form, self._client_id, self._promised_follow_up(form))

    def _promised_follow_up(self, form: InteractionForm) -> FollowUpForm | None:
        days = self.follow_up_days.value()
        if days == 0:
            return None
        title = self.follow_up_title.text().strip() or self.tr("Follow up: {summary}").format(
            summary=form.summary.strip()
        )
        due = follow_up_due(form.occurred_at, days, get_localzone(), reminder_time())
        return FollowUpForm(title=title, due_at=due)
