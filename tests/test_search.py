"""Client search on the FTS5 index: every field, folded, by word prefix, always in sync."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.clients.entries import save_family_member, save_interaction, save_note
from models.clients.finder import ClientFilter, ClientRow, client_rows, find_clients
from models.clients.saving import delete_client, save_client
from models.forms.dialog_forms import ClientForm, FamilyMemberForm, InteractionForm, NoteForm
from models.store import search_index
from models.store.database import db
from models.store.entities import Note, Tag
from models.store.migrations import open_database
from models.store.search_index import match_reasons, rebuild_search_index, search_words
from models.values.folding import _UNDECOMPOSABLE, fold, marked_prefix

WHEN = datetime(2026, 11, 24, 10, tzinfo=UTC)


def list_clients(text: str) -> list[ClientRow]:
    return client_rows(find_clients(ClientFilter(text), WHEN.date()))


def found(text: str) -> list[str]:
    return [row.name for row in list_clients(text)]


def reasons(text: str) -> dict[str, str]:
    rows = list_clients(text)
    by_id = match_reasons([row.id for row in rows], search_words(text))
    return {row.name: by_id.get(row.id, "") for row in rows}


@pytest.fixture
def studio(database):
    anna = save_client(
        ClientForm(
            first_name="Anna",
            last_name="Meyer",
            preferred_name="Anni",
            organization="Blumen Meyer GmbH",
            emails="anna@blumen-meyer.de",
            phones="+49 171 5550101",
            tags="wedding, VIP",
        )
    )
    save_note(NoteForm(text="Loves the beach shoot in Sylt"), anna.id)
    jose = save_client(ClientForm(first_name="José", last_name="García"))
    save_family_member(FamilyMemberForm(name="Lucía", relation="child"), jose.id)
    session = InteractionForm(
        kind="session", occurred_at=WHEN, summary="Portraits", body="Golden hour at the lake"
    )
    save_interaction(session, jose.id)
    save_client(ClientForm(first_name="Jürgen", last_name="Straße"))
    return database


@pytest.mark.parametrize(
    ("typed", "who", "why"),
    [
        ("mey", "Anna Meyer", ""),  # prefix of the last name: the name says why
        ("anni", "Anna Meyer", ""),
        ("blumen", "Anna Meyer", ""),
        ("anna@blumen", "Anna Meyer", ""),  # the name matches "anna" first
        ("4917155", "Anna Meyer", "contact: +49 171 5550101"),
        ("vip", "Anna Meyer", "tag: VIP"),
        ("sylt", "Anna Meyer", "note: …beach shoot in Sylt"),
        ("lucia", "José García", "family: Lucía"),
        ("golden", "José García", "history: Portraits Golden hour at…"),
        ("jose", "José García", ""),
        ("GARCÍA", "José García", ""),
        ("strasse", "Jürgen Straße", ""),
    ],
)
def test_each_kind_of_field_is_found_and_says_why(studio, typed, who, why):
    assert reasons(typed) == {who: why}


def test_words_are_prefixes_and_may_be_found_in_different_places(studio):
    assert found("eyer") == []  # a word's middle is not its start
    assert found("anna sylt") == ["Anna Meyer"]  # the name and a note
    assert found("anna lake") == []
    assert found("j") == ["José García", "Jürgen Straße"]
    # A single letter is a name's initial, first or last: not any word of a note.
    assert found("s") == ["Jürgen Straße"]
    assert found("anna m") == found("a meyer") == ["Anna Meyer"]


def test_the_index_follows_every_change(studio):
    anna_id = list_clients("anna")[0].id
    note = Note.get(Note.text.contains("Sylt"))
    note.text = "Prefers studio light"
    note.save()
    assert found("sylt") == [] and found("studio") == ["Anna Meyer"]
    Note.delete_by_id(note.id)
    assert found("studio") == []
    save_client(ClientForm(first_name="Hanna", last_name="Meyer", tags="family"), anna_id)
    assert found("anna") == [] and found("hanna") == ["Hanna Meyer"]
    assert found("vip") == [] and found("family") == ["Hanna Meyer"]
    Tag.update(name="Familie").where(Tag.name == "family").execute()
    assert found("familie") == ["Hanna Meyer"]
    delete_client(anna_id)  # cascades to the contacts and tags: their rows go too
    assert found("4917155") == found("familie") == found("hanna") == []
    count = db.execute_sql("SELECT count(*) FROM client_search").fetchone()[0]
    assert count == 4  # José's name, child and session, and Jürgen's name: none of Anna's


def test_an_update_that_leaves_the_indexed_text_alone_leaves_the_index_alone(studio):
    """A new interaction moves its client's last contact (an update of the client row):
    nothing indexed changed, so nothing is folded and indexed again; a rename is."""
    folded: list[str] = []

    def counting_fold(text):
        folded.append(text)
        return fold(text)

    db.connection().create_function("fold", 1, counting_fold, deterministic=True)
    jose_id = list_clients("jose")[0].id
    later = InteractionForm(kind="call", occurred_at=WHEN.replace(hour=12), summary="Call")
    save_interaction(later, jose_id)
    assert folded == ["Call "]  # the call's own summary and body, nothing of José
    folded.clear()
    db.execute_sql("UPDATE client SET first_name = 'Josef' WHERE id = ?", (jose_id,))
    assert folded.count("Josef García  ") == 2  # the full index and the names index
    assert found("josef") == ["Josef García"]


def test_a_database_indexed_on_every_update_gets_the_narrower_triggers_without_a_rebuild(
    studio, tmp_path
):
    path = db.obj.file_path
    with db.atomic():
        for name, statement in search_index._all_triggers(every_update=True).items():
            db.execute_sql(f"DROP TRIGGER {name}")
            db.execute_sql(statement)
    # A row the triggers' rebuild would restore: it stays, so no rebuild ran.
    db.execute_sql("INSERT INTO client_search (rowid, text) VALUES (7, 'marker')")
    db.obj.close()
    open_database(path)
    triggers = db.execute_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'client_search%'"
    ).fetchall()
    assert dict(triggers) == search_index._all_triggers()
    assert db.execute_sql("SELECT text FROM client_search WHERE rowid = 7").fetchone() == (
        "marker",
    )


def test_a_text_ending_in_the_mark_character_is_no_mark():
    """highlight() marks words with char(1) and char(2); an owner's text may end with a
    char(1) of its own (fold keeps it), which once made this loop forever."""
    assert marked_prefix("\x01wed\x02 a note\x01", "wedd") is False
    assert marked_prefix("\x01wedding\x02 a note\x01", "wedd") is True


def test_a_rebuild_gives_the_same_index(studio):
    before = db.execute_sql("SELECT rowid, text FROM client_search").fetchall()
    rebuild_search_index(db.obj)
    after = db.execute_sql("SELECT rowid, text FROM client_search").fetchall()
    assert sorted(after) == sorted(before) and len(before) > 5


def test_without_fts5_search_falls_back_to_like_and_catches_up_later(
    studio, tmp_path, monkeypatch, caplog
):
    path = tmp_path / "rapport.sqlite"
    db.close()
    monkeypatch.setattr(search_index, "fts5_available", lambda database: False)
    with caplog.at_level(logging.WARNING):
        open_database(path)
    assert "no FTS5" in caplog.text
    assert found("meyer") == ["Anna Meyer"]  # LIKE: names and contacts
    assert found("eyer") == ["Anna Meyer"]  # ...by substring
    anna_id = list_clients("meyer")[0].id
    save_note(NoteForm(text="Wants a canvas print"), anna_id)  # writes still work
    db.close()
    monkeypatch.undo()
    open_database(path)
    assert found("canvas") == ["Anna Meyer"]  # the index was rebuilt with the new note


def test_plain_ascii_folds_as_the_full_rule_folds_it():
    """ASCII text takes a short way (an import folds every name and email); it must
    fold exactly as the decomposing rule does, for every ASCII character."""
    import unicodedata

    text = "".join(map(chr, range(128)))
    full = "".join(
        c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c)
    )
    assert fold(text) == full == text.lower()


@settings(max_examples=500, deadline=None)
@given(
    st.text(
        alphabet=st.one_of(
            st.characters(max_codepoint=0x7F),
            st.sampled_from("\u0301\u0308\u0327\u0323\u031b\u0345ßøÆǿΣςİﬁ①ｶ\u212a"),
            st.characters(),
        ),
        max_size=12,
    )
)
def test_text_folds_run_by_run_as_it_folds_whole(text):
    """fold() decomposes only what lies beyond ASCII, a run at a time: the same as the
    rule applied to the whole text (accents around ASCII letters, reordered marks...)."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.casefold())
    whole = "".join(c for c in decomposed if not unicodedata.combining(c))
    assert fold(text) == whole.translate(_UNDECOMPOSABLE)


