"""Rapport's composition root: arguments, logging, the database, the window."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
import traceback
from pathlib import Path

from platformdirs import user_data_path, user_log_path

import cli
from models.about import APP_ID, rapport_version
from models.store.private_files import OWNER_FILE, make_private_folder

APP_NAME = "Rapport"
LOG_NAME = "rapport.log"
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
log = logging.getLogger("rapport")


def default_database_path() -> Path:
    return user_data_path(APP_NAME, appauthor=False) / "rapport.sqlite"


def backups_root() -> Path:
    """backups/ in the data folder: the usual database's backups, and a folder in it for
    each other database's. No export may go anywhere in it."""
    return user_data_path(APP_NAME, appauthor=False) / "backups"


def backup_folder(database: Path) -> Path:
    """backups/ in the data folder; another database's backups in a folder of their own."""
    folder = backups_root()
    if database == default_database_path().expanduser().resolve():
        return folder
    import hashlib  # here: loading OpenSSL costs a start on the usual database 3 ms of CPU

    digest = hashlib.sha256(str(database).encode()).hexdigest()[:8]
    return folder / f"{database.stem}-{digest}"


def parse_args(argv: list[str]) -> argparse.Namespace:
    """`rapport [FILE]` opens the window (with FILE's import preview: "Open with Rapport"
    in a file manager); `rapport COMMAND ...` runs a command without a window."""
    # A positional FILE beside argparse's commands would swallow the command's name, so a
    # command named anywhere means the command line, and otherwise a word is a file.
    if any(word in cli.COMMANDS for word in argv):
        parser = options_parser()
        cli.add_commands(parser.add_subparsers(dest="command"))
        return parser.parse_args(argv)
    names = ", ".join(cli.COMMANDS)  # the window's start builds no command's parser
    window = options_parser(f"Commands without a window (rapport COMMAND --help): {names}.")
    window.add_argument(
        "file",
        nargs="?",
        type=Path,
        help="a vCard or CSV file to import: the window opens with its preview",
    )
    args = window.parse_args(argv, argparse.Namespace(command=None))
    if args.file is not None and not args.file.is_file():
        window.error(f"{args.file} is neither a file nor a command ({names})")
    return args


def options_parser(epilog: str | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rapport", description="Contact care for your clients.", epilog=epilog
    )
    parser.add_argument("--version", action=ShowVersion)
    parser.add_argument(
        "--db",
        type=Path,
        default=None,
        help=f"database file to open (default: {default_database_path()})",
    )
    parser.add_argument(
        "--demo", action="store_true", help="load sample clients into an empty database"
    )
    parser.add_argument(
        "--minimized", action="store_true", help="start in the tray (used at login)"
    )
    return parser


class ShowVersion(argparse.Action):
    """--version, as argparse's own, but the version is looked up only when asked: not at
    every start of the window (models/about.py)."""

    def __init__(self, option_strings, dest, **kwargs):
        kwargs.update(nargs=0, default=argparse.SUPPRESS)
        super().__init__(option_strings, dest, help="show the version and exit", **kwargs)

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"Rapport {rapport_version()}")
        parser.exit()


class PrivateLog:
    """The log names clients: each log file is the owner's alone, whatever the umask (for
    logging's file handlers)."""

    def _open(self):
        stream = super()._open()
        os.fchmod(stream.fileno(), OWNER_FILE)
        return stream


class PrivateLogFile(PrivateLog, logging.FileHandler):
    """The log of a window's start, until rotate_log() keeps it small."""


def rotated_log(path: Path, max_bytes: int = 1_000_000, backups: int = 3) -> logging.Handler:
    """A private log at `path`, moved to path.1 (path.2 ...) at `max_bytes`, `backups` kept."""
    from logging.handlers import RotatingFileHandler  # its sockets and pickle: a start's 7 ms

    class PrivateRotatingLog(PrivateLog, RotatingFileHandler):
        pass

    return PrivateRotatingLog(path, maxBytes=max_bytes, backupCount=backups)


def setup_logging(rotated: bool = True) -> Path:
    """The private log in the owner's log folder; its folder. The window's start writes it
    `rotated` False, and calls rotate_log() once the window is on screen."""
    folder = user_log_path(APP_NAME, appauthor=False)
    make_private_folder(folder)
    path = folder / LOG_NAME
    handler = rotated_log(path) if rotated else PrivateLogFile(path)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    logging.basicConfig(level=logging.INFO, handlers=[handler])
    # APScheduler logs every run of the minute heartbeat: keep its warnings only.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    return folder


