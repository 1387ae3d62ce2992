"""A database damaged while Rapport was not looking: found at a normal start and when
SQLite reports it at run time, told once, and undone from the newest good backup."""

from __future__ import annotations

import sqlite3
import stat
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest
from peewee import DatabaseError

from models.clients.saving import save_client
from models.forms.dialog_forms import ClientForm
from models.store.backups import DatabaseDamaged, list_backups, make_backup, restore_backup
from models.store.database import REFUSED_BEFORE_CHECK, check_integrity, db, open_start_check
from models.store.entities import Client
from models.store.migrations import open_database, reopen_with_backup
from scheduler.daily_backup import BackupService
from tests.ui_helpers import when_dialog_opens
from ui.main_window import MainWindow
from ui.startup import DatabaseNotices, open_database_or_explain

NOW = datetime(2026, 11, 25, 18, 30, tzinfo=UTC)


def damage_table(path, table: str) -> None:
    """Garble the first page of `table` in the file itself: SQLite reports the damage
    only when that page is read."""
    db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")  # the rows into the file itself
    db.close()  # the next query reads the file anew
    conn = sqlite3.connect(path)
    try:
        root = conn.execute("SELECT rootpage FROM sqlite_schema WHERE name = ?", (table,))
        page = root.fetchone()[0]
        size = conn.execute("PRAGMA page_size").fetchone()[0]
    finally:
        conn.close()
    with path.open("r+b") as f:
        f.seek((page - 1) * size)
        f.write(b"\x13" * size)


@pytest.fixture
def studio(tmp_path):
    """300 clients, a good backup of them, then one more client saved after it."""
    path, folder = tmp_path / "rapport.sqlite", tmp_path / "backups"
    database = open_database(path)
    for number in range(300):
        save_client(ClientForm(first_name=f"Client {number}", last_name="x" * 200))
    make_backup(path, folder, NOW - timedelta(days=1))
    save_client(ClientForm(first_name="After the backup"))
    yield path, folder
    database.close()
    if db.obj is not None:
        db.close()
    db.initialize(None)


def test_damage_is_found_at_a_normal_start_not_only_after_a_crash(qtbot, studio):
    path, folder = studio
    damage_table(path, "client")
    offered = []

    def decline(box) -> None:
        offered.append(box.text())
        next(b for b in box.buttons() if b.text() == "Quit").click()

    when_dialog_opens(decline)
    assert not open_database_or_explain(path, folder)  # verify=False: a normal start
    assert "is damaged" in offered[0]


def test_the_check_at_a_normal_start_is_bounded_in_time(database, tmp_path):
    path = tmp_path / "rapport.sqlite"
    client = save_client(ClientForm(first_name="Anna"))
    with db.atomic():  # 60 MB of notes: a whole check takes some 40 ms here
        db.cursor().executemany(
            "INSERT INTO note (client_id, text, created_at, updated_at) VALUES (?, ?, ?, ?)",
            [(client.id, f"Note {n} " + "x" * 500, "2026", "2026") for n in range(50_000)],
        )
    db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    started = time.monotonic()
    assert check_integrity(path, within=0.005) is False  # stopped before the end
    bounded = time.monotonic() - started
    started = time.monotonic()
    assert check_integrity(path) is True
    assert bounded < time.monotonic() - started


