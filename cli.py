"""Rapport's commands without a window: importing an address book or an archive,
exporting the clients as vCard, their dates as iCalendar, or everything as an archive,
printing what Today lists, and checking the database.

main.py hands over to `run` before importing Qt. Exit codes: 0 done; 1 some records
or values were left out (the rest were imported); 2 the file or the database could not be used.
The models are imported by the commands that use them, so that the window, which
only needs `add_commands`, starts without loading the file formats' libraries.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from models.clock import system_now

if TYPE_CHECKING:  # the window's start reads COMMANDS only: it loads none of these
    from zoneinfo import ZoneInfo

    from models.exchange.full_archive import Archive
    from models.exchange.importing.plan import Choice, ImportPlan, PlannedRecord
    from models.exchange.importing.records import ReadResult
    from models.reminders.rules import Reminder

OK, SOME_REJECTED, UNUSABLE = 0, 1, 2
ACCOUNT_COMMANDS = ("account", "sync", "capture")
# The names add_commands gives its parsers: main.py tells a command from a file by them
# without building every command's parser at each start of the window.
COMMANDS = ("export", "import", "today", "check", *ACCOUNT_COMMANDS)
log = logging.getLogger(__name__)


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
    imports.add_argument(
        "--encoding",
        default="",
        help="the encoding a CSV file is written in (cp1251, cp932, iso8859_2...), "
        "when Rapport cannot tell",
    )
    today = commands.add_parser(
        "today", help="print what Today lists: overdue, today and the next 7 days"
    )
    today.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="database file")
    today.add_argument("--json", action="store_true", help="as JSON, for scripts")
    check = commands.add_parser(
        "check", help="check the database and repair text that is not valid UTF-8"
    )
    check.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="database file")
    import cli_accounts

    cli_accounts.add_commands(commands)


def run(
    args: argparse.Namespace,
    database: Path,
    backups: Path,
    now: datetime | None = None,
    zone: ZoneInfo | None = None,
) -> int:
    """Run the command on `database` at the moment `now` in `zone` (the system's clock and
    zone unless given); `backups` is the folder of every database's backups, where no export
    may go. Never a traceback: every failure is a sentence and exit code 2."""
    import sqlite3

    from peewee import DatabaseError as PeeweeDatabaseError

    import cli_accounts
    from models.store.database import DatabaseOpenError, explain

    fixed_now = now is not None  # a test's moment; otherwise the clock runs during a sync
    now = now or system_now()
    if zone is None:
        from tzlocal import get_localzone

        zone = get_localzone()
    try:
        if args.command == "export":
            return export(args, database, backups, now.astimezone(zone))
        if args.command == "today":
            return today(database, now, zone, as_json=args.json)
        if args.command == "check":
            return check(database)
        if args.command in ACCOUNT_COMMANDS:
            with opened(database, dry_run=False):
                return cli_accounts.run(args, (lambda: now) if fixed_now else system_now)
        return import_file(
            args.file,
            database,
            dry_run=args.dry_run,
            merge=args.merge,
            encoding=args.encoding,
        )
    except (DatabaseOpenError, Unusable) as error:
        return fail(args.command, error)
    except (PeeweeDatabaseError, sqlite3.DatabaseError) as error:  # damaged, full, locked
        return fail(args.command, explain(error, database))
    except Exception as error:  # a sentence here, the traceback in the log
        log.exception("rapport %s failed", args.command)
        return fail(
            args.command,
            f"something went wrong that Rapport did not expect ({error}). "
            "Nothing half-done was saved; the details are in Rapport's log.",
        )


class Unusable(Exception):
    """The command cannot run; the message says why."""


def fail(command: str, message: object) -> int:
    print(f"rapport {command}: {message}", file=sys.stderr)
    return UNUSABLE


def clients(count: int) -> str:
    return f"{count} client{'s' * (count != 1)}"


def say_if_others_can_read(database: Path) -> None:
    """A line on stderr, each time, as long as other users can read the open database."""
    from models.store.private_files import others_can_read

    warning = others_can_read(database)
    if warning:
        print(f"rapport: {warning}", file=sys.stderr)


@contextmanager
def existing(database: Path, verify: bool = False) -> Iterator[None]:
    """The database opened, if there is one (checking every page first with `verify`)."""
    from models.store.migrations import open_database

    if not database.exists():
        raise Unusable(f"there is no database at {database}")
    connection = open_database(database, verify)
    say_if_others_can_read(database)
    try:
        yield
    finally:
        connection.close()


# --- export ---


def export(args: argparse.Namespace, database: Path, backups: Path, now: datetime) -> int:
    """`rapport export vcard|ics|full OUT`: 0 when written, 2 when it could not be."""
    kind, out = args.format, args.out
    from models.exchange.export_target import export_target_problem
    from models.store.database_check import damaged_clients_note

    problem = export_target_problem(out, database, backups)
    if problem:  # refused before the database is even opened
        return fail("export", problem)
    with existing(database):
        try:
            print(EXPORTS[kind](out, now, args))
        except OSError as error:
            return fail("export", f"cannot write {out} ({error.strerror or error})")
        damaged = damaged_clients_note()
    if damaged:
        print(f"rapport export: {damaged} `rapport check` repairs it.", file=sys.stderr)
    return OK


def export_dates(out: Path, now: datetime, _args: argparse.Namespace) -> str:
    """`now` is in the owner's zone: its date is their today."""
    from models.exchange.calendar_export import write_calendar

    return f"Wrote {write_calendar(out, now.date(), now)} dates to {out}"


