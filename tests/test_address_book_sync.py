"""Two-way sync of the clients with a real CardDAV server, Radicale and Xandikos alike:
two Rapport databases ("laptop" and "studio") share one address book."""

from __future__ import annotations

import pytest

from models.clients.saving import delete_client
from models.store.entities import Client, ContactDetail, ImportantDate, Interaction
from models.sync.conflicts import conflicts_of, resolve
from models.sync.dav import DavSession
from models.sync.listing import changes
from models.sync.state import delete_card_too, removed_from_address_book
from tests.servers import USER
from tests.sync_helpers import NOW, Device, add_client, server_cards

# A card as a phone writes it: a structured address, and properties Rapport does not keep.
PHONE_CARD = """BEGIN:VCARD\r
VERSION:3.0\r
UID:phone-1\r
N:Berger;Anna;;;\r
FN:Anna Berger\r
EMAIL;TYPE=home:anna@example.org\r
ADR;TYPE=home:;;Hauptstr. 1;Berlin;;10115;Germany\r
NOTE:Met at the fair\r
X-SOCIALPROFILE;TYPE=mastodon:https://social.example/anna\r
X-PHONETIC-FIRST-NAME:Ana\r
END:VCARD\r
"""


@pytest.fixture
def laptop(dav_server, tmp_path, database):
    return Device(tmp_path / "laptop.sqlite", dav_server)


@pytest.fixture
def studio(dav_server, tmp_path, database):
    return Device(tmp_path / "studio.sqlite", dav_server)


def test_clients_added_on_the_laptop_arrive_in_the_studio(laptop, studio, dav_server):
    laptop.connect()
    studio.connect()
    with laptop.open():
        add_client("Anna", "Berger", "anna@example.org", ["wedding"])
        add_client("Tom", "O'Brien")
    assert laptop.sync().summary == "2 new there"
    assert studio.sync().summary == "2 new here"
    with studio.open():
        names = sorted(c.full_name for c in Client.select())
        assert names == ["Anna Berger", "Tom O'Brien"]
        anna = Client.get(Client.first_name == "Anna")
        assert [d.value for d in anna.contact_details] == ["anna@example.org"]
    assert laptop.sync().summary == "nothing changed"
    assert studio.sync().summary == "nothing changed"


def shared(laptop, studio, *clients):
    """Both connected; the laptop's clients synced to the studio."""
    laptop.connect()
    studio.connect()
    with laptop.open():
        for first, last, email in clients:
            add_client(first, last, email)
    laptop.sync()
    studio.sync()


def test_edits_on_each_side_arrive_on_the_other_and_merge(laptop, studio):
    shared(laptop, studio, ("Anna", "Berger", "anna@example.org"))
    with studio.open():
        anna = Client.get(Client.first_name == "Anna")
        anna.organization = "Studio A"
        anna.save()
        ImportantDate.create(client=anna, kind="birthday", month=2, day=29, year=None)
        add_client("Tom", "Lee")  # added in the studio
    with laptop.open():
        anna = Client.get(Client.first_name == "Anna")
        ContactDetail.create(client=anna, kind="phone", label="mobile", value="+49 170 1234567")
    assert studio.sync().summary == "1 changed there, 1 new there"
    assert laptop.sync().summary == "1 changed there, 1 changed here, 1 new here"
    assert studio.sync().summary == "1 changed here"
    for device in (laptop, studio):
        with device.open():
            assert sorted(c.full_name for c in Client.select()) == ["Anna Berger", "Tom Lee"]
            anna = Client.get(Client.first_name == "Anna")
            assert anna.organization == "Studio A"
            assert [
                (d.kind, d.value) for d in anna.contact_details.order_by(ContactDetail.kind)
            ] == [
                ("email", "anna@example.org"),
                ("phone", "+49 170 1234567"),
            ]
            [birthday] = anna.important_dates
            assert (birthday.month, birthday.day, birthday.year) == (2, 29, None)


def test_the_same_field_changed_on_both_sides_keeps_both_values(laptop, studio):
    shared(laptop, studio, ("Anna", "Berger", ""))
    for device, nickname in ((laptop, "Annie"), (studio, "Nan")):
        with device.open():
            Client.update(preferred_name=nickname).execute()
    laptop.sync()
    assert studio.sync().summary == "1 conflict to resolve"
    with studio.open():
        assert Client.get().preferred_name == "Nan"  # nothing overwritten
        [conflict] = conflicts_of(Client.get().id)
        assert (conflict.field, conflict.ours, conflict.theirs) == ("Nickname", "Nan", "Annie")
    [card] = server_cards(studio.server, studio_book(studio)).values()
    assert card.nickname.value == "Annie"  # nor on the server
    assert studio.sync().summary == "1 conflict to resolve"  # until the owner chooses
    with studio.open():
        resolve(conflict.id, take_theirs=False)
    assert studio.sync().summary == "1 changed there"
    assert laptop.sync().summary == "1 changed here"
    with laptop.open():
        assert Client.get().preferred_name == "Nan"
        assert conflicts_of(Client.get().id) == []


