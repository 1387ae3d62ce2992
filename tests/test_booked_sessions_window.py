"""Booked sessions in the window: booked from the client's page, on Today the day before with
a real desktop notification (dunst), offered from the booking calendar, and history once
they have ended."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QDateTime

from models.clients.bookings import save_booking
from models.clients.saving import save_client
from models.forms.dialog_forms import BookingForm, ClientForm
from models.store.database import db
from models.store.entities import Booking, Client, Interaction
from models.store.migrations import open_database
from models.store.settings import set_setting
from scheduler.notifications import DesktopNotifications
from tests.test_booking_calendar import ANNA_SHOOT, TOM_WEDDING, calendar
from tests.test_notifications import displayed, dunst, dunstctl, on_screen, wait_for
from tests.ui_helpers import when_dialog_opens, with_reminders
from ui.client_page import TAB_HISTORY
from ui.dialogs.booking_dialog import BookingDialog
from ui.main_window import MainWindow

__all__ = ["dunst"]  # a fixture, used by name

BERLIN = ZoneInfo("Europe/Berlin")
# Friday 11 December 2026, 08:00 in Berlin: the day before Anna's shoot.
FRIDAY = datetime(2026, 12, 11, 7, tzinfo=UTC)
STARTS = datetime(2026, 12, 12, 10, tzinfo=BERLIN)
TWO_HOURS = timedelta(hours=2)


@pytest.fixture
def clock():
    return [FRIDAY]


@pytest.fixture
def anna(tmp_path) -> int:
    database = open_database(tmp_path / "rapport.sqlite")
    client_id = save_client(
        ClientForm(first_name="Anna", last_name="Berger", emails="anna@example.org")
    ).id
    save_client(ClientForm(first_name="Tom", last_name="Meyer"))
    yield client_id
    database.close()
    db.initialize(None)


def open_window(qtbot, tmp_path, clock, notifier=None) -> MainWindow:
    window = MainWindow(
        tmp_path / "rapport.sqlite", now=lambda: clock[0], zone=BERLIN, notifier=notifier
    )
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    return window


def book_anna(client_id: int) -> None:
    form = BookingForm("session", STARTS, STARTS + timedelta(hours=2), "Schloss Nymphenburg")
    save_booking(form, client_id)


def look_at(qtbot, window, clock, moment: datetime) -> None:
    clock[0] = moment
    window.reminder_service.reconcile()
    qtbot.waitUntil(window.reminder_service.idle, timeout=5000)


def test_a_session_booked_on_the_client_page_shows_there_and_on_today(qtbot, tmp_path, clock, anna):
    window = with_reminders(qtbot, open_window(qtbot, tmp_path, clock))
    try:
        window.show_client(anna)
        page = window.page

        def fill(dialog: BookingDialog) -> None:
            # The dialog shows the machine's local time; set the instants themselves.
            for edit, moment in ((dialog.starts_at, STARTS), (dialog.ends_at, STARTS + TWO_HOURS)):
                edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(moment.timestamp())))
            dialog.place.setText("Schloss Nymphenburg")
            dialog.summary.setText("Family shoot")
            dialog.accept()

        seen = when_dialog_opens(fill, kind=BookingDialog)
        page.add(Booking)
        assert seen, "the dialog never opened"
        assert Booking.get().starts_at == STARTS.astimezone(UTC)
        # Above the history it will become, on the History tab.
        assert page.tabs.currentIndex() == TAB_HISTORY
        assert page.bookings_table.isVisibleTo(page)
        booked = Booking.get()
        assert page.bookings.display(booked, page.bookings.COL_WHAT) == (
            "Session: Family shoot · Schloss Nymphenburg"
        )
        assert page.bookings.display(booked, page.bookings.COL_STATUS) == "booked"
        qtbot.waitUntil(lambda: len(window.today_view.rows) == 1, timeout=5000)
        [row] = window.today_view.rows
        assert row.reminder.text == "Session with Anna Berger tomorrow 10:00 · Schloss Nymphenburg"
        assert row in window.today_view.rows and row.section == "today"
    finally:
        window.quit()


def test_the_day_before_a_notification_comes_and_after_the_session_it_is_history(
    qtbot, tmp_path, clock, anna, dunst
):
    book_anna(anna)
    notifications = DesktopNotifications("Rapport")
    window = open_window(qtbot, tmp_path, clock, notifications)
    try:
        set_setting("notifications", "on")
        window.start_reminders()
        qtbot.waitUntil(window.reminder_service.idle, timeout=5000)
        dunstctl("close-all")  # the first start's summary, if any
        wait_for(lambda: displayed() == 0)
        with qtbot.waitSignal(notifications.sent, timeout=5000) as sent:
            look_at(qtbot, window, clock, datetime(2026, 12, 11, 8, 0, 30, tzinfo=UTC))
        assert sent.args[0].startswith("booking:") and sent.args[0].endswith(":notice")
        wait_for(lambda: displayed() == 1)
        dunstctl("close")
        wait_for(lambda: int(dunstctl("count", "history")) >= 1)
        shown = json.loads(dunstctl("history"))["data"][0][0]
        assert on_screen(shown)[0] == (
            "Anna Berger\nSession with Anna Berger tomorrow 10:00 · Schloss Nymphenburg"
        )
        # Looked at again: nothing twice.
        look_at(qtbot, window, clock, datetime(2026, 12, 11, 8, 30, tzinfo=UTC))
        assert displayed() == 0

        # Noon after the shoot: a session in the history, counted as the last contact.
        look_at(qtbot, window, clock, STARTS.astimezone(UTC) + timedelta(hours=2))
        window.show_client(anna)
        assert [entry.summary for entry in window.page.history._entries] == ["Session"]
        assert Booking.get().status == "held"
        assert not window.page.bookings_table.isVisibleTo(window.page)  # nothing to come
        assert Interaction.select().count() == 1
        # The booking has left Today; the session's care plan put its thank-you there.
        assert [row.reminder.kind for row in window.today_view.rows] == ["follow_up"]
    finally:
        window.quit()
        notifications.close()


def test_the_booking_calendar_offers_a_session_on_today_to_book_once_or_always(
    qtbot, tmp_path, clock, anna
):
    path = tmp_path / "studio.ics"
    path.write_text(calendar(ANNA_SHOOT, TOM_WEDDING))
    set_setting("booking_calendar", str(path))
    clock[0] = datetime(2026, 12, 6, 12, tzinfo=UTC)
    window = with_reminders(qtbot, open_window(qtbot, tmp_path, clock))
    try:
        view = window.today_view
        qtbot.waitUntil(lambda: len(view.offer_rows) == 2, timeout=5000)
        anna_row, tom_row = view.offer_rows
        assert anna_row.offer.text == (
            "Session with Anna Berger on Sat 12 Dec 10:00 · Schloss Nymphenburg"
        )
        anna_row.buttons["book"].click()
        qtbot.waitUntil(lambda: len(view.offer_rows) == 1, timeout=5000)
        assert Booking.get(Booking.client == anna).status == "booked"
        assert window.undo_bar.message.text().startswith("Booked: Session with Anna Berger")
        view.offer_rows[0].buttons["decline"].click()
        qtbot.waitUntil(lambda: view.offer_rows == [], timeout=5000)
        tom = Client.get(Client.first_name == "Tom")
        assert Booking.get(Booking.client == tom).status == "declined"
        # Read again (15 minutes later): a declined event is not offered again.
        look_at(qtbot, window, clock, clock[0] + timedelta(minutes=16))
        assert view.offer_rows == []
        assert Booking.select().count() == 2
        assert tom_row.offer.calendar == "ics"
    finally:
        window.quit()
