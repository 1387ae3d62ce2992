"""Verified backups of the database, thinned to 7 daily, 4 weekly and 12 monthly.

A backup is written with SQLite's online backup API (consistent while Rapport runs),
checked with `PRAGMA quick_check`, and only then given its final name. Files are readable
by the owner only. Thinning keeps the backup just made, every copy made before a restore
(until the owner removes it), and chooses each period's backup among those that still pass
their check: a file damaged later, or put there under a backup's name, never displaces a
good one.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from models.store.database import (
    DatabaseOpenError,
    is_damage,
    read_only_uri,
    read_schema_version,
)
from models.store.private_files import make_private_folder

PREFIX = "rapport-"
STAMP = "%Y%m%d-%H%M%S"
SUFFIX = ".backup.sqlite"
BEFORE_RESTORE = ".before-restore"  # marks the copy made before a restore: kept until removed
KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 7, 4, 12
OWNER_ONLY = 0o600


class BackupError(Exception):
    """A backup could not be made or used; the message says what to do."""


class DatabaseDamaged(BackupError):
    """The database itself is damaged: no backup can be made of it."""


@dataclass(frozen=True)
class Backup:
    path: Path
    taken_at: datetime  # UTC
    before_restore: bool = False  # the data as it was before a restore: never thinned

    @property
    def size(self) -> int:
        return self.path.stat().st_size


def backup_name(taken_at: datetime, before_restore: bool = False) -> str:
    mark = BEFORE_RESTORE if before_restore else ""
    return f"{PREFIX}{taken_at.astimezone(UTC):{STAMP}}{mark}{SUFFIX}"


def list_backups(folder: Path) -> list[Backup]:
    """The backups in `folder`, newest first."""
    backups = []
    for path in folder.glob(f"{PREFIX}*{SUFFIX}"):
        stamp = path.name.removeprefix(PREFIX).removesuffix(SUFFIX)
        before_restore = stamp.endswith(BEFORE_RESTORE)
        try:
            taken_at = datetime.strptime(stamp.removesuffix(BEFORE_RESTORE), STAMP)
        except ValueError:
            continue  # not one of ours
        backups.append(Backup(path, taken_at.replace(tzinfo=UTC), before_restore))
    return sorted(backups, key=lambda backup: backup.taken_at, reverse=True)


def make_backup(
    database: Path, folder: Path, now: datetime, before_restore: bool = False
) -> Backup:
    """Copy `database` into `folder`, verified; raise BackupError if that fails."""
    while (folder / backup_name(now, before_restore)).exists():  # never overwrite one
        now += timedelta(seconds=1)
    target = folder / backup_name(now, before_restore)
    partial = target.with_name(target.name + ".partial")
    try:
        make_private_folder(folder)  # names and stamps are the owner's business too
        _copy(database, partial)
        _verify(partial)
        os.replace(partial, target)
    except (OSError, sqlite3.Error) as error:
        with contextlib.suppress(OSError):  # the folder itself may be the problem
            partial.unlink(missing_ok=True)
        if is_damage(error):
            raise DatabaseDamaged(
                f"Rapport could not back up {database}: the database is damaged ({error}). "
                "Restore its newest good backup (Settings, Backups); the damaged file is "
                "kept beside it."
            ) from error
        raise BackupError(
            f"Rapport could not back up {database} into {folder} ({error}). "
            "Check that the folder is writable and the disk has room."
        ) from error
    return Backup(target, now, before_restore)


def copy_database(source: Path, target: Path) -> None:
    """Copy `source` into `target` with SQLite's online backup API: a consistent copy,
    even while Rapport writes; `source` is only read."""
    reader = sqlite3.connect(read_only_uri(source), uri=True)
    try:
        writer = sqlite3.connect(target)
        try:
            reader.backup(writer)
        finally:
            writer.close()
    finally:
        reader.close()


def _copy(source: Path, target: Path) -> None:
    target.unlink(missing_ok=True)
    target.touch(mode=OWNER_ONLY)
    copy_database(source, target)
    # One self-contained file: the copy would otherwise inherit WAL mode and leave -wal
    # and -shm files beside it once read.
    conn = sqlite3.connect(target)
    try:
        conn.execute("PRAGMA journal_mode = DELETE")
    finally:
        conn.close()


def passes_check(path: Path) -> bool:
    """Whether the backup at `path` is a whole SQLite database; each version of a file is
    checked once (the check reads every page)."""
    try:
        stat = path.stat()
    except OSError:
        return False
    return _passes_check(path, stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=256)
def _passes_check(path: Path, _size: int, _modified_ns: int) -> bool:
    try:
        _verify(path)
    except sqlite3.Error:
        return False
    return True


def _verify(path: Path) -> None:
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        result = conn.execute("PRAGMA quick_check").fetchone()[0]
    finally:
        conn.close()
    if result != "ok":
        raise sqlite3.DatabaseError(f"database disk image is malformed: {result}")


def backups_to_keep(taken: list[datetime], now: datetime | None = None) -> set[datetime]:
    """The newest backup of each of the last 7 days, 4 weeks and 12 months that have one,
    and every backup stamped later than `now`.

    A stamp later than `now` was written while the clock ran ahead, or the clock has been
    set back since (a flat battery, a date typed wrong): it must not stand for a day still
    to come and push today's backups out, nor be thinned away. Counted as `now`, a year of
    them fell into one day and one was kept; they are kept until the clock passes them."""
    later = {moment for moment in taken if now is not None and moment > now}
    newest_first = sorted(set(taken) - later, reverse=True)
    keep = set(later)
    for period, count in ((_day, KEEP_DAILY), (_week, KEEP_WEEKLY), (_month, KEEP_MONTHLY)):
        newest_per_period: dict[object, datetime] = {}
        for moment in newest_first:
            newest_per_period.setdefault(period(moment), moment)
        keep.update(list(newest_per_period.values())[:count])
    return keep


def _day(moment: datetime) -> date:
    return moment.date()


def _week(moment: datetime) -> tuple[int, int]:
    return moment.isocalendar()[:2]


def _month(moment: datetime) -> tuple[int, int]:
    return moment.year, moment.month


def thin_backups(folder: Path, now: datetime, made: Backup | None = None) -> list[Path]:
    """Delete the backups that are not kept; the paths deleted.

    Kept: `made` (the backup just made), the copies made before a restore, and each
    period's newest backup among those that pass their check; the rest goes, damaged files
    named like backups included."""
    rotating = [backup for backup in list_backups(folder) if not backup.before_restore]
    good = [backup for backup in rotating if _is(backup, made) or passes_check(backup.path)]
    keep = backups_to_keep([backup.taken_at for backup in good], now)
    kept = {backup.path for backup in good if backup.taken_at in keep}
    removed = [b.path for b in rotating if b.path not in kept and not _is(b, made)]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def _is(backup: Backup, made: Backup | None) -> bool:
    return made is not None and backup.path == made.path


def remove_backup(backup: Backup) -> None:
    """Delete a backup the owner no longer wants (a copy made before a restore)."""
    try:
        backup.path.unlink(missing_ok=True)
    except OSError as error:
        raise BackupError(
            f"Rapport could not remove {backup.path} ({error.strerror}). "
            "Check that the folder is writable."
        ) from error


def backup_due(folder: Path, now: datetime, every: timedelta = timedelta(days=1)) -> bool:
    """Whether the newest daily backup is older than `every` (or there is none). A backup
    stamped later than `now` was made while the clock ran ahead: when is unknown, so it
    does not count."""
    return not any(
        now - every < backup.taken_at <= now
        for backup in list_backups(folder)
        if not backup.before_restore
    )


def restore_backup(backup: Path, database: Path, folder: Path, now: datetime) -> Backup:
    """Put the backup's data into `database`, after backing the current data up (the
    backup returned), so that a restore can itself be undone. The caller reopens the
    database afterwards; connections elsewhere see the restored data. DatabaseDamaged
    when the current data cannot be backed up: then set the file aside instead
    (replace_damaged); nothing was changed."""
    problem = restore_problem(backup)
    if problem:
        raise BackupError(f"{problem} Choose another one.")
    safety = make_backup(database, folder, now, before_restore=True)
    try:
        copy_database(backup, database)
    except sqlite3.Error as error:
        raise BackupError(
            f"Rapport could not restore {backup.name} ({error}). Your data is unchanged "
            f"or in the backup {safety.path.name}; close other programs using it and retry."
        ) from error
    return safety


def newest_good_backup(folder: Path) -> Backup | None:
    """The newest backup that passes its check and this Rapport can open, if any."""
    return next((b for b in list_backups(folder) if restore_problem(b.path) is None), None)


def restore_problem(backup: Path) -> str | None:
    """Why `backup` cannot take the database's place (a sentence), or None: it must be a
    whole Rapport database of a schema this Rapport reads. A newer one (left by a newer
    version, after going back to this one) put in place locked the owner out of their
    data; another program's left the window reading tables that are not there."""
    # Here: migrations imports this module (for the backup put in place of damage).
    from models.store.migrations import SCHEMA_VERSION

    try:
        _verify(backup)
        version = read_schema_version(backup)
    except sqlite3.Error as error:
        return f"The backup {backup.name} cannot be used ({error})."
    except DatabaseOpenError:
        return f"{backup.name} is an SQLite database of another program, not a Rapport backup."
    if version > SCHEMA_VERSION:
        return (
            f"The backup {backup.name} was made by a newer version of Rapport (schema "
            f"{version}; this one reads up to {SCHEMA_VERSION}): update Rapport to restore it."
        )
    if version == 0:
        return f"The backup {backup.name} holds no Rapport data."
    return None


def replace_damaged(database: Path, backup: Backup, now: datetime) -> Path:
    """Move a damaged database aside (with its -wal and -shm, so it stays as it was) and
    put the backup in its place; the damaged file's new path."""
    damaged = database.with_name(f"{database.name}.damaged-{now.astimezone(UTC):{STAMP}}")
    try:
        for suffix in ("-wal", "-shm", ""):
            source = Path(f"{database}{suffix}")
            if source.exists():
                os.replace(source, Path(f"{damaged}{suffix}"))
                os.chmod(f"{damaged}{suffix}", OWNER_ONLY)  # client data, however it was
        _copy(backup.path, database)
    except (OSError, sqlite3.Error) as error:
        raise BackupError(
            f"Rapport could not put the backup {backup.path.name} in place ({error}). "
            f"The damaged database is {damaged if damaged.exists() else database}."
        ) from error
    return damaged
