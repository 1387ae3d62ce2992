"""Start-up stays quick: the window does not load what only import, export and the
Studio need until they are used (figure 3 of bench/run.py)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOADED_ON_DEMAND = (
    "icalendar",
    "vobject",
    "ui.studio.studio_view",
    "ui.command_palette",
    "desktop_notifier",  # with the first notification
    "apscheduler",  # with the reminders, started after the first paint
    "urllib.request",  # with the first booking calendar read from an https address
)


def test_the_window_opens_without_the_on_demand_modules(tmp_path):
    script = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        from pathlib import Path
        from PySide6.QtWidgets import QApplication
        app = QApplication([])
        from models.store.migrations import open_database
        from scheduler.notifications import DesktopNotifications
        from ui.main_window import MainWindow
        path = Path({str(tmp_path / "rapport.sqlite")!r})
        open_database(path)
        window = MainWindow(path, notifier=DesktopNotifications("Rapport"))
        print(" ".join(m for m in {LOADED_ON_DEMAND!r} if m in sys.modules))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


# What main.py's window loads only once it is on screen, or when first used: the first
# paint shows the window's frame (its sidebar, menus and status bar) before the database
# is even open, then its contents (Today) come; nothing of these is loaded for the frame.
AFTER_THE_FIRST_PAINT = (
    *LOADED_ON_DEMAND,
    "peewee",  # the database opens once the frame is on screen
    "sqlite3",
    "models.store.database",
    "models.store.settings",
    "ui.startup",  # what opening the database says when it cannot
    "ui.today_view",  # the contents
    "ui.reminder_controller",
    "scheduler.reminder_wakeups",
    "scheduler.notifications",
    "PySide6.QtNetwork",  # second starts are answered once the window can come forward
    "logging.handlers",  # the log is rotated once the window is on screen
    "ui.client_list_panel",  # the Clients section, built once the window is on screen
    "ui.client_list_model",
    "ui.client_page",  # with the first client shown
    "ui.dialogs.client_dialog",
    "ui.dialogs.settings_dialog",
    "ui.dialogs.compose_dialog",
    "ui.dialogs.templates_dialog",
    "models.sample.loading",
    "scheduler.account_runs",  # the services start after the first paint
    "scheduler.daily_backup",
    "scheduler.mail_watch",
    "scheduler.calendar_file",
    "imaplib",
    "ssl",
    "tzlocal",  # the reminders' zone, looked up with their first look
)


def test_main_py_paints_its_window_before_loading_what_waits_for_it(tmp_path):
    from tests.test_first_paint import watched_start

    lines = watched_start(tmp_path, tmp_path / "r.sqlite", AFTER_THE_FIRST_PAINT)
    painted, built = lines[0], lines[2]
    # None of them at the first paint; the reminders and the services right after it.
    assert painted["painted"] and painted["loaded"] == []
    assert built["contents"] and "apscheduler" in built["loaded"]
