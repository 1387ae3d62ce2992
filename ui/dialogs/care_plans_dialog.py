"""Settings ▸ Care plans…: the steps each kind of session starts, one table per kind."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from models.care.plans import (
    DEFAULT_PLANS,
    MAX_DAYS,
    MAX_MONTHS,
    PlanStep,
    care_plans,
    save_care_plans,
)
from models.clients.templates import TEMPLATE_KINDS
from models.forms.dialog_forms import ValidationError
from models.values.kinds import INTERACTION_KINDS, SESSION_KINDS
from ui.formatting import vocabulary

COLUMNS = ("title", "months", "days", "template", "marketing", "yearly")


class PlanTable(QTableWidget):
    """One plan's steps, a row each, edited in place."""

    def __init__(self, steps: tuple[PlanStep, ...]):
        super().__init__(0, len(COLUMNS))
        self.setHorizontalHeaderLabels(
            [
                self.tr("Step"),
                self.tr("Months after"),
                self.tr("Days after"),
                self.tr("Template"),
                self.tr("Marketing"),
                self.tr("Every year"),
            ]
        )
        self.verticalHeader().hide()
        # Rows as tall as the editors in them: a line edit or a box, not a line of text.
        self.verticalHeader().setDefaultSectionSize(QComboBox().sizeHint().height() + 14)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(80)
        self.set_steps(steps)

    def set_steps(self, steps: tuple[PlanStep, ...]) -> None:
        self.setRowCount(0)
        for step in steps:
            self.add_step(step)

    def add_step(self, step: PlanStep) -> None:
        row = self.rowCount()
        self.insertRow(row)
        title = QLineEdit(step.title)
        self.setCellWidget(row, 0, title)
        for column, value, limit in ((1, step.months, MAX_MONTHS), (2, step.days, MAX_DAYS)):
            spin = QSpinBox()
            spin.setRange(0, limit)
            spin.setValue(value)
            self.setCellWidget(row, column, spin)
        template = QComboBox()
        template.addItem(self.tr("none"), "")
        for kind, word in TEMPLATE_KINDS.items():
            template.addItem(vocabulary(word), kind)
        template.setCurrentIndex(max(0, template.findData(step.template)))
        self.setCellWidget(row, 3, template)
        for column, on in ((4, step.marketing), (5, step.yearly)):
            box = QCheckBox()
            box.setChecked(on)
            self.setCellWidget(row, column, box)

    def steps(self) -> list[PlanStep]:
        return [
            PlanStep(
                title=self.cellWidget(row, 0).text(),
                months=self.cellWidget(row, 1).value(),
                days=self.cellWidget(row, 2).value(),
                template=self.cellWidget(row, 3).currentData(),
                marketing=self.cellWidget(row, 4).isChecked(),
                yearly=self.cellWidget(row, 5).isChecked(),
            )
            for row in range(self.rowCount())
        ]

    def remove_current(self) -> None:
        if self.currentRow() >= 0:
            self.removeRow(self.currentRow())


class CarePlansDialog(QDialog):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Care plans"))
        self.setMinimumSize(860, 420)
        intro = QLabel(
            self.tr(
                "What to do after each kind of session: each step becomes a follow-up on "
                "Today at its time, with Write… ready. Marketing steps (review requests, "
                "offers) are offered only to clients who agreed to marketing.\n"
                "Changes affect only sessions logged from now on; sessions logged "
                "before keep the plan they started with."
            )
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        self.tables: dict[str, PlanTable] = {}
        self.tabs = QTabWidget()
        for kind, steps in care_plans().items():
            self.tables[kind] = PlanTable(steps)
            self.tabs.addTab(self._plan_tab(kind), vocabulary(INTERACTION_KINDS[kind]))
        self.error = QLabel()
        self.error.setObjectName("formError")
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setWordWrap(True)
        self.error.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _plan_tab(self, kind: str) -> QWidget:
        table = self.tables[kind]
        tab = QWidget()
        buttons = QHBoxLayout()
        for text, slot in (
            (self.tr("Add a step"), lambda: table.add_step(PlanStep(""))),
            (self.tr("Remove the step"), table.remove_current),
            (self.tr("Back to the sample plan"), lambda: table.set_steps(DEFAULT_PLANS[kind])),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch()
        layout = QVBoxLayout(tab)
        layout.addWidget(table, 1)
        layout.addLayout(buttons)
        return tab

    def accept(self) -> None:
        plans = {
            kind: table.steps() for kind, table in self.tables.items() if kind in SESSION_KINDS
        }
        try:
            save_care_plans(plans, set(TEMPLATE_KINDS))
        except ValidationError as error:
            self.error.setText("\n".join(problem.message for problem in error.errors))
            self.error.show()
            return
        super().accept()
