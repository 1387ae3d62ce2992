"""Which column of a CSV file holds what: the detected exporter's mapping, or a guess,
for the owner to check and correct before anything is read."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QVBoxLayout,
)

from models.importing.csv_presets import FIELDS, PRESETS, CsvMapping
from models.importing.csv_reader import CsvTable
from ui.dialogs.form_dialog import text_cell
from ui.formatting import vocabulary


class CsvMappingDialog(QDialog):
    def __init__(self, table: CsvTable, file_name: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Import {file}: columns").format(file=file_name))
        self.resize(820, 480)
        self._table = table
        found = PRESETS[table.preset].name if table.preset else self.tr("no known exporter")
        intro = QLabel(
            self.tr(
                "Rapport read {rows} rows ({encoding}, separated by {separator}); the header "
                "looks like {found}. Check which column holds what; columns set to ignore are "
                "left out."
            ).format(
                rows=table.row_count,
                encoding=table.encoding,
                separator=_separator(table.delimiter),
                found=found,
            )
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        self.columns = self._columns_table()
        self.month_first = QCheckBox(self.tr("Dates are written month first (4/15/1985)"))
        self.month_first.setChecked(table.mapping.month_first)
        self.error = QLabel()
        self.error.setObjectName("formError")
        self.error.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Preview the import"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (intro, self.columns, self.month_first, self.error, buttons):
            layout.addWidget(widget)

    def _columns_table(self) -> QTableWidget:
        """One row per column: its name, what Rapport reads it as, the first values."""
        header = self._table.header
        grid = QTableWidget(len(header), 3)
        grid.setHorizontalHeaderLabels(
            [self.tr("Column"), self.tr("Read as"), self.tr("First values")]
        )
        grid.verticalHeader().hide()
        grid.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        grid.setAccessibleName(self.tr("Columns"))
        self.choosers: list[QComboBox] = []
        for column, name in enumerate(header):
            grid.setItem(column, 0, text_cell(name))
            chooser = QComboBox()
            chooser.addItem(self.tr("Ignore this column"), "")
            for key, label in FIELDS.items():
                chooser.addItem(vocabulary(label), key)
            chooser.setCurrentIndex(
                max(0, chooser.findData(self._table.mapping.fields.get(column, "")))
            )
            chooser.setAccessibleName(self.tr("Read column {name} as").format(name=name))
            grid.setCellWidget(column, 1, chooser)
            self.choosers.append(chooser)
            samples = [row[column] for row in self._table.rows if column < len(row) and row[column]]
            grid.setItem(column, 2, text_cell(" · ".join(samples[:3])))
        grid.resizeColumnToContents(0)
        grid.setColumnWidth(1, 230)
        return grid

    def mapping(self) -> CsvMapping:
        """The mapping as set; labels and label columns of the detected one are kept for
        the columns still read as they were."""
        fields = {c: box.currentData() for c, box in enumerate(self.choosers) if box.currentData()}
        kept = self._table.mapping
        same = {c for c, key in fields.items() if kept.fields.get(c) == key}
        return replace(
            kept,
            fields=fields,
            labels={c: label for c, label in kept.labels.items() if c in same},
            label_columns={c: of for c, of in kept.label_columns.items() if c in same},
            month_first=self.month_first.isChecked(),
        )

    def accept(self) -> None:
        if not self.mapping().has_name():
            self.error.setText(
                self.tr(
                    "Choose at least one column with a name (first, last or full name, or the "
                    "organization): Rapport needs a name for each client."
                )
            )
            self.error.show()
            return
        super().accept()


def _separator(delimiter: str) -> str:
    words = {
        ",": QCoreApplication.translate("CsvMappingDialog", "commas"),
        ";": QCoreApplication.translate("CsvMappingDialog", "semicolons"),
        "\t": QCoreApplication.translate("CsvMappingDialog", "tabs"),
    }
    return words.get(delimiter, repr(delimiter))
