"""Top referrers: ranked by clients referred, then by their value in the main currency."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from models.clients.entries import save_interaction
from models.clients.saving import save_client
from models.forms.dialog_forms import ClientForm, InteractionForm
from models.insight.referrals import top_referrers
from models.store.entities import Interaction


def client(first: str, referred_by=None):
    return save_client(
        ClientForm(first_name=first, referred_by_id=referred_by.id if referred_by else None)
    )


def paid(who, amount: str, currency: str = "EUR", kind: str = "session") -> None:
    form = InteractionForm(
        kind=kind,
        occurred_at=datetime(2026, 3, 1, 12, tzinfo=UTC),
        summary=kind,
        amount=amount,
        currency=currency,
    )
    save_interaction(form, who.id)


def test_ranked_by_referrals_then_by_value_in_the_main_currency(database):
    anna, ben, cleo, dora = (client(name) for name in ("Anna", "Ben", "Cleo", "Dora"))
    # Anna and Ben each referred two clients: a tie in count.
    a1, a2 = client("A1", anna), client("A2", anna)
    b1, b2 = client("B1", ben), client("B2", ben)
    client("C1", cleo)  # one referral, paid nothing
    paid(a1, "100.10")
    paid(a2, "200.20", kind="purchase")
    paid(b1, "1000")  # Ben's referrals spent more in EUR, the main currency...
    paid(b2, "5000", currency="CHF")  # ...Anna's CHF does not count towards the rank
    paid(a1, "9000", currency="CHF")
    paid(a2, "999", kind="call")  # not a session or purchase: no value
    paid(dora, "50")  # Dora referred nobody

    ranked = top_referrers()

    assert [(r.name, r.referrals) for r in ranked] == [("Ben", 2), ("Anna", 2), ("Cleo", 1)]
    ben_row, anna_row, cleo_row = ranked
    assert anna_row.client_id == anna.id
    # Per currency, exact, never summed across currencies.
    assert anna_row.value == {"EUR": Decimal("300.30"), "CHF": Decimal("9000")}
    assert list(anna_row.value) == ["EUR", "CHF"]  # the main currency first
    assert ben_row.value == {"EUR": Decimal("1000"), "CHF": Decimal("5000")}
    assert cleo_row.value == {}


def test_a_tie_in_count_and_value_falls_back_to_the_name(database):
    zoe, adam = client("Zoë"), client("Adam")
    paid(client("Z1", zoe), "10.05")
    paid(client("A1", adam), "10.05")
    assert [r.name for r in top_referrers()] == ["Adam", "Zoë"]


def test_the_limit_and_an_empty_studio(database):
    assert top_referrers() == []
    referrers = [client(f"R{number}") for number in range(4)]
    for number, referrer in enumerate(referrers):
        for _ in range(number + 1):
            client("Someone", referrer)
    assert [r.name for r in top_referrers(limit=2)] == ["R3", "R2"]


def test_odd_amounts_are_added_exactly(database):
    anna = client("Anna")
    referred = client("Ben", anna)
    for amount in ("0.10", "0.20", "19.9990"):  # "19.999" reads two ways: refused as typed
        paid(referred, amount)
    # Written as "1E+3" by a Rapport that took "1e3" as typed: still added exactly.
    Interaction.create(
        client=referred,
        kind="session",
        occurred_at=datetime(2026, 3, 1, 12, tzinfo=UTC),
        summary="session",
        amount=Decimal("1e3"),
        currency="EUR",
    )
    assert top_referrers()[0].value == {"EUR": Decimal("1020.299")}
