"""Starting on a file that is not a Rapport database: a message, never a traceback."""

from __future__ import annotations

from models.database import db
from models.entities import Client
from tests.ui_helpers import when_dialog_opens
from ui.startup import open_database_or_explain, warn_if_synced


def test_a_text_file_gets_a_message_and_stays_byte_identical(qtbot, tmp_path):
    path = tmp_path / "clients.sqlite"
    path.write_text("Anna Berger; +49 151 1234567\n")
    before = path.read_bytes()
    messages = []
    when_dialog_opens(lambda box: (messages.append(box.text()), box.accept()))
    assert not open_database_or_explain(path)
    assert len(messages) == 1 and "not an SQLite file" in messages[0]
    assert str(path) in messages[0]
    assert path.read_bytes() == before
    assert list(tmp_path.iterdir()) == [path]


def test_a_good_file_opens_without_a_message(qtbot, tmp_path):
    path = tmp_path / "new" / "rapport.sqlite"
    try:
        assert open_database_or_explain(path)
        Client.create(first_name="Anna")
        assert Client.select().count() == 1
    finally:
        db.close()
        db.initialize(None)


def test_a_database_in_a_synced_folder_is_warned_about_once(qtbot, tmp_path):
    path = tmp_path / "Dropbox" / "rapport.sqlite"
    assert open_database_or_explain(path)
    try:
        messages = []
        when_dialog_opens(lambda box: (messages.append(box.text()), box.accept()))
        assert warn_if_synced(path)
        assert len(messages) == 1 and "Dropbox keeps in sync" in messages[0]
        assert not warn_if_synced(path)  # once is enough
        local = tmp_path / "local" / "rapport.sqlite"
        assert not warn_if_synced(local)
    finally:
        db.close()
        db.initialize(None)
