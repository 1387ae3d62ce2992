"""main.py paints the window's frame before it opens the database, then builds the window's
contents on it (figure 3 of bench/run.py): what the owner sees first, and what happens
when the database cannot be opened after the frame is on screen."""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

from ui.theme import DARK, LIGHT

ROOT = Path(__file__).resolve().parent.parent

# main.py as the owner starts it, watched: a JSON line at the window's first paint (with
# which of the modules WATCHED are loaded), one as the database opens, one when its contents
# are built and what runs beside the window has started (then File → Quit), one for each
# message the start shows (answered at once), and the exit code.
_WATCHED_START = """
import json, os, sys
sys.path.insert(0, {root!r})
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication
import main
from ui.main_window import MainWindow

DATABASE = {database!r}
WATCHED = {watched!r}

def say(**what):
    print(json.dumps(what), flush=True)

def seen(window):
    return dict(
        database_exists=os.path.exists(DATABASE),
        window_colour=QApplication.palette().color(QPalette.ColorRole.Window).name().upper(),
        sections=[window.sidebar.item(row).text() for row in range(window.sidebar.count())],
        menus=[menu.title() for menu in window._menus],
        actions=sum(len(menu.actions()) for menu in window._menus),
        loaded=[module for module in WATCHED if module in sys.modules],
    )

def started(window):
    service = window.reminder_service
    return service._scheduler is not None and window.backups is not None

def watch_the_opening():  # after the first paint: ui.startup loads what the frame goes without
    import ui.startup

    ui.startup.tell = lambda parent, title, text, *rest: say(told=title, text=text)
    opening = ui.startup.open_database_or_explain

    def open_and_say(path, *args, parent=None, **kwargs):
        say(opening=True, status=parent.statusBar().currentMessage(), **kwargs)
        return opening(path, *args, parent=parent, **kwargs)

    ui.startup.open_database_or_explain = open_and_say

def once_built(window):
    if window._built and started(window):
        say(
            contents=True,
            today=window.sections.widget(0) is window.today_view,
            status=window.statusBar().currentMessage(),
            **seen(window),
        )
        window.quit()
    else:
        QTimer.singleShot(20, lambda: once_built(window))

class FirstPaint(QObject):
    def eventFilter(self, window, event):
        if event.type() == QEvent.Type.Paint and not hasattr(self, "painted"):
            self.painted = True
            say(painted=True, **seen(window))
            watch_the_opening()
            once_built(window)
        return False

show = MainWindow.show
def show_and_watch(window):
    window.installEventFilter(FirstPaint(window))
    show(window)
MainWindow.show = show_and_watch
QTimer.singleShot(30000, lambda: os._exit(3))
code = main.main(["--db", DATABASE])
say(exit=code)
os._exit(code)
"""


def run_main_script(tmp_path: Path, script: str) -> subprocess.CompletedProcess:
    """Run `script` (which starts main.py) offscreen, the owner's folders in `tmp_path`."""
    home = {
        name: str(tmp_path / name.lower())
        for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME")
    }
    return subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=90,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin", **home},
    )


def said(done: subprocess.CompletedProcess) -> list[dict]:
    """The JSON lines a watched start wrote."""
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def watched_start(tmp_path: Path, database: Path, watched: tuple[str, ...] = ()) -> list[dict]:
    """What a watched start said (_WATCHED_START), the modules `watched` looked for."""
    script = _WATCHED_START.format(root=str(ROOT), database=str(database), watched=watched)
    done = run_main_script(tmp_path, script)
    lines = said(done)
    assert lines and lines[-1] == {"exit": done.returncode}, done.stdout + done.stderr
    return lines


def test_the_frame_is_painted_before_the_database_opens_then_its_contents_come(tmp_path):
    database = tmp_path / "data" / "rapport.sqlite"
    painted, opening, built, ended = watched_start(tmp_path, database)
    assert opening == {
        "opening": True,
        "status": f"Database: {database}",
        "verify": False,  # the bounded check runs once the window's contents are in
        "check_later": True,
    }
    frame = {
        "sections": ["Today", "Clients", "Studio"],
        "menus": ["&File", "&View", "&Client", "&Edit", "&Help"],
    }
    assert painted == {
        "painted": True,
        "database_exists": False,  # not even created yet
        "window_colour": LIGHT["window"],
        "actions": 0,  # the menus' actions come with the contents
        "loaded": [],
        **frame,
    }
    assert built["contents"] and built["today"] and built["database_exists"]
    assert built["status"] == f"Database: {database}"
    assert built["actions"] > 20 and {k: built[k] for k in frame} == frame
    assert ended == {"exit": 0}


