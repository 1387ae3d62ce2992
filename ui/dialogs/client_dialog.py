"""Add or edit a client."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QPlainTextEdit, QWidget

from models.clients.finder import named_client
from models.clients.saving import client_form, save_client
from models.clock import system_now
from models.forms.dialog_forms import ClientForm, FieldError, ValidationError
from models.store.entities import Client
from models.values.kinds import STAGES
from ui.date_fields import DateEdit
from ui.dialogs.client_field import ClientField
from ui.dialogs.form_dialog import FormDialog, choice_combo, line_edit


class ClientDialog(FormDialog):
    def __init__(
        self,
        client: Client | None = None,
        parent: QWidget | None = None,
        now: Callable[[], datetime] = system_now,
        today: date | None = None,
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
            self.tr("&Referred by"), "referred_by_id", self._referrer_field(form)
        )
        self.tags = self.add_field(
            self.tr("&Tags"), "tags", line_edit(form.tags, self.tr("wedding, vip, ..."))
        )
        self.check_in_days = self.add_field(
            self.tr("&Check in every"),
            "check_in_days",
            line_edit(form.check_in_days, self.tr("days, e.g. 90 (empty: no check-ins)")),
        )
        self._add_consent_field(form, today)
        self.first_name.setFocus()

    def _add_consent_field(self, form: ClientForm, today: date | None) -> None:
        """Marketing consent, with the day given: review requests and offers need it."""
        self.consent = QCheckBox(self.tr("Agreed to marketing (reviews, offers) on"))
        self.consent.setChecked(form.marketing_consent_on is not None)
        given = form.marketing_consent_on or today
        self.consent_on = DateEdit(given or QDate())
        self.consent_on.setAccessibleName(self.tr("Marketing consent given on"))
        self.consent_on.setEnabled(self.consent.isChecked())
        self.consent.toggled.connect(self.consent_on.setEnabled)
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.consent)
        layout.addWidget(self.consent_on)
        layout.addStretch()
        self.add_field(self.tr("Co&nsent"), "marketing_consent_on", row)

    def _consent_day(self) -> date | None:
        if not self.consent.isChecked():
            return None
        if not self.consent_on.date().isValid():
            problem = self.tr("Consent: the day it was given, e.g. today.")
            raise ValidationError([FieldError("marketing_consent_on", problem)])
        return self.consent_on.date().toPython()

    def _referrer_field(self, form: ClientForm) -> ClientField:
        """Typed into, not a list of every client: 100,000 names took a second and a half
        to list, and nobody scrolls through them. The client is never their own referrer."""
        return ClientField(named_client(form.referred_by_id), leave_out=self._client_id)

    def _referrer(self) -> int | None:
        if self.referred_by.text().strip() and self.referred_by.chosen_id() is None:
            problem = self.tr("Referred by: pick a client from the list, or empty the field.")
            raise ValidationError([FieldError("referred_by_id", problem)])
        return self.referred_by.chosen_id()

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
            referred_by_id=self._referrer(),
            marketing_consent_on=self._consent_day(),
        )
        return save_client(form, self._client_id, self._now())
