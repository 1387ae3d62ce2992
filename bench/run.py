"""Rapport's performance figures, each beside a baseline measured in the same run.

    .venv/bin/python bench/run.py [--size XL|S] [--quick]

Runs on a copy of bench/data/bench-<size>.sqlite (written by bench/make_bench_database.py if
missing; the original is never opened), and prints one table: the figure, what Rapport
takes, the baseline, their ratio, the target and whether it is met. --quick uses the S
studio and fewer repetitions, for a smoke run.

1. search as you type, over 200 prefixes typed as a user types them: the first page on
   screen (the client list holds its rows and why each matched: a page found by looking
   the clients up in the order of names, or, where that does not pay, the whole search's
   first), and the whole result; baseline: the SQL find_clients ran, again in raw sqlite3.
2. opening the client with 2,000 history items: the whole page (header, sums, health,
   the quarter chart, every tab); baseline: the history rows alone in raw sqlite3.
3. a cold start to the first painted window (bench/first_paint.py), in a new process;
   baseline: a bare QMainWindow (bench/bare_window.py).
4. every reminder of the next 7 days; baseline: raw sqlite3 reading the rows they need.
5. the peak RSS of the process of figure 3, beside the bare window's.
6. a Studio refresh (every figure it shows); baseline: the SQL it ran, again in raw sqlite3.
7. health's value ranks after a change to one client; baseline: a pass over every paid
   interaction, as they were read after every change before.
8. the first open of a database from before the search index: until the window can be
   used; baseline: building the index, which the window waited for before (now a worker
   builds it, in chunks, while the window is used).
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import os
import platform
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from datetime import time as clock
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script, `bench` and this checkout's modules import

import PySide6  # noqa: E402
from peewee import SqliteDatabase  # noqa: E402
from PySide6.QtCore import qVersion  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from bench.make_bench_database import DATA, SEED, SIZES, history_client_id, make_bench_database  # noqa: E402
from bench.paint_probe import PAINTED  # noqa: E402
from models.clients.finder import (  # noqa: E402
    ClientFilter,
    client_rows,
    find_clients,
    find_first_clients,
    why_matched,
)
from models.clients.photos import photo_versions  # noqa: E402
from models.insight.health import ValueRanks, healths, updated_ranks, value_ranks  # noqa: E402
from models.insight.studio import overview  # noqa: E402
from models.reminders.store import (  # noqa: E402
    collect_reminders,
    forget_kept_reminders,
    reconcile,
    reminder_window,
)
from models.store.entities import Client  # noqa: E402
from models.store.fields import stored_local_day  # noqa: E402
from models.store.migrations import open_database  # noqa: E402
from models.store.search_index import TABLE as SEARCH_TABLE  # noqa: E402
from models.store.search_index import (  # noqa: E402
    rebuild_search_index,
    search_index_building,
    search_index_untidy,
    tidy_search_index,
)
from models.store.settings import reminder_time  # noqa: E402
from models.values.folding import fold  # noqa: E402
from ui.client_list_model import ClientListModel  # noqa: E402
from ui.client_page import ClientPage  # noqa: E402

BENCH = Path(__file__).resolve().parent
# The studio's "now" (bench/make_bench_database.py REFERENCE is noon the same day).
NOW = datetime(2026, 11, 24, 10, tzinfo=UTC)
ZONE = ZoneInfo("Europe/Berlin")
TODAY = NOW.astimezone(ZONE).date()
REMINDER_AT = clock(9)
PAGE = ClientListModel.PAGE_SIZE  # the client list reads its rows a page at a time


@dataclass(frozen=True)
class Plan:
    """How many times each figure is measured."""

    prefixes: int = 200
    history_runs: int = 20
    reminder_runs: int = 11  # a VM whose speed swings by a fifth: a median of more looks
    starts: int = 5


FULL = Plan()
QUICK = Plan(prefixes=60, history_runs=5, reminder_runs=3, starts=2)

# Of the prefixes, how many come from each source; the rest are two-word searches.
PREFIX_SHARES = {"first name": 0.25, "last name": 0.25, "note": 0.175, "history": 0.175}
TWO_WORD_LETTERS = 3  # "anna m", "anna mü", "anna mül"


@dataclass(frozen=True)
class Row:
    """One line of the table."""

    figure: str
    measured: str
    baseline: str
    ratio: float | None
    target: str
    met: bool | None  # None: for information, no target


def progress(message: str) -> None:
    # On stderr, so that stdout is the table alone.
    print(message, file=sys.stderr, flush=True)


# --- Machine and data ----------------------------------------------------------------------


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def memory_gib() -> str:
    try:
        total_kib = int(Path("/proc/meminfo").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        return "?"
    return f"{total_kib / 2**20:.1f}"


def machine() -> str:
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else "?"
    return (
        f"machine: {cpu_model()}, {os.cpu_count()} cores ({usable} usable), "
        f"{memory_gib()} GiB RAM; {platform.system()} {platform.release()}; load average "
        f"{os.getloadavg()[0]:.1f} at the start (other processes share the cores)\n"
        f"software: Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"PySide6 {PySide6.__version__} (Qt {qVersion()})"
    )


def bench_copy(size: str, folder: Path, source: Path | None = None) -> Path:
    """A copy of the size's bench database (or of `source`) to measure on: the app writes
    (reminder states)."""
    source = source or DATA / f"bench-{size}.sqlite"
    if not source.exists():
        progress(f"{source} is missing: writing it (XL takes a while)")
        make_bench_database(source, size)
    copy = folder / source.name
    # A WAL file beside the original holds committed rows the copy must have too.
    for suffix in ("", "-wal"):
        if Path(f"{source}{suffix}").exists():
            shutil.copyfile(f"{source}{suffix}", f"{copy}{suffix}")
    return copy


def counts(conn: sqlite3.Connection) -> str:
    clients = conn.execute("SELECT count(*) FROM client").fetchone()[0]
    items = conn.execute("SELECT count(*) FROM interaction").fetchone()[0]
    return f"{clients:,} clients, {items:,} history items"


# --- Timing --------------------------------------------------------------------------------


def timed(action: Callable[[], object]) -> float:
    """Seconds `action` takes. Garbage is collected before, not during: the app turns
    automatic collection off and collects on a timer (ui/garbage_collection.py)."""
    gc.collect()
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def repeated(
    action: Callable[[], object], runs: int, before_each: Callable[[], object] = lambda: None
) -> list[float]:
    """Times of `runs` runs after one untimed run (which fills SQLite's and Python's caches),
    `before_each` run before each, untimed."""
    action()
    times = []
    for _ in range(runs):
        before_each()
        times.append(timed(action))
    return times


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def megabytes(kib: int) -> str:
    return f"{kib * 1024 / 1e6:,.0f} MB"


# --- 1. Search as you type -----------------------------------------------------------------

_LETTERS = re.compile(r"[^\W\d_]+")


def _words(texts: Iterator[str], shortest: int = 1) -> list[str]:
    """The distinct words of `texts`, sorted, so that a seeded draw picks the same ones."""
    return sorted({w for text in texts for w in _LETTERS.findall(text) if len(w) >= shortest})


def _column(conn: sqlite3.Connection, sql: str) -> Iterator[str]:
    return (text for (text,) in conn.execute(sql))


def _sample(table: str, column: str, conn: sqlite3.Connection, rows: int = 3000) -> str:
    """A query for about `rows` evenly spread values: reading a million is not needed."""
    total = conn.execute(f"SELECT max(id) FROM {table}").fetchone()[0] or 1
    return f"SELECT {column} FROM {table} WHERE id % {max(1, total // rows)} = 0"


def word_sources(conn: sqlite3.Connection) -> dict[str, list[str]]:
    """Words a user looks for, by where they come from in the studio."""
    return {
        "first name": _words(_column(conn, "SELECT DISTINCT first_name FROM client")),
        "last name": _words(_column(conn, "SELECT DISTINCT last_name FROM client")),
        # Words of three letters or more: nobody searches for "at" on purpose.
        "note": _words(_column(conn, _sample("note", "text", conn)), shortest=3),
        "history": _words(
            _column(conn, _sample("interaction", "summary || ' ' || body", conn)), shortest=3
        ),
    }


def as_typed(word: str, accented_as_is: bool) -> str:
    """Lower case, as people type a search; a word with accents either with them
    ('jürgen') or without ('jurgen'), both of which must find Jürgen."""
    return word.lower() if accented_as_is else fold(word)


def keystrokes(word: str) -> list[str]:
    """The searches typing `word` makes: one per letter, up to six letters."""
    return [word[:length] for length in range(1, min(len(word), 6) + 1)]


def _typed_words(rng: random.Random, words: list[str], wanted: int) -> list[str]:
    prefixes: list[str] = []
    accented_as_is = True
    while len(prefixes) < wanted:
        word = rng.choice(words)
        if fold(word) != word.lower():  # alternate the two ways of typing accents
            accented_as_is = not accented_as_is
        prefixes += keystrokes(as_typed(word, accented_as_is))
    return prefixes[:wanted]


def _two_word(rng: random.Random, conn: sqlite3.Connection, wanted: int) -> list[str]:
    """'anna m', 'anna mü', ...: a first name, then the start of a real client's last name."""
    names = conn.execute(
        "SELECT first_name, last_name FROM client WHERE last_name <> '' ORDER BY id"
    ).fetchall()
    prefixes: list[str] = []
    while len(prefixes) < wanted:
        first, last = rng.choice(names)
        last_word = as_typed(_LETTERS.findall(last)[0], rng.random() < 0.5)
        typed = keystrokes(last_word)[:TWO_WORD_LETTERS]
        prefixes += [f"{first.lower()} {start}" for start in typed]
    return prefixes[:wanted]


