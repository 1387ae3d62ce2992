"""Real servers for tests, on this machine only: Radicale and Xandikos (CardDAV and
CalDAV) started on 127.0.0.1 at a free port with a storage folder of the test's own; no
authentication, or Radicale with a password file; Dovecot (IMAP) with a throwaway
configuration, a certificate the test made and one user. Never any address but 127.0.0.1."""

from __future__ import annotations

import base64
import grp
import http.client
import imaplib
import ipaddress
import os
import pwd
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
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


def _wait_until_listening(port: int, server: subprocess.Popen, log: Path, name: str = "") -> None:
    # time.sleep, not a timed wait: under libfaketime those never time out.
    for _attempt in range(START_SECONDS * 10):
        if server.poll() is not None:
            raise RuntimeError(f"{name or server.args[2]} stopped: {log.read_text()}")
        try:
            socket.create_connection((HOST, port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    what = name or server.args[2]
    raise RuntimeError(f"{what} did not start in {START_SECONDS} s: {log.read_text()}")


# --- Dovecot (IMAP) ---------------------------------------------------------------------

MAIL_USER = "studio"
MAIL_PASSWORD = "proofs-2026"
DOVECOT = "/usr/sbin/dovecot"

# A throwaway Dovecot: everything under the test's folder, the test's own user and
# group for every process (root or not), IMAP with STARTTLS and IMAPS on free ports,
# one user from a passwd file, maildir, and a Sent folder flagged \Sent.
DOVECOT_CONF = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = {host}
ssl = yes
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
disable_plaintext_auth = yes
auth_mechanisms = plain
auth_failure_delay = 0
default_login_user = {user}
default_internal_user = {internal_user}
default_internal_group = {group}
first_valid_uid = 0
mail_location = maildir:{root}/mail/%u
mail_fsync = never
service imap-login {{
  chroot =
  inet_listener imap {{
    address = {host}
    port = {imap_port}
  }}
  inet_listener imaps {{
    address = {host}
    port = {imaps_port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
service stats {{
  chroot =
}}
service imap {{
  process_limit = 16
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
namespace inbox {{
  inbox = yes
  separator = /
  mailbox Sent {{
    special_use = \\Sent
    auto = subscribe
  }}
  mailbox Archive {{
    auto = subscribe
  }}
}}
"""


@dataclass
class Dovecot:
    root: Path
    imap_port: int
    imaps_port: int
    certificate: Path  # the self-signed certificate the tests trust
    process: subprocess.Popen | None = None
    tls: bool = True  # False: plain IMAP only, no STARTTLS and no IMAPS

    def url(self, tls: str = "imaps") -> str:
        """imaps://127.0.0.1:PORT (TLS) or imap://127.0.0.1:PORT (STARTTLS)."""
        port = self.imaps_port if tls == "imaps" else self.imap_port
        return f"{tls}://{HOST}:{port}"

    def admin(self) -> imaplib.IMAP4_SSL:
        """A logged-in connection to fill and change the test user's mailboxes."""
        context = ssl.create_default_context(cafile=str(self.certificate))
        connection = imaplib.IMAP4_SSL(HOST, self.imaps_port, ssl_context=context, timeout=30)
        connection.login(MAIL_USER, MAIL_PASSWORD)
        return connection

    def append(self, folder: str, *messages: bytes, when: datetime | None = None) -> None:
        connection = self.admin()
        try:
            for message in messages:
                stamp = imaplib.Time2Internaldate(when) if when else None
                status, reply = connection.append(folder, "", stamp, message)
                assert status == "OK", reply
        finally:
            connection.logout()

    def run(self, *command: str) -> None:
        """Run one IMAP command as the test user ("DELETE", "Archive")."""
        connection = self.admin()
        try:
            status, reply = connection._simple_command(*command)
            assert status == "OK", reply
        finally:
            connection.logout()

    def write_messages(
        self, folder: str, messages: Iterable[bytes], when: datetime | Callable[[int], datetime]
    ) -> int:
        """Put messages straight into a folder's maildir, received at `when` (or the nth,
        from 0, at `when(n)`): thousands a second, where APPEND takes a round trip each.
        Dovecot indexes them when the folder is next opened. The number written."""
        connection = self.admin()
        connection.select(folder)  # the folder's maildir exists once it was opened
        connection.logout()
        base = self.root / "mail" / MAIL_USER
        cur = (base if folder == "INBOX" else base / f".{folder}") / "cur"
        owner = cur.parent.stat()
        count = 0
        for count, message in enumerate(messages, start=1):
            stamp = (when(count - 1) if callable(when) else when).timestamp()
            path = cur / f"{int(stamp)}.R{count}.rapport:2,"
            path.write_bytes(message)
            os.utime(path, (stamp, stamp))
            os.chown(path, owner.st_uid, owner.st_gid)
        return count

    def start(self) -> None:
        log = self.root / "dovecot.out"
        with log.open("ab") as out:
            command = [DOVECOT, "-F", "-c", str(self.root / "dovecot.conf")]
            self.process = subprocess.Popen(
                command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        for port in (self.imap_port, self.imaps_port) if self.tls else (self.imap_port,):
            _wait_until_listening(port, self.process, self.root / "dovecot.log", "Dovecot")

    def change_password(self, password: str) -> None:
        """The test user's password, changed on the server. Dovecot looks at its passwd
        file again at most once a second: wait until the new password is the one."""
        (self.root / "passwd").write_text(f"{MAIL_USER}:{{PLAIN}}{password}::::::\n")
        context = ssl.create_default_context(cafile=str(self.certificate))
        for _attempt in range(START_SECONDS * 10):
            connection = imaplib.IMAP4_SSL(HOST, self.imaps_port, ssl_context=context)
            try:
                connection.login(MAIL_USER, password)
                connection.logout()
                return
            except imaplib.IMAP4.error:
                connection.shutdown()
                time.sleep(0.1)  # not a timed wait: under libfaketime those never end
        raise RuntimeError("Dovecot kept the old password")

    def restart_without_tls(self) -> None:
        """Serve plain IMAP only: no STARTTLS, nothing on the IMAPS port."""
        conf = self.root / "dovecot.conf"
        text = conf.read_text().replace("ssl = yes\n", "ssl = no\n", 1)
        conf.write_text(text.replace(f"port = {self.imaps_port}", "port = 0"))
        self.stop()
        self.tls = False
        self.start()

    def stop(self) -> None:
        """Stop the server and every connection it serves, as a machine going down."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)
        self.process = None


def self_signed_certificate(folder: Path, host: str = HOST) -> tuple[Path, Path]:
    """A certificate for `host` (an IP address) signed by its own key: (cert, key)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Rapport test server")])
    start = datetime(2000, 1, 1, tzinfo=UTC)  # valid at any date a test runs at
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start.replace(year=2099))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(host))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def _service_users() -> dict[str, str | int]:
    """Dovecot's processes run as the test's own user; when the tests run as root (a CI
    container) they run as the users Debian's package made, since Dovecot refuses root
    for its login and mail processes."""
    if os.getuid() == 0:
        mail = pwd.getpwnam("dovecot")
        return {
            "user": "dovenull",
            "internal_user": "dovecot",
            "group": "dovecot",
            "uid": mail.pw_uid,
            "gid": mail.pw_gid,
        }
    user = pwd.getpwuid(os.getuid()).pw_name
    group = grp.getgrgid(os.getgid()).gr_name
    return {
        "user": user,
        "internal_user": user,
        "group": group,
        "uid": os.getuid(),
        "gid": os.getgid(),
    }


@contextmanager
def dovecot_server(folder: Path) -> Iterator[Dovecot]:
    """A Dovecot process with the test user MAIL_USER, stopped at the end. Its files are
    in `folder`, or, as root, in a folder of /tmp that Dovecot's own user owns (it cannot
    reach into root's test folders), removed at the end."""
    users = _service_users()
    root = folder if os.getuid() != 0 else Path(tempfile.mkdtemp(prefix="rapport-dovecot-"))
    try:
        with _running_dovecot(root, users) as server:
            yield server
    finally:
        if root != folder:
            shutil.rmtree(root, ignore_errors=True)


@contextmanager
def _running_dovecot(root: Path, users: dict[str, str | int]) -> Iterator[Dovecot]:
    for name in ("run", "state", "mail", "home"):
        (root / name).mkdir(parents=True, exist_ok=True)
    certificate, _key = self_signed_certificate(root)
    (root / "passwd").write_text(f"{MAIL_USER}:{{PLAIN}}{MAIL_PASSWORD}::::::\n")
    for path in (root, root / "mail", root / "home", root / "passwd"):
        os.chown(path, int(users["uid"]), int(users["gid"]))
    server = Dovecot(root, free_port(), free_port(), certificate)
    conf = DOVECOT_CONF.format(
        root=root, host=HOST, imap_port=server.imap_port, imaps_port=server.imaps_port, **users
    )
    (root / "dovecot.conf").write_text(conf)
    server.start()
    try:
        yield server
    finally:
        server.stop()


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
