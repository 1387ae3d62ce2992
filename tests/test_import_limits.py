"""A file far larger than any studio's address book is refused before it is read whole,
with the limit named, in the window and on the command line; the window stays
responsive while the file is looked at; files below the limit import as before."""

from __future__ import annotations

import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox

from models.exchange.importing.limits import MAX_RECORDS, check_import_size
from models.exchange.importing.records import UnreadableFile
from models.store.entities import Client
from tests.test_cli import rapport_env, rows
from tests.test_single_instance import ROOT
from tests.ui_helpers import when_dialog_opens
from ui.dialogs.csv_mapping_dialog import CsvMappingDialog

HEADER = "First Name,Last Name,E-mail 1 - Value,Notes\n"
CARD = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Person{0};Test;;;\r\nFN:Test Person{0}\r\nEND:VCARD\r\n"
TOO_MANY = f"more than {MAX_RECORDS:,} records; Rapport imports at most {MAX_RECORDS:,} at a time"


def write_csv(path: Path, count: int, note: str = "likes mornings") -> Path:
    """`count` people, written a block at a time (a million rows are 60 MB)."""
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(HEADER)
        for start in range(0, count, 10_000):
            out.write(
                "".join(
                    f'Anna{n},Berger,anna{n}@example.org,"{note}"\r\n'
                    for n in range(start, min(count, start + 10_000))
                )
            )
    return path


def refusal(path: Path, kind: str) -> str:
    with pytest.raises(UnreadableFile) as refused:
        check_import_size(path, kind)
    return str(refused.value)


def test_one_record_over_the_limit_is_refused_with_the_limit_named(tmp_path):
    path = write_csv(tmp_path / "contacts.csv", MAX_RECORDS + 1)
    assert refusal(path, "csv").startswith(f"contacts.csv has {TOO_MANY}.")
    check_import_size(write_csv(tmp_path / "studio.csv", MAX_RECORDS), "csv")  # no refusal


def test_records_are_counted_not_lines(tmp_path):
    """A note over two lines is one record: 40,000 people on 80,000 lines may import."""
    path = write_csv(tmp_path / "google.csv", 40_000, note="likes\nmornings")
    check_import_size(path, "csv")
    with path.open("a", encoding="utf-8") as out:
        out.write(',,,""\r\n,,,\r\n' * 20_000)  # blank rows are not records either
    check_import_size(path, "csv")


def test_a_quote_never_closed_does_not_hide_the_rows_after_it(tmp_path):
    path = tmp_path / "broken.csv"
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER + 'Anna,Berger,anna@example.org,"never closed\n')
        out.write("Lea,Brandt,lea@example.org,x\n" * (MAX_RECORDS + 1))
    assert TOO_MANY in refusal(path, "csv")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-8"])
def test_cards_are_counted_in_a_vcard_file(tmp_path, encoding):
    """UTF-16 with a byte order mark or without (as the reader tells it): without one, the
    count read the file as UTF-8, met no card and let 50,001 through."""
    path = tmp_path / "contacts.vcf"
    path.write_text("".join(CARD.format(n) for n in range(MAX_RECORDS + 1)), encoding=encoding)
    assert refusal(path, "vcard").startswith(f"contacts.vcf has {TOO_MANY}.")


def test_a_million_rows_are_refused_in_bounded_memory_and_time(tmp_path):
    path = write_csv(tmp_path / "million.csv", 1_000_000)
    tracemalloc.start()
    started = time.perf_counter()
    try:
        assert TOO_MANY in refusal(path, "csv")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2 * 1024 * 1024, peak  # a block at a time, not the file's 60 MB
    assert time.perf_counter() - started < 5


# Runs main.py and, as it exits, writes its own peak memory (VmHWM, KiB). getrusage cannot
# tell it: a child started with vfork counts the parent's (the test session's) pages.
_WITH_PEAK = """
import atexit, runpy, sys
out, main = sys.argv[1], sys.argv[2]
def peak():
    with open("/proc/self/status") as status:
        line = next(l for l in status if l.startswith("VmHWM:"))
    with open(out, "w") as f:
        f.write(line.split()[1])
atexit.register(peak)
sys.argv = sys.argv[2:]
runpy.run_path(main, run_name="__main__")
"""


def rapport_peak(tmp_path: Path, *args: object) -> tuple[int, str, int]:
    """`main.py ARGS` run as test_cli.rapport does: (exit code, stderr, its peak memory in
    KiB)."""
    peak = tmp_path / "peak.txt"
    done = subprocess.run(
        [sys.executable, "-c", _WITH_PEAK, str(peak), str(ROOT / "main.py"), *map(str, args)],
        capture_output=True,
        text=True,
        env=rapport_env(tmp_path),
        timeout=120,
    )
    return done.returncode, done.stderr, int(peak.read_text())


def test_the_command_line_refuses_a_million_rows_and_writes_nothing(tmp_path):
    path = write_csv(tmp_path / "contacts.csv", 1_000_000)
    database = tmp_path / "rapport.sqlite"
    started = time.perf_counter()
    code, stderr, peak_kib = rapport_peak(tmp_path, "import", path, "--db", database)
    assert code == 2, stderr
    assert stderr == f"rapport import: contacts.csv has {TOO_MANY}. Split the file and " + (
        "import each part.\n"
    )
    assert time.perf_counter() - started < 30
    assert peak_kib < 300 * 1024, peak_kib  # not the 1.9 GB it took to plan it
    assert not database.exists() or rows(database, "SELECT count(*) FROM client") == [(0,)]


def test_the_window_refuses_a_million_rows_and_stays_responsive(
    qtbot, window, tmp_path, monkeypatch
):
    """The file is looked at on a worker: the window's event loop never stops for long."""
    path = write_csv(tmp_path / "contacts.csv", 1_000_000)
    said: list[str] = []
    when_dialog_opens(lambda box: (said.append(box.text()), box.accept()), 3000, QMessageBox)
    asked: list[str] = []  # the column mapping is never asked for: nothing to import
    monkeypatch.setattr(CsvMappingDialog, "exec", lambda dialog: asked.append("columns") or 0)
    ticks: list[float] = []
    timer = QTimer(interval=20, timeout=lambda: ticks.append(time.perf_counter()))
    timer.start()
    window.import_flow.start(path)
    qtbot.waitUntil(lambda: not window.import_flow.busy, timeout=30000)
    timer.stop()
    assert len(said) == 1 and said[0].startswith(f"contacts.csv has {TOO_MANY}. Split the file")
    assert not [n for n in range(1, len(ticks)) if ticks[n] - ticks[n - 1] > 0.5]
    assert asked == [] and Client.select().count() == 0


def test_the_window_reads_a_csv_below_the_limit_as_before(qtbot, window, tmp_path):
    path = write_csv(tmp_path / "contacts.csv", 3)
    columns: list[int] = []

    def mapping(dialog: CsvMappingDialog) -> None:
        columns.append(dialog._table.row_count)
        dialog.reject()

    when_dialog_opens(mapping, kind=CsvMappingDialog)
    window.import_flow.start(path)
    qtbot.waitUntil(lambda: not window.import_flow.busy, timeout=10000)
    assert columns == [3]
