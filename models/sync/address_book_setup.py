"""Choosing the address book a new account syncs with: the one the owner named, else the
first one, else a new one Rapport makes (a fresh Radicale has none)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from models.accounts.store import AccountError, set_options
from models.sync.dav import CARDDAV, DAV, DavSession, DavStatus, propfind_body, tag, xml_text
from models.sync.discovery import home_set, session_for

if TYPE_CHECKING:
    from models.accounts.jobs import RunContext

NEW_BOOK = "Rapport"  # the name of the address book made where there is none
# Extended MKCOL (RFC 5689): a collection that is a CardDAV address book, with its name.
_MAKE_BOOK = """<?xml version="1.0" encoding="utf-8"?>
<D:mkcol xmlns:D="DAV:" xmlns:A="urn:ietf:params:xml:ns:carddav"><D:set><D:prop>
<D:resourcetype><D:collection/><A:addressbook/></D:resourcetype>
<D:displayname>{name}</D:displayname>
</D:prop></D:set></D:mkcol>"""


@dataclass(frozen=True)
class AddressBook:
    url: str
    name: str


def set_up(context: RunContext) -> str:
    """Find the address book, keep its URL in the account's options; what was chosen."""
    wanted = context.choices.get("addressbook", "").strip()
    session = session_for(context)
    try:
        chosen, made = choose(session, wanted)
    finally:
        session.close()
    set_options(context.account, address_book_url=chosen.url, address_book_name=chosen.name)
    return f"{'Made the address book' if made else 'Address book'} “{chosen.name}” ({chosen.url})."


def choose(session: DavSession, wanted: str) -> tuple[AddressBook, bool]:
    """The address book named `wanted` (or the first one), and whether it was made now."""
    home = home_set(session, "carddav")
    books = address_books(session, home)
    if wanted:
        for book in books:
            if wanted.casefold() in (book.name.casefold(), _last_segment(book.url).casefold()):
                return book, False
        if books:
            names = ", ".join(f"“{book.name}”" for book in books)
            raise AccountError(f"There is no address book named “{wanted}”; there are {names}.")
    if books:
        return books[0], False
    return make_address_book(session, home, wanted or NEW_BOOK), True


def address_books(session: DavSession, home: str) -> list[AddressBook]:
    """The address books in the home set, in the server's order."""
    body = propfind_body((DAV, "resourcetype"), (DAV, "displayname"))
    found, _root = session.multistatus("PROPFIND", home, body, "1")
    books = []
    for resource in found:
        kinds = resource.properties.get(tag(DAV, "resourcetype"))
        if kinds is not None and kinds.find(tag(CARDDAV, "addressbook")) is not None:
            name = resource.text(tag(DAV, "displayname"))
            if name in ("", urlsplit(resource.url).path.strip("/")):  # Radicale's default
                name = _last_segment(resource.url)
            books.append(AddressBook(resource.url, name))
    return books


def make_address_book(session: DavSession, home: str, name: str) -> AddressBook:
    url = session.absolute_from(home, _slug(name) + "/")
    body = _MAKE_BOOK.format(name=xml_text(name)).encode()
    answer = session.request("MKCOL", url, body, {"Content-Type": "application/xml"})
    if answer.status != 201:
        raise DavStatus(answer.status, f"making the address book “{name}”")
    return AddressBook(url, name)


def _last_segment(url: str) -> str:
    return url.rstrip("/").rpartition("/")[2]


def _slug(name: str) -> str:
    """A path segment for a new collection: "Rapport" -> "rapport"."""
    kept = "".join(c if c.isalnum() else "-" for c in name.casefold()).strip("-")
    return kept or "rapport"