def test_letters_unicode_does_not_decompose_fold_like_accented_ones():
    assert fold("Bjørn Søren ØSTERGAARD") == "bjorn soren ostergaard"
    assert fold("Ærø Œuvre Straße Łódź") == "aero oeuvre strasse lodz"
    assert fold("Đorđe Þóra Ðan") == "dorde thora dan"


@pytest.mark.parametrize(
    ("typed", "who"),
    [
        ("bjorn", "Bjørn Østergaard"),
        ("ostergaard", "Bjørn Østergaard"),
        ("soren", "Søren Kjær"),
        ("kjaer", "Søren Kjær"),
        ("lukasz", "Łukasz Đurić"),
        ("duric", "Łukasz Đurić"),
        ("bjørn", "Bjørn Østergaard"),  # typed as written, too
    ],
)
def test_letters_without_a_decomposition_are_found_in_names(database, typed, who):
    """Found by the name, not (as before) only through an email address spelled in ASCII."""
    for first, last, email in (
        ("Bjørn", "Østergaard", "bjorn.ostergaard@example.dk"),
        ("Søren", "Kjær", "soren@kjaer.dk"),
        ("Łukasz", "Đurić", "lukasz.duric@example.pl"),
    ):
        save_client(ClientForm(first_name=first, last_name=last, emails=email))
    assert reasons(typed) == {who: ""}


