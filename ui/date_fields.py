"""Date and date-and-time fields: a day is typed as people write it (12.6.2021,
12/06/2021 in the locale's order, 2021-06-12, 12 June 2021) or picked from a calendar.

A field is a line edit, not a QDateEdit: QDateEdit takes typed text one section at a time
and swallows separators, so "12.6.2021" could not be typed. The text is read by
models/exchange/importing/date_text.py, the one home of reading dates, and shown again in the
locale's short format with a four-digit year (ISO where the locale's format has no
separators, as under C.UTF-8).
"""

from __future__ import annotations

import re
from datetime import date

from PySide6.QtCore import (
    QDate,
    QDateTime,
    QEvent,
    QLocale,
    QPoint,
    QPointF,
    QRectF,
    Qt,
    QTime,
    Signal,
)
from PySide6.QtGui import QIcon, QKeyEvent, QPainter, QPalette, QPen, QPixmap, QTextCharFormat
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLineEdit,
    QTimeEdit,
    QWidget,
)

from models.exchange.importing.date_text import DateTextError, typed_day

ISO_DATE = "yyyy-MM-dd"


def date_format(locale: QLocale | None = None) -> str:
    """The locale's short date format with the year in full ("dd.MM.yyyy", "M/d/yyyy"),
    or ISO when its fields are not separated by anything but spaces (C: "d MM yyyy")."""
    short = (locale or QLocale()).dateFormat(QLocale.FormatType.ShortFormat)
    if not re.sub(r"[dMy\s]", "", short):
        return ISO_DATE
    return re.sub(r"y+", "yyyy", short)


def time_format(locale: QLocale | None = None) -> str:
    """The locale's short time format, or 24 hours where it has no separator."""
    short = (locale or QLocale()).timeFormat(QLocale.FormatType.ShortFormat)
    return short if ":" in short or "." in short else "HH:mm"


def _month_first(locale: QLocale) -> bool:
    short = locale.dateFormat(QLocale.FormatType.ShortFormat)
    return 0 <= short.find("M") < short.find("d")


def _month_names(locale: QLocale) -> dict[str, int]:
    """The locale's names of the months, long and short, for typed dates."""
    names = {}
    for month in range(1, 13):
        for kind in (QLocale.FormatType.LongFormat, QLocale.FormatType.ShortFormat):
            names[locale.monthName(month, kind)] = month
            names[locale.standaloneMonthName(month, kind)] = month
    return names


