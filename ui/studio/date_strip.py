"""Twelve months of birthdays and anniversaries as a heat map: a row per month, a cell
per day, darker for more. Click a day (or move with the arrow keys and press Enter) to
ask who."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from PySide6.QtCore import QEvent, QLocale, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QToolTip, QWidget

from models.insight.studio import Greetings
from models.values.partial_dates import months_before
from ui.studio.colours import accent, ink, mix, quiet

_ROW = 20.0  # a month's row, with its gap
_MAX_CELL = 28.0
_HEADER_DAYS = (1, 5, 10, 15, 20, 25, 31)
_SHADES = (0.3, 0.5, 0.75, 1.0)  # of the accent, for a quarter of the busiest day's count each


class DateStrip(QWidget):
    day_clicked = Signal(object)  # a datetime.date

    def __init__(self, today: date, parent=None):
        super().__init__(parent)
        self._first = self._last = today
        self._days: dict[date, Greetings] = {}
        self.selected: date | None = None
        self._measure()
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(self.tr("Birthdays and anniversaries, next 12 months"))
        self.setMinimumHeight(self.sizeHint().height())

    def set_days(self, first: date, last: date, days: dict[date, Greetings]) -> None:
        """Show the days from `first` (today) to `last`, with their greetings."""
        self._first, self._last, self._days = first, last, dict(days)
        if self.selected is not None and not first <= self.selected <= last:
            self.selected = None
        self._measure()
        self.update()

    def _measure(self) -> None:
        """The rows' months and the labels' width: read about 400 times a paint, so made
        once here (with the days, or the font) rather than each time."""
        rows, day = [], self._first.replace(day=1)
        while day <= self._last:
            rows.append(day)
            day = (day + timedelta(days=32)).replace(day=1)
        self._months = rows
        metrics = QFontMetricsF(self.font())
        self._labels = max(metrics.horizontalAdvance(self._month_label(m)) for m in rows) + 12

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange:
            self._measure()
        super().changeEvent(event)

    def counts(self) -> dict[date, Greetings]:
        """What the strip draws: the days with a birthday or anniversary."""
        return dict(self._days)

    def months(self) -> list[date]:
        """The first day of each row's month."""
        return self._months

    def sizeHint(self) -> QSize:
        return QSize(900, int(self._header_height() + 12 * _ROW + 2))

    # --- Geometry ---------------------------------------------------------------------------

    def _header_height(self) -> float:
        return QFontMetricsF(self._small_font()).height() + 4

    def _small_font(self):
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * 0.85)
        return font

    def _label_width(self) -> float:
        return self._labels

    def _cell_width(self) -> float:
        return min(_MAX_CELL, (self.width() - self._label_width()) / 31)

    def cell_rect(self, day: date) -> QRectF | None:
        """Where `day` is drawn; None when it is outside the strip."""
        if not self._first <= day <= self._last:
            return None
        row = self.months().index(day.replace(day=1))
        width = self._cell_width()
        left = self._label_width() + (day.day - 1) * width
        top = self._header_height() + row * _ROW
        return QRectF(left + 1, top + 1, width - 2, _ROW - 3)

    def day_at(self, point: QPointF) -> date | None:
        row = int((point.y() - self._header_height()) // _ROW)
        column = int((point.x() - self._label_width()) // self._cell_width())
        months = self.months()
        if point.y() < self._header_height() or not 0 <= row < len(months):
            return None
        month = months[row]
        if not 0 <= column < calendar.monthrange(month.year, month.month)[1]:
            return None
        day = month.replace(day=column + 1)
        return day if self._first <= day <= self._last else None

    def _month_label(self, month: date) -> str:
        return QLocale().toString(month, "MMM yyyy")

    # --- Painting ---------------------------------------------------------------------------

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._paint_labels(painter)
        busiest = max((g.count for g in self._days.values()), default=0)
        day = self._first
        while day <= self._last:
            self._paint_cell(painter, day, busiest)
            day += timedelta(days=1)
        painter.end()

    def _paint_labels(self, painter: QPainter) -> None:
        palette = self.palette()
        painter.setPen(ink(palette))
        for row, month in enumerate(self.months()):
            rect = QRectF(0, self._header_height() + row * _ROW, self._label_width(), _ROW - 2)
            painter.drawText(rect, Qt.AlignmentFlag.AlignVCenter, self._month_label(month))
        painter.setFont(self._small_font())
        painter.setPen(quiet(palette))
        width = self._cell_width()
        for number in _HEADER_DAYS:
            left = self._label_width() + (number - 1) * width
            rect = QRectF(left - 10, 0, width + 20, self._header_height())
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(number))

    def _paint_cell(self, painter: QPainter, day: date, busiest: int) -> None:
        palette = self.palette()
        window = palette.color(palette.ColorRole.Window)
        count = self._days.get(day, Greetings()).count
        if count:
            shade = _SHADES[min(3, (4 * count - 1) // busiest)]
            fill = mix(window, accent(palette), shade)
        else:
            fill = mix(window, ink(palette), 0.07)
        rect = self.cell_rect(day)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, 3, 3)
        if day in (self.selected, self._first):
            width = 2.0 if day == self.selected else 1.0
            painter.setPen(QPen(ink(palette), width))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(
                rect.adjusted(width / 2, width / 2, -width / 2, -width / 2), 3, 3
            )

    # --- Input ------------------------------------------------------------------------------

    def mousePressEvent(self, event) -> None:
        day = self.day_at(event.position())
        if day is not None and event.button() == Qt.MouseButton.LeftButton:
            self._choose(day)
        super().mousePressEvent(event)

    def keyPressEvent(self, event) -> None:
        key, day = event.key(), self.selected or self._first
        moves = {
            Qt.Key.Key_Left: day - timedelta(days=1),
            Qt.Key.Key_Right: day + timedelta(days=1),
            Qt.Key.Key_Up: months_before(day, 1),
            Qt.Key.Key_Down: months_before(day, -1),
        }
        if key in moves:
            self.selected = min(max(moves[key], self._first), self._last)
            self.setAccessibleDescription(self.describe(self.selected))
            self.update()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self._choose(day)
        else:
            super().keyPressEvent(event)

    def _choose(self, day: date) -> None:
        self.selected = day
        self.update()
        self.day_clicked.emit(day)

    def describe(self, day: date) -> str:
        """ "Sat 28 Nov 2026: 2 birthdays, 1 wedding anniversary", for tooltips and readers."""
        greetings = self._days.get(day, Greetings())
        parts = []
        # English's one and many as two texts, each with the count: a translation can give
        # every plural form of its language.
        if birthdays := greetings.birthdays:
            one = self.tr("%n birthday", "", birthdays)
            many = self.tr("%n birthdays", "", birthdays)
            parts.append(one if birthdays == 1 else many)
        if anniversaries := greetings.anniversaries:
            one = self.tr("%n wedding anniversary", "", anniversaries)
            many = self.tr("%n wedding anniversaries", "", anniversaries)
            parts.append(one if anniversaries == 1 else many)
        what = ", ".join(parts) or self.tr("no birthdays or anniversaries")
        return f"{QLocale().toString(day, 'ddd d MMM yyyy')}: {what}"

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            day = self.day_at(QPointF(event.pos()))
            if day is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), self.describe(day), self)
            return True
        return super().event(event)
