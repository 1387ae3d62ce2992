"""The calendar's own option in Settings → Accounts: what an event's description holds."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from models.accounts.store import Account, set_options
from models.sync.calendar_items import DEFAULT_DESCRIPTION, DESCRIPTIONS
from ui.formatting import vocabulary


def description_choice(account: Account) -> QComboBox:
    """Nothing (the default), the year a date began, or that and a wish's words; saved
    as soon as it is chosen, published at the next sync."""
    box = QComboBox()
    for key, words in DESCRIPTIONS.items():
        box.addItem(vocabulary(words), key)
    chosen = account.option("calendar_description", DEFAULT_DESCRIPTION)
    box.setCurrentIndex(max(box.findData(chosen), 0))
    box.currentIndexChanged.connect(
        lambda _index: set_options(account, calendar_description=box.currentData())
    )
    return box
