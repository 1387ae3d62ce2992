"""The sample clients: realistic, dated relative to today, loaded all or nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from models.clients.finder import ClientFilter, find_clients
from models.insight.health import activities, health, value_ranks
from models.insight.relationship import promotion_suggestions
from models.sample import loading
from models.sample.loading import load_sample_clients
from models.sample.people import SAMPLE_CLIENTS, SampleClient
from models.store.entities import (
    ALL_TABLES,
    Client,
    ClientPhoto,
    FamilyMember,
    ImportantDate,
    Interaction,
    Note,
    Wish,
)
from models.store.migrations import open_database

TODAY = date(2026, 11, 24)


def test_loads_about_forty_clients_with_their_records(database):
    # Anna's partner Tom becomes a client of his own: the couple.
    assert load_sample_clients(TODAY) == len(SAMPLE_CLIENTS) + 1 == Client.select().count()
    assert 35 <= Client.select().count() <= 45
    assert Interaction.select().count() > 300
    assert Note.select().where(Note.pinned).count() > 0
    assert FamilyMember.select().where(FamilyMember.relation == "pet").count() > 0
    assert Client.select().where(Client.organization != "").count() >= 5
    assert Client.select().where(Client.referred_by.is_null(False)).count() >= 5
    for client in Client.select():
        assert client.interactions.count() > 0, client.full_name


def test_history_spans_five_years_and_never_the_future(database):
    load_sample_clients(TODAY)
    dates = [row.occurred_at.date() for row in Interaction.select()]
    assert min(dates) <= TODAY - timedelta(days=5 * 365)
    assert max(dates) <= TODAY
    amounts = [row.amount for row in Interaction.select().where(Interaction.amount.is_null(False))]
    assert all(isinstance(a, Decimal) and a >= 0 for a in amounts)
    currencies = {row.currency for row in Interaction.select() if row.currency}
    assert {"EUR", "USD", "GBP", "CHF"} <= currencies


def test_some_clients_have_not_been_contacted_for_a_year(database):
    load_sample_clients(TODAY)
    year_ago = TODAY - timedelta(days=365)
    quiet = [
        c for c in Client.select() if max(i.occurred_at.date() for i in c.interactions) < year_ago
    ]
    assert len(quiet) >= 3


def test_dates_include_leap_day_unknown_years_and_the_coming_week(database):
    load_sample_clients(TODAY)
    dates = list(ImportantDate.select())
    assert any((d.month, d.day, d.year) == (2, 29, 1992) for d in dates)
    assert any(d.kind == "birthday" and d.year is None for d in dates)
    assert any(d.kind == "wedding_anniversary" for d in dates)
    assert any(d.family_member_id is not None for d in dates)
    coming_week = {(TODAY + timedelta(days=n)).timetuple()[1:3] for n in range(8)}
    assert sum((d.month, d.day) in coming_week for d in dates) >= 3


def test_the_same_day_gives_the_same_studio(tmp_path):
    """All but the clients' UIDs, which are each database's own (so that two exports of
    the sample clients are never taken for the same people)."""

    def studio(name: str) -> list[tuple]:
        open_database(tmp_path / name)
        load_sample_clients(TODAY)
        fields = {
            table: [f for f in table._meta.sorted_fields if f.name != "uid"] for table in ALL_TABLES
        }
        return [tuple(row) for table in ALL_TABLES for row in table.select(*fields[table]).tuples()]

    assert studio("a.sqlite") == studio("b.sqlite")


@pytest.mark.parametrize("today", [date(2028, 2, 29), date(2027, 2, 28), date(2026, 12, 31)])
def test_loads_on_awkward_days(database, today):
    assert load_sample_clients(today) == len(SAMPLE_CLIENTS) + 1  # and Tom, Anna's partner
    assert max(row.occurred_at.date() for row in Interaction.select()) <= today


def test_refuses_a_database_that_already_has_clients(database):
    Client.create(first_name="Real")
    with pytest.raises(ValueError, match="empty database"):
        load_sample_clients(TODAY)
    assert [c.first_name for c in Client.select()] == ["Real"]


def test_a_failure_half_way_leaves_nothing_behind(database, monkeypatch):
    broken = SampleClient("Nobody", "Known", "no such story")
    monkeypatch.setattr(loading, "SAMPLE_CLIENTS", (*SAMPLE_CLIENTS[:5], broken))
    with pytest.raises(KeyError):
        load_sample_clients(TODAY)
    for table in ALL_TABLES:
        assert table.select().count() == 0, table.__name__


def test_a_newcomer_sees_every_suggestion_and_flag(database):
    """Each rule of the relationship has someone in the sample clients to show it."""
    load_sample_clients(TODAY)
    assert promotion_suggestions(5)
    assert find_clients(ClientFilter(drifting=True), TODAY)
    assert Wish.select().where(Wish.follow_up.is_null(False)).count() >= 1
    assert Interaction.select().where(Interaction.kind == "wedding").count() >= 3
    now = datetime(2026, 11, 24, 10, tzinfo=UTC)
    ranks = value_ranks()
    ids = [client.id for client in Client.select(Client.id)]
    levels = {health(a, ranks, now).level for a in activities(ids, ranks, now).values()}
    assert {"good", "fair", "low", "past"} <= levels


def test_every_painted_portrait_is_some_sample_client_s_face(database):
    """The faces in assets/sample_photos are found (a module moved once and lost them)."""
    portraits = sorted(loading.SAMPLE_PHOTOS.glob("*.jpg"))
    assert len(portraits) >= 6
    load_sample_clients(TODAY)
    assert ClientPhoto.select().count() == len(portraits)
