"""A refresh of Today keeps the owner's place: the scroll position and
the row they were on stay, instead of jumping to the bottom of the list."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QMenu

from models.store.entities import Client
from tests.test_today import clock, studio, window  # noqa: F401 (fixtures)
from tests.ui_helpers import wait_for_reminders


def test_a_refresh_keeps_the_scroll_position_and_the_row_in_focus(qtbot, window):  # noqa: F811
    window.resize(1024, 700)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    view = window.today_view
    qtbot.wait(10)
    bar = view.scroll.verticalScrollBar()
    assert bar.maximum() > 300  # a list longer than the window
    row = view.rows[4]
    key, client_id = row.reminder.key, row.reminder.client_id
    other = next(each for each in view.rows if each.reminder.client_id != client_id)
    row.snooze_button.setFocus()
    bar.setValue(250)
    # Renamed elsewhere (another window, a sync): that row shows other words, the rest not.
    Client.update(first_name="Renamed").where(Client.id == client_id).execute()
    window.reminder_service.reconcile()  # what happens while the owner only waits
    wait_for_reminders(qtbot, window)
    qtbot.wait(10)
    assert view.row_for(key) is not row  # built anew...
    assert view.row_for(key).reminder.title.startswith("Renamed")
    assert bar.value() == 250  # ...where the owner was
    assert QApplication.focusWidget() is view.row_for(key).snooze_button
    assert other in view.rows  # a row that shows the same again is kept, not built anew
    # The rows' menus go with their rows: none stays behind on Today from refresh to refresh.
    assert {menu.parent() for menu in view.findChildren(QMenu)} <= set(view.rows)


def test_a_refresh_keeps_the_cards_chosen(qtbot, window):  # noqa: F811
    view = window.today_view
    greetings = [row for row in view.rows if row.for_card.isVisibleTo(view)]
    kept, renamed = greetings[0], greetings[-1]
    assert kept.reminder.client_id != renamed.reminder.client_id
    for row in (kept, renamed):
        row.for_card.setChecked(True)
    key = renamed.reminder.key
    Client.update(last_name="Renamed").where(Client.id == renamed.reminder.client_id).execute()
    window.reminder_service.reconcile()
    wait_for_reminders(qtbot, window)
    assert view.row_for(key) is not renamed  # built anew, with the new name...
    assert {r.key for r in view.chosen_for_cards()} == {kept.reminder.key, key}  # ...chosen
