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
