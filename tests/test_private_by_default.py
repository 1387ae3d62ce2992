"""Private by default: without an account configured, Rapport opens no network connection,
in the window (reminders, the Studio, a client's page, exports) or on the command line.
Desktop notifications and the single-instance lock use local sockets only.

Python's audit hooks see every socket connect and name lookup made in this process, by
Rapport or any library it calls."""

from __future__ import annotations

import contextlib
import socket
import sys
from datetime import UTC, datetime

import pytest

import main
from models.sample.loading import load_sample_clients
from models.store.entities import Client
from scheduler.account_runs import AccountRuns
from tests.test_today import BERLIN, TODAY, Clock
from tests.ui_helpers import with_reminders

_LOCAL_FAMILIES = {socket.AF_UNIX}
_watching: list[list[str]] = []


def _audit(event: str, args: tuple) -> None:
    if not _watching:
        return
    if event == "socket.connect":
        sock, address = args
        if sock.family not in _LOCAL_FAMILIES:
            _watching[-1].append(f"connect {address!r}")
    elif event == "socket.getaddrinfo":
        _watching[-1].append(f"look up {args[0]!r}")


sys.addaudithook(_audit)  # hooks cannot be removed: it records only while a test watches


@pytest.fixture
def network_use():
    """What the test did on the network: connects (other than local sockets) and look-ups."""
    seen: list[str] = []
    _watching.append(seen)
    yield seen
    _watching.remove(seen)


def test_the_watch_sees_a_connection(network_use):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.5)
        with contextlib.suppress(OSError):  # refused or not: the attempt is what counts
            probe.connect(("127.0.0.1", 9))
    assert network_use == ["connect ('127.0.0.1', 9)"]


def test_the_window_opens_no_network_connection(qtbot, open_window, database, network_use):
    load_sample_clients(TODAY)
    now = Clock(datetime(2026, 11, 24, 10, tzinfo=UTC))
    window = with_reminders(qtbot, open_window(zone=BERLIN, now=now))
    window.open_client(Client.get(Client.first_name == "Anna").id)
    window.show_studio()
    runs = AccountRuns(now, window)
    window.use_account_runs(runs)
    with qtbot.waitSignal(runs.finished):  # the jobs of no account: nothing to contact
        runs.run_now()
    qtbot.wait(500)  # the Studio reads on a worker
    window.quit()
    assert network_use == []


@pytest.mark.parametrize(
    "command",
    [
        ["export", "vcard", "{tmp}/clients.vcf"],
        ["export", "ics", "{tmp}/dates.ics"],
        ["export", "full", "{tmp}/everything.zip"],
        ["today", "--json"],
        ["check"],
        ["sync"],
        ["capture"],
        ["account", "list"],
    ],
    ids=["vcard", "ics", "full", "today", "check", "sync", "capture", "accounts"],
)
def test_the_command_line_opens_no_network_connection(
    database, tmp_path, network_use, capsys, command
):
    load_sample_clients(TODAY)
    argv = [part.format(tmp=tmp_path) for part in command]
    args = main.parse_args(argv)
    path = tmp_path / "rapport.sqlite"
    assert main.cli.run(args, path, tmp_path / "backups") == 0, capsys.readouterr()
    assert network_use == []
