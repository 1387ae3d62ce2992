"""A first address-book sync of 2,000 clients and an idle sync, against a local Radicale,
beside vdirsyncer syncing the same 2,000 cards to the same server.

    .venv/bin/python bench/sync_address_book.py

Rapport: a new database with 2,000 clients (the vCard bench's cards, a fifth with a
photo, brought in by `main.py import`), then the address-book job, in this process: the
first sync writes every card; an idle sync finds nothing changed. Baseline: vdirsyncer
(a new process each time) syncing a folder of the same 2,000 cards (one .vcf each) to
another, empty address book on the same Radicale, then again with nothing changed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script, `bench` and this checkout's modules import

from bench.import_vcards import write_cards  # noqa: E402
from bench.run import Row, progress, report  # noqa: E402
from tests.servers import USER, radicale_server  # noqa: E402

CLIENTS = 2_000
FIRST_RATIO = 1.5  # the first sync's target: at most this times vdirsyncer's
IDLE_SECONDS = 1.0
VDIRSYNCER = Path(sys.executable).with_name("vdirsyncer")
VDIRSYNCER_CONFIG = """[general]
status_path = "{folder}/status/"

[pair bench]
a = "bench_folder"
b = "bench_server"
collections = null

[storage bench_folder]
type = "filesystem"
path = "{folder}/vdir/"
fileext = ".vcf"

[storage bench_server]
type = "carddav"
url = "{url}"
username = "{user}"
password = "-"
"""


def rapport_database(folder: Path, cards: Path) -> Path:
    path = folder / "rapport.sqlite"
    imported = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "import", str(cards), "--db", str(path)],
        capture_output=True,
        text=True,
        env={**os.environ, "XDG_STATE_HOME": str(folder / "state")},
    )
    if imported.returncode != 0:
        raise RuntimeError(f"the import exited {imported.returncode}: {imported.stderr}")
    return path


def rapport_syncs(path: Path, url: str) -> tuple[float, float, str]:
    """The first sync's and an idle sync's seconds, and the first one's summary."""
    from models.accounts.jobs import RunContext
    from models.accounts.store import add_account, set_options
    from models.clock import system_now
    from models.store.migrations import open_database
    from models.sync.address_book import sync_address_book

    database = open_database(path)
    try:
        account = add_account(url, USER)
        set_options(account, address_book_url=f"{url}{USER}/rapport/")
        context = RunContext(account, "-", system_now)
        began = time.perf_counter()
        first = sync_address_book(context)
        first_seconds = time.perf_counter() - began
        sync_address_book(context)  # the first idle sync also takes the newest token
        began = time.perf_counter()
        idle = sync_address_book(context)
        idle_seconds = time.perf_counter() - began
    finally:
        database.close()
    if first.failed or idle.summary != "nothing changed":
        raise RuntimeError(f"Rapport's syncs: {first}, then {idle}")
    return first_seconds, idle_seconds, first.summary


def vdirsyncer_syncs(folder: Path, cards: Path, url: str) -> tuple[float, float]:
    vdir = folder / "vdir"
    vdir.mkdir()
    with cards.open(encoding="utf-8", newline="") as file:  # CRLF kept, as written
        text = file.read()
    for number, card in enumerate(text.split("BEGIN:VCARD")[1:]):
        uid = f"vdirsyncer-{number}"
        body = card.replace("VERSION:3.0\r\n", f"VERSION:3.0\r\nUID:{uid}\r\n", 1)
        (vdir / f"{uid}.vcf").write_text("BEGIN:VCARD" + body, encoding="utf-8", newline="")
    config = folder / "vdirsyncer.conf"
    config.write_text(
        VDIRSYNCER_CONFIG.format(folder=folder, url=f"{url}{USER}/vdirsyncer/", user=USER)
    )
    command = [str(VDIRSYNCER), "-c", str(config)]
    subprocess.run([*command, "discover"], input="y\n", text=True, capture_output=True, check=True)
    return _timed([*command, "sync"]), _timed([*command, "sync"])


def _timed(command: list[str]) -> float:
    began = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {done.returncode}: {done.stderr}")
    return time.perf_counter() - began


def rows(folder: Path) -> list[Row]:
    cards = write_cards(folder / f"clients-{CLIENTS}.vcf", CLIENTS)
    progress(f"importing {CLIENTS:,} clients into a new Rapport database")
    path = rapport_database(folder, cards)
    with radicale_server(folder / "radicale") as server:
        server.address_book("vdirsyncer")
        server.address_book("rapport")
        progress("vdirsyncer: first sync, then an idle one")
        base_first, base_idle = vdirsyncer_syncs(folder, cards, server.url)
        progress("Rapport: first sync, then an idle one")
        first, idle, summary = rapport_syncs(path, server.url)
    ratio = first / base_first
    return [
        Row(f"first sync of {CLIENTS:,} clients ({summary})", f"{first:,.1f} s",
            f"{base_first:,.1f} s", ratio, f"<= {FIRST_RATIO}x", ratio <= FIRST_RATIO),
        Row("idle sync, nothing changed", f"{idle:,.2f} s", f"{base_idle:,.2f} s",
            idle / base_idle, f"< {IDLE_SECONDS:.0f} s", idle < IDLE_SECONDS),
    ]  # fmt: skip


NOTES = (
    "baseline: vdirsyncer 'sync' (a new process) between a folder of the same cards and an "
    "empty address book on the same Radicale",
    "Rapport: the address-book job in this process, over a database made by main.py import",
    "wall clock; Radicale runs on this machine with its default settings (fsync on)",
)


def main() -> None:
    report("Rapport benchmark, address-book sync (CardDAV)", "rapport-bench-sync-", rows, NOTES)


if __name__ == "__main__":
    main()
