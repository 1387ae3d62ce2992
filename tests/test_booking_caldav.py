"""The booking calendar of a CalDAV account, on a real Radicale: events put there by plain
HTTP become offered sessions through the accounts' "bookings" job; moved, cancelled and
deleted events follow; a server out of reach is a sentence."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from models.accounts.runs import run_jobs
from models.accounts.secrets import save_password
from models.accounts.store import Account, add_account, set_options, statuses
from models.clients.saving import save_client
from models.exchange.booking_caldav import OPTION, calendar_name
from models.exchange.booking_calendar import book_always
from models.forms.dialog_forms import ClientForm
from models.store.entities import Booking
from tests.test_booking_calendar import ANNA_SHOOT, TOM_WEDDING, calendar
from ui.dialogs.booking_calendar_field import booking_calendar_field

NOW = datetime(2026, 12, 6, 12, tzinfo=UTC)


@pytest.fixture
def studio(database, radicale, secret_service):
    """Anna and Tom as clients, and a CalDAV account whose booking calendar is on Radicale."""
    save_client(ClientForm(first_name="Anna", last_name="Berger", emails="anna@example.org"))
    save_client(ClientForm(first_name="Tom", last_name="Meyer"))
    path = radicale.calendar("bookings")
    account = add_account(f"http://127.0.0.1:{radicale.port}/", "rapport")
    save_password(account, "secret")
    set_options(account, booking_calendar_url=f"http://127.0.0.1:{radicale.port}{path}")
    return radicale, path, account


def put(radicale, path: str, name: str, event: str) -> None:
    answer = radicale.request("PUT", f"{path}{name}.ics", calendar(event).encode(), "text/calendar")
    assert answer.status in (201, 204), answer


def sync(now: datetime = NOW) -> str:
    [result] = [r for r in run_jobs("sync", lambda: now) if r.job == "bookings"]
    assert result.error == "", result.error
    return result.report.summary


def test_events_on_the_server_are_offered_then_moved_cancelled_and_deleted(studio):
    radicale, path, account = studio
    put(radicale, path, "shoot", ANNA_SHOOT)
    put(radicale, path, "wedding", TOM_WEDDING)
    assert sync() == "2 to confirm"
    assert sync() == "Nothing new"  # the same events again: the same bookings
    assert Booking.select().count() == 2
    book_always(calendar_name(account))

    put(radicale, path, "shoot", ANNA_SHOOT.replace("20261212T1", "20261213T1"))
    cancelled = TOM_WEDDING.replace("END:VEVENT", "STATUS:CANCELLED\r\nEND:VEVENT")
    put(radicale, path, "wedding", cancelled)
    assert sync() == "1 moved, 1 cancelled"
    shoot = Booking.get(Booking.event_uid == "shoot-1@studio")
    assert (shoot.status, shoot.starts_at) == ("booked", datetime(2026, 12, 13, 9, tzinfo=UTC))

    assert radicale.request("DELETE", f"{path}shoot.ics").status in (200, 204)
    assert sync(NOW + timedelta(hours=1)) == "1 cancelled"
    assert Booking.get(Booking.event_uid == "shoot-1@studio").status == "cancelled"
    assert statuses(account)["bookings"].summary == "1 cancelled"


def test_a_calendar_gone_from_the_server_is_said_in_words(studio):
    radicale, _path, account = studio
    set_options(account, booking_calendar_url=f"http://127.0.0.1:{radicale.port}/rapport/gone/")
    [result] = run_jobs("sync", lambda: NOW)
    assert "gone from the server" in result.error
    assert Booking.select().count() == 0


def test_a_server_out_of_reach_is_said_in_words(database, secret_service):
    account = add_account("http://127.0.0.1:9/", "rapport")  # the discard port: nobody there
    save_password(account, "secret")
    set_options(account, booking_calendar_url="http://127.0.0.1:9/rapport/bookings/")
    [result] = run_jobs("sync", lambda: NOW)
    assert result.error.startswith("The booking calendar's server could not be reached")
    assert "Traceback" not in result.error


def test_the_booking_calendar_is_chosen_under_the_account_in_settings(qtbot, studio):
    _radicale, _path, account = studio
    field = booking_calendar_field(account)
    qtbot.addWidget(field)
    field.setText(" https://dav.example.org/lena/bookings/ ")
    field.editingFinished.emit()
    assert Account.get_by_id(account.id).option(OPTION) == "https://dav.example.org/lena/bookings/"
