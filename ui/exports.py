"""File > Export: vCards, a calendar of the yearly dates, or a full archive, written on a
worker thread (all or nothing: a failed export leaves no half file), never over the
database or among its backups, and saying whose text was damaged."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from models.calendar_export import write_calendar
from models.clock import local_today
from models.database_check import damaged_clients_note
from models.export_target import export_target_problem
from models.full_archive import write_archive
from models.vcard_export import write_vcards
from ui.background_work import BackgroundWork
from ui.confirm import tell
from ui.file_dialogs import save_file


class Exports(QObject):
    written = Signal(str)  # what was written where, for the status bar

    def __init__(
        self,
        window: QWidget,
        now: Callable[[], datetime],
        database: Path,
        backups: Path | None = None,
    ):
        super().__init__(window)
        self._window, self._now = window, now
        self._database, self._backups = database, backups
        self.work = BackgroundWork(window)

    def vcards(self, client_ids: list[int] | None = None, name: str = "clients") -> None:
        def write(target: Path) -> str:
            count = write_vcards(target, client_ids)
            return self.tr("Wrote %n clients to {target}", "", count).format(target=target)

        suggested = re.sub(r'[\\/:*?"<>|]+', " ", name).strip() or "clients"  # a file name
        self._export(
            self.tr("Export as vCard"), f"{suggested}.vcf", self.tr("vCard (*.vcf)"), write
        )

    def calendar(self) -> None:
        def write(target: Path) -> str:
            now = self._now()
            count = write_calendar(target, local_today(now), now)
            return self.tr("Wrote %n dates to {target}", "", count).format(target=target)

        self._export(
            self.tr("Export the dates as a calendar"),
            "rapport-dates.ics",
            self.tr("iCalendar (*.ics)"),
            write,
        )

    def archive(self) -> None:
        def write(target: Path) -> str:
            count = write_archive(target)
            return self.tr("Wrote all %n clients to {target}", "", count).format(target=target)

        self._export(
            self.tr("Export everything"),
            "rapport-archive.zip",
            self.tr("Rapport archive (*.zip)"),
            write,
        )

    def _export(self, title: str, suggested: str, types: str, write: Callable[[Path], str]) -> None:
        path = save_file(self._window, title, suggested, types)
        if not path:
            return
        problem = export_target_problem(path, self._database, self._backups)
        if problem:
            tell(self._window, self.tr("Not exported"), problem)
            return
        self.start(path, write)

    def start(self, target: Path, write: Callable[[Path], str]) -> None:
        self.work.start(
            self.tr("Writing {file}…").format(file=target.name),
            lambda: (write(target), damaged_clients_note()),
            self._written,
            self._failed,
        )

    def _written(self, result: tuple[str, str | None]) -> None:
        written, damaged = result
        self.written.emit(written)
        if damaged:
            repair = self.tr("File → Check database repairs it.")
            tell(self._window, self.tr("Some text is damaged"), f"{damaged}\n\n{repair}")

    def _failed(self, message: str) -> None:
        nothing = self.tr("No file was written.")
        tell(self._window, self.tr("Export failed"), f"{message}\n\n{nothing}")
