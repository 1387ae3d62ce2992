"""Which column of a CSV file holds what: the detected exporter's mapping, or a guess,
for the owner to check and correct before anything is read; and which encoding its
letters are in, asked when the guess is unsure (a wrong one garbles every name)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QVBoxLayout,
)

from models.exchange.importing.csv_presets import FIELDS, PRESETS, CsvMapping
from models.exchange.importing.csv_reader import CsvTable
from models.exchange.importing.records import UnreadableFile
from models.exchange.importing.text_decoding import ENCODINGS, encoding_name
from ui.dialogs.cell_editors import WholeCellDelegate, fit_rows_to_drop_downs
from ui.dialogs.form_dialog import text_cell
from ui.formatting import vocabulary


class CsvMappingDialog(QDialog):
    def __init__(
        self,
        table: CsvTable,
        file_name: str,
        parent=None,
        reread: Callable[[str], CsvTable] | None = None,
    ):
        """`reread(encoding)` reads the file again in another encoding (None: not offered)."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("Import {file}: columns").format(file=file_name))
        self.resize(820, 520)
        self._table = table
        self._reread = reread
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.intro.setTextFormat(Qt.TextFormat.PlainText)
        self.encodings = self._encoding_chooser()
        self.unsure = QLabel(
            self.tr(
                "Rapport is not sure which encoding this file is written in. Check that the "
                "names below read right; if they do not, choose another encoding."
            )
        )
        self.unsure.setObjectName("formError")
        self.unsure.setWordWrap(True)
        self.unsure.setTextFormat(Qt.TextFormat.PlainText)
        self.columns = self._columns_table()
        self.month_first = QCheckBox(self.tr("Dates are written month first (4/15/1985)"))
        self.month_first.setChecked(table.mapping.month_first)
        self.error = QLabel()
        self.error.setObjectName("formError")
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Preview the import"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Letters read as"), self.encodings)
        self._layout = QVBoxLayout(self)
        self._layout.addWidget(self.intro)
        self._layout.addLayout(form)
        for widget in (self.unsure, self.columns, self.month_first, self.error, buttons):
            self._layout.addWidget(widget)
        self._show_table()

    def _encoding_chooser(self) -> QComboBox:
        """The likely encodings first, then every other one an exporter writes."""
        chooser = QComboBox()
        likely = self._table.likely_encodings
        for encoding in dict.fromkeys((*likely, "utf-8", *ENCODINGS)):
            chooser.addItem(_encoding_words(encoding), encoding)
            if encoding in likely and len(likely) > 1:
                chooser.setItemData(
                    chooser.count() - 1, self.tr("likely"), Qt.ItemDataRole.ToolTipRole
                )
        chooser.setCurrentIndex(0)
        chooser.setEnabled(self._reread is not None)
        chooser.activated.connect(lambda _index: self._read_again())
        return chooser

    def _read_again(self) -> None:
        """The file read in the chosen encoding: its column names and values change."""
        try:
            table = self._reread(self.encoding())
        except UnreadableFile as error:
            self.error.setText(str(error))
            self.error.show()
            return
        self.error.hide()
        self._table = replace(table, encoding_sure=True)
        columns = self._columns_table()
        self._layout.replaceWidget(self.columns, columns)
        self.columns.deleteLater()
        self.columns = columns
        self._show_table()

    def _show_table(self) -> None:
        table = self._table
        found = PRESETS[table.preset].name if table.preset else self.tr("no known exporter")
        one = self.tr("Rapport read %n row", "", table.row_count)
        many = self.tr("Rapport read %n rows", "", table.row_count)
        rows = one if table.row_count == 1 else many
        self.intro.setText(
            self.tr(
                "{rows} ({encoding}, separated by {separator}); the header looks like "
                "{found}. Check which column holds what; columns set to ignore are left out."
            ).format(
                rows=rows,
                encoding=_encoding_words(table.encoding),
                separator=_separator(table.delimiter),
                found=found,
            )
        )
        self.unsure.setVisible(not table.encoding_sure)

    def encoding(self) -> str:
        return self.encodings.currentData()

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
        grid.setItemDelegateForColumn(1, WholeCellDelegate(grid))
        fit_rows_to_drop_downs(grid)
        if self.choosers:  # wide enough for the longest field's name
            grid.setColumnWidth(1, self.choosers[0].sizeHint().width() + 8)
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
            parts_of={c: whole for c, whole in kept.parts_of.items() if c in same},
            colon_lists=kept.colon_lists & same,
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


def _encoding_words(encoding: str) -> str:
    return QCoreApplication.translate("Encodings", encoding_name(encoding))


def _separator(delimiter: str) -> str:
    words = {
        ",": QCoreApplication.translate("CsvMappingDialog", "commas"),
        ";": QCoreApplication.translate("CsvMappingDialog", "semicolons"),
        "\t": QCoreApplication.translate("CsvMappingDialog", "tabs"),
    }
    return words.get(delimiter, repr(delimiter))
