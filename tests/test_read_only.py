"""A database Rapport may only read is opened read-only on purpose: the window says so
and offers no edits, the command line says so in a sentence. Files Rapport refuses (or
only copies, for a dry run) get no -wal or -shm files beside them."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from datetime import date

import pytest
from PySide6.QtWidgets import QLabel, QPushButton

from models.clients.saving import save_client
from models.forms.dialog_forms import ClientForm
from models.store.database import DatabaseOpenError, db, read_only_reason
from models.store.entities import Client
from models.store.migrations import SCHEMA_VERSION, open_database
from tests.test_cli import CARDS, rapport
from tests.ui_helpers import quit_then_close, when_dialog_opens
from ui.main_window import MainWindow
from ui.startup import DatabaseNotices


@pytest.fixture
def make_read_only():
    """Takes away the right to write to a file or folder (root, who ignores modes, is
    stopped by the immutable attribute); gives it back at the end."""
    locked = []

    def lock(path) -> None:
        os.chmod(path, 0o555 if path.is_dir() else 0o444)
        if os.geteuid() == 0:
            subprocess.run(["chattr", "+i", str(path)], check=True)
        locked.append(path)

    yield lock
    for path in locked:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(path)], check=True)
        os.chmod(path, 0o700 if path.is_dir() else 0o600)


@pytest.fixture
def anna(tmp_path):
    """A closed database with one client."""
    path = tmp_path / "data" / "rapport.sqlite"
    database = open_database(path)
    save_client(ClientForm(first_name="Anna"))
    database.close()
    db.initialize(None)
    return path


def files_beside(path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir())


def test_a_read_only_database_with_the_migrations_search_triggers_opens_and_searches(
    anna, make_read_only
):
    """Left with the triggers migrations run under (Rapport stopped between them and
    the search index's check): nothing can be swapped, and nothing needs to be."""
    from models.clients.finder import ClientFilter, find_clients
    from models.store import search_index

    database = open_database(anna)
    search_index.set_update_triggers(database, every_update=True)
    database.close()
    db.initialize(None)
    make_read_only(anna.parent)
    open_database(anna)
    assert search_index.search_index_ready()
    assert len(find_clients(ClientFilter("ann"), date(2026, 12, 7))) == 1


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_database_rapport_may_not_write_opens_for_reading(anna, make_read_only, what):
    make_read_only(anna if what == "file" else anna.parent)
    assert (
        read_only_reason(anna) == f"{'the file' if what == 'file' else 'its folder'} is read-only"
    )
    database = open_database(anna)
    try:
        assert [client.first_name for client in Client.select()] == ["Anna"]
        with pytest.raises(Exception, match="readonly"):  # SQLite itself refuses
            save_client(ClientForm(first_name="Ben"))
    finally:
        database.close()
        db.initialize(None)
    assert files_beside(anna) == ["rapport.sqlite"]


def test_the_window_says_it_is_read_only_and_offers_no_edits(qtbot, anna, make_read_only):
    make_read_only(anna)
    database = open_database(anna)
    window = MainWindow(anna)
    qtbot.addWidget(window)
    window.open_read_only(read_only_reason(anna))
    window.show()
    window.show_client(Client.get().id)
    try:
        assert window.windowTitle() == "Rapport (read-only)"
        bar = window.findChild(type(window.addToolBar("x")), "readOnlyBar")
        assert bar.isVisible()
        [label] = bar.findChildren(QLabel)
        assert label.text().startswith("Opened for reading only (the file is read-only)")
        enabled = {a.text(): a.isEnabled() for a in window.findChildren(type(window.undo_action))}
        assert not any(enabled[text] for text in ("&New client…", "&Import…", "&Undo"))
        assert not enabled["&Edit client…"] and not enabled["De&lete client…"]
        assert enabled["E&xport as vCard…"] and enabled["All clients as &vCard…"]
        assert not any(b.isEnabled() for b in window.page.findChildren(QPushButton))
        # A change that still finds a way is refused in a sentence, not "Something went wrong".
        notices = DatabaseNotices(anna, anna.parent / "backups", window.restore, window)
        told = []
        when_dialog_opens(lambda box: (told.append(box.text()), box.accept()))
        with pytest.raises(Exception, match="readonly") as refused:
            save_client(ClientForm(first_name="Ben"))
        assert notices.handle(refused.value)
        assert told == [
            f"Rapport can only read {anna} (the file is read-only): nothing was changed."
        ]
    finally:
        quit_then_close(window, database)


def test_the_command_line_import_says_the_database_is_read_only(tmp_path, anna, make_read_only):
    cards = tmp_path / "cards.vcf"
    cards.write_text(CARDS)
    make_read_only(anna)
    before = anna.read_bytes()
    done = rapport(tmp_path, "import", cards, "--db", anna)
    assert done.returncode == 2
    assert done.stderr.strip() == (
        f"rapport import: Rapport can only read {anna} (the file is read-only): "
        "nothing was imported."
    )
    assert anna.read_bytes() == before
    assert files_beside(anna) == ["rapport.sqlite"]


def test_a_refused_newer_database_gets_no_wal_or_shm_files(anna):
    with sqlite3.connect(anna) as connection:
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.close()
    assert files_beside(anna) == ["rapport.sqlite"]
    with pytest.raises(DatabaseOpenError, match="newer version"):
        open_database(anna)
    assert files_beside(anna) == ["rapport.sqlite"]


def test_a_dry_run_leaves_no_files_beside_the_database(tmp_path, anna):
    cards = tmp_path / "cards.vcf"
    cards.write_text(CARDS)
    before = anna.read_bytes()
    dry = rapport(tmp_path, "import", cards, "--db", anna, "--dry-run")
    assert dry.returncode in (0, 1), dry.stderr
    assert anna.read_bytes() == before
    assert files_beside(anna) == ["rapport.sqlite"]


def test_a_refused_damaged_database_gets_no_wal_or_shm_files(anna):
    with anna.open("r+b") as f:  # the schema pages, keeping SQLite's header
        f.seek(100)
        f.write(b"\xff" * 8000)
    with pytest.raises(DatabaseOpenError, match="is damaged"):
        open_database(anna)
    assert files_beside(anna) == ["rapport.sqlite"]
