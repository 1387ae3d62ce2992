"""Settings → Accounts, under a CalDAV account: the address of its booking calendar, whose
events the "bookings" job offers as booked sessions (models/exchange/booking_caldav.py)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLineEdit

from models.accounts.store import Account, set_options
from models.exchange.booking_caldav import OPTION


def booking_calendar_field(account: Account) -> QLineEdit:
    """A field that keeps what the owner types as the account's booking calendar."""
    field = QLineEdit(str(account.option(OPTION, "")))
    field.setPlaceholderText(
        QCoreApplication.translate(
            "AccountsDialog", "none: the address of the calendar your sessions are booked in"
        )
    )
    field.editingFinished.connect(lambda: set_options(account, **{OPTION: field.text().strip()}))
    return field
