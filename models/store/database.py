"""Opening a Rapport database file safely.

A file is only ever written after it has been checked: it must be missing, empty,
or an SQLite database of a schema version this app understands. Anything else is
refused with a `DatabaseOpenError` whose message tells the user what to do, and
the file is left byte-identical.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from operator import call, is_
from pathlib import Path

from peewee import SQL, DatabaseProxy, Model, ModelSelect, OperationalError, SqliteDatabase
from peewee import DatabaseError as PeeweeDatabaseError

from models.store.fields import stored_local_day
from models.store.private_files import make_private_folder
from models.values.folding import fold, marked_prefix

SQLITE_HEADER = b"SQLite format 3\x00"

# Marks a file as Rapport's ("Rapp"), so that another program's SQLite file is refused.
APPLICATION_ID = 0x52617070

# How long a write waits for another connection's lock before giving up.
BUSY_TIMEOUT_SECONDS = 5.0
# ...and a save on the window's thread, which must not freeze the window that long.
BRIEF_WAIT_SECONDS = 0.5

# Every connection gets these, including the ones worker threads open later.
PRAGMAS = {"foreign_keys": 1, "journal_mode": "wal", "synchronous": 1}
READ_ONLY_PRAGMAS = {"foreign_keys": 1}  # the journal mode is the writer's to set

db = DatabaseProxy()


def read_text(raw: bytes) -> str:
    """Text as SQLite stored it. Text that is not valid UTF-8 (written by another program,
    or a damaged page that still passes the integrity check) reads with U+FFFD in place of
    the bad bytes: one bad byte must not make a client unreadable or stop an export."""
    return raw.decode("utf-8", "replace")


def read_rows(sql: str, params: tuple | list = ()) -> list[tuple]:
    """Every row of a query that only reads, straight from the cursor. Its text is read as
    SQLite's own str, three times faster than read_text (a window of reminders reads over
    100,000 texts); only a query that meets text that is not valid UTF-8 is read again
    with the connection's own text factory (read_text)."""
    conn = db.connection()
    own = conn.text_factory
    conn.text_factory = str
    try:
        # Python 3.11+ decodes as the rows are fetched: the error comes from fetchall(),
        # as sqlite3's own, not wrapped by peewee.
        return db.execute_sql(sql, params).fetchall()
    except sqlite3.OperationalError as error:
        if "decode" not in str(error) or own is str:
            raise
    finally:
        conn.text_factory = own
    return db.execute_sql(sql, params).fetchall()


def read_models(query: ModelSelect) -> list[Model]:
    """The instances of a select of one model's whole rows (`Model.select()...`), made
    straight from the cursor (read_rows) with each field's own conversion: peewee sets
    each value through the field's descriptor and marks it changed, which for a client of
    2,000 history items costs more than reading them (tests/test_read_models.py compares
    the instances with peewee's own)."""
    model = query.model
    fields = model._meta.sorted_fields
    # By identity: a field's == makes an SQL expression, which is always true.
    selected = query._returning
    if len(selected) != len(fields) or not all(map(is_, selected, fields)):
        raise ValueError("read_models reads whole rows of one model, as Model.select() does")
    names, converters = [f.name for f in fields], [f.python_value for f in fields]
    made = []
    for row in read_rows(*query.sql()):
        instance = model(__no_default__=True)  # nothing set, nothing marked changed
        values = map(call, converters, row)
        instance.__data__ = dict(zip(names, values, strict=True))
        made.append(instance)
    return made


def one_of(values: Iterable[int | str]) -> SQL:
    """The values for `column.in_(...)` as one parameter, a JSON array SQLite's json_each
    reads: not one parameter each, so no limit on their number to work around in chunks,
    and no query node per value for peewee to build (a thousand ids cost it 5 ms). For ids
    and keys Rapport makes: json_each ends a text at an escaped NUL character."""
    return SQL("(SELECT value FROM json_each(?))", [json.dumps(list(values))])