def search_prefixes(conn: sqlite3.Connection, count: int) -> list[str]:
    """`count` searches, the same for the same studio: each word typed letter by letter,
    as the list searches at each keystroke (so one in five or so is a single letter)."""
    rng = random.Random(SEED)
    sources = word_sources(conn)
    prefixes = []
    for source, share in PREFIX_SHARES.items():
        prefixes += _typed_words(rng, sources[source], round(count * share))
    return prefixes + _two_word(rng, conn, count - len(prefixes))


@dataclass(frozen=True)
class Keystroke:
    """Seconds from a keystroke until the list holds its first page, and its whole
    result; and where the time went."""

    first_page: float
    first_row: float
    whole: float
    parts: tuple[float, float, float]  # find, read the rows, say why they matched
    first_page_cpu: float  # the process's CPU time until the first page: what load hides


def page_read(ids: list[int], after_first: list[int], prefix: str, ranks: ValueRanks) -> float:
    """What the list does to paint a page: its rows (as ClientListModel._read_page) and why
    the rows past those found first matched (as ClientListModel._reason)."""
    started = time.perf_counter()
    client_rows(ids)
    healths(ids, ranks, NOW)
    photo_versions(ids)
    read = time.perf_counter()
    if after_first:
        why_matched(after_first, prefix)
    return read - started, time.perf_counter() - read


