"""Settings → Accounts: the servers Rapport talks to, what each job last did, exactly
what leaves this computer, and adding, removing and syncing accounts.

Adding an account talks to its server (discovery, the address book, the calendar), so
it runs on a worker while the dialog waits; a refusal is a sentence under the fields.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from background.database_worker import DatabaseWorker
from models.accounts.jobs import jobs_for
from models.accounts.runs import remove_account, set_up_account
from models.accounts.store import Account, AccountError, accounts, statuses
from scheduler.account_runs import AccountRuns
from ui.address_book_options import AddressBookOptions
from ui.client_header import plain_label
from ui.confirm import ask, tell
from ui.dialogs.booking_calendar_field import booking_calendar_field
from ui.dialogs.calendar_options import description_choice
from ui.formatting import local_date_time, plain_tooltip
from ui.mail_options import mail_since_edit, sent_folder_edit

# A feature's own options for an account, shown under the selected one: (kind, label,
# factory). The factory makes a widget that saves what the owner changes itself. The
# labels are translated when shown (a translator is installed after this module loads).
OPTION_ROWS: tuple[tuple[str, str, Callable[[Account], QWidget]], ...] = (
    ("dav", QT_TRANSLATE_NOOP("AccountsDialog", "Booking calendar"), booking_calendar_field),
    ("imap", QT_TRANSLATE_NOOP("AccountsDialog", "Read mail from"), mail_since_edit),
    ("imap", QT_TRANSLATE_NOOP("AccountsDialog", "Sent folder"), sent_folder_edit),
    ("dav", QT_TRANSLATE_NOOP("AccountsDialog", "Calendar descriptions"), description_choice),
    ("dav", QT_TRANSLATE_NOOP("AccountsDialog", "Address book"), AddressBookOptions),
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("AccountsDialog", text)


NOTHING_LEAVES = (
    "Nothing: Rapport makes no network connection until you add an account here. "
    "Your clients' history, notes and wishes never leave this computer."
)


class AccountsDialog(QDialog):
    def __init__(self, runs: AccountRuns, now: Callable[[], datetime], parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Accounts"))
        self.setMinimumSize(620, 460)
        self._runs, self._now = runs, now
        self.accounts = QTreeWidget()
        self.accounts.setHeaderLabels([self.tr("Account"), self.tr("Last run")])
        self.accounts.setColumnWidth(0, 260)
        self.accounts.setRootIsDecorated(False)
        self.accounts.currentItemChanged.connect(self._show_selected)
        self.add_button = QPushButton(self.tr("Add…"))
        self.add_button.clicked.connect(self.add_account)
        self.remove_button = QPushButton(self.tr("Remove…"))
        self.remove_button.clicked.connect(self.remove_selected)
        self.sync_button = QPushButton(self.tr("Sync now"))
        self.sync_button.clicked.connect(lambda: runs.run_now())
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.clicked.connect(runs.stop_current)
        self.status = plain_label()
        self.status.setWordWrap(True)
        self.leaves = plain_label()
        self.leaves.setWordWrap(True)
        self.options = QFormLayout()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.sync_button, self.stop_button):
            row.addWidget(button)
        row.addStretch(1)
        leaves_box = QGroupBox(self.tr("What leaves this computer"))
        QVBoxLayout(leaves_box).addWidget(self.leaves)
        options_box = QWidget()
        options_box.setLayout(self.options)
        layout = QVBoxLayout(self)
        layout.addWidget(self.accounts, 1)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(leaves_box)
        layout.addWidget(options_box)
        layout.addWidget(buttons)
        runs.status.connect(self.status.setText)
        runs.progress.connect(self._show_progress)
        runs.finished.connect(lambda _results: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        chosen = self.selected()
        self.accounts.clear()
        for account in accounts():
            item = QTreeWidgetItem([account.shown_name, ""])
            item.setData(0, Qt.ItemDataRole.UserRole, account.id)
            item.setToolTip(0, plain_tooltip(account.url))
            done = statuses(account)
            for job in jobs_for(account):
                status = done.get(job.name)
                child = QTreeWidgetItem([f"    {job.name}", _said(status)])
                if status is not None and status.error:
                    child.setToolTip(1, plain_tooltip(status.error))
                item.addChild(child)
            self.accounts.addTopLevelItem(item)
            item.setExpanded(True)
            if chosen is not None and account.id == chosen.id:
                self.accounts.setCurrentItem(item)
        if self.accounts.currentItem() is None and self.accounts.topLevelItemCount():
            self.accounts.setCurrentItem(self.accounts.topLevelItem(0))
        self._show_selected()

    def selected(self) -> Account | None:
        item = self.accounts.currentItem()
        while item is not None and item.parent() is not None:
            item = item.parent()
        if item is None:
            return None
        return Account.get_or_none(Account.id == item.data(0, Qt.ItemDataRole.UserRole))

    def _show_selected(self, *_items: object) -> None:
        account = self.selected()
        for button in (self.remove_button, self.sync_button):
            button.setEnabled(account is not None)
        self.leaves.setText(_what_leaves(account) if account else self.tr(NOTHING_LEAVES))
        while self.options.rowCount():
            self.options.removeRow(0)
        for kind, label, make in OPTION_ROWS:
            if account is not None and account.kind == kind:
                self.options.addRow(_tr(label), make(account))

    def _show_progress(self, done: int, total: int) -> None:
        self.status.setText(self.tr("Syncing… {done} of {total}").format(done=done, total=total))

    def add_account(self) -> None:
        if AddAccountDialog(self._now, self).exec():
            self.refresh()
            self._runs.run_now()

    def remove_selected(self) -> None:
        account = self.selected()
        if account is None or not ask(
            self,
            self.tr("Remove account"),
            self.tr(
                "Remove {name} and forget its password? What it brought into Rapport stays; "
                "nothing is deleted on the server."
            ).format(name=account.shown_name),
        ):
            return
        left = remove_account(account)
        if left:
            tell(self, self.tr("Remove account"), left)
        self.refresh()


def _said(status) -> str:
    if status is None:
        return _tr("not run yet")
    said = f"⚠ {status.error}" if status.error else status.summary
    return f"{local_date_time(status.ran_at)} · {said}"


def _what_leaves(account: Account) -> str:
    lines = [f"• {job.name}: {job.leaves}" for job in jobs_for(account)]
    return "\n".join(lines) or _tr(
        "Nothing yet: no feature uses this account. Only the login is checked."
    )


class AddAccountDialog(QDialog):
    """The server's address, the user name and the password; the set-up on a worker."""

    def __init__(self, now: Callable[[], datetime], parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Add account"))
        self.setMinimumWidth(520)
        self._now = now
        self.url = QLineEdit()
        self.url.setPlaceholderText(self.tr("https://dav.example.org/ or imaps://mail.example.org"))
        self.user = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.label = QLineEdit()
        self.label.setPlaceholderText(self.tr("optional, e.g. Studio calendar"))
        hint = plain_label()
        hint.setWordWrap(True)
        hint.setText(
            self.tr(
                "iCloud, Fastmail and others want an app password, made in the account's "
                "security settings. The password is kept in the system keyring only."
            )
        )
        self.error = QLabel()
        self.error.setObjectName("formError")
        self.error.setTextFormat(Qt.TextFormat.PlainText)  # the server's words, quoted
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Add"))
        self.buttons.accepted.connect(self.add)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.tr("Server address"), self.url)
        form.addRow(self.tr("User name"), self.user)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.tr("Name"), self.label)
        form.addRow(hint)
        form.addRow(self.error)
        form.addRow(self.buttons)
        self._worker = DatabaseWorker(self)

    def add(self) -> None:
        url, user, password = self.url.text(), self.user.text(), self.password.text()
        label = self.label.text()
        self._busy(True)
        self.error.setText(self.tr("Connecting to the server…"))
        self.error.show()
        self._worker.run(
            lambda: _set_up(url, user, password, self._now, label), self._added, self._refused
        )

    def _busy(self, busy: bool) -> None:
        for widget in (self.url, self.user, self.password, self.label, self.buttons):
            widget.setEnabled(not busy)

    def _added(self, refused: str) -> None:
        if refused:
            self._refused(refused)
        else:
            self.accept()

    def _refused(self, sentence: str) -> None:
        self._busy(False)
        self.error.setText(sentence)
        self.error.show()

    def reject(self) -> None:
        self._worker.wait()  # a set-up in flight finishes (or fails) before the dialog goes
        super().reject()


def _set_up(url: str, user: str, password: str, now, label: str) -> str:
    """On the worker: "" when the account was added, else why not, in a sentence."""
    if not password:
        return _tr("Enter the password (or app password) for this account.")
    try:
        set_up_account(url, user, password, now, label=label)
    except AccountError as error:
        return str(error)
    return ""
