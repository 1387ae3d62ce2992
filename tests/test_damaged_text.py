"""Text that is not valid UTF-8 (it passes SQLite's integrity check) breaks nothing: it reads
with U+FFFD, every export writes everything else and names the damaged clients, and Check
database (File menu, `rapport check`) repairs it and says what it did."""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QLineEdit, QMessageBox

from models.clients.entries import save_important_date, save_note
from models.clients.saving import client_tags, save_client
from models.forms.dialog_forms import ClientForm, ImportantDateForm, NoteForm
from models.store.database import db
from models.store.entities import Client
from models.store.migrations import open_database
from tests.test_cli import rapport
from tests.ui_helpers import quit_then_close, when_dialog_opens
from ui.main_window import MainWindow

BAD = "4dfc6c6c6572"  # "Müller" in Latin-1: \xfc alone is not UTF-8


def write_bad_bytes(path: Path, sql: str) -> None:
    """Run `sql` (storing bytes that are not UTF-8 as text) as another program would, with
    Rapport's triggers set aside: they fold text, and Python cannot read such text."""
    connection = sqlite3.connect(path)
    try:
        triggers = connection.execute(
            "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger'"
        ).fetchall()
        for name, _sql in triggers:
            connection.execute(f"DROP TRIGGER {name}")
        connection.execute(sql)
        for _name, create in triggers:
            connection.execute(create)
        connection.commit()
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        connection.close()


def invalid_texts(path: Path) -> int:
    """How many text values of the client table and its notes are not valid UTF-8."""
    connection = sqlite3.connect(path)
    connection.text_factory = bytes
    try:
        count = 0
        for table, column in (("client", "last_name"), ("note", "text"), ("tag", "name")):
            for (value,) in connection.execute(f"SELECT {column} FROM {table}"):
                try:
                    value.decode("utf-8")
                except UnicodeDecodeError:
                    count += 1
        return count
    finally:
        connection.close()


@pytest.fixture
def damaged(tmp_path) -> Path:
    """Three clients; Anna's last name and tag and a note of Jens are damaged."""
    path = tmp_path / "rapport.sqlite"
    database = open_database(path)
    anna = save_client(ClientForm(first_name="Anna", last_name="Berger", tags="wedding"))
    jens = save_client(ClientForm(first_name="Jens", last_name="Ortmann"))
    lea = save_client(ClientForm(first_name="Lea", last_name="Brandt", tags="portrait"))
    save_important_date(ImportantDateForm(kind="birthday", day=3, month=12), anna.id)
    save_important_date(ImportantDateForm(kind="birthday", day=9, month=5), lea.id)
    save_note(NoteForm(text="Prefers mornings"), jens.id)
    database.close()
    db.initialize(None)
    write_bad_bytes(path, f"UPDATE client SET last_name = CAST(x'{BAD}' AS TEXT) WHERE id = 1")
    write_bad_bytes(path, f"UPDATE note SET text = CAST(x'{BAD}20' AS TEXT) WHERE client_id = 2")
    write_bad_bytes(path, "UPDATE tag SET name = CAST(x'ff' AS TEXT) WHERE name = 'wedding'")
    assert invalid_texts(path) == 3
    return path


@pytest.mark.parametrize(("kind", "name"), [("vcard", "out.vcf"), ("ics", "out.ics")])
def test_an_export_writes_everything_and_names_the_damaged_clients(damaged, tmp_path, kind, name):
    out = tmp_path / name
    done = rapport(tmp_path, "export", kind, out, "--db", damaged)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr == (
        "rapport export: The text of 2 clients is damaged (not valid UTF-8) and was written "
        "with \ufffd in place of the unreadable characters: Anna M\ufffdller, Jens Ortmann. "
        "`rapport check` repairs it.\n"
    )
    written = out.read_text(encoding="utf-8")
    assert "Anna M\ufffdller" in written and "Lea Brandt" in written


def test_a_full_export_writes_everything_too(damaged, tmp_path):
    out = tmp_path / "all.zip"
    done = rapport(tmp_path, "export", "full", out, "--db", damaged)
    assert (done.returncode, done.stdout.strip()) == (0, f"Wrote everything (3 clients) to {out}")
    assert "Anna M\ufffdller, Jens Ortmann" in done.stderr
    with zipfile.ZipFile(out) as archive:
        data = archive.read("rapport.json").decode("utf-8")
    assert "M\ufffdller" in data and "Lea" in data


