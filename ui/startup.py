"""Opening the database when Rapport starts, with a message the user can act on."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox

from background.database_worker import DatabaseWorker
from models.clock import system_now
from models.store.backups import Backup, BackupError, newest_good_backup
from models.store.database import (
    REFUSED_BEFORE_CHECK,
    DatabaseBusy,
    DatabaseOpenError,
    StartCheck,
    is_busy,
    is_damage,
    open_start_check,
    read_only_reason,
)
from models.store.migrations import open_database, reopen_with_backup
from models.store.private_files import others_can_read
from models.store.settings import get_setting, set_setting
from models.store.synced_folders import sync_service_of
from ui.confirm import tell
from ui.formatting import local_date_time
from ui.single_instance import SingleInstance

log = logging.getLogger(__name__)


def already_running(instance: SingleInstance, path: Path, file: Path | None = None) -> int:
    """Another Rapport has the database: bring it forward (handing it `file` to import),
    or say so. The exit code."""
    if instance.ask_running_to_raise(file):
        log.info("Rapport is already running with %s; brought it to the front", path)
        print(
            QCoreApplication.translate(
                "Startup", "Rapport is already running with {path}: its window is in front now."
            ).format(path=path)
        )
        if file is not None:
            print(
                QCoreApplication.translate(
                    "Startup", "It shows what importing {file} would add."
                ).format(file=file)
            )
        return 0
    tell(
        None,
        QCoreApplication.translate("Startup", "Rapport is already running"),
        QCoreApplication.translate(
            "Startup",
            "Another Rapport has {path} open, but it does not answer. Wait for it to start, "
            "or close it (from its tray icon), then start Rapport again.",
        ).format(path=path),
        QMessageBox.Icon.Information,
    )
    return 1


def open_database_or_explain(
    path: Path,
    backups: Path | None = None,
    verify: bool = False,
    check_later: bool = False,
    parent=None,
) -> bool:
    """Open and migrate `path` (checking every page first with `verify`; with
    `check_later`, leaving the start's bounded check to DatabaseNotices.check_at_start); on
    failure tell the user why (over `parent`, the window's frame), and return False. A
    damaged database with a good backup in `backups` may be replaced by it, if the user
    says so."""
    try:
        # A search index to build is built by the window, on a worker (minutes at XL).
        open_database(path, verify, build_index_later=True, check_later=check_later)
    except DatabaseOpenError as error:
        log.error("Cannot open %s: %s", path, error)
        backup = newest_good_backup(backups) if error.damaged and backups else None
        if backup is not None:
            return offer_backup(path, backup, error, parent)
        tell(parent, _cannot_open(), str(error), QMessageBox.Icon.Critical)
        return False
    log.info("Opened %s", path)
    return True


def offer_backup(path: Path, backup: Backup, error: DatabaseOpenError, parent=None) -> bool:
    """Ask whether to put the newest good backup in place of a damaged database."""
    quit_ = QCoreApplication.translate("Startup", "Quit")
    if not _use_backup(_cannot_open(), str(error), backup, quit_, parent):
        return False
    try:
        damaged = reopen_with_backup(path, backup, system_now())
    except (BackupError, DatabaseOpenError) as failure:
        tell(parent, _cannot_open(), str(failure), QMessageBox.Icon.Critical)
        return False
    log.warning("Replaced damaged %s (kept as %s) by %s", path, damaged, backup.path)
    return True


def _use_backup(title: str, text: str, backup: Backup, decline: str, parent=None) -> bool:
    """Whether the owner chose to put the newest good backup in place of a damaged file."""
    box = QMessageBox(QMessageBox.Icon.Critical, title, text, parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)  # paths are text
    box.setInformativeText(
        QCoreApplication.translate(
            "Startup",
            "The newest good backup is from {taken_at}. Rapport can use it instead; the "
            "damaged file is kept beside it, unchanged.",
        ).format(taken_at=local_date_time(backup.taken_at))
    )
    use = box.addButton(
        QCoreApplication.translate("Startup", "Use the backup"), QMessageBox.ButtonRole.AcceptRole
    )
    box.addButton(decline, QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is use


class DatabaseNotices:
    """What SQLite reports while Rapport runs, said in words instead of "Something went
    wrong": damage (a page read weeks after it broke) once, with the newest good backup
    offered, as a start after a crash does; a change to a database open read-only; a change
    while another program (an import on the command line) holds the write lock."""

    def __init__(self, path: Path, backups: Path, restore: Callable[[Backup], None], parent=None):
        self._path, self._backups, self._restore, self._parent = path, backups, restore, parent
        self.damage_shown = False

    def install(self) -> None:
        """Look at every unexpected error first; hand the others on to the error dialog."""
        others = sys.excepthook

        def hook(kind, error, tb) -> None:
            if not self.handle(error):
                others(kind, error, tb)

        sys.excepthook = hook

    def check_at_start(self) -> None:
        """Run the start's bounded check (left for after the first paint) on a worker;
        damage it finds is said as damage met later is. Writes wait for it meanwhile."""
        check = open_start_check()
        if check is None:
            return
        worker = DatabaseWorker(self._parent)
        worker.run(check.run, lambda passed: passed or self._damaged_at_start(check), log.error)

    def handle(self, error: BaseException) -> bool:
        """Whether `error` was one of these (and said)."""
        if is_damage(error):
            self._damaged(error)
            return True
        check = open_start_check()
        if check is not None and check.damage and REFUSED_BEFORE_CHECK in str(error):
            self._damaged_at_start(check)  # a write refused for the damage found at start
            return True
        reason = read_only_reason(self._path)
        if reason is not None and "readonly" in str(error).lower():
            tell(
                self._parent,
                QCoreApplication.translate("Startup", "Not saved"),
                QCoreApplication.translate(
                    "Startup", "Rapport can only read {path} ({reason}): nothing was changed."
                ).format(path=self._path, reason=reason),
            )
            return True
        if isinstance(error, DatabaseBusy) or is_busy(error):
            tell(
                self._parent,
                QCoreApplication.translate("Startup", "Not saved"),
                QCoreApplication.translate(
                    "Startup",
                    "Another program (an import, perhaps) is writing to the database right "
                    "now, so nothing was changed. Try again in a moment.",
                ),
            )
            return True
        return False

    def _damaged_at_start(self, check: StartCheck) -> None:
        """Damage the start's check found: said once, as damage met later is; each write
        it refuses after that says why nothing was saved."""
        if not self.damage_shown:
            self._damaged(check.damage.__cause__ or check.damage)  # SQLite's own words
            return
        tell(
            self._parent,
            QCoreApplication.translate("Startup", "Not saved"),
            QCoreApplication.translate(
                "Startup",
                "Rapport found damage in {path} when it started, so it writes nothing to it: "
                "nothing was changed. Put a backup in place (File → Settings), or quit and "
                "keep a copy of the file.",
            ).format(path=self._path),
        )

    def _damaged(self, error: BaseException) -> None:
        log.error("The database %s is damaged: %s", self._path, error)
        if self.damage_shown:
            return
        self.damage_shown = True
        title = QCoreApplication.translate("Startup", "Rapport's database is damaged")
        text = QCoreApplication.translate(
            "Startup",
            "SQLite found damage in {path} ({error}). What you change now may not be saved.",
        ).format(path=self._path, error=error)
        backup = newest_good_backup(self._backups)
        if backup is None:
            advice = QCoreApplication.translate(
                "Startup",
                "There is no good backup of it. Quit Rapport and keep a copy of the file; "
                "its data may still be recovered with SQLite's tools (.recover).",
            )
            tell(self._parent, title, f"{text}\n\n{advice}", QMessageBox.Icon.Critical)
            return
        not_now = QCoreApplication.translate("Startup", "Not now")
        if _use_backup(title, text, backup, not_now, self._parent):
            self._restore(backup)


def warn_if_synced(path: Path, parent=None) -> bool:
    """Once per database: say that a sync service's folder can corrupt it. Shown?"""
    service = sync_service_of(path)
    if service is None or get_setting("sync_warning_shown_for") == str(path):
        return False
    tell(
        parent,
        QCoreApplication.translate("Startup", "Your client database is in {service}").format(
            service=service
        ),
        QCoreApplication.translate(
            "Startup",
            "{path} is in a folder that {service} keeps in sync. Sync services copy a "
            "database while it is being written and can damage it.\n\nKeep the database in "
            "a local folder (Rapport's default is in your data folder) and let only copies go "
            "to the synced folder.",
        ).format(path=path, service=service),
    )
    set_setting("sync_warning_shown_for", str(path))
    return True


def warn_if_others_can_read(path: Path, parent=None) -> bool:
    """Once per database: say that other users can read it (Rapport never loosens or
    tightens the owner's own file by itself). Shown?"""
    warning = others_can_read(path)
    if warning is None or get_setting("readable_warning_shown_for") == str(path):
        return False
    log.warning("%s", warning)
    tell(
        parent,
        QCoreApplication.translate("Startup", "Others can read your client database"),
        warning,
    )
    set_setting("readable_warning_shown_for", str(path))
    return True


def _cannot_open() -> str:
    return QCoreApplication.translate("Startup", "Rapport cannot open the database")