def test_taking_the_address_book_s_value_resolves_a_conflict(laptop, studio):
    shared(laptop, studio, ("Anna", "Berger", ""))
    for device, organization in ((laptop, "Studio A"), (studio, "Studio B")):
        with device.open():
            Client.update(organization=organization).execute()
    laptop.sync()
    studio.sync()
    with studio.open():
        [conflict] = conflicts_of(Client.get().id)
        resolve(conflict.id, take_theirs=True)
        assert Client.get().organization == "Studio A"
    assert studio.sync().summary == "nothing changed"


def test_a_card_deleted_with_its_client_marks_the_client_removed_elsewhere(laptop, studio):
    shared(laptop, studio, ("Anna", "Berger", ""), ("Tom", "Lee", ""))
    with laptop.open():
        anna = Client.get(Client.first_name == "Anna")
        Interaction.create(client=anna, kind="session", occurred_at=NOW, summary="Portraits")
    with studio.open():
        tom = Client.get(Client.first_name == "Tom")
        delete_card_too(tom.id)
        delete_client(tom.id)
        anna = Client.get(Client.first_name == "Anna")
        delete_client(anna.id)  # without her card: it stays in the address book
    assert studio.sync().summary == "1 deleted there"
    assert laptop.sync().summary == "1 removed from the address book"
    with laptop.open():
        tom = Client.get(Client.first_name == "Tom")  # still a client, history and all
        assert removed_from_address_book(tom.id)
        assert not removed_from_address_book(Client.get(Client.first_name == "Anna").id)
        assert Interaction.select().count() == 1
    assert sorted(
        c.fn.value for c in server_cards(laptop.server, studio_book(laptop)).values()
    ) == ["Anna Berger"]
    assert studio.sync().summary == "nothing changed"  # the card kept is not brought back


def test_unknown_properties_are_written_back_unchanged(laptop, dav_server):
    laptop.connect()
    book = studio_book(laptop)
    put_card(dav_server, book, "phone-1", PHONE_CARD)
    laptop.sync()
    with laptop.open():
        Client.update(organization="Studio A").execute()
    assert laptop.sync().summary == "1 changed there"
    [card] = server_cards(dav_server, book).values()
    assert card.org.value == ["Studio A"]
    assert card.contents["x-socialprofile"][0].value == "https://social.example/anna"
    assert card.contents["x-phonetic-first-name"][0].value == "Ana"
    assert card.note.value == "Met at the fair"  # notes are not synced unless turned on
    assert card.adr.value.city == "Berlin"  # the phone's structured address, untouched


def test_bad_cards_cost_only_themselves(laptop, dav_server):
    laptop.connect()
    book = studio_book(laptop)
    put_card(dav_server, book, "good", PHONE_CARD)
    latin = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:cp1252\r\nFN:Zoë Müller\r\nN:Müller;Zoë;;;\r\n"
    # Radicale makes it UTF-8; Xandikos keeps its bytes (and answers 500 while it does).
    put_raw(dav_server, book, "latin", (latin + "END:VCARD\r\n").encode("cp1252"))
    put_card(
        dav_server,
        book,
        "nameless",
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:x\r\nFN:\r\nN:;;;;\r\nEND:VCARD\r\n",
    )
    report = laptop.sync()
    with laptop.open():
        assert sorted(c.full_name for c in Client.select()) == ["Anna Berger", "Zoë Müller"]
    assert report.failed == 1
    assert report.summary == (
        "2 new here, 1 could not be synced (nameless.vcf: it has no name; add a name in "
        "your address book and export again)"
    )


def studio_book(device: Device) -> str:
    with device.open():
        return str(device.account().option("address_book_url"))


def put_raw(server, book: str, name: str, data: bytes) -> int:
    """A card written straight to the server, as another program would."""
    path = book.removeprefix(server.url.rstrip("/")) + f"{name}.vcf"
    return server.request("PUT", path, data, "text/vcard").status


def put_card(server, book: str, name: str, text: str) -> None:
    assert put_raw(server, book, name, text.encode()) in (201, 204)


def test_a_sync_token_the_server_forgot_lists_everything_again(radicale):
    """Radicale forgets a sync token after 30 days (RFC 6578: 403, DAV:valid-sync-token):
    an address book synced long ago is listed whole again, not a refused password."""
    book = radicale.url.rstrip("/") + radicale.address_book("contacts")
    card = b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:anna\r\nFN:Anna\r\nN:;Anna;;;\r\nEND:VCARD\r\n"
    put = radicale.request("PUT", "/rapport/contacts/anna.vcf", card, "text/vcard")
    assert put.status == 201, put
    session = DavSession(radicale.url, USER, radicale.password)
    try:
        listing = changes(session, book, "http://radicale.org/ns/sync/forgotten")
    finally:
        session.close()
    assert [href.rsplit("/", 1)[1] for href in listing.etags] == ["anna.vcf"]
    assert listing.complete and listing.token
