"""Start Rapport as main.py does, on DATABASE, and exit when its window is first painted.

    .venv/bin/python bench/first_paint.py DATABASE

Prints one JSON line (bench/paint_probe.py): the peak RSS and the time of each phase.
bench/run.py times the whole process from spawn to exit. Unlike main.py it writes no log
file and shows no error dialog (neither costs time at start), and its clock is fixed at
bench/run.py's NOW in Europe/Berlin, so that every run sees the same reminders.
The database is written to (reminders are recorded as notified): give it a copy.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script, `bench` and this checkout's modules import

from bench.paint_probe import exit_at_first_paint, mark  # noqa: E402

# The studio's "now" (bench/make_bench_database.py REFERENCE is noon the same day).
NOW = datetime(2026, 11, 24, 10, tzinfo=UTC)
ZONE = ZoneInfo("Europe/Berlin")


def main(database: Path) -> int:
    # The imports main.py makes after parsing its arguments, timed as one phase.
    from PySide6.QtWidgets import QApplication

    from models.store.migrations import open_database
    from scheduler.notifications import DesktopNotifications
    from ui.garbage_collection import MainThreadGarbageCollector
    from ui.main_window import MainWindow
    from ui.style import apply_style

    mark("imports")
    app = QApplication(sys.argv[:1])
    app.setApplicationName("Rapport")
    apply_style(app)
    MainThreadGarbageCollector(app)
    mark("qapplication")
    path = database.expanduser().resolve()
    open_database(path, check_later=True)  # as main.py: checked once the window shows
    mark("open_database")
    notifier = DesktopNotifications("Rapport")
    window = MainWindow(path, now=lambda: NOW, zone=ZONE, notifier=notifier)
    window.resize(1280, 800)
    app.setQuitOnLastWindowClosed(False)
    mark("main_window")
    exit_at_first_paint(window)  # main.py starts the check and the reminders after it
    window.show()
    mark("show")
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
