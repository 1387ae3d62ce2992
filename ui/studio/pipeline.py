"""The pipeline as arrows: leads, then customers, then clients, each with its count; the
past clients beside them, quiet, since they left the flow on purpose."""

from __future__ import annotations

from PySide6.QtCore import QLocale, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QPolygonF
from PySide6.QtWidgets import QWidget

from ui.studio.colours import accent, ink_on, mix, quiet

FLOW = ("lead", "customer", "client")
_TIP = 14.0  # how far each arrow's point reaches into the next
_GAP = 4.0


class PipelineChart(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._stages: dict[str, int] = {}
        self.setAccessibleName(self.tr("Pipeline"))
        self.setMinimumHeight(self.sizeHint().height())

    def _names(self) -> dict[str, str]:
        return {
            "lead": self.tr("Leads"),
            "customer": self.tr("Customers"),
            "client": self.tr("Clients"),
            "past": self.tr("Past clients"),
        }

    def set_stages(self, stages: dict[str, int]) -> None:
        self._stages = dict(stages)
        locale, names = QLocale(), self._names()
        self.setAccessibleDescription(
            ", ".join(f"{names[stage]}: {locale.toString(count)}" for stage, count in self.stages())
        )
        self.update()

    def stages(self) -> list[tuple[str, int]]:
        """What the chart draws: the flow's stages in order, then the past clients."""
        return [(stage, self._stages.get(stage, 0)) for stage in (*FLOW, "past")]

    def sizeHint(self) -> QSize:
        return QSize(600, int(QFontMetricsF(self.font()).height() * 3.4 + 16))

    def paintEvent(self, event) -> None:
        if not self._stages:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        window = palette.color(palette.ColorRole.Window)
        past_width = min(180.0, self.width() / 5)
        step = (self.width() - past_width - 3 * _GAP) / len(FLOW)
        names = self._names()
        for position, (stage, count) in enumerate(self.stages()[: len(FLOW)]):
            fill = mix(window, accent(palette), 0.35 + 0.3 * position)
            shape = self._arrow(position * step, step, first=position == 0)
            self._paint_stage(painter, shape, fill, names[stage], count)
        past = QRectF(self.width() - past_width, 0, past_width, self.height()).adjusted(0, 1, 0, -1)
        shape = QPolygonF([past.topLeft(), past.topRight(), past.bottomRight(), past.bottomLeft()])
        fill = mix(window, quiet(palette), 0.25)
        self._paint_stage(painter, shape, fill, names["past"], self._stages.get("past", 0))
        painter.end()

    def _arrow(self, left: float, width: float, first: bool) -> QPolygonF:
        """An arrow pointing right; all but the first take the previous one's point in a notch."""
        top, bottom, middle = 1.0, self.height() - 1.0, self.height() / 2
        right = left + width - _GAP
        notch = QPointF(left + _TIP, middle)
        points = [QPointF(left, top), QPointF(right - _TIP, top), QPointF(right, middle)]
        points += [QPointF(right - _TIP, bottom), QPointF(left, bottom)]
        if not first:
            points.append(notch)
        return QPolygonF(points)

    def _paint_stage(
        self, painter: QPainter, shape: QPolygonF, fill, name: str, count: int
    ) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawPolygon(shape)
        box = shape.boundingRect().adjusted(_TIP + 8, 6, -_TIP, -6)
        painter.setPen(ink_on(fill, self.palette()))
        small = QFont(self.font())
        painter.setFont(small)
        metrics = QFontMetricsF(small)
        painter.drawText(
            QRectF(box.left(), box.top(), box.width(), metrics.height()),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(name, Qt.TextElideMode.ElideRight, box.width()),
        )
        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 1.6)
        big.setWeight(QFont.Weight.DemiBold)
        painter.setFont(big)
        number = QRectF(
            box.left(), box.top() + metrics.height(), box.width(), box.height() - metrics.height()
        )
        painter.drawText(
            number,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            QLocale().toString(count),
        )
