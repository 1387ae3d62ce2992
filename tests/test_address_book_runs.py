"""Address-book sync as the owner meets it: a first sync that applies only what is
certain, a wrong password, a server stopped mid-sync and `main.py sync` killed mid-sync,
against real servers (Radicale and Xandikos)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from models.accounts.store import AccountError
from models.store.entities import Client, ContactDetail
from models.sync.address_book import WAITING
from models.sync.conflicts import conflicts_of
from models.sync.dav import DavSession
from models.sync.first_sync import approve, plan_first_sync
from models.sync.listing import changes
from models.sync.state import CardSync
from tests.servers import USER, DavServer, radicale_server
from tests.sync_helpers import Device, add_client, server_cards
from tests.test_accounts import rapport
from tests.test_address_book_sync import put_card, studio_book
from tests.test_cli import rapport_env
from tests.test_single_instance import ROOT


def card(uid: str, first: str, last: str, *lines: str) -> str:
    extra = "".join(f"{line}\r\n" for line in lines)
    return (
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nN:{last};{first};;;\r\n"
        f"FN:{first} {last}\r\n{extra}END:VCARD\r\n"
    )


def test_a_first_sync_merges_only_what_is_certain(dav_server, tmp_path, database):
    laptop = Device(tmp_path / "laptop.sqlite", dav_server)
    laptop.connect()
    book = studio_book(laptop)
    with laptop.open():
        anna = add_client("Anna", "Berger")
        Client.update(uid="card-anna").where(Client.id == anna.id).execute()
        add_client("Ben", "Kim", "ben@example.org")
        cleo = add_client("Cleo", "Ross")
        ContactDetail.create(client=cleo, kind="phone", value="+49 170 5550100")
    put_card(dav_server, book, "anna", card("card-anna", "Anna", "Berger", "NICKNAME:Annie"))
    # Ben's card without his last name: the same first name, so his by email.
    put_card(dav_server, book, "ben", card("b", "Ben", "", "EMAIL:ben@example.org"))
    put_card(dav_server, book, "cleo", card("c", "Cleo", "R.", "TEL:+49 170 5550100"))
    put_card(dav_server, book, "dan", card("d", "Dan", "Ortiz"))
    report = laptop.sync(interactive=False)
    with laptop.open():
        names = sorted(c.full_name for c in Client.select())
        # The same phone is only possibly the same person: a client of their own.
        assert names == ["Anna Berger", "Ben Kim", "Cleo R.", "Cleo Ross", "Dan Ortiz"]
        assert Client.get(Client.uid == "card-anna").preferred_name == "Annie"  # by UID
        ben = Client.get(Client.first_name == "Ben")  # by email: the names differ
        [conflict] = conflicts_of(ben.id)
        assert (conflict.field, conflict.ours, conflict.theirs) == ("Name", "Ben Kim", "Ben")
        assert CardSync.select().count() == 5
    assert report.failed == 0 and "1 conflict to resolve" in report.summary
    assert len(server_cards(dav_server, book)) == 5  # Cleo Ross's card added, nothing twice


def test_a_wrong_password_is_refused_in_words(tmp_path, database):
    with radicale_server(tmp_path / "radicale", password="right") as server:
        Device(tmp_path / "laptop.sqlite", server).connect()
        wrong = Device(tmp_path / "laptop.sqlite", DavServer(server.port, "wrong"))
        with pytest.raises(AccountError) as refused:
            wrong.sync()
    assert str(refused.value) == (
        f"The server refused the password for {USER}@127.0.0.1; change it in Settings → Accounts."
    )


def test_a_server_stopped_mid_sync_loses_nothing(tmp_path, database):
    storage = tmp_path / "radicale"
    path = tmp_path / "laptop.sqlite"
    with radicale_server(storage) as server:
        Device(path, server).connect()
        with Device(path, server).open():
            for number in range(40):
                add_client(f"Client {number:02d}", email=f"c{number}@example.org")

        def progress(done: int, total: int) -> None:
            if done >= 15 and server.process.poll() is None:
                server.stop()

        with pytest.raises(AccountError, match=r"^Could not reach 127\.0\.0\.1 \("):
            Device(path, server).sync(progress=progress)
    with radicale_server(storage, port=server.port) as again:
        laptop = Device(path, again)
        assert laptop.sync().summary.endswith("new there")
        assert laptop.sync().summary == "nothing changed"
        assert_all_once(laptop, 40)


def card_count(server: DavServer, book: str) -> int:
    session = DavSession(server.url, USER, server.password)
    try:
        return len(changes(session, book, "").etags)
    finally:
        session.close()


def assert_all_once(device: Device, count: int) -> None:
    """Every client has one card, every card one client: nothing lost, nothing twice."""
    cards = server_cards(device.server, studio_book(device))
    with device.open():
        uids = {uid for (uid,) in Client.select(Client.uid).tuples()}
        assert len(uids) == Client.select().count() == count
        linked = CardSync.select().where(CardSync.client.is_null(False))
        assert linked.count() == count
    assert set(cards) == uids


def test_kill_9_mid_sync_loses_nothing_and_adds_nothing_twice(
    dav_server, tmp_path, database, secret_service
):
    path = tmp_path / "r.sqlite"  # where tests.test_accounts.rapport keeps its database
    device = Device(path, dav_server)
    added = rapport(
        tmp_path, "account", "add", dav_server.url, "--user", USER, "--password-stdin",
        password=f"{dav_server.password}\n",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    book = studio_book(device)
    with device.open():
        for number in range(30):
            add_client(f"Here {number:02d}", email=f"here{number}@example.org")
    for number in range(30):
        put_card(dav_server, book, f"there{number}", card(f"there-{number}", "There", f"{number}"))
    environment = rapport_env(tmp_path) | {
        "DBUS_SESSION_BUS_ADDRESS": os.environ["DBUS_SESSION_BUS_ADDRESS"]
    }
    command = [sys.executable, str(ROOT / "main.py"), "sync", "--db", str(path)]
    syncing = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL)
    while card_count(dav_server, book) < 40 and syncing.poll() is None:
        time.sleep(0.05)
    os.kill(syncing.pid, signal.SIGKILL)
    syncing.wait(timeout=30)
    assert syncing.returncode == -signal.SIGKILL  # it was still at work
    finished = rapport(tmp_path, "sync")
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert device.sync().summary == "nothing changed"
    assert_all_once(device, 60)


def test_in_the_window_a_first_sync_waits_for_the_owner_s_choice(dav_server, tmp_path, database):
    laptop = Device(tmp_path / "laptop.sqlite", dav_server)
    laptop.connect()
    book = studio_book(laptop)
    with laptop.open():
        add_client("Ben", "Kim", "ben@example.org")
        cleo = add_client("Cleo", "Ross")
        ContactDetail.create(client=cleo, kind="phone", value="+49 170 5550100")
    put_card(dav_server, book, "ben", card("b", "Benjamin", "Kim", "EMAIL:ben@example.org"))
    put_card(dav_server, book, "cleo", card("c", "Cleo", "R.", "TEL:+49 170 5550100"))
    put_card(dav_server, book, "dan", card("d", "Dan", "Ortiz"))
    assert laptop.sync().summary == WAITING
    with laptop.open():
        assert Client.select().count() == 2 and CardSync.select().count() == 0
        plan = plan_first_sync(laptop.context())
        # The client's email under another first name: "Benjamin" may be "Ben", or his
        # father writing from Ben's address; for the owner to say.
        assert [(p.card, p.client, p.why, p.certain) for p in plan.pairs] == [
            (
                "Benjamin Kim · ben@example.org",
                "Ben Kim",
                "possibly: same email ben@example.org",
                False,
            ),
            ("Cleo R.", "Cleo Ross", "possibly: same phone +49 170 5550100", False),
        ]
        assert (plan.new_here, plan.new_there) == (["Dan Ortiz"], 0)
        # The owner says Cleo's card is Cleo, and Ben's card someone else.
        approve(laptop.account(), {plan.pairs[1].href: plan.pairs[1].client_id})
    laptop.sync()
    with laptop.open():
        names = sorted(c.full_name for c in Client.select())
        assert names == ["Ben Kim", "Benjamin Kim", "Cleo Ross", "Dan Ortiz"]
        assert laptop.account().option("address_book_review") is None
    assert len(server_cards(dav_server, book)) == 4  # Ben Kim's card added
    assert laptop.sync().summary.endswith("conflict to resolve")  # Cleo's last name
