"""A refresh of Today keeps the owner's place: the scroll position and
the row they were on stay, instead of jumping to the bottom of the list."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

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
    key = row.reminder.key
    row.snooze_button.setFocus()
    bar.setValue(250)
    window.reminder_service.reconcile()  # what happens while the owner only waits
    wait_for_reminders(qtbot, window)
    qtbot.wait(10)
    assert view.rows[4] is not row  # Today was built anew...
    assert bar.value() == 250  # ...where the owner was
    assert QApplication.focusWidget() is view.row_for(key).snooze_button
