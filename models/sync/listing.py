"""What changed in an address book since the last sync, and the cards themselves.

Where the server offers it, a sync-collection REPORT (RFC 6578) names only the cards
changed or deleted since the token of the last sync; else (or when the server forgot the
token) a PROPFIND lists every card's ETag, and the ones that differ from what Rapport
kept are the changed ones. Cards are fetched a hundred at a time (addressbook-multiget).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from models.sync.dav import (
    CARDDAV,
    DAV,
    DavSession,
    DavStatus,
    ServerTrouble,
    propfind_body,
    tag,
    xml_text,
)

MULTIGET = 100  # cards asked for at once
_SYNC_COLLECTION = """<?xml version="1.0" encoding="utf-8"?>
<D:sync-collection xmlns:D="DAV:"><D:sync-token>{token}</D:sync-token>
<D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>"""
_MULTIGET = """<?xml version="1.0" encoding="utf-8"?>
<A:addressbook-multiget xmlns:D="DAV:" xmlns:A="urn:ietf:params:xml:ns:carddav">
<D:prop><D:getetag/><A:address-data/></D:prop>{hrefs}</A:addressbook-multiget>"""


@dataclass
class Listing:
    """The cards whose ETag is new to Rapport, the ones deleted, and the token to give
    next time ("" when the server has no sync-collection). `complete`: every card of the
    book is in `etags` (a full listing), so a known card not there was deleted."""

    etags: dict[str, str] = field(default_factory=dict)  # href -> etag
    deleted: set[str] = field(default_factory=set)
    token: str = ""
    complete: bool = False


def changes(session: DavSession, book: str, token: str) -> Listing:
    """The changes since `token` ("" on a first sync: every card)."""
    try:
        return _sync_collection(session, book, token)
    except DavStatus:  # no sync-collection here, or the token is too old: list everything
        if token:
            try:
                return _sync_collection(session, book, "")
            except DavStatus:
                pass
        return _every_etag(session, book)


def changes_since(session: DavSession, book: str, token: str) -> Listing | None:
    """The changes since `token` by sync-collection only; None when the server refuses."""
    try:
        return _sync_collection(session, book, token)
    except DavStatus:
        return None


def _sync_collection(session: DavSession, book: str, token: str) -> Listing:
    body = _SYNC_COLLECTION.format(token=xml_text(token))
    found, root = session.multistatus("REPORT", book, body, "1")
    listing = Listing(token=root.findtext(tag(DAV, "sync-token"), "").strip(), complete=not token)
    for resource in found:
        if _same(resource.url, book):
            continue
        if resource.status == 404:
            listing.deleted.add(resource.url)
        else:
            listing.etags[resource.url] = resource.text(tag(DAV, "getetag"))
    return listing


def _every_etag(session: DavSession, book: str) -> Listing:
    body = propfind_body((DAV, "getetag"), (DAV, "resourcetype"))
    found, _root = session.multistatus("PROPFIND", book, body, "1")
    listing = Listing(complete=True)
    for resource in found:
        kinds = resource.properties.get(tag(DAV, "resourcetype"))
        if _same(resource.url, book) or (kinds is not None and len(kinds)):
            continue  # the book itself, or a collection inside it
        listing.etags[resource.url] = resource.text(tag(DAV, "getetag"))
    return listing


@dataclass
class Fetched:
    cards: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # href -> etag, bytes
    failed: dict[str, str] = field(default_factory=dict)  # href -> why, in words


def fetch_cards(session: DavSession, book: str, hrefs: list[str]) -> Fetched:
    """The cards still there, as the server keeps them; a card the server fails to send
    (a Xandikos cannot put a card that is not UTF-8 into XML) costs only itself."""
    fetched = Fetched()
    for start in range(0, len(hrefs), MULTIGET):
        chunk = hrefs[start : start + MULTIGET]
        with contextlib.suppress(ServerTrouble):  # one bad card fails the lot: each alone
            fetched.cards |= _multiget(session, book, chunk)
        for href in chunk:
            if href not in fetched.cards:
                _get(session, href, fetched)
    return fetched


def _multiget(session: DavSession, book: str, hrefs: list[str]) -> dict[str, tuple[str, bytes]]:
    listed = "".join(f"<D:href>{xml_text(urlsplit(href).path)}</D:href>" for href in hrefs)
    found, _root = session.multistatus("REPORT", book, _MULTIGET.format(hrefs=listed), "1")
    cards = {}
    for resource in found:
        data = resource.properties.get(tag(CARDDAV, "address-data"))
        if resource.status == 200 and data is not None:
            # The XML held text; the card's bytes are its UTF-8.
            cards[resource.url] = (resource.text(tag(DAV, "getetag")), (data.text or "").encode())
    return cards


def _get(session: DavSession, href: str, fetched: Fetched) -> None:
    try:
        answer = session.request("GET", href)
    except ServerTrouble as trouble:
        fetched.failed[href] = f"the server could not send it ({trouble})"
        return
    if answer.status == 200:
        fetched.cards[href] = (answer.headers.get("ETag", ""), answer.body)
    elif answer.status != 404:  # 404: deleted meanwhile, the next listing says so
        fetched.failed[href] = f"the server could not send it (error {answer.status})"


def _same(url: str, other: str) -> bool:
    return unquote(urlsplit(url).path).rstrip("/") == unquote(urlsplit(other).path).rstrip("/")
