"""Importing 10,000 vCards, a fifth with a photo, beside vobject alone parsing the same file.

    .venv/bin/python bench/import_vcards.py

Writes an iPhone-like vCard 3.0 file (name, organisation, two emails, two phones, an
address, a birthday, a note; every fifth card with a JPEG photo, base64 folded at 75
characters) and runs `main.py import` on it in a new process, into a new database: its
time and peak RSS. Baseline, in a process of its own on the same file: vobject's
readComponents parsing every card (what a vCard importer built on vobject does before
anything of its own), with its peak RSS.
"""

from __future__ import annotations

import base64
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script, `bench` and this checkout's modules import

from bench.import_csv import PEAK_MB, measure  # noqa: E402
from bench.run import Row, megabytes, progress, report  # noqa: E402

CARDS = 10_000
PHOTO_EVERY = 5  # a fifth of the cards
SECONDS = 10.0  # the target, in CPU time: the machine may be shared
PHOTO = ROOT / "assets" / "sample_photos" / "anna-berger.jpg"


def write_cards(path: Path, count: int) -> Path:
    photo = "\r\n ".join(textwrap.wrap(base64.b64encode(PHOTO.read_bytes()).decode(), 74))
    with path.open("w", encoding="utf-8", newline="") as out:
        for n in range(count):
            out.write(_card(n, photo if n % PHOTO_EVERY == 0 else ""))
    return path


def _card(n: int, photo: str) -> str:
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"N:Berger{n % 997};Anna{n};;;",
        f"FN:Anna{n} Berger{n % 997}",
        f"ORG:Studio {n % 50};",
        f"EMAIL;type=INTERNET;type=HOME;type=pref:anna{n}@example.org",
        f"EMAIL;type=INTERNET;type=WORK:anna.berger{n}@studio.example",
        f"TEL;type=CELL;type=VOICE;type=pref:+49 171 {n:07d}",
        f"TEL;type=HOME;type=VOICE:+49 89 {n:07d}",
        f"item1.ADR;type=HOME;type=pref:;;Hauptstraße {n % 200};München;;80331;Deutschland",
        "item1.X-ABADR:de",
        f"BDAY:1990-{n % 12 + 1:02d}-{n % 28 + 1:02d}",
        f"NOTE:Prefers mornings\\nshoot no. {n}\\, outdoors",
    ]
    if photo:
        lines.append(f"PHOTO;ENCODING=b;TYPE=JPEG:{photo}")
    lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"


def rows(folder: Path) -> list[Row]:
    path = write_cards(folder / f"contacts-{CARDS}.vcf", CARDS)
    progress(f"importing {CARDS:,} vCards ({path.stat().st_size / 1e6:,.1f} MB)")
    app = measure("rapport", path, str(folder / "rapport.sqlite"))
    base = measure("vobject", path, "-")
    if app["exit"] != 0:
        raise RuntimeError(f"the import of {CARDS:,} vCards exited {app['exit']}")
    per_card = app["cpu_seconds"] / CARDS * 1000
    return [
        Row(f"import {CARDS:,} vCards, a fifth with photos (main.py import), CPU",
            f"{app['cpu_seconds']:,.1f} s ({per_card:.2f} ms a card)",
            f"{base['cpu_seconds']:,.1f} s", app["cpu_seconds"] / base["cpu_seconds"],
            f"<= {SECONDS:.0f} s", app["cpu_seconds"] <= SECONDS),
        Row("the same, wall clock", f"{app['seconds']:,.1f} s", f"{base['seconds']:,.1f} s",
            app["seconds"] / base["seconds"], "(shared machine)", None),
        Row(f"peak RSS, {CARDS:,} vCards", megabytes(app["peak_rss_kib"]),
            megabytes(base["peak_rss_kib"]), app["peak_rss_kib"] / base["peak_rss_kib"],
            f"<= {PEAK_MB} MB", app["peak_rss_kib"] * 1024 <= PEAK_MB * 1e6),
    ]  # fmt: skip


NOTES = (
    "baseline: vobject.readComponents parsing every card of the same file, nothing written",
    "each figure is a new process; Rapport writes into a new database; the page cache is warm",
    "CPU: the process's user and system time for the work; the wall clock also counts the "
    "time other processes took the cores (see the load average)",
)


def main() -> None:
    report("Rapport benchmark, vCard import", "rapport-bench-vcard-", rows, NOTES)


if __name__ == "__main__":
    main()