def keystroke(prefix: str, ranks: ValueRanks) -> Keystroke:
    """What the client list does for one keystroke, its worker's two steps one after
    the other: the first clients (found by name) and their page, then every client."""
    criteria = ClientFilter(text=prefix)
    started, cpu_started = time.perf_counter(), time.process_time()
    first = find_first_clients(criteria, TODAY, PAGE)
    found_first = time.perf_counter() - started
    read, why = page_read(first.ids, first.ids[first.by_name :], prefix, ranks)
    first_page = first_row = time.perf_counter() - started
    first_page_cpu = time.process_time() - cpu_started
    whole = find_clients(criteria, TODAY)
    whole_at = time.perf_counter() - started
    found = found_first + whole_at - first_page
    if len(first.ids) < min(PAGE, len(whole)):  # the page is full once the rest is in
        more_read, more_why = page_read(whole[:PAGE], whole[len(first.ids) : PAGE], prefix, ranks)
        read, why = read + more_read, why + more_why
        first_page = time.perf_counter() - started
        first_page_cpu = time.process_time() - cpu_started
        first_row = first_row if first.ids else first_page
    return Keystroke(first_page, first_row, whole_at, (found, read, why), first_page_cpu)


Statement = tuple[str, tuple]


@contextmanager
def recorded(database: SqliteDatabase) -> Iterator[list[Statement]]:
    """The SQL, with its parameters, that peewee runs on `database` meanwhile."""
    statements: list[Statement] = []
    run = database.execute_sql

    def recording(sql, params=None, *args, **kwargs):
        statements.append((sql, tuple(params or ())))
        return run(sql, params, *args, **kwargs)

    database.execute_sql = recording  # on the instance: peewee looks it up there
    try:
        yield statements
    finally:
        del database.execute_sql


def search_sql(database: SqliteDatabase, prefix: str) -> list[Statement]:
    """The statements find_clients runs for `prefix` (for words of two letters or more:
    the FTS5 query of matching_clients_sql, ordered by sort_name, all ids).

    Recorded from the app rather than rebuilt here, so that the baseline stays the same
    query as find_clients changes (a one-letter word became a name's initial, not an
    FTS5 prefix)."""
    with recorded(database) as statements:
        find_clients(ClientFilter(text=prefix), TODAY)
    return statements


def raw_run(conn: sqlite3.Connection, statements: list[Statement]) -> None:
    for sql, params in statements:
        conn.execute(sql, params).fetchall()


@dataclass
class SearchTimes:
    prefixes: list[str]
    app: list[float]  # first page on screen
    first_row: list[float]  # the first row on screen
    whole: list[float]  # the whole result in the list
    parts: list[tuple[float, float, float]]  # find, rows, why
    raw: list[float]
    app_cpu: list[float]  # first page on screen, the process's CPU time


def tidied(database: SqliteDatabase) -> str:
    """The search index as the window's worker leaves it at the first start (its segments
    merged into one, models/store/search_index.MOST_SEGMENTS): a note of what it took."""
    if not search_index_untidy():
        return "search index: in few enough segments already"
    took = timed(lambda: tidy_search_index(database))
    return f"search index: merged into one segment first, as the window's worker does ({ms(took)})"


def measure_search(
    database: SqliteDatabase, conn: sqlite3.Connection, prefixes: list[str]
) -> SearchTimes:
    times = SearchTimes(prefixes, [], [], [], [], [], [])
    ranks = value_ranks()  # as the list holds them
    for number, prefix in enumerate(prefixes):
        # An untimed run of each first: the app's run records its SQL, and both connections
        # then start from equally warm caches.
        replay = partial(raw_run, conn, search_sql(database, prefix))
        replay()
        # Which of the two runs first alternates: the second may find pages cached.
        if number % 2:
            times.raw.append(timed(replay))
        gc.collect()
        typed = keystroke(prefix, ranks)
        times.parts.append(typed.parts)
        times.app.append(typed.first_page)
        times.app_cpu.append(typed.first_page_cpu)
        times.first_row.append(typed.first_row)
        times.whole.append(typed.whole)
        if not number % 2:
            times.raw.append(timed(replay))
    return times