# What SQLite's authorizer sees of a statement that would change the file.
_WRITES = frozenset(
    getattr(sqlite3, name)
    for name in dir(sqlite3)
    if name.startswith(("SQLITE_CREATE_", "SQLITE_DROP_"))
    or name
    in (
        "SQLITE_INSERT",
        "SQLITE_UPDATE",
        "SQLITE_DELETE",
        "SQLITE_ALTER_TABLE",
        "SQLITE_REINDEX",
        "SQLITE_ANALYZE",
    )
)
REFUSED_BEFORE_CHECK = "not authorized"  # SQLite's words for a statement the gate refused


class StartCheck:
    """The bounded integrity check of a normal start, run once: by a worker just after the
    window is first painted, or by the first write that comes before that (which waits for
    it). Until it has passed, nothing is written."""

    def __init__(self, path: Path, within: float):
        self._path, self._within = path, within
        self._lock = threading.Lock()  # a second caller waits for the first one's verdict
        self._done = False
        self.damage: DatabaseOpenError | None = None

    def run(self) -> bool:
        """Check now, unless that was done already, on any thread: whether it passed."""
        with self._lock:
            if not self._done:
                try:
                    check_integrity(self._path, self._within)
                except DatabaseOpenError as error:
                    self.damage = error
                self._done = True
        return self.damage is None

    @property
    def passed(self) -> bool:
        """It ran and found no damage (without waiting for it, nor running it)."""
        return self._done and self.damage is None


class RapportDatabase(SqliteDatabase):
    """peewee's SQLite database, reading damaged text and reporting a full disk truly;
    with a `start_check`, every connection's writes wait for its verdict."""

    file_path: Path  # set by connect()
    start_check: StartCheck | None = None

    def _add_conn_hooks(self, conn: sqlite3.Connection) -> None:
        super()._add_conn_hooks(conn)
        conn.text_factory = read_text
        if self.start_check is not None and not self.start_check.passed:
            conn.set_authorizer(self._writes_after_the_check)  # (worker threads' too)

    def _writes_after_the_check(self, action: int, table, _b, schema, _c) -> int:
        """SQLite asks before preparing each part of a statement: a write to the file
        waits for the start's check, and is refused (REFUSED_BEFORE_CHECK) if it found
        damage. Temp tables are no part of the file; SQLite's own updates of its schema
        table come with a CREATE, DROP or ALTER, asked about on their own."""
        if (
            action not in _WRITES
            or schema == "temp"
            or str(table).startswith(("sqlite_master", "sqlite_temp_master"))
            or self.start_check.run()
        ):
            return sqlite3.SQLITE_OK
        return sqlite3.SQLITE_DENY

    def rollback(self) -> None:
        # SQLite ends the transaction itself when COMMIT (or a write) fails on a full
        # disk; peewee's ROLLBACK then fails with "cannot rollback - no transaction is
        # active", and that error would replace the one the owner must see.
        if self.is_closed() or self.connection().in_transaction:
            super().rollback()


def open_database_path() -> Path:
    """The file of the database the models are bound to."""
    return db.obj.file_path


def open_start_check() -> StartCheck | None:
    """The start check of the database the models are bound to, if it has one."""
    return None if db.obj is None else db.obj.start_check


class BaseModel(Model):
    class Meta:
        database = db
        legacy_table_names = False


class DatabaseOpenError(Exception):
    """The database cannot be opened; the message is meant for the user."""

    @property
    def damaged(self) -> bool:
        """The file itself is damaged (a backup may help), not locked or refused."""
        return is_damage(self.__cause__)


def is_damage(error: BaseException | None) -> bool:
    text = str(error).lower()
    return error is not None and any(
        sign in text for sign in ("malformed", "not a database", "corrupt")
    )


def check_file_is_usable(path: Path) -> None:
    """Raise DatabaseOpenError unless `path` is missing, empty or an SQLite file."""
    if path.is_dir():
        raise DatabaseOpenError(
            f"{path} is a folder, not a database file. Choose a file name instead."
        )
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        with path.open("rb") as f:
            header = f.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise DatabaseOpenError(
            f"Rapport cannot read {path} ({exc.strerror}). Check the file's permissions."
        ) from exc
    if header != SQLITE_HEADER:
        raise DatabaseOpenError(
            f"{path} is not a Rapport database (it is not an SQLite file). "
            "It was left untouched; choose another file or start with a new one."
        )


