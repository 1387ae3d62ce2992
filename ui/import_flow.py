"""File > Import…: pick a file, map a CSV's columns, preview, then import in one
transaction with a progress dialog that can cancel (which writes nothing). A full
Rapport archive is imported whole, only into an empty database, as the command line does.

Everything that reads the file (its size, its columns), matches or writes runs on a worker
thread: an address book of thousands of people must not freeze the window.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from models.exchange.full_archive import Restored, import_archive
from models.exchange.importing.apply import ImportOutcome, apply_import
from models.exchange.importing.csv_reader import read_csv, sniff_csv
from models.exchange.importing.opening import ImportFile, open_import_file
from models.exchange.importing.plan import ImportPlan, plan_import
from models.exchange.importing.records import ReadResult
from models.exchange.importing.vcard_reader import read_vcards
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
        self._waiting: list[Path] = []  # files opened while another import was under way

    def choose_file(self) -> None:
        types = self.tr(
            "Contacts (*.vcf *.vcard *.csv *.zip);;vCard (*.vcf *.vcard);;CSV (*.csv);;"
            "Rapport archive (*.zip);;All files (*)"
        )
        path = open_file(self._window, self.tr("Import clients"), types)
        if path:
            self.start(path)

    def start(self, path: Path) -> None:
        if self.busy:  # one import at a time: the next file once this one is done
            self._waiting.append(path)
            return
        try:
            path.open("rb").close()  # only opened here: reading it may take a while
        except OSError as error:
            self._tell(
                self.tr("Import not possible"),
                self.tr("Rapport could not read {path}: {error}").format(path=path, error=error),
            )
            return
        reading = self.tr("Reading {file}…").format(file=path.name)
        self._run(reading, lambda: open_import_file(path), lambda found: self._opened(path, found))

    def _opened(self, path: Path, found: ImportFile) -> None:
        if found.kind == "archive":
            importing = self.tr("Importing the archive {file}…").format(file=path.name)
            self.work.start(importing, lambda: import_archive(path), self._restored, self._failed)
            return
        read = self._reader(path, found)
        if read is None:
            self._end()
            return
        reading = self.tr("Reading {file}…").format(file=path.name)
        self._run(reading, lambda: plan_import(read()), self._preview(path))

    def _reader(self, path: Path, found: ImportFile) -> Callable[[], ReadResult] | None:
        """How the records are read; a CSV's as the owner maps its columns (None when
        they cancel)."""
        if found.table is None:
            return lambda: read_vcards(found.data)
        data = found.data
        dialog = CsvMappingDialog(
            found.table, path.name, self._window, lambda encoding: sniff_csv(data, encoding)
        )
        if not dialog.exec():
            return None
        mapping, encoding = dialog.mapping(), dialog.encoding()
        return lambda: read_csv(data, mapping, encoding)

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

    def _restored(self, restored: Restored) -> None:
        self.imported.emit(ImportOutcome())
        count = restored.client_count
        # English's one and many as two texts, each with the count (as everywhere).
        one = self.tr("Imported %n client and everything about them.", "", count)
        many = self.tr("Imported %n clients and everything about them.", "", count)
        done = one if count == 1 else many
        settings = restored.settings_summary()
        self._tell(
            self.tr("Archive imported"),
            f"{done}\n\n{settings}" if settings else done,
            QMessageBox.Icon.Information,
        )

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
        if self._waiting:  # several vCards given "Open with Rapport" at once
            self.start(self._waiting.pop(0))
