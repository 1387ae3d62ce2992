"""Dates can be picked and typed: every date field's calendar is drawn whole in light and
dark, the field shows the locale's short date with separators (ISO where the locale has
none), and a day is typed as people write it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QLocale, QRect, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QDialogButtonBox, QTableView

from models.clients.saving import save_client
from models.exchange.importing.date_text import DateTextError, typed_day
from models.forms.dialog_forms import ClientForm
from models.store.entities import Interaction, Wish
from ui.date_fields import DateEdit, DateTimeEdit, date_format
from ui.dialogs.follow_up_dialog import FollowUpDialog
from ui.dialogs.interaction_dialog import InteractionDialog
from ui.dialogs.snooze_dialog import SnoozeDialog
from ui.dialogs.wish_dialog import WishDialog
from ui.theme import palette_for, style_sheet

SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
NOW = datetime(2026, 6, 16, 18, 21, tzinfo=UTC)
TYPED = ["12.6.2021", "2021-06-12", "12 June 2021", "June 12, 2021", "12 Jun 2021"]


@pytest.mark.parametrize("text", TYPED)
def test_a_day_is_read_as_people_type_it(text):
    assert typed_day(text) == date(2021, 6, 12)


def test_slashes_follow_the_locales_order_and_month_names_its_language():
    assert typed_day("12/06/2021") == date(2021, 6, 12)
    assert typed_day("06/12/2021", month_first=True) == date(2021, 6, 12)
    assert typed_day("12. Juni 2021", month_names={"Juni": 6}) == date(2021, 6, 12)
    assert typed_day("2021/06/12") == date(2021, 6, 12)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("31.2.2021", "February has only 28 days"),
        ("12.6.21", "the year '21' is not written in full"),
        ("12.6.", "the year is missing"),
        ("12 Ju 2021", "write it like 2021-06-12"),
        ("soon", "write it like 2021-06-12"),
    ],
)
def test_a_typed_day_that_is_no_day_says_why(text, why):
    with pytest.raises(DateTextError, match=why):
        typed_day(text)


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("C", "2026-06-16"),  # C.UTF-8 writes "16 06 2026": no separators, so ISO
        ("de_DE", "16.06.2026"),
        ("en_US", "6/16/2026"),
        ("fr_FR", "16/06/2026"),
    ],
)
def test_a_field_shows_the_locales_short_date_with_separators_and_the_year_in_full(
    qtbot, locale, name, shown
):
    locale(name)
    field = DateTimeEdit(QDate(2026, 6, 16).startOfDay().addSecs(20 * 3600 + 21 * 60))
    qtbot.addWidget(field)
    assert field.day.text() == shown
    assert field.clock.text() in ("20:21", "8:21\u202fPM", "8:21 PM")


@pytest.mark.parametrize(
    ("name", "typed"),
    [
        ("de_DE", "12.6.2021"),
        ("de_DE", "12. Juni 2021"),
        ("en_US", "06/12/2021"),
        ("fr_FR", "12/06/2021"),
        ("C", "2021-06-12"),
        ("C", "12 June 2021"),
        ("de_DE", "2021-06-12"),
    ],
)
def test_a_day_is_typed_in_a_few_keys_and_shown_tidy_afterwards(qtbot, locale, name, typed):
    locale(name)
    field = DateEdit(date(2026, 6, 16))
    qtbot.addWidget(field)
    field.show()
    field.selectAll()
    field.insert(typed)  # typed; QTest.keyClicks cannot type a non-Latin-1 letter
    field.textEdited.emit(field.text())
    assert field.date() == QDate(2021, 6, 12)
    field.editingFinished.emit()
    assert field.text() == QLocale().toString(QDate(2021, 6, 12), date_format())


def test_keys_type_a_date_into_the_interaction_dialog_and_it_is_saved(qtbot, database, locale):
    locale("de_DE")
    anna = save_client(ClientForm(first_name="Anna"))
    dialog = InteractionDialog(anna.id, now=NOW)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.summary.setText("Wedding")
    day = dialog.occurred_at.day
    day.setFocus()
    day.selectAll()
    qtbot.keyClicks(day, "12.6.2021")
    qtbot.keyClick(day, Qt.Key.Key_Return)  # ends the typing, and saves as in any field
    assert day.text() == "12.06.2021"
    assert dialog.result() == dialog.DialogCode.Accepted
    assert Interaction.get().occurred_at.astimezone().date() == date(2021, 6, 12)


def test_a_typed_day_that_is_no_day_is_named_and_nothing_is_saved(qtbot, database, locale):
    locale("de_DE")
    anna = save_client(ClientForm(first_name="Anna"))
    dialog = InteractionDialog(anna.id, now=NOW)
    qtbot.addWidget(dialog)
    dialog.summary.setText("Wedding")
    day = dialog.occurred_at.day
    day.selectAll()
    qtbot.keyClicks(day, "31.2.2021")
    assert day.property("invalid") is True
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
    assert "'31.2.2021' is not a day: February has only 28 days." in dialog.error_label.text()
    assert Interaction.select().count() == 0


def test_the_snooze_dialog_refuses_a_day_before_now(qtbot, locale):
    locale("C")
    now = datetime(2026, 6, 16, 8, tzinfo=UTC)  # the injected clock says when "now" is
    dialog = SnoozeDialog(now, now + timedelta(days=1))
    qtbot.addWidget(dialog)
    dialog.until.day.selectAll()
    qtbot.keyClicks(dialog.until.day, "2026-06-01")
    dialog.accept()
    assert dialog.problem.text() == "Pick 2026-06-16 or later."
    assert dialog.result() == 0


def test_a_wish_date_is_typed_and_saved(qtbot, database, locale):
    locale("C")
    anna = save_client(ClientForm(first_name="Anna"))
    dialog = WishDialog(anna.id, date(2026, 6, 16))
    qtbot.addWidget(dialog)
    dialog.text.setText("Canvas print")
    dialog.has_date.setChecked(True)
    dialog.wanted_by.selectAll()
    qtbot.keyClicks(dialog.wanted_by, "14 February 2027")
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
    assert Wish.get().wanted_by == date(2027, 2, 14)


# --- The calendar, drawn whole ----------------------------------------------------------------


@pytest.fixture
def scheme(qapp):
    """Give the tests' application Rapport's light or dark look, and take it back after."""
    palette, sheet = QPalette(qapp.palette()), qapp.styleSheet()
    yield lambda name: (qapp.setPalette(palette_for(name)), qapp.setStyleSheet(style_sheet(name)))
    qapp.setStyleSheet(sheet)
    qapp.setPalette(palette)


def ink(image: QImage, rect: QRect) -> int:
    """How many pixels of `rect` differ clearly from its top-left pixel (the background)."""
    background = image.pixelColor(rect.topLeft())
    count = 0
    for x in range(rect.left(), rect.right() + 1):
        for y in range(rect.top(), rect.bottom() + 1):
            colour: QColor = image.pixelColor(x, y)
            distance = sum(
                abs(a - b)
                for a, b in zip(colour.getRgb()[:3], background.getRgb()[:3], strict=True)
            )
            count += distance > 120
    return count


def undrawn_cells(calendar) -> list[str]:
    """The weekday names and days of the calendar's grid that are cut off or not drawn."""
    view = calendar.findChild(QTableView)
    image = view.viewport().grab().toImage()
    model, shown = view.model(), view.viewport().rect()
    missing = []
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            index = model.index(row, column)
            rect = view.visualRect(index)
            if not shown.contains(rect) or ink(image, rect) < 6:
                missing.append(str(model.data(index)))
    return missing


