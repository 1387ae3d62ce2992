"""Wishes (with their follow-ups) and the wedding anniversary offered by a wedding session."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from models.clients.entries import save_interaction
from models.clients.saving import save_client
from models.clients.wishes import delete_wish, save_wish, set_wish_fulfilled, wishes
from models.forms.dialog_forms import ClientForm, InteractionForm, ValidationError, WishForm
from models.reminders.anniversaries import add_wedding_anniversary, wedding_anniversary_offer
from models.store.entities import FollowUp, ImportantDate, Wish

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def anna(database):
    return save_client(ClientForm(first_name="Anna")).id


def test_a_wish_with_a_date_becomes_a_follow_up_at_the_reminder_time(anna):
    wish = save_wish(WishForm("Canvas print", date(2027, 3, 29), follow_up=True), anna, BERLIN)
    follow_up = FollowUp.get_by_id(wish.follow_up_id)
    assert follow_up.title == "Wish: Canvas print"
    # 09:00 in Berlin: the day after DST starts on 28 March (UTC+2)...
    assert follow_up.due_at == datetime(2027, 3, 29, 7, 0, tzinfo=UTC)
    # ...and the day before (UTC+1); the same follow-up moves with the wish.
    save_wish(WishForm("Canvas print, large", date(2027, 3, 27), True), anna, BERLIN, wish.id)
    follow_up = FollowUp.get_by_id(wish.follow_up_id)
    assert (follow_up.title, follow_up.due_at) == (
        "Wish: Canvas print, large",
        datetime(2027, 3, 27, 8, 0, tzinfo=UTC),
    )
    assert FollowUp.select().count() == 1


def test_turning_the_reminder_off_removes_the_open_follow_up(anna):
    wish = save_wish(WishForm("Family shoot", date(2027, 5, 1), True), anna, BERLIN)
    save_wish(WishForm("Family shoot", date(2027, 5, 1), False), anna, BERLIN, wish.id)
    assert FollowUp.select().count() == 0
    assert Wish.get_by_id(wish.id).follow_up_id is None


def test_a_wish_needs_words_and_a_reminder_needs_a_date(anna):
    with pytest.raises(ValidationError) as error:
        save_wish(WishForm("  ", None, follow_up=True), anna, BERLIN)
    assert [e.field for e in error.value.errors] == ["text", "wanted_by"]
    assert Wish.select().count() == 0


def test_a_wish_come_true_closes_its_follow_up_and_sorts_last(anna):
    done = save_wish(WishForm("Canvas print", date(2027, 1, 10), True), anna, BERLIN)
    save_wish(WishForm("Album", None), anna, BERLIN)
    save_wish(WishForm("Family shoot", date(2027, 2, 1)), anna, BERLIN)
    moment = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    set_wish_fulfilled(done.id, moment)
    assert FollowUp.get_by_id(done.follow_up_id).done_at == moment
    assert [w.text for w in wishes(anna)] == ["Family shoot", "Album", "Canvas print"]
    set_wish_fulfilled(done.id, None)
    assert wishes(anna)[0].text == "Canvas print"


def _session(client_id: int, kind: str, at: datetime):
    return save_interaction(InteractionForm(kind, at, "The big day"), client_id)


def test_a_wedding_session_offers_the_local_day_as_anniversary(anna):
    # 23:30 UTC on 12 June is already 13 June in Berlin: the couple's day is the local one.
    wedding = _session(anna, "wedding", datetime(2026, 6, 12, 23, 30, tzinfo=UTC))
    assert wedding_anniversary_offer(wedding, BERLIN) == date(2026, 6, 13)
    assert wedding_anniversary_offer(wedding, ZoneInfo("America/New_York")) == date(2026, 6, 12)
    portrait = _session(anna, "session", datetime(2026, 6, 12, 12, 0, tzinfo=UTC))
    assert wedding_anniversary_offer(portrait, BERLIN) is None

    added = add_wedding_anniversary(anna, date(2026, 6, 13))
    assert (added.kind, added.day, added.month, added.year, added.lead_days) == (
        "wedding_anniversary",
        13,
        6,
        2026,
        7,
    )
    assert wedding_anniversary_offer(wedding, BERLIN) is None  # asked once, not twice
    assert ImportantDate.select().count() == 1


def test_deleting_a_wish_deletes_its_open_reminder(anna):
    wish = save_wish(WishForm("Canvas print", date(2027, 1, 10), True), anna, BERLIN)
    kept = save_wish(WishForm("Album", date(2027, 2, 1), True), anna, BERLIN)
    set_wish_fulfilled(kept.id, datetime(2026, 11, 25, tzinfo=UTC))
    delete_wish(wish.id)
    delete_wish(kept.id)
    # The open reminder went; the done one stays in the history of follow-ups.
    assert [(f.title, f.done_at is not None) for f in FollowUp.select()] == [("Wish: Album", True)]
    assert Wish.select().count() == 0


def test_a_wish_opened_again_reminds_again(anna):
    wish = save_wish(WishForm("Canvas print", date(2027, 1, 10), True), anna, BERLIN)
    set_wish_fulfilled(wish.id, datetime(2026, 11, 25, tzinfo=UTC))
    assert FollowUp.get_by_id(wish.follow_up_id).done_at is not None
    set_wish_fulfilled(wish.id, None)
    assert FollowUp.get_by_id(wish.follow_up_id).done_at is None
    set_wish_fulfilled(wish.id, datetime(2026, 11, 26, tzinfo=UTC))
    # Fulfilled, then given a new date after being opened again: one open reminder.
    set_wish_fulfilled(wish.id, None)
    save_wish(WishForm("Canvas print", date(2027, 3, 1), True), anna, BERLIN, wish.id)
    follow_up = FollowUp.get_by_id(wish.follow_up_id)
    assert follow_up.done_at is None and follow_up.due_at.date() == date(2027, 3, 1)
