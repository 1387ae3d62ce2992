"""One measurement of bench/import_csv.py, in a process of its own so that its peak RSS
is its own: `import_child.py rapport|baseline FILE DATABASE`; the figures are printed as
JSON on stderr. Only what the measurement needs is imported.

rapport: `main.py import FILE --db DATABASE` as the command runs it (its report thrown
away). baseline: the csv module reading every row and, unless DATABASE is "-", raw
sqlite3 writing one row per person in one transaction. vobject: vobject parsing every
card of a vCard file (bench/import_vcards.py's baseline).
"""

from __future__ import annotations

import csv
import json
import sqlite3
import sys
import time
from contextlib import redirect_stdout
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.memory import peak_rss_kib  # noqa: E402


def rapport(file: Path, database: Path) -> dict:
    from cli import import_file

    started = time.perf_counter()
    with open("/dev/null", "w") as nowhere, redirect_stdout(nowhere):
        code = import_file(file, database, dry_run=False, merge=False)
    return {"seconds": time.perf_counter() - started, "exit": code}


def baseline(file: Path, database: Path) -> dict:
    started = time.perf_counter()
    with file.open(encoding="utf-8", newline="") as text:
        rows = csv.reader(text)
        next(rows)
        if str(database) == "-":
            count = sum(1 for _row in rows)
        else:
            connection = sqlite3.connect(database)
            connection.execute("PRAGMA journal_mode = wal")
            connection.execute("CREATE TABLE person (first, last, birthday, note, email, phone)")
            with connection:
                connection.executemany(
                    "INSERT INTO person VALUES (?, ?, ?, ?, ?, ?)",
                    ((r[0], r[1], r[2], r[3], r[6], r[8]) for r in rows),
                )
            count = connection.execute("SELECT count(*) FROM person").fetchone()[0]
            connection.close()
    return {"seconds": time.perf_counter() - started, "exit": 0, "rows": count}


def parsed_by_vobject(file: Path, _database: Path) -> dict:
    import vobject

    started = time.perf_counter()
    text = file.read_text(encoding="utf-8")
    count = sum(1 for _card in vobject.readComponents(text))
    return {"seconds": time.perf_counter() - started, "exit": 0, "cards": count}


MODES = {"rapport": rapport, "baseline": baseline, "vobject": parsed_by_vobject}


def main() -> None:
    mode, file, database = sys.argv[1:4]
    cpu = time.process_time()
    report = MODES[mode](Path(file), Path(database))
    # The machine may be shared: the CPU time says what the work itself took.
    report["cpu_seconds"] = time.process_time() - cpu
    report["peak_rss_kib"] = peak_rss_kib()
    print(json.dumps(report), file=sys.stderr)


if __name__ == "__main__":
    main()