class DateEdit(QLineEdit):
    """A day, typed or picked; `date()` is a null QDate while the text is no day, and
    `problem()` says why."""

    dateChanged = Signal(QDate)

    def __init__(self, day: date | QDate, parent: QWidget | None = None):
        super().__init__(parent)
        locale = QLocale()
        self._locale = locale
        self._format = date_format(locale)
        self._month_first = _month_first(locale)
        self._month_names = _month_names(locale)
        self._date = QDate()
        self._problem = ""
        self._minimum = QDate()
        self._calendar = QCalendarWidget(self)
        self._calendar.setWindowFlags(Qt.WindowType.Popup)
        self._calendar.setVerticalHeaderFormat(
            QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader
        )
        # Weekends in the text colour: Qt's pure red is hard to read on the dark scheme, and
        # nothing in Rapport is closed at weekends.
        for weekend in (Qt.DayOfWeek.Saturday, Qt.DayOfWeek.Sunday):
            self._calendar.setWeekdayTextFormat(weekend, QTextCharFormat())
        self._calendar.clicked.connect(self._picked)
        self._calendar.activated.connect(self._picked)
        self._button = self.addAction(QIcon(), QLineEdit.ActionPosition.TrailingPosition)
        self._button.setToolTip(self.tr("Pick a day from the calendar (Alt+Down)"))
        self._button.triggered.connect(self.show_calendar)
        self._draw_icon()
        self.setPlaceholderText(self._show(QDate(2021, 6, 12)))
        self._hint = self.tr("Type a day like {example}, 2021-06-12 or 12 June 2021").format(
            example=self._show(QDate(2021, 6, 12))
        )
        self.textEdited.connect(self._read)
        self.editingFinished.connect(self._tidy)
        self.setDate(day)

    def date(self) -> QDate:
        return QDate(self._date)

    def setDate(self, day: date | QDate) -> None:
        day = QDate(day)
        self.setText(self._show(day))
        self._read(self.text())

    def problem(self) -> str:
        """Why the text is no day the field accepts; empty when it is one."""
        return self._problem

    def setMinimumDate(self, day: date | QDate) -> None:
        self._minimum = QDate(day)
        self._calendar.setMinimumDate(self._minimum)
        self._read(self.text())

    def calendarWidget(self) -> QCalendarWidget:
        return self._calendar

    def show_calendar(self) -> None:
        if self._date.isValid():
            self._calendar.setSelectedDate(self._date)
        self._calendar.adjustSize()
        self._calendar.move(self.mapToGlobal(QPoint(0, self.height())))
        self._calendar.show()
        self._calendar.setFocus()

    def _picked(self, day: QDate) -> None:
        self._calendar.hide()
        self.setDate(day)
        self.setFocus()

    def _show(self, day: QDate) -> str:
        return self._locale.toString(day, self._format) if day.isValid() else ""

    def _read(self, text: str) -> None:
        try:
            day = QDate(
                typed_day(text, month_first=self._month_first, month_names=self._month_names)
            )
        except DateTextError as error:
            day = QDate()
            problem = self.tr("'{text}' is not a day: {why}.").format(text=text.strip(), why=error)
        else:
            problem = ""
            if self._minimum.isValid() and day < self._minimum:
                earliest = self._show(self._minimum)
                day, problem = QDate(), self.tr("Pick {day} or later.").format(day=earliest)
        self._problem = problem
        self.setToolTip(problem or self._hint)
        self.setProperty("invalid", bool(problem))
        self.style().unpolish(self)
        self.style().polish(self)
        if day != self._date:
            self._date = day
            self.dateChanged.emit(QDate(day))

    def _tidy(self) -> None:
        """Show a typed day in the field's format once typing ends: 12.6.2021 -> 12.06.2021."""
        if self._date.isValid():
            self.setText(self._show(self._date))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        alt = event.modifiers() & Qt.KeyboardModifier.AltModifier
        if (alt and event.key() == Qt.Key.Key_Down) or event.key() == Qt.Key.Key_F4:
            self.show_calendar()
        elif event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down) and self._date.isValid():
            self.setDate(self._date.addDays(1 if event.key() == Qt.Key.Key_Up else -1))
        else:
            super().keyPressEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        # A switch between light and dark: the calendar icon takes the new text colour.
        if event.type() == QEvent.Type.PaletteChange:
            self._draw_icon()
        super().changeEvent(event)

    def _draw_icon(self) -> None:
        """A small calendar, drawn in the placeholder colour of the current scheme."""
        size = 16
        pixmap = QPixmap(size * 2, size * 2)
        pixmap.setDevicePixelRatio(2)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(self.palette().color(QPalette.ColorRole.PlaceholderText), 1.4))
        painter.drawRoundedRect(QRectF(2.5, 3.5, 11, 10), 1.5, 1.5)
        painter.drawLine(QPoint(3, 6), QPoint(13, 6))
        for x in (5.5, 10.5):  # the rings
            painter.drawLine(QPointF(x, 2), QPointF(x, 5))
        painter.end()
        self._button.setIcon(QIcon(pixmap))


class DateTimeEdit(QWidget):
    """A day (DateEdit) and a time of day (the locale's hours and minutes), local time."""

    def __init__(self, moment: QDateTime, parent: QWidget | None = None):
        super().__init__(parent)
        self.day = DateEdit(moment.date())
        self.clock = QTimeEdit(moment.time())
        self.clock.setDisplayFormat(time_format())
        self.day.setAccessibleName(self.tr("Day"))
        self.clock.setAccessibleName(self.tr("Time"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.day, 1)
        layout.addWidget(self.clock)
        self.setFocusProxy(self.day)
        self._minimum = QDateTime()

    def dateTime(self) -> QDateTime:
        """The local date and time shown (never before the minimum); invalid while the
        typed day is no day."""
        if not self.day.date().isValid():
            return QDateTime()
        moment = QDateTime(self.day.date(), self.clock.time())
        if self._minimum.isValid() and moment < self._minimum:
            return QDateTime(self._minimum)
        return moment

    def setDateTime(self, moment: QDateTime) -> None:
        self.day.setDate(moment.date())
        self.clock.setTime(moment.time())

    def date(self) -> QDate:
        return self.day.date()

    def time(self) -> QTime:
        return self.clock.time()

    def setMinimumDateTime(self, moment: QDateTime) -> None:
        self._minimum = QDateTime(moment)
        self.day.setMinimumDate(moment.date())

    def problem(self) -> str:
        return self.day.problem()

    def calendarWidget(self) -> QCalendarWidget:
        return self.day.calendarWidget()
