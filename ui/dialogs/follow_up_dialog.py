"""Add or edit a follow-up: a one-off task on a client, due at a date and time."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QWidget
from tzlocal import get_localzone

from models.clients.entries import follow_up_form, save_follow_up
from models.forms.dialog_forms import FollowUpForm
from models.reminders.rules import follow_up_due
from models.store.entities import FollowUp
from models.store.settings import reminder_time
from ui.dialogs.form_dialog import FormDialog, edited_instant, instant_edit, line_edit


class FollowUpDialog(FormDialog):
    def __init__(
        self,
        client_id: int,
        now: datetime,
        follow_up: FollowUp | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(
            self.tr("Edit follow-up") if follow_up else self.tr("New follow-up"), parent
        )
        self._client_id = client_id
        self._follow_up_id = follow_up.id if follow_up else None
        form = follow_up_form(follow_up) if follow_up else FollowUpForm()
        # A new follow-up is due tomorrow at the reminder time, the usual "get back to them".
        due = form.due_at or follow_up_due(now, 1, get_localzone(), reminder_time())
        self.title = self.add_field(
            self.tr("&What"), "title", line_edit(form.title, self.tr("e.g. Deliver the gallery"))
        )
        self.due_at = self.add_field(self.tr("&Due"), "due_at", instant_edit(due))
        self.title.setFocus()

    def save(self) -> FollowUp:
        form = FollowUpForm(title=self.title.text(), due_at=edited_instant(self.due_at))
        return save_follow_up(form, self._client_id, self._follow_up_id)
