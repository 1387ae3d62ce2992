"""A database from before the search index: the window opens at once and the index is
built on a worker, a chunk at a time, with progress; search says it looks in names,
emails and phones only meanwhile, what is written during the build is indexed, and a
build stopped halfway is begun again at the next start."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QSettings

from models.clients.entries import save_interaction, save_note
from models.clients.finder import ClientFilter, find_clients
from models.clients.saving import save_client
from models.forms.dialog_forms import ClientForm, InteractionForm, NoteForm
from models.store import search_index
from models.store.database import db
from models.store.migrations import open_database
from models.store.search_index import (
    rebuild_search_index,
    search_index_building,
    search_index_ready,
    search_index_untidy,
    tidy_search_index,
)
from ui import search_index_build
from ui.main_window import SECTIONS
from ui.window_layout import WindowLayout

WHEN = datetime(2026, 11, 24, 10, tzinfo=UTC)


def found(text: str) -> set[int]:
    return set(find_clients(ClientFilter(text), WHEN.date()))


def index_rows() -> list[tuple]:
    return sorted(db.execute_sql("SELECT rowid, text FROM client_search").fetchall())


def segments() -> int:
    return db.execute_sql("SELECT count(DISTINCT segid) FROM client_search_idx").fetchone()[0]


@pytest.fixture
def older_database(tmp_path, monkeypatch):
    """A studio whose file has no search index yet (an older Rapport's), reopened to build
    it later, in chunks of three rows."""
    path = tmp_path / "rapport.sqlite"
    open_database(path)
    for number in range(8):
        client = save_client(ClientForm(first_name=f"Client{number}", emails=f"c{number}@x.org"))
        save_note(NoteForm(text=f"Beach shoot {number}"), client.id)
        save_interaction(InteractionForm("call", WHEN, "Lakeside call"), client.id)
    complete = index_rows()
    for name in db.execute_sql(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'client_search%'"
    ).fetchall():
        db.execute_sql(f"DROP TRIGGER {name[0]}")
    db.execute_sql("DROP TABLE client_search")
    db.close()
    monkeypatch.setattr(search_index, "CHUNK_ROWS", 3)
    database = open_database(path, build_index_later=True)
    yield complete
    database.close()
    db.initialize(None)


def test_until_the_index_is_built_search_finds_names_and_contacts(older_database):
    assert search_index_building() and not search_index_ready()
    assert len(found("client3")) == 1 and len(found("c3@x")) == 1
    assert found("beach") == set()  # notes wait for the index; the window says so
    rebuild_search_index(db.obj)
    assert search_index_ready() and not search_index_building()
    assert len(found("beach")) == 8
    assert index_rows() == older_database  # as a build in one go would have it


def test_what_is_written_during_the_build_is_indexed(older_database):
    seen: list[tuple[int, int]] = []

    def meanwhile(done: int, total: int) -> None:
        if not seen:  # the owner writes between two chunks
            newcomer = save_client(ClientForm(first_name="Newcomer"))
            save_note(NoteForm(text="Sunflower field"), newcomer.id)
            save_note(NoteForm(text="Rewritten"), 1, note_id=1)
        seen.append((done, total))

    rebuild_search_index(db.obj, meanwhile)
    assert len(seen) > 5 and seen[-1][0] == seen[-1][1]
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert len(found("sunflower")) == 1 and len(found("newcomer")) == 1
    assert found("rewritten") == {1} and found("shoot 0") == set()
    rebuilt = index_rows()
    rebuild_search_index(db.obj)  # all at once, now nothing is written meanwhile
    assert index_rows() == rebuilt


def test_a_build_stopped_halfway_is_begun_again(older_database, tmp_path):
    def quit_after_the_first_chunk(done: int, total: int) -> None:
        raise RuntimeError("quitting")

    with pytest.raises(RuntimeError):
        rebuild_search_index(db.obj, quit_after_the_first_chunk)
    db.close()
    open_database(tmp_path / "rapport.sqlite", build_index_later=True)
    assert search_index_building()
    db.close()
    open_database(tmp_path / "rapport.sqlite")  # the command line builds it at once
    assert search_index_ready() and index_rows() == older_database


def test_the_window_is_usable_while_it_builds_the_index(
    qtbot, older_database, open_window, tmp_path
):
    # Left on Clients: the list is built as the window opens, while the index is built.
    settings = QSettings(str(tmp_path / "rapport.ini"), QSettings.Format.IniFormat)
    settings.setValue("window/section", SECTIONS.index("Clients"))
    window = open_window(path=db.obj.database, layout=WindowLayout(settings))
    notice = window.client_list.index_notice
    qtbot.waitUntil(lambda: not notice.isVisible(), timeout=20000)
    assert "search index is being built" in notice.text()  # as it was shown meanwhile
    assert search_index_ready()
    window.client_list.search.setText("beach")
    qtbot.waitUntil(lambda: window.list_model.rowCount() == 8, timeout=5000)


SEARCHES = ("beach", "lakeside", "client3", "c3@x", "shoot 4", "cl sh")


def test_an_index_in_many_segments_is_merged_into_one_that_finds_the_same(
    older_database, monkeypatch
):
    monkeypatch.setattr(search_index, "MOST_SEGMENTS", 1)
    rebuild_search_index(db.obj)  # a chunk of rows per transaction: a segment each
    assert search_index_untidy() and segments() > 1
    before = {text: found(text) for text in SEARCHES}
    monkeypatch.setattr(search_index, "MERGE_PAGES", 1)  # in several steps
    tidy_search_index(db.obj)
    assert segments() == 1 and not search_index_untidy()
    assert index_rows() == older_database
    assert {text: found(text) for text in SEARCHES} == before
    db.execute_sql("INSERT INTO client_search (client_search) VALUES ('integrity-check')")


def test_the_window_s_worker_merges_the_index_after_building_it(
    qtbot, older_database, open_window, monkeypatch
):
    monkeypatch.setattr(search_index, "MOST_SEGMENTS", 1)
    monkeypatch.setattr(search_index_build, "_TIDY_AFTER_MS", 0)
    open_window(path=db.obj.database)
    qtbot.waitUntil(lambda: search_index_ready() and segments() == 1, timeout=20000)
    assert index_rows() == older_database and not search_index_untidy()


def test_quitting_waits_for_the_chunk_being_written_not_the_whole_build(
    qtbot, older_database, open_window, monkeypatch, tmp_path
):
    """At 100,000 clients the build takes minutes: quitting while it runs (the window frozen
    meanwhile) stops it after the chunk being written, and the next start builds again."""
    built = search_index_build.rebuild_search_index

    def slowly(database, progress) -> None:  # each chunk 0.3 s: seconds in all
        built(database, lambda done, total: (time.sleep(0.3), progress(done, total)))

    monkeypatch.setattr(search_index_build, "rebuild_search_index", slowly)
    window = open_window(path=db.obj.database)
    window.quit()
    db.close()
    open_database(tmp_path / "rapport.sqlite", build_index_later=True)
    assert search_index_building() and not search_index_ready()


def test_no_tidy_of_the_index_starts_once_the_window_closed(
    qtbot, older_database, open_window, monkeypatch
):
    """The index is merged a few seconds after the window opens; closed before, the window
    starts nothing more (the database closes next)."""
    rebuild_search_index(db.obj)  # a chunk of rows per transaction: a segment each
    monkeypatch.setattr(search_index, "MOST_SEGMENTS", 1)
    tidied = []
    monkeypatch.setattr(search_index_build, "tidy_search_index", lambda *a: tidied.append(a))
    monkeypatch.setattr(search_index_build, "_TIDY_AFTER_MS", 2500)
    window = open_window(path=db.obj.database)
    assert search_index_untidy() and not tidied
    window.quit()
    qtbot.wait(3000)
    assert tidied == []
