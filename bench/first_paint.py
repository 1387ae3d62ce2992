"""Start Rapport as the owner does (main.py's main(), on DATABASE), note when its window
is first painted, and exit once the window's contents are painted on the open database.

    .venv/bin/python bench/first_paint.py DATABASE

Writes a line at the first paint, then one JSON line (bench/paint_probe.py): the peak RSS
at the first paint and the time of each phase, before the first paint and after it.
bench/run.py times the start from spawn to the first of those lines. Everything main.py
does before the first paint is measured: its arguments, the log, the translations, the
single-instance lock, the window's frame with its remembered place and size. After it:
opening the database (the owner's appearance with it) and the window's contents (Today,
the menus' actions, the tray), to the paint that shows them. What main.py starts after that
paint (the start's check, the reminders, backups, sync, the file to import) is not.
The log and the window's settings go to a temporary folder, not the owner's. The database
is written to (the settings main.py notes): give it a copy.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script, `bench` and this checkout's modules import

from bench.paint_probe import mark, report_and_exit, watch_first_paint  # noqa: E402


def main(database: Path) -> int:
    # A new folder of its own (not tempfile's: importing it would add to the start timed);
    # bench/run.py points TMPDIR into its own folder, which it removes.
    home = Path(os.environ.get("TMPDIR", "/tmp"), f"rapport-first-paint-{os.getpid()}")
    home.mkdir(mode=0o700, exist_ok=True)
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
    from ui.after_first_paint import after_first_paint  # noqa: F401
    from ui.garbage_collection import MainThreadGarbageCollector  # noqa: F401
    from ui.main_window import MainWindow
    from ui.single_instance import SingleInstance  # noqa: F401
    from ui.style import apply_style  # noqa: F401
    from ui.translations import install_translations  # noqa: F401
    from ui.window_layout import WindowLayout  # noqa: F401

    mark("imports")
    _mark_around(MainWindow, "__init__", "start_up", "window_frame")
    _watch_first_paint(MainWindow)
    _mark_around(rapport.Start, "_open_database", "to_the_database", "open_database")
    _mark_around(rapport.Start, "_build_window", "", "contents")
    # Called once the contents are painted; what it starts is not part of the start.
    rapport.Start._start_services = lambda start: (mark("contents_painted"), report_and_exit(0))
    return rapport.main(["--db", str(database)])


def _mark_around(owner, name: str, before: str, after: str) -> None:
    """Mark `before` ending (if named) as `owner.name` is called and `after` as it returns."""
    original = getattr(owner, name)

    def marked(*args, **kwargs):
        if before:
            mark(before)
        result = original(*args, **kwargs)
        mark(after)
        return result

    setattr(owner, name, marked)


def _watch_first_paint(window_class) -> None:
    """As main.py shows the window, the probe starts watching for its first paint."""
    show = window_class.show

    def show_and_watch(window) -> None:
        mark("layout")
        watch_first_paint(window)
        show(window)
        mark("show")

    window_class.show = show_and_watch


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
