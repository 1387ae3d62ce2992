"""The calendar file a calendar app subscribes to: rewritten after changes, or explained."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar

from models.clients.entries import save_important_date
from models.clients.saving import save_client
from models.forms.dialog_forms import ClientForm, ImportantDateForm
from models.store.changes import client_change
from models.store.settings import set_setting
from scheduler.calendar_file import CalendarFile

NOW = datetime(2026, 11, 25, 10, tzinfo=UTC)
BERLIN = ZoneInfo("Europe/Berlin")


def _summaries(path) -> list[str]:
    calendar = Calendar.from_ical(path.read_bytes())
    return sorted(str(event["SUMMARY"]) for event in calendar.walk("VEVENT"))


def _calendar_file_of_anna(target, day: int, month: int) -> CalendarFile:
    """A calendar file written to `target`, and a client with a birthday to write."""
    set_setting("calendar_file", str(target))
    anna = save_client(ClientForm(first_name="Anna"))
    save_important_date(ImportantDateForm(kind="birthday", day=day, month=month), anna.id)
    return CalendarFile(BERLIN, lambda: NOW)


def test_a_change_rewrites_the_file(qtbot, database, tmp_path):
    target = tmp_path / "rapport.ics"
    calendar = _calendar_file_of_anna(target, 29, 2)
    calendar.data_changed(client_change(1))
    assert calendar._timer.isActive()  # waits for the changes to settle
    with qtbot.waitSignal(calendar.written, timeout=5000) as written:
        calendar._timer.timeout.emit()
    assert written.args == [1]
    assert _summaries(target) == ["Birthday: Anna"]

    jens = save_client(ClientForm(first_name="Jens"))
    save_important_date(ImportantDateForm(kind="birthday", day=3, month=11), jens.id)
    with qtbot.waitSignal(calendar.written, timeout=5000):
        calendar.rewrite()
    assert _summaries(target) == ["Birthday: Anna", "Birthday: Jens"]
    calendar.stop()


def test_off_by_default(qtbot, database):
    calendar = CalendarFile(BERLIN, lambda: NOW)
    calendar.data_changed(client_change(1))
    assert not calendar._timer.isActive()


def test_a_folder_that_is_gone_is_explained(qtbot, database, tmp_path):
    set_setting("calendar_file", str(tmp_path / "gone" / "rapport.ics"))
    calendar = CalendarFile(BERLIN, lambda: NOW)
    with qtbot.waitSignal(calendar.failed, timeout=5000) as failed:
        calendar.rewrite()
    assert "choose another file in Settings" in failed.args[0]
    calendar.stop()


def test_a_rewrite_still_waiting_at_quit_is_written(qtbot, database, tmp_path):
    target = tmp_path / "rapport.ics"
    calendar = _calendar_file_of_anna(target, 3, 12)
    calendar.data_changed(client_change(1))
    calendar.stop()  # quit within the two seconds
    assert _summaries(target) == ["Birthday: Anna"]


def test_a_change_the_file_does_not_show_leaves_it_alone(qtbot, database, tmp_path):
    calendar = _calendar_file_of_anna(tmp_path / "rapport.ics", 3, 12)
    calendar.data_changed(client_change(1, {"notes", "interactions", "photos"}))
    assert not calendar._timer.isActive()
    calendar.data_changed(client_change(1, {"notes", "dates"}))
    assert calendar._timer.isActive()
    calendar.stop()
