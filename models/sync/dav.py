"""A small WebDAV client for CardDAV and CalDAV: requests with the account's login,
PROPFIND and REPORT answers read as (href, properties), and every way a server can fail
said as an AccountError sentence for the owner, never a traceback.

`requests` carries the HTTP (one kept-alive session per sync: a first sync of thousands
of cards makes thousands of requests); the XML is the standard library's.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import requests

from models.accounts.store import AccountError

DAV = "DAV:"
CARDDAV = "urn:ietf:params:xml:ns:carddav"
CALDAV = "urn:ietf:params:xml:ns:caldav"
TIMEOUT_SECONDS = 30
MOST_REDIRECTS = 5
XML = "application/xml; charset=utf-8"


def tag(namespace: str, name: str) -> str:
    """ElementTree's name for an element: "{DAV:}href"."""
    return f"{{{namespace}}}{name}"


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    url: str  # where it came from, after any redirect


@dataclass
class Resource:
    """One <response> of a multistatus: its href (absolute URL), its status when the
    server gave one for the whole response (404 for a deleted card in sync-collection),
    and its properties found (200), by ElementTree name."""

    url: str
    status: int = 200
    properties: dict[str, ElementTree.Element] = field(default_factory=dict)

    def text(self, name: str) -> str:
        found = self.properties.get(name)
        return (found.text or "").strip() if found is not None else ""

    def href(self, name: str) -> str:
        """The first <href> inside a property (current-user-principal, a home set)."""
        found = self.properties.get(name)
        inner = found.find(tag(DAV, "href")) if found is not None else None
        return (inner.text or "").strip() if inner is not None else ""


def _sync_token_unknown(answer: Answer) -> bool:
    """A sync token the server no longer knows (Radicale forgets them after 30 days) is a
    403 naming DAV:valid-sync-token (RFC 6578): the caller lists everything again. It is
    no refused login."""
    return answer.status == 403 and b"valid-sync-token" in answer.body


