"""Settings: what the owner changes is stored; a wrong value is named, nothing saved."""

from __future__ import annotations

from PySide6.QtCore import QLocale, QTime

from models.store.settings import get_setting, reminder_time, set_setting
from ui.dialogs.settings_dialog import SettingsDialog


def test_settings_are_saved_and_a_wrong_value_is_named(qtbot, database, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(database.database) + "-config")  # autostart file
    dialog = SettingsDialog()
    qtbot.addWidget(dialog)
    assert dialog.promote_after.value() == 2 and dialog.drifting_after.value() == 12
    dialog.reminder_time.setTime(QTime(8, 30))
    dialog.leap_day.setCurrentIndex(dialog.leap_day.findData("mar1"))
    dialog.promote_after.setValue(3)
    dialog.drifting_after.setValue(18)
    dialog.your_name.setText(" Lena Wolf ")
    dialog.promote_value.setText("lots")
    dialog.save()
    assert dialog.error.isVisibleTo(dialog)
    assert "lifetime value" in dialog.error.text()
    assert get_setting("promote_after_bookings") == "2"  # nothing saved
    dialog.promote_value.setText("1,500.50")  # in the C locale's way, as the test runs
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert reminder_time().strftime("%H:%M") == "08:30"
    assert get_setting("leap_day_rule") == "mar1"
    assert get_setting("promote_after_bookings") == "3"
    assert get_setting("promote_after_value") == "1500.50"
    assert get_setting("drifting_after_months") == "18"
    assert get_setting("your_name") == "Lena Wolf"


def test_the_lifetime_value_is_read_in_the_owners_locale(qtbot, database, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(database.database) + "-config")  # autostart file
    before = QLocale()
    QLocale.setDefault(QLocale("de_DE"))
    try:
        set_setting("promote_after_value", "2400.5")
        dialog = SettingsDialog()
        qtbot.addWidget(dialog)
        assert dialog.promote_value.text() == "2.400,5"
        dialog.promote_value.setText("2,400")  # 2.4 or 2400? Not guessed.
        dialog.save()
        assert "could be read as 2.400,00 or as 2,40" in dialog.error.text()
        dialog.promote_value.setText("2.400")
        dialog.save()
    finally:
        QLocale.setDefault(before)
    assert get_setting("promote_after_value") == "2400"


def test_the_calendar_file_needs_a_folder_that_exists(qtbot, database, monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))  # autostart file
    dialog = SettingsDialog()
    qtbot.addWidget(dialog)
    dialog.calendar_file.setText(str(tmp_path / "gone" / "dates.ics"))
    dialog.save()
    assert "does not exist" in dialog.error.text()
    assert get_setting("calendar_file") == ""
    dialog.calendar_file.setText(str(tmp_path / "dates.ics"))
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert get_setting("calendar_file") == str(tmp_path / "dates.ics")
