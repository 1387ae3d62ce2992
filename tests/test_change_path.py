"""One change path: after every kind of write, Today and the client
list show it at once, without waiting for the next 15-minute look and with no reconcile
asked for by hand; and the client page and the Studio follow the same change."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from models.clients.entries import save_follow_up, save_interaction
from models.clients.saving import save_client
from models.forms.dialog_forms import ClientForm, FollowUpForm, InteractionForm
from models.store.entities import Client, Interaction
from models.store.settings import reminder_time
from tests.ui_helpers import answer_delete, wait_for_client_list, when_dialog_opens
from ui.dialogs.import_preview_dialog import ImportPreviewDialog
from ui.entry_models import FollowUpsModel
from ui.main_window import MainWindow

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 24, 10, tzinfo=UTC)  # 11:00 in Berlin
CHECK_IN = "Check in with Jens — last contact 60 days ago, every 30 days"


@pytest.fixture
def jens(database):
    """A client whose check-in is a month overdue."""
    jens = save_client(ClientForm(first_name="Jens", check_in_days="30"))
    save_interaction(InteractionForm("call", NOW - timedelta(days=60), "Catch-up"), jens.id)
    return jens


class Clock:
    moment = NOW

    def __call__(self) -> datetime:
        return self.moment


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def started(open_window):
    """Opens the window in Berlin with its reminders running, as Rapport starts."""

    def start() -> MainWindow:
        window = open_window(zone=BERLIN)
        window.start_reminders()
        return window

    return start


@pytest.fixture
def window(qtbot, jens, started):
    window = started()
    qtbot.waitUntil(lambda: CHECK_IN in today(window), timeout=5000)
    return window


def today(window) -> list[str]:
    """What Today lists: reminders, then suggestions (by client)."""
    return [row.reminder.text for row in window.today_view.rows]


def listed(window) -> list[str]:
    model = window.list_model
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def shows(qtbot, window, reminder: str | None = None, names: list[str] | None = None):
    """Wait until Today and the list show what they should; the 15-minute look is
    minutes away, so only the change itself can bring it."""
    if reminder is not None:
        qtbot.waitUntil(lambda: any(reminder in text for text in today(window)), timeout=5000)
    if names is not None:
        qtbot.waitUntil(
            lambda: not window.list_model.searching() and listed(window) == names, timeout=5000
        )


def hides(qtbot, window, reminder: str) -> None:
    qtbot.waitUntil(lambda: not any(reminder in text for text in today(window)), timeout=5000)


def _save(dialog) -> None:
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()


def test_an_edit_and_its_undo_show_on_today_and_in_the_list(qtbot, window, jens):
    window.open_client(jens.id)

    def rename(dialog) -> None:
        dialog.first_name.setText("Jonas")
        _save(dialog)

    when_dialog_opens(rename)
    window.edit_client()
    shows(qtbot, window, CHECK_IN.replace("Jens", "Jonas"), ["Jonas"])
    window.undo.undo()
    shows(qtbot, window, CHECK_IN, ["Jens"])
    assert window.page.header.name.text() == "Jens"


def test_a_deleted_client_leaves_today_and_comes_back_with_undo(qtbot, window, jens):
    window.open_client(jens.id)
    when_dialog_opens(answer_delete)
    window.delete_client(jens.id)
    hides(qtbot, window, "Jens")
    shows(qtbot, window, names=[])
    assert window.page.client is None
    window.undo.undo()
    shows(qtbot, window, CHECK_IN, ["Jens"])


def test_a_new_client_is_listed_shown_and_reminded_of(qtbot, database, clock, started):
    # A new client counts their check-ins from when they were added, which the system
    # clock stamps: a clock years ahead of any real date sees the first one overdue.
    clock.moment = datetime(2099, 6, 1, 10, tzinfo=UTC)
    window = started()

    def new(dialog) -> None:
        dialog.first_name.setText("Mira")
        dialog.check_in_days.setText("30")
        _save(dialog)

    when_dialog_opens(new)
    window.new_client()
    shows(qtbot, window, "Check in with Mira", ["Mira"])
    assert window.page.client.first_name == "Mira"


def test_an_interaction_logged_closes_the_check_in_and_shows_in_the_studio(qtbot, window, jens):
    """Client → Log interaction (Ctrl+L) acts on the client last opened, from any section:
    here from the Studio, whose figures follow."""
    window.open_client(jens.id)
    window.show_studio()
    qtbot.waitUntil(lambda: not window.studio.busy(), timeout=5000)

    def log(dialog) -> None:
        dialog.summary.setText("Coffee")
        _save(dialog)

    when_dialog_opens(log)
    with qtbot.waitSignal(window.studio.refreshed, timeout=5000):
        qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    hides(qtbot, window, CHECK_IN)
    with qtbot.waitSignal(window.studio.refreshed, timeout=5000):
        window.undo.undo()
    shows(qtbot, window, CHECK_IN)


def test_done_on_today_and_its_undo(qtbot, window, jens):
    row = next(row for row in window.today_view.rows if row.reminder.text == CHECK_IN)
    window.open_client(jens.id)  # its page shows the call Done logs, at once
    calls = window.page.history.rowCount()
    [call] = [a for a in row.done_button.menu().actions() if a.data() == "call"]
    call.trigger()
    hides(qtbot, window, CHECK_IN)
    assert window.page.history.rowCount() == calls + 1
    window.undo.undo()
    shows(qtbot, window, CHECK_IN)
    assert window.page.history.rowCount() == calls


@pytest.fixture
def mira(database):
    return save_client(ClientForm(first_name="Mira"))


def test_done_for_one_client_leaves_another_client_s_page_alone(qtbot, mira, window, monkeypatch):
    """A change rebuilds only the page of a client it concerns."""
    window.open_client(mira.id)
    rebuilt = []
    monkeypatch.setattr(window.page, "refresh_entries", lambda: rebuilt.append(True))
    row = next(row for row in window.today_view.rows if row.reminder.text == CHECK_IN)
    [call] = [a for a in row.done_button.menu().actions() if a.data() == "call"]
    call.trigger()
    hides(qtbot, window, CHECK_IN)
    wait_for_client_list(qtbot, window)
    qtbot.wait(50)  # the list's selection, delivered through the event loop
    assert rebuilt == []
    assert window.page.client.id == mira.id


def test_snooze_on_today_and_its_undo_show_on_the_client_page(qtbot, window, jens):
    due = NOW.replace(hour=16)
    save_follow_up(FollowUpForm("Send the gallery", due), jens.id)
    window.reminder_service.reconcile()  # what the 15-minute look brings: set-up only
    qtbot.waitUntil(lambda: any("Send the gallery" in text for text in today(window)))
    window.open_client(jens.id)
    snoozed = window.page.follow_ups.index(0, FollowUpsModel.COL_STATUS)
    assert "snoozed" not in snoozed.data()
    row = next(row for row in window.today_view.rows if row.reminder.kind == "follow_up")
    [tomorrow] = [a for a in row.snooze_button.menu().actions() if a.text() == "Tomorrow"]
    tomorrow.trigger()
    qtbot.waitUntil(lambda: window.today_view.row_for(row.reminder.key).section == "coming")
    assert "snoozed until" in window.page.follow_ups.index(0, FollowUpsModel.COL_STATUS).data()
    window.undo.undo()
    qtbot.waitUntil(lambda: window.today_view.row_for(row.reminder.key).section == "today")
    assert "snoozed" not in window.page.follow_ups.index(0, FollowUpsModel.COL_STATUS).data()


@pytest.fixture
def anna(database):
    """A customer who has booked twice: Rapport suggests making her a client."""
    anna = save_client(ClientForm(first_name="Anna", stage="customer"))
    for day in (1, 10):
        form = InteractionForm(
            "session", datetime(2026, 11, day, tzinfo=UTC), "Shoot", amount="300", currency="EUR"
        )
        save_interaction(form, anna.id)
    return anna


def suggested(window) -> list[int]:
    return [row.suggestion.client_id for row in window.today_view.suggestion_rows]


def test_declining_a_promotion_on_the_page_leaves_today_s_suggestions(qtbot, anna, window):
    qtbot.waitUntil(lambda: suggested(window) == [anna.id], timeout=5000)
    window.open_client(anna.id)
    window.page.promotion.later_button.click()
    assert not window.page.promotion.isVisible()
    qtbot.waitUntil(lambda: suggested(window) == [], timeout=5000)


VCARD = """BEGIN:VCARD
VERSION:3.0
N:Lefèvre;Chloé;;;
FN:Chloé Lefèvre
BDAY:--1124
END:VCARD
"""


def test_an_import_shows_on_today_and_in_the_list_and_ends_the_undo_offer(
    qtbot, window, jens, tmp_path
):
    save_interaction(InteractionForm("call", NOW, "Hello"), jens.id)
    window.open_client(jens.id)
    when_dialog_opens(answer_delete)  # a change the bar offers to undo
    window.page.delete(Interaction, Interaction.get(Interaction.summary == "Hello"))
    assert window.undo_bar.isVisible()
    path = tmp_path / "chloe.vcf"
    path.write_text(VCARD, encoding="utf-8")

    def preview(dialog: ImportPreviewDialog) -> None:
        when_dialog_opens(lambda box: box.accept(), kind=QMessageBox)
        dialog.import_button.click()

    when_dialog_opens(preview, kind=ImportPreviewDialog)
    window.import_flow.start(path)
    qtbot.waitUntil(lambda: not window.import_flow.busy, timeout=10000)
    shows(qtbot, window, "Chloé", ["Chloé Lefèvre", "Jens"])
    # The snapshots before the import no longer fit: nothing is offered that does nothing.
    assert not window.undo_bar.isVisible()
    assert not window.undo.undo()


def test_sample_clients_show_on_today_in_the_list_and_in_the_studio_shown(qtbot, database, started):
    window = started()
    window.show_studio()
    qtbot.waitUntil(lambda: not window.studio.busy(), timeout=5000)
    with qtbot.waitSignal(window.studio.refreshed, timeout=5000):
        window.load_sample_clients()
    qtbot.waitUntil(lambda: len(today(window)) > 5, timeout=5000)
    qtbot.waitUntil(lambda: window.list_model.total() == Client.select().count(), timeout=5000)


def test_a_higher_bar_for_promotion_in_settings_shows_on_the_page_and_today(qtbot, anna, window):
    qtbot.waitUntil(lambda: suggested(window) == [anna.id], timeout=5000)
    window.open_client(anna.id)
    assert window.page.promotion.isVisible()

    def three_bookings(dialog) -> None:
        dialog.promote_after.setValue(3)
        _save(dialog)

    when_dialog_opens(three_bookings)
    window.open_settings()
    assert not window.page.promotion.isVisible()
    qtbot.waitUntil(lambda: suggested(window) == [], timeout=5000)


def test_a_new_reminder_time_shows_on_today(qtbot, window):
    """Today is looked at anew with the new reminder time."""
    assert reminder_time() == time(9)
    shown = window.today_view.rows[0]

    def later(dialog) -> None:
        dialog.reminder_time.setTime(QTime(12, 0))
        _save(dialog)

    when_dialog_opens(later)
    window.open_settings()
    assert reminder_time() == time(12)
    qtbot.waitUntil(lambda: window.today_view.rows[0] is not shown, timeout=5000)
    shows(qtbot, window, CHECK_IN, ["Jens"])
