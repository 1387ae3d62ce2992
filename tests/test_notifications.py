"""A real round trip through the freedesktop notification service.

The test command runs the suite inside `dbus-run-session` under Xvfb, so these
tests start a real daemon, dunst, on that private session bus. dunst shows the
notification; `dunstctl action` clicks it, and `dunstctl context` opens its
context menu through the `dmenu` program named in the test's dunstrc: a script
that picks the "Snooze 1 day" line, as a user would.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from datetime import UTC, date, datetime
from datetime import time as time_of_day
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import pytest

from models.reminders.rules import snooze_until
from models.sample.loading import load_sample_clients
from models.store.database import db
from models.store.entities import ReminderState
from models.store.migrations import open_database
from scheduler.notifications import DesktopNotifications
from tests.ui_helpers import wait_for_reminders
from ui.main_window import MainWindow

BERLIN = ZoneInfo("Europe/Berlin")

pytestmark = pytest.mark.skipif(
    not (os.environ.get("DBUS_SESSION_BUS_ADDRESS") and os.environ.get("DISPLAY"))
    or shutil.which("dunst") is None,
    reason="needs a session bus, an X display and dunst: run `bash rapport.sh test`",
)

KEY = "date:7:2026-11-28:notice"


def dunstctl(*args: str) -> str:
    return subprocess.run(
        ["dunstctl", *args], capture_output=True, text=True, check=True, timeout=5
    ).stdout


def wait_for(condition, seconds: float = 5) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.05)


def displayed() -> int:
    return int(dunstctl("count", "displayed"))


def service_is_running() -> bool:
    """Asked without starting it: the bus would otherwise launch a dunst of its own."""
    reply = subprocess.run(
        [
            "dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus",
            "/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner",
            "string:org.freedesktop.Notifications",
        ],
        capture_output=True, text=True, timeout=5,
    )  # fmt: skip
    return "boolean true" in reply.stdout


class Dunst:
    """The running daemon; `pick` says which line of a context menu the picker chooses."""

    def __init__(self, folder):
        self.choice = folder / "choice"
        self.log = folder / "dunst.log"
        self.pick("Snooze 1 day")

    def pick(self, line: str) -> None:
        self.choice.write_text(line)

    def complaints(self) -> str:
        """What dunst said about the markup it was given (nothing, when it got none)."""
        return "\n".join(
            line
            for line in self.log.read_text().splitlines()
            if "markup" in line.lower() or "image" in line.lower()
        )


@pytest.fixture
def dunst(tmp_path):
    state = Dunst(tmp_path)
    picker = tmp_path / "pick"
    picker.write_text(f'#!/bin/sh\ngrep -m1 "$(cat {state.choice})"\n')
    picker.chmod(0o755)
    config = tmp_path / "dunstrc"
    config.write_text(
        "[global]\n"
        f"    dmenu = {picker}\n"
        # As dunst ships it: the body is read as markup, and it says so ("body-markup").
        "    markup = full\n"
        "[urgency_low]\n    timeout = 0\n"
        "[urgency_normal]\n    timeout = 0\n"
        "[urgency_critical]\n    timeout = 0\n"
    )
    with state.log.open("w") as log:
        daemon = subprocess.Popen(
            ["dunst", "-config", str(config)], stdout=log, stderr=subprocess.STDOUT
        )
    wait_for(service_is_running)
    yield state
    daemon.terminate()
    daemon.wait(timeout=5)


@pytest.fixture
def notifications():
    notifications = DesktopNotifications("Rapport")
    yield notifications
    notifications.close()


def send(qtbot, notifications, with_buttons: bool = True) -> None:
    with qtbot.waitSignal(notifications.sent, timeout=5000) as sent:
        notifications.send(KEY, "Anna Berger", "Anna & Tom — 5th wedding anniversary", with_buttons)
    assert sent.args == [KEY]
    wait_for(lambda: displayed() == 1)


def test_a_reminder_arrives_at_the_notification_daemon(qtbot, dunst, notifications):
    send(qtbot, notifications)
    dunstctl("close")
    wait_for(lambda: int(dunstctl("count", "history")) == 1)
    [shown] = json.loads(dunstctl("history"))["data"][0]
    assert shown["summary"]["data"] == "Anna Berger"
    assert on_screen(shown) == ("Anna Berger\nAnna & Tom — 5th wedding anniversary", ["b"])
    assert shown["appname"]["data"] == "Rapport"


def on_screen(shown: dict) -> tuple[str, list[str]]:
    """The text dunst draws for a notification of its history, and the markup elements it
    draws it with: dunst renders its "message", its format filled in, as Pango markup."""
    root = ElementTree.fromstring(f"<markup>{shown['message']['data']}</markup>")
    return "".join(root.itertext()), [element.tag for element in root.iter()][1:]


HOSTILE = {
    "<b>Anna</b> Berger": "<b>bold</b> & <i>italic</i> — 5th wedding anniversary",
    "Eve <a href='file:///etc/passwd'>x</a>": "<a href='file:///etc/passwd'>open me</a>",
    "Mallory": "<img src='/usr/share/pixmaps/debian-logo.png' alt='x'/> turns 40 & <u>",
}


@pytest.mark.parametrize(("title", "text"), HOSTILE.items())
def test_names_and_texts_are_shown_as_typed_never_as_markup(
    qtbot, dunst, notifications, title, text
):
    with qtbot.waitSignal(notifications.sent, timeout=5000):
        notifications.send(KEY, title, text)
    wait_for(lambda: displayed() == 1)
    dunstctl("close")
    wait_for(lambda: int(dunstctl("count", "history")) == 1)
    [shown] = json.loads(dunstctl("history"))["data"][0]
    assert on_screen(shown) == (f"{title}\n{text}", ["b"])  # only dunst's own bold title
    assert dunst.complaints() == ""  # no markup it could not parse, no image it looked for


def test_clicking_the_notification_reaches_the_app(qtbot, dunst, notifications):
    send(qtbot, notifications)
    with qtbot.waitSignal(notifications.activated, timeout=5000) as clicked:
        dunstctl("action", "0")
    assert clicked.args == [KEY]


def test_the_snooze_button_reaches_the_app(qtbot, dunst, notifications):
    send(qtbot, notifications)
    with qtbot.waitSignal(notifications.action_invoked, timeout=5000) as pressed:
        dunstctl("context")
    assert pressed.args == [KEY, "snooze"]


BUS_WITHOUT_SERVICES = """<!DOCTYPE busconfig PUBLIC
 "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=/tmp</listen>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


