"""Accounts: the password in a real Secret Service (GNOME Keyring on the tests' private
D-Bus), never in the database; set-up steps and jobs run per account, a failure costing
that job only; the `account`, `sync` and `capture` commands as the owner runs them."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from models.accounts import jobs
from models.accounts.jobs import Job, JobReport, RunContext
from models.accounts.runs import remove_account, run_jobs, set_up_account
from models.accounts.secrets import KeyringUnavailable, password_for, read_secret
from models.accounts.store import (
    Account,
    AccountError,
    AccountStatus,
    account_kind,
    accounts,
    set_options,
    statuses,
)
from models.store.changes import client_change
from tests.servers import HOST, USER, radicale_server
from tests.test_cli import rapport_env
from tests.test_single_instance import ROOT

NOW = datetime(2026, 12, 6, 21, 0, tzinfo=UTC)
PASSWORD = "correct horse 🐎 battery"


def clock() -> datetime:
    return NOW


# --- a feature as the real ones plug in: a set-up step and two jobs ---


def choose_book(context: RunContext) -> str:
    if context.password != PASSWORD:
        raise AccountError("The server refused the password.")
    book = context.choices.get("addressbook", "contacts")
    set_options(context.account, address_book=book)
    return f"Address book: {book}"


def sync_book(context: RunContext) -> JobReport:
    context.progress(1, 1)
    return JobReport(f"synced {context.account.option('address_book')}", failed=1)


def sync_a_change(context: RunContext) -> JobReport:
    """A job that brought something in: a client's follow-up done on the phone, say."""
    return JobReport("1 done on the phone", changed=client_change(1, ("follow_ups",)))


def unreachable(context: RunContext) -> JobReport:
    raise AccountError(f"{context.account.host} cannot be reached.")


def broken(context: RunContext) -> JobReport:
    raise ZeroDivisionError("a bug")


@pytest.fixture
def feature(monkeypatch, secret_service):
    here = __name__
    monkeypatch.setattr(jobs, "SET_UP", (("dav", f"{here}:choose_book"),))
    monkeypatch.setattr(
        jobs,
        "JOBS",
        (
            Job("address book", "dav", "sync", f"{here}:sync_book", "names", "address_book"),
            Job("calendar", "dav", "sync", f"{here}:unreachable", "dates"),
            Job("mail", "imap", "capture", f"{here}:broken", "nothing"),
        ),
    )


def test_the_kind_of_account_comes_from_the_address():
    assert account_kind("https://dav.example.org/") == "dav"
    assert account_kind(" IMAPS://mail.example.org ") == "imap"
    for wrong in ("", "dav.example.org", "ftp://x.org/", "https://"):
        with pytest.raises(AccountError, match="not a server address"):
            account_kind(wrong)


def test_the_password_lives_in_the_keyring_and_nowhere_in_the_database(database, feature):
    account, chosen = set_up_account(
        "https://dav.example.org/", "lena", PASSWORD, clock, {"addressbook": "clients"}
    )
    assert chosen == ["Address book: clients"]
    assert account.option("address_book") == "clients"
    assert password_for(account) == PASSWORD
    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    stored = Path(database.database).read_bytes()
    assert PASSWORD.encode() not in stored and b"horse" not in stored
    assert remove_account(account) == ""
    assert accounts() == []
    assert read_secret(f"account-{account.uid}") == ""


def test_a_failed_set_up_keeps_neither_the_account_nor_its_password(database, feature):
    with pytest.raises(AccountError, match="refused the password"):
        set_up_account("https://dav.example.org/", "lena", "wrong", clock)
    assert Account.select().count() == 0
    assert keyring.get_keyring().get_password("Rapport", "account-anything") is None


def test_each_job_runs_and_a_failure_costs_that_job_only(database, feature, caplog):
    dav, _ = set_up_account("https://dav.example.org/", "lena", PASSWORD, clock)
    mail, _ = set_up_account("imaps://mail.example.org", "lena", PASSWORD, clock)
    seen = []
    results = run_jobs(None, clock, progress=lambda done, total: seen.append((done, total)))
    lines = {result.job: result for result in results}
    assert lines["address book"].report.summary == "synced contacts"
    assert lines["calendar"].error == "dav.example.org cannot be reached."
    assert lines["mail"].error == "Something went wrong; the log has the details."
    assert "ZeroDivisionError" in caplog.text
    assert seen == [(1, 1)]
    recorded = statuses(dav)
    assert recorded["address book"].failed == 1 and recorded["address book"].ran_at == NOW
    assert recorded["calendar"].error.endswith("cannot be reached.")
    assert statuses(mail)["mail"].summary == ""
    # Only the command's jobs, and a job only when its account has what it wants.
    assert [r.job for r in run_jobs("capture", clock)] == ["mail"]
    set_options(dav, address_book=None)
    assert [r.job for r in run_jobs("sync", clock)] == ["calendar"]
    assert AccountStatus.select().count() == 3  # one row per account and job, replaced


def test_without_a_keyring_rapport_says_so_and_keeps_the_password_nowhere(database, feature):
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        with pytest.raises(KeyringUnavailable, match="no system keyring"):
            set_up_account("https://dav.example.org/", "lena", PASSWORD, clock)
    finally:
        keyring.set_keyring(previous)
    assert Account.select().count() == 0


def rapport(tmp_path: Path, *args: object, password: str = "") -> subprocess.CompletedProcess:
    """main.py as the owner runs it, with the tests' keyring on the private D-Bus."""
    environment = rapport_env(tmp_path)
    environment["DBUS_SESSION_BUS_ADDRESS"] = os.environ["DBUS_SESSION_BUS_ADDRESS"]
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *map(str, args), "--db", tmp_path / "r.sqlite"],
        input=password,
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )


def test_accounts_from_the_command_line(tmp_path, secret_service):
    # The features' set-up steps look at the server: a real one, with the password.
    with radicale_server(tmp_path / "radicale", password=PASSWORD) as server:
        added = rapport(
            tmp_path, "account", "add", server.url, "--user", USER, "--password-stdin",
            password=f"{PASSWORD}\n",
        )  # fmt: skip
        assert added.returncode == 0, added.stderr
        assert added.stdout.startswith(f"Added account 1: {USER}@{HOST}")
        listed = rapport(tmp_path, "account", "list")
        assert f"1  {USER}@{HOST}  {server.url}" in listed.stdout
        synced = rapport(tmp_path, "sync")
        assert synced.returncode == 0, synced.stderr
        assert synced.stdout.startswith(f"{USER}@{HOST} · ")
    removed = rapport(tmp_path, "account", "remove", "1")
    assert removed.returncode == 0 and "what it brought in stays" in removed.stdout
    assert "No accounts." in rapport(tmp_path, "account", "list").stdout


def test_bad_account_input_is_a_sentence_and_exit_2(tmp_path, secret_service):
    wrong = rapport(
        tmp_path, "account", "add", "dav.example.org", "--user", "lena", "--password-stdin",
        password="x\n",
    )  # fmt: skip
    assert wrong.returncode == 2
    assert "not a server address" in wrong.stderr and "Traceback" not in wrong.stderr
    empty = rapport(tmp_path, "account", "add", "https://x.org", "--user", "l", "--password-stdin")
    assert empty.returncode == 2 and "no password given" in empty.stderr
    missing = rapport(tmp_path, "account", "remove", "7")
    assert missing.returncode == 2 and "There is no account 7" in missing.stderr