def shortest_word(prefix: str) -> int:
    return min(len(word) for word in prefix.split())


def search_rows(times: SearchTimes) -> list[Row]:
    count = len(times.prefixes)
    p50, p95 = percentile(times.app, 0.5), percentile(times.app, 0.95)
    raw50, raw95 = percentile(times.raw, 0.5), percentile(times.raw, 0.95)
    whole50, whole95 = percentile(times.whole, 0.5), percentile(times.whole, 0.95)
    two = [i for i, prefix in enumerate(times.prefixes) if shortest_word(prefix) == 2]
    two_app = max(times.first_row[i] for i in two)
    two_raw = max(times.raw[i] for i in two)
    return [
        Row(
            f"1 search first page p50 ({count} prefixes)", ms(p50), ms(raw50), p50 / raw50, "", None
        ),
        Row(
            f"1 search first page p95 ({count} prefixes)",
            ms(p95),
            ms(raw95),
            p95 / raw95,
            "<= 16 ms",
            p95 <= 0.016,
        ),
        Row(
            "1 search first page p50 / p95, CPU time",
            f"{ms(percentile(times.app_cpu, 0.5))} / {ms(percentile(times.app_cpu, 0.95))}",
            "",
            None,
            "",
            None,
        ),
        Row(
            "1 search first row p95",
            ms(percentile(times.first_row, 0.95)),
            ms(raw95),
            percentile(times.first_row, 0.95) / raw95,
            "",
            None,
        ),
        Row(
            f"1 search first row, slowest 2-letter ({len(two)})",
            ms(two_app),
            ms(two_raw),
            two_app / two_raw,
            "< 150 ms",
            two_app < 0.150,
        ),
        Row("1 search whole result p50", ms(whole50), ms(raw50), whole50 / raw50, "", None),
        Row(
            "1 search whole result p95",
            ms(whole95),
            ms(raw95),
            whole95 / raw95,
            "<= 3x raw",
            whole95 <= 3 * raw95,
        ),
    ]


def search_notes(times: SearchTimes) -> list[str]:
    """Where a keystroke's time goes, and how it grows as the typed word gets shorter."""
    lines = ["search, first page p50 / p95 by the length of the shortest word typed (app | raw):"]
    for length in range(1, 7):
        chosen = [i for i, p in enumerate(times.prefixes) if min(shortest_word(p), 6) == length]
        if chosen:
            app = [times.app[i] for i in chosen]
            raw = [times.raw[i] for i in chosen]
            lines.append(
                f"  {length}{'+' if length == 6 else ''} letter{'s' if length > 1 else ''}".ljust(
                    12
                )
                + f"{len(chosen):3} searches: "
                f"{ms(percentile(app, 0.5)):>10} / {ms(percentile(app, 0.95)):>10}  |  "
                f"{ms(percentile(raw, 0.5)):>10} / {ms(percentile(raw, 0.95)):>10}"
            )
    total = sum(sum(part) for part in times.parts)
    shares = [sum(part[k] for part in times.parts) / total for k in range(3)]
    lines.append(
        "search, share of all keystroke time: finding (first and whole) {:.0%}, the page's "
        "rows {:.0%}, why they matched {:.0%}".format(*shares)
    )
    for name, values in (
        ("first page", times.app),
        ("first row", times.first_row),
        ("whole result", times.whole),
    ):
        slowest = sorted(range(len(values)), key=values.__getitem__)[-5:][::-1]
        lines.append(
            f"search, slowest {name}: "
            + ", ".join(f"{times.prefixes[i]!r} {ms(values[i])}" for i in slowest)
        )
    return lines


# --- 2. Opening a client with a long history -----------------------------------------------


def open_client_rows(conn: sqlite3.Connection, runs: int) -> list[Row]:
    """The target's figure: the page's contents made; and for information the page laid
    out and painted as well, shown at 1100x760 (the table's columns sized to its rows)."""
    client_id = history_client_id()
    page = ClientPage(today=lambda: NOW.date(), now=lambda: NOW)  # one page, as the window's

    def open_client() -> None:
        # Everything the page shows: header, sums, health, the quarters, every tab.
        page.show_client(Client.get_by_id(client_id))

    def open_and_paint() -> None:
        open_client()
        page.repaint()  # laid out and painted now, not at the next turn of the event loop

    sql = "SELECT * FROM interaction WHERE client_id = ? ORDER BY occurred_at DESC"
    app = statistics.median(repeated(open_client, runs))
    raw = statistics.median(repeated(lambda: conn.execute(sql, (client_id,)).fetchall(), runs))
    page.resize(1100, 760)
    page.show()
    QTest.qWaitForWindowExposed(page)  # else repaint() has nothing to paint on
    painted = statistics.median(repeated(open_and_paint, runs))
    page.hide()
    items = page.history.rowCount()
    return [
        Row(f"2 open client, {items:,} history items", ms(app), ms(raw), app / raw,
            "<= 50 ms", app <= 0.050),
        Row("2 open client, laid out and painted", ms(painted), ms(raw), painted / raw,
            "(info)", None),
    ]  # fmt: skip


