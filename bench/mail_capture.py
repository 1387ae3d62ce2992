"""Mail capture's first scan of a 50,000-message mailbox on a local Dovecot, beside raw
imaplib fetching the same headers, and the rescan when nothing is new.

    .venv/bin/python bench/mail_capture.py [--messages 50000]

Starts Dovecot as the tests do (tests/servers.py), writes the messages straight into its
maildirs (four fifths in the inbox, a fifth in the sent folder; one in twenty with one
of 300 clients, the rest with newsletters and people who are not clients; each folder's
spread evenly over the year a first scan reads, the oldest first, each received by the
server a minute after it was written; NOW the last day of a month) and lets it
index them once. Baseline: imaplib logged in the same way (trusting the same
certificates), EXAMINE, UID SEARCH SINCE and UID FETCH of the same header fields in the
same batches, nothing kept. Rapport: the "mail" job into a new database (the rescan: the
slower of the two). Each is the best of two runs, measured in two ways: with Python's
automatic cycle collection off, as in the window (which collects on its own thread once a
second), and on, as `main.py capture` runs. Beside the wall clock, the CPU time of this
process (Dovecot works in its own): steadier on a shared machine, and what Rapport's own
work costs.
"""

from __future__ import annotations

import argparse
import gc
import imaplib
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script, `bench` and this checkout's modules import

from bench.run import Row, machine, progress, table  # noqa: E402
from models.accounts.jobs import RunContext  # noqa: E402
from models.accounts.store import add_account, set_options  # noqa: E402
from models.capture import mail  # noqa: E402
from models.capture.imap import SEARCH_WINDOW, tls_context  # noqa: E402
from models.capture.mail_headers import FETCH_ITEMS  # noqa: E402
from models.capture.mail_store import MailStranger, strangers_this_month  # noqa: E402
from models.clients.saving import save_client  # noqa: E402
from models.forms.dialog_forms import ClientForm  # noqa: E402
from models.store.database import db  # noqa: E402
from models.store.migrations import open_database  # noqa: E402
from tests.servers import HOST, MAIL_PASSWORD, MAIL_USER, Dovecot, dovecot_server  # noqa: E402

# The last day of a month: a first scan then reads the most sent mail whole (this month's
# and three days before it: its people may be offered as leads).
NOW = datetime(2026, 12, 31, 12, 0, tzinfo=UTC)
CLIENTS = 300
CLIENT_EVERY = 20  # one message in twenty is with a client
RATIO = 1.5  # the target: at most this times raw imaplib
IDLE_SECONDS = 1.0
RUNS = 2  # each side's best of two: the shared machine makes single runs noisy
YEAR = timedelta(days=365)  # what a first scan reads unless told otherwise


def sent_at(n: int, count: int) -> datetime:
    """When the nth newest of a folder's `count` messages was written: spread evenly over
    the year before NOW."""
    return NOW - n * YEAR / count


def message(n: int, sent: bool, count: int) -> bytes:
    other = (
        f"Client {n % CLIENTS} <client{n % CLIENTS}@clients.example>"
        if n % CLIENT_EVERY == 0
        else f"=?utf-8?q?J=C3=B6rg_{n % 5000}?= <person{n % 5000}@elsewhere.example>"
    )
    me = "Lena Studio <studio@lens.example>"
    sender, to = (me, other) if sent else (other, me)
    return (
        f"From: {sender}\r\nTo: {to}\r\nCc: assistant@lens.example\r\n"
        f"Subject: =?utf-8?q?Re=3A_Gr=C3=BC=C3=9Fe?= and the album, number {n}\r\n"
        f"Date: {sent_at(n, count):%a, %d %b %Y %H:%M:%S +0000}\r\n"
        f"Message-ID: <{n}.{'s' if sent else 'r'}@bench.example>\r\n"
        "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        + "A body of some length, never read by Rapport.\r\n"
        * 40
    ).encode()


