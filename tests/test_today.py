"""Today, driven as a user would: done, snooze, open; and a restart with reminders due."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from models.clients.entries import save_important_date
from models.clients.saving import save_client
from models.forms.dialog_forms import ClientForm, ImportantDateForm
from models.reminders.rules import Reminder, TodayList, occurrence_of
from models.reminders.store import collect_reminders, reminder_window
from models.sample.loading import load_sample_clients
from models.store.entities import Client, FollowUp, Interaction, ReminderState
from tests.ui_helpers import wait_for_reminders, when_dialog_opens, with_reminders
from ui.main_window import MainWindow
from ui.today_view import ROWS_AT_ONCE, SCREENFUL_OF_ROWS, TodayView

BERLIN = ZoneInfo("Europe/Berlin")
TODAY = date(2026, 11, 24)
NOW = datetime(2026, 11, 24, 10, tzinfo=UTC)


class Clock:
    def __init__(self, moment: datetime):
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


@pytest.fixture
def clock():
    return Clock(datetime(2026, 11, 24, 10, tzinfo=UTC))


@pytest.fixture
def studio(database):
    load_sample_clients(TODAY)
    return database


@pytest.fixture
def window(qtbot, open_window, studio):
    return with_reminders(qtbot, open_window(zone=BERLIN))


def row_of(window, first_name: str, kind: str):
    client = Client.get(Client.first_name == first_name)
    return next(
        row
        for row in window.today_view.rows
        if row.reminder.client_id == client.id
        and row.reminder.kind == kind
        and row.reminder.occasion != "care_step"  # a session's care step: its own tests
    )


def test_today_is_the_home_screen_with_overdue_today_and_coming(window):
    assert window.sections.currentWidget() is window.today_view
    texts = [row.reminder.text for row in window.today_view.rows]
    assert "Check in with Jens — last contact 97 days ago, every 90 days" in texts
    assert "Anna & Tom — 5th wedding anniversary on Sat 28 Nov" in texts
    assert "Maria's child Lea turns 7 on Sun 29 Nov" in texts
    assert "Deliver the wedding gallery — due 14:00" in texts
    assert window.sidebar.item(0).text().startswith("Today  ")


def test_done_on_a_check_in_logs_the_interaction_and_moves_the_check_in(qtbot, window, clock):
    row = row_of(window, "Jens", "check_in")
    jens = row.reminder.client_id
    calls_before = (
        Interaction.select()
        .where((Interaction.client == jens) & (Interaction.kind == "call"))
        .count()
    )
    [call] = [a for a in row.done_button.menu().actions() if a.data() == "call"]
    call.trigger()
    wait_for_reminders(qtbot, window)
    logged = Interaction.select().where((Interaction.client == jens) & (Interaction.kind == "call"))
    assert logged.count() == calls_before + 1
    assert not any(
        r.reminder.client_id == jens and r.reminder.kind == "check_in"
        for r in window.today_view.rows
    )
    window_ = reminder_window(clock() + timedelta(days=100), BERLIN, time(9))
    [next_check_in] = [
        r for r in collect_reminders(window_) if r.client_id == jens and r.kind == "check_in"
    ]
    assert next_check_in.occurs_on == TODAY + timedelta(days=90)


def test_snooze_until_tomorrow_moves_the_reminder_to_tomorrow(qtbot, window):
    row = row_of(window, "Anna", "date")
    key = row.reminder.key
    assert row.section == "today"  # its notice fell due on the 21st; the day is still to come
    [tomorrow] = [a for a in row.snooze_button.menu().actions() if a.text() == "Tomorrow"]
    tomorrow.trigger()
    wait_for_reminders(qtbot, window)
    assert window.today_view.row_for(key).section == "coming"
    state = ReminderState.get_by_id(key)
    assert state.snoozed_until == datetime(2026, 11, 25, 8, tzinfo=UTC)  # 09:00 in Berlin
    assert state.notified_at is None


def test_open_shows_the_client_page(qtbot, window):
    row = row_of(window, "Eva", "follow_up")
    row.open_button.click()
    assert window.sections.currentIndex() == 1
    assert window.page.client.first_name == "Eva"


def test_done_on_a_follow_up_closes_it(qtbot, window):
    row = row_of(window, "Eva", "follow_up")
    row.done_button.click()
    wait_for_reminders(qtbot, window)
    assert window.today_view.row_for(row.reminder.key) is None
    eva = Client.get(Client.first_name == "Eva")
    assert eva.follow_ups.where(FollowUp.session.is_null()).get().done_at is not None


@pytest.mark.parametrize("days_closed", [3, 10, 20, 40])
def test_a_restart_reports_what_fell_due_while_closed_once(
    qtbot, open_window, studio, tmp_path, clock, days_closed
):
    """Closed for days or weeks: everything that fell due meanwhile is on Today, the
    summary counts exactly what Today lists as due, and nothing is notified twice."""
    path = tmp_path / "rapport.sqlite"
    with_reminders(qtbot, open_window(zone=BERLIN)).quit()
    closed_at = clock()
    clock.moment += timedelta(days=days_closed)
    window_ = reminder_window(clock(), BERLIN, time(9), since=closed_at)
    expected = {r.key for r in collect_reminders(window_) if closed_at < r.due_at <= clock()}
    assert len(expected) >= 3, "the sample clients has reminders in these days"

    second = starting_window(qtbot, path, clock)
    # One of each occasion: a date's notice and its day are counted once.
    occasions = sorted({occurrence_of(key) for key in expected})
    assert [sorted(map(occurrence_of, keys)) for keys in second.missed] == [occasions]
    listed = second.today_view.listed
    due = listed.count_due()
    assert f"Rapport was closed for a while: {due} reminders are due." in (
        second.statusBar().currentMessage()
    )
    shown = {r.occurrence for r in listed.overdue + listed.today}
    assert {occurrence_of(key) for key in expected} <= shown
    assert second.sidebar.item(0).text() == f"Today  {due}"
    second.quit()

    clock.moment += timedelta(days=8)  # a week later, none of it done: all still listed
    third = starting_window(qtbot, path, clock)
    listed = third.today_view.listed
    still = {r.occurrence for r in listed.overdue + listed.today}
    assert {occurrence_of(key) for key in expected} <= still
    assert not {key for keys in third.missed for key in keys} & expected  # never twice
    third.quit()


def starting_window(qtbot, path, clock) -> MainWindow:
    """A window whose start is watched: `window.missed` lists each summary's keys."""
    window = MainWindow(path, now=clock, zone=BERLIN)
    qtbot.addWidget(window)
    window.missed = []
    window.reminder_service.missed.connect(
        lambda reminders, _first_run: window.missed.append([r.key for r in reminders])
    )
    window.start_reminders()
    wait_for_reminders(qtbot, window)
    return window