def export_vcards(out: Path, _now: datetime, args: argparse.Namespace) -> str:
    from models.exchange.vcard_export import CardOptions, write_vcards

    options = CardOptions(with_notes=args.with_notes, version=args.vcard_version)
    written = write_vcards(out, options=options)
    done = f"Wrote {clients(written.clients)} to {out}"
    left_out = written.left_out()
    return f"{done}\n{left_out} Add --with-notes to include them." if left_out else done


def export_everything(out: Path, _now: datetime, _args: argparse.Namespace) -> str:
    from models.exchange.full_archive import write_archive

    return f"Wrote everything ({clients(write_archive(out))}) to {out}"


EXPORTS = {
    "ics": export_dates,
    "vcard": export_vcards,
    "full": export_everything,
}


# --- today ---


def today(database: Path, now: datetime, zone: ZoneInfo, *, as_json: bool) -> int:
    """`rapport today`: what the window's Today lists at `now`, recording nothing."""
    from models.reminders.store import listed_today
    from models.store.settings import reminder_time

    with existing(database):
        _reminders, listed = listed_today(now, zone, reminder_time())
    sections = {"overdue": listed.overdue, "today": listed.today, "coming": listed.coming}
    if as_json:
        print(json.dumps(today_json(sections, now, zone), ensure_ascii=False, indent=2))
    else:
        print("\n".join(today_lines(sections, now, zone)))
    return OK


SECTION_TITLES = {"overdue": "Overdue", "today": "Today", "coming": "Next 7 days"}


def today_item(reminder: Reminder, zone: ZoneInfo) -> dict[str, object]:
    from models.values.kinds import reminder_kind

    reminder_at = reminder.due_at.astimezone(zone)
    return {
        "client": reminder.title,
        "client_id": reminder.client_id,
        "kind": reminder_kind(reminder.kind, reminder.occasion),
        "text": reminder.text,
        "event_day": reminder.occurs_on.isoformat(),
        "reminder_day": reminder_at.date().isoformat(),
        "reminder_at": reminder_at.isoformat(),
    }


def today_json(sections: dict[str, list[Reminder]], now: datetime, zone: ZoneInfo) -> dict:
    local = now.astimezone(zone)
    return {
        "now": local.isoformat(),
        "day": local.date().isoformat(),
        **{name: [today_item(r, zone) for r in reminders] for name, reminders in sections.items()},
    }


def today_lines(sections: dict[str, list[Reminder]], now: datetime, zone: ZoneInfo) -> list[str]:
    """ "Overdue · 1", then "  Jens Ortmann · Check-in · Thu 19 Nov (reminder Thu 19 Nov
    09:00)" and the reminder's text below it, section by section."""
    local = now.astimezone(zone)
    lines = [f"Today — {local:%A} {local.day} {local:%B %Y}"]
    for name, reminders in sections.items():
        if not reminders:
            continue
        lines.append(f"{SECTION_TITLES[name]} · {len(reminders)}")
        for reminder in reminders:
            item = today_item(reminder, zone)
            at = reminder.due_at.astimezone(zone)
            lines.append(
                f"  {item['client']} · {item['kind']} · {_day(reminder.occurs_on)}"
                f" (reminder {_day(at.date())} {at:%H:%M})"
            )
            lines.append(f"    {reminder.text}")
    if len(lines) == 1:
        lines.append("Nothing due. Enjoy your coffee — Rapport will remind you.")
    return lines


