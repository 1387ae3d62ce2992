"""The address book's own row in Settings → Accounts: whether the clients' notes go to
their cards (off: notes are private and stay here), and, before a first sync that has
clients here and cards there, the review of which card is which client."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QCheckBox, QPushButton, QVBoxLayout, QWidget

from background.database_worker import DatabaseWorker
from models.accounts.jobs import RunContext
from models.accounts.secrets import password_for
from models.accounts.store import Account, AccountError, set_options
from models.clock import system_now
from ui.confirm import tell


def _tr(text: str) -> str:
    return QCoreApplication.translate("AccountsDialog", text)


class AddressBookOptions(QWidget):
    def __init__(self, account: Account, parent=None):
        super().__init__(parent)
        self.account = account
        self.notes = QCheckBox(_tr("Also sync each client's notes with the NOTE of their card"))
        self.notes.setChecked(bool(account.option("sync_notes", False)))
        self.notes.toggled.connect(lambda on: set_options(account, sync_notes=True if on else None))
        self.review = QPushButton(_tr("Review the first sync…"))
        self.review.clicked.connect(self.read_address_book)
        self._worker = DatabaseWorker(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.notes)
        layout.addWidget(self.review)
        self.review.setVisible(_needs_review(account))

    def read_address_book(self) -> None:
        """Match the cards with the clients on the worker (it reads the server), then ask."""
        self.review.setEnabled(False)
        self.review.setText(_tr("Reading the address book…"))
        self._worker.run(lambda: _plan(self.account), self._ask, self._failed)

    def _ask(self, plan) -> None:
        from models.sync.first_sync import approve
        from ui.dialogs.first_sync_dialog import FirstSyncDialog

        self.review.setText(_tr("Review the first sync…"))
        self.review.setEnabled(True)
        if isinstance(plan, str):
            self._failed(plan)
            return
        dialog = FirstSyncDialog(plan, self)
        if dialog.exec():
            approve(self.account, dialog.merges())
            self.review.hide()
            sync_now = getattr(self.window(), "sync_button", None)
            if sync_now is not None:
                sync_now.click()

    def _failed(self, sentence: str) -> None:
        self.review.setText(_tr("Review the first sync…"))
        self.review.setEnabled(True)
        tell(self, _tr("Address book"), sentence)


def _needs_review(account: Account) -> bool:
    if not account.option("address_book_url"):
        return False
    from models.sync.first_sync import needs_review

    return needs_review(account)


def _plan(account: Account):
    """On the worker: the plan, or why it could not be made."""
    from models.sync.first_sync import plan_first_sync

    try:
        return plan_first_sync(RunContext(account, password_for(account), system_now))
    except AccountError as error:
        return str(error)