@pytest.fixture
def bus_without_services(tmp_path, monkeypatch):
    """A session bus that can start no service: like a desktop with no notification daemon."""
    config = tmp_path / "bus.conf"
    config.write_text(BUS_WITHOUT_SERVICES)
    daemon = subprocess.Popen(
        ["dbus-daemon", f"--config-file={config}", "--print-address", "--nofork"],
        stdout=subprocess.PIPE,
        text=True,
    )
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", daemon.stdout.readline().strip())
    assert not service_is_running()
    yield
    daemon.terminate()
    daemon.wait(timeout=5)


def test_without_a_notification_service_sending_fails_loudly(
    qtbot, bus_without_services, notifications
):
    with qtbot.waitSignal(notifications.failed, timeout=10000) as failed:
        notifications.send(KEY, "Anna Berger", "5th wedding anniversary")
    assert "no desktop notification service" in failed.args[0]


def test_buttons_on_a_reminder_snooze_it_and_open_the_client(qtbot, studio_window):
    """The whole way: a reminder falls due, dunst shows it, its buttons act in Rapport."""
    window, clock = studio_window, studio_window.clock
    notifications = window.reminders.notifier
    key = notify_the_follow_up(qtbot, window)
    assert key.startswith("follow_up:")
    with qtbot.waitSignal(notifications.action_invoked, timeout=5000):
        dunstctl("context")  # the picker chooses "Snooze 1 day"
    # Tomorrow at the reminder time (09:00 in Berlin), as Today's "Tomorrow" means.
    tomorrow = snooze_until("tomorrow", clock[0], BERLIN, time_of_day(9))
    assert tomorrow == datetime(2026, 11, 25, 8, tzinfo=UTC)
    assert ReminderState.get_by_id(key).snoozed_until == tomorrow

    dunstctl("close-all")
    with qtbot.waitSignal(notifications.sent, timeout=5000):
        clock[0] = datetime(2026, 11, 25, 8, 0, 30, tzinfo=UTC)  # 09:00 the next day
        window.reminder_service.reconcile()
    qtbot.waitUntil(lambda: displayed() >= 1, timeout=5000)
    with qtbot.waitSignal(notifications.activated, timeout=5000) as clicked:
        dunstctl("action", "0")
    qtbot.waitUntil(lambda: window.sections.currentIndex() == 1)
    opened = window.reminders._known[clicked.args[0]].client_id
    assert window.page.client.id == opened


