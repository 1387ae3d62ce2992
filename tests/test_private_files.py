"""Every copy of client data Rapport writes is the owner's alone (0600 files, 0700 folders)
under the usual umask 022; what exists is never tightened behind the owner's back, and a
database that others can read is said to be so."""

from __future__ import annotations

import logging
import os
import shutil
import stat
import zipfile
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

import main
from models.clients.entries import save_important_date
from models.clients.saving import save_client
from models.exchange.calendar_export import write_calendar
from models.exchange.full_archive import write_archive
from models.exchange.vcard_export import write_vcards
from models.forms.dialog_forms import ClientForm, ImportantDateForm
from models.store.database import db
from models.store.migrations import open_database
from models.store.private_files import replacing
from models.store.settings import set_setting
from scheduler.calendar_file import CalendarFile
from tests.test_calendar_file import BERLIN, NOW
from tests.test_cli import rapport
from tests.test_migrations import FIXTURES
from tests.ui_helpers import when_dialog_opens
from ui.startup import warn_if_others_can_read

EXPORTS = {
    "clients.vcf": write_vcards,
    "dates.ics": lambda target: write_calendar(target, date(2026, 11, 25), NOW),
    "everything.zip": write_archive,
}


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def usual_umask():
    """022, as on most desktops: what a program creates is readable by all unless it says."""
    before = os.umask(0o022)
    yield
    os.umask(before)


@pytest.fixture
def anna(database):
    client = save_client(ClientForm(first_name="Anna", last_name="Berger"))
    save_important_date(ImportantDateForm(kind="birthday", day=3, month=12), client.id)
    return client


def test_every_export_is_the_owner_s_alone(anna, tmp_path):
    for name, write in EXPORTS.items():
        write(tmp_path / name)
        assert mode(tmp_path / name) == 0o600, name
    with zipfile.ZipFile(tmp_path / "everything.zip") as archive:
        assert "rapport.json" in archive.namelist()
    assert sorted(path.name for path in tmp_path.glob("*.partial")) == []


def test_an_export_leaves_files_named_like_its_partial_file_alone(anna, tmp_path):
    """As found: the partial file had a fixed name, `<target>.partial`, deleted before each
    export whatever it was: an owner's file, or the database itself opened with --db."""
    folder = tmp_path / "exports"
    folder.mkdir()
    for name, write in EXPORTS.items():
        bystander = folder / f"{name}.partial"
        bystander.write_text("the owner's own file")
        write(folder / name)
        assert bystander.read_text() == "the owner's own file", name
    written = {path.name for path in folder.iterdir()}
    assert written == {*EXPORTS, *(f"{name}.partial" for name in EXPORTS)}


def test_a_failed_export_leaves_the_old_file_and_no_partial_file(tmp_path):
    target = tmp_path / "clients.vcf"
    target.write_text("the export of yesterday")
    with pytest.raises(OSError), replacing(target) as out:
        out.write("half of today's")
        raise OSError(28, "No space left on device")
    assert target.read_text() == "the export of yesterday"
    assert [path.name for path in tmp_path.iterdir()] == ["clients.vcf"]


def test_an_export_the_owner_made_readable_stays_so_when_written_again(anna, tmp_path):
    for name, write in EXPORTS.items():
        write(tmp_path / name)
        os.chmod(tmp_path / name, 0o644)  # shared with a calendar server, say
        write(tmp_path / name)
        assert mode(tmp_path / name) == 0o644, name


def test_the_calendar_file_is_the_owner_s_alone(qtbot, anna, tmp_path):
    target = tmp_path / "rapport.ics"
    set_setting("calendar_file", str(target))
    calendar = CalendarFile(BERLIN, lambda: NOW)
    with qtbot.waitSignal(calendar.written, timeout=5000):
        calendar.rewrite()
    calendar.stop()
    assert mode(target) == 0o600


def test_the_backup_before_an_upgrade_and_a_new_database_s_folder_are_private(tmp_path):
    folder = tmp_path / "new" / "data"
    path = folder / "rapport.sqlite"
    folder.mkdir(parents=True)
    shutil.copy(FIXTURES / "schema_v1.sqlite", path)
    open_database(path).close()
    db.initialize(None)
    [backup] = folder.glob("rapport.schema1-*.backup.sqlite")
    assert mode(backup) == 0o600
    fresh = tmp_path / "made" / "by" / "rapport" / "rapport.sqlite"
    open_database(fresh).close()
    db.initialize(None)
    for made in (fresh.parent, fresh.parent.parent, fresh.parent.parent.parent):
        assert mode(made) == 0o700, made
    assert mode(folder) == 0o755  # what existed is left as it was


def test_the_log_and_its_folder_are_the_owner_s_alone(tmp_path):
    database = tmp_path / "rapport.sqlite"
    done = rapport(tmp_path, "import", FIXTURES / "schema_v1.sqlite", "--db", database)
    assert done.returncode == 2  # not a file to import: logged all the same
    state = tmp_path / "state"
    assert [mode(state / "Rapport"), mode(state / "Rapport" / "log")] == [0o700, 0o700]
    assert mode(state / "Rapport" / "log" / "rapport.log") == 0o600


def test_each_log_file_is_private_also_after_rotation(tmp_path):
    handler = main.rotated_log(tmp_path / "rapport.log", max_bytes=200, backups=2)
    logger = logging.getLogger("test-rotation")
    logger.addHandler(handler)
    try:
        for number in range(20):
            logger.warning("Opened client number %d, Anna Berger", number)
    finally:
        logger.removeHandler(handler)
        handler.close()
    logs = sorted(tmp_path.glob("rapport.log*"))
    assert len(logs) == 3 and all(mode(log) == 0o600 for log in logs)


def test_a_database_others_can_read_is_said_on_the_command_line_and_left(anna, tmp_path):
    path = tmp_path / "rapport.sqlite"
    os.chmod(path, 0o644)
    done = rapport(tmp_path, "export", "vcard", tmp_path / "out.vcf", "--db", path)
    assert done.returncode == 0
    assert done.stderr == (
        f"rapport: Other users of this computer can read {path} (its permissions are 644): "
        "your clients' data is not yours alone. Rapport leaves it as it is; to keep it to "
        f"yourself, run: chmod 600 '{path}'\n"
    )
    assert mode(path) == 0o644
    os.chmod(path, 0o600)
    quiet = rapport(tmp_path, "export", "vcard", tmp_path / "out.vcf", "--db", path)
    assert quiet.stderr == ""


def test_the_window_says_once_per_database_that_others_can_read_it(qtbot, anna, tmp_path):
    path = tmp_path / "rapport.sqlite"
    os.chmod(path, 0o640)
    said: list[str] = []
    when_dialog_opens(lambda box: (said.append(box.text()), box.accept()), kind=QMessageBox)
    assert warn_if_others_can_read(path)
    assert said and said[0].startswith(f"Other users of this computer can read {path}")
    assert not warn_if_others_can_read(path)  # once
    assert mode(path) == 0o640
    os.chmod(path, 0o600)
    assert not warn_if_others_can_read(tmp_path / "other.sqlite")  # none there


def test_a_file_no_one_else_can_read_is_not_reported(anna, tmp_path):
    assert not warn_if_others_can_read(tmp_path / "rapport.sqlite")
