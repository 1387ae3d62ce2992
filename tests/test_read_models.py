"""read_models: instances made straight from the cursor equal peewee's own, field for field,
and behave as peewee's do when changed and saved."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from models.clients.entries import history
from models.clients.saving import save_client
from models.forms.dialog_forms import ClientForm
from models.store.database import read_models
from models.store.entities import NEWEST_FIRST, Interaction
from tests.test_damaged_text import write_bad_bytes


@pytest.fixture
def anna(database) -> int:
    """Anna with interactions of every kind of value: amounts, a gallery's closing day,
    empty and missing values, and a summary that is not valid UTF-8 (another program's)."""
    anna = save_client(ClientForm(first_name="Anna")).id
    Interaction.create(
        client=anna,
        kind="wedding",
        occurred_at=datetime(2026, 6, 20, 14, 30, tzinfo=UTC),
        summary="Wedding at the lake",
        body="Two photographers\nand a <b>drone</b>",
        amount=Decimal("2450.50"),
        currency="EUR",
        gallery_url="https://gallery.example/anna",
        gallery_expires_on=date(2026, 12, 20),
    )
    Interaction.create(
        client=anna, kind="call", occurred_at=datetime(2026, 6, 20, 14, 30, tzinfo=UTC),
        summary="Thank-you call",
    )  # fmt: skip
    damaged = Interaction.create(
        client=anna, kind="note", occurred_at=datetime(2025, 1, 2, tzinfo=UTC), summary="x"
    )
    write_bad_bytes(
        Path(database.database),
        f"UPDATE interaction SET summary = CAST(X'4DFC6C6C6572' AS TEXT) WHERE id = {damaged.id}",
    )
    return anna


def peewees_own(client_id: int) -> list[Interaction]:
    return list(Interaction.select().where(Interaction.client == client_id).order_by(*NEWEST_FIRST))


def test_the_instances_equal_peewees_own(anna):
    ours, theirs = history(anna), peewees_own(anna)
    assert [type(each) for each in ours] == [Interaction] * 3
    assert [each.__data__ for each in ours] == [each.__data__ for each in theirs]
    wedding = ours[1]  # the call was logged later at the same moment: it comes first
    assert (wedding.amount, wedding.gallery_expires_on) == (Decimal("2450.50"), date(2026, 12, 20))
    assert wedding.occurred_at == datetime(2026, 6, 20, 14, 30, tzinfo=UTC)
    assert wedding.client_id == anna and wedding.client.first_name == "Anna"
    assert ours[2].summary == "M\ufffdller"  # damaged text reads with U+FFFD, as peewee's does


def test_an_instance_read_is_saved_as_peewees_own_is(anna):
    wedding = history(anna)[1]
    assert wedding.dirty_fields == []  # as peewee leaves an instance it read
    wedding.summary = "Wedding at the lake, 120 guests"
    assert wedding.dirty_fields == [Interaction.summary]
    wedding.save()
    again = Interaction.get_by_id(wedding.id)
    assert again.summary == "Wedding at the lake, 120 guests"
    changed = {**peewees_own(anna)[1].__data__, "summary": "Wedding at the lake"}
    assert changed == history(anna)[1].__data__ | {"summary": "Wedding at the lake"}
    assert again.amount == Decimal("2450.50") and again.gallery_expires_on == date(2026, 12, 20)


def test_only_whole_rows_are_read(anna):
    fields = Interaction._meta.sorted_fields
    summary, body = fields.index(Interaction.summary), fields.index(Interaction.body)
    swapped = list(fields)
    swapped[summary], swapped[body] = Interaction.body, Interaction.summary
    for select in (
        Interaction.select(Interaction.id, Interaction.summary),
        Interaction.select(*swapped),  # as many columns, two of them swapped
        Interaction.select(*fields[:-1], Interaction.summary.alias("gallery_expires_on")),
    ):
        with pytest.raises(ValueError, match="whole rows"):
            read_models(select)
