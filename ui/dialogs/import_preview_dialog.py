"""Before anything is written: each person in the file, what comes with them, whom they
seem to be already, and a choice per person (add, skip, merge); the rejected records
with their line and reason."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from models.importing.plan import Choice, ImportPlan, PlannedRecord
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
        self.plan = plan
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
        grid = QTableWidget(len(self.plan.records), 4)
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
        for row, planned in enumerate(self.plan.records):
            grid.setItem(row, 0, text_cell(str(planned.record.line)))
            grid.setItem(row, 1, text_cell(planned.summary))
            match = planned.match
            grid.setItem(
                row, 2, text_cell(f"{match.name} ({match.why})" if match else self.tr("new"))
            )
            grid.setItem(row, 3, self._choice_cell(planned))
        # One combo box, made when a row's choice is clicked: a box per row would take
        # seconds for an address book of thousands.
        grid.setItemDelegateForColumn(3, _ChoiceDelegate(self))
        grid.setEditTriggers(
            QAbstractItemView.EditTrigger.CurrentChanged
            | QAbstractItemView.EditTrigger.SelectedClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        grid.itemChanged.connect(lambda _item: self._count_chosen())
        grid.resizeColumnsToContents()
        grid.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        return grid

    def _rejected_table(self) -> QTableWidget:
        grid = QTableWidget(len(self.plan.rejected), 2)
        grid.setHorizontalHeaderLabels([self.tr("Line"), self.tr("Why")])
        grid.verticalHeader().hide()
        grid.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        grid.setAccessibleName(self.tr("Records that cannot be imported"))
        grid.setWordWrap(True)
        for row, rejected in enumerate(self.plan.rejected):
            grid.setItem(row, 0, text_cell(str(rejected.line)))
            grid.setItem(row, 1, text_cell(rejected.reason))
        grid.resizeRowsToContents()
        return grid

    def _choice_cell(self, planned: PlannedRecord) -> QTableWidgetItem:
        item = text_cell("")
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        self._show_choice(item, planned, planned.default)
        return item

    def _show_choice(self, item: QTableWidgetItem, planned: PlannedRecord, choice: Choice) -> None:
        item.setData(Qt.ItemDataRole.UserRole, choice)
        item.setText(self.choice_words(planned, choice))

    def choice_words(self, planned: PlannedRecord, choice: Choice) -> str:
        """ "Add as new", "Skip", "Merge into Anna Berger"."""
        name = planned.match.name if planned.match else ""
        return self.tr(CHOICE_WORDS[choice]).format(name=name)

    def choose(self, position: int, choice: Choice) -> None:
        planned = self.plan.records[position]
        if choice in planned.choices:
            self._show_choice(self.people.item(position, 3), planned, choice)

    def choose_for_known(self, choice: Choice) -> None:
        with QSignalBlocker(self.people):  # counted once at the end, not per row
            for position, planned in enumerate(self.plan.records):
                if planned.match is not None:
                    self.choose(position, choice)
        self._count_chosen()
        self.people.viewport().update()

    def choices(self) -> dict[int, Choice]:
        return {
            position: self.people.item(position, 3).data(Qt.ItemDataRole.UserRole)
            for position in range(self.people.rowCount())
        }

    def _count_chosen(self) -> None:
        chosen = sum(1 for choice in self.choices().values() if choice != Choice.SKIP)
        self.import_button.setText(
            self.tr("Import {count}").format(count=chosen) if chosen else self.tr("Import")
        )
        self.import_button.setEnabled(chosen > 0)


class _ChoiceDelegate(QStyledItemDelegate):
    """Add / Skip / Merge into… for the row being edited, as a combo box."""

    def __init__(self, dialog: ImportPreviewDialog):
        super().__init__(dialog)
        self._dialog = dialog

    def createEditor(self, parent, option, index) -> QComboBox:
        planned = self._dialog.plan.records[index.row()]
        editor = QComboBox(parent)
        for choice in planned.choices:
            editor.addItem(self._dialog.choice_words(planned, choice), choice)
        editor.setAccessibleName(
            self._dialog.tr("What to do with line {line}").format(line=planned.record.line)
        )
        editor.activated.connect(lambda _index: self.commitData.emit(editor))
        return editor

    def setEditorData(self, editor: QComboBox, index) -> None:
        editor.setCurrentIndex(editor.findData(index.data(Qt.ItemDataRole.UserRole)))

    def setModelData(self, editor: QComboBox, model, index) -> None:
        self._dialog.choose(index.row(), editor.currentData())