def fill(server: Dovecot, count: int) -> None:
    """The inbox and the sent folder, the oldest message first (the lowest UID), as a
    mailbox grows; each received by the server (its INTERNALDATE) a minute after it was
    written."""
    for folder, sent, total in (("INBOX", False, count - count // 5), ("Sent", True, count // 5)):
        oldest_first = range(total - 1, -1, -1)
        server.write_messages(
            folder,
            (message(n, sent, total) for n in oldest_first),
            lambda k, total=total: sent_at(total - 1 - k, total) + timedelta(minutes=1),
        )
    connection = server.admin()
    for folder in ("INBOX", "Sent"):  # Dovecot indexes the new files: not measured
        connection.select(folder, readonly=True)
        connection.uid("FETCH", "1:*", FETCH_ITEMS)
    connection.logout()


def raw_imaplib(server: Dovecot) -> int:
    """The same headers, fetched the same way, kept nowhere: the number fetched."""
    # Trusting what Rapport trusts (the system's authorities and the server's certificate):
    # loading the system's costs about 20 ms, which is no part of what capture adds.
    context = tls_context(server.certificate.read_text())
    connection = imaplib.IMAP4_SSL(HOST, server.imaps_port, ssl_context=context)
    connection.login(MAIL_USER, MAIL_PASSWORD)
    fetched = 0
    for folder in ("INBOX", "Sent"):
        connection.select(folder, readonly=True)
        uidnext = int(connection.untagged_responses["UIDNEXT"][-1])
        uids: list[bytes] = []
        for start in range(1, uidnext, SEARCH_WINDOW):
            end = min(start + SEARCH_WINDOW, uidnext) - 1
            uids += connection.uid("SEARCH", f"UID {start}:{end} SINCE 1-Jan-2020")[1][0].split()
        for start in range(0, len(uids), mail.BATCH):
            batch = uids[start : start + mail.BATCH]
            reply = connection.uid("FETCH", f"{int(batch[0])}:{int(batch[-1])}", FETCH_ITEMS)
            fetched += sum(isinstance(line, tuple) for line in reply[1])
    connection.logout()
    return fetched


def rapport_scan(server: Dovecot, database_path: Path) -> tuple[Seconds, float, str]:
    """The first scan into a new database, then the rescan with nothing new: seconds
    each (the first scan's also in CPU time), and the first scan's summary."""
    database = open_database(database_path)
    try:
        for n in range(CLIENTS):
            save_client(ClientForm(first_name=f"Client {n}", emails=f"client{n}@clients.example"))
        account = add_account(server.url(), MAIL_USER)
        set_options(
            account,
            trusted_certificate=server.certificate.read_text(),
            mail_since="2020-01-01",
            sent_folder="Sent",
        )
        context = RunContext(account, MAIL_PASSWORD, lambda: NOW)
        began, cpu = time.perf_counter(), time.process_time()
        report = mail.capture_mail(context)
        first = Seconds(time.perf_counter() - began, time.process_time() - cpu)
        kept, offered = MailStranger.select().count(), len(strangers_this_month(NOW))
        said = f"{report.summary[:-1]} · {kept:,} people written to kept, {offered:,} offered"
        began = time.perf_counter()
        mail.capture_mail(context)
        idle = time.perf_counter() - began
    finally:
        database.close()
        db.initialize(None)
    return first, idle, said + " as leads (written to this month)."


# The window switches Python's automatic cycle collection off and collects on its own
# thread once a second (ui/garbage_collection.py); `main.py capture` leaves it on.
GC_SAID = {False: "as in the window", True: "automatic GC, as main.py capture"}


@contextmanager
def automatic_collection(on: bool) -> Iterator[None]:
    gc.collect()
    (gc.enable if on else gc.disable)()
    try:
        yield
    finally:
        gc.enable()


@dataclass(frozen=True)
class Seconds:
    wall: float  # what the user waits
    cpu: float  # this process's CPU time: steadier than the wall clock on a shared machine


def timed(fetch, server: Dovecot, count: int) -> Seconds:
    began, cpu = time.perf_counter(), time.process_time()
    fetched = fetch(server)
    assert fetched == count, fetched
    return Seconds(time.perf_counter() - began, time.process_time() - cpu)


def best(runs: list[Seconds]) -> Seconds:
    return Seconds(min(run.wall for run in runs), min(run.cpu for run in runs))


def scan_rows(count: int, first: Seconds, raw: Seconds, idle: float, said: str) -> list[Row]:
    return [
        Row(f"first scan of {count:,} messages, {said}", f"{first.wall:,.2f} s",
            f"{raw.wall:,.2f} s", first.wall / raw.wall, f"<= {RATIO}x raw imaplib",
            first.wall <= RATIO * raw.wall),
        Row(f"  its CPU time in this process, {said}", f"{first.cpu:,.2f} s",
            f"{raw.cpu:,.2f} s", first.cpu / raw.cpu, "for information", None),
        Row(f"rescan, nothing new, {said}", f"{idle * 1000:,.0f} ms", "", None,
            f"< {IDLE_SECONDS:.0f} s", idle < IDLE_SECONDS),
    ]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=50_000)
    count = parser.parse_args().messages
    header = ["Rapport benchmark, mail capture", machine()]
    progress("\n".join(header))
    with (
        tempfile.TemporaryDirectory(prefix="rapport-bench-mail-") as folder,
        dovecot_server(Path(folder) / "dovecot") as server,
    ):
        progress(f"writing {count:,} messages and letting Dovecot index them")
        fill(server, count)
        rows, summary = [], ""
        for collecting in (False, True):
            with automatic_collection(collecting):
                progress(f"raw imaplib, then Rapport's first scan ({GC_SAID[collecting]})")
                raw = best([timed(raw_imaplib, server, count) for _run in range(RUNS)])
                scans = [
                    rapport_scan(server, Path(folder) / f"rapport-{collecting}-{run}.sqlite")
                    for run in range(RUNS)
                ]
                first = best([scan[0] for scan in scans])
                idle, summary = max(scan[1] for scan in scans), scans[0][2]
            rows += scan_rows(count, first, raw, idle, GC_SAID[collecting])
    print("\n".join(header))
    print()
    print(table(rows))
    print()
    print(f"first scan: {summary}")
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    print(f"load average at the end: {load} ({os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
