"""The care loop after a session: care plans and their steps, galleries, marketing consent
(the window's parts are in tests/test_care_window.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from models.care.plans import (
    DEFAULT_PLANS,
    PlanStep,
    add_months,
    care_plans,
    plan_for,
    save_care_plans,
)
from models.care.steps import (
    CareTiming,
    care_progress,
    pause_care,
    resume_care,
    skip_step,
    step_state,
)
from models.clients.entries import (
    delete_entry,
    log_interaction,
    save_follow_up,
    set_follow_up_done,
)
from models.clients.saving import save_client
from models.clients.templates import TEMPLATE_KINDS
from models.clients.undo import restore_client, snapshot_client
from models.forms.dialog_forms import ClientForm, FollowUpForm, InteractionForm, ValidationError
from models.reminders.store import collect_reminders, listed_today, reconcile, reminder_window
from models.store.entities import Client, FollowUp, Interaction, ReminderState
from models.store.settings import set_setting

BERLIN = ZoneInfo("Europe/Berlin")
NINE = time(9)
NOW = datetime(2026, 11, 24, 10, tzinfo=UTC)  # Tue 24 Nov 2026, 11:00 in Berlin


@pytest.fixture
def anna(database) -> Client:
    return save_client(ClientForm(first_name="Anna", last_name="Berger"))


def _log(client: Client, kind: str, at: datetime, now: datetime = NOW) -> Interaction:
    form = InteractionForm(kind=kind, occurred_at=at, summary=f"{kind} at the lake")
    return log_interaction(form, client.id, care=CareTiming(now, BERLIN, NINE))


def _steps(session: Interaction) -> list[FollowUp]:
    return list(FollowUp.select().where(FollowUp.session == session.id).order_by(FollowUp.due_at))


def _local(instant: datetime) -> datetime:
    return instant.astimezone(BERLIN)


def _consent(client: Client, day: date | None = date(2026, 5, 2)) -> None:
    Client.update(marketing_consent_on=day).where(Client.id == client.id).execute()


def test_a_wedding_starts_the_sample_plan_at_the_reminder_time(anna):
    wedding = _log(anna, "wedding", datetime(2026, 11, 21, 13, tzinfo=UTC))
    steps = _steps(wedding)
    assert [(s.title, _local(s.due_at)) for s in steps] == [
        ("Send a thank-you note", datetime(2026, 11, 22, 9, tzinfo=BERLIN)),
        ("Deliver the gallery", datetime(2026, 12, 5, 9, tzinfo=BERLIN)),
        ("Ask for a review or a referral", datetime(2026, 12, 21, 9, tzinfo=BERLIN)),
        ("First-anniversary offer", datetime(2027, 10, 21, 9, tzinfo=BERLIN)),
    ]
    assert [(s.template, s.marketing, s.yearly) for s in steps] == [
        ("thank_you", False, False),
        ("gallery", False, False),
        ("review_request", True, False),
        ("anniversary_offer", True, True),
    ]
    portrait = _log(anna, "session", datetime(2026, 11, 23, 9, tzinfo=UTC))
    assert [(s.step_months, s.step_days) for s in _steps(portrait)] == [(0, 1), (0, 10), (6, 0)]
    call = _log(anna, "call", NOW)
    assert _steps(call) == []


def test_a_care_step_is_on_today_with_its_template(anna):
    _log(anna, "session", datetime(2026, 11, 23, 9, tzinfo=UTC))
    _, listed = listed_today(NOW, BERLIN, NINE)
    [step] = listed.today
    assert (step.title, step.occasion, step.template) == ("Anna Berger", "care_step", "thank_you")
    assert step.text.startswith("Send a thank-you note")


def test_a_plan_edited_later_changes_only_sessions_logged_after(anna):
    before = _log(anna, "session", datetime(2026, 11, 20, 9, tzinfo=UTC))
    save_care_plans({"session": [PlanStep("Print the favourite", days=3)]}, set(TEMPLATE_KINDS))
    after = _log(anna, "session", datetime(2026, 11, 23, 9, tzinfo=UTC))
    assert [s.title for s in _steps(before)] == [s.title for s in DEFAULT_PLANS["session"]]
    assert [s.title for s in _steps(after)] == ["Print the favourite"]
    assert care_plans()["wedding"] == DEFAULT_PLANS["wedding"]  # the other kind untouched


def test_a_wrong_plan_is_refused_in_words_and_a_hand_edited_one_is_no_crash(database):
    with pytest.raises(ValidationError) as refused:
        save_care_plans(
            {"wedding": [PlanStep(" ", days=1), PlanStep("Offer", months=500)]},
            set(TEMPLATE_KINDS),
        )
    assert [e.message for e in refused.value.errors] == [
        "Step 1: say what to do, e.g. 'Send a thank-you note'.",
        "Step 2: months from 0 to 120.",
    ]
    assert care_plans() == DEFAULT_PLANS
    set_setting("care_plans", '{"wedding": [{"title": 3}]')  # not even JSON
    assert plan_for("wedding") == DEFAULT_PLANS["wedding"]


def test_a_session_logged_long_after_shows_its_steps_due_without_a_flood(anna):
    """Logged two years late: the steps that fell due are on Today as due, but notify
    nothing (the owner is looking at them); the anniversary offer is this year's, not
    last's. Decided: due, listed, quiet."""
    _consent(anna)
    late = _log(anna, "wedding", datetime(2024, 9, 14, 12, tzinfo=UTC))
    steps = _steps(late)
    assert [s.due_at <= NOW for s in steps] == [True, True, True, False]
    assert _local(steps[-1].due_at).date() == date(2027, 8, 14)  # 35 months: the next to come
    assert steps[-1].step_months == 35
    delivery = reconcile(NOW + timedelta(minutes=1), BERLIN, NINE)
    assert delivery.due_now == [] and delivery.missed == []
    _, listed = listed_today(NOW, BERLIN, NINE)
    assert [r.text.split(" — ")[0] for r in listed.overdue] == [
        "Send a thank-you note",
        "Deliver the gallery",
        "Ask for a review or a referral",
    ]


