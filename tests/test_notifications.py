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
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from models.database import db
from models.entities import ReminderState
from models.migrations import open_database
from models.sample_studio import load_sample_studio
from scheduler.notifications import DesktopNotifications
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


@pytest.fixture
def dunst(tmp_path):
    picker = tmp_path / "pick-snooze"
    picker.write_text("#!/bin/sh\ngrep -m1 'Snooze 1 day'\n")
    picker.chmod(0o755)
    config = tmp_path / "dunstrc"
    config.write_text(
        "[global]\n"
        f"    dmenu = {picker}\n"
        "[urgency_low]\n    timeout = 0\n"
        "[urgency_normal]\n    timeout = 0\n"
        "[urgency_critical]\n    timeout = 0\n"
    )
    daemon = subprocess.Popen(
        ["dunst", "-config", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    wait_for(service_is_running)
    yield daemon
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
    assert shown["body"]["data"] == "Anna & Tom — 5th wedding anniversary"
    assert shown["appname"]["data"] == "Rapport"


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


def test_buttons_on_a_reminder_snooze_it_and_open_the_client(qtbot, dunst, tmp_path):
    """The whole way: a reminder falls due, dunst shows it, its buttons act in Rapport."""
    path = tmp_path / "rapport.sqlite"
    open_database(path)
    load_sample_studio(date(2026, 11, 24))
    clock = [datetime(2026, 11, 24, 10, tzinfo=UTC)]
    notifications = DesktopNotifications("Rapport")
    window = MainWindow(path, now=lambda: clock[0], zone=BERLIN, notifier=notifications)
    qtbot.addWidget(window)
    try:
        window.start_reminders()  # the first-run summary: a notification without buttons
        qtbot.waitUntil(lambda: displayed() == 1, timeout=5000)
        clock[0] = datetime(2026, 11, 24, 13, 0, 30, tzinfo=UTC)  # Eva's 14:00 follow-up
        with qtbot.waitSignal(notifications.sent, timeout=5000) as sent:
            window.reminder_service.reconcile()
        key = sent.args[0]
        assert key.startswith("follow_up:")
        with qtbot.waitSignal(notifications.action_invoked, timeout=5000):
            dunstctl("context")  # the picker chooses "Snooze 1 day"
        assert ReminderState.get_by_id(key).snoozed_until == clock[0] + timedelta(days=1)

        dunstctl("close-all")
        with qtbot.waitSignal(notifications.sent, timeout=5000) as sent:
            clock[0] = datetime(2026, 11, 25, 8, 0, 30, tzinfo=UTC)  # 09:00 the next day
            window.reminder_service.reconcile()
        qtbot.waitUntil(lambda: displayed() >= 1, timeout=5000)
        with qtbot.waitSignal(notifications.activated, timeout=5000) as clicked:
            dunstctl("action", "0")
        qtbot.waitUntil(lambda: window.sections.currentIndex() == 1)
        opened = window.reminders._known[clicked.args[0]].client_id
        assert window.page.client.id == opened
    finally:
        window.quit()
        notifications.close()
        db.close()
        db.initialize(None)
