"""Before anything is written: each person in the file, what comes with them, whom they
seem to be already, and a choice per person (add, skip, merge); the rejected records
with their line and reason.

Both lists are models that make each cell's text as the view draws it: a file of tens of
thousands of people opens at once and holds no widget item per cell.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyle,
    QStyleOptionComboBox,
    QTableView,
    QVBoxLayout,
)

from models.importing.plan import Choice, ImportPlan, PlannedRecord
from models.importing.records import RejectedRecord
from ui.dialogs.cell_editors import MARGIN, WholeCellDelegate, fit_rows_to_drop_downs
from ui.formatting import plain_tooltip

# Translated when shown (ImportPreviewDialog.tr); marked here for the translators' tools.
CHOICE_WORDS = {
    Choice.ADD: QT_TRANSLATE_NOOP("ImportPreviewDialog", "Add as new"),
    Choice.SKIP: QT_TRANSLATE_NOOP("ImportPreviewDialog", "Skip"),
    Choice.MERGE: QT_TRANSLATE_NOOP("ImportPreviewDialog", "Merge into {name}"),
}
COLUMN_CHOICE = 3  # the people's "Do" column
CHOICE_WIDTH = (160, 360)  # the "Do" column's least and most width, in pixels
WRAPPED_REASONS = 500  # up to this many rejected rows, each is as tall as its reason

_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


class ImportPreviewDialog(QDialog):
    def __init__(self, plan: ImportPlan, file_name: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Import {file}").format(file=file_name))
        self.resize(980, 620)
        self.plan = plan
        known = sum(1 for planned in plan.records if planned.known)  # not the possible ones
        intro = QLabel(self.intro_words(len(plan.records), known, len(plan.rejected)))
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        self.people_model = PeopleModel(self)
        self.people = self._people_table()
        self.rejected = self._rejected_table()
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        if plan.not_kept:  # "12 records had X-SOCIALPROFILE: not kept"
            not_kept = QLabel("; ".join(plan.not_kept_lines()) + ".")
            not_kept.setObjectName("notKept")
            not_kept.setWordWrap(True)
            not_kept.setTextFormat(Qt.TextFormat.PlainText)
            layout.addWidget(not_kept)
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

    def intro_words(self, people: int, known: int, rejected: int) -> str:
        """ "2 people can be imported (1 seems to be a client already); 1 record cannot.
        Nothing is written until you press Import." """
        # English's one and many as two texts, each with the count: a translation can give
        # every plural form of its language.
        one = self.tr("%n person can be imported", "", people)
        many = self.tr("%n people can be imported", "", people)
        parts = [one if people == 1 else many]
        if known:
            one = self.tr("%n seems to be a client already", "", known)
            many = self.tr("%n seem to be clients already", "", known)
            parts[0] += f" ({one if known == 1 else many})"
        if rejected:
            one = self.tr("%n record cannot", "", rejected)
            many = self.tr("%n records cannot", "", rejected)
            parts.append(one if rejected == 1 else many)
        end = self.tr("Nothing is written until you press Import.")
        return f"{'; '.join(parts)}. {end}"

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

    def _people_table(self) -> QTableView:
        grid = QTableView()
        # Each choice is drawn as a drop-down; a real combo box is made only for the row
        # being changed: a box per row would take seconds for an address book of thousands.
        delegate = _ChoiceDelegate(self, grid)
        grid.setItemDelegateForColumn(COLUMN_CHOICE, delegate)
        _set_up(grid, self.people_model, self.tr("People to import"))
        fit_rows_to_drop_downs(grid)
        width = grid.columnWidth(COLUMN_CHOICE)
        grid.setColumnWidth(COLUMN_CHOICE, min(max(width, CHOICE_WIDTH[0]), CHOICE_WIDTH[1]))
        grid.setEditTriggers(
            QAbstractItemView.EditTrigger.CurrentChanged
            | QAbstractItemView.EditTrigger.SelectedClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        grid.pressed.connect(self._open_choice)  # on the press, as a drop-down opens
        self.people_model.dataChanged.connect(lambda *_changed: self._count_chosen())
        return grid

    def _open_choice(self, index: QModelIndex) -> None:
        """One click on a choice opens its list, as on any drop-down."""
        if index.column() != COLUMN_CHOICE:
            return
        if self.people.indexWidget(index) is None:  # (the press made it the current cell)
            self.people.edit(index)
        editor = self.people.indexWidget(index)
        if isinstance(editor, QComboBox):
            editor.showPopup()

    def _rejected_table(self) -> QTableView:
        grid = _set_up(
            QTableView(),
            RejectedModel(self.plan.rejected, self),
            self.tr("Records that cannot be imported"),
        )
        grid.setWordWrap(True)
        if len(self.plan.rejected) <= WRAPPED_REASONS:  # beyond, each reason is in its tooltip
            # Measured again whenever the column's width changes (the dialog is laid out).
            grid.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        return grid

    def people_headers(self) -> list[str]:
        return [
            self.tr("Line"),
            self.tr("Person, and what comes with them"),
            self.tr("Already"),
            self.tr("Do"),
        ]

    def rejected_headers(self) -> list[str]:
        return [self.tr("Line"), self.tr("Why")]

    def already_words(self, planned: PlannedRecord) -> str:
        """ "Anna Berger (same email anna@example.org)", "Anna Berger (possibly: same
        name; birthday differs: …)", or "new"."""
        match = planned.match
        return (
            f"{match.name} ({'; '.join([match.why, *match.differs])})" if match else self.tr("new")
        )

    def choice_words(self, planned: PlannedRecord, choice: Choice) -> str:
        """ "Add as new", "Skip", "Merge into Anna Berger"."""
        name = planned.match.name if planned.match else ""
        return self.tr(CHOICE_WORDS[choice]).format(name=name)

    def choose(self, position: int, choice: Choice) -> None:
        self.people_model.choose(position, choice)

    def choose_for_known(self, choice: Choice) -> None:
        self.people_model.choose_for_known(choice)

    def choices(self) -> dict[int, Choice]:
        return dict(enumerate(self.people_model.choices))

    def _count_chosen(self) -> None:
        chosen = sum(1 for choice in self.people_model.choices if choice != Choice.SKIP)
        self.import_button.setText(
            self.tr("Import {count}").format(count=chosen) if chosen else self.tr("Import")
        )
        self.import_button.setEnabled(chosen > 0)


def _set_up(grid: QTableView, model: QAbstractTableModel, name: str) -> QTableView:
    grid.setModel(model)
    grid.verticalHeader().hide()
    grid.setAccessibleName(name)
    grid.resizeColumnsToContents()  # measured on the first rows only (Qt reads 1,000)
    grid.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
    return grid


class PeopleModel(QAbstractTableModel):
    """Line, person, whom they seem to be already, and what to do with them."""

    def __init__(self, dialog: ImportPreviewDialog):
        super().__init__(dialog)
        self._dialog = dialog
        self._records = dialog.plan.records
        self.choices = [planned.default for planned in self._records]
        self._headers = dialog.people_headers()

    def rowCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return flags | Qt.ItemFlag.ItemIsEditable if index.column() == COLUMN_CHOICE else flags

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.UserRole and index.column() == COLUMN_CHOICE:
            return self.choices[index.row()]
        return _shown(self._text(index.row(), index.column()), role)

    def _text(self, row: int, column: int) -> str:
        planned = self._records[row]
        match column:
            case 0:
                return str(planned.record.line)
            case 1:
                return planned.summary
            case 2:
                return self._dialog.already_words(planned)
            case _:
                return self._dialog.choice_words(planned, self.choices[row])

    def choose(self, position: int, choice: Choice) -> None:
        if choice in self._records[position].choices:
            self.choices[position] = choice
            changed = self.index(position, COLUMN_CHOICE)
            self.dataChanged.emit(changed, changed)

    def choose_for_known(self, choice: Choice) -> None:
        """Every known person's choice at once, told to the view once; a possible match
        (same phone or name only) is left as it is."""
        for position, planned in enumerate(self._records):
            if planned.known:
                self.choices[position] = choice
        if self._records:
            last = len(self._records) - 1
            self.dataChanged.emit(self.index(0, COLUMN_CHOICE), self.index(last, COLUMN_CHOICE))


class RejectedModel(QAbstractTableModel):
    """Line and why, in words."""

    def __init__(self, rejected: list[RejectedRecord], dialog: ImportPreviewDialog):
        super().__init__(dialog)
        self._rejected = rejected
        self._headers = dialog.rejected_headers()

    def rowCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rejected)

    def columnCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else 2

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        rejected = self._rejected[index.row()]
        return _shown(str(rejected.line) if index.column() == 0 else rejected.reason, role)


