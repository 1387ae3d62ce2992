"""Clients: saving all or nothing, searching as people type, deleting with cascades."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from models.clients import (
    client_form,
    client_tags,
    count_clients,
    delete_client,
    list_clients,
    save_client,
)
from models.entities import Client, Tag
from models.folding import fold
from models.forms import ClientForm, InteractionForm, NoteForm, ValidationError
from models.records import save_interaction, save_note


def add(first: str, last: str = "", **fields) -> Client:
    return save_client(ClientForm(first_name=first, last_name=last, **fields))


def names(text: str) -> list[str]:
    return [row.name for row in list_clients(text)]


def test_an_invalid_client_is_not_saved_at_all(database):
    with pytest.raises(ValidationError) as error:
        save_client(ClientForm(first_name=" ", emails="not-an-address"))
    assert {e.field for e in error.value.errors} == {"first_name", "emails"}
    assert Client.select().count() == 0


def test_a_client_round_trips_through_its_form(database):
    client = add("Anna", "Berger", emails="anna@example.org, a.b@example.org", tags="#VIP, wedding")
    form = client_form(client)
    assert form.emails == "anna@example.org, a.b@example.org"
    assert sorted(client_tags(client.id)) == ["VIP", "wedding"]
    form.tags = "wedding"
    save_client(form, client.id)
    assert [t.name for t in Tag.select()] == ["wedding"]  # the orphan tag is gone


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("zoë", ["Zoë Dubois"]),
        ("ZOË", ["Zoë Dubois"]),
        ("zoe", ["Zoë Dubois"]),
        ("strasse", ["Jürgen Straße"]),
        ("100%", ["Ann_a Studio 100%"]),
        ("_", ["Ann_a Studio 100%"]),
        ("backerei", ["Jürgen Straße"]),
        ("+49 151", ["Zoë Dubois"]),
        ("ANNA@EXAMPLE", ["Ann_a Studio 100%"]),
        ("", ["Ann_a Studio 100%", "Annxa Studio 100", "Jürgen Straße", "Zoë Dubois"]),
    ],
)
def test_search_ignores_case_and_accents_and_reads_wildcards_literally(database, typed, found):
    add("Zoë", "Dubois", phones="+49 151 1234567")
    add("Ann_a", "Studio 100%", emails="anna@example.org")
    add("Annxa", "Studio 100")
    add("Jürgen", "Straße", organization="Bäckerei Müller")
    assert names(typed) == found
    assert count_clients(typed) == len(found)


def test_fold_removes_case_and_accents():
    assert fold("Zoë") == fold("ZOE") == "zoe"
    assert fold("Straße") == "strasse"
    assert fold(None) == ""


def test_paging_is_ordered_and_complete(database):
    for number in range(25):
        add(f"Client {number:02d}")
    pages = [list_clients("", offset, 10) for offset in (0, 10, 20)]
    assert [len(page) for page in pages] == [10, 10, 5]
    assert [row.name for page in pages for row in page] == [f"Client {n:02d}" for n in range(25)]


def test_deleting_a_client_cascades_in_sqlite_itself(database):
    anna = add("Anna", emails="anna@example.org", tags="wedding")
    referred = add("Jens", referred_by_id=anna.id)
    when = datetime(2026, 1, 5, 9, tzinfo=UTC)
    save_interaction(InteractionForm("call", when, "Catch-up"), anna.id)
    save_note(NoteForm("Shy"), anna.id)
    delete_client(anna.id)
    for table in ("interaction", "note", "contact_detail", "client_tag"):
        assert database.execute_sql(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table
    assert Client.get_by_id(referred.id).referred_by_id is None
