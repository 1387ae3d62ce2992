"""No export is ever written over the open database, the files that keep it whole, or a
backup: not from the command line, not from the window's save dialog, not as the calendar
file. Paths are compared as they really are (symbolic links) and files by inode (hard
links)."""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QMessageBox

import cli
import main
from models.clients.entries import save_important_date
from models.clients.saving import save_client
from models.exchange.export_target import export_target_problem
from models.forms.dialog_forms import ClientForm, ImportantDateForm
from models.store.database import db
from models.store.entities import Client
from models.store.migrations import open_database
from models.store.settings import get_setting, set_setting
from scheduler.calendar_file import CalendarFile
from tests.test_calendar_file import BERLIN, NOW
from tests.test_cli import dump, rapport
from tests.ui_helpers import quit_then_close
from ui.dialogs.settings_dialog import SettingsDialog
from ui.main_window import MainWindow


@pytest.fixture
def data(tmp_path) -> Path:
    """A database with a client, in the data folder where `main.py` keeps it; closed."""
    path = tmp_path / "data" / "Rapport" / "rapport.sqlite"
    database = open_database(path)
    anna = save_client(ClientForm(first_name="Anna", last_name="Berger"))
    save_important_date(ImportantDateForm(kind="birthday", day=3, month=12), anna.id)
    database.close()
    db.initialize(None)
    return path


def companions(data: Path) -> dict[str, Path]:
    """Every target that must be refused, each made as a user might have."""
    folder = data.parent
    backups = folder / "backups"
    backups.mkdir()
    (backups / "rapport-20261124-090000.backup.sqlite").write_bytes(data.read_bytes())
    Path(f"{data}.lock").write_text("4242\nrapport\n")
    (folder / "link.vcf").symlink_to(data)
    os.link(data, folder / "hard-link.vcf")
    (folder / "elsewhere").mkdir()
    return {
        "the database": data,
        "through a relative path": folder / "elsewhere" / ".." / data.name,
        "a symbolic link to it": folder / "link.vcf",
        "a hard link to it": folder / "hard-link.vcf",
        "its -wal": Path(f"{data}-wal"),
        "its -shm": Path(f"{data}-shm"),
        "its lock file": Path(f"{data}.lock"),
        "a backup": backups / "rapport-20261124-090000.backup.sqlite",
        "a new file among the backups": backups / "clients.vcf",
    }