def _day(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


# --- check ---


def check(database: Path) -> int:
    """`rapport check`: 0 when the database is sound (repaired if need be), 2 when damaged."""
    from models.store.database_check import check_database

    with existing(database, verify=True):
        report = check_database()
    for sentence in report.sentences():
        print(sentence, file=sys.stderr if report.damaged else sys.stdout)
    return UNUSABLE if report.damaged else OK


# --- import ---


def import_file(
    file: Path, database: Path, *, dry_run: bool, merge: bool, encoding: str = ""
) -> int:
    """`rapport import FILE`: one line per record saying what happens to it, then the
    import in one transaction."""
    from peewee import DatabaseError as PeeweeDatabaseError

    from models.exchange.full_archive import DatabaseNotEmpty
    from models.exchange.importing.csv_reader import EncodingUnsure
    from models.exchange.importing.records import ReadResult, UnreadableFile
    from models.store.database import DatabaseOpenError, explain, read_only_reason

    read_only = None if dry_run else read_only_reason(database)
    if read_only is not None:
        return fail(
            "import", f"Rapport can only read {database} ({read_only}): nothing was imported."
        )
    try:
        content = read_file(file, encoding)
    except OSError as error:
        return fail("import", f"cannot read {file} ({error.strerror or error})")
    except EncodingUnsure as error:
        return fail("import", unsure_encoding(error.likely))
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


def unsure_encoding(likely: tuple[str, ...]) -> str:
    """The sentence for a CSV file that reads as text in several encodings."""
    from models.exchange.importing.text_decoding import encoding_name

    names = "; ".join(f"{encoding_name(e)}: --encoding {e}" for e in likely[:5])
    return (
        "Rapport cannot tell which encoding this CSV file is written in, and a wrong one "
        f"would garble every name. Likely ones: {names}. Run the import again with the "
        "right --encoding (try --dry-run first and check the names). Nothing was imported."
    )


def read_file(file: Path, encoding: str = "") -> ReadResult | Archive:
    """The file's records (a ReadResult), or a Rapport archive; UnreadableFile if neither."""
    from models.exchange.full_archive import read_archive
    from models.exchange.importing.csv_reader import read_csv
    from models.exchange.importing.file_kind import file_kind
    from models.exchange.importing.limits import check_import_size
    from models.exchange.importing.vcard_reader import read_vcards

    kind = file_kind(file)
    if kind == "archive":
        return read_archive(file)
    check_import_size(file, kind)  # before reading it whole: it may be far too large
    data = file.read_bytes()
    if kind == "vcard":
        return read_vcards(data)
    return read_csv(data, encoding=encoding)


@contextmanager
def opened(database: Path, dry_run: bool) -> Iterator[None]:
    """The database opened (created if need be); for a dry run, a copy of it, thrown away."""
    from models.store.migrations import open_database

    with tempfile.TemporaryDirectory(prefix="rapport-dry-run-") as folder:
        connection = open_database(dry_run_copy(database, Path(folder)) if dry_run else database)
        say_if_others_can_read(database)
        try:
            yield
        finally:
            connection.close()


def dry_run_copy(database: Path, folder: Path) -> Path:
    """A copy of the database to try the import on (a new one if there is none yet).

    The original is only read: opening it could upgrade its schema, and even a dry run's
    plan needs the database open."""
    import sqlite3

    from models.store.backups import copy_database
    from models.store.database import (
        DatabaseOpenError,
        check_file_is_usable,
        explain,
        read_schema_version,
    )
    from models.store.migrations import SCHEMA_VERSION

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
    from models.exchange.importing.apply import apply_import
    from models.exchange.importing.plan import plan_import

    plan = plan_import(result)
    choices = plan.merge_choices() if merge else plan.default_choices()
    for line in plan_lines(plan, choices):
        print(line)
    for line in plan.not_kept_lines():
        print(line)
    outcome = apply_import(plan, choices)
    print(f"Dry run: {outcome.summary()} Nothing was written." if dry_run else outcome.summary())
    return SOME_REJECTED if plan.dropped_anything else OK


def plan_lines(plan: ImportPlan, choices: dict[int, Choice]) -> list[str]:
    """ "line 3: add Anna Berger — 2 emails, 1 phone", then what is left out of the person
    ("line 3: Anna Berger: birthday 2023-02-30 does not exist (...); kept the rest"),
    in the file's order."""
    lines = [
        (rejected.line, f"line {rejected.line}: rejected: {rejected.reason}")
        for rejected in plan.rejected
    ]
    for position, planned in enumerate(plan.records):
        lines.append((planned.record.line, planned_line(planned, choices[position])))
    lines += [(line, f"line {line}: {text}") for line, text in plan.left_out_lines()]
    return [text for _line, text in sorted(lines, key=lambda pair: pair[0])]


def planned_line(planned: PlannedRecord, choice: Choice) -> str:
    """ "line 3: add Anna Berger — 1 email (possibly: same name as Anna Berger); line 12 is
    the same person as line 3: merged into one"."""
    from models.exchange.importing.plan import describe

    # What is left out of the person follows on lines of its own (plan_lines).
    line = f"line {planned.record.line}: {choice} {describe(planned.record)}"
    if (match := planned.match) is not None:
        line += f" ({'; '.join([f'{match.why} as {match.name}', *match.differs])})"
    return "; ".join([line, *planned.same_as])


def restore_archive(archive: Archive, *, dry_run: bool) -> int:
    from models.exchange.full_archive import restore

    restored = restore(archive)
    done = f"{clients(restored.client_count)} and everything about them"
    print(f"Dry run: restored {done}. Nothing was written." if dry_run else f"Restored {done}.")
    if restored.settings_summary():
        print(restored.settings_summary())
    return OK
