"""Referrals and gifts: Today suggests thanking a referrer, the referrer's page says what
their referrals booked, gifts on the client's page, and the Studio's gift panel."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from models.clients.entries import save_interaction
from models.clients.gifts import save_gift
from models.clients.saving import client_form, save_client
from models.clients.templates import client_values, get_template, render, template_for
from models.forms.dialog_forms import ClientForm, GiftForm, InteractionForm, ValidationError
from models.forms.settings_form import save_settings, settings_form
from models.insight.gifts import budget_status, gift_budget, gift_years
from models.reminders.rules import done_log
from models.reminders.store import listed_today, mark_done
from models.store.entities import Client, Gift
from models.store.settings import set_setting
from tests.ui_helpers import NOW, wait_for_reminders, when_dialog_opens, with_reminders
from ui.client_page import TAB_GIFTS
from ui.studio.studio_view import StudioView

BERLIN = ZoneInfo("Europe/Berlin")
NINE = time(9)
TODAY = NOW.astimezone(BERLIN).date()


def client(first: str, **details) -> Client:
    return save_client(ClientForm(first_name=first, **details), now=NOW)


def referrals() -> list:
    _, listed = listed_today(NOW, BERLIN, NINE)
    return [r for r in (*listed.overdue, *listed.today) if r.kind == "referral"]


def test_a_new_referral_suggests_thanking_the_referrer_until_done_or_dismissed(database):
    anna = client("Anna", last_name="Berger")
    jens = client("Jens", last_name="Hoffmann")
    assert referrals() == []
    form = client_form(jens)
    form.referred_by_id = anna.id
    save_client(form, jens.id, now=NOW - timedelta(hours=2))
    [thanks] = referrals()
    assert (thanks.client_id, thanks.title) == (anna.id, "Anna Berger")
    assert thanks.text == "Thank Anna for referring Jens Hoffmann"
    kind = template_for(thanks)
    message = render(*get_template(kind), client_values(anna, TODAY))
    assert message.subject == "Thank you for the referral, Anna!"
    assert "thank you for sending Jens Hoffmann my way" in message.body
    assert done_log("referral").dismissable
    mark_done(thanks, NOW, None)  # dismissed: nothing logged
    assert referrals() == []
    assert anna.interactions.count() == 0
    save_client(client_form(Client.get_by_id(jens.id)), jens.id, now=NOW)  # an edit: no new one
    assert referrals() == []
    old = client("Olga")  # a referral recorded long ago is not brought up again
    form = client_form(old)
    form.referred_by_id = anna.id
    save_client(form, old.id, now=NOW - timedelta(days=400))
    assert referrals() == []


def test_today_offers_to_thank_and_to_dismiss(qtbot, open_window, database):
    anna = client("Anna")
    client("Jens", referred_by_id=anna.id)
    window = open_window(zone=BERLIN)
    with_reminders(qtbot, window)
    [row] = thanks_on_today(window)
    assert row.write_button.isVisibleTo(row)
    texts = [a.text() for a in row.done_button.menu().actions()]
    assert "Dismiss (log nothing)" in texts
    dismiss = next(a for a in row.done_button.menu().actions() if a.text().startswith("Dismiss"))
    dismiss.trigger()
    wait_for_reminders(qtbot, window)
    qtbot.waitUntil(lambda: not thanks_on_today(window))
    assert Client.get_by_id(anna.id).interactions.count() == 0  # dismissed: nothing logged
    window.undo.undo()
    qtbot.waitUntil(lambda: bool(thanks_on_today(window)))
    window.quit()


def thanks_on_today(window) -> list:
    return [row for row in window.today_view.rows if row.reminder.kind == "referral"]


def test_the_referrer_s_page_shows_what_their_referrals_booked(open_window, database):
    anna = client("Anna")
    for name, amount, currency in (("Ben", "450.10", "EUR"), ("Cleo", "0.20", "EUR")):
        referred = client(name, referred_by_id=anna.id)
        paid = InteractionForm("session", NOW, "Portraits", amount=amount, currency=currency)
        save_interaction(paid, referred.id)
    chf = client("Dora", referred_by_id=anna.id)
    save_interaction(
        InteractionForm("purchase", NOW, "Album", amount="1200", currency="CHF"), chf.id
    )
    save_interaction(InteractionForm("call", NOW, "Talked"), chf.id)  # no amount: not booked
    window = open_window()
    window.open_client(anna.id)
    text = window.page.header.referrals.text()
    assert "Referred Ben, Cleo, Dora" in text
    assert "their referrals booked 1,200.00 CHF · 450.30 EUR" in text  # never added up
    window.quit()


def test_a_gift_is_kept_exactly_per_currency_and_a_bad_cost_costs_only_the_cost(database):
    anna = client("Anna")
    with pytest.raises(ValidationError) as error:
        save_gift(GiftForm("Flowers", TODAY, "birthday", "12,3,4", "EUR"), anna.id)
    assert error.value.errors[0].field == "amount"
    with pytest.raises(ValidationError):
        save_gift(GiftForm("Flowers", TODAY, "birthday", "12", "euro"), anna.id)
    assert Gift.select().count() == 0
    for cost, currency, planned in (("0.10", "EUR", False), ("0.20", "EUR", False)):
        save_gift(GiftForm("Sweets", TODAY, "thank_you", cost, currency, planned), anna.id)
    save_gift(GiftForm("Wine", TODAY, "wedding_anniversary", "30", "CHF", True), anna.id)
    save_gift(GiftForm("A card", TODAY), anna.id)  # no cost at all
    [year] = gift_years(TODAY, BERLIN, count=1)
    assert year.given == {"EUR": Decimal("0.30")}  # exact: not 0.30000000000000004
    assert year.planned == {"CHF": Decimal("30")}


def test_a_gift_is_added_on_the_client_page(open_window, database):
    anna = client("Anna")
    window = open_window()
    window.open_client(anna.id)
    page = window.page

    def fill(dialog) -> None:
        dialog.what.setText("Canvas print <b>30x40</b>")
        dialog.occasion.setCurrentIndex(dialog.occasion.findData("wedding_anniversary"))
        dialog.amount.setText("89.90")
        dialog.planned.setChecked(True)
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()

    seen = when_dialog_opens(fill)
    next(a for a in page.add_menu.actions() if a.text() == "Gift…").trigger()
    assert len(seen) == 1
    assert page.tabs.currentIndex() == TAB_GIFTS
    assert page.tabs.tabText(TAB_GIFTS) == "Gifts (1)"  # one planned
    gifts = page.gifts
    assert gifts.index(0, gifts.COL_WHAT).data() == "Canvas print <b>30x40</b>"
    assert gifts.index(0, gifts.COL_OCCASION).data() == "Wedding anniversary"
    assert gifts.index(0, gifts.COL_COST).data() == "89.90 EUR"
    assert gifts.index(0, gifts.COL_DAY).data().startswith("planned for")
    assert Gift.get().cost == Decimal("89.90")
    window.undo.undo()
    assert Gift.select().count() == 0
    window.quit()


@pytest.fixture
def gifts_and_revenue(database):
    anna = client("Anna")
    ben = client("Ben", referred_by_id=anna.id)
    log = [
        (anna, datetime(2026, 3, 1, 10, tzinfo=UTC), "1000.00"),
        (ben, datetime(2026, 5, 1, 10, tzinfo=UTC), "450.50"),
        (ben, datetime(2025, 6, 1, 10, tzinfo=UTC), "300"),
        (anna, datetime(2025, 12, 31, 23, 30, tzinfo=UTC), "10"),  # 1 Jan 2026 in Berlin
    ]
    for who, when, amount in log:
        save_interaction(
            InteractionForm("session", when, "Shoot", amount=amount, currency="EUR"), who.id
        )
    save_gift(GiftForm("Print", date(2026, 2, 1), "thank_you", "300", "EUR"), anna.id)
    save_gift(GiftForm("Flowers", date(2026, 12, 20), "referral", "60", "EUR", True), anna.id)
    save_gift(GiftForm("Book", date(2025, 4, 1), "", "25", "EUR"), ben.id)
    return anna


def test_gift_spending_beside_revenue_and_referred_revenue_per_year(gifts_and_revenue):
    years = {y.year: y for y in gift_years(TODAY, BERLIN)}
    assert sorted(years) == [2024, 2025, 2026]
    assert years[2026].revenue == {"EUR": Decimal("1460.50")}
    assert years[2026].referred == {"EUR": Decimal("450.50")}
    assert years[2025].revenue == years[2025].referred == {"EUR": Decimal("300")}
    assert years[2026].given == {"EUR": Decimal("300")}
    assert years[2026].planned == {"EUR": Decimal("60")}
    assert years[2025].given == {"EUR": Decimal("25")}
    assert years[2024] == replace(years[2024])  # empty, not missing
    assert gift_budget() is None
    for budget, level in (("1000", "ok"), ("400", "near"), ("360", "near"), ("359.99", "over")):
        set_setting("gift_budget", budget)
        set_setting("gift_budget_currency", "EUR")
        assert budget_status(years[2026], gift_budget()).level == level, budget


def test_the_budget_is_set_in_settings_and_refused_in_words(database):
    form = settings_form()
    form.gift_budget, form.gift_budget_currency = "abc", "EUR"
    with pytest.raises(ValidationError) as error:
        save_settings(form)
    assert error.value.errors[0].field == "gift_budget"
    form.gift_budget, form.gift_budget_currency = "500", ""
    with pytest.raises(ValidationError) as error:
        save_settings(form)
    assert error.value.errors[0].field == "gift_budget_currency"
    form.gift_budget_currency = "eur"
    save_settings(form)
    assert gift_budget().amount == Decimal("500")
    assert gift_budget().currency == "EUR"


def test_the_studio_shows_gifts_and_warns_near_the_budget(qtbot, gifts_and_revenue):
    set_setting("gift_budget", "380")
    set_setting("gift_budget_currency", "EUR")
    view = StudioView(lambda: TODAY, zone=BERLIN)
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.show()
    with qtbot.waitSignal(view.refreshed, timeout=5000):
        view.refresh()
    panel = view.gift_panel
    assert [panel.cells[(1, c)].text() for c in range(5)] == [
        "2026",
        "1,460.50 EUR",
        "450.50 EUR",
        "300.00 EUR",
        "60.00 EUR",
    ]
    assert panel.cells[(3, 3)].text() == "—"  # 2024: nothing
    assert panel.budget.text() == "Near the gift budget: 360.00 EUR of 380.00 EUR this year (95 %)."
    assert panel.budget.objectName() == "formError"
    set_setting("gift_budget", "300")
    with qtbot.waitSignal(view.refreshed, timeout=5000):
        view.refresh()
    assert panel.budget.text().startswith("Over the gift budget: 360.00 EUR of 300.00 EUR")