def test_check_repairs_the_text_and_says_what_it_did(damaged, tmp_path):
    done = rapport(tmp_path, "check", "--db", damaged)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == (
        "Repaired 3 texts that were not valid UTF-8, in the data of: Anna M\ufffdller, "
        "Jens Ortmann. The unreadable characters are now \ufffd; check those clients and "
        "retype what is wrong.\n"
    )
    assert invalid_texts(damaged) == 0
    again = rapport(tmp_path, "check", "--db", damaged)
    assert (again.returncode, again.stdout) == (
        0,
        "The database is in good order: every page, every reference and all text checked.\n",
    )
    # Repaired through Rapport's own triggers: the client is found by their new name.
    database = open_database(damaged)
    try:
        from models.clients.finder import ClientFilter, find_clients

        assert find_clients(ClientFilter(text="m\ufffdller"), None) == [1]
    finally:
        database.close()
        db.initialize(None)


def test_a_damaged_client_opens_in_the_window_and_check_database_repairs_it(qtbot, damaged):
    database = open_database(damaged)
    window = MainWindow(damaged)
    qtbot.addWidget(window)
    said: list[str] = []
    try:
        window.open_client(1)
        assert window.page.client.full_name == "Anna M\ufffdller"
        target = damaged.parent / "clients.vcf"

        def save_as(dialog: QFileDialog) -> None:
            dialog.findChild(QLineEdit, "fileNameEdit").setText(str(target))
            dialog.accept()

        def read(box: QMessageBox) -> None:
            if box.icon() == QMessageBox.Icon.Question:  # notes? left out, the default
                box.defaultButton().click()
                when_dialog_opens(read, attempts=1000, kind=QMessageBox)
                return
            said.append(box.text())
            box.accept()

        when_dialog_opens(save_as, kind=QFileDialog)
        when_dialog_opens(read, attempts=1000, kind=QMessageBox)
        window.exports.vcards()
        qtbot.waitUntil(lambda: bool(said), timeout=10000)
        assert said.pop() == (
            "The text of 2 clients is damaged (not valid UTF-8) and was written with \ufffd in "
            "place of the unreadable characters: Anna M\ufffdller, Jens Ortmann.\n\n"
            "File → Check database repairs it."
        )
        assert "Lea Brandt" in target.read_text(encoding="utf-8")
        when_dialog_opens(lambda box: (said.append(box.text()), box.accept()), kind=QMessageBox)
        window.check_database()
        qtbot.waitUntil(lambda: bool(said), timeout=10000)
        assert said[0].startswith("Repaired 3 texts that were not valid UTF-8")
        assert invalid_texts(damaged) == 0
        assert Client.get_by_id(1).last_name == "M\ufffdller"
    finally:
        quit_then_close(window, database)


def test_a_client_with_tags_saves_beside_a_damaged_tag(damaged):
    database = open_database(damaged)
    try:
        save_client(ClientForm(first_name="Lea", last_name="Brandt", tags="Portrait, new"), 3)
        assert client_tags(3) == ["new", "portrait"]
    finally:
        database.close()
        db.initialize(None)


def test_check_on_a_damaged_file_says_so_and_changes_nothing(tmp_path):
    path = tmp_path / "rapport.sqlite"
    database = open_database(path)
    for number in range(300):
        save_client(ClientForm(first_name=f"Client {number}", last_name="x" * 200))
    database.close()
    db.initialize(None)
    data = bytearray(path.read_bytes())
    data[8192:12288] = b"\x07" * 4096  # a page of the client table overwritten
    path.write_bytes(bytes(data))
    done = rapport(tmp_path, "check", "--db", path)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "is damaged" in done.stderr
    assert path.read_bytes() == bytes(data)


def test_the_reminders_of_a_damaged_client_read_with_the_replacement_character(damaged):
    """Reminders read their text the fast way, and again the tolerant way when it fails."""
    from datetime import UTC, datetime, time
    from zoneinfo import ZoneInfo

    from models.reminders.store import collect_reminders, reminder_window

    write_bad_bytes(
        damaged,
        "UPDATE client SET keep_in_touch_days = 30, last_contact_at = NULL,"
        " created_at = '2026-01-05 09:00:00' WHERE id = 1",
    )
    database = open_database(damaged)
    try:
        window = reminder_window(datetime(2026, 12, 1, 12, tzinfo=UTC), ZoneInfo("UTC"), time(9))
        found = {(r.kind, r.title) for r in collect_reminders(window)}
    finally:
        database.close()
        db.initialize(None)
    assert found == {("date", "Anna M\ufffdller"), ("check_in", "Anna M\ufffdller")}