def rotate_log(folder: Path) -> None:
    """Keep the log small from now on: a rotating handler takes over the same file (the
    plain one goes on if it cannot be made)."""
    try:
        rotating = rotated_log(folder / LOG_NAME)
    except OSError as error:
        log.warning("The log cannot be rotated: %s", error)
        return
    rotating.setFormatter(logging.Formatter(LOG_FORMAT))
    root = logging.getLogger()
    for handler in root.handlers[:]:
        if isinstance(handler, PrivateLogFile):
            root.removeHandler(handler)
            handler.close()
    root.addHandler(rotating)


def install_error_dialog(log_folder: Path, database: Path) -> None:
    """Unexpected errors are logged and explained in a dialog, never only a traceback."""

    def show(kind, error, tb) -> None:
        log.error("Unexpected error:\n%s", "".join(traceback.format_exception(kind, error, tb)))
        from PySide6.QtWidgets import QMessageBox

        from models.store.database import what_went_wrong
        from ui.confirm import tell

        # A full disk, a locked or damaged file: what it means, not SQLite's words.
        what = what_went_wrong(error, database) or str(error)
        tell(  # as plain text: the error may quote a client's name or a file's contents
            None,
            "Something went wrong",
            f"{what}\n\nNothing half-done was saved. Details are in the log in {log_folder}.",
            QMessageBox.Icon.Critical,
        )

    sys.excepthook = show


def start_services(app, window, path: Path) -> None:
    """What works beside the window: the daily backup, the accounts' sync, the mail watch
    and the calendar file. Started once the window is on screen (the owner waits for
    none of them, and they load the mail and calendar libraries)."""
    from tzlocal import get_localzone

    from models.store.changes import everything_changed
    from scheduler.account_runs import AccountRuns
    from scheduler.calendar_file import CalendarFile
    from scheduler.daily_backup import BackupService
    from scheduler.mail_watch import MailWatch

    backups = BackupService(path, backup_folder(path), every_backup=backups_root(), parent=app)
    backups.failed.connect(lambda message: window.show_message("Backup failed", message))
    window.closed.connect(backups.stop_and_back_up)  # the last thing before the loop ends
    window.use_backups(backups)
    backups.start()
    account_runs = AccountRuns(parent=app)  # nothing is contacted without an account
    window.use_account_runs(account_runs)
    window.closed.connect(account_runs.stop)
    mail_watch = MailWatch(parent=app)  # new mail in the inbox: read it at once
    mail_watch.arrived.connect(account_runs.run_now)
    account_runs.finished.connect(mail_watch.watch)
    window.closed.connect(mail_watch.stop)
    calendar = CalendarFile(get_localzone(), parent=app, backups=backups_root())
    calendar.failed.connect(lambda message: window.show_message("Calendar file", message))
    window.changes.changed.connect(calendar.data_changed)
    window.closed.connect(calendar.stop)
    calendar.data_changed(everything_changed())  # changed since the file was written?
    account_runs.start()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    log_folder = setup_logging(rotated=bool(args.command))
    path = (args.db or default_database_path()).expanduser().resolve()
    if args.command:  # import, export, today, check: no window, no Qt
        return cli.run(args, path, backups_root())

    # Only what the window's frame needs: it is painted before the database opens, and
    # everything else loads once it is on screen (open_window).
    from ui.pyside_imports import read_sources_quickly

    read_sources_quickly()  # before the window's modules are imported
    from PySide6.QtCore import QSettings, QTimer

    from ui.after_first_paint import after_first_paint
    from ui.garbage_collection import MainThreadGarbageCollector
    from ui.main_window import MainWindow
    from ui.single_instance import SingleInstance
    from ui.style import apply_style, styled_application
    from ui.translations import install_translations
    from ui.window_layout import WindowLayout

    app = styled_application(sys.argv[0])
    app.setApplicationName(APP_NAME)
    app.setDesktopFileName(APP_ID)  # the menu entry and icon the desktop shows for it
    install_translations(app)
    layout = WindowLayout(QSettings(APP_NAME, APP_NAME))
    apply_style(app, layout.appearance())  # as the window last looked, until the database says
    install_error_dialog(log_folder, path)
    MainThreadGarbageCollector(app)  # before any thread starts; the app owns it
    with contextlib.suppress(OSError):  # if it fails, opening the database explains why
        make_private_folder(path.parent)
    opened = args.file.resolve() if args.file else None  # the running one may be elsewhere
    instance = SingleInstance(path, app)
    if not instance.acquire(answer=False):  # answered once the window can come forward
        from ui.startup import already_running

        return already_running(instance, path, opened)
    app.aboutToQuit.connect(instance.release)
    window = MainWindow(path, contents=False)
    window.log_folder = log_folder  # Help → About names it
    window.resize(1280, 800)
    window.remember_layout(layout)
    # Hidden in the tray, the window is not "the last window": quit when it closes for good.
    app.setQuitOnLastWindowClosed(False)
    window.closed.connect(app.quit)
    start = Start(app, window, args, path, instance, opened)
    if start.frame_shown:
        after_first_paint(window, start.open_window)
        window.show()
    else:  # in the tray (or the task bar): no first paint to wait for
        QTimer.singleShot(0, start.open_window)
    return app.exec()


