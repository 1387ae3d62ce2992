"""Before anything is written: each person in the file, what comes with them, whom they
seem to be already, and a choice per person (add, skip, merge); the rejected records
with their line and reason."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
)

from models.importing.plan import Choice, ImportPlan
from ui.dialogs.form_dialog import text_cell

# Translated when shown (ImportPreviewDialog.tr); marked here for the translators' tools.
CHOICE_WORDS = {
    Choice.ADD: QT_TRANSLATE_NOOP("ImportPreviewDialog", "Add as new"),
    Choice.SKIP: QT_TRANSLATE_NOOP("ImportPreviewDialog", "Skip"),
    Choice.MERGE: QT_TRANSLATE_NOOP("ImportPreviewDialog", "Merge into {name}"),
}


class ImportPreviewDialog(QDialog):
    def __init__(self, plan: ImportPlan, file_name: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Import {file}").format(file=file_name))
        self.resize(980, 620)
        self._plan = plan
        known = sum(1 for planned in plan.records if planned.match is not None)
        intro = QLabel(
            self.tr(
                "{people} people can be imported ({known} seem to be clients already); "
                "{rejected} records cannot. Nothing is written until you press Import."
            ).format(people=len(plan.records), known=known, rejected=len(plan.rejected))
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        self.people = self._people_table()
        self.rejected = self._rejected_table()
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(self._bulk_buttons(known))
        layout.addWidget(self.people, 3)
        if plan.rejected:
            heading = QLabel(self.tr("Cannot be imported"))
            heading.setObjectName("sectionHeading")
            layout.addWidget(heading)
            layout.addWidget(self.rejected, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = buttons.addButton(
            self.tr("Import"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setProperty("primary", True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._count_chosen()

    def _bulk_buttons(self, known: int) -> QHBoxLayout:
        row = QHBoxLayout()
        for text, choice in (
            (self.tr("Skip all known"), Choice.SKIP),
            (self.tr("Merge all known"), Choice.MERGE),
        ):
            button = QPushButton(text)
            button.setEnabled(known > 0)
            button.clicked.connect(lambda _=False, c=choice: self.choose_for_known(c))
            row.addWidget(button)
        row.addStretch()
        return row

    def _people_table(self) -> QTableWidget:
        grid = QTableWidget(len(self._plan.records), 4)
        grid.setHorizontalHeaderLabels(
            [
                self.tr("Line"),
                self.tr("Person, and what comes with them"),
                self.tr("Already"),
                self.tr("Do"),
            ]
        )
        grid.verticalHeader().hide()
        grid.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        grid.setAccessibleName(self.tr("People to import"))
        self.choosers: list[QComboBox] = []
        for row, planned in enumerate(self._plan.records):
            grid.setItem(row, 0, text_cell(str(planned.record.line)))
            grid.setItem(row, 1, text_cell(planned.summary))
            match = planned.match
            grid.setItem(
                row, 2, text_cell(f"{match.name} ({match.why})" if match else self.tr("new"))
            )
            chooser = QComboBox()
            for choice in planned.choices:
                words = self.tr(CHOICE_WORDS[choice]).format(name=match.name if match else "")
                chooser.addItem(words, choice)
            chooser.setCurrentIndex(chooser.findData(planned.default))
            chooser.setAccessibleName(
                self.tr("What to do with line {line}").format(line=planned.record.line)
            )
            chooser.currentIndexChanged.connect(self._count_chosen)
            grid.setCellWidget(row, 3, chooser)
            self.choosers.append(chooser)
        grid.resizeColumnsToContents()
        grid.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        return grid

    def _rejected_table(self) -> QTableWidget:
        grid = QTableWidget(len(self._plan.rejected), 2)
        grid.setHorizontalHeaderLabels([self.tr("Line"), self.tr("Why")])
        grid.verticalHeader().hide()
        grid.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        grid.setAccessibleName(self.tr("Records that cannot be imported"))
        grid.setWordWrap(True)
        for row, rejected in enumerate(self._plan.rejected):
            grid.setItem(row, 0, text_cell(str(rejected.line)))
            grid.setItem(row, 1, text_cell(rejected.reason))
        grid.resizeRowsToContents()
        return grid

    def choose_for_known(self, choice: Choice) -> None:
        for planned, chooser in zip(self._plan.records, self.choosers, strict=True):
            if planned.match is not None:
                chooser.setCurrentIndex(chooser.findData(choice))

    def choices(self) -> dict[int, Choice]:
        return {position: box.currentData() for position, box in enumerate(self.choosers)}

    def _count_chosen(self) -> None:
        chosen = sum(1 for choice in self.choices().values() if choice != Choice.SKIP)
        self.import_button.setText(
            self.tr("Import {count}").format(count=chosen) if chosen else self.tr("Import")
        )
        self.import_button.setEnabled(chosen > 0)
