"""Start Rapport as the owner does (main.py's main(), on DATABASE) and exit when its
window is first painted.

    .venv/bin/python bench/first_paint.py DATABASE

Prints one JSON line (bench/paint_probe.py): the peak RSS and the time of each phase.
bench/run.py times the whole process from spawn to exit. Everything main.py does before
the first paint is measured: its arguments, the log, the translations, the single-instance
lock, opening the database, the window with its remembered layout. What main.py starts
once the window is on screen (the start's check, the reminders, backups, sync, the file to
import) is not: the owner sees the window before it.
The log and the window's settings go to a temporary folder, not the owner's. The database
is written to (the settings main.py notes): give it a copy.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script, `bench` and this checkout's modules import

from bench.paint_probe import exit_at_first_paint, mark  # noqa: E402

# The studio's "now" (bench/make_bench_database.py REFERENCE is noon the same day), for
# bench/run.py's in-process figures.
NOW = datetime(2026, 11, 24, 10, tzinfo=UTC)
ZONE = ZoneInfo("Europe/Berlin")


def main(database: Path) -> int:
    home = Path(tempfile.mkdtemp(prefix="rapport-first-paint-"))
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        os.environ[name] = str(home / name.lower())
    database = database.expanduser().resolve()
    database.chmod(0o600)  # as Rapport makes it: no "others can read it" dialog to answer
    # The previous start on this copy ended with os._exit, not a crash: no check of every
    # page at the next start.
    database.with_name(database.name + ".lock").unlink(missing_ok=True)
    # main.py's own imports and those its main() makes before the first paint, timed as
    # one phase (main() then finds them loaded).
    from ui.pyside_imports import read_sources_quickly

    read_sources_quickly()  # as main.py does
    from PySide6.QtWidgets import QApplication  # noqa: F401

    import main as rapport
    import ui.startup
    from models.store.database import read_only_reason  # noqa: F401
    from scheduler.notifications import DesktopNotifications  # noqa: F401
    from ui.after_first_paint import after_first_paint  # noqa: F401
    from ui.file_dialogs import remember_folders_in  # noqa: F401
    from ui.garbage_collection import MainThreadGarbageCollector  # noqa: F401
    from ui.main_window import MainWindow
    from ui.single_instance import SingleInstance  # noqa: F401
    from ui.style import apply_style  # noqa: F401
    from ui.translations import install_translations  # noqa: F401
    from ui.window_layout import WindowLayout  # noqa: F401

    mark("imports")
    _mark_around(ui.startup, "open_database_or_explain", "start_up", "open_database")
    _mark_around(MainWindow, "__init__", "settings_and_notifier", "main_window")
    _watch_first_paint(MainWindow)
    return rapport.main(["--db", str(database)])


def _mark_around(owner, name: str, before: str, after: str) -> None:
    """Mark `before` ending as `owner.name` is called and `after` as it returns."""
    original = getattr(owner, name)

    def marked(*args, **kwargs):
        mark(before)
        result = original(*args, **kwargs)
        mark(after)
        return result

    setattr(owner, name, marked)


def _watch_first_paint(window_class) -> None:
    """As main.py shows the window, the probe starts watching for its first paint."""
    show = window_class.show

    def show_and_watch(window) -> None:
        mark("layout_and_notices")
        exit_at_first_paint(window)
        show(window)
        mark("show")

    window_class.show = show_and_watch


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
