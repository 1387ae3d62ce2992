"""The shape every editing dialog shares: a form, an error line, Save and Cancel.

Subclasses build their fields and implement `save()`, which calls models/ and
raises ValidationError when the input is wrong: the dialog then names each wrong
field, marks it, and stays open with nothing saved.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QDateTime, QLocale, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models.forms.dialog_forms import FieldError, ValidationError
from models.store.database import DatabaseBusy, brief_wait_for_writes
from ui.date_fields import DateEdit, DateTimeEdit
from ui.formatting import vocabulary


class FormDialog(QDialog):
    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.error_label = QLabel()
        self.error_label.setObjectName("formError")
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self._fields: dict[str, QWidget] = {}
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.saved = None

    def add_field(self, label: str, name: str, widget: QWidget) -> QWidget:
        """Add a labelled field; `name` is the form attribute its errors refer to."""
        self.form.addRow(label, widget)
        self._fields[name] = widget
        if label:
            widget.setAccessibleName(label.replace("&", ""))
        return widget

    def mark_field(self, name: str, widget: QWidget) -> None:
        """Let errors about `name` point at `widget` (a part of a compound field)."""
        self._fields[name] = widget

    def save(self):
        raise NotImplementedError

    def accept(self) -> None:
        try:
            self._refuse_typed_dates_that_are_no_dates()
            with brief_wait_for_writes():
                self.saved = self.save()
        except ValidationError as error:
            self.show_errors(error)
            return
        except DatabaseBusy as busy:  # nothing saved; the dialog stays open as typed
            self.error_label.setText(str(busy))
            self.error_label.show()
            return
        super().accept()

    def _refuse_typed_dates_that_are_no_dates(self) -> None:
        """A date field whose text is no day says why before anything is saved."""
        errors = [
            FieldError(name, widget.problem())
            for name, widget in self._fields.items()
            if isinstance(widget, DateEdit | DateTimeEdit)
            and widget.isEnabled()
            and widget.problem()
        ]
        if errors:
            raise ValidationError(errors)

    def show_errors(self, error: ValidationError) -> None:
        for widget in self._fields.values():
            widget.setProperty("invalid", False)
        for field_error in error.errors:
            widget = self._fields.get(field_error.field)
            if widget is not None:
                widget.setProperty("invalid", True)
        for widget in self._fields.values():
            widget.style().unpolish(widget)
            widget.style().polish(widget)
        self.error_label.setText("\n".join(e.message for e in error.errors))
        self.error_label.show()
        first = self._fields.get(error.errors[0].field)
        if first is not None:
            first.setFocus()


def choice_combo(choices: dict[str, str], current: str) -> QComboBox:
    """A combo box of {value: label} (a vocabulary), showing labels in the user's language
    and returning values."""
    combo = QComboBox()
    for value, label in choices.items():
        combo.addItem(vocabulary(label), value)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    return combo


def line_edit(text: str = "", placeholder: str = "") -> QLineEdit:
    edit = QLineEdit(text)
    edit.setPlaceholderText(placeholder)
    return edit


def instant_edit(instant: datetime) -> DateTimeEdit:
    """A date and time field showing `instant` in local time, with a calendar."""
    return DateTimeEdit(QDateTime.fromSecsSinceEpoch(int(instant.timestamp())))


def edited_instant(edit: DateTimeEdit) -> datetime | None:
    """The instant a date and time field shows, in UTC; None while its day is no day."""
    moment = edit.dateTime()
    return datetime.fromtimestamp(moment.toSecsSinceEpoch(), UTC) if moment.isValid() else None


class PartialDateInput(QWidget):
    """Day, month and an optional year: a yearly date whose year may be unknown."""

    def __init__(self, day: int = 1, month: int = 1, year: str = "", parent=None):
        super().__init__(parent)
        self.day = QSpinBox()
        self.day.setRange(1, 31)
        self.day.setValue(day)
        self.day.setAccessibleName(self.tr("Day"))
        self.month = QComboBox()
        locale = QLocale()
        self.month.addItems([locale.standaloneMonthName(number) for number in range(1, 13)])
        self.month.setCurrentIndex(month - 1)
        self.month.setAccessibleName(self.tr("Month"))
        self.year = line_edit(year, self.tr("year (optional)"))
        self.year.setMaximumWidth(120)
        self.year.setAccessibleName(self.tr("Year"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.day, self.month, self.year):
            layout.addWidget(widget)

    def values(self) -> tuple[int, int, str]:
        """(day, month, year text) as typed; validation happens in models/."""
        return self.day.value(), self.month.currentIndex() + 1, self.year.text()


def text_cell(text: str) -> QTableWidgetItem:
    """A read-only table cell; items show their text as it is, never as HTML."""
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    return item
