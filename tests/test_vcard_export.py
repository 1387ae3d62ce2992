"""vCard export (3.0 by default, 4.0 on request): every field a card carries comes back
through the real vCard reader and importer into a fresh database, with the client's UID;
private notes only when asked for; the file is well formed and atomic."""

from __future__ import annotations

import pytest
import vobject

from models.clients.entries import save_family_member, save_important_date
from models.clients.saving import client_tags, contact_values, save_client
from models.exchange.importing.apply import apply_import
from models.exchange.importing.plan import plan_import
from models.exchange.importing.vcard_reader import read_vcards
from models.exchange.vcard_export import CardOptions, label_types, wrap_line, write_vcards
from models.forms.dialog_forms import ClientForm, FamilyMemberForm, ImportantDateForm
from models.store.database import db
from models.store.entities import Client, ClientPhoto, ContactDetail, ImportantDate, Note
from models.store.migrations import open_database

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40  # a long PHOTO line
LONG_NOTE = "Mag Fotos im Café; bringt Kuchen, immer 🍰\nZweite Zeile \\ mit Backslash " + "ü" * 90


def detail(client_id: int, kind: str, label: str, value: str) -> None:
    position = len(contact_values(client_id, kind))
    ContactDetail.create(client=client_id, kind=kind, label=label, value=value, position=position)


def date(client_id: int, kind: str, day: int, month: int, year: str = "", label: str = ""):
    lead = {"birthday": 0, "wedding_anniversary": 7}.get(kind, 3)  # the defaults
    save_important_date(ImportantDateForm(kind, day, month, year, label, lead), client_id)


@pytest.fixture
def studio(database):
    return make_studio()


def make_studio() -> Client:
    """Three clients with everything a card can carry, and awkward values; Zoë first."""
    zoe = save_client(
        ClientForm(
            first_name="Zoë 🎉",
            last_name="Müller-Lüdenscheidt",
            preferred_name="Zo, the Great",
            organization="Studio; Nord, GmbH",
            address="Home: Hauptstr. 1, 10115 Berlin\nc/o Lüdenscheidt\nAtelier: Kai 3; Hamburg",
            tags="VIP, Ärztin, Hochzeit 2024",
        )
    )
    for kind, label, value in [
        ("email", "home", "zoe@x.org"),
        ("email", "Studio", "zoe@studio.de"),
        ("phone", "work mobile", "+49 171 5550101"),
        ("phone", "Mama's phone: evenings", "+49 30 1234567"),
        ("phone", "", "0171 999"),
    ]:
        detail(zoe.id, kind, label, value)
    Note.create(client=zoe, text=LONG_NOTE)
    Note.create(client=zoe, text="Second note, short")
    date(zoe.id, "birthday", 29, 2)
    date(zoe.id, "wedding_anniversary", 3, 6, "2019")
    date(zoe.id, "client_since", 1, 5, "2018")
    date(zoe.id, "custom", 9, 9, "", "First shoot")
    ClientPhoto.create(client=zoe, image=PNG)
    save_family_member(
        FamilyMemberForm("Lea", "child", has_birthday=True, birthday_day=3, birthday_month=4),
        zoe.id,
    )
    jens = save_client(ClientForm(first_name="Jens", phones="+49 40 555"))
    date(jens.id, "wedding_anniversary", 28, 11)
    save_client(ClientForm(first_name="Anna", last_name="O'Neil", emails="anna@x.org"))
    return zoe


def person(client: Client) -> dict:
    """Everything Rapport keeps on the person (not their family's dates, which stay home)."""
    own_dates = ImportantDate.select().where(
        (ImportantDate.client == client) & ImportantDate.family_member.is_null()
    )
    details = ContactDetail.select().where(ContactDetail.client == client)
    photo = ClientPhoto.get_or_none(ClientPhoto.client == client)
    return {
        "uid": client.uid,
        "names": (client.first_name, client.last_name, client.preferred_name),
        "organization": client.organization,
        "address": client.address,
        "details": sorted((d.kind, d.position, d.label, d.value) for d in details),
        "notes": [n.text for n in Note.select().where(Note.client == client).order_by(Note.id)],
        "tags": client_tags(client.id),
        "dates": sorted((d.kind, d.month, d.day, d.year, d.label, d.lead_days) for d in own_dates),
        "photo": None if photo is None else bytes(photo.image),
    }


def everyone() -> dict[str, dict]:
    return {client.full_name: person(client) for client in Client.select()}


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_every_field_comes_back_through_the_reader(studio, tmp_path, version):
    target = tmp_path / "clients.vcf"
    written = write_vcards(target, options=CardOptions(with_notes=True, version=version))
    assert (written.clients, written.left_out()) == (3, "")
    assert b"RELATED;TYPE=child;VALUE=text:Lea\r\n" in target.read_bytes()
    before = everyone()
    db.close()
    fresh = open_database(tmp_path / "fresh.sqlite")
    try:
        result = read_vcards(target.read_bytes())
        assert result.rejected == []
        outcome = apply_import(plan_import(result))
        assert len(outcome.added) == 3
        assert everyone() == before
    finally:
        fresh.close()


