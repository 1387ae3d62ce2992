"""The client page suggests making a customer a client; accept and not now, as a user."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from models.clients import save_client
from models.entities import Client, ImportantDate
from models.forms import ClientForm, InteractionForm
from models.records import save_interaction


@pytest.fixture
def anna_page(open_window, database):
    anna = save_client(ClientForm(first_name="Anna", last_name="Berger"))
    for day in (1, 10):
        form = InteractionForm(
            "session", datetime(2026, 11, day, tzinfo=UTC), "Shoot", amount="300", currency="EUR"
        )
        save_interaction(form, anna.id)
    window = open_window()
    window.open_client(anna.id)
    yield window.page
    window.quit()


def test_accepting_makes_anna_a_client_from_today(anna_page):
    bar = anna_page.promotion
    assert bar.isVisible()
    assert bar.text.text() == "Anna has booked 2 times. Make Anna a client?"
    bar.accept_button.click()
    assert not bar.isVisible()
    assert anna_page.header.stage.text() == "CLIENT"
    anna = Client.get(Client.first_name == "Anna")
    assert anna.stage == "client"
    since = ImportantDate.get(ImportantDate.client == anna.id)
    assert (since.kind, since.year, since.month, since.day) == ("client_since", 2026, 11, 25)
    assert anna_page.dates.rowCount() == 1  # on the page at once


def test_not_now_hides_the_suggestion_until_the_next_booking(anna_page):
    anna_page.promotion.later_button.click()
    assert not anna_page.promotion.isVisible()
    anna = Client.get(Client.first_name == "Anna")
    anna_page.show_client(anna)
    assert not anna_page.promotion.isVisible()
    assert anna.stage == "customer"
