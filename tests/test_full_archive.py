"""The full archive: a .zip that rebuilds an identical database, and the archives it refuses."""

from __future__ import annotations

import json
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from models.database import db
from models.entities import Client, FollowUp, Interaction, ReminderState, Wish
from models.full_archive import (
    ArchiveError,
    DatabaseNotEmpty,
    import_archive,
    read_archive,
    write_archive,
)
from models.migrations import SCHEMA_VERSION, open_database
from models.photos import set_photo
from models.sample_studio import load_sample_studio
from models.settings import set_setting
from tests.database_dump import dump_tables

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
JPEG = b"\xff\xd8\xff\xe0" + b"\x00\xff" * 50


@pytest.fixture
def switch_to(database):
    """Opens another database file in place of the test's one, closed at the end."""
    opened = []

    def switch(path):
        db.close()
        opened.append(open_database(path))

    yield switch
    for other in opened:
        other.close()


@pytest.fixture
def studio(database):
    """The sample studio, plus what it does not make: photos, a referral to a client
    stored later, a reminder state, a wish with its follow-up, an exact amount, a setting."""
    load_sample_studio(date(2026, 11, 25))
    first, second = Client.select().order_by(Client.id).limit(2)
    Client.update(referred_by=second.id).where(Client.id == first.id).execute()
    set_photo(first.id, PNG)
    set_photo(second.id, JPEG)
    now = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)
    ReminderState.create(key="birthday:1:2026", client=first, notified_at=now)
    interaction = Interaction.create(
        client=second,
        kind="purchase",
        occurred_at=now,
        summary="Prints",
        amount=Decimal("0.10"),
        currency="EUR",
    )
    follow_up = FollowUp.create(client=first, title="Offer the canvas", due_at=now)
    Wish.create(
        client=first, text="Canvas, 60 by 40", wanted_by=date(2027, 2, 28), follow_up=follow_up
    )
    set_setting("your_name", "Mira · Fotografie")
    return interaction


def test_an_archive_rebuilds_an_identical_database(studio, switch_to, tmp_path):
    source = dump_tables()
    target = tmp_path / "all.zip"
    clients = write_archive(target)
    assert clients == len(source["client"]) > 10
    switch_to(tmp_path / "rebuilt.sqlite")

    archive = import_archive(target)

    assert archive.client_count == clients
    assert dump_tables() == source
    assert Interaction.get_by_id(studio.id).amount == Decimal("0.10")


def test_the_archive_is_plain_json_and_image_files(studio, tmp_path):
    target = tmp_path / "all.zip"
    write_archive(target)
    with zipfile.ZipFile(target) as zipped:
        names = set(zipped.namelist())
        data = json.loads(zipped.read("rapport.json"))
        assert zipped.read("photos/1.png") == PNG
        assert zipped.read("photos/2.jpg") == JPEG
    photos = {row["client_id"]: row["image"] for row in data["tables"]["client_photo"]}
    assert (photos[1], photos[2]) == ("photos/1.png", "photos/2.jpg")
    assert names == {"rapport.json", *photos.values()}
    assert data["schema_version"] == SCHEMA_VERSION
    assert {row["amount"] for row in data["tables"]["interaction"]} >= {"0.10"}
    assert set(data["tables"]) == {
        "client", "contact_detail", "tag", "client_tag", "interaction", "note",
        "family_member", "important_date", "follow_up", "reminder_state", "wish",
        "client_photo", "setting",
    }  # fmt: skip


def test_an_archive_is_never_mixed_into_a_database_with_clients(studio, tmp_path):
    target = tmp_path / "all.zip"
    write_archive(target)
    before = dump_tables()
    with pytest.raises(DatabaseNotEmpty, match="already has clients"):
        import_archive(target)
    assert dump_tables() == before


def test_a_new_database_s_own_settings_make_way_for_the_archive_s(studio, switch_to, tmp_path):
    target = tmp_path / "all.zip"
    write_archive(target)
    switch_to(tmp_path / "new.sqlite")
    set_setting("your_name", "Someone else")
    set_setting("leap_day_rule", "mar1")
    import_archive(target)
    rows = db.execute_sql("SELECT key, value FROM setting ORDER BY key").fetchall()
    assert rows == [("your_name", "Mira · Fotografie")]


def rewrite(path, change) -> None:
    with zipfile.ZipFile(path) as zipped:
        data = json.loads(zipped.read("rapport.json"))
        photos = {name: zipped.read(name) for name in zipped.namelist() if name != "rapport.json"}
    change(data)
    with zipfile.ZipFile(path, "w") as zipped:
        zipped.writestr("rapport.json", json.dumps(data))
        for name, content in photos.items():
            zipped.writestr(name, content)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda data: data.update(schema_version=SCHEMA_VERSION + 1), "newer version of Rapport"),
        (lambda data: data.update(format="something"), "not a Rapport archive"),
        (lambda data: data["tables"]["client"][0].update(shoe_size=42), "unknown columns"),
        (lambda data: data["tables"].update(secrets=[]), "unknown table secrets"),
        (lambda data: data["tables"]["client"][0].update(first_name=["A"]), "is not text"),
        (lambda data: data["tables"]["client_photo"][0].update(image="photos/9.png"), "damaged"),
        (lambda data: data["tables"]["note"][0].update(client_id=99999), "damaged"),
        (lambda data: data["tables"]["tag"].append(data["tables"]["tag"][0]), "damaged"),
    ],
)
def test_a_wrong_archive_is_refused_and_nothing_written(
    studio, switch_to, tmp_path, change, message
):
    target = tmp_path / "all.zip"
    write_archive(target)
    rewrite(target, change)
    switch_to(tmp_path / "new.sqlite")
    before = dump_tables()
    with pytest.raises(ArchiveError, match=message):
        import_archive(target)
    assert dump_tables() == before


def test_a_file_that_is_not_a_zip_is_refused(tmp_path):
    path = tmp_path / "contacts.zip"
    path.write_text("BEGIN:VCARD\n")
    with pytest.raises(ArchiveError, match="not a Rapport archive"):
        read_archive(path)


def test_a_failed_write_leaves_no_file(studio, tmp_path):
    target = tmp_path / "missing folder" / "all.zip"
    with pytest.raises(OSError):
        write_archive(target)
    assert not target.parent.exists()