def test_damage_reported_at_run_time_is_told_once_and_the_backup_put_in_place(
    qtbot, studio, monkeypatch
):
    path, folder = studio
    window = MainWindow(path, now=lambda: NOW)
    qtbot.addWidget(window)
    damage_table(path, "client")
    errors = []
    for _ in range(2):  # the app met it twice: "Something went wrong" twice, before
        with pytest.raises(DatabaseError, match="malformed") as raised:
            list(Client.select())
        errors.append(raised.value)
    others = []
    monkeypatch.setattr(sys, "excepthook", lambda kind, error, tb: others.append(error))
    DatabaseNotices(path, folder, window.restore, window).install()
    shown = []

    def use_backup(box) -> None:
        shown.append(box.text())
        next(b for b in box.buttons() if b.text() == "Use the backup").click()

    when_dialog_opens(use_backup)
    for error in errors:
        sys.excepthook(type(error), error, error.__traceback__)
    sys.excepthook(ValueError, ValueError("something else"), None)

    assert len(shown) == 1 and "SQLite found damage in" in shown[0]
    assert [str(error) for error in others] == ["something else"]
    assert Client.select().count() == 300  # the backup's clients, readable again
    aside = path.parent.glob("rapport.sqlite.damaged-*")
    [aside] = [p for p in aside if not p.name.endswith(("-wal", "-shm"))]
    assert stat.S_IMODE(aside.stat().st_mode) == 0o600
    assert "Restored the backup" in window.statusBar().currentMessage()
    window.quit()


def test_a_restore_from_a_damaged_database_sets_it_aside(studio):
    path, folder = studio
    damage_table(path, "client")
    [good] = folder.iterdir()
    with pytest.raises(DatabaseDamaged, match="the database is damaged"):
        restore_backup(good, path, folder, NOW)
    damaged = reopen_with_backup(path, list_backups(folder)[0], NOW)
    assert Client.select().count() == 300
    assert damaged.exists() and stat.S_IMODE(damaged.stat().st_mode) == 0o600
    assert [p.name for p in folder.iterdir()] == [good.name]  # no half-made safety copy


def test_the_backup_service_says_the_database_is_damaged(qtbot, studio):
    path, folder = studio
    damage_table(path, "client")
    service = BackupService(path, folder, lambda: NOW)
    with qtbot.waitSignal(service.failed, timeout=5000) as failure:
        service.start()
    assert "the database is damaged" in failure.args[0]
    assert "writable" not in failure.args[0]
    service.stop_and_back_up()


def test_damage_found_just_after_the_first_paint_is_told_and_nothing_is_written(
    qtbot, studio, monkeypatch
):
    """The start's check runs once the window shows: the damage it finds is said as damage
    met later is, with the backup offered, and no write reaches the damaged file."""
    path, folder = studio
    damage_table(path, "note")  # which the window does not read as it opens
    before = path.read_bytes()
    assert open_database_or_explain(path, folder, check_later=True)  # the window may show
    window = MainWindow(path, now=lambda: NOW)
    qtbot.addWidget(window)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # install() replaces it
    notices = DatabaseNotices(path, folder, window.restore, window)
    notices.install()
    shown = []
    when_dialog_opens(lambda box: (shown.append(box.text()), box.reject()))  # "Not now"
    notices.check_at_start()
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    assert "SQLite found damage in" in shown[0] and "malformed" in shown[0]
    with pytest.raises(DatabaseError, match=REFUSED_BEFORE_CHECK) as refused:
        save_client(ClientForm(first_name="Not to be written"))
    told = []
    when_dialog_opens(lambda box: (told.append(box.text()), box.accept()))
    sys.excepthook(type(refused.value), refused.value, None)
    qtbot.waitUntil(lambda: bool(told), timeout=5000)
    assert "found damage" in told[0] and "nothing was changed" in told[0]
    assert path.read_bytes() == before
    window.quit()


def test_a_write_before_the_check_waits_for_it_and_is_refused_on_damage(studio):
    path, _folder = studio
    damage_table(path, "note")
    before = path.read_bytes()
    open_database(path, check_later=True)  # found nothing yet: it has not looked
    assert open_start_check().damage is None
    with pytest.raises(DatabaseError, match=REFUSED_BEFORE_CHECK):
        save_client(ClientForm(first_name="Not to be written"))
    assert "malformed" in str(open_start_check().damage)
    assert path.read_bytes() == before


def test_a_write_on_a_good_file_runs_the_check_first_and_is_saved(studio):
    path, _folder = studio
    open_database(path, check_later=True)
    check = open_start_check()
    save_client(ClientForm(first_name="Saved after the check"))
    assert check.passed and check.run() and check.damage is None
    assert Client.select().where(Client.first_name == "Saved after the check").count() == 1
