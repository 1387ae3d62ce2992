"""From customer to client: the promotion rule, the drifting rule, accept and not now."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from models.clients import save_client
from models.contact_rhythm import drifting_reason
from models.entities import Client, ImportantDate
from models.forms import ClientForm, ImportantDateForm, InteractionForm
from models.partial_dates import months_before, months_between
from models.records import save_important_date, save_interaction
from models.relationship import (
    accept_promotion,
    decline_promotion,
    promotion_due,
    promotion_suggestions,
    relationship,
)
from models.settings import set_setting
from models.spending import Spending

TODAY = date(2026, 11, 25)


def spent(sessions=0, purchases=0, **totals) -> Spending:
    return Spending(
        sessions=sessions,
        purchases=purchases,
        totals={currency: Decimal(amount) for currency, amount in totals.items()},
    )


@pytest.mark.parametrize(
    ("stage", "summary", "declined_at", "value", "due"),
    [
        ("customer", spent(sessions=2), None, None, True),
        ("customer", spent(sessions=1, purchases=1), None, None, True),
        ("customer", spent(sessions=1), None, None, False),
        ("client", spent(sessions=5), None, None, False),  # already one
        ("lead", spent(sessions=5), None, None, False),
        ("customer", spent(sessions=2), 2, None, False),  # "not now" at 2 bookings
        ("customer", spent(sessions=3), 2, None, True),  # ...and booked again since
        ("customer", spent(sessions=1, EUR="900", CHF="100"), None, "800", True),
        ("customer", spent(sessions=1, EUR="500", CHF="500"), None, "800", False),  # never summed
    ],
)
def test_the_promotion_rule(stage, summary, declined_at, value, due):
    threshold = Decimal(value) if value else None
    assert promotion_due(stage, summary, declined_at, 2, threshold) is due


@pytest.mark.parametrize(
    ("last", "cadence", "reason"),
    [
        (date(2025, 9, 25), None, "Last contact 14 months ago — send a note"),
        (date(2025, 11, 25), None, "Last contact 12 months ago — send a note"),
        (date(2025, 11, 26), None, None),
        (date(2026, 8, 1), 60, "Check-in overdue by 56 days — call or write"),
        (date(2026, 9, 10), 60, None),  # overdue by 16 days: not yet half the cadence
        (date(2026, 11, 1), None, None),
    ],
)
def test_the_drifting_rule(last, cadence, reason):
    assert drifting_reason(last, cadence, TODAY, 12) == reason


def test_months_count_whole_months_and_clamp_the_day():
    assert months_between(date(2026, 1, 15), date(2026, 3, 14)) == 1
    assert months_between(date(2026, 1, 15), date(2026, 3, 15)) == 2
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_before(date(2024, 3, 31), 1) == date(2024, 2, 29)
    assert months_before(date(2026, 1, 10), 13) == date(2024, 12, 10)


def book(client, day: int) -> None:
    form = InteractionForm(
        "session", datetime(2026, 11, day, 12, tzinfo=UTC), "Shoot", amount="300", currency="EUR"
    )
    save_interaction(form, client.id)


def test_accept_makes_a_client_with_a_client_since_date(database):
    anna = save_client(ClientForm(first_name="Anna", preferred_name="Anni"))
    book(anna, 1)
    book(anna, 10)
    assert relationship(Client.get_by_id(anna.id), TODAY).promotion == (
        "Anni has booked 2 times. Make Anni a client?"
    )
    accept_promotion(anna.id, TODAY)
    assert Client.get_by_id(anna.id).stage == "client"
    since = ImportantDate.get(ImportantDate.client == anna.id)
    assert (since.kind, since.day, since.month, since.year) == ("client_since", 25, 11, 2026)
    assert relationship(Client.get_by_id(anna.id), TODAY).promotion is None


def test_not_now_waits_for_the_next_booking_and_thresholds_are_settings(database):
    ben = save_client(ClientForm(first_name="Ben"))
    book(ben, 1)
    book(ben, 2)
    decline_promotion(ben.id)
    assert relationship(Client.get_by_id(ben.id), TODAY).promotion is None
    book(ben, 3)
    assert relationship(Client.get_by_id(ben.id), TODAY).promotion is not None
    set_setting("promote_after_bookings", "5")
    assert relationship(Client.get_by_id(ben.id), TODAY).promotion is None
    set_setting("promote_after_value", "800")
    assert relationship(Client.get_by_id(ben.id), TODAY).promotion is not None  # 900 EUR


def test_a_past_client_is_never_drifting(database):
    old = save_client(ClientForm(first_name="Greta", stage="past"))
    Client.update(created_at=datetime(2020, 1, 1, tzinfo=UTC)).where(Client.id == old.id).execute()
    assert relationship(Client.get_by_id(old.id), TODAY).drifting is None


def test_suggestions_for_today_follow_the_same_rule(database):
    def customer(first, bookings, amount="300", stage="customer"):
        client = save_client(ClientForm(first_name=first, stage=stage))
        for day in range(1, bookings + 1):
            when = datetime(2026, 11, day, tzinfo=UTC)
            form = InteractionForm("session", when, "Shoot", amount=amount, currency="EUR")
            save_interaction(form, client.id)
        return client

    customer("Ada", 3)
    bo = customer("Bo", 2)
    customer("Cy", 1, amount="900")
    customer("Di", 4, stage="client")
    decline_promotion(bo.id)
    assert [s.text for s in promotion_suggestions(10)] == [
        "Ada has booked 3 times. Make Ada a client?"
    ]
    set_setting("promote_after_value", "800")
    assert [s.text.split()[0] for s in promotion_suggestions(10)] == ["Ada", "Cy"]
    assert len(promotion_suggestions(1)) == 1


def test_accept_keeps_a_client_since_date_already_known(database):
    ben = save_client(ClientForm(first_name="Ben"))
    save_important_date(ImportantDateForm("client_since", 3, 4, "2019", "", 3), ben.id)
    accept_promotion(ben.id, TODAY)
    [since] = ImportantDate.select().where(ImportantDate.client == ben.id)
    assert (since.year, since.month, since.day) == (2019, 4, 3)
    assert Client.get_by_id(ben.id).stage == "client"