def test_a_long_section_shows_its_rows_fifty_at_a_time(qtbot, open_window, database, clock):
    for number in range(120):
        client = save_client(ClientForm(first_name=f"Client {number:03d}", check_in_days="30"))
        created = clock() - timedelta(days=40)
        Client.update(created_at=created).where(Client.id == client.id).execute()
    window = with_reminders(qtbot, open_window(zone=BERLIN))
    view = window.today_view
    qtbot.waitUntil(lambda: not view.building)
    assert len(view.rows) == 50
    more = view.findChild(QPushButton, "showMore")
    assert more.text() == "Show 50 more of 70"
    more.click()
    # Shown at once, laid out once (shown one by one at the next turn: 0.7 s at XL).
    assert all(widget.isVisibleTo(view) for widget in _laid_out(view))
    more = view.findChild(QPushButton, "showMore")
    assert more.text() == "Show 20 more of 20"
    more.click()
    qtbot.waitUntil(lambda: not view.building)
    assert view.findChild(QPushButton, "showMore") is None
    assert len(view.rows) == 120
    assert len({row.reminder.client_id for row in view.rows}) == 120
    window.quit()


def test_a_long_list_shows_a_screenful_at_once_and_the_rest_turn_by_turn(qtbot, database):
    """150 rows at once held a big studio's window for 0.7 s: a screenful is built at once,
    the others at the next turns of the event loop, in their places, with their cards."""
    listed = _many_due(70)
    view = TodayView()
    qtbot.addWidget(view)
    view.resize(1024, 700)
    view.show()
    view.show_list(listed, NOW, BERLIN)
    assert len(view.rows) == SCREENFUL_OF_ROWS and view.building
    chosen = listed.overdue[SCREENFUL_OF_ROWS + 3]  # a card chosen for a row not built yet
    view._chosen.add(chosen.key)
    assert chosen in view.chosen_for_cards()
    qtbot.waitUntil(lambda: len(view.rows) > SCREENFUL_OF_ROWS)  # a turn: stand-ins fitted
    stand_ins = [widget for widget in _laid_out(view) if type(widget) is QWidget]
    assert {widget.maximumHeight() for widget in stand_ins} == {view.rows[0].height()}
    qtbot.waitUntil(lambda: not view.building)
    assert [row.reminder for row in view.rows] == listed.overdue[:ROWS_AT_ONCE]
    assert view.row_for(chosen.key).for_card.isChecked()
    assert not [widget for widget in _laid_out(view) if type(widget) is QWidget]  # no stand-in
    more = view.findChild(QPushButton, "showMore")
    assert all(view._content.indexOf(row) < view._content.indexOf(more) for row in view.rows)
    # A refresh meanwhile starts over: nothing waiting from the list before is built.
    view.show_list(_many_due(70, first=101), NOW, BERLIN)
    assert view.building
    view.show_list(_many_due(3), NOW, BERLIN)
    assert not view.building and len(view.rows) == 3
    qtbot.wait(50)
    assert [row.reminder for row in view.rows] == _many_due(3).overdue


