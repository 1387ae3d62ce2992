"""Filters and orders of the client list, alone and with a search."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from models.clients.entries import (
    save_family_member,
    save_follow_up,
    save_important_date,
    save_interaction,
    save_note,
)
from models.clients.finder import (
    ClientFilter,
    GreetingDay,
    client_rows,
    find_clients,
    greeting_days,
    lifetime_values,
    next_due_days,
)
from models.clients.saving import save_client
from models.forms.dialog_forms import (
    ClientForm,
    FamilyMemberForm,
    FollowUpForm,
    ImportantDateForm,
    InteractionForm,
    NoteForm,
)
from models.store.entities import Client

TODAY = date(2026, 11, 24)
NOW = datetime(2026, 11, 24, 10, tzinfo=UTC)


def add(first, stage="customer", tags="", every="", created_days_ago=1000):
    form = ClientForm(first_name=first, stage=stage, tags=tags, check_in_days=every)
    client = save_client(form)
    created = NOW - timedelta(days=created_days_ago)
    Client.update(created_at=created).where(Client.id == client.id).execute()
    return client


def contact(client, days_ago, amount="", currency="EUR", kind="session"):
    form = InteractionForm(
        kind=kind,
        occurred_at=NOW - timedelta(days=days_ago),
        summary="Shoot",
        amount=amount,
        currency=currency if amount else "",
    )
    save_interaction(form, client.id)


def names(**criteria) -> list[str]:
    ids = find_clients(ClientFilter(**criteria), TODAY)
    return [row.name for row in client_rows(ids)]


@pytest.fixture
def studio(database):
    anna = add("Anna", stage="client", tags="wedding, VIP", every="90")
    contact(anna, 10, "2890", kind="session")
    contact(anna, 400, "300")
    save_important_date(
        ImportantDateForm("wedding_anniversary", 28, 11, "2021", lead_days=7), anna.id
    )
    save_note(NoteForm(text="Beach shoot in Sylt"), anna.id)
    ben = add("Ben", tags="family", every="30")
    contact(ben, 40, "150")  # check-in overdue by 10 days: not drifting before 15
    contact(ben, 60, "5000", currency="CHF")  # another currency: not in the value order
    save_important_date(ImportantDateForm("birthday", 3, 12), ben.id)
    cleo = add("Cleo", stage="past", every="60")
    contact(cleo, 100, "900")  # 40 days overdue on a 60-day check-in interval: drifting
    dora = add("Dora", stage="lead", created_days_ago=500)  # never contacted, 500 days
    save_important_date(ImportantDateForm("birthday", 30, 11), dora.id)
    save_follow_up(FollowUpForm("Send the quote", NOW + timedelta(days=2)), dora.id)
    return database


def test_each_filter_alone(studio):
    assert names() == ["Anna", "Ben", "Cleo", "Dora"]
    assert names(stage="client") == ["Anna"]
    assert names(tag="vip") == ["Anna"]
    assert names(drifting=True) == ["Dora"]  # Cleo is a past client: not drifting
    assert names(check_in_overdue=True) == ["Ben", "Cleo"]
    assert names(greeting_this_month=True) == ["Anna", "Dora"]
    assert names(no_contact_since=TODAY - timedelta(days=55)) == ["Cleo", "Dora"]


def test_filters_combine_with_each_other_and_with_search(studio):
    assert names(check_in_overdue=True, stage="past") == ["Cleo"]
    assert names(text="sylt", greeting_this_month=True) == ["Anna"]
    assert names(text="sylt", drifting=True) == []
    assert ClientFilter(tag="vip", drifting=True, text="x", sort="next_due").filters_set() == 2


def test_each_order(studio):
    assert names(sort="name") == ["Anna", "Ben", "Cleo", "Dora"]
    assert names(sort="last_contact") == ["Anna", "Ben", "Cleo", "Dora"]  # never: last
    # EUR is the main currency: Anna 3190, Cleo 900, Ben 150 (his CHF aside), Dora none.
    assert names(sort="lifetime_value") == ["Anna", "Cleo", "Ben", "Dora"]
    # Cleo's check-in was due on 25 Oct, Ben's on 14 Nov; Dora's follow-up is due on 26 Nov,
    # Anna's anniversary on 28 Nov (before her check-in in February).
    assert names(sort="next_due") == ["Cleo", "Ben", "Dora", "Anna"]


def test_a_narrowed_list_by_value_keeps_the_whole_list_s_order(database):
    """A filter or a search sums each client found (finder._lifetime_value), the whole list
    every client at once (_lifetime_values): the same order, ties by name included."""
    for number, amount in enumerate(["0.1", "0.2", "0.3", "", "0.3", "99", "0.30", "7"]):
        client = add(f"Client {number % 5}", stage=("client", "lead")[number % 2])
        if amount:
            at = NOW - timedelta(days=number)
            for part in (amount, "0.2", "0.1"):
                form = InteractionForm(occurred_at=at, summary="s", amount=part, currency="EUR")
                save_interaction(form, client.id)
    whole = find_clients(ClientFilter(sort="lifetime_value"), TODAY)
    stages = dict(Client.select(Client.id, Client.stage).tuples())
    narrowed = find_clients(ClientFilter(stage="client", sort="lifetime_value"), TODAY)
    assert narrowed == [client_id for client_id in whole if stages[client_id] == "client"]
    assert find_clients(ClientFilter(text="client", sort="lifetime_value"), TODAY) == whole


def ids_by_name() -> dict[str, int]:
    return {client.first_name: client.id for client in Client.select()}


def test_the_days_that_put_a_client_under_birthday_or_anniversary_this_month(studio):
    ids = ids_by_name()
    lea = save_family_member(FamilyMemberForm(name="Lea", relation="child"), ids["Cleo"])
    for day, month, year in ((29, 2, "2020"), (12, 11, "")):
        birthday = ImportantDateForm("birthday", day, month, year, family_member_id=lea.id)
        save_important_date(birthday, ids["Cleo"])
    save_important_date(ImportantDateForm("birthday", 2, 11), ids["Cleo"])
    save_important_date(ImportantDateForm("client_since", 5, 11), ids["Ben"])  # no greeting
    found = greeting_days(list(ids.values()), TODAY)
    assert found == {
        ids["Anna"]: [GreetingDay("wedding_anniversary", date(2026, 11, 28), "")],
        ids["Cleo"]: [
            GreetingDay("birthday", date(2026, 11, 2), ""),
            GreetingDay("birthday", date(2026, 11, 12), "Lea"),
        ],
        ids["Dora"]: [GreetingDay("birthday", date(2026, 11, 30), "")],
    }
    # A leap-day birthday in February of a common year: on the day it is kept.
    february = greeting_days([ids["Cleo"]], date(2027, 2, 1))
    assert february == {ids["Cleo"]: [GreetingDay("birthday", date(2027, 2, 28), "Lea")]}


def test_the_values_and_days_the_orders_go_by(studio):
    ids = ids_by_name()
    everyone = list(ids.values())
    values = lifetime_values(everyone)
    assert values == {
        ids["Anna"]: (Decimal("3190.00"), "EUR"),
        ids["Ben"]: (Decimal("150.00"), "EUR"),  # his CHF aside
        ids["Cleo"]: (Decimal("900.00"), "EUR"),
    }
    assert next_due_days(everyone, TODAY) == {
        ids["Cleo"]: date(2026, 10, 15),  # 100 days ago, on a 60-day check-in interval
        ids["Ben"]: date(2026, 11, 14),
        ids["Dora"]: date(2026, 11, 26),
        ids["Anna"]: date(2026, 11, 28),
    }
