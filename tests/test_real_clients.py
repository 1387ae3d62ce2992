"""Rapport's exports read by real programs: khard (a command-line address book) reads the
vCards as a vdir, and a real Radicale server on 127.0.0.1 accepts every card and event;
what it gives back imports into the same clients."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, date, datetime

import pytest
from icalendar import Calendar

from models.clients.entries import save_important_date
from models.clients.saving import save_client
from models.exchange.calendar_export import dates_calendar
from models.exchange.importing.apply import apply_import
from models.exchange.importing.plan import plan_import
from models.exchange.importing.vcard_reader import read_vcards
from models.exchange.vcard_export import CardOptions, write_vcards
from models.forms.dialog_forms import ClientForm, ImportantDateForm
from models.store.database import db
from models.store.entities import Client, ClientPhoto
from models.store.migrations import open_database
from tests.test_vcard_export import everyone, make_studio

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 30  # a long PHOTO line
TODAY = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


def cards(text: str) -> dict[str, str]:
    """Each card of an export by its UID."""
    found = re.findall(r"BEGIN:VCARD\r\n.*?END:VCARD\r\n", text, re.DOTALL)
    return {re.search(r"\r\nUID:([^\r]*)\r\n", card)[1]: card for card in found}


@pytest.fixture
def exported(database, tmp_path) -> dict[str, str]:
    """The studio's cards (3.0, notes and all), by UID."""
    make_studio()
    ClientPhoto.update(image=JPEG).where(ClientPhoto.client == 1).execute()
    target = tmp_path / "clients.vcf"
    write_vcards(target, options=CardOptions(with_notes=True))
    return cards(target.read_bytes().decode())


def test_radicale_keeps_every_card_whole_and_gives_back_the_same_clients(
    exported, radicale, tmp_path
):
    book = radicale.address_book("contacts")
    for uid, card in exported.items():
        put = radicale.request("PUT", f"{book}{uid}.vcf", card.encode(), "text/vcard")
        assert put.status == 201, put
    returned = [radicale.request("GET", f"{book}{uid}.vcf") for uid in exported]
    assert {response.status for response in returned} == {200}
    # Radicale writes each card anew (vobject): the photo is still there, whole.
    kept = b"".join(response.body for response in returned).replace(b"\r\n ", b"")
    assert re.search(rb"PHOTO;ENCODING=b;TYPE=JPEG:/9j/4[A-Za-z0-9+/=]{10000}", kept)
    before = everyone()
    db.close()
    fresh = open_database(tmp_path / "fresh.sqlite")
    try:
        result = read_vcards(b"".join(response.body for response in returned))
        assert result.rejected == []
        assert len(apply_import(plan_import(result)).added) == 3
        assert everyone() == before  # the photo, the UIDs and all
    finally:
        fresh.close()


def test_radicale_accepts_every_event_of_the_calendar(exported, radicale):
    path = radicale.calendar("dates")
    events = dates_calendar(TODAY, NOW).walk("VEVENT")
    for event in events:
        one = Calendar()
        one.add("prodid", "-//Rapport//Client dates//EN")
        one.add("version", "2.0")
        one.add_component(event)
        put = radicale.request("PUT", f"{path}{event['uid']}.ics", one.to_ical(), "text/calendar")
        assert put.status == 201, put
    assert len(events) == 6
    for event in events:
        got = radicale.request("GET", f"{path}{event['uid']}.ics")
        assert got.status == 200 and str(event["summary"]).encode() in got.body.replace(
            b"\r\n ", b""
        )


def khard(home, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "khard", *args],
        env={"HOME": str(home), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_khard_lists_every_client_with_their_birthday_from_a_vdir(database, tmp_path):
    for first, last, day, month, year in [
        ("Anna", "Berger", 15, 4, "1985"),
        ("Zoë", "Müller-Lüdenscheidt", 3, 6, ""),  # the year not known
        ("Jens", "", 29, 2, "1996"),
    ]:
        client = save_client(ClientForm(first_name=first, last_name=last, emails=f"{first}@x.org"))
        save_important_date(ImportantDateForm("birthday", day, month, year, "", 0), client.id)
    export = tmp_path / "clients.vcf"
    write_vcards(export)
    vdir = tmp_path / "vdir"
    vdir.mkdir()
    for uid, card in cards(export.read_bytes().decode()).items():
        (vdir / f"{uid}.vcf").write_text(card, encoding="utf-8", newline="")
    home = tmp_path / "home"
    (home / ".config" / "khard").mkdir(parents=True)
    (home / ".config" / "khard" / "khard.conf").write_text(
        f"[addressbooks]\n[[rapport]]\npath = {vdir}/\n\n"
        "[general]\ndefault_action = list\neditor = /bin/false\nmerge_editor = /bin/false\n"
    )
    uids = {client.full_name: client.uid for client in Client.select()}
    listed = khard(home, "list", "--parsable").splitlines()
    assert sorted(listed) == sorted(f"{uid}\t{name}\trapport" for name, uid in uids.items())
    birthdays = khard(home, "birthdays", "--parsable").splitlines()
    assert sorted(birthdays) == [  # khard's parsable form writes an unknown year as 1900
        "1900.06.03\tZoë Müller-Lüdenscheidt",
        "1985.04.15\tAnna Berger",
        "1996.02.29\tJens",
    ]
