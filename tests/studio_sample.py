"""A varied studio for the Studio's figures: what they must stay while the way they are read
changes (tests/test_studio_sums.py).

Seeded, so every run writes the same rows: several currencies, amounts with odd decimals,
sessions without an amount, weddings, purchases and unpaid kinds with an amount, instants
at the UTC edges of local months and years (Berlin, New York, Kathmandu's quarter hour),
future payments, referred clients, past (archived) clients, deleted clients (a referrer
among them) and gifts. Written through the app's own saving functions and raw SQL.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from models.clients.entries import save_important_date, save_interaction
from models.clients.gifts import save_gift
from models.clients.saving import delete_client, save_client
from models.forms.dialog_forms import ClientForm, GiftForm, ImportantDateForm, InteractionForm
from models.store.database import db
from models.store.entities import Client
from models.store.settings import set_setting

TODAY = date(2026, 11, 25)
ZONES = [ZoneInfo(name) for name in ("Europe/Berlin", "America/New_York", "Asia/Kathmandu")]
DAYS = [TODAY, date(2027, 1, 1), date(2026, 12, 31)]  # and the year's edges

_CURRENCIES = ["EUR", "EUR", "EUR", "CHF", "USD", "JPY"]
_AMOUNTS = ["450.10", "0.20", "1200", "99.9", "19.9990", "0.001", "1E+3", "12.5", "7", "0"]
_KINDS = ["session", "session", "wedding", "purchase", "purchase", "call", "email"]
_STAGES = ["lead", "customer", "client", "client", "past"]


def _edge_instants() -> list[datetime]:
    """Instants within a day of the first of each month in 2024-2027, at hours that fall
    on either side of a local midnight in the zones above."""
    found = []
    for year in range(2024, 2028):
        for month in range(1, 13):
            first = datetime(year, month, 1, tzinfo=UTC)
            for hours in (-6, -5, -4.75, -1, -0.5, 0, 0.25, 3, 4.5, 5, 18.25):
                found.append(first + timedelta(hours=hours))
    return found


def build_varied_studio(seed: int = 19) -> None:
    rng = random.Random(seed)
    clients = _clients(rng)
    edges = _edge_instants()
    for number in range(900):
        who = rng.choice(clients)
        if number % 3 == 0:
            at = rng.choice(edges)
        else:
            at = datetime(2023, 6, 1, tzinfo=UTC) + timedelta(minutes=rng.randrange(2_400_000))
        _log(rng, who, at, raw=number % 4 == 0)
    _gifts(rng, clients)
    _dates(rng, clients)
    set_setting("gift_budget", "500")
    set_setting("gift_budget_currency", "EUR")
    # Deleted: a referrer (their referrals keep no referrer) and a referred client.
    referrers = [c for c in clients if Client.select().where(Client.referred_by == c.id).exists()]
    delete_client(referrers[0].id)
    referred = Client.select().where(Client.referred_by.is_null(False)).order_by(Client.id)
    delete_client(referred.first().id)


def _clients(rng: random.Random) -> list[Client]:
    clients: list[Client] = []
    for number in range(60):
        referrer = rng.choice(clients).id if clients and rng.random() < 0.4 else None
        form = ClientForm(
            first_name=f"Client{number}",
            last_name=rng.choice(["Berger", "Meyer", "Øster", ""]),
            stage=rng.choice(_STAGES),
            check_in_days=rng.choice(["", "30", "90", "365"]),
            referred_by_id=referrer,
        )
        client = save_client(form, now=datetime(2026, 1, 1, tzinfo=UTC))
        created = datetime(2024, 12, 31, 20, tzinfo=UTC) + timedelta(hours=rng.randrange(15_000))
        Client.update(created_at=created).where(Client.id == client.id).execute()
        clients.append(client)
    return clients


def _log(rng: random.Random, who: Client, at: datetime, raw: bool) -> None:
    kind = rng.choice(_KINDS)
    paid = rng.random() < 0.8
    amount = rng.choice(_AMOUNTS) if paid else ""
    currency = rng.choice(_CURRENCIES) if paid else ""
    if raw or "E" in amount:  # as an import or a restore writes it: straight SQL
        db.execute_sql(
            "INSERT INTO interaction (client_id, kind, occurred_at, summary, amount, currency)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (who.id, kind, at.strftime("%Y-%m-%d %H:%M:%S"), kind, amount or None,
             currency or None),
        )  # fmt: skip
        return
    form = InteractionForm(
        kind=kind, occurred_at=at, summary=kind, amount=amount, currency=currency
    )
    save_interaction(form, who.id)


def _gifts(rng: random.Random, clients: list[Client]) -> None:
    for _ in range(40):
        form = GiftForm(
            what="Flowers",
            given_on=date(2024, 1, 1) + timedelta(days=rng.randrange(1200)),
            amount=rng.choice(["", "35.50", "120", "9.9990"]),
            currency=rng.choice(["EUR", "CHF"]),
            planned=rng.random() < 0.3,
        )
        save_gift(form, rng.choice(clients).id)


def _dates(rng: random.Random, clients: list[Client]) -> None:
    for who in clients:
        for kind in ("birthday", "wedding_anniversary", "client_since"):
            if rng.random() < 0.6:
                year = rng.choice(["", "1990", "2025", "2026", "2027"])
                form = ImportantDateForm(
                    kind=kind, day=rng.randrange(1, 29), month=rng.randrange(1, 13), year=year
                )
                save_important_date(form, who.id)
