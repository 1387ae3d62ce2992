"""Follow-ups: added from the client page, or promised while logging a session."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from PySide6.QtWidgets import QDialogButtonBox
from tzlocal import get_localzone

from models.clients.entries import log_interaction, save_follow_up, set_follow_up_done
from models.clients.saving import save_client
from models.forms.dialog_forms import ClientForm, FollowUpForm, InteractionForm, ValidationError
from models.reminders.store import mark_done, reconcile
from models.store.entities import Client, FollowUp, Interaction, ReminderState
from tests.test_today import BERLIN, clock  # noqa: F401 (clock: a fixture)
from tests.ui_helpers import wait_for_reminders, when_dialog_opens, with_reminders
from ui.client_page import TAB_FOLLOW_UPS
from ui.dialogs.interaction_dialog import InteractionDialog

NOW = datetime(2026, 11, 24, 10, tzinfo=UTC)
NINE = time(9)


def _save(dialog) -> None:
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()


@pytest.fixture
def anna(database):
    return save_client(ClientForm(first_name="Anna", last_name="Meyer"))


def test_logging_a_session_can_promise_a_follow_up(qtbot, anna):
    dialog = InteractionDialog(anna.id, now=NOW)
    qtbot.addWidget(dialog)
    assert not dialog.follow_up_title.isEnabled()
    dialog.summary.setText("Wedding at the lake")
    dialog.follow_up_days.setValue(14)
    assert dialog.follow_up_title.isEnabled()
    dialog.follow_up_title.setText("Deliver the gallery")
    _save(dialog)
    [follow_up] = FollowUp.select().where(FollowUp.session.is_null())  # not its care steps
    assert (follow_up.client_id, follow_up.title) == (anna.id, "Deliver the gallery")
    local_due = follow_up.due_at.astimezone(get_localzone())
    assert local_due.date() == NOW.astimezone(get_localzone()).date() + timedelta(days=14)
    assert local_due.time() == NINE  # the reminder time of day
    assert Interaction.get().summary == "Wedding at the lake"


def test_a_promised_follow_up_without_a_text_is_named_after_the_session(qtbot, anna):
    dialog = InteractionDialog(anna.id, now=NOW)
    qtbot.addWidget(dialog)
    dialog.summary.setText("Family shoot")
    dialog.follow_up_days.setValue(3)
    _save(dialog)
    assert FollowUp.get().title == "Follow up: Family shoot"


def test_no_follow_up_unless_asked_and_none_when_editing(qtbot, anna):
    dialog = InteractionDialog(anna.id, now=NOW)
    qtbot.addWidget(dialog)
    assert dialog.follow_up_days.text() == "no follow-up"
    dialog.kind.setCurrentIndex(dialog.kind.findData("call"))
    dialog.summary.setText("Call")
    _save(dialog)
    assert FollowUp.select().count() == 0
    editing = InteractionDialog(anna.id, NOW, Interaction.get())
    qtbot.addWidget(editing)
    assert not hasattr(editing, "follow_up_days")


def test_an_interaction_and_its_follow_up_are_saved_together_or_not_at_all(anna):
    session = InteractionForm(kind="session", occurred_at=NOW, summary="Wedding")
    with pytest.raises(ValidationError) as error:
        log_interaction(session, anna.id, FollowUpForm(title="", due_at=NOW))
    assert [e.field for e in error.value.errors] == ["follow_up_title"]
    with pytest.raises(ValidationError):
        log_interaction(InteractionForm(summary=""), anna.id, FollowUpForm("Gallery", NOW))
    assert Interaction.select().count() == FollowUp.select().count() == 0


def test_a_reopened_follow_up_is_notified_again(anna):
    follow_up = save_follow_up(FollowUpForm("Deliver the gallery", NOW), anna.id)
    [reminder] = reconcile(NOW, BERLIN, NINE).due_now
    mark_done(reminder, NOW)
    assert reconcile(NOW + timedelta(minutes=1), BERLIN, NINE).due_now == []
    set_follow_up_done(follow_up.id, None)
    assert ReminderState.select().count() == 0
    assert [r.key for r in reconcile(NOW + timedelta(minutes=2), BERLIN, NINE).due_now] == [
        reminder.key
    ]


def test_add_follow_up_on_the_client_page_puts_it_on_today(qtbot, open_window, anna):
    window = with_reminders(qtbot, open_window(zone=BERLIN))
    window.open_client(anna.id)
    page = window.page
    add = next(a for a in page.add_menu.actions() if a.text() == "Follow-up…")

    def fill(dialog) -> None:
        dialog.title.setText("Ask for a review")
        _save(dialog)

    seen = when_dialog_opens(fill)
    add.trigger()
    assert len(seen) == 1
    assert page.tabs.currentIndex() == TAB_FOLLOW_UPS
    assert page.tabs.tabText(TAB_FOLLOW_UPS) == "Follow-ups (1)"
    assert page.follow_ups.rowCount() == 1
    [follow_up] = Client.get_by_id(anna.id).follow_ups
    assert follow_up.title == "Ask for a review"
    assert follow_up.due_at > NOW  # tomorrow, at the reminder time
    wait_for_reminders(qtbot, window)
    [row] = [r for r in window.today_view.rows if r.reminder.kind == "follow_up"]
    assert row.reminder.text.startswith("Ask for a review")
    assert row.section == "coming"
    window.quit()
