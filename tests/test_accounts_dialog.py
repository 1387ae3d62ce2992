"""Settings → Accounts in the real window: adding an account runs its set-up on a worker
while the dialog stays usable, a refusal is a sentence, what leaves the machine is listed
from the jobs themselves, and the status bar follows the runs."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from models.accounts import jobs
from models.accounts.jobs import Job
from models.accounts.runs import set_up_account
from models.accounts.store import Account
from scheduler.account_runs import AccountRuns
from tests.test_accounts import PASSWORD, clock
from tests.ui_helpers import when_dialog_opens
from ui.dialogs.accounts_dialog import NOTHING_LEAVES, AccountsDialog, AddAccountDialog

HERE = "tests.test_accounts"


@pytest.fixture
def feature(monkeypatch, secret_service):
    monkeypatch.setattr(jobs, "SET_UP", (("dav", f"{HERE}:choose_book"),))
    monkeypatch.setattr(
        jobs,
        "JOBS",
        (
            Job("address book", "dav", "sync", f"{HERE}:sync_book", "names and emails", ""),
            Job("calendar", "dav", "sync", f"{HERE}:unreachable", "birthdays"),
        ),
    )


@pytest.fixture
def dialog(qtbot, database, feature):
    runs = AccountRuns(clock)
    accounts = AccountsDialog(runs, clock)
    qtbot.addWidget(accounts)
    yield accounts
    runs.stop()
    runs._worker.wait()


def test_with_no_account_nothing_leaves_the_machine(dialog):
    assert dialog.leaves.text() == NOTHING_LEAVES
    assert dialog.accounts.topLevelItemCount() == 0
    assert not dialog.remove_button.isEnabled() and not dialog.sync_button.isEnabled()


def test_adding_an_account_sets_it_up_on_a_worker(qtbot, dialog):
    def fill(add: AddAccountDialog) -> None:
        add.url.setText("https://dav.example.org/")
        add.user.setText("lena")
        add.password.setText("wrong")
        add.add()
        qtbot.waitUntil(lambda: add.url.isEnabled(), timeout=10_000)
        assert add.error.text() == "The server refused the password."
        assert Account.select().count() == 0
        add.password.setText(PASSWORD)
        add.add()
        assert not add.url.isEnabled()  # waiting for the server, not frozen

    seen = when_dialog_opens(fill, kind=AddAccountDialog)
    dialog.add_account()
    assert seen
    account = Account.get()
    assert account.option("address_book") == "contacts"
    top = dialog.accounts.topLevelItem(0)
    assert top.text(0) == "lena@dav.example.org"
    assert dialog.leaves.text() == "• address book: names and emails\n• calendar: birthdays"
    # Adding it started a run: each job's result shows under the account.
    qtbot.waitUntil(lambda: "cannot be reached" in dialog.status.text(), timeout=10_000)
    rows = dialog.accounts.topLevelItem(0)  # shown anew when the run finished
    assert rows.child(0).text(1).endswith("· synced contacts")
    assert rows.child(1).text(1).endswith("· ⚠ dav.example.org cannot be reached.")
    assert "Trying again in 1 min." in dialog.status.text()


def test_removing_asks_first_and_keeps_what_came_in(qtbot, dialog):
    set_up_account("https://dav.example.org/", "lena", PASSWORD, clock)
    dialog.refresh()
    when_dialog_opens(lambda box: box.button(QMessageBox.StandardButton.No).click())
    dialog.remove_selected()
    assert Account.select().count() == 1
    when_dialog_opens(lambda box: box.button(QMessageBox.StandardButton.Yes).click())
    dialog.remove_selected()
    assert Account.select().count() == 0
    assert dialog.leaves.text() == NOTHING_LEAVES


def test_the_window_shows_the_sync_status_and_opens_accounts_from_settings(
    qtbot, window, feature, monkeypatch
):
    runs = AccountRuns(clock, window)
    window.use_account_runs(runs)
    shown = []
    show = window._show_sync_status
    monkeypatch.setattr(window, "_show_sync_status", lambda line: shown.append(line) or show(line))
    set_up_account("https://dav.example.org/", "<b>lena</b>", PASSWORD, clock)
    runs.run_now()
    qtbot.waitUntil(lambda: "cannot be reached" in window.sync_status.text(), timeout=10_000)
    assert window.sync_status.textFormat() == Qt.TextFormat.PlainText
    assert window.sync_status.text().startswith("<b>lena</b>@dav.example.org · calendar")
    assert shown[0] == "Syncing… 1 of 1"  # the test job's progress, before the result
    seen = when_dialog_opens(lambda accounts: accounts.reject(), kind=AccountsDialog)
    window.open_accounts()
    assert seen and seen[0].accounts.topLevelItem(0).text(0) == "<b>lena</b>@dav.example.org"
    runs.stop()
    runs._worker.wait()
