"""Interactions per quarter: local quarters, gaps kept, up to today."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from models.clients.entries import history, save_interaction
from models.clients.saving import save_client
from models.forms.dialog_forms import ClientForm, InteractionForm
from models.insight.quarters import Quarter, interactions_per_quarter

BERLIN = ZoneInfo("Europe/Berlin")


def instants(client_id: int) -> list[datetime]:
    return [interaction.occurred_at for interaction in history(client_id)]


def test_quarters_from_the_first_contact_to_today(database):
    anna = save_client(ClientForm(first_name="Anna")).id
    assert interactions_per_quarter(instants(anna), date(2026, 11, 25), BERLIN) == []
    for at in (
        datetime(2025, 3, 31, 22, 30, tzinfo=UTC),  # 1 April in Berlin: Q2
        datetime(2025, 4, 2, 10, 0, tzinfo=UTC),
        datetime(2025, 12, 31, 12, 0, tzinfo=UTC),
        datetime(2026, 2, 1, 12, 0, tzinfo=UTC),
    ):
        save_interaction(InteractionForm("call", at, "Catch-up"), anna)
    assert interactions_per_quarter(instants(anna), date(2026, 11, 25), BERLIN) == [
        (Quarter(2025, 2), 2),
        (Quarter(2025, 3), 0),
        (Quarter(2025, 4), 1),
        (Quarter(2026, 1), 1),
        (Quarter(2026, 2), 0),
        (Quarter(2026, 3), 0),
        (Quarter(2026, 4), 0),
    ]
    assert Quarter(2025, 4).label() == "Q4 2025"
