"""Add or edit a client."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtWidgets import QComboBox, QPlainTextEdit, QWidget

from models.clients.saving import client_form, referral_choices, save_client
from models.clock import system_now
from models.forms.dialog_forms import ClientForm
from models.store.entities import Client
from models.values.kinds import STAGES
from ui.dialogs.form_dialog import FormDialog, choice_combo, line_edit


class ClientDialog(FormDialog):
    def __init__(
        self,
        client: Client | None = None,
        parent: QWidget | None = None,
        now: Callable[[], datetime] = system_now,
    ):
        super().__init__(self.tr("Edit client") if client else self.tr("New client"), parent)
        self._client_id = client.id if client else None
        self._now = now  # when a referral is recorded
        form = client_form(client) if client else ClientForm()
        self.first_name = self.add_field(
            self.tr("&First name"), "first_name", line_edit(form.first_name)
        )
        self.last_name = self.add_field(
            self.tr("&Last name"), "last_name", line_edit(form.last_name)
        )
        self.preferred_name = self.add_field(
            self.tr("&Preferred name"),
            "preferred_name",
            line_edit(form.preferred_name, self.tr("what they like to be called")),
        )
        self.organization = self.add_field(
            self.tr("&Organization"), "organization", line_edit(form.organization)
        )
        self.stage = self.add_field(self.tr("&Stage"), "stage", choice_combo(STAGES, form.stage))
        self.emails = self.add_field(
            self.tr("&Email"),
            "emails",
            line_edit(form.emails, self.tr("several: separate with commas")),
        )
        self.phones = self.add_field(
            self.tr("P&hone"),
            "phones",
            line_edit(form.phones, self.tr("several: separate with commas")),
        )
        self.address = self.add_field(self.tr("&Address"), "address", QPlainTextEdit(form.address))
        self.address.setMaximumHeight(64)
        self.where_from = self.add_field(
            self.tr("Comes &from"), "where_from", line_edit(form.where_from)
        )
        self.lives_now = self.add_field(
            self.tr("Lives &now in"), "lives_now", line_edit(form.lives_now)
        )
        self.how_we_met = self.add_field(
            self.tr("How we &met"), "how_we_met", line_edit(form.how_we_met)
        )
        self.referred_by = self.add_field(
            self.tr("&Referred by"), "referred_by_id", self._referral_combo(form)
        )
        self.tags = self.add_field(
            self.tr("&Tags"), "tags", line_edit(form.tags, self.tr("wedding, vip, ..."))
        )
        self.check_in_days = self.add_field(
            self.tr("&Check in every"),
            "check_in_days",
            line_edit(form.check_in_days, self.tr("days, e.g. 90 (empty: no check-ins)")),
        )
        self.first_name.setFocus()

    def _referral_combo(self, form: ClientForm) -> QComboBox:
        combo = QComboBox()
        combo.addItem("—", None)
        for client_id, name in referral_choices(exclude_id=self._client_id):
            combo.addItem(name, client_id)
        combo.setCurrentIndex(max(0, combo.findData(form.referred_by_id)))
        return combo

    def save(self) -> Client:
        form = ClientForm(
            first_name=self.first_name.text(),
            last_name=self.last_name.text(),
            preferred_name=self.preferred_name.text(),
            organization=self.organization.text(),
            stage=self.stage.currentData(),
            emails=self.emails.text(),
            phones=self.phones.text(),
            address=self.address.toPlainText(),
            where_from=self.where_from.text(),
            lives_now=self.lives_now.text(),
            how_we_met=self.how_we_met.text(),
            tags=self.tags.text(),
            check_in_days=self.check_in_days.text(),
            referred_by_id=self.referred_by.currentData(),
        )
        return save_client(form, self._client_id, self._now())
