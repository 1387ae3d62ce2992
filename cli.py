"""Rapport's commands without a window: importing an address book or an archive, and
exporting the clients as vCard, their dates as iCalendar, or everything as an archive.

main.py hands over to `run` before importing Qt. Exit codes: 0 done; 1 some records
were rejected (the rest were imported); 2 the file or the database could not be used.
The models are imported by the commands that use them, so that the window, which
only needs `add_commands`, starts without loading the file formats' libraries.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from models.full_archive import Archive
    from models.importing.plan import Choice, ImportPlan, PlannedRecord
    from models.importing.records import ReadResult

OK, SOME_REJECTED, UNUSABLE = 0, 1, 2


def add_commands(commands: argparse._SubParsersAction) -> None:
    export = commands.add_parser("export", help="write client data to a file, no window")
    export.add_argument(
        "format",
        choices=["vcard", "ics", "full"],
        help="vcard: the clients as contacts; ics: birthdays and anniversaries; "
        "full: everything, as a zip to import into another Rapport",
    )
    export.add_argument("out", type=Path, help="the file to write")
    export.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="database file")
    export.add_argument(
        "--with-notes",
        action="store_true",
        help="vcard: include the private notes (left out by default: a vCard is often shared)",
    )
    export.add_argument(
        "--vcard-version",
        choices=["3.0", "4.0"],
        default="3.0",
        help="vcard: 3.0 (default; what CardDAV servers keep photos of) or 4.0",
    )
    imports = commands.add_parser(
        "import", help="add clients from a vCard or CSV file, or restore a full export"
    )
    imports.add_argument("file", type=Path, help="a .vcf, .csv or Rapport .zip file")
    imports.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="database file")
    imports.add_argument("--dry-run", action="store_true", help="show what would happen only")
    imports.add_argument(
        "--merge", action="store_true", help="merge people already there instead of skipping"
    )


def run(args: argparse.Namespace, database: Path) -> int:
    if args.command == "export":
        return export(args.format, args.out, database, args)
    return import_file(args.file, database, dry_run=args.dry_run, merge=args.merge)


def fail(command: str, message: object) -> int:
    print(f"rapport {command}: {message}", file=sys.stderr)
    return UNUSABLE


def clients(count: int) -> str:
    return f"{count} client{'s' * (count != 1)}"


# --- export ---


def export(kind: str, out: Path, database: Path, args: argparse.Namespace) -> int:
    """`rapport export vcard|ics|full OUT`: 0 when written, 2 when it could not be."""
    from peewee import DatabaseError as PeeweeDatabaseError

    from models.database import DatabaseOpenError, explain
    from models.migrations import open_database

    if not database.exists():
        return fail("export", f"there is no database at {database}")
    try:
        connection = open_database(database)
    except DatabaseOpenError as error:
        return fail("export", error)
    try:
        print(EXPORTS[kind](out, args))
    except OSError as error:
        return fail("export", f"cannot write {out} ({error.strerror or error})")
    except PeeweeDatabaseError as error:
        return fail("export", explain(error, database))
    finally:
        connection.close()
    return OK


def export_dates(out: Path, _args: argparse.Namespace) -> str:
    from models.calendar_export import write_calendar
    from models.clock import local_today, system_now

    now = system_now()
    return f"Wrote {write_calendar(out, local_today(now), now)} dates to {out}"


def export_vcards(out: Path, args: argparse.Namespace) -> str:
    from models.vcard_export import CardOptions, write_vcards

    options = CardOptions(with_notes=args.with_notes, version=args.vcard_version)
    written = write_vcards(out, options=options)
    done = f"Wrote {clients(written.clients)} to {out}"
    left_out = written.left_out()
    return f"{done}\n{left_out} Add --with-notes to include them." if left_out else done


def export_everything(out: Path, _args: argparse.Namespace) -> str:
    from models.full_archive import write_archive

    return f"Wrote everything ({clients(write_archive(out))}) to {out}"


EXPORTS = {
    "ics": export_dates,
    "vcard": export_vcards,
    "full": export_everything,
}


# --- import ---


def import_file(file: Path, database: Path, *, dry_run: bool, merge: bool) -> int:
    """`rapport import FILE`: one line per record saying what happens to it, then the
    import in one transaction."""
    from peewee import DatabaseError as PeeweeDatabaseError

    from models.database import DatabaseOpenError, explain, read_only_reason
    from models.full_archive import DatabaseNotEmpty
    from models.importing.records import ReadResult, UnreadableFile

    read_only = None if dry_run else read_only_reason(database)
    if read_only is not None:
        return fail(
            "import", f"Rapport can only read {database} ({read_only}): nothing was imported."
        )
    try:
        content = read_file(file)
    except OSError as error:
        return fail("import", f"cannot read {file} ({error.strerror or error})")
    except UnreadableFile as error:
        return fail("import", error)
    try:
        with opened(database, dry_run):
            if isinstance(content, ReadResult):
                return import_records(content, dry_run=dry_run, merge=merge)
            return restore_archive(content, dry_run=dry_run)
    except (DatabaseOpenError, DatabaseNotEmpty, UnreadableFile) as error:
        return fail("import", error)
    except PeeweeDatabaseError as error:  # locked by the open app, disk full...
        return fail("import", f"{explain(error, database)} Nothing was imported.")


def read_file(file: Path) -> ReadResult | Archive:
    """The file's records (a ReadResult), or a Rapport archive; UnreadableFile if neither."""
    from models.full_archive import read_archive
    from models.importing.csv_reader import read_csv
    from models.importing.file_kind import file_kind
    from models.importing.limits import check_import_size
    from models.importing.vcard_reader import read_vcards

    kind = file_kind(file)
    if kind == "archive":
        return read_archive(file)
    check_import_size(file, kind)  # before reading it whole: it may be far too large
    data = file.read_bytes()
    if kind == "vcard":
        return read_vcards(data)
    return read_csv(data)


