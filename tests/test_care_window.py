"""The care loop in the window: a session logged puts its steps on Today with Write…
ready, a step is skipped from Today, the client page shows the gallery and why a step
waits, and Settings edits the plans."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

from models.care.plans import care_plans
from models.clients.saving import save_client
from models.forms.dialog_forms import ClientForm
from models.store.entities import Client, FollowUp, Interaction
from tests.test_notifications import dunst, studio_window  # noqa: F401 (fixtures)
from tests.ui_helpers import wait_for_reminders, when_dialog_opens, with_reminders
from ui.dialogs.care_plans_dialog import CarePlansDialog
from ui.dialogs.compose_dialog import ComposeDialog
from ui.dialogs.interaction_dialog import InteractionDialog

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 24, 10, tzinfo=UTC)


class Clock:
    def __init__(self, moment: datetime):
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


@pytest.fixture
def clock():
    return Clock(NOW)


@pytest.fixture
def anna(database) -> Client:
    return save_client(ClientForm(first_name="Anna", last_name="Berger"))


def _log_session(anna: Client, gallery: str = "") -> None:
    dialog = InteractionDialog(anna.id, now=datetime(2026, 11, 23, 9, tzinfo=UTC))
    dialog.kind.setCurrentIndex(dialog.kind.findData("session"))
    dialog.summary.setText("Portrait session at the Isar")
    dialog.gallery_url.setText(gallery)
    dialog.gallery_closes.setChecked(bool(gallery))
    dialog.gallery_expires_on.setText("15/01/2027")
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted, dialog.error_label.text()


def test_a_logged_session_puts_its_thank_you_on_today_with_write_ready(qtbot, open_window, anna):
    _log_session(anna)
    window = with_reminders(qtbot, open_window(zone=BERLIN))
    [row] = [r for r in window.today_view.rows if r.reminder.occasion == "care_step"]
    assert row.reminder.text.startswith("Send a thank-you note — due ")
    assert row.write_button.isVisibleTo(window) and row.section == "today"
    seen = when_dialog_opens(lambda dialog: dialog.reject(), kind=ComposeDialog)
    row.write_button.click()
    [compose] = seen
    assert compose.kind.currentData() == "thank_you"
    assert compose.body.toPlainText().startswith("Dear Anna,")
    skip = next(a for a in row.done_button.menu().actions() if a.text() == "Skip this step")
    skip.trigger()
    wait_for_reminders(qtbot, window)
    step = FollowUp.get(FollowUp.title == "Send a thank-you note")
    assert step.skipped and step.done_at == NOW
    assert not [r for r in window.today_view.rows if r.reminder.occasion == "care_step"]
    window.open_client(anna.id)
    statuses = [window.page.follow_ups.display(f, 2) for f in window.page.follow_ups._entries]
    assert statuses[-1].startswith("skipped")


def test_the_client_page_shows_the_gallery_and_why_an_offer_waits(
    qtbot, open_window, anna, monkeypatch
):
    dialog = InteractionDialog(anna.id, now=datetime(2026, 11, 23, 9, tzinfo=UTC))
    dialog.kind.setCurrentIndex(dialog.kind.findData("wedding"))
    dialog.summary.setText("Wedding & party")
    dialog.gallery_url.setText("https://anna.pixieset.com/?a=1&b=2")
    dialog.accept()
    window = with_reminders(qtbot, open_window(zone=BERLIN))
    window.open_client(anna.id)
    page = window.page
    assert page.gallery_button.text() == "Gallery: anna.pixieset.com"
    assert page.gallery_button.toolTip() == "https://anna.pixieset.com/?a=1&b=2"
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url))
    page.gallery_button.click()
    assert opened == [QUrl("https://anna.pixieset.com/?a=1&b=2")]
    summary = page.history.display(page.history.entry(0), page.history.COL_SUMMARY)
    assert summary == (
        "Wedding & party · care 0 of 4 done · 2 step(s) not offered: no marketing consent · gallery"
    )
    review = next(f for f in page.follow_ups._entries if f.marketing)
    assert page.follow_ups.display(review, 2) == "not offered: no marketing consent"
    page.care_button.click()  # pause
    wait_for_reminders(qtbot, window)
    assert page.care_button.text() == "Resume care plan"
    assert Client.get_by_id(anna.id).care_paused_at == NOW


def test_the_care_plans_editor_keeps_a_changed_plan_for_later_sessions(qtbot, database):
    dialog = CarePlansDialog()
    qtbot.addWidget(dialog)
    intro = dialog.findChildren(type(dialog.error))[0].text()
    assert "Changes affect only sessions logged from now on" in intro
    table = dialog.tables["session"]
    table.cellWidget(0, 0).setText("")
    dialog.accept()
    assert dialog.error.text() == "Step 1: say what to do, e.g. 'Send a thank-you note'."
    assert dialog.isVisible() or dialog.result() != dialog.DialogCode.Accepted
    table.cellWidget(0, 0).setText("Send a card by post")
    table.cellWidget(0, 2).setValue(2)
    dialog.accept()
    first = care_plans()["session"][0]
    assert (first.title, first.days, first.template) == ("Send a card by post", 2, "thank_you")


def test_consent_is_given_with_its_day_in_the_client_dialog(qtbot, anna):
    from ui.dialogs.client_dialog import ClientDialog

    dialog = ClientDialog(anna, today=date(2026, 11, 24))
    qtbot.addWidget(dialog)
    assert not dialog.consent_on.isEnabled()
    dialog.consent.setChecked(True)
    dialog.accept()
    assert Client.get_by_id(anna.id).marketing_consent_on == date(2026, 11, 24)


def test_a_gallery_about_to_close_is_notified_once_through_dunst(
    qtbot,
    studio_window,  # noqa: F811
):
    from tests.test_notifications import displayed

    jonas = Client.get(Client.first_name == "Jonas")
    session = Interaction.select().where(Interaction.client == jonas.id).first()
    Interaction.update(
        gallery_url="https://jonas.smugmug.com/", gallery_expires_on=date(2026, 12, 2)
    ).where(Interaction.id == session.id).execute()
    studio_window.clock[0] = datetime(2026, 11, 25, 8, 0, 30, tzinfo=UTC)  # 09:00 in Berlin
    sent: list[str] = []
    studio_window.reminders.notifier.sent.connect(sent.append)
    key = f"gallery:{session.id}:2026-12-02"
    studio_window.reminder_service.reconcile()
    qtbot.waitUntil(lambda: key in sent, timeout=5000)
    shown = displayed()
    studio_window.clock[0] += timedelta(minutes=10)
    studio_window.reminder_service.reconcile()
    wait_for_reminders(qtbot, studio_window)
    assert sent.count(key) == 1 and displayed() == shown  # nothing twice
    [row] = [r for r in studio_window.today_view.rows if r.reminder.kind == "gallery"][-1:]
    assert row.reminder.text == "Jonas's gallery closes in 7 days: a word about prints?"
    assert row.write_button.isVisibleTo(studio_window)


def test_the_date_dialog_keeps_further_reminders_and_names_a_wrong_one(qtbot, anna):
    from models.store.entities import ImportantDate
    from ui.dialogs.important_date_dialog import ImportantDateDialog

    dialog = ImportantDateDialog(anna.id, [])
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("wedding_anniversary"))
    dialog.more_lead_days.setText("1, soon")
    dialog.accept()
    assert dialog.error_label.text() == "Also remind me: 'soon' is no number of days from 1 to 365."
    assert not ImportantDate.select().exists()
    dialog.more_lead_days.setText("1")
    dialog.accept()
    saved = ImportantDate.get()
    assert (saved.lead_days, saved.more_lead_days) == (7, "1")
    assert ImportantDateDialog(anna.id, [], saved).more_lead_days.text() == "1"
