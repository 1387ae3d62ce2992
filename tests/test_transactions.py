"""Writes from two threads: a transaction that read first still writes, the other waits."""

from __future__ import annotations

import threading
import time

from models.clients.saving import save_client
from models.forms.dialog_forms import ClientForm
from models.store.database import db
from models.store.entities import Client


def test_a_transaction_that_read_first_is_not_refused_by_another_threads_write(database):
    save_client(ClientForm(first_name="Anna"))
    read_done = threading.Event()
    failures: list[Exception] = []

    def other_thread() -> None:  # the reminder service, say, on its worker
        read_done.wait(5)
        try:
            Client.update(last_name="Berger").where(Client.first_name == "Anna").execute()
        except Exception as error:
            failures.append(error)
        finally:
            db.close()

    worker = threading.Thread(target=other_thread)
    worker.start()
    with db.atomic():
        assert Client.select().count() == 1  # read: the transaction has its snapshot
        read_done.set()
        # The other write goes first, if it can. (A sleep, not a timed wait: under
        # libfaketime, as in CI's far-date run, a timed Event.wait never times out.)
        time.sleep(0.5)
        Client.create(first_name="Jens")
    worker.join(10)
    assert failures == []
    assert sorted(c.full_name for c in Client.select()) == ["Anna Berger", "Jens"]
