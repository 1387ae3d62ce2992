"""Add or edit an important date: birthday, wedding anniversary, client since, other."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSpinBox, QWidget

from models.clients.entries import important_date_form, save_important_date
from models.forms.dialog_forms import ImportantDateForm
from models.store.entities import FamilyMember, ImportantDate
from models.values.kinds import DEFAULT_LEAD_DAYS, IMPORTANT_DATE_KINDS
from ui.dialogs.form_dialog import FormDialog, PartialDateInput, choice_combo, line_edit


class ImportantDateDialog(FormDialog):
    def __init__(
        self,
        client_id: int,
        family: list[FamilyMember],
        important_date: ImportantDate | None = None,
        parent: QWidget | None = None,
    ):
        title = self.tr("Edit date") if important_date else self.tr("Add an important date")
        super().__init__(title, parent)
        self._client_id = client_id
        self._date_id = important_date.id if important_date else None
        form = important_date_form(important_date) if important_date else ImportantDateForm()
        self.kind = self.add_field(
            self.tr("&Kind"), "kind", choice_combo(IMPORTANT_DATE_KINDS, form.kind)
        )
        self.date = self.add_field(
            self.tr("&Date"), "day", PartialDateInput(form.day, form.month, form.year)
        )
        self.mark_field("year", self.date.year)
        self.label = self.add_field(
            self.tr("&Label"), "label", line_edit(form.label, self.tr("e.g. First shoot"))
        )
        self.member = self.add_field(
            self.tr("&Whose"), "family_member_id", self._member_combo(family, form)
        )
        self.lead_days = self.add_field(self.tr("&Remind me"), "lead_days", QSpinBox())
        self.lead_days.setRange(0, 365)
        self.lead_days.setSuffix(self.tr(" days before"))
        self.lead_days.setSpecialValueText(self.tr("on the day"))
        self.lead_days.setValue(form.lead_days)
        self.more_lead_days = line_edit(form.more_lead_days, self.tr("optional, e.g. 1 or 30, 1"))
        more = QWidget()
        row = QHBoxLayout(more)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.more_lead_days, 1)
        row.addWidget(QLabel(self.tr("days before")))
        more.setFocusProxy(self.more_lead_days)
        self.add_field(self.tr("&Also remind me"), "more_lead_days", more)
        self.mark_field("more_lead_days", self.more_lead_days)
        if important_date is None:
            self._apply_default_lead_days()
            self.kind.currentIndexChanged.connect(self._apply_default_lead_days)

    def _member_combo(self, family: list[FamilyMember], form: ImportantDateForm) -> QComboBox:
        combo = QComboBox()
        combo.addItem(self.tr("the client"), None)
        for member in family:
            combo.addItem(member.name, member.id)
        combo.setCurrentIndex(max(0, combo.findData(form.family_member_id)))
        return combo

    def _apply_default_lead_days(self) -> None:
        self.lead_days.setValue(DEFAULT_LEAD_DAYS[self.kind.currentData()])

    def save(self) -> ImportantDate:
        day, month, year = self.date.values()
        form = ImportantDateForm(
            kind=self.kind.currentData(),
            day=day,
            month=month,
            year=year,
            label=self.label.text(),
            lead_days=self.lead_days.value(),
            family_member_id=self.member.currentData(),
            more_lead_days=self.more_lead_days.text(),
        )
        return save_important_date(form, self._client_id, self._date_id)