def test_a_name_match_comes_before_matches_in_notes_or_history(database):
    for first in ("Anna", "Bea", "Cleo"):  # all before Liv by name
        client = save_client(ClientForm(first_name=first, last_name="Ek"))
        form = InteractionForm(kind="session", occurred_at=WHEN, summary="Living room portraits")
        save_interaction(form, client.id)
    save_note(NoteForm(text="Lives by the lake"), client.id)
    save_client(ClientForm(first_name="Liv", last_name="Ström"))
    save_client(ClientForm(first_name="Olivia", last_name="Lind"))  # "liv" inside: no match
    assert found("liv") == ["Liv Ström", "Anna Ek", "Bea Ek", "Cleo Ek"]
    assert found("liv ström") == ["Liv Ström"]
    # Every word in the name, not only one of them, ranks a client first.
    save_note(NoteForm(text="Living room, then Ström café"), client.id)
    assert found("liv str") == ["Liv Ström", "Cleo Ek"]
    # In any order: Liv, never contacted, would be last by last contact.
    by_contact = find_clients(ClientFilter("liv", sort="last_contact"), WHEN.date())
    assert [row.name for row in client_rows(by_contact)] == found("liv")


def test_without_the_index_a_name_match_comes_first_too(database, monkeypatch):
    save_client(ClientForm(first_name="Anna", last_name="Berg", emails="anna@liv-studio.se"))
    save_client(ClientForm(first_name="Liv", last_name="Ström"))
    monkeypatch.setattr(search_index, "_ready", False)
    assert found("liv") == ["Liv Ström", "Anna Berg"]
