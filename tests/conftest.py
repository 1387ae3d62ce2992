"""Shared fixtures: every test that needs data gets a real SQLite file in tmp_path."""

from __future__ import annotations

import gc
import os

import pytest

# The suite runs on a real X server (Xvfb in CI); without one, Qt draws offscreen.
if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from models.store.database import db
from models.store.migrations import open_database

# As in the app (ui/garbage_collection.py): never collect cycles off the main thread,
# where the notifications' asyncio thread would destroy Qt objects and crash.
gc.disable()


@pytest.fixture(autouse=True)
def collect_garbage_on_the_main_thread():
    yield
    gc.collect()


@pytest.fixture
def database(tmp_path):
    """A freshly migrated Rapport database file, bound to the models."""
    path = tmp_path / "rapport.sqlite"
    database = open_database(path)
    yield database
    database.close()
    db.initialize(None)


@pytest.fixture
def switch_to(database):
    """Opens another database file in place of the test's one, closed at the end."""
    opened = []

    def switch(path):
        db.close()
        opened.append(open_database(path))

    yield switch
    for other in opened:
        other.close()


@pytest.fixture
def radicale(tmp_path):
    """A real Radicale server (CardDAV, CalDAV) on 127.0.0.1 for the test (tests/servers.py)."""
    from tests.servers import radicale_server

    with radicale_server(tmp_path / "radicale") as server:
        yield server


@pytest.fixture(params=["radicale", "xandikos"])
def dav_server(request, tmp_path):
    """Each real CardDAV and CalDAV server in turn (tests/servers.py): the same test runs
    against Radicale and Xandikos."""
    from tests.servers import radicale_server, xandikos_server

    start = radicale_server if request.param == "radicale" else xandikos_server
    with start(tmp_path / request.param) as server:
        yield server


@pytest.fixture(scope="session")
def secret_service(tmp_path_factory):
    """A real Secret Service (GNOME Keyring) on the private D-Bus, for the whole run."""
    from tests.servers import secret_service

    with secret_service(tmp_path_factory.mktemp("keyring")):
        yield


@pytest.fixture
def locale():
    """Set the window's locale (QLocale's default) for one test: locale("de_DE"); the
    system's comes back after it."""
    from PySide6.QtCore import QLocale

    before = QLocale()
    yield lambda name: QLocale.setDefault(QLocale(name))
    QLocale.setDefault(before)


@pytest.fixture
def clock():
    """The window's clock (`now`) for a test; a test file overrides it with its own."""
    from tests.ui_helpers import NOW

    return lambda: NOW


@pytest.fixture
def open_window(qtbot, tmp_path, clock):
    """Opens Rapport's window as the owner finds it: shown, active, its client list in.
    `open_window()` opens the `database` fixture's file on the `clock` fixture's time;
    `path`, `zone`, `size`, a `layout` to remember (a WindowLayout) and another clock
    (`now`) may be given."""
    from tests.ui_helpers import wait_for_client_list
    from ui.main_window import MainWindow

    def open_(path=None, zone=None, size=(1280, 800), layout=None, now=None) -> MainWindow:
        window = MainWindow(path or tmp_path / "rapport.sqlite", now=now or clock, zone=zone)
        qtbot.addWidget(window)
        window.resize(*size)
        if layout is not None:
            window.remember_layout(layout)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()  # shortcuts go to the active window
        qtbot.waitUntil(window.isActiveWindow)
        wait_for_client_list(qtbot, window)
        return window

    return open_


@pytest.fixture
def window(open_window, database):
    """Rapport's window on an empty database (see open_window)."""
    return open_window()