# --- 4. Reminders --------------------------------------------------------------------------

RAW_REMINDER_ROWS = (
    "SELECT * FROM important_date",
    "SELECT client_id, MAX(occurred_at) FROM interaction GROUP BY client_id",
)


def reminders_rows(conn: sqlite3.Connection, runs: int) -> tuple[list[Row], list]:
    """Figure 4 as the app meets it: each look reads every row again, but builds only the
    reminders of rows changed since the last look (models/reminders/row_memo.py). Before
    each timed look a client with a date and a check-in in the window is renamed, outside
    the time; so a look here is the app's look after an edit. The first look of a day (or
    after the start) builds every row: timed apart, with nothing kept."""
    window = reminder_window(NOW, ZONE, REMINDER_AT)
    found: list = []

    def collect() -> None:
        found[:] = collect_reminders(window)

    def read_raw() -> None:
        for sql in RAW_REMINDER_ROWS:
            conn.execute(sql).fetchall()

    rename = renaming(collect_reminders(window))
    after_change = statistics.median(repeated(collect, runs, before_each=rename))
    first = statistics.median(repeated(collect, runs, before_each=forget_kept_reminders))
    raw = statistics.median(repeated(read_raw, runs))
    rows = [
        Row("4 reminders, next 7 days, after an edit", ms(after_change), ms(raw),
            after_change / raw, "<= 100 ms", after_change <= 0.100),
        Row("4 reminders, next 7 days, first look of a day", ms(first), ms(raw), first / raw,
            "<= 100 ms", first <= 0.100),
    ]  # fmt: skip
    return rows, found


def renaming(reminders: list) -> Callable[[], None]:
    """An edit of a client who has both a date and a check-in among `reminders`: the
    first name, another at each call."""
    kinds: dict[int, set[str]] = {}
    for reminder in reminders:
        kinds.setdefault(reminder.client_id, set()).add(reminder.kind)
    client_id = min(c for c, seen in kinds.items() if {"date", "check_in"} <= seen)
    first_name = Client.get_by_id(client_id).first_name
    names = itertools.cycle([f"{first_name}a", first_name])

    def rename() -> None:
        Client.update(first_name=next(names)).where(Client.id == client_id).execute()

    return rename


def ready_made_read(conn: sqlite3.Connection, reminders: list, runs: int) -> float:
    """Seconds raw sqlite3 takes to read `reminders` back, every field, from a table that
    holds exactly them, ready-made: what any stored window of reminders would cost at the
    least, before a single Python object is built of it."""
    names = list(reminders[0]._fields)
    conn.execute(f"CREATE TEMP TABLE ready_reminder ({', '.join(names)})")
    conn.executemany(
        f"INSERT INTO ready_reminder VALUES ({', '.join('?' * len(names))})",
        ([str(getattr(each, name)) for name in names] for each in reminders),
    )
    try:
        read = "SELECT * FROM ready_reminder"
        return statistics.median(repeated(lambda: conn.execute(read).fetchall(), runs))
    finally:
        conn.execute("DROP TABLE temp.ready_reminder")


def reminders_note(conn: sqlite3.Connection, reminders: list, runs: int) -> str:
    return (
        f"reminders: {len(reminders):,} found; raw sqlite3 reading them back ready-made from "
        f"a table of them alone takes {ms(ready_made_read(conn, reminders, runs))}, no object built"
    )


# --- 6. Studio refresh ----------------------------------------------------------------------


def studio_row(database: SqliteDatabase, conn: sqlite3.Connection, runs: int) -> Row:
    refresh = partial(overview, TODAY, ZONE)
    with recorded(database) as statements:
        refresh()
    app = statistics.median(repeated(refresh, runs))
    raw = statistics.median(repeated(partial(raw_run, conn, statements), runs))
    return Row("6 Studio refresh", ms(app), ms(raw), app / raw, "<= 300 ms", app <= 0.300)


# --- 7. Health's value ranks after a change -------------------------------------------------


def ranks_row(runs: int) -> Row:
    """The ranks updated for one paying client (the one with the longest history), beside
    a pass over every paid interaction; both must give the same ranks."""
    whole = value_ranks()
    client = history_client_id()
    updated = updated_ranks(whole, [client])
    if (updated.currency, updated.cents) != (whole.currency, whole.cents):
        raise RuntimeError("the updated ranks differ from the ranks read anew")
    app = statistics.median(repeated(lambda: updated_ranks(whole, [client]), runs))
    raw = statistics.median(repeated(value_ranks, runs))
    return Row("7 value ranks after a change", ms(app), ms(raw), app / raw,
               "<= 0.1x", app <= 0.1 * raw)  # fmt: skip


