"""Every copy of client data is the owner's alone: files 0600, folders 0700, whatever the
umask. Nothing that exists is tightened behind the owner's back: an export they made
readable for a calendar app stays so when it is rewritten, and a database that others
can read is reported (`others_can_read`), not changed."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

OWNER_FILE = 0o600
OWNER_FOLDER = 0o700
READABLE_BY_OTHERS = stat.S_IRGRP | stat.S_IROTH


def permissions(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@contextmanager
def replacing(target: Path, mode: str = "w") -> Iterator[IO]:
    """A file to write `target` into, whole or not at all: a partial file beside it that
    takes its place once written (and is removed if writing fails). A new target is the
    owner's alone; an existing one keeps its permissions. The partial file's name is new
    each time (".clients.vcf.x8k2f.partial"): a fixed one deleted whatever bore it, a file
    of the owner's or the database itself when it was so named."""
    try:
        kept = permissions(target)
    except FileNotFoundError:
        kept = OWNER_FILE
    text = {} if "b" in mode else {"encoding": "utf-8", "newline": ""}
    # Made by mkstemp: a name no file had, 0600, opened exclusively.
    descriptor, name = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".partial", dir=target.parent
    )
    partial = Path(name)
    try:
        with os.fdopen(descriptor, mode, **text) as out:
            os.fchmod(out.fileno(), kept)  # exactly, whatever the umask
            yield out
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def new_private_file(path: Path) -> None:
    """Create `path` empty and the owner's alone, whatever the umask, for a program (SQLite)
    to fill; an existing file is emptied and made so."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, OWNER_FILE)
    try:
        os.fchmod(descriptor, OWNER_FILE)
    finally:
        os.close(descriptor)


def make_private_folder(folder: Path) -> None:
    """Create `folder` and its missing parents, each the owner's alone (0700, whatever the
    umask); folders that exist are left as they are."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        try:
            path.mkdir(mode=OWNER_FOLDER)
        except FileExistsError:  # made meanwhile by another process
            continue
        os.chmod(path, OWNER_FOLDER)


def others_can_read(database: Path) -> str | None:
    """A sentence when other users of this computer can read the database file, else None."""
    try:
        mode = permissions(database)
    except OSError:
        return None
    if not mode & READABLE_BY_OTHERS:
        return None
    return (
        f"Other users of this computer can read {database} (its permissions are "
        f"{mode:o}): your clients' data is not yours alone. Rapport leaves it as it is; "
        f"to keep it to yourself, run: chmod 600 '{database}'"
    )