def test_private_notes_are_left_out_unless_asked_for_and_that_is_said(studio, tmp_path):
    target = tmp_path / "clients.vcf"
    written = write_vcards(target)
    assert written.left_out() == "Private notes were left out (2 notes of 1 client)."
    assert "NOTE" not in target.read_text()


def test_lines_are_wrapped_at_75_octets_without_cutting_a_character(studio, tmp_path):
    target = tmp_path / "clients.vcf"
    write_vcards(target, options=CardOptions(with_notes=True))
    raw = target.read_bytes()
    assert raw.endswith(b"END:VCARD\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    physical = raw.split(b"\r\n")[:-1]
    assert max(len(line) for line in physical) == 75
    for line in physical:
        line.decode("utf-8")  # raises if a character was cut in two
    assert "NOTE:Mag Fotos im Café\\; bringt Kuchen\\, immer 🍰\\nZweite" in raw.decode().replace(
        "\r\n ", ""
    )


def test_wrap_line_keeps_short_lines_and_cuts_long_ones():
    assert wrap_line("FN:Anna") == "FN:Anna\r\n"
    folded = wrap_line("NOTE:" + "é" * 80)
    assert [len(line.encode()) for line in folded.split("\r\n")[:-1]] == [75, 75, 17]
    assert folded.replace("\r\n ", "").removesuffix("\r\n") == "NOTE:" + "é" * 80


def test_another_address_book_reads_it_too(studio, tmp_path):
    target = tmp_path / "clients.vcf"
    write_vcards(target)
    cards = list(vobject.readComponents(target.read_text()))
    zoe = next(card for card in cards if card.fn.value.startswith("Zoë"))
    assert zoe.uid.value == studio.uid
    assert zoe.photo.value == PNG and zoe.photo.params["ENCODING"] == ["b"]
    assert (zoe.version.value, zoe.n.value.family, zoe.n.value.given) == (
        "3.0",
        "Müller-Lüdenscheidt",
        "Zoë 🎉",
    )
    assert zoe.org.value == ["Studio; Nord, GmbH"]
    assert zoe.categories.value == ["Ärztin", "Hochzeit 2024", "VIP"]
    assert zoe.bday.value == "--0229"


def test_a_label_of_two_types_is_read_as_two_by_another_address_book(studio, tmp_path):
    """ "work mobile" is TYPE=work,cell: quoted, vobject read one type 'work,cell'."""
    target = tmp_path / "clients.vcf"
    write_vcards(target)
    assert b"TEL;TYPE=work,cell:+49 171 5550101\r\n" in target.read_bytes()
    cards = list(vobject.readComponents(target.read_text()))
    zoe = next(card for card in cards if card.fn.value.startswith("Zoë"))
    phones = {tel.value: tel.params.get("TYPE") for tel in zoe.tel_list}
    assert phones["+49 171 5550101"] == ["work", "cell"]


@pytest.mark.parametrize(
    ("label", "types"),
    [
        ("home", "home"),
        ("work mobile", "work,cell"),
        ("mobile", "cell"),
        ("iPhone", "iphone"),
        ("Studio", ""),
        ("home office", ""),
        ("Home", ""),
    ],
)
def test_labels_address_books_know_are_written_as_types(label, types):
    assert label_types(label) == types


def test_only_the_chosen_clients_are_written(studio, tmp_path):
    target = tmp_path / "one.vcf"
    assert write_vcards(target, [studio.id]).clients == 1
    assert target.read_text().count("BEGIN:VCARD") == 1


def test_a_failed_write_leaves_the_target_as_it_was(studio, tmp_path):
    target = tmp_path / "clients.vcf"
    target.mkdir()  # cannot be replaced by a file
    with pytest.raises(OSError):
        write_vcards(target)
    left = [p.name for p in tmp_path.iterdir() if not p.name.startswith("rapport.sqlite")]
    assert target.is_dir() and left == ["clients.vcf"]


def test_middle_names_and_anniversaries_make_the_round_trip(database, tmp_path):
    card = (
        "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:urn:uuid:from-another-app\r\nFN:Anna Maria Berger\r\n"
        "N:Berger;Anna;Maria;;\r\nANNIVERSARY:20190603\r\nEND:VCARD\r\n"
    )
    apply_import(plan_import(read_vcards(card.encode())))
    target = tmp_path / "clients.vcf"
    write_vcards(target)
    before = everyone()
    assert before["Anna Maria Berger"]["uid"] == "urn:uuid:from-another-app"
    assert before["Anna Maria Berger"]["dates"] == [("wedding_anniversary", 6, 3, 2019, "", 7)]
    db.close()
    fresh = open_database(tmp_path / "fresh.sqlite")
    try:
        apply_import(plan_import(read_vcards(target.read_bytes())))
        assert everyone() == before
    finally:
        fresh.close()


def test_a_client_named_by_a_numeric_address_comes_back(database, tmp_path):
    """Mail capture names a lead after a numeric address (12345678@qq.com) as the client
    form allows; the card Rapport writes for them must import again."""
    save_client(ClientForm(first_name="12345678", emails="12345678@qq.com"))
    target = tmp_path / "clients.vcf"
    write_vcards(target)
    result = read_vcards(target.read_bytes())
    assert result.rejected == []
    assert [(r.first_name, r.emails) for r in result.records] == [
        ("12345678", [("", "12345678@qq.com")])
    ]
