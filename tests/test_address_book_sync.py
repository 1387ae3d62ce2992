"""Two-way sync of the clients with a real CardDAV server, Radicale and Xandikos alike:
two Rapport databases ("laptop" and "studio") share one address book."""

from __future__ import annotations

import pytest

from models.store.entities import Client, ContactDetail
from tests.sync_helpers import Device, add_client, server_cards


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
