"""Where an export may not be written: over the open database or the files that keep it
whole, over any SQLite database, or among Rapport's backups. Exporting onto the database
replaced it with the export (and the window went on writing into the unlinked file);
paths are compared as they really are, through symbolic links, and files by inode,
through hard links. An export is never an SQLite file, so one it would replace is a
database or a backup: another database's than the one open (--db), or a copy the owner
keeps."""

from __future__ import annotations

import os
import stat
from pathlib import Path

# The database's companions: what each one is, in words.
COMPANIONS = {
    "": "the open Rapport database",
    "-wal": "the open database's write-ahead log (its latest changes)",
    "-shm": "the open database's shared-memory file",
    "-journal": "the open database's journal",
    ".lock": "the lock file of the open database",
}


# The first 16 bytes of every SQLite database file.
SQLITE_HEADER = b"SQLite format 3\x00"


def export_target_problem(target: Path, database: Path, backups: Path | None) -> str | None:
    """Why `target` must not be written by an export (a sentence), or None when it may.
    `backups`: the folder of Rapport's backups, every database's."""
    real = target.expanduser().resolve()
    for suffix, what in COMPANIONS.items():
        protected = Path(f"{database}{suffix}")
        if real == protected.resolve() or _same_file(target, protected):
            return (
                f"{target} is {what}: writing the export there would destroy your data. "
                "Choose another file."
            )
    if _is_database(real):
        return (
            f"{target} is an SQLite database (a Rapport database or backup, or another "
            "program's): writing the export there would destroy your data. Choose another file."
        )
    if backups is not None and real.is_relative_to(backups.resolve()):
        return (
            f"{target} is in Rapport's backups folder ({backups}), where a file could be "
            "taken for a backup or replace one. Choose a file in another folder."
        )
    return None


def _is_database(path: Path) -> bool:
    # A regular file only: reading a named pipe or a terminal waits for a writer, and this
    # runs on the window's thread.
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return False
        with path.open("rb") as file:
            return file.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:  # none there, unreadable: nothing to destroy, or the write fails
        return False


def _same_file(one: Path, other: Path) -> bool:
    """Both exist and are one file (a hard link, or a link to it)."""
    try:
        return os.path.samefile(one, other)
    except OSError:
        return False
