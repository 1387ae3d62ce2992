"""Settings: when reminders fire, how leap-day dates move, notifications and the tray,
the relationship's thresholds, the look, and the calendar file kept up to date."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path

from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTimeEdit,
    QWidget,
)

from models.amounts import AmountError, parse_amount, typed_amount
from models.database import db, open_database_path
from models.export_target import export_target_problem
from models.reminders import LEAP_DAY_RULES
from models.settings import (
    get_setting,
    is_on,
    leap_day_rule,
    reminder_time,
    set_on,
    set_setting,
    setting_number,
)
from ui.autostart import set_start_at_login
from ui.dialogs.backups_box import BackupsBox
from ui.dialogs.form_dialog import choice_combo
from ui.file_dialogs import save_file
from ui.formatting import locale_separators, vocabulary
from ui.style import APPEARANCES, set_appearance

STARTS_IN = ("your_name", "reminder_time")  # fields Today's first-start steps open at


class SettingsDialog(QDialog):
    def __init__(
        self,
        backups: BackupsBox | None = None,
        field: str = "",
        parent=None,
        backups_folder: Path | None = None,
    ):
        super().__init__(parent)
        self._backups_folder = backups_folder  # never a place for the calendar file
        self.setWindowTitle(self.tr("Settings"))
        self.setMinimumWidth(520)
        at = reminder_time()
        self.reminder_time = QTimeEdit(QTime(at.hour, at.minute))
        self.reminder_time.setDisplayFormat("HH:mm")
        self.leap_day = QComboBox()
        for rule, text in LEAP_DAY_RULES.items():
            self.leap_day.addItem(vocabulary(text), rule)
        self.leap_day.setCurrentIndex(self.leap_day.findData(leap_day_rule()))
        self.notifications = QCheckBox(self.tr("Show desktop notifications"))
        self.close_to_tray = QCheckBox(self.tr("Closing the window keeps Rapport in the tray"))
        self.start_at_login = QCheckBox(self.tr("Start Rapport in the tray when I log in"))
        self.promote_after = _spin(1, 100, self.tr(" bookings"), "promote_after_bookings")
        self._separators = locale_separators()
        self.promote_value = QLineEdit(self._stored_amount("promote_after_value"))
        self.promote_value.setPlaceholderText(self.tr("or a lifetime value, e.g. 1500 (optional)"))
        self.drifting_after = _spin(1, 120, self.tr(" months"), "drifting_after_months")
        self.your_name = QLineEdit(get_setting("your_name"))
        self.your_name.setPlaceholderText(self.tr("signs your messages, e.g. Lena Wolf"))
        self.appearance = choice_combo(APPEARANCES, get_setting("appearance"))
        self.calendar_file = QLineEdit(get_setting("calendar_file"))
        self.calendar_file.setPlaceholderText(
            self.tr("off: choose a file a calendar app can subscribe to")
        )
        self.calendar_file.setAccessibleName(self.tr("Calendar file"))
        for box, key in self._switches():
            box.setChecked(is_on(key))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.tr("Remind me at"), self.reminder_time)
        form.addRow(self.tr("29 February in other years"), self.leap_day)
        form.addRow(self.notifications)
        form.addRow(self.close_to_tray)
        form.addRow(self.start_at_login)
        form.addRow(self.tr("Suggest making a customer a client after"), self.promote_after)
        form.addRow("", self.promote_value)
        form.addRow(self.tr("A client is drifting after"), self.drifting_after)
        form.addRow(self.tr("Your name"), self.your_name)
        form.addRow(self.tr("Appearance"), self.appearance)
        form.addRow(self.tr("Keep a calendar file"), self._calendar_row())
        self.error = QLabel()
        self.error.setObjectName("formError")
        self.error.setTextFormat(Qt.TextFormat.PlainText)  # it quotes the path typed
        self.error.hide()
        form.addRow(self.error)
        if backups is not None:
            form.addRow(backups)
        form.addRow(buttons)
        if field in STARTS_IN:
            getattr(self, field).setFocus(Qt.FocusReason.OtherFocusReason)  # a step asked for it

    def _switches(self):
        return (
            (self.notifications, "notifications"),
            (self.close_to_tray, "close_to_tray"),
            (self.start_at_login, "start_at_login"),
        )

    def _calendar_row(self) -> QWidget:
        """The birthdays and anniversaries, rewritten to this file after every change."""
        choose = QPushButton(self.tr("Choose…"))
        choose.clicked.connect(self._choose_calendar_file)
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.calendar_file, 1)
        layout.addWidget(choose)
        return row

    def _choose_calendar_file(self) -> None:
        path = save_file(
            self, self.tr("Keep a calendar file"), "rapport-dates.ics", self.tr("iCalendar (*.ics)")
        )
        if path:
            self.calendar_file.setText(str(path))

    def _problem(self) -> str | None:
        try:
            value = parse_amount(self.promote_value.text(), self._separators)
        except AmountError as error:
            return self.tr("For the lifetime value, {why}").format(why=error)
        if value is not None and value <= 0:
            return self.tr("The lifetime value is a number above 0, or empty.")
        calendar = self.calendar_file.text().strip()
        if calendar and not Path(calendar).expanduser().parent.is_dir():
            return self.tr("The folder of the calendar file does not exist: {folder}").format(
                folder=Path(calendar).parent
            )
        if calendar:
            target = Path(calendar).expanduser()
            return export_target_problem(target, open_database_path(), self._backups_folder)
        return None

    def _stored_amount(self, key: str) -> str:
        """A stored amount as the owner's locale writes it (a hand-edited one as it is)."""
        stored = get_setting(key)
        try:
            return typed_amount(Decimal(stored), self._separators) if stored else ""
        except InvalidOperation:
            return stored

    def save(self) -> None:
        problem = self._problem()
        if problem:
            self.error.setText(problem)
            self.error.show()
            return
        with db.atomic():  # all the settings, or none
            self._store()
        set_start_at_login(self.start_at_login.isChecked())
        set_appearance(self.appearance.currentData())  # at once, no restart
        self.accept()

    def _store(self) -> None:
        value = parse_amount(self.promote_value.text(), self._separators)
        calendar = self.calendar_file.text().strip()
        set_setting("calendar_file", str(Path(calendar).expanduser()) if calendar else "")
        set_setting("promote_after_value", "" if value is None else str(value))
        set_setting("promote_after_bookings", str(self.promote_after.value()))
        set_setting("drifting_after_months", str(self.drifting_after.value()))
        set_setting("your_name", self.your_name.text().strip())
        set_setting("reminder_time", self.reminder_time.time().toString("HH:mm"))
        set_setting("leap_day_rule", self.leap_day.currentData())
        set_setting("appearance", self.appearance.currentData())
        for box, key in self._switches():
            set_on(key, box.isChecked())


def _spin(low: int, high: int, suffix: str, key: str) -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setSuffix(suffix)
    box.setValue(setting_number(key) or low)
    return box
