"""A save in the window while another program (an import on the command line) holds the
database's write lock: the window waits a moment, not 5 s, then says so in words and
keeps what was typed; Save works again once the lock is gone."""

from __future__ import annotations

import sqlite3
import sys
import time

import pytest
from peewee import OperationalError
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from models.clients import save_client
from models.database import BUSY_TIMEOUT_SECONDS
from models.entities import Client
from models.forms import ClientForm
from tests.ui_helpers import when_dialog_opens
from ui.dialogs.client_dialog import ClientDialog
from ui.startup import DatabaseNotices


def press_save(qtbot, dialog: ClientDialog) -> float:
    """Seconds the window's event loop stood still for the click."""
    save = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
    started = time.perf_counter()
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    return time.perf_counter() - started


def test_save_says_another_program_is_writing_and_keeps_the_text(qtbot, database, tmp_path):
    dialog = ClientDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.first_name, "Jonas")
    importer = sqlite3.connect(tmp_path / "rapport.sqlite", isolation_level=None)
    importer.execute("BEGIN IMMEDIATE")  # as `main.py import` holds it while it writes
    importer.execute("INSERT INTO tag (name) VALUES ('imported')")
    try:
        waited = press_save(qtbot, dialog)
        assert waited < 1.5, waited  # not the 5 s busy timeout of the other threads
        assert dialog.isVisible() and dialog.first_name.text() == "Jonas"
        assert dialog.error_label.isVisible()
        assert dialog.error_label.text() == (
            "Another program (an import, perhaps) is writing to the database right now, so "
            "nothing was saved yet. What you typed is still here: try Save again in a moment."
        )
    finally:
        importer.execute("COMMIT")
        importer.close()
    # Only the window's saves wait briefly: other writes (a worker's) still wait up to 5 s.
    [(timeout,)] = database.execute_sql("PRAGMA busy_timeout").fetchall()
    assert timeout == BUSY_TIMEOUT_SECONDS * 1000
    press_save(qtbot, dialog)
    assert not dialog.isVisible()
    assert [client.first_name for client in Client.select()] == ["Jonas"]


def test_a_one_click_change_while_importing_says_so_not_something_went_wrong(
    qtbot, open_window, database, tmp_path, monkeypatch
):
    """A write with no dialog to keep open (Done on Today, a pin) that meets the import's
    lock neither freezes the window for 5 s nor says "Something went wrong"."""
    anna = save_client(ClientForm(first_name="Anna"))
    others: list[BaseException] = []
    monkeypatch.setattr(sys, "excepthook", lambda kind, error, tb: others.append(error))
    window = open_window()
    DatabaseNotices(tmp_path / "rapport.sqlite", tmp_path / "backups", print, window).install()
    shown: list[str] = []
    when_dialog_opens(lambda box: (shown.append(box.text()), box.accept()))
    importer = sqlite3.connect(tmp_path / "rapport.sqlite", isolation_level=None)
    importer.execute("BEGIN IMMEDIATE")
    started = time.monotonic()
    try:
        with pytest.raises(OperationalError) as raised:  # on the window's thread, as a click
            Client.update(last_name="Berger").where(Client.id == anna.id).execute()
    finally:
        importer.execute("COMMIT")
        importer.close()
    assert time.monotonic() - started < 1.5  # not the 5 s the workers wait
    sys.excepthook(type(raised.value), raised.value, None)
    assert others == []
    assert shown == [
        "Another program (an import, perhaps) is writing to the database right now, so "
        "nothing was changed. Try again in a moment."
    ]
