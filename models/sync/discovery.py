"""Where an account's address books or calendars live (RFC 6764 and RFC 6352/4791).

The owner types a server address ("https://dav.example.com", "https://cloud.example.org/
remote.php/dav") or a full collection URL. From there: the server's /.well-known/carddav
(or caldav) redirect, the current user's principal, and its address-book (or calendar)
home set, the folder that holds the collections.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

from models.accounts.store import AccountError
from models.sync.dav import CALDAV, CARDDAV, DAV, DavSession, DavStatus, propfind_body, tag

if TYPE_CHECKING:
    from models.accounts.jobs import RunContext

Service = Literal["carddav", "caldav"]
HOME_SETS = {"carddav": (CARDDAV, "addressbook-home-set"), "caldav": (CALDAV, "calendar-home-set")}
WHAT = {"carddav": "address books", "caldav": "calendars"}


def session_for(context: RunContext) -> DavSession:
    """A session with the account's login: close it when done."""
    account = context.account
    return DavSession(account.url, account.user, context.password)


def discover(context: RunContext, service: Service) -> str:
    """The URL of the folder holding the account's address books or calendars."""
    session = session_for(context)
    try:
        return home_set(session, service)
    finally:
        session.close()


def home_set(session: DavSession, service: Service) -> str:
    """The home set found from the session's URL: that URL itself, then the server's
    well-known address, each asked for the current user's principal."""
    for start in _starting_points(session.base, service):
        principal = _principal(session, start)
        if principal:
            found = _home_set(session, principal, service)
            if found:
                return found
    raise AccountError(
        f"Rapport found no {WHAT[service]} at {session.base}. Check the address "
        "(your provider's CardDAV or CalDAV address, or the full address of the folder)."
    )


def _starting_points(url: str, service: Service) -> list[str]:
    parts = urlsplit(url)
    well_known = f"{parts.scheme}://{parts.netloc}/.well-known/{service}"
    return [well_known] if parts.path in ("", "/") else [url, well_known]


def _principal(session: DavSession, url: str) -> str:
    """The current user's principal URL, asked at `url`; "" when it has none."""
    body = propfind_body((DAV, "current-user-principal"))
    try:
        found, _root = session.multistatus("PROPFIND", url, body, "0")
    except DavStatus:
        return ""  # no WebDAV here (a 404 well-known address): try the next place
    for resource in found:
        href = resource.href(tag(DAV, "current-user-principal"))
        if href:
            return session.absolute_from(resource.url, href)
    return found[0].url if found else ""  # an old server: the URL is the principal


def _home_set(session: DavSession, principal: str, service: Service) -> str:
    body = propfind_body(HOME_SETS[service])
    try:
        found, _root = session.multistatus("PROPFIND", principal, body, "0")
    except DavStatus:
        return ""
    for resource in found:
        href = resource.href(tag(*HOME_SETS[service]))
        if href:
            return session.absolute_from(resource.url, href)
    return ""
