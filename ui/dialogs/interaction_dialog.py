"""Log an interaction (a session, a purchase, a call...) or edit one.

Logging a new one can also promise a follow-up "in N days", saved with it.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)
from tzlocal import get_localzone

from models.care.steps import CareTiming
from models.clients.entries import interaction_form, log_interaction, save_interaction
from models.forms.dialog_forms import MAX_LEAD_DAYS, FollowUpForm, InteractionForm
from models.reminders.rules import follow_up_due
from models.store.entities import Interaction
from models.store.settings import reminder_time
from models.values.amounts import AmountError, format_amount, parse_amount
from models.values.kinds import INTERACTION_KINDS, SESSION_KINDS
from ui.date_fields import DateEdit
from ui.dialogs.form_dialog import (
    FormDialog,
    choice_combo,
    edited_instant,
    instant_edit,
    line_edit,
)
from ui.formatting import locale_separators

CURRENCIES = ("EUR", "USD", "GBP", "CHF")
GALLERY_OPEN = timedelta(days=90)  # what a gallery host keeps one open, usually


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
        self._now = now
        self._interaction_id = interaction.id if interaction else None
        self._separators = locale_separators()
        form = (
            interaction_form(interaction, self._separators)
            if interaction
            else InteractionForm(separators=self._separators)
        )
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
        self.add_field(self.tr("&Amount"), "amount", self._amount_field(form.amount))
        self.mark_field("amount", self.amount)
        self.currency = self.add_field(self.tr("&Currency"), "currency", QComboBox())
        self.currency.setEditable(True)
        self.currency.addItems(CURRENCIES)
        self.currency.setCurrentText(form.currency or CURRENCIES[0])
        self.amount.textChanged.connect(self._show_amount)
        self.currency.currentTextChanged.connect(self._show_amount)
        self._show_amount()
        self._add_gallery_fields(form, when)
        if interaction is None:
            self._add_follow_up_fields()
        self.summary.setFocus()

    def _amount_field(self, text: str) -> QWidget:
        """The amount as typed, and beside it the amount as it will be saved ("= 2,400.00
        EUR"), or below it why it cannot be: a misread amount shows before it is saved."""
        field = QWidget()
        self.amount = line_edit(
            text,
            self.tr("optional, e.g. {amount}").format(
                amount=format_amount(Decimal("450.50"), self._separators)
            ),
        )
        self.amount.setAccessibleName(self.tr("Amount"))
        self.amount_shown = QLabel()
        self.amount_shown.setObjectName("quiet")
        self.amount_shown.setTextFormat(Qt.TextFormat.PlainText)
        self.amount_problem = QLabel()
        self.amount_problem.setObjectName("formError")
        self.amount_problem.setTextFormat(Qt.TextFormat.PlainText)
        self.amount_problem.setWordWrap(True)
        layout = QGridLayout(field)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.amount, 0, 0)
        layout.addWidget(self.amount_shown, 0, 1)
        layout.addWidget(self.amount_problem, 1, 0, 1, 2)
        layout.setColumnStretch(0, 1)
        field.setFocusProxy(self.amount)
        return field

    def _show_amount(self) -> None:
        try:
            amount = parse_amount(self.amount.text(), self._separators)
        except AmountError as error:
            amount, problem = None, str(error)
        else:
            problem = ""
        currency = self.currency.currentText().strip().upper()
        shown = (
            f"= {format_amount(amount, self._separators)} {currency}" if amount is not None else ""
        )
        self.amount_shown.setText(shown)
        self.amount_problem.setText(problem)
        self.amount_problem.setVisible(bool(problem))

    def _add_gallery_fields(self, form: InteractionForm, when: datetime) -> None:
        """A session's gallery: its link, on any host, and the day it closes."""
        self.gallery_url = self.add_field(
            self.tr("&Gallery"),
            "gallery_url",
            line_edit(form.gallery_url, self.tr("optional: the gallery's web address")),
        )
        self.gallery_closes = QCheckBox(self.tr("Closes on"))
        self.gallery_closes.setChecked(form.gallery_expires_on is not None)
        self.gallery_expires_on = DateEdit(
            form.gallery_expires_on or when.astimezone(get_localzone()).date() + GALLERY_OPEN
        )
        self.gallery_expires_on.setAccessibleName(self.tr("Gallery closes on"))
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.gallery_closes)
        layout.addWidget(self.gallery_expires_on)
        layout.addStretch()
        self.add_field("", "gallery_expires_on", row)
        self.kind.currentIndexChanged.connect(self._show_gallery)
        self.gallery_closes.toggled.connect(self._show_gallery)
        self._show_gallery()

    def _show_gallery(self) -> None:
        session = self.kind.currentData() in SESSION_KINDS
        self.gallery_url.setEnabled(session)
        self.gallery_closes.setEnabled(session)
        self.gallery_expires_on.setEnabled(session and self.gallery_closes.isChecked())

    def _gallery_values(self) -> tuple[str, date | None]:
        if self.kind.currentData() not in SESSION_KINDS:
            return "", None
        closes = (
            self.gallery_expires_on.date().toPython() if self.gallery_closes.isChecked() else None
        )
        return self.gallery_url.text(), closes

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
            separators=self._separators,
        )
        form.gallery_url, form.gallery_expires_on = self._gallery_values()
        if self._interaction_id is not None:
            return save_interaction(form, self._client_id, self._interaction_id)
        care = CareTiming(self._now, get_localzone(), reminder_time())
        return log_interaction(form, self._client_id, self._promised_follow_up(form), care)

    def _promised_follow_up(self, form: InteractionForm) -> FollowUpForm | None:
        days = self.follow_up_days.value()
        if days == 0:
            return None
        title = self.follow_up_title.text().strip() or self.tr("Follow up: {summary}").format(
            summary=form.summary.strip()
        )
        due = follow_up_due(form.occurred_at, days, get_localzone(), reminder_time())
        return FollowUpForm(title=title, due_at=due)
