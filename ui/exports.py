"""File > Export: vCards, a calendar of the yearly dates, or a full archive, written on a
worker thread (all or nothing: a failed export leaves no half file), never over the
database or among its backups, and saying whose text was damaged."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from models.calendar_export import write_calendar
from models.clock import local_today
from models.database_check import damaged_clients_note
from models.export_target import export_target_problem
from models.full_archive import write_archive
from models.vcard_export import CardOptions, note_count, write_vcards
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
        with_notes = self.ask_about_notes(note_count(client_ids))
        if with_notes is None:
            return

        def write(target: Path) -> str:
            written = write_vcards(target, client_ids, CardOptions(with_notes=with_notes))
            done = self.tr("Wrote %n clients to {target}", "", written.clients)
            if not written.notes_left_out:
                return done.format(target=target)
            count = written.notes_left_out
            left_out = (
                self.tr("left out 1 private note")
                if count == 1
                else self.tr("left out %n private notes", "", count)
            )
            return f"{done.format(target=target)}; {left_out}"

        suggested = re.sub(r'[\\/:*?"<>|]+', " ", name).strip() or "clients"  # a file name
        self._export(
            self.tr("Export as vCard"), f"{suggested}.vcf", self.tr("vCard (*.vcf)"), write
        )

    def ask_about_notes(self, notes: int) -> bool | None:
        """Include the private notes? False without asking when there are none; None
        when the export is cancelled. Leaving them out is the default: a vCard file
        is often shared (the full archive always keeps them)."""
        if not notes:
            return False
        box = QMessageBox(
            QMessageBox.Icon.Question, self.tr("Export as vCard"), "", parent=self._window
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(
            self.tr("Include the private note?")
            if notes == 1
            else self.tr("Include the %n private notes?", "", notes)
        )
        box.setInformativeText(
            self.tr(
                "A vCard file is often shared, and whoever gets it can read every note in "
                "it. Left out, the notes stay in Rapport (and in a full archive)."
            )
        )
        leave_out = box.addButton(self.tr("Leave notes out"), QMessageBox.ButtonRole.AcceptRole)
        include = box.addButton(self.tr("Include notes"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(leave_out)
        box.exec()
        return {leave_out: False, include: True}.get(box.clickedButton())

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