def dialogs_with_dates(qtbot) -> dict:
    """Each dialog that has a date field, shown."""
    anna = save_client(ClientForm(first_name="Anna"))
    dialogs = {
        "interaction": InteractionDialog(anna.id, now=NOW),
        "follow-up": FollowUpDialog(anna.id, now=NOW),
        "snooze": SnoozeDialog(NOW, NOW),
        "wish": WishDialog(anna.id, date(2026, 6, 16)),
    }
    for dialog in dialogs.values():
        qtbot.addWidget(dialog)
        dialog.show()
    return dialogs


@pytest.mark.parametrize("name", ["light", "dark"])
def test_every_date_fields_calendar_draws_every_day_and_the_weekdays(
    qtbot, database, scheme, locale, name
):
    locale("en_US")
    scheme(name)
    dialogs = dialogs_with_dates(qtbot)
    for dialog in dialogs:
        field = dialogs[dialog].findChild(DateEdit)
        field.setEnabled(True)
        field.show_calendar()
        calendar = field.calendarWidget()
        qtbot.waitExposed(calendar)
        assert undrawn_cells(calendar) == [], dialog
        if dialog == "interaction":
            calendar.grab().save(str(SCREENSHOTS / f"date-popup-{name}.png"))
        calendar.hide()


def test_a_day_picked_in_the_calendar_is_the_fields_day(qtbot, locale):
    locale("de_DE")
    field = DateEdit(date(2026, 6, 16))
    qtbot.addWidget(field)
    field.show()
    field.show_calendar()
    field.calendarWidget().clicked.emit(QDate(2026, 6, 25))
    assert field.date() == QDate(2026, 6, 25) and field.text() == "25.06.2026"
    assert not field.calendarWidget().isVisible()