@pytest.fixture
def studio_window(qtbot, dunst, tmp_path):
    """The sample clients in a window whose reminders notify through dunst, started."""
    path = tmp_path / "rapport.sqlite"
    open_database(path)
    load_sample_clients(date(2026, 11, 24))
    clock = [datetime(2026, 11, 24, 10, tzinfo=UTC)]
    notifications = DesktopNotifications("Rapport")
    window = MainWindow(path, now=lambda: clock[0], zone=BERLIN, notifier=notifications)
    window.clock = clock
    qtbot.addWidget(window)
    window.show()
    try:
        window.start_reminders()  # the first-run summary: a notification without buttons
        qtbot.waitUntil(lambda: displayed() == 1, timeout=5000)
        dunstctl("close")  # read: it goes to dunst's history
        wait_for(lambda: displayed() == 0)
        yield window
    finally:
        window.quit()
        notifications.close()
        db.close()
        db.initialize(None)


def notify_the_follow_up(qtbot, window) -> str:
    """Eva's follow-up falls due at 14:00 in Berlin; its notification comes up."""
    window.clock[0] = datetime(2026, 11, 24, 13, 0, 30, tzinfo=UTC)
    with qtbot.waitSignal(window.reminders.notifier.sent, timeout=5000) as sent:
        window.reminder_service.reconcile()
    qtbot.waitUntil(lambda: displayed() == 1, timeout=5000)
    return sent.args[0]


def listed_due(window) -> set[str]:
    listed = window.today_view.listed
    return {r.key for r in listed.overdue + listed.today}


def history_bodies() -> list[str]:
    return [entry["body"]["data"] for entry in json.loads(dunstctl("history"))["data"][0]]


def test_the_start_summary_counts_what_today_lists(studio_window):
    due = studio_window.today_view.listed.count_due()
    assert history_bodies() == [f"{due} reminders are due. Open Today to see them."]
    assert studio_window.sidebar.item(0).text() == f"Today  {due}"


def test_snooze_works_after_open_and_the_handled_notification_is_withdrawn(
    qtbot, dunst, studio_window
):
    window = studio_window
    notifications = window.reminders.notifier
    key = notify_the_follow_up(qtbot, window)
    eva = window.reminders._known[key].client_id
    dunst.pick("Open")
    with qtbot.waitSignal(notifications.action_invoked, timeout=5000) as pressed:
        dunstctl("context")
    assert pressed.args == [key, "open"]
    qtbot.waitUntil(lambda: window.page.client is not None and window.page.client.id == eva)
    assert displayed() == 1  # opening does not handle it: it stays, buttons and all

    dunst.pick("Snooze 1 day")
    with qtbot.waitSignal(notifications.action_invoked, timeout=5000) as pressed:
        dunstctl("context")
    assert pressed.args == [key, "snooze"]
    tomorrow = snooze_until("tomorrow", window.clock[0], BERLIN, time_of_day(9))
    assert ReminderState.get_by_id(key).snoozed_until == tomorrow
    assert window.undo_bar.isVisible()
    assert window.undo_bar.message.text().startswith("Snoozed: Deliver the wedding gallery")
    wait_for_reminders(qtbot, window)
    assert key not in listed_due(window)
    qtbot.waitUntil(lambda: displayed() == 0, timeout=5000)  # withdrawn