def _shown(text: str, role: int) -> str | None:
    """A cell's text as shown, and as its tooltip (the whole of a long one), never markup."""
    if role == Qt.ItemDataRole.DisplayRole:
        return text
    return plain_tooltip(text) if role == Qt.ItemDataRole.ToolTipRole else None


class _ChoiceDelegate(WholeCellDelegate):
    """Add / Skip / Merge into…: drawn as a drop-down in every row, a combo box for the
    row being edited."""

    def __init__(self, dialog: ImportPreviewDialog, view: QTableView):
        super().__init__(dialog)
        self._dialog = dialog
        # Never shown: lends its style sheet and size to the drop-downs drawn in the rows.
        self._look = QComboBox(view)
        self._look.hide()

    def _option(self, option, index) -> QStyleOptionComboBox:
        combo = QStyleOptionComboBox()
        combo.initFrom(self._look)
        combo.rect = option.rect.adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN)
        combo.currentText = index.data() or ""
        combo.state = option.state | QStyle.StateFlag.State_Enabled
        combo.frame = True
        return combo

    def paint(self, painter, option, index) -> None:
        combo = self._option(option, index)
        style = self._look.style()
        style.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, combo, painter, self._look)
        style.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, combo, painter, self._look)

    def sizeHint(self, option, index) -> QSize:
        """Wide enough for the row's longest choice beside the arrow: "Merge into Anna
        Berger", not "Merge int…"."""
        planned = self._dialog.plan.records[index.row()]
        texts = [self._dialog.choice_words(planned, choice) for choice in planned.choices]
        widest = max(option.fontMetrics.horizontalAdvance(text) for text in texts)
        combo = self._option(option, index)
        return self._look.style().sizeFromContents(
            QStyle.ContentsType.CT_ComboBox,
            combo,
            QSize(widest, option.fontMetrics.height()),
            self._look,
        ) + QSize(4 * MARGIN, 2 * MARGIN)

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
