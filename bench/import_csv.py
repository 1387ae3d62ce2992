"""Importing a large CSV file, each figure beside a baseline measured in the same run.

    .venv/bin/python bench/import_csv.py [--quick]

Writes Google-Contacts-like CSV files (name, email, phone, birthday, a note over two
lines, labels) of 10,000, 50,000 and 1,000,000 rows, and runs `main.py import` on each
in a new process, into a new database: its time and peak RSS. The million-row file is
over the limit (models/importing/limits.py) and must be refused in words, fast and in
bounded memory. --quick leaves out the 50,000 rows.

Baselines, each in a process of its own on the same file: the least any importer does,
Python's csv module reading every row and raw sqlite3 inserting one row per person
(executemany, one transaction); for the refused file, the csv module reading every row.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script, `bench` and this checkout's modules import

from bench.run import Row, machine, megabytes, progress, table  # noqa: E402
from models.importing.limits import MAX_RECORDS  # noqa: E402

BENCH = Path(__file__).resolve().parent
HEADER = (
    "First Name,Last Name,Birthday,Notes,Labels,E-mail 1 - Label,E-mail 1 - Value,"
    "Phone 1 - Label,Phone 1 - Value\n"
)
PEOPLE_PER_SECOND = 1000  # the least a studio's import must write
PEAK_MB = 500  # the most any import may take, refused or not
REFUSED_SECONDS = 5.0


def write_csv(path: Path, count: int) -> Path:
    """`count` distinct people, the same for the same count, written a block at a time."""
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(HEADER)
        for start in range(0, count, 10_000):
            out.write("".join(_row(n) for n in range(start, min(count, start + 10_000))))
    return path


def _row(n: int) -> str:
    return (
        f"Anna{n},Berger{n % 997},1990-{n % 12 + 1:02d}-{n % 28 + 1:02d},"
        f'"Prefers mornings\nshoot no. {n}",* myContacts ::: VIP,Home,'
        f"anna{n}@example.org,Mobile,+49 171 {n:07d}\r\n"
    )


def measure(mode: str, file: Path, database: str) -> dict:
    """Run one measurement in a new process: its figures and its peak RSS in KiB."""
    done = subprocess.run(
        [sys.executable, str(BENCH / "import_child.py"), mode, str(file), database],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{mode} on {file.name} failed:\n{done.stderr}")
    return json.loads(done.stderr.strip().splitlines()[-1])


# --- The figures ----------------------------------------------------------------------------


def import_rows(folder: Path, count: int) -> list[Row]:
    path = write_csv(folder / f"contacts-{count}.csv", count)
    progress(f"importing {count:,} rows")
    app = measure("rapport", path, str(folder / f"rapport-{count}.sqlite"))
    base = measure("baseline", path, str(folder / f"baseline-{count}.sqlite"))
    if app["exit"] != 0:
        raise RuntimeError(f"the import of {count:,} rows exited {app['exit']}")
    rate = count / app["seconds"]
    return [
        Row(f"import {count:,} CSV rows (main.py import)",
            f"{app['seconds']:,.1f} s ({rate:,.0f}/s)", f"{base['seconds']:,.2f} s",
            app["seconds"] / base["seconds"], f">= {PEOPLE_PER_SECOND:,} people/s",
            rate >= PEOPLE_PER_SECOND),
        Row(f"peak RSS, {count:,} rows", megabytes(app["peak_rss_kib"]),
            megabytes(base["peak_rss_kib"]), app["peak_rss_kib"] / base["peak_rss_kib"],
            f"<= {PEAK_MB} MB", app["peak_rss_kib"] * 1024 <= PEAK_MB * 1e6),
    ]  # fmt: skip


def refused_rows(folder: Path, count: int) -> list[Row]:
    path = write_csv(folder / f"contacts-{count}.csv", count)
    progress(f"refusing {count:,} rows ({path.stat().st_size / 1e6:,.0f} MB)")
    app = measure("rapport", path, str(folder / "refused.sqlite"))
    base = measure("baseline", path, "-")
    refused = app["exit"] == 2 and not (folder / "refused.sqlite").exists()
    return [
        Row(f"refuse {count:,} CSV rows (main.py import)",
            f"{app['seconds']:,.2f} s" + ("" if refused else " NOT REFUSED"),
            f"{base['seconds']:,.2f} s", app["seconds"] / base["seconds"],
            f"refused, <= {REFUSED_SECONDS:.0f} s",
            refused and app["seconds"] <= REFUSED_SECONDS),
        Row(f"peak RSS, {count:,} rows refused", megabytes(app["peak_rss_kib"]),
            megabytes(base["peak_rss_kib"]), app["peak_rss_kib"] / base["peak_rss_kib"],
            f"<= {PEAK_MB} MB", app["peak_rss_kib"] * 1024 <= PEAK_MB * 1e6),
    ]  # fmt: skip


NOTES = (
    f"the limit: {MAX_RECORDS:,} records a file; above it the file is refused before it is "
    "read whole (its records counted a block at a time)",
    "baselines: the csv module reading every row, and raw sqlite3 writing one row per person "
    "(executemany, one transaction); for the refused file, the csv module reading every row",
    "each figure is a new process writing into a new database; the OS page cache is warm",
)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="leave out the 50,000 rows")
    args = parser.parse_args(argv)
    began = time.perf_counter()
    header = ["Rapport benchmark, CSV import" + (", quick run" if args.quick else ""), machine()]
    progress("\n".join(header))
    with tempfile.TemporaryDirectory(prefix="rapport-bench-import-") as folder:
        rows = []
        for count in (10_000,) if args.quick else (10_000, 50_000):
            rows += import_rows(Path(folder), count)
        rows += refused_rows(Path(folder), 1_000_000)
    print("\n".join(header))
    print()
    print(table(rows))
    print()
    print("\n".join([*NOTES, f"whole run: {time.perf_counter() - began:.0f} s"]))


if __name__ == "__main__":
    main()