def test_done_in_the_window_withdraws_the_notification(qtbot, studio_window):
    window = studio_window
    key = notify_the_follow_up(qtbot, window)
    wait_for_reminders(qtbot, window)
    window.today_view.row_for(key).done_button.click()
    wait_for_reminders(qtbot, window)
    assert key not in listed_due(window)
    qtbot.waitUntil(lambda: displayed() == 0, timeout=5000)


def test_done_then_snooze_on_the_same_notification_does_no_harm(qtbot, dunst, studio_window):
    """Every button in any order: Done first closes it; nothing is left to press."""
    window = studio_window
    notifications = window.reminders.notifier
    key = notify_the_follow_up(qtbot, window)
    dunst.pick("Done")
    with qtbot.waitSignal(notifications.action_invoked, timeout=5000):
        dunstctl("context")
    wait_for_reminders(qtbot, window)
    assert ReminderState.get_by_id(key).done_at is not None
    qtbot.waitUntil(lambda: displayed() == 0, timeout=5000)


def test_quitting_withdraws_every_notification(qtbot, studio_window):
    window = studio_window
    notify_the_follow_up(qtbot, window)
    window.quit()
    window.reminders.notifier.close()
    wait_for(lambda: displayed() == 0)


def test_done_on_the_client_page_withdraws_the_notification(qtbot, dunst, studio_window):
    """Handled elsewhere: a click on the notification opens Eva; her follow-up is marked done
    on her page's Follow-ups tab; the notification goes."""
    window = studio_window
    key = notify_the_follow_up(qtbot, window)
    with qtbot.waitSignal(window.reminders.notifier.activated, timeout=5000):
        dunstctl("action", "0")  # a click on the notification itself
    qtbot.waitUntil(lambda: window.page.client is not None)
    table = window.page.follow_ups_table
    table.selectRow(0)  # open ones first, by due time; her session's care steps come later
    assert table.current_entry().title == "Deliver the wedding gallery"
    done = next(a for a in table.extra_actions if a.text().startswith("Mark done"))
    done.trigger()
    wait_for_reminders(qtbot, window)
    assert key not in listed_due(window)
    qtbot.waitUntil(lambda: displayed() == 0, timeout=5000)


def test_snooze_from_a_notification_shows_on_the_open_client_page(qtbot, dunst, studio_window):
    """The one change path: the page of the client whose reminder a
    notification's button snoozed shows it at once."""
    window = studio_window
    key = notify_the_follow_up(qtbot, window)
    window.open_client(window.reminders._known[key].client_id)
    table = window.page.follow_ups_table
    [row] = [r for r in range(table.model().rowCount()) if "wedding gallery" in cell(table, r, 1)]
    assert cell(table, row, 2) == "open"
    dunst.pick("Snooze 1 day")
    with qtbot.waitSignal(window.reminders.notifier.action_invoked, timeout=5000):
        dunstctl("context")
    assert cell(table, row, 2).startswith("snoozed until")


def test_done_from_a_notification_shows_in_the_studio_shown(qtbot, dunst, studio_window):
    window = studio_window
    key = notify_the_follow_up(qtbot, window)
    window.show_studio()
    qtbot.waitUntil(lambda: not window.studio.busy(), timeout=5000)
    dunst.pick("Done")
    with qtbot.waitSignal(window.studio.refreshed, timeout=5000):
        dunstctl("context")
    wait_for_reminders(qtbot, window)
    assert key not in listed_due(window)


def cell(table, row: int, column: int) -> str:
    return table.model().index(row, column).data()
