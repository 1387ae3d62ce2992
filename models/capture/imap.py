"""Talking to the owner's IMAP server: an encrypted connection (TLS, or STARTTLS before
the password is sent), the folders, and the header fields of messages, read-only.

Folders are opened with EXAMINE and fields fetched with BODY.PEEK, so reading never marks
a message as read or changes anything on the server. Every failure is a `MailError` whose
text is a sentence for the owner.
"""

from __future__ import annotations

import base64
import imaplib
import re
import socket
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import date, datetime
from typing import BinaryIO, NamedTuple
from urllib.parse import urlsplit

from models.accounts.store import AccountError
from models.capture.mail_headers import FETCH_ITEMS, MONTHS, instant

TIMEOUT_SECONDS = 30
SEARCH_WINDOW = 20_000  # UIDs per SEARCH, so that one reply line stays short
_LIST_LINE = re.compile(rb'\((?P<flags>[^)]*)\) (?P<separator>"(?:[^"\\]|\\.)*"|NIL) (?P<name>.*)')
_UID = re.compile(rb"UID (\d+)")
_FETCH_RESPONSE = re.compile(rb"\* \d+ FETCH ")
_MAX_LINE = 1_000_000  # as imaplib: a longer line is no answer of a mail server
_INTERNALDATE = re.compile(
    r'INTERNALDATE "\s*(\d+)-(\w{3})-(\d{4}) (\d\d):(\d\d):(\d\d) ([-+]\d{4})"', re.ASCII
)


class MailError(AccountError):
    """The mail server cannot be used now; str() says why, in words."""


class FolderVanished(MailError):
    """A folder Rapport reads is no longer on the server."""


@dataclass(frozen=True)
class Folder:
    name: str  # as the server names it (modified UTF-7 for non-ASCII names)
    flags: frozenset[str]  # lower case: "\\sent", "\\noselect"


@dataclass(frozen=True)
class FolderStatus:
    uidvalidity: int
    uidnext: int


class FetchedHeader(NamedTuple):  # a tuple: tens of thousands are made in a first scan
    uid: int
    prefix: bytes  # what the server said of the message besides its header fields
    raw: bytes

    @property
    def received_at(self) -> datetime | None:
        """The server's INTERNALDATE, UTC: read only for the messages that need it (those
        read whole, and sent mail, whose time says whether it may be read no further)."""
        return internal_date(self.prefix)


@dataclass(frozen=True)
class ServerAddress:
    host: str
    port: int
    starttls: bool

    def __str__(self) -> str:
        return f"{self.host}:{self.port}"


