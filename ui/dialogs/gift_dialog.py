"""Add or edit a gift: given or planned, on a day, for an occasion, with its cost."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QWidget

from models.clients.gifts import gift_form, save_gift
from models.forms.dialog_forms import GiftForm
from models.store.entities import Gift
from models.values.kinds import GIFT_OCCASIONS
from ui.date_fields import DateEdit
from ui.dialogs.form_dialog import FormDialog, choice_combo, line_edit
from ui.formatting import locale_separators


class GiftDialog(FormDialog):
    def __init__(
        self, client_id: int, today: date, gift: Gift | None = None, parent: QWidget | None = None
    ):
        super().__init__(self.tr("Edit gift") if gift else self.tr("New gift"), parent)
        self._client_id = client_id
        self._gift_id = gift.id if gift else None
        self._separators = locale_separators()
        form = gift_form(gift, self._separators) if gift else GiftForm(given_on=today)
        self.what = self.add_field(
            self.tr("&Gift"), "what", line_edit(form.what, self.tr("e.g. Canvas print, flowers"))
        )
        self.occasion = self.add_field(
            self.tr("&Occasion"), "occasion", choice_combo(GIFT_OCCASIONS, form.occasion)
        )
        self.given_on = self.add_field(self.tr("&Day"), "given_on", DateEdit(form.given_on))
        self.planned = self.add_field("", "planned", QCheckBox(self.tr("Planned, not given yet")))
        self.planned.setChecked(form.planned)
        self.amount = line_edit(form.amount, self.tr("optional"))
        self.currency = line_edit(form.currency or "EUR")
        self.currency.setMaxLength(3)
        self.currency.setMaximumWidth(70)
        self.currency.setAccessibleName(self.tr("Currency"))
        cost = QWidget()
        row = QHBoxLayout(cost)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.amount, 1)
        row.addWidget(self.currency)
        self.add_field(self.tr("&Cost"), "amount", cost)
        self.mark_field("amount", self.amount)
        self.mark_field("currency", self.currency)
        self.what.setFocus()

    def save(self) -> Gift:
        form = GiftForm(
            what=self.what.text(),
            given_on=self.given_on.date().toPython(),
            occasion=self.occasion.currentData(),
            amount=self.amount.text(),
            currency=self.currency.text(),
            planned=self.planned.isChecked(),
            separators=self._separators,
        )
        return save_gift(form, self._client_id, self._gift_id)
