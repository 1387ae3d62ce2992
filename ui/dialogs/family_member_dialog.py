"""Add or edit a family member (partner, child, pet...) with their birthday."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QWidget

from models.clients.entries import family_member_form, save_family_member
from models.forms.dialog_forms import FamilyMemberForm
from models.store.entities import FamilyMember
from models.values.kinds import RELATIONS
from ui.dialogs.form_dialog import FormDialog, PartialDateInput, choice_combo, line_edit


class FamilyMemberDialog(FormDialog):
    def __init__(
        self, client_id: int, member: FamilyMember | None = None, parent: QWidget | None = None
    ):
        title = self.tr("Edit family member") if member else self.tr("Add family member")
        super().__init__(title, parent)
        self._client_id = client_id
        self._member_id = member.id if member else None
        form = family_member_form(member) if member else FamilyMemberForm()
        self.name = self.add_field(self.tr("&Name"), "name", line_edit(form.name))
        self.relation = self.add_field(
            self.tr("&Relation"), "relation", choice_combo(RELATIONS, form.relation)
        )
        self.has_birthday = self.add_field(
            "", "has_birthday", QCheckBox(self.tr("&Birthday known"))
        )
        self.has_birthday.setChecked(form.has_birthday)
        self.birthday = self.add_field(
            self.tr("Birthda&y"),
            "day",
            PartialDateInput(form.birthday_day, form.birthday_month, form.birthday_year),
        )
        self.mark_field("year", self.birthday.year)
        self.birthday.setEnabled(form.has_birthday)
        self.has_birthday.toggled.connect(self.birthday.setEnabled)
        self.notes = self.add_field(
            self.tr("N&otes"), "notes", line_edit(form.notes, self.tr("e.g. loves dinosaurs"))
        )
        self.name.setFocus()

    def save(self) -> FamilyMember:
        day, month, year = self.birthday.values()
        form = FamilyMemberForm(
            name=self.name.text(),
            relation=self.relation.currentData(),
            notes=self.notes.text(),
            has_birthday=self.has_birthday.isChecked(),
            birthday_day=day,
            birthday_month=month,
            birthday_year=year,
        )
        return save_family_member(form, self._client_id, self._member_id)
