"""The command line never prints a traceback: a damaged or foreign file is a sentence and
exit 2, and a full disk (a real one: a small tmpfs) says that the disk is full, there and
in the window, instead of peewee's failed ROLLBACK ("no transaction is active")."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from peewee import OperationalError
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

import main
from models.clients import save_client
from models.database import db
from models.entities import Client
from models.forms import ClientForm
from models.migrations import open_database
from tests.test_cli import rapport, rows
from tests.ui_helpers import when_dialog_opens

CARDS = "".join(
    f"BEGIN:VCARD\nVERSION:3.0\nN:Name{i};Person{i};;;\nFN:Person{i} Name{i}\n"
    f"NOTE:{'a note to fill pages ' * 10}\nEND:VCARD\n"
    for i in range(400)
)


@pytest.fixture
def small_disk(tmp_path):
    """A 2 MB disk of its own (tmpfs; mounting needs root), holding a new database."""
    folder = tmp_path / "disk"
    folder.mkdir()
    mount = ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(folder)]
    if os.geteuid() != 0 or subprocess.run(mount, capture_output=True).returncode != 0:
        pytest.skip("a small disk of its own needs root (mount -t tmpfs)")
    try:
        database = open_database(folder / "rapport.sqlite")
        database.close()
        db.initialize(None)
        yield folder
    finally:
        subprocess.run(["umount", "--lazy", str(folder)], check=True)


def fill(folder: Path, leave_kb: int) -> None:
    """Fill the disk up to the last `leave_kb` kilobytes."""
    filler = folder / "filler"
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(descriptor, b"\0" * 4096)
    except OSError:
        pass
    finally:
        os.close(descriptor)
    os.truncate(filler, filler.stat().st_size - leave_kb * 1024)


@pytest.mark.parametrize("leave_kb", [16, 64, 200])
def test_an_import_onto_a_full_disk_says_the_disk_is_full(small_disk, tmp_path, leave_kb):
    database = small_disk / "rapport.sqlite"
    fill(small_disk, leave_kb)
    cards = tmp_path / "cards.vcf"
    cards.write_text(CARDS)
    done = rapport(tmp_path, "import", cards, "--db", database)
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1].startswith(
        f"rapport import: The disk holding {database} is full. Free some space and try again."
    )
    assert "Traceback" not in done.stderr and "rollback" not in done.stderr
    (small_disk / "filler").unlink()  # room to read it again
    assert rows(database, "SELECT count(*) FROM client") == [(0,)]  # all or nothing


def full_disk_error(folder: Path) -> OperationalError:
    """What a save raises when its COMMIT finds the disk full."""
    fill(folder, 64)
    with pytest.raises(OperationalError) as failure, db.atomic():
        for number in range(400):
            save_client(ClientForm(first_name=f"Person {number}", how_we_met="x" * 300))
    return failure.value


def test_a_commit_on_a_full_disk_raises_the_full_disk(small_disk):
    """peewee's ROLLBACK after the failed COMMIT used to replace this error by its own."""
    database = open_database(small_disk / "rapport.sqlite")
    try:
        error = full_disk_error(small_disk)
        assert str(error) == "database or disk is full"
        assert Client.select().count() == 0
    finally:
        database.close()
        db.initialize(None)


@pytest.fixture
def error_dialog(qapp, tmp_path):
    """The app's dialog for unexpected errors, as main.py installs it; what it said."""
    said: list[QMessageBox] = []
    hook = sys.excepthook
    main.install_error_dialog(tmp_path / "log", tmp_path / "disk" / "rapport.sqlite")
    when_dialog_opens(lambda box: (said.append((box.text(), box.textFormat())), box.accept()))
    yield said
    sys.excepthook = hook


def test_the_window_says_the_disk_is_full(qtbot, small_disk, error_dialog):
    database = open_database(small_disk / "rapport.sqlite")
    try:
        error = full_disk_error(small_disk)
    finally:
        database.close()
        db.initialize(None)
    sys.excepthook(type(error), error, error.__traceback__)
    text, _format = error_dialog[0]
    assert text.startswith(
        f"The disk holding {small_disk / 'rapport.sqlite'} is full. Free some space and try again."
    )
    assert "Nothing half-done was saved" in text


def test_the_crash_dialog_shows_the_error_as_plain_text(qtbot, error_dialog):
    error = ValueError("<b>Anna</b> <a href='file:///etc/passwd'>open</a>")
    sys.excepthook(ValueError, error, None)
    text, text_format = error_dialog[0]
    assert text_format == Qt.TextFormat.PlainText
    assert text.startswith("<b>Anna</b> <a href='file:///etc/passwd'>open</a>\n")


def damaged_database(path: Path) -> bytes:
    """A database whose pages after the first two are overwritten: SQLite opens it, then
    finds the damage as soon as it reads a table."""
    database = open_database(path)
    for number in range(300):
        save_client(ClientForm(first_name=f"Client {number}", last_name="x" * 200))
    database.close()
    db.initialize(None)
    data = bytearray(path.read_bytes())
    data[8192:-4096] = b"\x07" * (len(data) - 8192 - 4096)
    path.write_bytes(bytes(data))
    return bytes(data)


COMMANDS = [
    ("export", "vcard", "out.vcf"),
    ("export", "ics", "out.ics"),
    ("export", "full", "out.zip"),
    ("today",),
    ("check",),
    ("import", "cards.vcf"),
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: " ".join(command[:2]))
def test_a_damaged_database_is_a_sentence_and_exit_2(tmp_path, command):
    path = tmp_path / "rapport.sqlite"
    before = damaged_database(path)
    (tmp_path / "cards.vcf").write_text(CARDS)
    args = [tmp_path / part if "." in part else part for part in command]
    done = rapport(tmp_path, *args, "--db", path)
    assert done.returncode == 2, done.stdout
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith(f"rapport {command[0]}: ")
    assert "damaged" in done.stderr or "malformed" in done.stderr
    assert path.read_bytes() == before


@pytest.mark.parametrize("command", COMMANDS[::2], ids=lambda command: " ".join(command[:2]))
def test_a_file_that_is_not_a_database_is_a_sentence_and_exit_2(tmp_path, command):
    path = tmp_path / "notes.sqlite"
    path.write_text("my notes")
    (tmp_path / "cards.vcf").write_text(CARDS)
    args = [tmp_path / part if "." in part else part for part in command]
    done = rapport(tmp_path, *args, "--db", path)
    assert done.returncode == 2
    assert done.stderr == (
        f"rapport {command[0]}: {path} is not a Rapport database (it is not an SQLite file). "
        "It was left untouched; choose another file or start with a new one.\n"
    )
    assert path.read_text() == "my notes"
