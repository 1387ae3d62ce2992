"""A search comes in twice: a page first (the clients found by name, from the names' own
small index, then the others looked up client by client in the order of names), then
every client found, appended after them. The first rows are always the start of the
whole result, the whole result is the one-shot search's, the names index ranks exactly
as the full index's name rows did, and why a client matched reads as from their rows."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.clients import finder
from models.clients.finder import ClientFilter, find_clients, find_first_clients
from models.store.database import db
from models.store.entities import Client, FamilyMember, Interaction, Note
from models.store.migrations import open_database
from models.store.search_index import (
    NAMES_TABLE,
    SOURCES,
    _snippet,
    match_reasons,
    search_words,
    words_typed,
)
from ui import client_list_model
from ui.client_list_model import ClientListModel, ReasonRole

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)
TODAY = NOW.date()
# Few syllables, so that the same prefixes are in names, notes and history alike.
SYLLABLES = ("an", "na", "th", "the", "se", "lea", "mé", "ber", "o")
words = st.lists(st.sampled_from(SYLLABLES), min_size=1, max_size=3).map("".join)
# Whole words, their first letters, and initials.
searches = st.lists(
    st.one_of(words, words.map(lambda word: word[:2]), st.sampled_from("atmbo")),
    min_size=1,
    max_size=2,
).map(" ".join)


def studio(seed: int, clients: int = 40) -> None:
    """Clients with names, notes and history made of the same few syllables."""
    rng = random.Random(seed)

    def text(count: int) -> str:
        return " ".join("".join(rng.choices(SYLLABLES, k=rng.randint(1, 3))) for _ in range(count))

    Interaction.delete().execute()
    Note.delete().execute()
    FamilyMember.delete().execute()
    Client.delete().execute()
    for _ in range(clients):
        stage = rng.choice(("lead", "client"))
        client = Client.create(first_name=text(1), last_name=text(1), stage=stage, created_at=NOW)
        if rng.random() < 0.5:
            Note.create(client=client, text=text(4), created_at=NOW)
        if rng.random() < 0.5:
            Interaction.create(client=client, kind="call", occurred_at=NOW, summary=text(3))


def named_by_the_full_index(text: str) -> set[int]:
    """The clients the full index finds by name: how the search ranked them before the
    names had an index of their own."""
    longer = [word for word in search_words(text) if len(word) > 1]
    rows = db.execute_sql(
        "SELECT rowid >> 32 FROM client_search WHERE client_search MATCH ? AND rowid & 7 = 0",
        (" AND ".join(words_typed(" ".join(longer))),),
    )
    return {client_id for (client_id,) in rows}


def named_by_the_names_index(text: str) -> set[int]:
    longer = [word for word in search_words(text) if len(word) > 1]
    rows = db.execute_sql(
        f"SELECT rowid FROM {NAMES_TABLE} WHERE {NAMES_TABLE} MATCH ?",
        (" AND ".join(words_typed(" ".join(longer))),),
    )
    return {client_id for (client_id,) in rows}


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    seed=st.integers(0, 10_000),
    text=searches,
    stage=st.sampled_from(("", "client")),
    sort=st.sampled_from(("name", "name", "last_contact")),
    limit=st.integers(1, 12),
    # Clients looked up in a window, at most: as the app has it, and small enough for a
    # studio of 40 to take several windows or to give up and find every client instead.
    probing=st.sampled_from(((256, 4096), (2, 6), (3, 40), (1, 1))),
    # Index rows of a rare word, and of one too rare to look up client by client: as the
    # app has them (every word is rare in a studio of 40), none (as "th" at XL), or some.
    rare_rows=st.sampled_from(((10_000, 5000), (0, 0), (1, 1), (12, 4), (4, 12), (12, 0))),
    # Names found from which a page is looked for in the order of names, and how far.
    stretch=st.sampled_from(((1000, 1), (1, 2), (2, 1), (1, 0.1), (4, 0.5))),
)
def test_the_first_clients_are_the_start_of_the_whole_result(
    database, monkeypatch, seed, text, stage, sort, limit, probing, rare_rows, stretch
):
    monkeypatch.setattr(finder, "PROBE_WINDOW", probing[0])
    monkeypatch.setattr(finder, "MOST_PROBED", probing[1])
    monkeypatch.setattr(finder, "RARE_ROWS", rare_rows[0])
    monkeypatch.setattr(finder, "FEW_ROWS", rare_rows[1])
    monkeypatch.setattr(finder, "MANY_NAMED", stretch[0])
    monkeypatch.setattr(finder, "STRETCH_PER_NAME", stretch[1])
    studio(seed)
    criteria = ClientFilter(text=text, stage=stage, sort=sort)
    whole = find_clients(criteria, TODAY)
    first = find_first_clients(criteria, TODAY, limit)
    assert first.ids == whole[: len(first.ids)]
    if any(len(word) > 1 for word in search_words(text)):
        named = named_by_the_names_index(text)
        assert named == named_by_the_full_index(text)  # ranked as before
        in_result = [client_id for client_id in whole if client_id in named]
        # Every client found by name, up to the limit, and they alone say so.
        assert first.ids[: first.by_name] == in_result[:limit]
        if sort == "name":  # and a whole page: the others are looked up in that order
            assert len(first.ids) == min(limit, len(whole))
        else:  # the others wait for the whole search
            assert len(first.ids) == first.by_name
    else:  # nothing ranked first: the whole search, cut short
        assert first.ids == whole[:limit]


def reasons_from_the_rows(client_ids: list[int], words: list[str]) -> dict[int, str]:
    """Why each client matched, read kind by kind from the clients' own rows: how it was
    read before it came from the index's copy of the text."""
    reasons: dict[int, str] = {}
    named = set()
    marks = ", ".join("?" * len(client_ids))
    for source in SOURCES:
        owner_of = source.client_id.format(row="src")
        rows = db.execute_sql(
            f"SELECT {owner_of}, {source.text.format(row='src')},"
            f" {(source.shown or source.text).format(row='src')} FROM {source.table} AS src"
            f" WHERE {owner_of} IN ({marks}) ORDER BY src.rowid",
            client_ids,
        )
        for owner, text, quoted in rows:
            tokens = search_words(text or "")
            if owner in reasons or owner in named:
                continue
            if not any(token.startswith(word) for token in tokens for word in words):
                continue
            if source.field == "name":
                named.add(owner)
            else:
                reasons[owner] = f"{source.field}: {_snippet(quoted or '', words)}"
    return reasons


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 10_000), text=searches)
def test_why_a_client_matched_is_read_from_the_index_s_copy_as_from_their_rows(
    database, seed, text
):
    studio(seed)
    family = ("Théa", "Bernadette")
    for client in Client.select().limit(8):
        FamilyMember.create(client=client, name=family[client.id % 2], relation="child")
    words = [word for word in search_words(text) if len(word) > 1]
    client_ids = [client.id for client in Client.select()]
    assert match_reasons(client_ids, words) == reasons_from_the_rows(client_ids, words)