def check_integrity(path: Path, within: float | None = None) -> bool:
    """SQLite's quick_check, read-only: raise DatabaseOpenError for a damaged file (whose
    damage may not show until the damaged page is read, weeks later). With `within`
    (seconds), stop checking then, so that a normal start stays quick on a large file;
    whether the whole file was checked."""
    if not path.exists() or path.stat().st_size == 0:
        return True
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True)
        # SQLite checks for an interrupt between pages, where a progress handler would only
        # run once the whole check is over.
        checked = threading.Event()
        watch = threading.Thread(target=_interrupt_after, args=(conn, within, checked))
        try:
            if within is not None:
                watch.start()
            problems = [row[0] for row in conn.execute("PRAGMA quick_check(3)")]
        finally:
            checked.set()
            if watch.is_alive():
                watch.join()  # never interrupt a closed connection
            conn.close()
        if problems != ["ok"]:
            raise sqlite3.DatabaseError(f"database disk image is malformed: {problems[0]}")
    except sqlite3.OperationalError as exc:
        if within is not None and "interrupted" in str(exc):
            return False  # no damage in the part it had time for
        raise DatabaseOpenError(explain(exc, path)) from exc
    except sqlite3.DatabaseError as exc:
        raise DatabaseOpenError(explain(exc, path)) from exc
    return True


def _interrupt_after(conn: sqlite3.Connection, seconds: float, done: threading.Event) -> None:
    """Interrupt `conn` once `seconds` have passed, unless `done` is set first. It looks
    every few milliseconds rather than waiting on `done` with a timeout: under libfaketime
    (CI's far-date run) a timed wait never times out."""
    deadline = time.monotonic() + seconds
    while not done.is_set():
        if time.monotonic() >= deadline:
            conn.interrupt()
            return
        time.sleep(0.005)


def read_only_uri(path: Path) -> str:
    """A URI that opens `path` for reading only, leaving no -wal or -shm file beside it:
    without a -wal file (no one writes it now, no commit waits in one) SQLite may take
    the file as unchanging; with one, it must read it."""
    wal = Path(f"{path}-wal")
    return f"{path.as_uri()}?mode=ro" + ("" if wal.exists() else "&immutable=1")


def read_only_reason(path: Path) -> str | None:
    """Why Rapport can only read the database at `path` ("the file is read-only"), or
    None when it may write (or the file does not exist yet)."""
    if not path.is_file():
        return None
    if not os.access(path, os.W_OK):
        return "the file is read-only"
    if not os.access(path.parent, os.W_OK):  # where SQLite writes its -wal and -shm files
        return "its folder is read-only"
    return None


def read_schema_version(path: Path) -> int:
    """The file's schema version, read without writing anything (0 for a new file).

    Raises DatabaseOpenError for an SQLite file that belongs to another program.
    """
    if not path.exists() or path.stat().st_size == 0:
        return 0
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            application_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            has_tables = conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0] > 0
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise DatabaseOpenError(explain(exc, path)) from exc
    if application_id != APPLICATION_ID and (version or has_tables):
        raise DatabaseOpenError(
            f"{path} is an SQLite database of another program, not a Rapport database. "
            "It was left untouched; choose another file or start with a new one."
        )
    return version


def explain(error: Exception, path: Path) -> str:
    """What went wrong with the database file, and what the user can do about it."""
    return what_went_wrong(error, path) or f"Rapport could not open {path}: {error}"


# Less room than this left: a failed write is taken for a full disk. (With a few kilobytes
# left, SQLite cannot even size its shared-memory file and says "disk I/O error".)
NEARLY_FULL_BYTES = 1 << 20


def _nearly_full(path: Path) -> bool:
    try:
        return shutil.disk_usage(path.parent).free < NEARLY_FULL_BYTES
    except OSError:
        return False


def what_went_wrong(error: BaseException, path: Path) -> str | None:
    """A database error the user can act on (locked, full disk, not writable, damaged) in
    words, or None for any other error."""
    if not isinstance(error, sqlite3.Error | PeeweeDatabaseError):
        return None
    text = str(error).lower()
    if "locked" in text or "busy" in text:
        return (
            f"{path} is in use by another program (is Rapport already open?). "
            "Close it and try again; nothing was changed."
        )
    if "full" in text or ("disk i/o error" in text and _nearly_full(path)):
        return f"The disk holding {path} is full. Free some space and try again."
    if "readonly" in text or "read-only" in text or "permission" in text:
        return f"Rapport may not write to {path}. Check the file's and folder's permissions."
    if is_damage(error):
        return (
            f"{path} is damaged ({error}). It was left as it is; restore a backup "
            "(Rapport keeps one beside the file before every upgrade) or start a new database."
        )
    return None


