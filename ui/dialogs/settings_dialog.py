"""Settings: when reminders fire, how leap-day dates move, notifications and the tray,
the relationship's thresholds, the look, and the calendar file kept up to date.

The rules and the saving are models/forms/settings_form.py's: this dialog shows the form in
widgets, reads them back into it and says what is wrong."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QTime
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

from models.forms.dialog_forms import FieldError, ValidationError
from models.forms.settings_form import (
    DRIFTING_AFTER_MONTHS,
    PROMOTE_AFTER_BOOKINGS,
    SWITCHES,
    SettingsError,
    SettingsForm,
    save_settings,
    settings_form,
)
from models.reminders.rules import LEAP_DAY_RULES
from ui.autostart import set_start_at_login
from ui.dialogs.backups_box import BackupsBox
from ui.dialogs.care_plans_dialog import CarePlansDialog
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
        open_accounts: Callable[[], None] | None = None,
    ):
        super().__init__(parent)
        self._backups_folder = backups_folder  # never a place for the calendar file
        self.setWindowTitle(self.tr("Settings"))
        self.setMinimumWidth(520)
        self._separators = locale_separators()
        stored = settings_form(self._separators)
        at = stored.reminder_time
        self.reminder_time = QTimeEdit(QTime(at.hour, at.minute))
        self.reminder_time.setDisplayFormat("HH:mm")
        self.leap_day = QComboBox()
        for rule, text in LEAP_DAY_RULES.items():
            self.leap_day.addItem(vocabulary(text), rule)
        self.leap_day.setCurrentIndex(self.leap_day.findData(stored.leap_day_rule))
        self.notifications = QCheckBox(self.tr("Show desktop notifications"))
        self.close_to_tray = QCheckBox(self.tr("Closing the window keeps Rapport in the tray"))
        self.start_at_login = QCheckBox(self.tr("Start Rapport in the tray when I log in"))
        self.promote_after = _spin(
            PROMOTE_AFTER_BOOKINGS, self.tr(" bookings"), stored.promote_after_bookings
        )
        self.promote_value = QLineEdit(stored.promote_after_value)
        self.promote_value.setPlaceholderText(self.tr("or a lifetime value, e.g. 1500 (optional)"))
        self.drifting_after = _spin(
            DRIFTING_AFTER_MONTHS, self.tr(" months"), stored.drifting_after_months
        )
        self.your_name = QLineEdit(stored.your_name)
        self.your_name.setPlaceholderText(self.tr("signs your messages, e.g. Lena Wolf"))
        self.gift_budget = QLineEdit(stored.gift_budget)
        self.gift_budget.setPlaceholderText(self.tr("a year, e.g. 500 (optional)"))
        self.gift_budget.setAccessibleName(self.tr("Gift budget"))
        self.gift_budget_currency = QLineEdit(stored.gift_budget_currency)
        self.gift_budget_currency.setPlaceholderText(self.tr("currency"))
        self.gift_budget_currency.setMaxLength(3)
        self.gift_budget_currency.setMaximumWidth(70)
        self.gift_budget_currency.setAccessibleName(self.tr("Gift budget currency"))
        self.appearance = choice_combo(APPEARANCES, stored.appearance)
        self.calendar_file = QLineEdit(stored.calendar_file)
        self.calendar_file.setPlaceholderText(
            self.tr("off: choose a file a calendar app can subscribe to")
        )
        self.calendar_file.setAccessibleName(self.tr("Calendar file"))
        self.booking_calendar = QLineEdit(stored.booking_calendar)
        self.booking_calendar.setPlaceholderText(
            self.tr("none: an .ics file or the https:// address of your booking calendar")
        )
        self.booking_calendar.setAccessibleName(self.tr("Booking calendar"))
        for key in SWITCHES:
            getattr(self, key).setChecked(getattr(stored, key))
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
        budget = QHBoxLayout()
        budget.addWidget(self.gift_budget, 1)
        budget.addWidget(self.gift_budget_currency)
        form.addRow(self.tr("Gift budget per year"), budget)
        form.addRow(self.tr("Appearance"), self.appearance)
        form.addRow(self.tr("Keep a calendar file"), self._calendar_row())
        form.addRow(self.tr("Booking calendar"), self.booking_calendar)
        if open_accounts is not None:
            accounts = QPushButton(self.tr("Accounts…"))
            accounts.setToolTip(self.tr("Address book, calendars and mail on your servers"))
            accounts.clicked.connect(open_accounts)
            form.addRow(self.tr("Phone and mail"), accounts)
        self.care_plans = QPushButton(self.tr("Care plans…"))
        self.care_plans.setToolTip(self.tr("The steps each kind of session starts"))
        self.care_plans.clicked.connect(lambda: CarePlansDialog(self).exec())
        form.addRow(self.tr("After a session"), self.care_plans)
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

    def form(self) -> SettingsForm:
        """What the widgets say, as the form models/ checks and saves."""
        at = self.reminder_time.time()
        return SettingsForm(
            reminder_time=time(at.hour(), at.minute()),
            leap_day_rule=self.leap_day.currentData(),
            **{key: getattr(self, key).isChecked() for key in SWITCHES},
            promote_after_bookings=self.promote_after.value(),
            promote_after_value=self.promote_value.text(),
            drifting_after_months=self.drifting_after.value(),
            your_name=self.your_name.text(),
            appearance=self.appearance.currentData(),
            calendar_file=self.calendar_file.text(),
            booking_calendar=self.booking_calendar.text(),
            separators=self._separators,
            backups_folder=self._backups_folder,
            gift_budget=self.gift_budget.text(),
            gift_budget_currency=self.gift_budget_currency.text(),
        )

    def save(self) -> None:
        form = self.form()
        try:
            save_settings(form)
        except ValidationError as error:
            self.error.setText("\n".join(_in_words(problem) for problem in error.errors))
            self.error.show()
            return
        set_start_at_login(form.start_at_login)
        set_appearance(form.appearance)  # at once, no restart
        self.accept()


def _in_words(problem: FieldError) -> str:
    """The problem's sentence in the owner's language."""
    if not isinstance(problem, SettingsError):
        return problem.message
    sentence = QCoreApplication.translate("SettingsForm", problem.template)
    return sentence.format(**dict(problem.values))


def _spin(limits: tuple[int, int], suffix: str, value: int) -> QSpinBox:
    box = QSpinBox()
    box.setRange(*limits)
    box.setSuffix(suffix)
    box.setValue(value)
    return box