def test_the_names_index_follows_every_write_and_is_built_for_an_older_file(tmp_path):
    path = tmp_path / "rapport.sqlite"
    open_database(path)
    anna = Client.create(first_name="Anna", last_name="Meyer", created_at=NOW)
    jens = Client.create(first_name="Jens", last_name="Ortmann", created_at=NOW)
    assert named_by_the_names_index("mey") == {anna.id}
    Client.update(last_name="Berger").where(Client.id == anna.id).execute()
    assert named_by_the_names_index("mey") == set()
    assert named_by_the_names_index("berg") == {anna.id}
    # A file from before the names index: it is built when the file is opened.
    for (trigger,) in db.execute_sql(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE ?",
        (f"{NAMES_TABLE}%",),
    ).fetchall():
        db.execute_sql(f"DROP TRIGGER {trigger}")
    db.execute_sql(f"DROP TABLE {NAMES_TABLE}")
    db.close()
    database = open_database(path)
    assert named_by_the_names_index("berg") == {anna.id}
    assert find_first_clients(ClientFilter(text="ort"), TODAY, 50).ids == [jens.id]
    Client.delete_by_id(anna.id)
    assert named_by_the_names_index("berg") == set()
    database.close()
    db.initialize(None)


def new_model() -> ClientListModel:
    return ClientListModel(now=lambda: NOW, today=lambda: NOW.date())


def streamed(qtbot, model: ClientListModel, text: str) -> tuple[list[int], list[int]]:
    """The ids the model held when its first rows came in, and once the search is done."""
    firsts: list[list[int]] = []
    model.first_found.connect(lambda: firsts.append(list(model._ids)))
    with qtbot.waitSignal(model.found, timeout=5000):
        model.set_search(text)
    return firsts[-1], list(model._ids)


def test_the_list_shows_the_first_rows_then_appends_the_rest(qtbot, database):
    studio(seed=7, clients=120)
    model = new_model()
    model.PAGE_SIZE = 5
    rng = random.Random(3)
    for text in ["", "th", "an se", "o", "the", "mé", "lea b"] + [
        " ".join(rng.choices(SYLLABLES, k=rng.randint(1, 2))) for _ in range(8)
    ]:
        first, final = streamed(qtbot, model, text)
        whole = find_clients(ClientFilter(text=text), TODAY)
        assert final == whole, text  # the same set, in the same order, once complete
        assert first == whole[: len(first)] and len(first) <= model.PAGE_SIZE, text
        assert model.rowCount() == len(whole)
        assert len(set(final)) == len(final)  # none twice
        assert all(model.index(row).data() for row in range(model.rowCount()))


