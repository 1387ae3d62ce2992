"""Drop-downs that live in table cells, at their full height.

Qt places a cell's editor in the cell's text area, which the style sheet pads by 6 px
top and bottom (QTableView::item): a combo box placed there was clipped top and bottom.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QTableView

MARGIN = 2  # pixels between the drop-down and the cell's edges


class WholeCellDelegate(QStyledItemDelegate):
    """Places a cell's editor (or widget) over the whole cell, not its padded text area."""

    def updateEditorGeometry(self, editor, option, index) -> None:
        editor.setGeometry(option.rect.adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN))


def fit_rows_to_drop_downs(grid: QTableView) -> None:
    """Rows as tall as a drop-down with its margins (and the grid's line)."""
    height = QComboBox().sizeHint().height() + 2 * MARGIN + int(grid.showGrid())
    grid.verticalHeader().setDefaultSectionSize(height)