# --- 8. First open of a database from before the search index -------------------------------


def without_search_index(copy: Path, folder: Path) -> Path:
    """A copy of the bench database as an older Rapport left it: no search index."""
    older = folder / "before-the-index.sqlite"
    shutil.copyfile(copy, older)
    conn = sqlite3.connect(older)
    with conn:
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE ?",
            (f"{SEARCH_TABLE}%",),
        ).fetchall():
            conn.execute(f"DROP TRIGGER {name}")
        conn.execute(f"DROP TABLE {SEARCH_TABLE}")
    conn.close()
    return older


def first_open_row(copy: Path, folder: Path) -> tuple[Row, str]:
    older = without_search_index(copy, folder)
    started = time.perf_counter()
    database = open_database(older, build_index_later=True)
    usable = time.perf_counter() - started
    chunks: list[float] = []

    def progress(done: int, total: int) -> None:
        chunks.append(time.perf_counter())

    try:
        building = search_index_building()
        started = time.perf_counter()
        rebuild_search_index(database, progress)
        built = time.perf_counter() - started
        rows = database.execute_sql(f"SELECT count(*) FROM {SEARCH_TABLE}").fetchone()[0]
    finally:
        database.close()
        older.unlink()
    longest = max(b - a for a, b in zip([started, *chunks], chunks, strict=False))
    row = Row("8 first open before the search index", ms(usable), ms(built), usable / built,
              "window at once", building and usable <= 1.0)  # fmt: skip
    note = (
        f"first open before the search index: the window usable after {ms(usable)}; a worker "
        f"then built the index ({rows:,} rows) in {built:.1f} s, in {len(chunks)} chunks, "
        f"the longest {ms(longest)} (the most a write waits meanwhile)"
    )
    return row, note


# --- 3 and 5. Cold start and memory, in new processes --------------------------------------


@dataclass
class Start:
    seconds: float  # from spawn to the first paint, measured here
    peak_rss_kib: int  # at the first paint
    peak_rss_kib_at_end: int  # as the process ends (with the window's contents)
    phases: dict[str, float]  # measured in the process, up to the first paint
    after_paint: dict[str, float]  # measured in the process, after it (Rapport only)

    @property
    def to_contents(self) -> float:
        """Seconds from spawn to the window's contents painted."""
        return self.seconds + sum(self.after_paint.values())


def child_environment() -> tuple[dict[str, str], str]:
    """The environment of the started processes, and a line that says which display."""
    env = dict(os.environ)
    if env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        where = env.get("WAYLAND_DISPLAY") or env["DISPLAY"]
        return env, f"display: {where} (the current one)"
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env, "display: none (DISPLAY unset): started processes use QT_QPA_PLATFORM=offscreen"


def start(script: str, args: list[str], env: dict[str, str]) -> Start:
    """Start `script` and time it from spawn to its first paint (the line it writes then)."""
    started = time.perf_counter()
    # stderr to a file, and stdout read through its own buffer to the end: readline() may
    # have read the report too, which communicate() (reading the pipe itself) would lose.
    with (
        tempfile.TemporaryFile("w+") as errors,
        subprocess.Popen(
            [sys.executable, str(BENCH / script), *args],
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
            env=env,
        ) as child,
    ):
        watchdog = threading.Timer(600, child.kill)  # a start that hangs (a dialog) ends
        watchdog.start()
        painted = child.stdout.readline()
        seconds = time.perf_counter() - started
        rest = child.stdout.read()
        child.wait()
        watchdog.cancel()
        errors.seek(0)
        said = errors.read()
    if child.returncode != 0 or painted.strip() != PAINTED:
        raise RuntimeError(f"{script} failed ({child.returncode}):\n{painted}{rest}{said}")
    report = json.loads(rest.strip().splitlines()[-1])
    return Start(
        seconds,
        report["peak_rss_kib"],
        report["peak_rss_kib_at_end"],
        report["phases"],
        report["after_first_paint"],
    )


def measure_starts(database: Path, runs: int) -> tuple[list[Start], list[Start]]:
    """(Rapport, bare) starts, taken in turns so that both see the same machine state,
    after one untimed start of each (which reads the libraries into the page cache)."""
    env, _ = child_environment()
    env["TMPDIR"] = str(database.parent)  # first_paint.py's folders go with the run's
    app: list[Start] = []
    bare: list[Start] = []
    for number in range(runs + 1):
        progress(f"  start {number}/{runs}" + (" (untimed)" if number == 0 else ""))
        pair = start("bare_window.py", [], env), start("first_paint.py", [str(database)], env)
        if number:
            bare.append(pair[0])
            app.append(pair[1])
    return app, bare