@contextmanager
def opened(database: Path, dry_run: bool) -> Iterator[None]:
    """The database opened (created if need be); for a dry run, a copy of it, thrown away."""
    from models.migrations import open_database

    with tempfile.TemporaryDirectory(prefix="rapport-dry-run-") as folder:
        connection = open_database(dry_run_copy(database, Path(folder)) if dry_run else database)
        try:
            yield
        finally:
            connection.close()


def dry_run_copy(database: Path, folder: Path) -> Path:
    """A copy of the database to try the import on (a new one if there is none yet).

    The original is only read: opening it could upgrade its schema, and even a dry run's
    plan needs the database open."""
    from models.backups import copy_database
    from models.database import (
        DatabaseOpenError,
        check_file_is_usable,
        explain,
        read_schema_version,
    )
    from models.migrations import SCHEMA_VERSION

    copy = folder / "rapport.sqlite"
    if not database.exists():
        return copy
    check_file_is_usable(database)
    if read_schema_version(database) > SCHEMA_VERSION:
        raise DatabaseOpenError(f"{database} was written by a newer version of Rapport.")
    try:
        copy_database(database, copy)
    except sqlite3.Error as error:
        raise DatabaseOpenError(explain(error, database)) from error
    return copy


def import_records(result: ReadResult, *, dry_run: bool, merge: bool) -> int:
    from models.importing.apply import apply_import
    from models.importing.plan import plan_import

    plan = plan_import(result)
    choices = plan.merge_choices() if merge else plan.default_choices()
    for line in plan_lines(plan, choices):
        print(line)
    outcome = apply_import(plan, choices)
    print(f"Dry run: {outcome.summary()} Nothing was written." if dry_run else outcome.summary())
    return SOME_REJECTED if plan.rejected else OK


def plan_lines(plan: ImportPlan, choices: dict[int, Choice]) -> list[str]:
    """ "line 3: add Anna Berger — 2 emails, 1 phone", in the file's order."""
    lines = [
        (rejected.line, f"line {rejected.line}: rejected: {rejected.reason}")
        for rejected in plan.rejected
    ]
    for position, planned in enumerate(plan.records):
        lines.append((planned.record.line, planned_line(planned, choices[position])))
    return [text for _line, text in sorted(lines, key=lambda pair: pair[0])]


def planned_line(planned: PlannedRecord, choice: Choice) -> str:
    start = f"line {planned.record.line}: {choice} {planned.summary}"
    if planned.match is None:
        return start
    match = planned.match
    return f"{start} ({'; '.join([f'{match.why} as {match.name}', *match.differs])})"


def restore_archive(archive: Archive, *, dry_run: bool) -> int:
    from models.full_archive import restore

    restored = restore(archive)
    done = f"{clients(restored.client_count)} and everything about them"
    print(f"Dry run: restored {done}. Nothing was written." if dry_run else f"Restored {done}.")
    if restored.settings_summary():
        print(restored.settings_summary())
    return OK
