"""Relationship health: the formula, its explanation, and the figures read from SQLite."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from models.clients.entries import save_interaction
from models.clients.saving import save_client
from models.forms.dialog_forms import ClientForm, InteractionForm
from models.insight.health import (
    RANKED_AMONG,
    Activity,
    ValueRanks,
    activities,
    ago,
    health,
    updated_ranks,
    value_ranks,
)
from models.insight.spending import main_currency
from models.store.database import db
from models.store.entities import Client, Interaction

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
RANKS = ValueRanks("EUR", tuple(range(100, 1100, 100)))  # ten paying clients: 1..10 EUR


def active(days_ago: int | None, recent=0, sessions=0, cents=0, stage="client") -> Activity:
    last = None if days_ago is None else NOW - timedelta(days=days_ago)
    return Activity(stage, last, recent, sessions, cents)


@pytest.mark.parametrize(
    ("activity", "level", "score"),
    [
        # R = 1, F = 1, V = 0.9: 0.5 + 0.3 + 0.18
        (active(10, recent=8, sessions=3, cents=1000), "good", 0.98),
        # R = 1 alone reaches "fair"; one more interaction in two years keeps it there
        (active(30, recent=1), "fair", 0.54),
        # R halfway (197.5 of 335 days), F = 4/8, no value: 0.25 + 0.15
        (active(197, recent=4), "fair", 0.4),
        # a year without contact: R = 0, F small
        (active(400, recent=4, cents=100), "low", 0.15),
    ],
)
def test_the_formula(activity, level, score):
    result = health(activity, RANKS, NOW)
    assert (result.level, result.score) == (level, score)


def test_clients_without_contact_and_past_clients_get_no_score():
    assert health(active(None, stage="lead"), RANKS, NOW).level == "new"
    past = health(active(5, recent=9, cents=1000, stage="past"), RANKS, NOW)
    assert (past.level, past.score) == ("past", None)


def test_the_explanation_says_why():
    result = health(active(21, recent=9, sessions=5, cents=1000), RANKS, NOW)
    assert result.explanation == (
        "Last contact 3 weeks ago · 5 sessions · 9 interactions in 2 years · top 10% by value"
    )
    # The bottom half is not a ranking worth boasting about.
    assert "top" not in health(active(21, cents=100), RANKS, NOW).explanation


@pytest.mark.parametrize(
    ("last", "text"),
    [(date(2026, 11, 25), "today"), (date(2026, 11, 24), "1 day ago"),
     (date(2026, 11, 12), "13 days ago"), (date(2026, 11, 11), "2 weeks ago"),
     (date(2026, 9, 26), "8 weeks ago"), (date(2026, 9, 25), "2 months ago"),
     (date(2025, 9, 26), "13 months ago"),  # as the drifting flag says it
     (date(2024, 11, 26), "23 months ago"), (date(2024, 11, 25), "2 years ago")],
)  # fmt: skip
def test_ago_counts_calendar_months(last, text):
    assert ago(last, date(2026, 11, 25)) == text


def _client(name: str) -> int:
    return save_client(ClientForm(first_name=name)).id


def _log(client_id, days_ago, kind="call", amount="", currency="EUR"):
    form = InteractionForm(
        kind=kind,
        occurred_at=NOW - timedelta(days=days_ago),
        summary=kind,
        amount=amount,
        currency=currency if amount else "",
    )
    save_interaction(form, client_id)


def test_figures_come_from_the_database(database):
    anna, ben, cleo = _client("Anna"), _client("Ben"), _client("Cleo")
    _log(anna, 3, "wedding", "2500.00")
    _log(anna, 40, "session", "300.10")
    _log(anna, 800, "call")  # outside the two years
    _log(ben, 100, "purchase", "99.99")
    _log(ben, 10, "purchase", "5000", currency="CHF")  # not the main currency
    ranks = value_ranks()
    assert ranks == ValueRanks("EUR", (9999, 280010))
    found = activities([anna, ben, cleo], ranks, NOW)
    assert found[anna] == Activity("customer", found[anna].last_contact, 2, 2, 280010)
    assert found[anna].last_contact == NOW - timedelta(days=3)
    assert found[ben].value_cents == 9999
    assert found[cleo] == Activity("customer", None, 0, 0, 0)
    # Two paying clients: Anna is first of two, which says nothing yet (RANKED_AMONG).
    assert "top" not in health(found[anna], ranks, NOW).explanation


def test_a_page_s_activity_is_read_from_an_index_alone(database, monkeypatch):
    """A page of the list reads its clients' activity without a row of the table: a
    thousand rows' lookups were a third of a search's first page at 100,000 clients."""
    anna = _client("Anna")
    _log(anna, 3, "wedding", "2500.00")
    statements = []
    monkeypatch.setattr(database, "execute_sql", _recording(database.execute_sql, statements))
    activities([anna], value_ranks(), NOW)
    sql, params = statements[-1]
    plan = " ".join(row[-1] for row in db.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params))
    assert "USING COVERING INDEX interaction_client_activity" in plan, plan


def _recording(execute, statements: list):
    def record(sql, params=None, *args, **kwargs):
        statements.append((sql, params or ()))
        return execute(sql, params, *args, **kwargs)

    return record


def test_a_rank_by_value_needs_enough_paying_clients():
    best = active(21, cents=999_900)  # spent more than every paying client ranked
    for paying in (1, RANKED_AMONG - 1):
        few = ValueRanks("EUR", tuple(range(100, 100 + paying)))
        assert "top" not in health(best, few, NOW).explanation  # not "top 1%" of one
    enough = ValueRanks("EUR", tuple(range(100, 100 + RANKED_AMONG)))
    assert health(best, enough, NOW).explanation.endswith("top 1% by value")


def test_no_payments_yet_ranks_nobody(database):
    anna = _client("Anna")
    _log(anna, 3)
    assert value_ranks() == ValueRanks(None, ())
    assert activities([anna], value_ranks(), NOW)[anna].value_cents == 0


# --- Ranks updated for what changed ---------------------------------------------------------

payment = st.tuples(
    st.integers(0, 5),  # which client
    st.sampled_from(["EUR", "USD", "CHF"]),
    st.sampled_from(["100", "0.50", "19.999", "1E+3", "2890.50", "7"]),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    before=st.lists(payment, max_size=12),
    added=st.lists(payment, max_size=6),
    deleted=st.lists(st.integers(0, 20), max_size=4),
)
@example(before=[(0, "USD", "100"), (1, "EUR", "7")], added=[], deleted=[])  # equals: by name
def test_ranks_updated_for_the_clients_changed_are_the_ranks_read_anew(
    database, before, added, deleted
):
    Interaction.delete().execute()
    Client.delete().execute()
    clients = [save_client(ClientForm(first_name=f"Client {n}")).id for n in range(6)]

    def pay(who: int, currency: str, amount: str) -> int:
        # Straight into the table: amounts the dialog would ask about ("19.999") too.
        Interaction.create(
            client=clients[who], kind="purchase", occurred_at=NOW, summary="Prints",
            amount=Decimal(amount), currency=currency,
        )  # fmt: skip
        return clients[who]

    for each in before:
        pay(*each)
    ranks = value_ranks()
    changed = {pay(*each) for each in added}
    payments = list(Interaction.select().order_by(Interaction.id))
    for number in deleted:
        if payments:
            gone = payments.pop(number % len(payments))
            changed.add(gone.client_id)
            gone.delete_instance()
    updated = updated_ranks(ranks, changed)
    again = value_ranks()
    assert (updated.currency, updated.cents) == (again.currency, again.cents)
    assert updated.currency == main_currency()