def test_a_step_still_to_come_is_notified_once_at_its_time(anna):
    _log(anna, "session", datetime(2026, 11, 24, 9, tzinfo=UTC))  # thank-you: Wed 09:00
    assert reconcile(NOW, BERLIN, NINE).due_now == []
    wednesday = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    [due] = reconcile(wednesday, BERLIN, NINE).due_now
    assert due.text == "Send a thank-you note — due 09:00"
    assert reconcile(wednesday + timedelta(minutes=5), BERLIN, NINE).due_now == []


def test_deleting_the_session_takes_its_open_steps_and_undo_brings_them_back(anna):
    wedding = _log(anna, "wedding", datetime(2026, 11, 21, 13, tzinfo=UTC))
    thanks = _steps(wedding)[0]
    set_follow_up_done(thanks.id, NOW)
    reconcile(NOW, BERLIN, NINE)
    snapshot = snapshot_client(anna.id)
    pending = [step.id for step in _steps(wedding)[1:]]
    ReminderState.create(key=f"follow_up:{pending[0]}:20261205T0800", client=anna.id)
    delete_entry(Interaction, wedding.id)
    left = list(FollowUp.select())
    assert [(f.title, f.session_id) for f in left] == [("Send a thank-you note", None)]
    assert not any(
        ReminderState.select().where(ReminderState.key.startswith(f"follow_up:{step}:")).exists()
        for step in pending
    )
    restore_client(snapshot)
    assert len(_steps(Interaction.get())) == 4


def test_skipping_or_doing_a_yearly_step_brings_it_again_a_year_later(anna):
    _consent(anna)
    wedding = _log(anna, "wedding", datetime(2026, 11, 21, 13, tzinfo=UTC))
    offer = _steps(wedding)[-1]
    timing = CareTiming(NOW, BERLIN, NINE)
    skip_step(offer.id, timing)
    skipped = FollowUp.get_by_id(offer.id)
    assert skipped.skipped and skipped.done_at is not None
    assert step_state(skipped, Client.get_by_id(anna.id)) == "skipped"
    second = _steps(wedding)[-1]
    assert _local(second.due_at) == datetime(2028, 10, 21, 9, tzinfo=BERLIN)
    set_follow_up_done(second.id, NOW, timing)
    assert _local(_steps(wedding)[-1].due_at).date() == date(2029, 10, 21)
    set_follow_up_done(second.id, None)  # reopened and closed again: still one next year
    set_follow_up_done(second.id, NOW, timing)
    assert len(_steps(wedding)) == 6


