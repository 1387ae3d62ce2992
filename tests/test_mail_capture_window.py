"""Mail capture from the window, against a real Dovecot: Sync now reads the mailbox on a
worker with its progress in words while the dialog answers, Stop keeps what was read,
and the mail options (the start day, the sent folder) are kept as the owner sets them."""

from __future__ import annotations

from datetime import UTC, date, datetime

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QLineEdit

from models.accounts.runs import set_up_account
from models.accounts.store import Account
from models.capture.mail_store import MailFolder
from models.clients.saving import save_client
from models.forms.dialog_forms import ClientForm
from models.store.entities import Interaction
from scheduler.account_runs import AccountRuns
from tests.servers import MAIL_PASSWORD, MAIL_USER
from ui.dialogs.accounts_dialog import AccountsDialog

NOW = datetime(2025, 12, 16, 12, 0, tzinfo=UTC)
MESSAGES = 5000  # ten batches: the Stop, clicked at the first, comes long before the last


def clock() -> datetime:
    return NOW


def note(n: int) -> bytes:
    return (
        f"From: anna@meyer.example\r\nTo: studio@lens.example\r\nSubject: Note {n}\r\n"
        f"Message-ID: <w{n}@meyer.example>\r\n\r\nHi\r\n"
    ).encode()


def test_sync_now_shows_progress_stop_keeps_what_was_read(qtbot, database, secret_service, dovecot):
    save_client(ClientForm(first_name="Anna", emails="anna@meyer.example"))
    set_up_account(
        dovecot.url(), MAIL_USER, MAIL_PASSWORD, clock,
        {"trust_certificate": str(dovecot.certificate), "mail_since": "2024-12-16"},
    )  # fmt: skip
    dovecot.write_messages("INBOX", map(note, range(MESSAGES)), datetime(2025, 11, 1, tzinfo=UTC))
    runs = AccountRuns(clock)
    dialog = AccountsDialog(runs, clock)
    qtbot.addWidget(dialog)
    shown = []

    def on_progress(done: int, total: int) -> None:
        shown.append(dialog.status.text())
        dialog.stop_button.click()  # the owner stops the first scan

    runs.progress.connect(on_progress)
    dialog.sync_button.click()
    qtbot.waitUntil(lambda: not runs.running, timeout=30_000)
    assert shown[0] == f"Syncing… 500 of {MESSAGES}"
    kept = Interaction.select().count()
    assert 500 <= kept < MESSAGES
    assert f"Stopped after {kept:,} of {MESSAGES:,} messages" in dialog.status.text()
    runs.progress.disconnect(on_progress)
    dialog.sync_button.click()
    qtbot.waitUntil(lambda: not runs.running, timeout=30_000)
    assert (
        dialog.status.text() == f"{MAIL_USER}@127.0.0.1 · mail: {MESSAGES - kept:,} new in history."
    )
    assert Interaction.select().count() == MESSAGES

    # The options under the account: an earlier start day reads the folders again.
    since = dialog.findChild(QDateEdit)
    assert since.date() == QDate(2024, 12, 16)
    since.setDate(QDate(2024, 1, 1))
    account = Account.get()
    assert account.option("mail_since") == date(2024, 1, 1).isoformat()
    assert MailFolder.select().count() == 0
    sent = dialog.findChild(QLineEdit)
    assert sent.text() == "Sent"
    sent.setText("Gesendet")
    sent.editingFinished.emit()
    assert Account.get().option("sent_folder") == "Gesendet"
    runs.stop()
    runs._worker.wait()
