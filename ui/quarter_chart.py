"""A small bar chart of interactions per quarter, for the client page."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QToolTip, QWidget

from models.insight.quarters import Quarter

_LABELS = 16  # room under the bars for the years


class QuarterChart(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._counts: list[tuple[Quarter, int]] = []
        self.setMinimumHeight(70)
        self.setAccessibleName(self.tr("Interactions per quarter"))

    def set_counts(self, counts: list[tuple[Quarter, int]]) -> None:
        self._counts = counts
        total = sum(count for _, count in counts)
        self.setAccessibleDescription(
            self.tr("{total} interactions over {quarters} quarters").format(
                total=total, quarters=len(counts)
            )
        )
        self.setVisible(bool(counts))
        self.update()

    def counts(self) -> list[tuple[Quarter, int]]:
        """What the chart draws, one bar per quarter."""
        return list(self._counts)

    def sizeHint(self) -> QSize:
        return QSize(400, 70)

    def _bar_rects(self) -> list[QRectF]:
        if not self._counts:
            return []
        slot = min(22.0, self.width() / len(self._counts))
        highest = max(count for _, count in self._counts) or 1
        room = self.height() - _LABELS - 4
        rects = []
        for position, (_, count) in enumerate(self._counts):
            height = max(2.0, room * count / highest) if count else 1.0
            left = position * slot + 1
            rects.append(QRectF(left, 4 + room - height, slot - 3, height))
        return rects

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        bar, quiet = palette.color(QPalette.ColorRole.Link), palette.color(QPalette.ColorRole.Text)
        quiet.setAlphaF(0.55)
        painter.setPen(Qt.PenStyle.NoPen)
        rects = self._bar_rects()
        for rect, (_, count) in zip(rects, self._counts, strict=True):
            painter.setBrush(bar if count else quiet)
            painter.drawRoundedRect(rect, 2, 2)
        painter.setPen(quiet)
        font = painter.font()
        font.setPointSizeF(font.pointSizeF() * 0.85)
        painter.setFont(font)
        for rect, (quarter, _) in zip(rects, self._counts, strict=True):
            if quarter.number == 1 or rect is rects[0]:
                label = QRectF(rect.left(), self.height() - _LABELS, 60, _LABELS)
                painter.drawText(label, Qt.AlignmentFlag.AlignLeft, str(quarter.year))
        painter.end()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            for rect, (quarter, count) in zip(self._bar_rects(), self._counts, strict=True):
                if rect.left() <= event.pos().x() <= rect.right() + 3:
                    one = self.tr("{quarter}: %n interaction", "", count)
                    many = self.tr("{quarter}: %n interactions", "", count)
                    text = (one if count == 1 else many).format(quarter=quarter.label())
                    QToolTip.showText(event.globalPos(), text, self)
                    return True
            QToolTip.hideText()
            return True
        return super().event(event)