def start_rows(app: list[Start], bare: list[Start]) -> list[Row]:
    app_s = statistics.median(s.seconds for s in app)
    bare_s = statistics.median(s.seconds for s in bare)
    app_kib = max(s.peak_rss_kib for s in app)
    bare_kib = max(s.peak_rss_kib for s in bare)
    contents_s = statistics.median(s.to_contents for s in app)
    end_kib = max(s.peak_rss_kib_at_end for s in app)
    return [
        Row(f"3 cold start to first paint ({len(app)} runs)", ms(app_s), ms(bare_s),
            app_s / bare_s, "<= 1.5x bare", app_s <= 1.5 * bare_s),
        Row("3 cold start to the window's contents painted", ms(contents_s), ms(bare_s),
            contents_s / bare_s, "(info)", None),
        Row("5 peak RSS at first paint", megabytes(app_kib), megabytes(bare_kib),
            app_kib / bare_kib, "<= 250 MB", app_kib * 1024 <= 250e6),
        Row("5 peak RSS with the window's contents", megabytes(end_kib), megabytes(bare_kib),
            end_kib / bare_kib, "(info)", None),
    ]  # fmt: skip


def start_notes(app: list[Start]) -> list[str]:
    """Where Rapport's start goes: the median of each phase first_paint.py marks."""
    phases = {name: statistics.median(s.phases[name] for s in app) for name in app[0].phases}
    total = statistics.median(s.seconds for s in app)
    rest = total - sum(phases.values())
    parts = ", ".join(f"{name} {ms(seconds)}" for name, seconds in phases.items())
    after = {
        name: statistics.median(s.after_paint[name] for s in app) for name in app[0].after_paint
    }
    then = ", ".join(f"{name} {ms(seconds)}" for name, seconds in after.items())
    return [
        f"cold start phases (median): python start-up {ms(rest)}, {parts}",
        f"after the first paint (median): {then}",
    ]


def settle_reminders() -> float:
    """Record the reminders due at NOW as notified, as the first start on this copy would:
    each timed start then finds the same reminders, none of them new."""
    # starting=False only skips splitting what is due into 'missed' and 'due now', which
    # the starts measured do not do either (nothing is new to them).
    return timed(lambda: reconcile(NOW, ZONE, reminder_time(), starting=False))


# --- The table -----------------------------------------------------------------------------

HEADERS = ("figure", "measured", "baseline", "ratio", "target", "met")


def _cells(row: Row) -> tuple[str, ...]:
    ratio = "" if row.ratio is None else f"{row.ratio:,.2f}x"
    met = {True: "met", False: "NOT MET", None: ""}[row.met]
    return row.figure, row.measured, row.baseline, ratio, row.target or "(info)", met


def table(rows: list[Row]) -> str:
    cells = [HEADERS, *map(_cells, rows)]
    widths = [max(len(line[k]) for line in cells) for k in range(len(HEADERS))]
    right = (1, 2, 3)  # numbers line up on the right

    def line(values: tuple[str, ...]) -> str:
        padded = (
            value.rjust(width) if k in right else value.ljust(width)
            for k, (value, width) in enumerate(zip(values, widths, strict=True))
        )
        return "  ".join(padded).rstrip()

    lines = [line(values) for values in cells]
    lines.insert(1, "-" * max(map(len, lines)))
    return "\n".join(lines)


def report(title: str, folder_prefix: str, rows, notes: tuple[str, ...]) -> None:
    """A small bench's run: its rows measured in a temporary folder (`rows(folder)`), then
    printed as a table with the machine, the notes and the load average."""
    began = time.perf_counter()
    header = [title, machine()]
    progress("\n".join(header))
    with tempfile.TemporaryDirectory(prefix=folder_prefix) as folder:
        found = rows(Path(folder))
    print("\n".join(header))
    print()
    print(table(found))
    print()
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    print("\n".join([*notes, f"load average at the end: {load} ({os.cpu_count()} cores)"]))
    print(f"whole run: {time.perf_counter() - began:.0f} s")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=SIZES, help="default: XL, or S with --quick")
    parser.add_argument("--quick", action="store_true", help="S bench database, fewer repetitions")
    parser.add_argument("--database", type=Path, help="measure a copy of this bench database")
    parser.add_argument("--search-only", action="store_true", help="figure 1 alone")
    parser.add_argument("--studio-only", action="store_true", help="figure 6 alone, with CPU")
    args = parser.parse_args(argv)
    args.size = args.size or ("S" if args.quick else "XL")
    return args


@dataclass
class InProcess:
    """Figures 1, 2, 4, 6 and 7, measured in this process, and notes on them."""

    search: list[Row]
    opened: list[Row]
    reminders: list[Row]
    studio: Row
    ranks: Row
    notes: list[str]


