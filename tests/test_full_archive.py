"""The full archive: a .zip that rebuilds an identical database, and the archives it refuses."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from models.clients.photos import set_photo
from models.exchange.full_archive import (
    ArchiveError,
    DatabaseNotEmpty,
    import_archive,
    read_archive,
    write_archive,
)
from models.sample.loading import load_sample_clients
from models.store.database import db
from models.store.entities import Client, FollowUp, Interaction, ReminderState, Wish
from models.store.migrations import SCHEMA_VERSION
from models.store.settings import set_setting
from tests.database_dump import dump_tables
from tests.test_single_instance import ROOT

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
JPEG = b"\xff\xd8\xff\xe0" + b"\x00\xff" * 50


@pytest.fixture
def studio(database):
    """The sample clients, plus what it does not make: photos, a referral to a client
    stored later, a reminder state, a wish with its follow-up, an exact amount, a setting."""
    load_sample_clients(date(2026, 11, 25))
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
        "client", "contact_detail", "tag", "client_tag", "interaction", "captured_mail",
        "note",
        "family_member", "important_date", "follow_up", "reminder_state", "wish",
        "client_photo", "gift", "setting", "booking",
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
    assert rows == [  # the sample clients' gift budget, and the owner's name
        ("gift_budget", "400"),
        ("gift_budget_currency", "EUR"),
        ("your_name", "Mira · Fotografie"),
    ]


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
        # Values their columns cannot hold, which broke the client's page once imported.
        (lambda data: data["tables"]["client"][0].update(created_at="not a time"), "an instant"),
        (lambda data: data["tables"]["client"][0].update(created_at=1e308), "an instant"),
        (lambda data: data["tables"]["client"][0].update(id=2**70), "a whole number"),
        (lambda data: data["tables"]["client"][0].update(no_greetings="yes"), "a whole number"),
        (lambda data: data["tables"]["interaction"][0].update(amount="lots"), "an amount"),
        (lambda data: data["tables"]["interaction"][0].update(amount="NaN"), "an amount"),
        (lambda data: data["tables"]["gift"][0].update(given_on="2026-02-30"), "a date"),
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


def test_an_archive_brings_only_portable_settings_and_says_which(studio, switch_to, tmp_path):
    # A crafted archive named another file as the calendar file: the next start wrote every
    # client's birthdays over it. Settings that name files or act on this computer stay.
    set_setting("calendar_file", str(tmp_path / "victim.txt"))
    set_setting("start_at_login", "on")
    set_setting("reminder_time", "07:30")
    target = tmp_path / "all.zip"
    write_archive(target)
    rewrite(target, lambda data: data["tables"]["setting"].append(
        {"key": "backup_folder", "value": "/etc"}  # a setting of a later version: local too
    ))  # fmt: skip
    switch_to(tmp_path / "new.sqlite")
    set_setting("calendar_file", str(tmp_path / "mine.ics"))

    restored = import_archive(target)

    stored = dict(db.execute_sql("SELECT key, value FROM setting").fetchall())
    assert stored == {
        "calendar_file": str(tmp_path / "mine.ics"),
        "reminder_time": "07:30",
        "your_name": "Mira · Fotografie",
        "gift_budget": "400",
        "gift_budget_currency": "EUR",
    }
    taken = ["gift_budget", "gift_budget_currency", "reminder_time", "your_name"]
    assert sorted(restored.settings_taken) == taken
    assert sorted(restored.settings_left) == ["backup_folder", "calendar_file", "start_at_login"]
    assert restored.settings_summary() == (
        "Settings taken from the archive: gift budget, gift budget currency, reminder time, "
        "your name. Settings left as they "
        "are on this computer: backup folder, calendar file, start at login."
    )


# Hostile and huge archives.

HEADER = f'{{"format": "rapport-archive", "schema_version": {SCHEMA_VERSION}, "tables": {{'


def zip_with(path, *parts: bytes) -> None:
    """An archive whose rapport.json is `parts`, written a part at a time."""
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zipped,
        zipped.open("rapport.json", "w", force_zip64=True) as data,
    ):
        for part in parts:
            data.write(part)


def test_an_archive_of_blanks_is_refused_in_words_without_filling_memory(database, tmp_path):
    # The attack's "zip bomb": a small file whose JSON is almost all blanks.
    bomb = tmp_path / "bomb.zip"
    blanks = b" " * 2**20
    zip_with(bomb, HEADER.encode(), *[blanks] * 100, b'"client": []}}')
    assert bomb.stat().st_size < 200_000
    with pytest.raises(ArchiveError, match="long run of blanks, more than Rapport reads"):
        import_archive(bomb)
    assert Client.select().count() == 0


def test_a_row_beyond_the_limit_is_refused_in_words(database, tmp_path):
    huge = tmp_path / "huge row.zip"
    row = b'{"id": 1, "first_name": "' + b"A" * (40 * 2**20) + b'", "created_at": "2026"}'
    zip_with(huge, HEADER.encode(), b'\n"client": [\n', row, b"]}}\n")
    with pytest.raises(ArchiveError, match="one of its rows never ends or is longer, more than"):
        import_archive(huge)
    assert Client.select().count() == 0


def test_a_member_that_claims_gigabytes_is_refused_before_it_is_read(database, tmp_path):
    bomb = tmp_path / "claims.zip"
    zip_with(bomb, b"{}")
    data = bytearray(bomb.read_bytes())
    entry = data.index(b"PK\x01\x02")  # the central directory: the size zipfile believes
    data[entry + 24 : entry + 28] = (3 * 2**30).to_bytes(4, "little")
    bomb.write_bytes(bytes(data))
    with pytest.raises(ArchiveError, match="unpacks to 3,221,225,472 bytes, more than"):
        read_archive(bomb)


def test_an_archive_in_the_older_indented_layout_still_imports(studio, switch_to, tmp_path):
    target = tmp_path / "all.zip"
    write_archive(target)
    source = dump_tables()
    with zipfile.ZipFile(target) as zipped:  # as Rapport wrote archives before 2026-11-25
        data = json.loads(zipped.read("rapport.json"))
        photos = {name: zipped.read(name) for name in zipped.namelist() if name != "rapport.json"}
    with zipfile.ZipFile(target, "w") as zipped:
        zipped.writestr("rapport.json", json.dumps(data, ensure_ascii=False, indent=1))
        for name, content in photos.items():
            zipped.writestr(name, content)
    switch_to(tmp_path / "rebuilt.sqlite")
    import_archive(target)
    assert dump_tables() == source


def test_clients_of_an_archive_older_than_uids_get_one_each(database, tmp_path):
    older = tmp_path / "schema 6.zip"
    rows = [
        {"id": n, "first_name": f"Client {n}", "created_at": "2026-11-25T09:00"} for n in (1, 2)
    ]
    header = HEADER.replace(f": {SCHEMA_VERSION},", ": 6,")
    zip_with(older, header.encode(), b'"client": ', json.dumps(rows).encode(), b"}}")
    import_archive(older)
    uids = [client.uid for client in Client.select()]
    assert len(set(uids)) == 2 and all(len(uid) == 36 for uid in uids)


def test_instants_and_days_written_another_way_are_stored_in_rapport_s_one_form(database, tmp_path):
    """As the review found: "20261207" and an instant with an offset were taken as they
    were, then compared as text with the others (no window held that day) or read as UTC."""
    archive = tmp_path / "by hand.zip"
    rows = [
        {"id": 1, "first_name": "Anna", "created_at": "2026-12-07T09:30+05:00",
         "marketing_consent_on": "20261207"},
        {"id": 2, "first_name": "Ben", "created_at": "2026-12-07 09:30:00"},
    ]  # fmt: skip
    zip_with(archive, HEADER.encode(), b'"client": ', json.dumps(rows).encode(), b"}}")
    import_archive(archive)
    stored = db.execute_sql(
        "SELECT created_at, marketing_consent_on FROM client ORDER BY id"
    ).fetchall()
    assert stored == [("2026-12-07 04:30:00", "2026-12-07"), ("2026-12-07 09:30:00", None)]


# Imports a generated archive of 20,000 clients with 100,000 history items (about 30 MB of
# JSON) and prints how much the peak memory grew.
MEASURE = """
import sys
sys.path.insert(0, {root!r})
from pathlib import Path
from models.store.migrations import open_database
from models.exchange.full_archive import import_archive

