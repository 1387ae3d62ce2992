"""Starting on a file that is not a Rapport database: a message, never a traceback."""

from __future__ import annotations

from datetime import UTC, datetime

from models.clients.saving import save_client
from models.forms.dialog_forms import ClientForm
from models.store.backups import make_backup
from models.store.database import db
from models.store.entities import Client
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


def damage(path) -> None:
    """Overwrite the schema pages, keeping SQLite's header: a 'malformed' database."""
    with path.open("r+b") as f:
        f.seek(100)
        f.write(b"\xff" * 8000)


def test_a_damaged_database_can_be_replaced_by_its_newest_good_backup(qtbot, tmp_path):
    path, folder = tmp_path / "rapport.sqlite", tmp_path / "backups"
    assert open_database_or_explain(path)
    save_client(ClientForm(first_name="Anna"))
    make_backup(path, folder, datetime(2026, 11, 24, 18, tzinfo=UTC))
    db.close()
    db.initialize(None)
    damage(path)
    damaged_bytes = path.read_bytes()

    def use_backup(box) -> None:
        seen.append(box.informativeText())
        next(b for b in box.buttons() if b.text() == "Use the backup").click()

    seen = []
    when_dialog_opens(use_backup)
    try:
        assert open_database_or_explain(path, folder)
        assert "newest good backup is from 24 Nov 2026" in seen[0]
        assert [c.first_name for c in Client.select()] == ["Anna"]
        aside = tmp_path.glob("rapport.sqlite.damaged-*")
        [kept] = [p for p in aside if not p.name.endswith(("-wal", "-shm"))]
        assert kept.read_bytes() == damaged_bytes  # the damaged file, unchanged
    finally:
        db.close()
        db.initialize(None)


def test_without_a_backup_a_damaged_database_is_only_explained(qtbot, tmp_path):
    path = tmp_path / "rapport.sqlite"
    assert open_database_or_explain(path)
    db.close()
    db.initialize(None)
    damage(path)
    before = path.read_bytes()
    messages = []
    when_dialog_opens(lambda box: (messages.append(box.text()), box.accept()))
    assert not open_database_or_explain(path, tmp_path / "no backups")
    assert "is damaged" in messages[0]
    assert path.read_bytes() == before


def damage_a_data_page(path) -> None:
    """Garble a page in the middle of the file: the schema still opens, the rows do not."""
    size = path.stat().st_size
    with path.open("r+b") as f:
        f.seek(size // 2 // 4096 * 4096)
        f.write(b"\x13" * 4096)


def test_after_a_crash_every_page_is_checked_before_anything_is_written(qtbot, tmp_path):
    path, folder = tmp_path / "rapport.sqlite", tmp_path / "backups"
    assert open_database_or_explain(path)
    for number in range(300):
        save_client(ClientForm(first_name=f"Client {number}", last_name="x" * 200))
    make_backup(path, folder, datetime(2026, 11, 24, 18, tzinfo=UTC))
    db.close()
    db.initialize(None)
    damage_a_data_page(path)
    before = path.read_bytes()
    offered = []

    def decline(box) -> None:
        offered.append(box.text())
        next(b for b in box.buttons() if b.text() == "Quit").click()

    when_dialog_opens(decline)
    assert not open_database_or_explain(path, folder, verify=True)
    assert "is damaged" in offered[0]
    assert path.read_bytes() == before  # never modified