def test_a_newer_keystroke_replaces_the_older_search(qtbot, database):
    studio(seed=11, clients=120)
    model = new_model()
    with qtbot.waitSignal(model.found, timeout=5000):
        for typed in ("t", "th", "the", "an", "an s"):
            model.set_search(typed)
    qtbot.wait(50)  # any result of an earlier search would arrive by now
    assert model._ids == find_clients(ClientFilter(text="an s"), TODAY)


def test_why_a_client_matched_is_read_only_when_painted(qtbot, database, monkeypatch):
    studio(seed=5, clients=60)
    asked: list[list[int]] = []
    real = client_list_model.why_matched

    def why_matched(ids, text):
        asked.append(ids)
        return real(ids, text)

    monkeypatch.setattr(client_list_model, "why_matched", why_matched)
    model = new_model()
    model.PAGE_SIZE = 10
    with qtbot.waitSignal(model.found, timeout=5000):
        model.set_search("th")
    names = [model.index(row).data() for row in range(model.rowCount())]
    assert names and asked == []  # rows read, none painted with its reason yet
    assert model.index(3).data(ReasonRole) == ""  # found by name, first: nothing to read
    reason = model.index(12).data(ReasonRole)
    assert asked == [model._ids[10:20]]  # that row's page only
    assert reason == real([model._ids[12]], "th").get(model._ids[12], "")


def test_a_newer_keystroke_cuts_the_older_whole_search_short(qtbot, database, monkeypatch):
    studio(seed=13, clients=30)
    real = client_list_model.find_clients

    def slow_for_the_first(criteria, today):
        if criteria.text == "th":  # half a minute or so
            db.execute_sql(
                "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n"
                " WHERE x < 300000000) SELECT count(*) FROM n"
            ).fetchone()
        return real(criteria, today)

    monkeypatch.setattr(client_list_model, "find_clients", slow_for_the_first)
    model = new_model()
    failures: list[str] = []
    model.failed.connect(failures.append)
    model.set_search("th")
    qtbot.waitUntil(lambda: model._finding is not None, timeout=5000)
    with qtbot.waitSignal(model.found, timeout=10_000):
        model.set_search("an")
    assert model._ids == real(ClientFilter(text="an"), TODAY)
    assert failures == []  # cut short, not failed


@pytest.mark.parametrize("rare_rows", [(10_000, 5000), (0, 0)])  # found at once, or looked up
def test_a_pasted_paragraph_is_searched_as_any_search(database, monkeypatch, rare_rows):
    """More words than SQLite takes in one compound SELECT (500) or one chain of ANDs or
    ORs (1,000 levels), and a line of letters: the same search, not an error."""
    monkeypatch.setattr(finder, "RARE_ROWS", rare_rows[0])
    monkeypatch.setattr(finder, "FEW_ROWS", rare_rows[1])
    rng = random.Random(7)
    paragraph = sorted({"".join(rng.choices("bcdfghklmnpqrstvwz", k=7)) for _ in range(1200)})
    anna = Client.create(first_name="Anna", last_name="Meyer", created_at=NOW)
    tom = Client.create(first_name="Tom", last_name="Meyer", created_at=NOW)
    Note.create(client=anna, text=" ".join(paragraph), created_at=NOW)
    Note.create(client=tom, text=" ".join(paragraph[1:]), created_at=NOW)
    text = " ".join(paragraph) + " m a" * 600
    assert find_clients(ClientFilter(text=text), TODAY) == [anna.id]
    assert find_first_clients(ClientFilter(text=text), TODAY, 50).ids == [anna.id]
    assert find_first_clients(ClientFilter(text=text + " t"), TODAY, 50).ids == []
    assert finder.why_matched([anna.id], text)[anna.id].startswith("note: ")


def test_the_first_page_takes_its_shortcuts(database, monkeypatch):
    """A common prefix's page of names comes from the order of names, not from sorting
    every name found; a rare word's clients come from the index at once, not client by
    client. (How fast is the bench's to say; here, that each way is taken and right.)"""
    monkeypatch.setattr(finder, "MANY_NAMED", 5)
    studio(11, clients=60)
    # First in the order of names, so that a page of them is met at once in that order.
    ma = [
        Client.create(first_name="Aaron", last_name=f"Mader {n}", created_at=NOW) for n in range(9)
    ]
    criteria = ClientFilter(text="ma")
    sorted_names = finder._ids  # the sort of every name found: not needed for a full page
    monkeypatch.setattr(finder, "_ids", lambda *a: pytest.fail("every name sorted"))
    first = find_first_clients(criteria, TODAY, 4)
    monkeypatch.setattr(finder, "_ids", sorted_names)
    assert len(first.ids) == first.by_name == 4
    assert first.ids == find_clients(criteria, TODAY)[:4]
    Note.create(client=ma[0], text="zyxwv", created_at=NOW)
    monkeypatch.setattr(finder, "_probed_in_name_order", lambda *a: pytest.fail("looked up"))
    assert find_first_clients(ClientFilter(text="zyxwv"), TODAY, 4).ids == [ma[0].id]
