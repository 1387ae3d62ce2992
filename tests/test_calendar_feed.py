"""The calendar file a calendar app subscribes to: rewritten after changes, or explained."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar

from models.changes import client_change
from models.clients import save_client
from models.forms import ClientForm, ImportantDateForm
from models.records import save_important_date
from models.settings import set_setting
from scheduler.calendar_feed import CalendarFeed

NOW = datetime(2026, 11, 25, 10, tzinfo=UTC)
BERLIN = ZoneInfo("Europe/Berlin")


def _summaries(path) -> list[str]:
    calendar = Calendar.from_ical(path.read_bytes())
    return sorted(str(event["SUMMARY"]) for event in calendar.walk("VEVENT"))


def _feed_of_anna(target, day: int, month: int) -> CalendarFeed:
    """A feed writing `target`, and a client with a birthday to write."""
    set_setting("calendar_file", str(target))
    anna = save_client(ClientForm(first_name="Anna"))
    save_important_date(ImportantDateForm(kind="birthday", day=day, month=month), anna.id)
    return CalendarFeed(BERLIN, lambda: NOW)


def test_a_change_rewrites_the_file(qtbot, database, tmp_path):
    target = tmp_path / "rapport.ics"
    feed = _feed_of_anna(target, 29, 2)
    feed.data_changed(client_change(1))
    assert feed._timer.isActive()  # waits for the changes to settle
    with qtbot.waitSignal(feed.written, timeout=5000) as written:
        feed._timer.timeout.emit()
    assert written.args == [1]
    assert _summaries(target) == ["Birthday: Anna"]

    jens = save_client(ClientForm(first_name="Jens"))
    save_important_date(ImportantDateForm(kind="birthday", day=3, month=11), jens.id)
    with qtbot.waitSignal(feed.written, timeout=5000):
        feed.rewrite()
    assert _summaries(target) == ["Birthday: Anna", "Birthday: Jens"]
    feed.stop()


def test_off_by_default(qtbot, database):
    feed = CalendarFeed(BERLIN, lambda: NOW)
    feed.data_changed(client_change(1))
    assert not feed._timer.isActive()


def test_a_folder_that_is_gone_is_explained(qtbot, database, tmp_path):
    set_setting("calendar_file", str(tmp_path / "gone" / "rapport.ics"))
    feed = CalendarFeed(BERLIN, lambda: NOW)
    with qtbot.waitSignal(feed.failed, timeout=5000) as failed:
        feed.rewrite()
    assert "choose another file in Settings" in failed.args[0]
    feed.stop()


def test_a_rewrite_still_waiting_at_quit_is_written(qtbot, database, tmp_path):
    target = tmp_path / "rapport.ics"
    feed = _feed_of_anna(target, 3, 12)
    feed.data_changed(client_change(1))
    feed.stop()  # quit within the two seconds
    assert _summaries(target) == ["Birthday: Anna"]


def test_a_change_the_file_does_not_show_leaves_it_alone(qtbot, database, tmp_path):
    feed = _feed_of_anna(tmp_path / "rapport.ics", 3, 12)
    feed.data_changed(client_change(1, {"notes", "interactions", "photos"}))
    assert not feed._timer.isActive()
    feed.data_changed(client_change(1, {"notes", "dates"}))
    assert feed._timer.isActive()
    feed.stop()