def _laid_out(view: TodayView) -> list[QWidget]:
    items = (view._content.itemAt(index) for index in range(view._content.count()))
    return [item.widget() for item in items if item.widget() is not None]


def _many_due(count: int, first: int = 1) -> TodayList:
    """`count` birthdays fallen due, each a client's own (the first of client `first`)."""
    overdue = [
        Reminder(f"date:{n}:2026-11-20:day", n, "date", NOW - timedelta(days=4),
                 date(2026, 11, 20), f"Client {n:03d}", "Birthday", occasion="birthday")
        for n in range(first, first + count)
    ]  # fmt: skip
    return TodayList(overdue, [], [])


def test_today_suggests_customers_to_make_clients(qtbot, window):
    rows = window.today_view.suggestion_rows
    assert 1 <= len(rows) <= 5
    first = rows[0].suggestion
    assert first.text.endswith("a client?")
    make = next(b for b in rows[0].findChildren(QPushButton) if b.text() == "Make a client")
    make.click()
    wait_for_reminders(qtbot, window)
    assert Client.get_by_id(first.client_id).stage == "client"
    assert first.client_id not in [
        r.suggestion.client_id for r in window.today_view.suggestion_rows
    ]
    later = window.today_view.suggestion_rows[0]
    next(b for b in later.findChildren(QPushButton) if b.text() == "Not now").click()
    wait_for_reminders(qtbot, window)
    shown = [r.suggestion.client_id for r in window.today_view.suggestion_rows]
    assert later.suggestion.client_id not in shown
    assert Client.get_by_id(later.suggestion.client_id).stage == "customer"


def test_write_a_birthday_greeting_from_today_closes_the_reminder(qtbot, window, clock):
    row = next(
        r
        for r in window.today_view.rows
        if r.reminder.occasion == "birthday" and not r.reminder.for_family
    )
    reminder = row.reminder
    assert row.write_button.isVisibleTo(row)
    subjects: list[str] = []

    def send(dialog) -> None:
        subjects.append(dialog.subject.text())
        dialog.log_button.click()

    seen = when_dialog_opens(send)
    row.write_button.click()
    assert len(seen) == 1
    assert subjects[0].startswith("Happy birthday")
    [sent] = Interaction.select().where(Interaction.summary.startswith("Birthday greeting: "))
    assert (sent.client_id, sent.occurred_at) == (reminder.client_id, clock())
    closed = ReminderState.select().where(ReminderState.key.startswith(reminder.occurrence))
    assert {state.key.rsplit(":", 1)[1] for state in closed if state.done_at} == {"notice", "day"}
    wait_for_reminders(qtbot, window)
    assert all(r.reminder.key != reminder.key for r in window.today_view.rows)


