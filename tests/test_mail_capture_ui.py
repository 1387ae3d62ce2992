"""Mail capture in the window: History says which emails were read from the mailbox and
can hide them, one can be removed for good, and Today offers the people written to this
month as leads (never adding anyone on its own; a dismissed person is not offered again)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from models.accounts.store import add_account
from models.capture.mail_headers import parse_header
from models.capture.mail_store import (
    MailStranger,
    Message,
    Tally,
    client_addresses,
    record,
    strangers_this_month,
)
from models.clients.saving import save_client
from models.forms.dialog_forms import ClientForm
from models.store.entities import Client, Interaction
from tests.ui_helpers import NOW, answer_delete, when_dialog_opens, with_reminders
from ui.client_page import TAB_HISTORY
from ui.dialogs.leads_dialog import LeadsDialog
from ui.entry_models import HistoryModel

STUDIO = "studio@lens.example"


def captured(*messages: tuple[bool, str]) -> None:
    """Keep messages as a mail run does: (sent by the owner, header text)."""
    account = add_account("imaps://mail.example.org", "studio")
    kept = [Message(parse_header(text.encode()), sent, sent) for sent, text in messages]
    record(account, "INBOX", 1, len(kept) + 1, kept, client_addresses(), Tally())


def anna_with_mail() -> Client:
    anna = save_client(
        ClientForm(first_name="Anna", last_name="Meyer", emails="anna@meyer.example")
    )
    captured(
        (False, "From: anna@meyer.example\nSubject: Re: album proofs\n"
                "Date: Fri, 20 Nov 2026 10:00:00 +0100\nMessage-ID: <p1@meyer.example>\n"),
        (True, f"From: {STUDIO}\nTo: Anna <anna@meyer.example>, Lea Brandt <lea@brandt.example>\n"
               "Cc: max@weber.example\nSubject: Your gallery\n"
               "Date: Mon, 23 Nov 2026 10:00:00 +0100\nMessage-ID: <g1@lens.example>\n"),
    )  # fmt: skip
    return anna


def summaries(window) -> list[str]:
    model = window.page.history
    return [
        model.display(model.entry(row), HistoryModel.COL_SUMMARY) for row in range(model.rowCount())
    ]


def test_history_marks_hides_and_removes_captured_mail(qtbot, window):
    anna = anna_with_mail()
    window.show_client(anna.id)
    window.page.tabs.setCurrentIndex(TAB_HISTORY)
    page = window.page
    assert summaries(window) == ["Email sent: Your gallery", "Email received: Re: album proofs"]
    assert page.history.display(page.history.entry(0), HistoryModel.COL_KIND) == "Email · from mail"
    assert not page.captured_toggle.isHidden() and page.captured_toggle.isChecked()
    page.captured_toggle.click()
    assert summaries(window) == []
    page.captured_toggle.click()
    # Removed from the history like any entry: and a later scan never brings it back.
    page.history_table.setCurrentIndex(page.history.index(1, 0))
    asked = when_dialog_opens(answer_delete, kind=QMessageBox)
    page.delete(Interaction, page.history.entry(1))
    assert asked
    assert summaries(window) == ["Email sent: Your gallery"]
    captured(
        (False, "From: anna@meyer.example\nSubject: Re: album proofs\n"
                "Message-ID: <p1@meyer.example>\n"),
    )  # fmt: skip
    page.refresh_entries()
    assert summaries(window) == ["Email sent: Your gallery"]


def test_today_offers_the_people_written_to_as_leads(qtbot, open_window, database):
    anna_with_mail()
    assert Client.select().count() == 1  # nobody added on their own
    window = with_reminders(qtbot, open_window())
    window.show_today()
    row = window.today_view.leads_row
    assert row is not None
    assert row.text.text() == (
        "2 people you wrote to this month are not in Rapport: add them as leads?"
    )

    def add_lea(dialog: LeadsDialog) -> None:
        assert not dialog.add_button.isEnabled()
        items = [dialog.people.item(n) for n in range(dialog.people.count())]
        assert [item.text().split("  ·  ")[0] for item in items] == [
            "Lea Brandt <lea@brandt.example>",
            "max@weber.example",
        ]
        items[0].setCheckState(Qt.CheckState.Checked)
        dialog.add_button.click()

    seen = when_dialog_opens(add_lea, kind=LeadsDialog)
    row.choose_button.click()
    assert seen
    lea = Client.get(Client.first_name == "Lea")
    assert (lea.last_name, lea.stage) == ("Brandt", "lead")
    one_left = "1 person you wrote to this month is not in Rapport: add them as a lead?"
    qtbot.waitUntil(lambda: getattr(window.today_view.leads_row, "text", None) is not None
                    and window.today_view.leads_row.text.text() == one_left)  # fmt: skip

    def dismiss_max(dialog: LeadsDialog) -> None:
        dialog.people.item(0).setCheckState(Qt.CheckState.Checked)
        dialog.dismiss_button.click()

    when_dialog_opens(dismiss_max, kind=LeadsDialog)
    window.today_view.leads_row.choose_button.click()
    qtbot.waitUntil(lambda: window.today_view.leads_row is None)
    assert MailStranger.get_by_id("max@weber.example").dismissed
    assert strangers_this_month(NOW) == []
    assert Client.select().count() == 2