def measure_in_process(copy: Path, raw: sqlite3.Connection, plan: Plan) -> InProcess:
    database = open_database(copy)
    gc.disable()  # as in the app; `timed` collects before each run
    try:
        progress(f"1 search: {plan.prefixes} prefixes")
        index_note = tidied(database)
        searches = measure_search(database, raw, search_prefixes(raw, plan.prefixes))
        progress("2 open client")
        opened = open_client_rows(raw, plan.history_runs)
        progress("4 reminders")
        reminders, found = reminders_rows(raw, plan.reminder_runs)
        ready_made = reminders_note(raw, found, plan.reminder_runs)
        progress("6 Studio")
        studio = studio_row(database, raw, plan.reminder_runs)
        progress("7 value ranks")
        ranks = ranks_row(plan.reminder_runs)
        settled = settle_reminders()
    finally:
        gc.enable()
        database.close()
    notes = [
        index_note,
        *search_notes(searches),
        ready_made,
        f"reminders: recording those due as notified before the starts took {ms(settled)}",
    ]
    return InProcess(search_rows(searches), opened, reminders, studio, ranks, notes)


BASELINES = (
    "baselines: 1 the SQL find_clients ran, recorded and run again in raw sqlite3 (stdlib, "
    "own connection; the FTS5 query of matching_clients_sql for words of 2+ letters); 2 SELECT * "
    "of the client's interactions; 3, 5 a bare QMainWindow; 4 SELECT * FROM important_date "
    "and each client's last interaction; 6 the Studio's SQL in raw sqlite3; 7 a pass over every "
    "paid interaction; 8 building the search index",
    "figures 1, 2, 4 run in this process: Qt on the offscreen platform, automatic garbage "
    "collection off as in the app (collected before each timed run)",
    "search: each prefix is timed on its second run, the first recording the SQL and "
    "warming both connections alike",
    "cold starts: a new process each, the OS page cache warm (Rapport and bare take turns)",
)


def search_only(copy: Path, raw: sqlite3.Connection, plan: Plan, header: list[str]) -> None:
    database = open_database(copy)
    gc.disable()
    try:
        index_note = tidied(database)
        searches = measure_search(database, raw, search_prefixes(raw, plan.prefixes))
    finally:
        gc.enable()
        database.close()
    notes = [index_note, *search_notes(searches)]
    print("\n".join([*header, "", table(search_rows(searches)), "", *notes]))


def studio_only(copy: Path, raw: sqlite3.Connection, plan: Plan, header: list[str]) -> None:
    """Figure 6, and the CPU time of a refresh: on a busy machine the wall clock also
    counts the waits for a core."""
    database = open_database(copy)
    gc.disable()
    try:
        row = studio_row(database, raw, plan.reminder_runs)
        refresh = partial(overview, TODAY, ZONE)
        cpu = statistics.median(process_time_of(refresh) for _ in range(plan.reminder_runs))
    finally:
        gc.enable()
        database.close()
    note = f"Studio refresh: {ms(cpu)} of CPU time (median of {plan.reminder_runs})"
    print("\n".join([*header, "", table([row]), "", note]))


def process_time_of(action: Callable[[], object]) -> float:
    gc.collect()
    started = time.process_time()
    action()
    return time.process_time() - started


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    plan = QUICK if args.quick else FULL
    began = time.perf_counter()
    # The client page needs a QApplication; nothing is shown here, so no display is needed.
    _app = QApplication([sys.argv[0], "-platform", "offscreen"])  # alive until the end
    with tempfile.TemporaryDirectory(prefix="rapport-bench-") as folder:
        copy = bench_copy(args.size, Path(folder), args.database)
        raw = sqlite3.connect(copy)  # the baselines' own connection, plain stdlib
        # Like the app's connections, in case a statement replayed from it folds text.
        raw.create_function("fold", 1, fold, deterministic=True)
        raw.create_function("local_date", 2, stored_local_day, deterministic=True)
        header = [
            f"Rapport benchmark, {args.size} bench database ({counts(raw)})"
            + (", quick run" if args.quick else ""),
            machine(),
            child_environment()[1],
        ]
        progress("\n".join(header))
        if args.search_only:
            return search_only(copy, raw, plan, header)
        if args.studio_only:
            return studio_only(copy, raw, plan, header)
        measured = measure_in_process(copy, raw, plan)
        raw.close()
        progress("3, 5 cold starts")
        app, bare = measure_starts(copy, plan.starts)
        progress("8 first open of a database from before the search index")
        first_open, first_open_note = first_open_row(copy, Path(folder))
    started, to_contents, memory, memory_at_end = start_rows(app, bare)
    rows = [
        *measured.search,
        *measured.opened,
        started,
        to_contents,
        *measured.reminders,
        memory,
        memory_at_end,
        measured.studio,
        measured.ranks,
        first_open,
    ]
    notes = [*measured.notes, first_open_note, *start_notes(app), *BASELINES]
    notes.append(f"whole run: {time.perf_counter() - began:.0f} s")
    print("\n".join(header))
    print()
    print(table(rows))
    print()
    print("\n".join(notes))


if __name__ == "__main__":
    main()
