"""Book a session with the client, or change one still to come: when, where, what kind."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtWidgets import QWidget
from tzlocal import get_localzone

from models.clients.bookings import USUAL_LENGTH, booking_form, save_booking
from models.forms.dialog_forms import BookingForm
from models.reminders.contact_rhythm import day_in_zone
from models.reminders.rules import fire_instant
from models.store.entities import Booking
from models.values.kinds import INTERACTION_KINDS, SESSION_KINDS
from ui.dialogs.form_dialog import (
    FormDialog,
    choice_combo,
    edited_instant,
    instant_edit,
    line_edit,
)

_NEW_SESSION_AT = datetime.min.replace(hour=10).time()  # a new booking: next week, 10:00


class BookingDialog(FormDialog):
    def __init__(
        self,
        client_id: int,
        now: datetime,
        booking: Booking | None = None,
        parent: QWidget | None = None,
    ):
        title = self.tr("Edit booked session") if booking else self.tr("Book a session")
        super().__init__(title, parent)
        self._client_id = client_id
        self._booking_id = booking.id if booking else None
        form = booking_form(booking) if booking else BookingForm()
        zone = get_localzone()
        starts = form.starts_at or fire_instant(
            day_in_zone(now, zone) + timedelta(days=7), _NEW_SESSION_AT, zone
        )
        ends = form.ends_at or starts + USUAL_LENGTH
        kinds = {kind: INTERACTION_KINDS[kind] for kind in SESSION_KINDS}
        self.kind = self.add_field(self.tr("&Kind"), "kind", choice_combo(kinds, form.kind))
        self.starts_at = self.add_field(self.tr("&Starts"), "starts_at", instant_edit(starts))
        self.ends_at = self.add_field(self.tr("&Ends"), "ends_at", instant_edit(ends))
        self.place = self.add_field(
            self.tr("&Place"), "place", line_edit(form.place, self.tr("e.g. Schloss Nymphenburg"))
        )
        self.summary = self.add_field(
            self.tr("&What"), "summary", line_edit(form.summary, self.tr("e.g. Family shoot"))
        )
        self.starts_at.setFocus()

    def save(self) -> Booking:
        form = BookingForm(
            kind=self.kind.currentData(),
            starts_at=edited_instant(self.starts_at),
            ends_at=edited_instant(self.ends_at),
            place=self.place.text(),
            summary=self.summary.text(),
        )
        return save_booking(form, self._client_id, self._booking_id)