def kilobytes(field):
    status = Path("/proc/self/status").read_text().splitlines()
    return int(next(line for line in status if line.startswith(field)).split()[1])

open_database(Path({database!r}))
Path("/proc/self/clear_refs").write_text("5")  # the peak starts again from here
before = kilobytes("VmRSS:")
restored = import_archive(Path({archive!r}))
print(restored.client_count, (kilobytes("VmHWM:") - before) // 1024)
"""


def big_archive(path, clients: int, items_each: int) -> None:
    def rows(table, make, count):
        yield f',\n"{table}": ['.encode()
        for number in range(1, count + 1):
            yield (("," if number > 1 else "") + "\n" + json.dumps(make(number))).encode()
        yield b"]"

    def client(n):
        return {"id": n, "first_name": f"Client {n}", "last_name": "Example" * 3,
                "how_we_met": "At the market, " * 4, "created_at": "2026-11-25T09:00"}  # fmt: skip

    def interaction(n):
        return {"id": n, "client_id": (n - 1) // items_each + 1, "kind": "call",
                "occurred_at": "2026-11-25T09:00:00+00:00", "summary": f"Call {n}",
                "body": "We talked about the prints and the frames. " * 3}  # fmt: skip

    parts = [
        HEADER.encode() + b'\n"tag": []',
        *rows("client", client, clients),
        *rows("interaction", interaction, clients * items_each),
        b"}}\n",
    ]
    zip_with(path, *parts)


def test_a_big_archive_imports_in_bounded_memory(tmp_path):
    archive, database = tmp_path / "big.zip", tmp_path / "rapport.sqlite"
    big_archive(archive, clients=20_000, items_each=5)
    with zipfile.ZipFile(archive) as zipped:
        assert zipped.getinfo("rapport.json").file_size > 25_000_000
    script = MEASURE.format(root=str(ROOT), database=str(database), archive=str(archive))
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    clients, grown_mb = map(int, done.stdout.split())
    assert clients == 20_000
    assert grown_mb < 30  # read whole, it grew by 110 MB (1.8 GB for 100,000 clients)


def test_an_archive_garbled_inside_its_compressed_data_is_refused_in_words(database, tmp_path):
    target = tmp_path / "all.zip"
    zip_with(target, HEADER.encode(), b'"client": [' + b'{"id": 1}, ' * 5000 + b"{}]}}")
    data = bytearray(target.read_bytes())
    names, extra = data[26:28], data[28:30]  # the local header's lengths, before the data
    start = 30 + int.from_bytes(names, "little") + int.from_bytes(extra, "little")
    data[start + 8 : start + 12] = b"\xff" * 4  # the deflate stream cannot be unpacked
    target.write_bytes(bytes(data))
    with pytest.raises(ArchiveError, match="is not a Rapport archive, or it is damaged"):
        import_archive(target)
