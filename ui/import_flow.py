"""File > Import…: pick a file, map a CSV's columns, preview, then import in one
transaction with a progress dialog that can cancel (which writes nothing).

Reading, matching and writing run on a worker thread: an address book of thousands of
people must not freeze the window.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from models.importing.apply import ImportOutcome, apply_import
from models.importing.csv_reader import read_csv, sniff_csv
from models.importing.file_kind import file_kind
from models.importing.plan import ImportPlan, plan_import
from models.importing.records import ReadResult, UnreadableFile
from models.importing.vcard_reader import read_vcards
from ui.background_work import BackgroundWork
from ui.dialogs.csv_mapping_dialog import CsvMappingDialog
from ui.dialogs.import_preview_dialog import ImportPreviewDialog
from ui.file_dialogs import open_file


class ImportFlow(QObject):
    imported = Signal(object)  # ImportOutcome, when something was written

    def __init__(self, window: QWidget):
        super().__init__(window)
        self._window = window
        self.work = BackgroundWork(window)
        self.busy = False

    def choose_file(self) -> None:
        types = self.tr(
            "Contacts (*.vcf *.vcard *.csv);;vCard (*.vcf *.vcard);;CSV (*.csv);;All files (*)"
        )
        path = open_file(self._window, self.tr("Import clients"), types)
        if path:
            self.start(path)

    def start(self, path: Path) -> None:
        if self.busy:  # one import at a time; the running one has its progress dialog
            return
        try:
            data = path.read_bytes()
        except OSError as error:
            self._tell(
                self.tr("Import not possible"),
                self.tr("Rapport could not read {path}: {error}").format(path=path, error=error),
            )
            return
        kind = file_kind(path, data)
        if kind == "archive":
            self._tell(
                self.tr("A full Rapport archive"),
                self.tr(
                    "An archive rebuilds a whole database. Start Rapport with a new database "
                    "and run: {command}"
                ).format(command=f"python main.py import {path}"),
            )
            return
        reader = self._reader(path, data) if kind == "csv" else lambda: read_vcards(data)
        if reader is not None:
            reading = self.tr("Reading {file}…").format(file=path.name)
            self._run(reading, lambda: plan_import(reader()), self._preview(path))

    def _reader(self, path: Path, data: bytes) -> Callable[[], ReadResult] | None:
        """Ask how the CSV's columns map (None when the owner cancels)."""
        try:
            table = sniff_csv(data)
        except UnreadableFile as error:
            self._tell(self.tr("Import not possible"), str(error))
            return None
        dialog = CsvMappingDialog(table, path.name, self._window)
        if not dialog.exec():
            return None
        mapping = dialog.mapping()
        return lambda: read_csv(data, mapping)

    def _preview(self, path: Path) -> Callable[[ImportPlan], None]:
        def show(plan: ImportPlan) -> None:
            if not plan.records:
                line = self.tr("Line {line}: {reason}")
                reasons = "\n".join(
                    line.format(line=r.line, reason=r.reason) for r in plan.rejected[:10]
                )
                nothing = self.tr("No record in {file} can be imported.").format(file=path.name)
                self._tell(self.tr("Nothing to import"), f"{nothing}\n\n{reasons}")
                return
            dialog = ImportPreviewDialog(plan, path.name, self._window)
            if dialog.exec():
                self._apply(plan, dialog.choices())
            else:
                self._end()

        return show

    def _apply(self, plan: ImportPlan, choices: dict) -> None:
        self.work.start(
            self.tr("Importing…"),
            lambda: apply_import(plan, choices, self.work.report_progress),
            self._finished,
            self._failed,
            cancellable=True,  # one transaction: cancelling writes nothing
        )

    def _run(self, text: str, work: Callable[[], object], on_done: Callable) -> None:
        self.busy = True
        self.work.start(text, work, on_done, self._failed)

    def _finished(self, outcome: ImportOutcome) -> None:
        if not outcome.cancelled:
            self.imported.emit(outcome)
        self._tell(self.tr("Import"), outcome.summary(), QMessageBox.Icon.Information)

    def _failed(self, message: str) -> None:
        nothing = self.tr("Nothing was imported.")
        self._tell(self.tr("Import not possible"), f"{message}\n\n{nothing}")

    def _tell(self, title: str, text: str, icon=QMessageBox.Icon.Warning) -> None:
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self._window)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.exec()
        self._end()

    def _end(self) -> None:
        self.busy = False
