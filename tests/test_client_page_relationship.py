"""The client page, as a user: wishes, the wedding anniversary offer, health and the chart."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QDate, QDateTime, Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from models.clients import save_client
from models.entities import FollowUp, ImportantDate, Wish
from models.forms import ClientForm, InteractionForm
from models.records import save_interaction
from tests.ui_helpers import NOW, when_dialog_opens
from ui.client_page import TAB_WISHES


def _menu_action(page, text: str):
    return next(a for a in page.add_menu.actions() if a.text() == text)


def test_add_a_wish_with_a_reminder_and_mark_it_come_true(open_window, database):
    anna = save_client(ClientForm(first_name="Anna"))
    window = open_window()
    window.open_client(anna.id)
    page = window.page

    def fill(dialog) -> None:
        dialog.text.setText("Canvas print of the wedding photo")
        dialog.has_date.setChecked(True)
        dialog.wanted_by.setDate(QDate(2027, 2, 14))
        dialog.follow_up.setChecked(True)
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()

    seen = when_dialog_opens(fill)
    _menu_action(page, "Wish…").trigger()
    assert len(seen) == 1
    assert page.tabs.currentIndex() == TAB_WISHES
    assert page.tabs.tabText(TAB_WISHES) == "Wishes (1)"
    assert page.wishes.index(0, page.wishes.COL_WISH).data() == (
        "Canvas print of the wedding photo"
    )
    assert page.wishes.index(0, page.wishes.COL_STATUS).data() == "reminder set"
    [follow_up] = FollowUp.select()
    assert follow_up.title == "Wish: Canvas print of the wedding photo"
    assert page.follow_ups.rowCount() == 1  # on the Follow-ups tab too

    page.wishes_table.setCurrentIndex(page.wishes.index(0, 0))
    page._toggle_wish_fulfilled()
    assert Wish.get().fulfilled_at == NOW
    assert FollowUp.get().done_at == NOW
    assert page.tabs.tabText(TAB_WISHES) == "Wishes"


def test_logging_a_wedding_offers_the_anniversary(qtbot, open_window, database):
    couple = save_client(ClientForm(first_name="Mia", last_name="& Tom"))
    window = open_window()
    window.open_client(couple.id)
    asked: list[str] = []

    def log_wedding(dialog) -> None:
        dialog.kind.setCurrentIndex(dialog.kind.findData("wedding"))
        dialog.occurred_at.setDateTime(QDateTime(QDate(2026, 6, 13), dialog.occurred_at.time()))
        dialog.summary.setText("Wedding at the lake")
        when_dialog_opens(accept_offer)
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()

    def accept_offer(box: QMessageBox) -> None:
        assert box.textFormat() == Qt.TextFormat.PlainText  # the couple's names are text
        asked.append(box.text())
        box.button(QMessageBox.StandardButton.Yes).click()

    when_dialog_opens(log_wedding)
    window.page.log_interaction()
    qtbot.waitUntil(lambda: bool(asked))
    assert asked[0].startswith("Remember 13 June as Mia & Tom's wedding anniversary")
    [anniversary] = ImportantDate.select()
    assert (anniversary.kind, anniversary.day, anniversary.month, anniversary.year) == (
        "wedding_anniversary",
        13,
        6,
        2026,
    )
    assert window.page.dates.rowCount() == 1


def test_the_page_shows_health_and_interactions_per_quarter(open_window, database):
    jens = save_client(ClientForm(first_name="Jens"))
    for days in (20, 30, 800):
        save_interaction(InteractionForm("call", NOW - timedelta(days=days), "Catch-up"), jens.id)
    window = open_window()
    window.open_client(jens.id)
    header = window.page.header
    assert header.health.text() == "Fair: Last contact 2 weeks ago · 2 interactions in 2 years"
    counts = window.page.quarters.counts()
    assert sum(count for _, count in counts) == 3
    assert counts[-1][1] == 2  # this quarter
    assert window.page.quarters.isVisibleTo(window.page)
