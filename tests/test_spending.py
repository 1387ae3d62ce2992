"""Lifetime value and history of sessions and purchases, per currency, in Decimal."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from models.clients.entries import save_interaction
from models.clients.saving import save_client
from models.forms.dialog_forms import ClientForm, InteractionForm
from models.insight.spending import spending
from ui.client_header import describe_spending


def log(client, kind, day, amount="", currency="EUR"):
    form = InteractionForm(
        kind=kind,
        occurred_at=datetime(2026, 1, day, 12, tzinfo=UTC),
        summary=kind,
        amount=amount,
        currency=currency if amount else "",
    )
    save_interaction(form, client.id)


def test_totals_per_currency_never_summed_across(database):
    anna = save_client(ClientForm(first_name="Anna"))
    log(anna, "session", 3, "450.10")
    log(anna, "purchase", 5, "0.20")
    log(anna, "session", 9, "1200", currency="CHF")
    log(anna, "session", 20)  # no amount: counted, not paid
    log(anna, "call", 21, "99")  # not a session or purchase
    summary = spending(anna.id)
    assert (summary.sessions, summary.purchases) == (3, 1)
    assert summary.totals == {"EUR": Decimal("450.30"), "CHF": Decimal("1200")}
    assert summary.currencies() == ["EUR", "CHF"]
    assert summary.average("EUR") == Decimal("225.15")
    assert isinstance(summary.average("CHF"), Decimal)
    assert summary.first_session == datetime(2026, 1, 3, 12, tzinfo=UTC)
    assert summary.last_session == datetime(2026, 1, 20, 12, tzinfo=UTC)


def test_a_client_without_sessions(database):
    jens = save_client(ClientForm(first_name="Jens"))
    summary = spending(jens.id)
    assert (summary.sessions, summary.totals, summary.first_session) == (0, {}, None)


def test_the_client_page_sums_it_up(qtbot, database):
    anna = save_client(ClientForm(first_name="Anna"))
    log(anna, "session", 3, "450.10")
    log(anna, "session", 9, "1200", currency="CHF")
    log(anna, "purchase", 20, "1000.00")
    assert describe_spending(spending(anna.id)) == (
        "2 sessions  ·  1 purchase  ·  1,450.10 EUR in all, 725.05 EUR on average"
        "  ·  1,200.00 CHF in all, 1,200.00 CHF on average  ·  Jan 2026"
    )
