"""Driving modal dialogs from tests: the dialog runs its own event loop, so we act on it
from a timer once it is shown, as a user would."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from models.store.database import db

NOW = datetime(2026, 11, 25, 10, tzinfo=UTC)  # the window's time in tests (conftest's clock)


def when_dialog_opens(
    action: Callable[[QDialog], None], attempts: int = 200, kind: type = QDialog
) -> list:
    """Call `action` with the next modal dialog of `kind`; the returned list records what
    was seen. Other modal dialogs (a progress dialog on the way) are waited past."""
    seen: list = []

    def poll(remaining: int) -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, kind):
            seen.append(dialog)
            try:
                action(dialog)
            except BaseException:
                dialog.reject()  # a failed check must fail the test, not leave it waiting
                raise
        elif remaining:
            QTimer.singleShot(10, lambda: poll(remaining - 1))

    QTimer.singleShot(0, lambda: poll(attempts))
    return seen


def answer_delete(box: QMessageBox) -> None:
    box.button(QMessageBox.StandardButton.Yes).click()


def answer_cancel(box: QMessageBox) -> None:
    box.button(QMessageBox.StandardButton.Cancel).click()


def wait_for_client_list(qtbot, window) -> None:
    """Wait until the client list shows the result of its latest search (a worker thread
    finds the clients)."""
    qtbot.waitUntil(lambda: not window.list_model.searching(), timeout=5000)


def wait_for_reminders(qtbot, window) -> None:
    """Wait until every look for due reminders asked for (on a worker thread) is shown,
    every row of Today built (past a screenful, at the next turns of the event loop)."""
    qtbot.waitUntil(window.reminder_service.idle, timeout=5000)
    qtbot.waitUntil(lambda: not window.today_view.building, timeout=5000)


def with_reminders(qtbot, window):
    """The window with its reminders started and Today showing them."""
    window.start_reminders()
    wait_for_reminders(qtbot, window)
    return window


def quit_then_close(window, database) -> None:
    """Quit the window, then close the database it used and unbind the models (quitting
    drops what the window's workers still had to report: nothing reads the closed file)."""
    window.quit()
    database.close()
    db.initialize(None)