def test_the_command_line_refuses_every_such_target_in_words(data, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    backups = main.backup_folder(data)
    assert backups == data.parent / "backups"  # as main.py passes it, for the default path
    window = sqlite3.connect(data)  # the window has it open: -wal and -shm are there
    window.execute("SELECT count(*) FROM client").fetchone()
    targets = companions(data)
    assert [what for what, path in targets.items() if not path.exists()] == [
        "a new file among the backups"
    ]
    for what, target in targets.items():
        before = {path: path.read_bytes() for path in data.parent.rglob("*") if path.is_file()}
        for kind in ("vcard", "ics", "full"):
            args = main.parse_args(["export", kind, str(target), "--db", str(data)])
            assert cli.run(args, data, backups) == 2, (what, kind)
            db.initialize(None)
            err = capsys.readouterr().err
            assert "Choose" in err and ("destroy your data" in err or "backups folder" in err)
        after = {path: path.read_bytes() for path in data.parent.rglob("*") if path.is_file()}
        assert after == before, what
    window.close()
    assert (data.parent / "hard-link.vcf").stat().st_ino == data.stat().st_ino


def test_with_another_database_the_usual_one_and_its_backups_are_refused(data, tmp_path, capsys):
    """As found: with --db, only that database's own backups folder was refused, so an
    export replaced the usual database's backups, or the usual database itself."""
    backup = data.parent / "backups" / "rapport-20260101-000000.backup.sqlite"
    backup.parent.mkdir()
    backup.write_bytes(data.read_bytes())
    kept = tmp_path / "Documents" / "copy of my clients.sqlite"
    kept.parent.mkdir()
    kept.write_bytes(data.read_bytes())
    other = tmp_path / "other.sqlite"
    open_database(other).close()
    db.initialize(None)
    every_backup = data.parent / "backups"  # as main.py passes it: backups_root()
    assert main.backup_folder(other).parent == main.backups_root()
    before = {path: path.read_bytes() for path in (data, backup, kept)}
    for target in (data, backup, kept, every_backup / "clients.vcf"):
        for kind in ("vcard", "ics", "full"):
            args = main.parse_args(["export", kind, str(target), "--db", str(other)])
            assert cli.run(args, other, every_backup) == 2, (target, kind)
            db.initialize(None)
            assert "Choose" in capsys.readouterr().err
    assert {path: path.read_bytes() for path in before} == before
    assert not (every_backup / "clients.vcf").exists()


def test_exporting_onto_the_open_database_exits_2_and_keeps_it(data, tmp_path):
    """As reported: `main.py export vcard DB --db DB` replaced the database, exit 0."""
    before = dump(data)
    for kind in ("vcard", "ics", "full"):
        done = rapport(tmp_path, "export", kind, data, "--db", data)
        assert done.returncode == 2, done.stdout
        assert done.stderr == (
            f"rapport export: {data} is the open Rapport database: writing the export there "
            "would destroy your data. Choose another file.\n"
        )
    assert dump(data) == before


def test_a_named_pipe_as_target_is_answered_at_once(data, tmp_path):
    """Reading a pipe's first bytes, to see whether it is a database, waited for a writer
    for ever: on the window's thread, at each change (the calendar file)."""
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    answers = []
    asking = threading.Thread(
        target=lambda: answers.append(export_target_problem(pipe, data, None)), daemon=True
    )
    asking.start()
    asking.join(timeout=5)
    assert answers == [None]


def test_other_targets_are_fine(data, tmp_path):
    backups = data.parent / "backups"
    for target in (tmp_path / "clients.vcf", data.with_name("rapport.sqlite.vcf"), tmp_path):
        assert export_target_problem(target, data, backups) is None
    assert export_target_problem(tmp_path / "x.vcf", data, None) is None


def answer_save_dialogs(target: Path, said: list[str]) -> QTimer:
    """As a user: choose `target` in each save dialog (replacing it), and read (into `said`)
    what the window then says."""

    def choose_target() -> None:
        dialog = QApplication.activeModalWidget()
        # "Replace it?" answered yes in advance (its box outlives PySide's wrappers).
        dialog.setOption(QFileDialog.Option.DontConfirmOverwrite)
        dialog.findChild(QLineEdit, "fileNameEdit").setText(str(target))  # typed
        dialog.accept()

    def answer() -> None:  # each answer after this returns: Qt never nests a timer's call
        dialog = QApplication.activeModalWidget()
        if dialog is None or dialog.property("answered"):
            return
        dialog.setProperty("answered", True)
        if isinstance(dialog, QFileDialog):
            QTimer.singleShot(0, choose_target)  # once the dialog has shown its suggestion
        elif isinstance(dialog, QMessageBox) and dialog.icon() == QMessageBox.Icon.Question:
            QTimer.singleShot(0, dialog.defaultButton().click)  # notes? left out, the default
        elif isinstance(dialog, QMessageBox):
            assert dialog.textFormat() == Qt.TextFormat.PlainText
            said.append(dialog.text())
            QTimer.singleShot(0, dialog.accept)

    timer = QTimer()
    timer.timeout.connect(answer)
    timer.start(20)
    return timer


def test_the_window_refuses_the_database_in_its_save_dialog(qtbot, data):
    database = open_database(data)
    window = MainWindow(data)
    qtbot.addWidget(window)
    before = dump(data)
    said: list[str] = []
    answering = answer_save_dialogs(data, said)
    try:
        for count, export in enumerate(
            (window.exports.vcards, window.exports.calendar, window.exports.archive), start=1
        ):
            export()
            qtbot.waitUntil(lambda count=count: len(said) == count, timeout=5000)
            assert window.exports.work.progress is None  # nothing was started
        assert all("is the open Rapport database" in text for text in said), said
        assert Client.select().count() == 1
    finally:
        answering.stop()
        quit_then_close(window, database)
    assert dump(data) == before


def test_settings_refuse_the_database_as_the_calendar_file(qtbot, data):
    database = open_database(data)
    try:
        for target, folder in ((data, None), (data.parent / "backups" / "d.ics", "backups")):
            (data.parent / "backups").mkdir(exist_ok=True)
            dialog = SettingsDialog(backups_folder=data.parent / folder if folder else None)
            qtbot.addWidget(dialog)
            dialog.calendar_file.setText(str(target))
            dialog.save()
            assert not dialog.error.isHidden()
            assert "Choose" in dialog.error.text()
            assert get_setting("calendar_file") == ""
    finally:
        database.close()
        db.initialize(None)


def test_the_calendar_file_never_writes_over_the_database(qtbot, data):
    """A calendar file named by a restored archive or a hand edit is refused all the same."""
    database = open_database(data)
    try:
        set_setting("calendar_file", str(data))
        calendar = CalendarFile(BERLIN, lambda: NOW)
        with qtbot.waitSignal(calendar.failed, timeout=5000) as failed:
            calendar.rewrite()
        calendar.stop()
        assert "is the open Rapport database" in failed.args[0]
        assert Client.select().count() == 1
    finally:
        database.close()
        db.initialize(None)