def test_a_database_that_cannot_open_is_explained_over_the_frame_and_the_start_ends(tmp_path):
    database = tmp_path / "clients.sqlite"
    database.write_text("Anna Berger; +49 151 1234567\n")  # not a database at all
    before = database.read_bytes()
    painted, _, told, ended = watched_start(tmp_path, database)
    assert painted["painted"] and painted["actions"] == 0
    assert told["told"] == "Rapport cannot open the database"
    assert "not an SQLite file" in told["text"]
    assert ended == {"exit": 1}
    assert database.read_bytes() == before


def test_the_first_paint_has_the_appearance_the_owner_chose(tmp_path):
    """The owner's appearance is in the database, which opens after the first paint: the
    window remembers it, and the next start paints its frame in it at once."""
    database = tmp_path / "rapport.sqlite"
    painted, _, built, _ = watched_start(tmp_path, database)  # a new database: the system's
    assert painted["window_colour"] == built["window_colour"] == LIGHT["window"]
    with sqlite3.connect(database) as conn:
        conn.execute("INSERT OR REPLACE INTO setting (key, value) VALUES ('appearance', 'dark')")
    conn.close()
    painted, _, built, _ = watched_start(tmp_path, database)  # read once the database is open
    assert (painted["window_colour"], built["window_colour"]) == (LIGHT["window"], DARK["window"])
    painted, _, built, _ = watched_start(tmp_path, database)  # and remembered for next time
    assert painted["window_colour"] == built["window_colour"] == DARK["window"]


def test_after_a_crash_the_frame_says_why_it_waits_while_every_page_is_checked(tmp_path):
    database = tmp_path / "rapport.sqlite"
    watched_start(tmp_path, database)  # made, and quit properly
    lock = database.with_name(database.name + ".lock")
    # As a Rapport that crashed leaves it: its process (no such pid) is gone.
    lock.write_text(f"{2**22 + 7}\npython\n{socket.gethostname()}\n")
    _, opening, built, ended = watched_start(tmp_path, database)
    assert opening["verify"] and not opening["check_later"]
    assert opening["status"].startswith("Rapport did not quit properly last time")
    assert built["status"] == f"Database: {database}" and ended == {"exit": 0}


# main.py --minimized (the start at login), on a desktop without a tray: no frame is painted
# first; the window is built whole, then waits minimized in the task bar.
_MINIMIZED_START = """
import json, os, sys
sys.path.insert(0, {root!r})
from PySide6.QtCore import QTimer
import main
from ui.main_window import MainWindow

def say(**what):
    print(json.dumps(what), flush=True)

minimize = MainWindow.showMinimized
def minimize_and_quit(window):
    say(minimized=True, built=window._built, tray=window.tray is not None)
    minimize(window)
    QTimer.singleShot(0, window.quit)
MainWindow.showMinimized = minimize_and_quit
MainWindow.show = lambda window: say(shown=True)
say(exit=main.main(["--db", {database!r}, "--minimized"]))
"""


def test_a_start_at_login_without_a_tray_waits_in_the_task_bar_built(tmp_path):
    script = _MINIMIZED_START.format(root=str(ROOT), database=str(tmp_path / "rapport.sqlite"))
    done = run_main_script(tmp_path, script)
    assert said(done) == [{"minimized": True, "built": True, "tray": False}, {"exit": 0}], (
        done.stderr
    )


def test_a_frame_closed_before_the_database_opened_keeps_the_section_saved(qtbot, tmp_path):
    from PySide6.QtCore import QSettings

    from ui.main_window import SECTIONS, MainWindow
    from ui.window_layout import WindowLayout

    store = QSettings(str(tmp_path / "rapport.ini"), QSettings.Format.IniFormat)
    store.setValue("window/section", SECTIONS.index("Studio"))
    frame = MainWindow(tmp_path / "rapport.sqlite", contents=False)
    qtbot.addWidget(frame)
    frame.remember_layout(WindowLayout(store))
    frame.close()
    assert store.value("window/section", type=int) == SECTIONS.index("Studio")
    assert not (tmp_path / "rapport.sqlite").exists()


def test_a_section_chosen_on_the_frame_is_shown_once_the_contents_are_built(qtbot, database):
    from ui.main_window import SECTIONS, MainWindow

    frame = MainWindow(Path(database.database), contents=False)
    qtbot.addWidget(frame)
    frame.sidebar.setCurrentRow(SECTIONS.index("Clients"))  # nothing built for it yet
    assert frame.sections.currentIndex() == SECTIONS.index("Today")
    frame.build_contents()
    assert frame.sections.currentWidget() is frame.clients_splitter
    frame.quit()