def server_address(url: str) -> ServerAddress:
    """imaps://host[:993] (TLS from the start) or imap://host[:143] (STARTTLS)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("imaps", "imap") or not parts.hostname:
        raise MailError(f"{url!r} is not a mail server address: write imaps://mail.example.org.")
    try:
        port = parts.port or (993 if parts.scheme == "imaps" else 143)
    except ValueError:
        raise MailError(f"The port in {url!r} is not a number.") from None
    return ServerAddress(parts.hostname, port, starttls=parts.scheme == "imap")


def tls_context(trusted_certificate: str = "") -> ssl.SSLContext:
    """The system's trusted authorities, and a certificate the owner chose to trust for
    their own server (PEM text). Verification is never turned off."""
    context = ssl.create_default_context()
    if trusted_certificate:
        try:
            context.load_verify_locations(cadata=trusted_certificate)
        except (ssl.SSLError, ValueError) as error:
            raise MailError(f"The certificate to trust cannot be read ({error}).") from error
    return context


class MailServer:
    """A logged-in connection (use `logged_in`)."""

    def __init__(self, connection: imaplib.IMAP4, address: ServerAddress) -> None:
        self.connection = connection
        self.address = address
        self._answered: dict[bytes, bytes] = {}  # tag -> "OK Fetch completed", read ahead
        self._news_from: dict[str, int] = {}  # folder -> the UIDNEXT the last wait began at
        self._idle_lock = threading.Lock()  # end_waiting comes from another thread
        self._idling = False  # an IDLE is under way: DONE ends it
        self._end_asked = False  # end_waiting came while no IDLE was under way

    def folders(self) -> list[Folder]:
        """Every folder, with its flags; with SPECIAL-USE (RFC 6154) the \\Sent flag too."""
        pattern = '"*"'
        if "SPECIAL-USE" in self.connection.capabilities:
            pattern += " RETURN (SPECIAL-USE)"
        with self._talking():
            lines = self._ok(self.connection.list('""', pattern), "LIST")
        return [folder for folder in map(_folder, lines) if folder is not None]

    def examine(self, name: str) -> FolderStatus:
        """Open a folder read-only: its UIDVALIDITY and UIDNEXT."""
        with self._talking():
            status, _reply = self.connection.select(quoted(name), readonly=True)
        if status != "OK":
            raise FolderVanished(
                f"The folder {display_name(name)!r} is no longer on {self.address.host}."
                " Name it anew in File → Accounts…"
            )
        validity = self.connection.untagged_responses.get("UIDVALIDITY", [b"0"])[-1]
        uidnext = self.connection.untagged_responses.get("UIDNEXT", [b"0"])[-1]
        return FolderStatus(int(validity), int(uidnext))

    def uids_since(self, since: date, first_uid: int, uidnext: int) -> list[int]:
        """The UIDs from `first_uid` below `uidnext` of messages received on or after
        `since`, in order."""
        found: list[int] = []
        day = f"{since.day}-{MONTHS[since.month - 1]}-{since.year}"
        for start in range(first_uid, uidnext, SEARCH_WINDOW):
            end = min(start + SEARCH_WINDOW, uidnext) - 1
            with self._talking():
                reply = self.connection.uid("SEARCH", f"UID {start}:{end} SINCE {day}")
            for line in self._ok(reply, "SEARCH"):
                # "n:*" style answers may name a UID outside the window: keep it inside
                found.extend(u for u in map(int, (line or b"").split()) if start <= u <= end)
        return sorted(set(found))

    def headers(self, batches: list[list[int]]) -> Iterator[list[FetchedHeader]]:
        """The header fields (FETCH_ITEMS) of each batch of messages (ascending UIDs) in
        turn; a message deleted meanwhile is simply not in its batch.

        The next batch is asked for before this one is handed over (pipelining, RFC 3501
        5.5): the server reads it while Rapport keeps this one. A thread fetching ahead
        was slower: it waits for Python's lock after every read. A server may answer the
        next command before it ends this one (Dovecot does), so what came is handed over
        by UID. Close the iterator (contextlib.closing) to stop early."""
        asked: list[bytes] = []  # the tags of the FETCHes sent and not yet answered
        come: list[FetchedHeader] = []  # answered, not yet handed over
        try:
            for n, batch in enumerate(batches):
                if n == 0:
                    asked.append(self._ask_headers(batch))
                if n + 1 < len(batches):
                    asked.append(self._ask_headers(batches[n + 1]))
                come += self._headers_answer(asked.pop(0))
                last = batch[-1]
                yield [header for header in come if header.uid <= last]
                come = [header for header in come if header.uid > last]
        finally:
            for tag in asked:  # stopped early: read what was asked for ahead and let it go
                with suppress(MailError, imaplib.IMAP4.error):
                    self._headers_answer(tag)

    # imaplib sends a command and waits for its answer in one call (uid()); here the two
    # halves, so that a second command can go out before the first is answered.
    def _ask_headers(self, uids: list[int]) -> bytes:
        with self._talking():
            return self.connection._command("UID", "FETCH", sequence_set(uids), FETCH_ITEMS)

    def _headers_answer(self, tag: bytes) -> list[FetchedHeader]:
        """What the server answered to the FETCH `tag`, read up to its end. Read here, not
        by imaplib, whose handling of each line costs more than all the rest Rapport does
        with most messages."""
        fetched: list[FetchedHeader] = []
        with self._talking():
            while tag not in self._answered:
                read_response(self.connection.file, fetched, self._answered)
        del self.connection.tagged_commands[tag]
        status, _, text = self._answered.pop(tag).partition(b" ")
        if status != b"OK":
            said = text.decode("utf-8", "replace")
            raise MailError(f"{self.address.host} refused to FETCH ({said}).")
        return fetched

    def watch_from(self, folder: str) -> None:
        """Mail that comes to `folder` from now on is news to wait_for_mail."""
        self._news_from[folder] = self.examine(folder).uidnext

    def wait_for_mail(self, folder: str) -> bool:
        """Wait (IMAP IDLE, RFC 2177) until the server says `folder` changed: True when
        a message came, False when `end_waiting` ended the wait first. Mail that came
        between two waits (or since watch_from) is news too, at once: IDLE tells only of
        what comes while it is under way. Blocks its thread; `close_now` from another
        thread ends it with a MailError."""
        if "IDLE" not in self.connection.capabilities:
            raise MailError(f"{self.address.host} cannot tell when mail arrives (no IDLE).")
        uidnext = self.examine(folder).uidnext
        came_meanwhile = uidnext > self._news_from.get(folder, uidnext)
        self._news_from[folder] = uidnext
        if came_meanwhile:
            return True
        arrived = self._idle()
        if arrived:
            # Told once: the next wait starts from what it finds (the capture run this
            # news starts reads whatever comes before then).
            del self._news_from[folder]
        return arrived

    def _idle(self) -> bool:
        """One IDLE: True when a message came, False when end_waiting ended it."""
        connection = self.connection
        tag = connection._new_tag()
        with self._talking():
            connection.send(tag + b" IDLE\r\n")
            if not self._line().startswith(b"+"):
                raise MailError(f"{self.address.host} refused to wait for mail.")
            with self._idle_lock:
                self._idling = True
                if self._end_asked:  # asked before the wait began: end it at once
                    self._send_done()
            try:
                return self._until_mail_or_end(tag)
            finally:
                with self._idle_lock:  # however it ended, no IDLE is under way now
                    self._idling = False

    def _until_mail_or_end(self, tag: bytes) -> bool:
        line = self._line()
        while not line.startswith(tag):  # the tag: ended by end_waiting (or the server)
            if line.startswith(b"*") and line.rstrip().endswith(b"EXISTS"):
                with self._idle_lock:
                    if self._idling:
                        self._send_done()
                while not self._line().startswith(tag):
                    pass
                return True
            line = self._line()
        return False

    def end_waiting(self) -> None:
        """From another thread: end a wait_for_mail (before the server's 29 minutes), or
        the next one as soon as it begins. DONE goes out only while a wait is under way:
        sent at another time, the server would take it for a command and answer it
        where another command's answer is awaited."""
        with self._idle_lock:
            if self._idling:
                self._send_done()
            else:
                self._end_asked = True

    def _send_done(self) -> None:
        """End the IDLE under way (called with _idle_lock held)."""
        self._idling = self._end_asked = False
        with suppress(OSError):
            self.connection.send(b"DONE\r\n")

    def close_now(self) -> None:
        """From another thread: cut the connection; a wait under way ends at once."""
        with suppress(OSError):
            self.connection.sock.shutdown(socket.SHUT_RDWR)

    def _line(self) -> bytes:
        line = self.connection.readline()
        if not line:
            raise OSError("the server closed the connection")
        return line

    def logout(self) -> None:
        with suppress(imaplib.IMAP4.error, OSError):  # gone first: nothing to close
            self.connection.logout()

    def _ok(self, reply: tuple[str, list], what: str) -> list:
        status, lines = reply
        if status != "OK":
            text = b" ".join(line for line in lines if isinstance(line, bytes)).decode(
                "utf-8", "replace"
            )
            raise MailError(f"{self.address.host} refused to {what} ({text}).")
        return [line for line in lines if line is not None]

    @contextmanager
    def _talking(self) -> Iterator[None]:
        try:
            yield
        except (imaplib.IMAP4.abort, OSError) as error:
            raise MailError(
                f"The connection to {self.address} was lost ({_reason(error)}). Rapport goes"
                " on from where it stopped next time."
            ) from error


@contextmanager
def logged_in(
    url: str, user: str, password: str, trusted_certificate: str = ""
) -> Iterator[MailServer]:
    """A connection to the server at `url`, encrypted and logged in as `user`."""
    address = server_address(url)
    context = tls_context(trusted_certificate)
    try:
        if address.starttls:
            connection = imaplib.IMAP4(address.host, address.port, timeout=TIMEOUT_SECONDS)
            _start_tls(connection, context, address)
        else:
            connection = imaplib.IMAP4_SSL(
                address.host, address.port, ssl_context=context, timeout=TIMEOUT_SECONDS
            )
    except ssl.SSLCertVerificationError as error:
        raise MailError(
            f"The certificate of {address.host} was refused: {error.verify_message}."
            " Rapport only sends your password to a server it can verify."
        ) from error
    except (ssl.SSLError, imaplib.IMAP4.error, OSError) as error:
        raise MailError(
            f"The mail server {address} cannot be reached ({_reason(error)})."
            " Check the address and your network connection."
        ) from error
    server = MailServer(connection, address)
    try:
        _log_in(connection, address, user, password)
        yield server
    finally:
        server.logout()


def _start_tls(connection: imaplib.IMAP4, context: ssl.SSLContext, address: ServerAddress):
    if "STARTTLS" not in connection.capabilities:
        connection.shutdown()
        raise MailError(
            f"{address.host} does not offer encryption (STARTTLS), and Rapport never sends"
            " your password unencrypted. Use imaps:// if the server offers it."
        )
    connection.starttls(context)


def _log_in(connection: imaplib.IMAP4, address: ServerAddress, user: str, password: str):
    try:
        connection.login(user, password)
    except imaplib.IMAP4.abort as error:
        raise MailError(f"The mail server {address} closed the connection ({error}).") from error
    except imaplib.IMAP4.error as error:
        raise MailError(
            f"{address.host} refused the user name or password for {user!r}."
            " Check them in Settings → Accounts."
        ) from error
    except OSError as error:
        raise MailError(f"The connection to {address} was lost ({_reason(error)}).") from error


def _reason(error: BaseException) -> str:
    if isinstance(error, ConnectionRefusedError):
        return "nothing answers there"
    if isinstance(error, socket.gaierror):
        return "the name is not known"
    if isinstance(error, TimeoutError):
        return "no answer in time"
    return getattr(error, "strerror", None) or str(error) or type(error).__name__


def _folder(line: object) -> Folder | None:
    if isinstance(line, tuple):  # a name sent as a literal: {n}\r\nname
        prefix, literal = line
        line = prefix[: prefix.rfind(b"{")] + b'"' + literal.replace(b'"', b'\\"') + b'"'
    found = _LIST_LINE.match(line or b"")
    if found is None:
        return None
    name = found.group("name").strip()
    if name.startswith(b'"'):
        name = re.sub(rb"\\(.)", rb"\1", name[1:-1])
    flags = frozenset(found.group("flags").decode("ascii", "replace").lower().split())
    return Folder(name.decode("utf-8", "replace"), flags)


def _whole(line: bytes) -> bytes:
    """A line read from the server, which must end with a line break."""
    if not line.endswith(b"\n"):
        raise OSError("the server closed the connection" if not line else "a line too long")
    return line


def quoted(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def display_name(name: str) -> str:
    """A folder name as the owner reads it: IMAP's modified UTF-7 ("Entw&APw-rfe")
    decoded to "Entwürfe"."""

    def decode(found: re.Match) -> str:
        encoded = found.group(1)
        if not encoded:
            return "&"
        padded = encoded.replace(",", "/") + "=" * (-len(encoded) % 4)
        try:
            return base64.b64decode(padded).decode("utf-16-be")
        except ValueError:
            return found.group(0)

    return re.sub(r"&([A-Za-z0-9+,]*)-", decode, name)


def sequence_set(uids: list[int]) -> str:
    """ "1:500,502,510:512": runs of UIDs in IMAP's short form."""
    runs: list[list[int]] = []
    for uid in sorted(uids):
        if runs and uid == runs[-1][1] + 1:
            runs[-1][1] = uid
        else:
            runs.append([uid, uid])
    return ",".join(f"{a}:{b}" if a != b else str(a) for a, b in runs)


def read_response(
    file: BinaryIO, fetched: list[FetchedHeader], answered: dict[bytes, bytes]
) -> None:
    """Read one response from the server: the header fields of a message are added to
    `fetched` (with what the server said of it before and after them: its UID may come
    after); the end of a command ("A7 OK Fetch completed") is kept in `answered` by its
    tag; news of the folder (EXISTS, EXPUNGE, FLAGS) is passed over."""
    line = _whole(file.readline(_MAX_LINE))
    if not line.startswith(b"* "):
        tag, _, said = line.rstrip().partition(b" ")
        answered[tag] = said
        return
    if line.startswith(b"* BYE"):
        raise OSError(line[6:].decode("utf-8", "replace").strip() or "the server said bye")
    items: list[tuple[bytes, bytes]] = []  # (what came before it, a literal)
    said = line[2:]
    while said.endswith(b"}\r\n"):  # a literal follows: {size}
        size = int(said[said.rindex(b"{") + 1 : -3])
        literal = file.read(size)
        if len(literal) != size:
            raise OSError("the server closed the connection")
        items.append((said[:-2], literal))
        said = _whole(file.readline(_MAX_LINE))
    if not items or _FETCH_RESPONSE.match(line) is None:
        return
    items[-1] = (items[-1][0] + said[:-2], items[-1][1])  # the rest of the line
    for prefix, raw in items:
        uid = _UID.search(prefix)
        if uid is not None:
            fetched.append(FetchedHeader(int(uid.group(1)), prefix, raw))


def internal_date(prefix: bytes) -> datetime | None:
    """INTERNALDATE "06-Dec-2026 10:15:00 +0100" as UTC (month names are IMAP's English,
    whatever the machine's locale)."""
    found = _INTERNALDATE.search(prefix.decode("latin-1"))
    if found is None:
        return None
    return instant(*found.groups())
