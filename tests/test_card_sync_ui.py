"""Address-book sync on the client page: a conflict shown with both values and resolved
by the owner, a client whose card was deleted in the address book, and the question
whether deleting a client deletes their card too."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QMessageBox, QPushButton

from models.accounts.store import Account, add_account, set_options
from models.clients.saving import save_client
from models.forms.dialog_forms import ClientForm
from models.store.entities import Client
from models.sync.state import CardConflict, CardSync
from tests.ui_helpers import NOW, when_dialog_opens
from ui.theme import palette_for, style_sheet

SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


@pytest.fixture
def scheme(qapp):
    """Rapport's light or dark look for the test, the tests' own after."""
    palette, sheet = QPalette(qapp.palette()), qapp.styleSheet()
    yield lambda name: (qapp.setPalette(palette_for(name)), qapp.setStyleSheet(style_sheet(name)))
    qapp.setStyleSheet(sheet)
    qapp.setPalette(palette)


def synced_client(nickname: str, theirs: str) -> Client:
    """Anna, with a card and a nickname changed both here and in the address book."""
    account = add_account("https://dav.example.org/", "lena")
    anna = save_client(ClientForm(first_name="Anna", last_name="Berger"))
    Client.update(preferred_name=nickname).execute()
    CardSync.create(
        account=account, client=anna, href="https://dav.example.org/lena/c/anna.vcf",
        synced=json.dumps({"nickname": ""}),
    )  # fmt: skip
    CardConflict.create(
        account=account, client=anna, field="nickname", ours=json.dumps(nickname),
        theirs=json.dumps(theirs), found_at=NOW,
    )  # fmt: skip
    return anna


def buttons(widget, text: str) -> list[QPushButton]:
    return [b for b in widget.findChildren(QPushButton) if b.text() == text and b.isVisible()]


@pytest.mark.parametrize("name", ["light", "dark"])
def test_a_conflict_shows_both_values_until_the_owner_chooses(open_window, database, scheme, name):
    scheme(name)
    anna = synced_client("Nan", "Annie")
    window = open_window(size=(1024, 700))
    window.open_client(anna.id)
    bar = window.page.card_sync
    assert bar.isVisible()
    texts = [label.text() for label in bar.findChildren(type(bar.title)) if label.isVisible()]
    assert "Nickname: here “Nan”, in the address book “Annie”" in texts
    window.grab().save(str(SCREENSHOTS / f"address-book-conflict-1024x700-{name}.png"))
    [take] = buttons(bar, "Take the address book's")
    take.click()
    assert Client.get().preferred_name == "Annie"
    assert CardConflict.select().count() == 0
    assert not bar.isVisible()
    synced = json.loads(CardSync.get().synced)
    assert synced["nickname"] == "Annie" and CardSync.get().fingerprint == ""


def test_keeping_rapport_s_value_keeps_it(open_window, database):
    anna = synced_client("Nan", "Annie")
    window = open_window()
    window.open_client(anna.id)
    [keep] = buttons(window.page.card_sync, "Keep this one")
    keep.click()
    assert Client.get().preferred_name == "Nan"
    assert json.loads(CardSync.get().synced)["nickname"] == "Annie"  # the next sync writes Nan
    assert not window.page.card_sync.isVisible()


def test_a_client_removed_from_the_address_book_says_so(open_window, database):
    anna = synced_client("Nan", "Annie")
    CardConflict.delete().execute()
    CardSync.update(removed_at=NOW).execute()
    window = open_window()
    window.open_client(anna.id)
    assert window.page.card_sync.removed.isVisible()
    assert window.page.card_sync.removed.text().startswith("Removed from the address book")


@pytest.mark.parametrize("choice", ["Delete client and card", "Delete client, keep card"])
def test_deleting_a_client_with_a_card_asks_about_the_card(open_window, database, choice):
    anna = synced_client("Nan", "Annie")
    window = open_window()

    def answer(box: QMessageBox) -> None:
        assert box.text() == "Delete Anna Berger? Their card is in the address book too."
        next(b for b in box.buttons() if b.text() == choice).click()

    seen = when_dialog_opens(answer, kind=QMessageBox)
    window.delete_client(anna.id)
    assert len(seen) == 1
    assert Client.select().count() == 0
    row = CardSync.get()
    assert row.client_id is None and row.delete_card is (choice == "Delete client and card")


def test_the_note_goes_to_the_card_only_when_the_owner_turns_it_on(qtbot, database, scheme):
    from PySide6.QtWidgets import QCheckBox

    from scheduler.account_runs import AccountRuns
    from tests.test_accounts import clock
    from ui.dialogs.accounts_dialog import AccountsDialog

    scheme("light")
    account = add_account("https://dav.example.org/", "lena")
    set_options(account, address_book_url="https://dav.example.org/lena/contacts/")
    runs = AccountRuns(clock)
    dialog = AccountsDialog(runs, clock)
    qtbot.addWidget(dialog)
    try:
        dialog.show()
        dialog.accounts.setCurrentItem(dialog.accounts.topLevelItem(0))
        [box] = dialog.findChildren(QCheckBox)
        assert box.isVisible() and not box.isChecked()
        assert "address book you chose" in dialog.leaves.text()
        dialog.grab().save(str(SCREENSHOTS / "accounts-address-book-light.png"))
        box.setChecked(True)
        assert Account.get_by_id(account.id).option("sync_notes") is True
        box.setChecked(False)
        assert Account.get_by_id(account.id).option("sync_notes") is None
    finally:
        runs.stop()
        runs._worker.wait()


def test_the_first_sync_in_the_window_shows_every_match_before_writing(
    qtbot, database, scheme, radicale, secret_service
):
    from PySide6.QtCore import Qt

    from models.accounts.runs import set_up_account
    from models.store.entities import ContactDetail
    from scheduler.account_runs import AccountRuns
    from tests.test_accounts import PASSWORD, clock
    from tests.test_address_book_runs import card
    from tests.test_address_book_sync import put_card
    from ui.address_book_options import AddressBookOptions
    from ui.dialogs.accounts_dialog import AccountsDialog
    from ui.dialogs.first_sync_dialog import FirstSyncDialog

    scheme("light")
    account, _said = set_up_account(radicale.url, "rapport", PASSWORD, clock)
    book = str(account.option("address_book_url"))
    save_client(ClientForm(first_name="Ben", last_name="Kim", emails="ben@example.org"))
    cleo = save_client(ClientForm(first_name="Cleo", last_name="Ross"))
    ContactDetail.create(client=cleo, kind="phone", value="+49 170 5550100")
    put_card(radicale, book, "ben", card("b", "Benjamin", "Kim", "EMAIL:ben@example.org"))
    put_card(radicale, book, "cleo", card("c", "Cleo", "R.", "TEL:+49 170 5550100"))
    put_card(radicale, book, "dan", card("d", "Dan", "Ortiz"))
    runs = AccountRuns(clock)
    dialog = AccountsDialog(runs, clock)
    qtbot.addWidget(dialog)
    try:
        dialog.show()
        dialog.accounts.setCurrentItem(dialog.accounts.topLevelItem(0))
        [options] = dialog.findChildren(AddressBookOptions)
        assert options.review.isVisible()

        def choose(preview: FirstSyncDialog) -> None:
            qtbot.waitExposed(preview)
            rows = [
                [preview.pairs.item(row, column).text() for column in range(3)]
                for row in range(preview.pairs.rowCount())
            ]
            # An email the client has, under another first name ("Benjamin" for "Ben", or
            # a partner writing from the couple's address): for the owner to tick.
            assert rows == [
                [
                    "Benjamin Kim · ben@example.org",
                    "Ben Kim",
                    "possibly: same email ben@example.org",
                ],
                ["Cleo R.", "Cleo Ross", "possibly: same phone +49 170 5550100"],
            ]
            ticked = [preview.pairs.item(row, 0).checkState() for row in range(2)]
            assert ticked == [Qt.CheckState.Unchecked, Qt.CheckState.Unchecked]
            assert "Cards that become new clients: 1." in preview.findChild(QLabel).text()
            preview.grab().save(str(SCREENSHOTS / "address-book-first-sync-light.png"))
            for row in range(2):
                preview.pairs.item(row, 0).setCheckState(Qt.CheckState.Checked)
            preview.accept()

        seen = when_dialog_opens(choose, kind=FirstSyncDialog, attempts=2000)
        options.review.click()
        qtbot.waitUntil(lambda: bool(seen), timeout=30_000)
        qtbot.waitUntil(lambda: CardSync.select().count() == 3, timeout=60_000)
        qtbot.waitUntil(lambda: not runs.running, timeout=60_000)
        names = sorted(c.full_name for c in Client.select())
        assert names == ["Ben Kim", "Cleo Ross", "Dan Ortiz"]
    finally:
        runs.stop()
        runs._worker.wait()