class DavSession:
    """Requests to one server as one user; `where` names the server in sentences."""

    def __init__(self, url: str, user: str, password: str) -> None:
        self.base = url
        self.user = user
        self.where = urlsplit(url).hostname or url
        self.session = requests.Session()
        # As UTF-8: requests would encode a password with an emoji as Latin-1 and fail.
        self.session.auth = requests.auth.HTTPBasicAuth(user.encode(), password.encode())
        self.session.headers["User-Agent"] = "Rapport"

    def close(self) -> None:
        self.session.close()

    def absolute_from(self, url: str, href: str) -> str:
        """An href from an answer to `url`, as a full URL."""
        return urljoin(url, href)

    def request(
        self, method: str, url: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> Answer:
        """The server's answer; redirects followed with the same method (requests would
        turn a PROPFIND into a GET on a 302). Raises AccountError when the server cannot
        be reached, refuses the login or is full; any other status is the caller's."""
        for _redirect in range(MOST_REDIRECTS + 1):
            response = self._send(method, url, body, headers or {})
            location = response.headers.get("Location", "")
            if response.status_code not in (301, 302, 303, 307, 308) or not location:
                break
            url = urljoin(url, location)
        answer = Answer(response.status_code, dict(response.headers), response.content, url)
        refusal = "" if _sync_token_unknown(answer) else self._refusal(answer.status)
        if refusal:
            trouble = answer.status >= 500 and answer.status != 507  # a full account is no bug
            raise (ServerTrouble if trouble else AccountError)(refusal)
        return answer

    def _send(self, method: str, url: str, body: bytes, headers: dict[str, str]):
        try:
            return self.session.request(
                method,
                url,
                data=body or None,
                headers=headers,
                timeout=TIMEOUT_SECONDS,
                allow_redirects=False,
            )
        except requests.exceptions.SSLError as error:
            raise AccountError(
                f"Rapport refused the connection to {self.where}: its certificate is not "
                f"valid ({_reason(error)}). Check the server address in Settings → Accounts."
            ) from None
        except requests.exceptions.Timeout:
            raise AccountError(
                f"{self.where} did not answer in {TIMEOUT_SECONDS} seconds; "
                "Rapport will try again later."
            ) from None
        except requests.exceptions.RequestException as error:
            raise AccountError(
                f"Could not reach {self.where} ({_reason(error)}); Rapport will try again later."
            ) from None

    def _refusal(self, status: int) -> str:
        if status in (401, 403):
            return (
                f"The server refused the password for {self.user}@{self.where}; "
                "change it in Settings → Accounts."
            )
        if status == 507:
            return (
                f"The account on {self.where} is full (the server has no space left for it); "
                "make room there, and Rapport will sync again."
            )
        if status >= 500 and status != 501:  # 501: no WebDAV here, the caller's to say
            return (
                f"{self.where} has a problem of its own (error {status}); "
                "Rapport will try again later."
            )
        return ""

    def multistatus(
        self, method: str, url: str, body: str, depth: str, headers: dict[str, str] | None = None
    ) -> tuple[list[Resource], ElementTree.Element]:
        """A PROPFIND or REPORT: its responses and the whole multistatus element (a
        sync-collection's new token is there). Any answer but 207 is an AccountError."""
        wanted = {"Content-Type": XML, "Depth": depth, **(headers or {})}
        answer = self.request(method, url, body.encode(), wanted)
        if answer.status != 207:
            raise DavStatus(answer.status, f"{method} {url}")
        root = parse_xml(answer.body, self.where)
        return [
            self._resource(answer.url, element) for element in root.iter(tag(DAV, "response"))
        ], root

    def _resource(self, base: str, element: ElementTree.Element) -> Resource:
        href = element.findtext(tag(DAV, "href"), "").strip()
        found = Resource(urljoin(base, href), status_code(element.findtext(tag(DAV, "status"))))
        for propstat in element.iter(tag(DAV, "propstat")):
            if status_code(propstat.findtext(tag(DAV, "status"))) != 200:
                continue
            for prop in propstat.iter(tag(DAV, "prop")):
                found.properties.update({child.tag: child for child in prop})
        return found


class ServerTrouble(AccountError):
    """The server failed to answer a request (5xx): down, overloaded, or a bug of its own."""


class DavStatus(AccountError):
    """The server answered a request with a status the caller did not expect."""

    def __init__(self, status: int, what: str) -> None:
        super().__init__(f"The server answered {what} with error {status}.")
        self.status = status


def status_code(line: str | None) -> int:
    """ "HTTP/1.1 404 Not Found" -> 404; no status line -> 200."""
    parts = (line or "").split()
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 200


def parse_xml(body: bytes, where: str) -> ElementTree.Element:
    try:
        return ElementTree.fromstring(body)
    except ElementTree.ParseError:
        raise AccountError(f"{where} answered with something that is not WebDAV.") from None


def xml_text(value: str) -> str:
    """Text escaped for an XML element."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _reason(error: Exception) -> str:
    """Why, in the innermost error's words: requests wraps urllib3's error, which wraps
    the socket's or ssl's ("self-signed certificate", "Connection refused")."""
    seen: list[BaseException] = []
    waiting: list[object] = [error]
    while waiting:
        found = waiting.pop()
        if isinstance(found, BaseException) and found not in seen:
            seen.append(found)
            if getattr(found, "verify_message", None):
                return found.verify_message
            nested = [found.__cause__, found.__context__, getattr(found, "reason", None)]
            waiting += [*nested, *found.args]
    innermost = seen[-1]
    return str(getattr(innermost, "strerror", None) or innermost).strip() or type(error).__name__


def propfind_body(*names: tuple[str, str]) -> str:
    """A PROPFIND asking for these (namespace, name) properties."""
    prefixes = {DAV: "D", CARDDAV: "A", CALDAV: "C"}
    props = "".join(f"<{prefixes[ns]}:{name}/>" for ns, name in names)
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<D:propfind xmlns:D="{DAV}" xmlns:A="{CARDDAV}" xmlns:C="{CALDAV}">'
        f"<D:prop>{props}</D:prop></D:propfind>"
    )
