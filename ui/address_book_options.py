"""The address book's own option in Settings → Accounts: whether the clients' notes go to
their cards (off: notes are private and stay here)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QCheckBox

from models.accounts.store import Account, set_options


def sync_notes_box(account: Account) -> QCheckBox:
    box = QCheckBox(
        QCoreApplication.translate(
            "AccountsDialog", "Also sync each client's notes with the NOTE of their card"
        )
    )
    box.setChecked(bool(account.option("sync_notes", False)))
    box.toggled.connect(lambda on: set_options(account, sync_notes=True if on else None))
    return box
