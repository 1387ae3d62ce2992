"""Mail capture's own options in Settings → Accounts: the day mail is read from, and the
sent folder (found at set-up by its \\Sent flag; named anew when it was renamed)."""

from __future__ import annotations

from contextlib import suppress
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QLineEdit, QWidget

from models.accounts.store import Account, set_options
from models.capture.mail_store import read_mail_from


def mail_since_edit(account: Account) -> QWidget:
    """A day field that keeps what the owner picks at once."""
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("d MMM yyyy")
    chosen = account.option("mail_since")
    # Not chosen yet (or damaged): the field's own day until the owner picks one.
    with suppress(ValueError):
        edit.setDate(QDate(date.fromisoformat(str(chosen))))
    edit.setToolTip(edit.tr("Rapport reads the headers of mail from this day on."))
    edit.dateChanged.connect(lambda day: read_mail_from(account, day.toPython()))
    return edit


def sent_folder_edit(account: Account) -> QWidget:
    """The sent folder's name, kept when the owner has typed it."""
    edit = QLineEdit(str(account.option("sent_folder") or ""))
    edit.setPlaceholderText(edit.tr("none: only the inbox is read"))
    edit.editingFinished.connect(
        lambda: set_options(account, sent_folder=edit.text().strip() or None)
    )
    return edit
