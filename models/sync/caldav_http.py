"""The CalDAV requests publishing needs, over the shared WebDAV session (models/sync/dav.py).

A PROPFIND (Depth 1) lists a collection's objects and their ETags in one request: that
is what makes an idle sync cheap. PUT and DELETE are conditional on those ETags
(If-Match, or If-None-Match: * to create), so nothing on the server is overwritten that
Rapport has not seen. The session raises AccountError for what stops a whole sync (no
connection, a refused password or certificate, a full quota); an object the server
will not take costs that object only.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, unquote, urljoin, urlsplit

from models.accounts.store import AccountError
from models.sync.dav import CALDAV, DAV, DavSession, DavStatus, propfind_body, tag

ICS = "text/calendar; charset=utf-8"
MULTIGET = """<?xml version="1.0" encoding="utf-8"?>
<C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
<D:prop><D:getetag/><C:calendar-data/></D:prop>{hrefs}</C:calendar-multiget>"""
# Statuses that cost one object: refused (400, 403, 409, 415: not valid for this
# collection) or changed since the listing (412).
REFUSED = (400, 403, 409, 412, 415)


@dataclass(frozen=True)
class Written:
    status: int
    etag: str  # the ETag header, "" when the server sent none


def listing(session: DavSession, collection: str) -> dict[str, str]:
    """The collection's objects: path -> ETag (collections inside it left out)."""
    body = propfind_body((DAV, "getetag"), (DAV, "resourcetype"))
    try:
        found, _root = session.multistatus("PROPFIND", collection, body, "1")
    except DavStatus as error:
        if error.status != 404:
            raise
        raise AccountError(
            f"The calendar {path_of(collection)} is gone from {session.where}; choose "
            "another in Settings → Accounts."
        ) from None
    own = path_of(collection).rstrip("/")
    objects = {}
    for resource in found:
        kind = resource.properties.get(tag(DAV, "resourcetype"))
        if kind is not None and kind.find(tag(DAV, "collection")) is not None:
            continue
        path = path_of(resource.url)
        if path.rstrip("/") != own and resource.status == 200:
            objects[path] = resource.text(tag(DAV, "getetag"))
    return objects


def read(session: DavSession, collection: str, paths: list[str]) -> dict[str, bytes]:
    """The iCalendar data of some objects: path -> bytes, in one REPORT."""
    if not paths:
        return {}
    hrefs = "".join(f"<D:href>{quote(path)}</D:href>" for path in paths)
    found, _root = session.multistatus("REPORT", collection, MULTIGET.format(hrefs=hrefs), "1")
    return {
        path_of(resource.url): resource.text(tag(CALDAV, "calendar-data")).encode()
        for resource in found
        if resource.status == 200
    }


def put(session: DavSession, url: str, body: bytes, etag: str | None) -> Written:
    """Create (etag None: only where there is nothing) or replace (only version `etag`)."""
    condition = {"If-None-Match": "*"} if etag is None else {"If-Match": etag}
    answer = session.request("PUT", url, body, {"Content-Type": ICS, **condition})
    _expect(answer.status, (200, 201, 204, *REFUSED), f"PUT {url}")
    return Written(answer.status, answer.headers.get("ETag", ""))


def delete(session: DavSession, url: str, etag: str) -> int:
    answer = session.request("DELETE", url, b"", {"If-Match": etag} if etag else {})
    _expect(answer.status, (200, 204, 404, 412), f"DELETE {url}")
    return answer.status


def object_url(collection: str, uid: str) -> str:
    """Where an object of that UID lives: "<collection>/<uid>.ics"."""
    return urljoin(collection if collection.endswith("/") else collection + "/", f"{uid}.ics")


def path_of(url: str) -> str:
    return unquote(urlsplit(url).path)


def _expect(status: int, expected: tuple[int, ...], what: str) -> None:
    if status not in expected:
        raise DavStatus(status, what)
