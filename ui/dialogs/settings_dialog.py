"""Settings: when reminders fire, how leap-day dates move, notifications and the tray."""

from __future__ import annotations

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QTimeEdit,
)

from models.reminders import LEAP_DAY_RULES
from models.settings import is_on, leap_day_rule, reminder_time, set_on, set_setting
from ui.autostart import set_start_at_login
from ui.dialogs.backups_box import BackupsBox


class SettingsDialog(QDialog):
    def __init__(self, backups: BackupsBox | None = None, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setMinimumWidth(520)
        at = reminder_time()
        self.reminder_time = QTimeEdit(QTime(at.hour, at.minute))
        self.reminder_time.setDisplayFormat("HH:mm")
        self.leap_day = QComboBox()
        for rule, text in LEAP_DAY_RULES.items():
            self.leap_day.addItem(text, rule)
        self.leap_day.setCurrentIndex(self.leap_day.findData(leap_day_rule()))
        self.notifications = QCheckBox("Show desktop notifications")
        self.close_to_tray = QCheckBox("Closing the window keeps Rapport in the tray")
        self.start_at_login = QCheckBox("Start Rapport in the tray when I log in")
        for box, key in self._switches():
            box.setChecked(is_on(key))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Remind me at", self.reminder_time)
        form.addRow("29 February in other years", self.leap_day)
        form.addRow(self.notifications)
        form.addRow(self.close_to_tray)
        form.addRow(self.start_at_login)
        if backups is not None:
            form.addRow(backups)
        form.addRow(buttons)

    def _switches(self):
        return (
            (self.notifications, "notifications"),
            (self.close_to_tray, "close_to_tray"),
            (self.start_at_login, "start_at_login"),
        )

    def save(self) -> None:
        set_setting("reminder_time", self.reminder_time.time().toString("HH:mm"))
        set_setting("leap_day_rule", self.leap_day.currentData())
        for box, key in self._switches():
            set_on(key, box.isChecked())
        set_start_at_login(self.start_at_login.isChecked())
        self.accept()
