"""Real servers for tests, on this machine only: Radicale and Xandikos (CardDAV and
CalDAV) started on 127.0.0.1 at a free port with a storage folder of the test's own; no
authentication, or Radicale with a password file. Never any address but 127.0.0.1."""

from __future__ import annotations

import base64
import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

HOST = "127.0.0.1"
USER = "rapport"  # any name is let in (auth none); it names the user's collections
PASSWORD = "correct horse"  # the password Radicale asks for when started with one
START_SECONDS = 20

# Extended MKCOL (RFC 5689): a collection that is a CardDAV address book.
ADDRESS_BOOK = b"""<?xml version="1.0" encoding="utf-8"?>
<D:mkcol xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><D:set><D:prop>
<D:resourcetype><D:collection/><C:addressbook/></D:resourcetype>
</D:prop></D:set></D:mkcol>"""


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes


@dataclass(frozen=True)
class DavServer:
    port: int
    password: str = "-"
    # Where the user's collections are: Radicale's "/rapport/", Xandikos's "/user/".
    home: str = f"/{USER}/"
    process: subprocess.Popen | None = field(default=None, compare=False, repr=False)

    def stop(self) -> None:
        """Stop the server now, as a crash or a lost connection would (kill)."""
        self.process.kill()
        self.process.wait(timeout=30)

    @property
    def url(self) -> str:
        """The server's address as the owner would type it."""
        return f"http://{HOST}:{self.port}/"

    def request(
        self, method: str, path: str, body: bytes = b"", content_type: str = ""
    ) -> Response:
        connection = http.client.HTTPConnection(HOST, self.port, timeout=30)
        login = base64.b64encode(f"{USER}:{self.password}".encode()).decode()
        headers = {"Authorization": f"Basic {login}"}
        if content_type:
            headers["Content-Type"] = content_type
        try:
            connection.request(method, path, body, headers)
            response = connection.getresponse()
            return Response(response.status, response.read())
        finally:
            connection.close()

    def address_book(self, name: str) -> str:
        """A new address book's path ("/rapport/contacts/")."""
        path = f"{self.home}{name}/"
        made = self.request("MKCOL", path, ADDRESS_BOOK, "application/xml")
        assert made.status == 201, made
        return path

    def calendar(self, name: str) -> str:
        """A new calendar's path ("/rapport/dates/")."""
        path = f"{self.home}{name}/"
        made = self.request("MKCALENDAR", path)
        assert made.status == 201, made
        return path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@contextmanager
def radicale_server(storage: Path, password: str = "", port: int = 0) -> Iterator[DavServer]:
    """A Radicale process serving `storage` on 127.0.0.1 (at `port`, else a free one),
    stopped at the end; with a `password`, it lets USER in with that one only."""
    port = port or free_port()
    command = [
        *(sys.executable, "-m", "radicale", "--config", ""),  # no system or user config
        *("--server-hosts", f"{HOST}:{port}"),
        *("--storage-filesystem-folder", str(storage), "--logging-level", "warning"),
        *_radicale_login(storage, password),
    ]
    with _running(command, port, storage) as process:
        yield DavServer(port, password or "-", process=process)


def _radicale_login(storage: Path, password: str) -> list[str]:
    if not password:
        return ["--auth-type", "none"]
    users = storage.with_name(storage.name + ".users")
    users.write_text(f"{USER}:{password}\n")
    return [
        *("--auth-type", "htpasswd", "--auth-htpasswd-filename", str(users)),
        *("--auth-htpasswd-encryption", "plain"),
    ]


@contextmanager
def xandikos_server(storage: Path, self_signed: bool = False) -> Iterator[DavServer]:
    """A Xandikos process serving `storage` on 127.0.0.1 with its default address book
    and calendar (/user/contacts/addressbook/, /user/calendars/calendar/), stopped at the
    end; with `self_signed`, over HTTPS with a certificate it made itself."""
    port = free_port()
    command = [
        *(sys.executable, "-m", "xandikos", "serve", "--defaults", "-d", str(storage)),
        *("-l", HOST, "-p", str(port), "--no-detect-systemd"),
        *(("--autocert", "--state-dir", str(storage) + ".state") if self_signed else ()),
    ]
    with _running(command, port, storage) as process:
        yield DavServer(port, home="/user/", process=process)


@contextmanager
def _running(command: list[str], port: int, storage: Path) -> Iterator[subprocess.Popen]:
    log = storage.with_name(storage.name + ".log")
    with log.open("wb") as out:
        server = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_until_listening(port, server, log)
        yield server
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait(timeout=30)


def _wait_until_listening(port: int, server: subprocess.Popen, log: Path) -> None:
    # time.sleep, not a timed wait: under libfaketime those never time out.
    for _attempt in range(START_SECONDS * 10):
        if server.poll() is not None:
            raise RuntimeError(f"{server.args[2]} stopped: {log.read_text()}")
        try:
            socket.create_connection((HOST, port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{server.args[2]} did not start in {START_SECONDS} s: {log.read_text()}")


@contextmanager
def secret_service(folder: Path) -> Iterator[None]:
    """A real GNOME Keyring (Secret Service) on the tests' private D-Bus session bus,
    its "login" keyring unlocked and kept in `folder`, and the `keyring` library set to
    use it. Stopped at the end."""
    import keyring
    from keyring.backends import SecretService

    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        raise RuntimeError("no private D-Bus session: run the tests under dbus-run-session")
    folder.mkdir(parents=True, exist_ok=True)
    environment = {**os.environ, "XDG_DATA_HOME": str(folder), "HOME": str(folder)}
    daemon = subprocess.Popen(
        ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=environment,
    )
    daemon.stdin.write(b"rapport-tests")  # the login keyring's password: it is made unlocked
    daemon.stdin.close()
    daemon.stdout.readline()  # it says where its control socket is once it serves
    previous = keyring.get_keyring()
    keyring.set_keyring(SecretService.Keyring())
    try:
        yield
    finally:
        keyring.set_keyring(previous)
        daemon.terminate()
        daemon.wait(timeout=30)
