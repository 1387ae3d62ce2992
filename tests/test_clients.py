"""Clients: saving all or nothing, searching as people type, deleting with cascades."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from models.clients.entries import (
    save_family_member,
    save_important_date,
    save_interaction,
    save_note,
)
from models.clients.finder import (
    ClientFilter,
    client_rows,
    clients_named,
    find_clients,
    named_client,
)
from models.clients.saving import (
    all_tag_names,
    client_form,
    client_tags,
    contact_values,
    delete_client,
    referral_line,
    save_client,
)
from models.forms.dialog_forms import (
    ClientForm,
    FamilyMemberForm,
    ImportantDateForm,
    InteractionForm,
    NoteForm,
    ValidationError,
)
from models.store.entities import Client, ContactDetail, Tag
from models.values.folding import fold


def add(first: str, last: str = "", **fields) -> Client:
    return save_client(ClientForm(first_name=first, last_name=last, **fields))


TODAY = datetime(2026, 11, 24).date()


def names(text: str = "") -> list[str]:
    return [row.name for row in client_rows(find_clients(ClientFilter(text), TODAY))]


def count(database, table: str) -> int:
    return database.execute_sql(f"SELECT count(*) FROM {table}").fetchone()[0]


def tag_names() -> list[str]:
    return sorted(tag.name for tag in Tag.select())


def test_an_invalid_client_is_not_saved_at_all(database):
    with pytest.raises(ValidationError) as error:
        save_client(ClientForm(first_name=" ", emails="not-an-address", tags="wedding"))
    assert {e.field for e in error.value.errors} == {"first_name", "emails"}
    assert Client.select().count() == ContactDetail.select().count() == Tag.select().count() == 0


def test_an_invalid_edit_leaves_the_client_as_it_was(database):
    anna = add("Anna", emails="anna@example.org", tags="wedding")
    with pytest.raises(ValidationError):
        save_client(ClientForm(first_name="Anna", emails="broken", tags="portrait"), anna.id)
    assert contact_values(anna.id, "email") == ["anna@example.org"]
    assert tag_names() == ["wedding"]


def test_a_client_reads_back_as_the_form_that_created_it(database):
    form = ClientForm(
        first_name="Anna",
        last_name="Berger",
        preferred_name="Annie",
        organization="Berger GmbH",
        stage="lead",
        emails="anna@example.org, a.b@example.org",
        phones="+49 151 1234567",
        address="Hauptstraße 1, Graz",
        where_from="Linz",
        lives_now="Wien",
        how_we_met="At the Christmas market",
        tags="VIP, wedding",
        check_in_days="90",
    )
    client = save_client(form)
    assert client_form(Client.get_by_id(client.id)) == form


def test_editing_replaces_contact_details_and_tags_and_drops_orphan_tags(database):
    anna = add("Anna", emails="old@example.org", phones="0664 123456", tags="wedding, family")
    add("Jens", tags="family")
    form = client_form(anna)
    form.emails, form.phones, form.tags = "new@example.org; two@example.org", "", "portrait"
    save_client(form, anna.id)
    assert contact_values(anna.id, "email") == ["new@example.org", "two@example.org"]
    assert contact_values(anna.id, "phone") == []
    assert client_tags(anna.id) == ["portrait"]
    assert tag_names() == ["family", "portrait"]  # Jens still uses "family"; "wedding" is gone
    assert Client.select().count() == 2


def test_tags_are_shared_whatever_their_case_and_without_the_hash(database):
    anna = add("Anna", tags="#VIP")
    jens = add("Jens", tags="vip, #Vip, ##VIP")
    assert tag_names() == ["VIP"]
    assert client_tags(anna.id) == client_tags(jens.id) == ["VIP"]


def test_accented_tags_are_shared_whatever_their_case(database):
    add("Anna", tags="Ärztin")
    add("Jens", tags="ärztin")
    assert tag_names() == ["Ärztin"]


def test_a_hash_and_a_space_before_a_tag_name_the_same_tag(database):
    add("Anna", tags="VIP")
    add("Jens", tags="# VIP")
    assert tag_names() == ["VIP"]


def test_an_absurd_check_in_interval_is_refused_by_the_form(database):
    with pytest.raises(ValidationError):
        add("Anna", check_in_days="99999999999999999999")


def test_a_client_cannot_refer_themselves(database):
    anna = add("Anna")
    jens = add("Jens", referred_by_id=anna.id)
    form = client_form(jens)
    form.referred_by_id = jens.id
    save_client(form, jens.id)
    assert Client.get_by_id(jens.id).referred_by_id is None
    assert clients_named("", 10, leave_out=jens.id) == [(anna.id, "Anna", "")]
    assert clients_named("", 10) == [(anna.id, "Anna", ""), (jens.id, "Jens", "")]


@pytest.mark.parametrize("index", [True, False])
def test_a_referrer_is_found_by_the_beginnings_of_their_names(database, monkeypatch, index):
    """As the list's search finds names, with its index of names or, while that is being
    built, without it; in the order of names, as many as asked for."""
    from models.store import search_index

    berger = add("Anna", "Berger", emails="lea@example.org")
    add("Lea", "Brandt")
    add("Zoë", "Béranger", organization="Studio Nord")
    add("Anna", "Meyer")
    monkeypatch.setattr(search_index, "_ready", index)
    named = [client.name for client in clients_named("anna", 10)]
    assert named == ["Anna Berger", "Anna Meyer"]
    assert [client.name for client in clients_named("zoe ber", 10)] == ["Zoë Béranger"]
    assert [client.name for client in clients_named("nord", 10)] == ["Zoë Béranger"]
    assert [client.name for client in clients_named("lea", 10)] == ["Lea Brandt"]  # not by email
    assert [client.name for client in clients_named("", 2)] == ["Anna Berger", "Anna Meyer"]
    assert clients_named("anna", 10, leave_out=berger.id)[0].name == "Anna Meyer"
    assert named_client(berger.id) == (berger.id, "Anna Berger", "")
    # Namesakes, and only they, with what tells them apart.
    add("Anna", "Berger", phones="+49 30 1234567", lives_now="Köln")
    add("Anna", "Berger", lives_now="Bonn")
    told_apart = [client[1:] for client in clients_named("anna", 10)]
    assert told_apart == [
        ("Anna Berger", "lea@example.org"),
        ("Anna Berger", "+49 30 1234567"),
        ("Anna Berger", "Bonn"),
        ("Anna Meyer", ""),
    ]
    assert named_client(None) is None


def test_search_matches_names_organization_email_and_phone_ignoring_case_and_accents(database):
    add("Zoë", "Dubois", preferred_name="Zozo", phones="+49 151 1234567")
    add("Ann_a", "Studio 100%", emails="anna@example.org")
    add("Annxa", "Studio 100")
    add("Jürgen", "Straße", organization="Bäckerei Müller")
    everyone = ["Ann_a Studio 100%", "Annxa Studio 100", "Jürgen Straße", "Zoë Dubois"]
    searches = {
        "zoë": ["Zoë Dubois"],
        "ZOË": ["Zoë Dubois"],
        "zoe": ["Zoë Dubois"],
        "zoë dubois": ["Zoë Dubois"],
        "DUBOIS": ["Zoë Dubois"],
        "zozo": ["Zoë Dubois"],
        "strasse": ["Jürgen Straße"],
        "backerei": ["Jürgen Straße"],
        "MÜLLER": ["Jürgen Straße"],
        "+49 151": ["Zoë Dubois"],
        "ANNA@EXAMPLE": ["Ann_a Studio 100%"],
        "100%": ["Ann_a Studio 100%", "Annxa Studio 100"],  # words, punctuation aside
        "%": ["Ann_a Studio 100%"],  # no word at all: the text itself, % as a character
        "_": ["Ann_a Studio 100%"],
        "nobody": [],
        "": everyone,
        "  ": everyone,
    }
    for typed, found in searches.items():
        assert names(typed) == found, typed


def test_fold_removes_case_and_accents():
    assert fold("Zoë") == fold("ZOE") == "zoe"
    assert fold("Straße") == "strasse"
    assert fold(None) == ""


def test_names_sort_ignoring_case(database):
    for number in reversed(range(25)):
        add(f"client {number:02d}" if number % 2 else f"Client {number:02d}")
    assert [name.lower() for name in names()] == [f"client {n:02d}" for n in range(25)]


def test_accented_names_sort_with_their_letter(database):
    for first in ("Zoë", "Élodie", "Emma", "Anna"):
        add(first)
    assert names() == ["Anna", "Élodie", "Emma", "Zoë"]


def test_deleting_a_client_cascades_in_sqlite_itself(database):
    assert database.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    anna = add("Anna", emails="anna@example.org", phones="0664 123456", tags="wedding")
    jens = add("Jens", emails="jens@example.org", tags="wedding", referred_by_id=anna.id)
    save_interaction(InteractionForm("call", datetime(2026, 1, 5, 9, tzinfo=UTC), "Hi"), anna.id)
    save_note(NoteForm("Shy"), anna.id)
    mia = FamilyMemberForm("Mia", "child", has_birthday=True, birthday_day=3, birthday_month=4)
    save_family_member(mia, anna.id)
    save_important_date(ImportantDateForm("wedding_anniversary", 14, 6), anna.id)
    delete_client(anna.id)
    for table in ("interaction", "note", "family_member", "important_date"):
        assert count(database, table) == 0, table
    assert count(database, "contact_detail") == count(database, "client_tag") == 1
    assert contact_values(jens.id, "email") == ["jens@example.org"]
    assert Client.get_by_id(jens.id).referred_by_id is None
    assert names() == ["Jens"]


def test_the_referral_line_names_who_referred_and_who_was_referred(database):
    anna = add("Anna", "Berger")
    jens = add("Jens", "Hoffmann", referred_by_id=anna.id)
    add("Lea", "Brandt", referred_by_id=anna.id)
    assert referral_line(Client.get_by_id(anna.id)) == "Referred Jens Hoffmann, Lea Brandt"
    assert referral_line(Client.get_by_id(jens.id)) == "Referred by Anna Berger"
    assert referral_line(Client.get_by_id(add("Mia").id)) == ""


def test_deleting_a_client_drops_the_tags_nobody_has_any_more(database):
    anna = save_client(ClientForm(first_name="Anna", tags="wedding, vip"))
    save_client(ClientForm(first_name="Jens", tags="wedding"))
    delete_client(anna.id)
    assert all_tag_names() == ["wedding"]
