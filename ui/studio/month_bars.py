"""A bar per month: one series (sessions, or revenue in one currency), months named by
the locale, each bar's value above it when there is room and in its tooltip."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from PySide6.QtCore import QCoreApplication, QEvent, QLocale, QRectF, QSize, Qt
from PySide6.QtGui import QFontMetricsF, QPainter
from PySide6.QtWidgets import QToolTip, QWidget

from ui.studio.colours import accent, ink, quiet


@dataclass(frozen=True)
class Bar:
    month: date  # the first day of the month
    value: Decimal | int
    label: str  # short, above the bar: "12", "1.2k"
    tip: str  # in full: "March 2026: 1,234.50 EUR"


def compact_number(value: Decimal | int) -> str:
    """ "850", "1.2k", "3.4M": short enough to stand above a bar, in the locale's digits."""
    locale = QLocale()
    for size, short in (
        (1_000_000, QCoreApplication.translate("MonthBars", "{number}M", "millions")),
        (1_000, QCoreApplication.translate("MonthBars", "{number}k", "thousands")),
    ):
        if value >= size:
            return short.format(number=locale.toString(float(value) / size, "f", 1))
    return locale.toString(round(value))


class MonthBars(QWidget):
    def __init__(self, name: str, parent=None):
        super().__init__(parent)
        self._bars: list[Bar] = []
        self.setAccessibleName(name)
        self.setMinimumHeight(self.sizeHint().height())

    def set_bars(self, bars: list[Bar]) -> None:
        self._bars = bars
        highest = max(bars, key=lambda bar: bar.value, default=None)
        self.setAccessibleDescription(
            self.tr("Highest: {}").format(highest.tip) if highest and highest.value else ""
        )
        self.update()

    def bars(self) -> list[tuple[date, Decimal | int]]:
        """What the chart draws: one bar per month, oldest first."""
        return [(bar.month, bar.value) for bar in self._bars]

    def sizeHint(self) -> QSize:
        line = QFontMetricsF(self.font()).height()
        return QSize(600, int(line * 3 + 84))

    # --- Geometry ---------------------------------------------------------------------------

    def _small_font(self):
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * 0.85)
        return font

    def _slot_width(self) -> float:
        return self.width() / max(len(self._bars), 1)

    def _plot(self) -> QRectF:
        """Where the bars stand: a line of value labels above, two of month names below."""
        line = QFontMetricsF(self._small_font()).height()
        return QRectF(0, line + 4, self.width(), self.height() - 3 * line - 10)

    def _bar_rects(self) -> list[QRectF]:
        plot, slot = self._plot(), self._slot_width()
        highest = max((bar.value for bar in self._bars), default=0) or 1
        rects = []
        for position, bar in enumerate(self._bars):
            height = max(2.0, plot.height() * float(bar.value) / float(highest))
            if not bar.value:
                height = 1.0
            gap = min(6.0, slot * 0.25)
            rects.append(
                QRectF(position * slot + gap / 2, plot.bottom() - height, slot - gap, height)
            )
        return rects

    # --- Painting ---------------------------------------------------------------------------

    def paintEvent(self, event) -> None:
        if not self._bars:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        rects = self._bar_rects()
        painter.setPen(Qt.PenStyle.NoPen)
        for rect, bar in zip(rects, self._bars, strict=True):
            painter.setBrush(accent(palette) if bar.value else quiet(palette))
            painter.drawRoundedRect(rect, 2, 2)
        painter.setFont(self._small_font())
        self._paint_values(painter, rects)
        self._paint_months(painter)
        painter.end()

    def _paint_values(self, painter: QPainter, rects: list[QRectF]) -> None:
        """Every value when they all fit above their bars, else the highest and the last."""
        metrics = QFontMetricsF(painter.font())
        slot = self._slot_width()
        shown = range(len(self._bars))
        if any(metrics.horizontalAdvance(bar.label) > slot - 2 for bar in self._bars):
            highest = max(shown, key=lambda i: self._bars[i].value)
            shown = sorted({highest, len(self._bars) - 1})
        painter.setPen(ink(self.palette()))
        line = metrics.height()
        for index in shown:
            bar, rect = self._bars[index], rects[index]
            if not bar.value:
                continue
            width = max(slot, metrics.horizontalAdvance(bar.label) + 4)
            label = self._label_rect(rect.center().x(), rect.top() - line - 2, width, line)
            painter.drawText(label, Qt.AlignmentFlag.AlignCenter, bar.label)

    def _paint_months(self, painter: QPainter) -> None:
        """Month names under the bars (every second or third when narrow), the year under
        each January and the first month."""
        locale, metrics = QLocale(), QFontMetricsF(painter.font())
        slot, line = self._slot_width(), metrics.height()
        names = [
            locale.standaloneMonthName(bar.month.month, QLocale.FormatType.ShortFormat)
            for bar in self._bars
        ]
        widest = max(metrics.horizontalAdvance(name) for name in names) + 4
        every = next((step for step in (1, 2, 3, 4, 6) if slot * step >= widest), 12)
        top = self._plot().bottom() + 4
        painter.setPen(quiet(self.palette()))
        for position, (bar, name) in enumerate(zip(self._bars, names, strict=True)):
            centre = position * slot + slot / 2
            if (len(self._bars) - 1 - position) % every == 0:
                label = self._label_rect(centre, top, widest, line)
                painter.drawText(label, Qt.AlignmentFlag.AlignCenter, name)
            if bar.month.month == 1 or position == 0:
                year = QRectF(position * slot, top + line, 60, line)
                painter.drawText(year, Qt.AlignmentFlag.AlignLeft, str(bar.month.year))

    def _label_rect(self, centre: float, top: float, width: float, height: float) -> QRectF:
        """A label centred on `centre`, kept inside the widget."""
        left = min(max(centre - width / 2, 0), self.width() - width)
        return QRectF(left, top, width, height)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and self._bars:
            position = int(event.pos().x() // self._slot_width())
            if 0 <= position < len(self._bars):
                QToolTip.showText(event.globalPos(), self._bars[position].tip, self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)
