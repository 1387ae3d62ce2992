"""Add or edit a wish: what the client wants next, maybe by a date, maybe with a reminder."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QWidget
from tzlocal import get_localzone

from models.clients.wishes import save_wish, wish_form
from models.forms.dialog_forms import WishForm
from models.store.entities import Wish
from ui.date_fields import DateEdit
from ui.dialogs.form_dialog import FormDialog, line_edit


class WishDialog(FormDialog):
    def __init__(
        self, client_id: int, today: date, wish: Wish | None = None, parent: QWidget | None = None
    ):
        super().__init__(self.tr("Edit wish") if wish else self.tr("New wish"), parent)
        self._client_id = client_id
        self._wish_id = wish.id if wish else None
        form = wish_form(wish) if wish else WishForm()
        self.text = self.add_field(
            self.tr("&Wish"),
            "text",
            line_edit(form.text, self.tr("e.g. Family shoot when the baby arrives")),
        )
        self.has_date = QCheckBox(self.tr("By"))
        self.has_date.setChecked(form.wanted_by is not None)
        self.wanted_by = DateEdit(form.wanted_by or today)
        self.wanted_by.setAccessibleName(self.tr("Wanted by"))
        self.follow_up = QCheckBox(self.tr("Remind me on that day"))
        self.follow_up.setChecked(form.follow_up)
        when = QWidget()
        row = QHBoxLayout(when)
        row.setContentsMargins(0, 0, 0, 0)
        for widget in (self.has_date, self.wanted_by, self.follow_up):
            row.addWidget(widget)
        row.addStretch()
        self.add_field(self.tr("&When"), "wanted_by", when)
        self.mark_field("wanted_by", self.wanted_by)
        self.has_date.toggled.connect(self._show_date)
        self._show_date(self.has_date.isChecked())
        self.text.setFocus()

    def _show_date(self, on: bool) -> None:
        self.wanted_by.setEnabled(on)
        self.follow_up.setEnabled(on)

    def save(self) -> Wish:
        wanted_by = self.wanted_by.date().toPython() if self.has_date.isChecked() else None
        follow_up = self.follow_up.isChecked() and wanted_by is not None
        form = WishForm(self.text.text(), wanted_by, follow_up)
        return save_wish(form, self._client_id, get_localzone(), self._wish_id)
