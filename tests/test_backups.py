"""Backups: verified copies, owner-only, thinned to 7 daily, 4 weekly and 12 monthly."""

from __future__ import annotations

import sqlite3
import stat
from datetime import UTC, datetime, timedelta

import pytest

from models.backups import (
    BackupError,
    backup_due,
    backups_to_keep,
    list_backups,
    make_backup,
    thin_backups,
)
from models.clients import save_client
from models.forms import ClientForm

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
    removed = thin_backups(folder)
    # Ten days back from Wed 25 Nov: the 7 newest days are kept; the week before (16-22
    # Nov) and the month already have their newest among them.
    assert sorted(path.name[8:16] for path in removed) == ["20261116", "20261117", "20261118"]
    assert len(list_backups(folder)) == 7
    assert not backup_due(folder, NOW + timedelta(hours=23))
    assert backup_due(folder, NOW + timedelta(hours=24))
    assert backup_due(tmp_path / "none", NOW)
