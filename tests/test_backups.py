"""Backups: verified copies, owner-only, thinned to 7 daily, 4 weekly and 12 monthly."""

from __future__ import annotations

import os
import sqlite3
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from models.clients.saving import save_client
from models.forms.dialog_forms import ClientForm
from models.store.backups import (
    BackupError,
    backup_due,
    backups_to_keep,
    copy_database,
    list_backups,
    make_backup,
    newest_good_backup,
    remove_backup,
    restore_backup,
    thin_backups,
)
from models.store.entities import Client
from models.store.migrations import SCHEMA_VERSION

NOW = datetime(2026, 11, 25, 18, 30, tzinfo=UTC)


def names_in(path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [name for (name,) in conn.execute("SELECT first_name FROM client ORDER BY id")]
    finally:
        conn.close()


def test_a_backup_is_a_verified_owner_only_copy(database, tmp_path):
    save_client(ClientForm(first_name="Anna"))
    save_client(ClientForm(first_name="Zoë"))
    folder = tmp_path / "backups"
    backup = make_backup(tmp_path / "rapport.sqlite", folder, NOW)
    assert backup.path.name == "rapport-20261125-183000.backup.sqlite"
    assert names_in(backup.path) == ["Anna", "Zoë"]  # including what is still in the WAL
    assert stat.S_IMODE(backup.path.stat().st_mode) == 0o600
    assert list_backups(folder) == [backup]
    assert [path.name for path in folder.iterdir()] == [backup.path.name]  # no -wal, -shm


def test_a_damaged_database_gives_a_clear_error_and_no_backup(tmp_path):
    broken = tmp_path / "rapport.sqlite"
    broken.write_bytes(b"SQLite format 3\x00" + b"\x00" * 84 + b"garbage" * 200)
    folder = tmp_path / "backups"
    with pytest.raises(BackupError, match="could not back up"):
        make_backup(broken, folder, NOW)
    assert list(folder.iterdir()) == []


def test_thinning_keeps_7_daily_4_weekly_and_12_monthly():
    # Two backups a day for 500 days, the newest first.
    taken = [NOW - timedelta(hours=12 * n) for n in range(1000)]
    kept = backups_to_keep(taken)
    assert NOW in kept
    days = sorted({moment.date() for moment in kept}, reverse=True)
    assert days[:7] == [NOW.date() - timedelta(days=n) for n in range(7)]
    assert all(max(m for m in taken if m.date() == day) in kept for day in days)
    months = {(m.year, m.month) for m in kept}
    assert len(months) == 12
    assert len(kept) <= 7 + 4 + 12
    assert backups_to_keep([]) == set()


def test_thin_backups_deletes_the_rest_and_backup_due_looks_at_the_newest(database, tmp_path):
    folder = tmp_path / "backups"
    for days in range(10):
        make_backup(tmp_path / "rapport.sqlite", folder, NOW - timedelta(days=days))
    removed = thin_backups(folder, NOW)
    # Ten days back from Wed 25 Nov: the 7 newest days are kept; the week before (16-22
    # Nov) and the month already have their newest among them.
    assert sorted(path.name[8:16] for path in removed) == ["20261116", "20261117", "20261118"]
    assert len(list_backups(folder)) == 7
    assert not backup_due(folder, NOW + timedelta(hours=23))
    assert backup_due(folder, NOW + timedelta(hours=24))
    assert backup_due(tmp_path / "none", NOW)


def test_a_restore_brings_the_data_back_and_can_itself_be_undone(database, tmp_path):
    path, folder = tmp_path / "rapport.sqlite", tmp_path / "backups"
    save_client(ClientForm(first_name="Anna"))
    old = make_backup(path, folder, NOW)
    save_client(ClientForm(first_name="Ben"))
    safety = restore_backup(old.path, path, folder, NOW + timedelta(hours=1))
    assert names_in(path) == ["Anna"]
    assert [c.first_name for c in Client.select()] == ["Anna"]  # the open connection too
    assert database.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert names_in(safety.path) == ["Anna", "Ben"]
    restore_backup(safety.path, path, folder, NOW + timedelta(hours=2))
    assert names_in(path) == ["Anna", "Ben"]


def test_a_damaged_backup_is_refused_and_nothing_changes(database, tmp_path):
    path = tmp_path / "rapport.sqlite"
    save_client(ClientForm(first_name="Anna"))
    bad = tmp_path / "rapport-20261101-000000.backup.sqlite"
    bad.write_bytes(b"not a database")
    with pytest.raises(BackupError, match="cannot be used"):
        restore_backup(bad, path, tmp_path / "backups", NOW)
    assert names_in(path) == ["Anna"]
    assert not (tmp_path / "backups").exists()


def newer_and_foreign(path, folder) -> dict[str, Path]:
    """A backup left by a newer Rapport (after going back a version), and another
    program's SQLite file named like a backup: each newer than the last good backup."""
    folder.mkdir(exist_ok=True)
    newer = folder / "rapport-20261124-000000.backup.sqlite"
    copy_database(path, newer)
    conn = sqlite3.connect(newer)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    foreign = folder / "rapport-20261125-000000.backup.sqlite"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY)")
    conn.close()
    return {"newer version": newer, "another program": foreign}


