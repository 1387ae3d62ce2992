"""Finding an account's address books and calendars on real servers (RFC 6764), and the
sentences the owner reads when a server cannot be used."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from models.accounts.store import AccountError
from models.sync.dav import DavSession
from models.sync.discovery import discover
from tests.servers import HOST, USER, free_port, radicale_server, xandikos_server


def context_for(url: str, password: str = "-", user: str = USER):
    """What discovery reads of a run: the account's address, user and password."""
    return SimpleNamespace(account=SimpleNamespace(url=url, user=user), password=password)


@pytest.mark.parametrize("service", ["carddav", "caldav"])
def test_the_home_set_is_found_from_the_server_address_alone(dav_server, service):
    found = discover(context_for(dav_server.url, dav_server.password), service)
    collections = {"carddav": "contacts/", "caldav": "calendars/"}
    if dav_server.home == "/user/":  # Xandikos keeps each kind in a folder of its own
        assert found == f"{dav_server.url}user/{collections[service]}"
    else:
        assert found == f"{dav_server.url}{USER}/"


def test_a_full_address_is_followed_to_its_home_set(radicale):
    book = radicale.address_book("contacts")
    assert (
        discover(context_for(radicale.url + book.lstrip("/")), "carddav")
        == radicale.url + "rapport/"
    )


def test_a_wrong_password_is_a_sentence_naming_the_account(tmp_path):
    with (
        radicale_server(tmp_path / "radicale", password="right") as server,
        pytest.raises(AccountError) as refused,
    ):
        discover(context_for(server.url, "wrong"), "carddav")
    assert str(refused.value) == (
        f"The server refused the password for {USER}@{HOST}; change it in Settings → Accounts."
    )


def test_a_server_that_is_not_there_is_a_sentence():
    url = f"http://{HOST}:{free_port()}/"
    with pytest.raises(AccountError, match=rf"^Could not reach {HOST} \(.+\); Rapport will try"):
        discover(context_for(url), "carddav")


def test_a_web_server_without_dav_says_nothing_was_found(tmp_path):
    import http.server
    import threading

    server = http.server.ThreadingHTTPServer((HOST, 0), http.server.SimpleHTTPRequestHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://{HOST}:{server.server_address[1]}/"
        with pytest.raises(AccountError, match=r"^Rapport found no address books at"):
            discover(context_for(url), "carddav")
    finally:
        server.shutdown()
        server.server_close()


def test_a_certificate_that_is_not_valid_is_refused_with_the_reason(tmp_path):
    with xandikos_server(tmp_path / "xandikos", self_signed=True) as server:
        url = f"https://{HOST}:{server.port}/"
        with pytest.raises(AccountError) as refused:
            discover(context_for(url), "carddav")
    said = str(refused.value)
    assert said.startswith(f"Rapport refused the connection to {HOST}: its certificate is not")
    assert "self-signed certificate" in said and "Traceback" not in said


def test_set_up_takes_the_first_address_book_or_makes_one(dav_server, tmp_path, database):
    from tests.sync_helpers import Device

    said = Device(tmp_path / "r.sqlite", dav_server).connect()
    if dav_server.home == "/user/":  # Xandikos starts with one
        assert said == f"Address book “addressbook” ({dav_server.url}user/contacts/addressbook/)."
    else:  # a fresh Radicale has none
        assert said == f"Made the address book “Rapport” ({dav_server.url}rapport/rapport/)."


def test_set_up_takes_the_address_book_named(radicale, tmp_path, database):
    from tests.sync_helpers import Device

    radicale.address_book("family")
    radicale.address_book("clients")
    device = Device(tmp_path / "r.sqlite", radicale)
    assert device.connect(addressbook="Clients").startswith("Address book “clients”")
    with pytest.raises(AccountError, match=r"^There is no address book named “Work”; there are"):
        Device(tmp_path / "other.sqlite", radicale).connect(addressbook="Work")


def test_a_full_account_is_a_sentence():
    """A server whose quota is used up answers 507 Insufficient Storage (RFC 4918)."""
    import http.server
    import threading

    class Full(http.server.BaseHTTPRequestHandler):
        def do_PUT(self) -> None:
            self.send_response(507)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args) -> None:
            del args

    server = http.server.ThreadingHTTPServer((HOST, 0), Full)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://{HOST}:{server.server_address[1]}/"
    session = DavSession(url, USER, "-")
    try:
        with pytest.raises(AccountError) as full:
            session.request("PUT", url + "card.vcf", b"BEGIN:VCARD\r\nEND:VCARD\r\n")
    finally:
        session.close()
        server.shutdown()
        server.server_close()
    assert str(full.value) == (
        f"The account on {HOST} is full (the server has no space left for it); make room "
        "there, and Rapport will sync again."
    )