def test_pausing_hides_the_steps_and_resuming_brings_them_back_quietly(anna):
    _log(anna, "session", datetime(2026, 11, 23, 9, tzinfo=UTC))
    pause_care(anna.id, NOW)
    assert listed_today(NOW, BERLIN, NINE)[1].count_due() == 0
    later = NOW + timedelta(days=12)  # the gallery fell due while paused
    assert reconcile(later, BERLIN, NINE).due_now == []
    step = FollowUp.get(FollowUp.title == "Deliver the gallery")
    assert step_state(step, Client.get_by_id(anna.id)) == "paused"
    resume_care(anna.id, later)
    assert reconcile(later + timedelta(minutes=1), BERLIN, NINE).due_now == []
    _, listed = listed_today(later, BERLIN, NINE)
    assert sorted(r.text.split(" — ")[0] for r in listed.overdue) == [
        "Deliver the gallery",
        "Send a thank-you note",
    ]


def test_marketing_steps_wait_for_consent_and_say_why(anna):
    wedding = _log(anna, "wedding", datetime(2026, 10, 20, 13, tzinfo=UTC))
    window = reminder_window(NOW, BERLIN, NINE)
    texts = [r.text.split(" — ")[0] for r in collect_reminders(window)]
    assert "Ask for a review or a referral" not in texts
    client = Client.get_by_id(anna.id)
    review = _steps(wedding)[2]
    assert step_state(review, client) == "no_consent"
    assert care_progress(client)[wedding.id].not_offered == 2  # the review and the offer
    assert step_state(_steps(wedding)[0], client) == ""  # a thank-you is no marketing
    _consent(anna)
    texts = [r.text.split(" — ")[0] for r in collect_reminders(window)]
    assert "Ask for a review or a referral" in texts
    assert care_progress(Client.get_by_id(anna.id))[wedding.id].not_offered == 0


def test_steps_keep_the_reminder_time_across_the_change_to_summer_time(anna):
    session = _log(
        anna,
        "session",
        datetime(2026, 3, 20, 10, tzinfo=UTC),
        now=datetime(2026, 3, 20, 12, tzinfo=UTC),
    )
    thanks, gallery, _ = _steps(session)
    assert thanks.due_at == datetime(2026, 3, 21, 8, tzinfo=UTC)  # 09:00 CET
    assert gallery.due_at == datetime(2026, 3, 30, 7, tzinfo=UTC)  # 09:00 CEST


def test_a_leap_day_session_keeps_its_offsets(anna):
    assert add_months(date(2028, 2, 29), 12) == date(2029, 2, 28)
    assert add_months(date(2028, 2, 29), 12, "mar1") == date(2029, 3, 1)
    assert add_months(date(2028, 2, 29), 48) == date(2032, 2, 29)
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2027, 3, 31), 11) == date(2028, 2, 29)
    set_setting("leap_day_rule", "mar1")
    save_care_plans(
        {"wedding": [PlanStep("A year of marriage", months=12, yearly=True)]}, set(TEMPLATE_KINDS)
    )
    now = datetime(2028, 2, 29, 22, 30, tzinfo=UTC)  # CI's far date, 23:30 in Berlin
    wedding = _log(anna, "wedding", datetime(2028, 2, 29, 12, tzinfo=UTC), now=now)
    [step] = _steps(wedding)
    assert _local(step.due_at) == datetime(2029, 3, 1, 9, tzinfo=BERLIN)
    set_follow_up_done(step.id, now, CareTiming(now, BERLIN, NINE))
    assert _local(_steps(wedding)[-1].due_at) == datetime(2030, 3, 1, 9, tzinfo=BERLIN)


def test_a_moved_step_keeps_its_plan_and_reminds_at_its_new_time(anna):
    session = _log(anna, "session", datetime(2026, 11, 24, 9, tzinfo=UTC))
    thanks = _steps(session)[0]
    moved = datetime(2026, 11, 27, 15, tzinfo=UTC)
    save_follow_up(FollowUpForm(thanks.title, moved), anna.id, thanks.id)
    step = FollowUp.get_by_id(thanks.id)
    assert (step.due_at, step.template, step.session_id) == (moved, "thank_you", session.id)
    assert reconcile(datetime(2026, 11, 25, 8, 5, tzinfo=UTC), BERLIN, NINE).due_now == []
    [due] = reconcile(moved, BERLIN, NINE).due_now
    assert (due.template, due.occasion) == ("thank_you", "care_step")
