"""`main.py account add imaps://…` and `main.py capture` as the owner runs them, against a
real Dovecot: a kill -9 in the middle of a first scan loses nothing and duplicates
nothing; a wrong password or no server is a sentence and exit 2."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from models.clients.saving import save_client
from models.forms.dialog_forms import ClientForm
from models.store.database import db
from models.store.migrations import open_database
from tests.servers import MAIL_PASSWORD, MAIL_USER
from tests.test_accounts import rapport
from tests.test_cli import rapport_env
from tests.test_single_instance import ROOT

MESSAGES = 8000  # sixteen batches, kept four at a time: a kill after the first keep is mid-scan


def count(database: Path, sql: str) -> int:
    with sqlite3.connect(database) as connection:
        return connection.execute(sql).fetchone()[0]


def notes_from_anna(n: int) -> bytes:
    return (
        f"From: Anna Meyer <anna@meyer.example>\r\nTo: studio@lens.example\r\n"
        f"Subject: Note {n}\r\nMessage-ID: <note-{n}@meyer.example>\r\n\r\nHi\r\n"
    ).encode()


def add_account(tmp_path: Path, dovecot) -> subprocess.CompletedProcess:
    return rapport(
        tmp_path, "account", "add", dovecot.url(), "--user", MAIL_USER, "--password-stdin",
        "--trust-certificate", dovecot.certificate, "--mail-since", "2020-01-01",
        password=f"{MAIL_PASSWORD}\n",
    )  # fmt: skip


def test_capture_from_the_command_line_survives_kill_9_mid_scan(tmp_path, secret_service, dovecot):
    database = tmp_path / "r.sqlite"
    added = add_account(tmp_path, dovecot)
    assert added.returncode == 0, added.stderr
    assert "Mail: the headers of the inbox and 'Sent' from 01 Jan 2020" in added.stdout
    opened = open_database(database)
    save_client(ClientForm(first_name="Anna", last_name="Meyer", emails="anna@meyer.example"))
    opened.close()
    db.initialize(None)
    when = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
    dovecot.write_messages("INBOX", map(notes_from_anna, range(MESSAGES)), when)

    environment = {**rapport_env(tmp_path), "DBUS_SESSION_BUS_ADDRESS": os.environ[
        "DBUS_SESSION_BUS_ADDRESS"]}  # fmt: skip
    command = [sys.executable, str(ROOT / "main.py"), "capture", "--db", str(database)]
    scan = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL)
    # Wait for the first batches to be kept, then kill the scan without a chance to tidy up.
    for _attempt in range(600):
        if count(database, "SELECT count(*) FROM captured_mail") > 0:
            break
        time.sleep(0.05)
    os.kill(scan.pid, signal.SIGKILL)
    scan.wait(timeout=30)
    kept = count(database, "SELECT count(*) FROM captured_mail")
    assert 0 < kept < MESSAGES, "killed too late to prove anything"
    assert kept == count(database, "SELECT count(*) FROM interaction")

    finished = rapport(tmp_path, "capture")
    assert finished.returncode == 0, finished.stderr
    assert finished.stdout.startswith(f"{MAIL_USER}@127.0.0.1 · mail: {MESSAGES - kept:,} new")
    assert count(database, "SELECT count(*) FROM interaction") == MESSAGES
    assert count(database, "SELECT count(DISTINCT summary) FROM interaction") == MESSAGES
    again = rapport(tmp_path, "capture")
    assert again.stdout.strip() == f"{MAIL_USER}@127.0.0.1 · mail: Nothing new in history."


def test_a_wrong_password_or_no_server_is_exit_2_with_a_sentence(tmp_path, secret_service, dovecot):
    assert add_account(tmp_path, dovecot).returncode == 0
    dovecot.change_password("changed-on-the-server")
    wrong = rapport(tmp_path, "capture")
    assert wrong.returncode == 2
    assert f"refused the user name or password for '{MAIL_USER}'" in wrong.stderr
    dovecot.stop()
    gone = rapport(tmp_path, "capture")
    assert gone.returncode == 2 and "cannot be reached (nothing answers there)" in gone.stderr
    assert "Traceback" not in wrong.stderr + gone.stderr