OWNER_ONLY = 0o600


def connect(
    path: Path, read_only: bool = False, start_check: StartCheck | None = None
) -> RapportDatabase:
    """Open `path` (creating its folder) and bind the models to it; `read_only`: for
    reading only, by SQLite itself, so that no write can even begin; `start_check`: no
    write before it has passed."""
    try:
        make_private_folder(path.parent)
        # A new database is the owner's alone; SQLite gives its -wal and -shm files the
        # same mode.
        if not path.exists():
            path.touch(mode=OWNER_ONLY)
    except OSError as exc:
        raise DatabaseOpenError(
            f"Rapport cannot create {path} ({exc.strerror}). Check the folder's permissions."
        ) from exc
    # Transactions begin IMMEDIATE, taking the write lock at once: a transaction that
    # read first would fail at its first write with "database is locked", without waiting,
    # whenever a worker thread wrote in between (SQLite cannot upgrade a stale snapshot).
    database = RapportDatabase(
        read_only_uri(path) if read_only else str(path),
        uri=read_only,
        pragmas=READ_ONLY_PRAGMAS if read_only else PRAGMAS,
        check_same_thread=False,
        timeout=BUSY_TIMEOUT_SECONDS,
        lock_type="IMMEDIATE",
    )
    database.file_path = path  # its `database` is a URI when opened read-only
    database.start_check = start_check
    # Every connection gets it, like the pragmas: searches compare folded text.
    database.register_function(fold, "fold", 1, deterministic=True)
    # The search's first page looks clients up in the index with it (search_index.probe_sql).
    database.register_function(marked_prefix, "marked_prefix", 2, deterministic=True)
    # Local days (models/reminders/contact_rhythm.py): SQLite's own 'localtime' knows only the
    # process's zone, and nothing of the zone a rule is asked about.
    database.register_function(stored_local_day, "local_date", 2, deterministic=True)
    try:
        database.connect()
    except Exception as exc:
        raise DatabaseOpenError(explain(exc, path)) from exc
    db.initialize(database)
    return database


class DatabaseBusy(Exception):
    """Another program holds the database's write lock; the message is meant for the user."""


@contextmanager
def brief_wait_for_writes() -> Iterator[None]:
    """For a save on the window's thread: wait at most BRIEF_WAIT_SECONDS for another
    program's write lock (an import on the command line holds it for minutes), then raise
    DatabaseBusy. Only this thread's connection waits less, and only inside the block."""
    [(before,)] = db.execute_sql("PRAGMA busy_timeout").fetchall()
    _set_busy_timeout(BRIEF_WAIT_SECONDS)
    try:
        yield
    except OperationalError as error:
        if not is_busy(error):
            raise
        raise DatabaseBusy(
            "Another program (an import, perhaps) is writing to the database right now, so "
            "nothing was saved yet. What you typed is still here: try Save again in a moment."
        ) from error
    finally:
        _set_busy_timeout(before / 1000)


def wait_briefly_for_writes() -> None:
    """For good, on this thread (the window's): a write waits at most BRIEF_WAIT_SECONDS for
    another connection's lock, so that a click never freezes the window for the 5 s an
    import may hold it; the write fails (see is_busy) and the window says why."""
    _set_busy_timeout(BRIEF_WAIT_SECONDS)


def _set_busy_timeout(seconds: float) -> None:
    db.execute_sql(f"PRAGMA busy_timeout = {round(seconds * 1000)}")


def is_busy(error: BaseException) -> bool:
    """SQLITE_BUSY or SQLITE_LOCKED, extended codes included (peewee keeps sqlite3's
    error as `orig`): another connection holds the lock."""
    code = getattr(getattr(error, "orig", error), "sqlite_errorcode", None)
    return code is not None and (code & 0xFF) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