def test_follow_ups_have_nothing_to_write(window):
    row = next(
        r
        for r in window.today_view.rows
        if r.reminder.kind == "follow_up" and r.reminder.occasion != "care_step"
    )
    assert not row.write_button.isVisibleTo(row)


def test_reminders_a_month_gone_are_forgotten(qtbot, window, clock):
    """What notifications may still name is kept a month, not for as long as Rapport runs."""
    known = window.reminders._known
    some = next(iter(known.values()))
    old = some._replace(key="date:999:2026-09-01:day", occurs_on=date(2026, 9, 1))
    known[old.key] = old
    window.reminder_service.reconcile()
    wait_for_reminders(qtbot, window)
    assert old.key not in window.reminders._known
    assert some.key in window.reminders._known


def test_a_row_says_the_event_day_and_the_reminder_day(window):
    """Anna & Tom's anniversary is on Sat 28 Nov, its reminder a week before: the row says
    both, under Today (to do now), never under Overdue."""
    row = row_of(window, "Anna", "date")
    assert row.section == "today"
    text = row.findChild(QLabel, "reminderText").text()
    assert text == "Anna & Tom — 5th wedding anniversary on Sat 28 Nov · reminder since Sat 21 Nov"
    overdue = [r for r in window.today_view.rows if r.section == "overdue"]
    assert all(r.reminder.occurs_on < TODAY for r in overdue)


def test_a_snoozed_row_says_until_when_on_today_and_on_the_follow_ups_tab(qtbot, window):
    row = row_of(window, "Eva", "follow_up")
    [tomorrow] = [a for a in row.snooze_button.menu().actions() if a.text() == "Tomorrow"]
    tomorrow.trigger()
    wait_for_reminders(qtbot, window)
    row = window.today_view.row_for(row.reminder.key)
    assert row.section == "coming"
    text = row.findChild(QLabel, "reminderText").text()
    assert text == "Deliver the wedding gallery — due 14:00 · snoozed until Wed 25 Nov, 09:00"
    window.open_client(row.reminder.client_id)
    follow_ups = window.page.follow_ups
    [at] = [
        row
        for row in range(follow_ups.rowCount())
        if follow_ups.entry(row).title == "Deliver the wedding gallery"
    ]
    status = follow_ups.index(at, follow_ups.COL_STATUS).data()
    assert status.startswith("snoozed until ")  # in the machine's zone, as the due time


def test_a_leap_day_birthday_has_one_age_on_today_and_on_the_client_page(
    qtbot, open_window, database, clock
):
    """Born 29 Feb 1988, celebrated on 28 Feb in common years: 37 on 28 Feb 2025, both on
    the reminder and on the client page."""
    mia = save_client(ClientForm(first_name="Mia", last_name="Lang"))
    save_important_date(ImportantDateForm("birthday", 29, 2, "1988", "", 0), mia.id)
    clock.moment = datetime(2025, 2, 28, 10, tzinfo=UTC)
    window = with_reminders(qtbot, open_window(zone=BERLIN))
    [row] = window.today_view.rows
    assert row.reminder.text == "Mia Lang turns 37 today"
    window.open_client(mia.id)
    dates = window.page.dates
    assert dates.index(0, dates.COL_DATE).data() == "29 February 1988 (turns 37)"
    window.quit()


def test_snooze_1_day_from_a_notification_and_tomorrow_on_today_are_one_instant(
    qtbot, window, clock
):
    """One meaning (models/reminders/rules.snooze_until): tomorrow at the reminder time."""
    rows = window.today_view.rows
    from_notification = next(row.reminder for row in rows if row.reminder.kind == "check_in")
    on_today = next(row for row in rows if row.reminder.kind == "follow_up")
    window.reminders._on_action(from_notification.key, "snooze")  # "Snooze 1 day"
    tomorrow = next(a for a in on_today.snooze_button.menu().actions() if a.text() == "Tomorrow")
    tomorrow.trigger()
    nine_in_berlin = datetime(2026, 11, 25, 8, tzinfo=UTC)
    for reminder in (from_notification, on_today.reminder):
        assert ReminderState.get_by_id(reminder.key).snoozed_until == nine_in_berlin