class Start:
    """What main() does once the window's frame is on screen: open the database (or say
    why it cannot, and quit), build the window's contents, then start what runs beside it."""

    def __init__(self, app, window, args, path: Path, instance, opened: Path | None):
        self.app, self.window, self.args, self.path = app, window, args, path
        self.instance = instance
        self.files = [opened] if opened is not None else []  # to import, once built
        self.services_started = False
        # The frame is shown and painted first, unless Rapport starts in the tray (at
        # login) with nothing to import.
        self.frame_shown = not args.minimized or opened is not None

    def open_window(self) -> None:
        rotate_log(self.window.log_folder)
        self._answer_second_starts()
        try:
            if not self._open_database():
                self.app.exit(1)  # it said why
                return
            self._build_window()
        except Exception:  # said by the error dialog; no empty frame stays behind
            try:
                sys.excepthook(*sys.exc_info())
            finally:
                self.app.exit(1)
            return
        if self.frame_shown:  # the contents on screen first, as the frame was
            from ui.after_first_paint import after_first_paint

            after_first_paint(self.window, self._start_services)
        else:  # in the tray or the task bar: nothing to paint first
            from PySide6.QtCore import QTimer

            QTimer.singleShot(0, self._start_services)

    def _answer_second_starts(self) -> None:
        """From now on a second start brings the frame forward; the file it hands over is
        imported once the window is built (as the start's own)."""
        self.instance.raise_requested.connect(self.window.bring_to_front)
        self.instance.file_received.connect(self._import_when_built)
        self.instance.answer_second_starts()

    def _import_when_built(self, file: Path) -> None:
        if self.services_started:
            self.window.import_file(file)
        else:
            self.files.append(file)

    def _open_database(self) -> bool:
        from models.store.database import DatabaseOpenError, read_schema_version
        from models.store.migrations import SCHEMA_VERSION
        from ui.startup import open_database_or_explain

        # After a crash, check every page before anything is written (a few seconds at
        # most); otherwise the bounded check runs once the window shows, and writes wait.
        after_crash = self.instance.after_crash
        with contextlib.suppress(DatabaseOpenError, OSError):  # opening it explains what is wrong
            if after_crash or 0 < read_schema_version(self.path) < SCHEMA_VERSION:
                self.window.say_why_it_waits(after_crash)
        backups = backup_folder(self.path)
        opened = open_database_or_explain(
            self.path, backups, verify=after_crash, check_later=not after_crash, parent=self.window
        )
        if opened:
            self.window.apply_appearance()  # the owner's choice, now it can be read
        return opened

    def _build_window(self) -> None:
        from PySide6.QtCore import QSettings

        from models.store.database import read_only_reason
        from scheduler.notifications import DesktopNotifications
        from ui.file_dialogs import remember_folders_in
        from ui.startup import DatabaseNotices, warn_if_others_can_read, warn_if_synced

        read_only = read_only_reason(self.path)  # opened for reading only, on purpose
        if read_only is None:
            warn_if_synced(self.path, self.window)  # (it notes that it warned)
            warn_if_others_can_read(self.path, self.window)
        if self.args.demo and read_only is None:
            load_demo()
        notifier = DesktopNotifications(APP_NAME)
        self.app.aboutToQuit.connect(notifier.close)
        window = self.window
        window.build_contents(notifier=notifier)
        if read_only is not None:
            window.open_read_only(read_only)
        remember_folders_in(QSettings(APP_NAME, APP_NAME))
        self.notices = DatabaseNotices(self.path, backup_folder(self.path), window.restore, window)
        self.notices.install()
        if window.isHidden() and window.tray is None:
            window.showMinimized()  # no tray to wait in: stay in the task bar

    def _start_services(self) -> None:
        """Once the window's contents are on screen, in this order: the start's check
        (writes wait for it), the services, the reminders (and the scheduler they load),
        then the files to import (the start's own, and any a second start handed over)."""
        self.notices.check_at_start()
        start_services(self.app, self.window, self.path)
        self.window.start_reminders()
        self.services_started = True
        for file in self.files:
            self.window.import_file(file)
        self.files.clear()


def load_demo() -> None:
    """--demo: the sample clients, in a database that has none."""
    from models.clock import local_today, system_now
    from models.sample.loading import load_sample_clients

    try:
        load_sample_clients(local_today(system_now()))
    except ValueError as error:  # the database already has clients: keep them
        print(f"--demo: {error}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