def test_a_backup_this_rapport_cannot_open_is_neither_restored_nor_offered(database, tmp_path):
    """As found: both passed the quick check and were put in place: the next start said
    "written by a newer version" (the owner locked out), or the window read no table."""
    path, folder = tmp_path / "rapport.sqlite", tmp_path / "backups"
    save_client(ClientForm(first_name="Anna"))
    good = make_backup(path, folder, NOW - timedelta(days=2))
    refused = newer_and_foreign(path, folder)
    save_client(ClientForm(first_name="Ben"))
    said = {"newer version": "newer version of Rapport", "another program": "another program"}
    for what, backup in refused.items():
        with pytest.raises(BackupError, match=said[what]):
            restore_backup(backup, path, folder, NOW)
    assert names_in(path) == ["Anna", "Ben"]
    assert [b.path for b in list_backups(folder)] == [*reversed(refused.values()), good.path]
    assert newest_good_backup(folder) == good


def test_two_backups_in_the_same_second_are_both_kept(database, tmp_path):
    folder = tmp_path / "backups"
    first = make_backup(tmp_path / "rapport.sqlite", folder, NOW)
    second = make_backup(tmp_path / "rapport.sqlite", folder, NOW)
    assert second.taken_at == NOW + timedelta(seconds=1)
    assert {b.path for b in list_backups(folder)} == {first.path, second.path}


# Thinning never deletes what it should keep.


def test_a_restore_s_safety_copy_outlives_thinning_until_removed(database, tmp_path):
    # (a) Restoring and quitting the same day deleted the copy made before the restore.
    path, folder = tmp_path / "rapport.sqlite", tmp_path / "backups"
    save_client(ClientForm(first_name="Anna"))
    old = make_backup(path, folder, NOW - timedelta(days=1))
    save_client(ClientForm(first_name="Ben"))
    safety = restore_backup(old.path, path, folder, NOW)
    at_quit = make_backup(path, folder, NOW + timedelta(hours=2))
    thin_backups(folder, NOW + timedelta(hours=2), at_quit)
    assert safety.path.exists() and names_in(safety.path) == ["Anna", "Ben"]
    listed = {backup.path: backup for backup in list_backups(folder)}
    assert listed[safety.path].before_restore and not listed[at_quit.path].before_restore
    for days in range(1, 60):  # thinning for two months leaves it where it is
        later = make_backup(path, folder, NOW + timedelta(days=days))
        thin_backups(folder, later.taken_at, later)
    assert safety.path.exists()
    remove_backup(listed[safety.path])
    assert safety.path not in {backup.path for backup in list_backups(folder)}


def test_a_backup_from_a_clock_that_ran_ahead_does_not_delete_each_new_one(database, tmp_path):
    # (b) Once the clock was 3 h ahead, each new backup was deleted right after it was made.
    path, folder = tmp_path / "rapport.sqlite", tmp_path / "backups"
    ahead = make_backup(path, folder, NOW + timedelta(hours=3))
    made = make_backup(path, folder, NOW + timedelta(minutes=5))
    thin_backups(folder, NOW + timedelta(minutes=5), made)
    assert made.path.exists() and ahead.path.exists()
    newer = make_backup(path, folder, NOW + timedelta(minutes=30))
    thin_backups(folder, NOW + timedelta(minutes=30), newer)
    assert newer.path.exists()
    only_ahead = tmp_path / "only ahead"
    make_backup(path, only_ahead, NOW + timedelta(days=365))
    assert backup_due(only_ahead, NOW)  # when it was really made is unknown: back up


@pytest.mark.parametrize("set_back", [timedelta(days=55), timedelta(days=3650)])
def test_a_clock_set_back_thins_no_backup_made_before(database, tmp_path, set_back):
    """As found: the clock set back (a flat battery, a date typed wrong), every backup
    stamped later counted as made now, all in one day: one was kept of a year's 20."""
    path, folder = tmp_path / "rapport.sqlite", tmp_path / "backups"
    for days in range(365, -1, -1):  # a year of daily backups, thinned as the app does
        made = make_backup(path, folder, NOW - timedelta(days=days))
        thin_backups(folder, made.taken_at, made)
    before = {backup.path for backup in list_backups(folder)}
    assert len(before) == 20  # 7 days, then the weeks' and months' newest
    back = NOW - set_back
    made = make_backup(path, folder, back)
    assert thin_backups(folder, back, made) == []
    assert {backup.path for backup in list_backups(folder)} == before | {made.path}
    for days in range(1, 30):  # a month at the wrong date: its own backups thinned alone
        made = make_backup(path, folder, back + timedelta(days=days))
        thin_backups(folder, made.taken_at, made)
    assert before <= {backup.path for backup in list_backups(folder)}
    assert len(list_backups(folder)) < len(before) + 30


def test_the_backups_folder_is_the_owner_s_alone(database, tmp_path):
    folder = tmp_path / "data" / "backups" / "clients-ef083b50"
    umask = os.umask(0o022)  # the usual one: folders made 0755 unless made private
    try:
        make_backup(tmp_path / "rapport.sqlite", folder, NOW)
    finally:
        os.umask(umask)
    for made in (folder, folder.parent, folder.parent.parent):
        assert stat.S_IMODE(made.stat().st_mode) == 0o700, made


def test_a_damaged_file_named_like_a_later_backup_does_not_replace_good_ones(database, tmp_path):
    # (c) A damaged file named like the day's newest backup made the good ones vanish.
    path, folder = tmp_path / "rapport.sqlite", tmp_path / "backups"
    save_client(ClientForm(first_name="Anna"))
    yesterday = NOW - timedelta(days=1)
    make_backup(path, folder, yesterday - timedelta(hours=8))
    good = make_backup(path, folder, yesterday - timedelta(hours=6))
    (folder / "rapport-20261124-230000.backup.sqlite").write_bytes(b"SQLite format 3\x00" * 99)
    made = make_backup(path, folder, NOW)
    thin_backups(folder, NOW, made)
    assert good.path.exists() and names_in(good.path) == ["Anna"]
    assert [backup.path for backup in list_backups(folder)] == [made.path, good.path]
