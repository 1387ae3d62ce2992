"""Reminders pushed to the owner's phone through a push address (apprise), received by a
real HTTP receiver on 127.0.0.1 (apprise's json:// service): the desktop notification's
text, at its moment, once; the address in the keyring only."""

from __future__ import annotations

import http.server
import json
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest

from models.accounts.secrets import read_secret
from models.clients.entries import save_follow_up
from models.clients.saving import save_client
from models.forms.dialog_forms import ClientForm, FollowUpForm
from models.reminders.push import SECRET, SETTING, push, set_push_url
from models.store.settings import is_on
from tests.servers import HOST, free_port
from tests.ui_helpers import NOW, wait_for_reminders, with_reminders
from ui.dialogs.settings_dialog import SettingsDialog


class Receiver(http.server.BaseHTTPRequestHandler):
    """What a push service would get: every POST's JSON, in order."""

    received: list[dict]

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.received.append(json.loads(body))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *_args):
        pass


@pytest.fixture
def receiver():
    Receiver.received = []
    server = http.server.ThreadingHTTPServer((HOST, 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    server.url = f"json://{HOST}:{server.server_port}/"
    server.received = Receiver.received
    yield server
    server.shutdown()
    server.server_close()


def test_the_push_address_lives_in_the_keyring_and_nowhere_else(database, secret_service, receiver):
    set_push_url(receiver.url)
    assert read_secret(SECRET) == receiver.url and is_on(SETTING)
    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    assert str(receiver.server_port).encode() not in Path(database.database).read_bytes()
    set_push_url("")
    assert read_secret(SECRET) == "" and not is_on(SETTING)


def test_an_address_apprise_cannot_use_is_a_sentence_and_nothing_is_kept(database):
    with pytest.raises(ValueError, match=r"^Rapport cannot push to that address\. Give one like"):
        set_push_url("carrier-pigeon://home")
    assert not is_on(SETTING)


def test_a_push_service_that_is_not_there_is_a_sentence():
    said = push(f"json://{HOST}:{free_port()}/", "Anna Berger", "Deliver the gallery")
    assert said.startswith("The push service did not take the reminder (")


def test_a_reminder_is_pushed_with_the_notification_s_text_once(
    qtbot, window, secret_service, receiver
):
    set_push_url(receiver.url)
    with_reminders(qtbot, window)
    anna = save_client(ClientForm(first_name="Anna", last_name="Berger"))
    save_follow_up(FollowUpForm("Deliver the gallery", NOW - timedelta(minutes=1)), anna.id)
    with qtbot.waitSignal(window.reminders.fallback_message, timeout=5000) as shown:
        window.reminder_service.reconcile()  # the desktop's notification (here: the tray's)
    qtbot.waitUntil(lambda: len(receiver.received) == 1, timeout=5000)
    (pushed,) = receiver.received
    assert (pushed["title"], pushed["message"]) == tuple(shown.args)
    assert shown.args[1].startswith("Deliver the gallery — due")
    window.reminder_service.reconcile()  # looked at again, and after a restart: never twice
    wait_for_reminders(qtbot, window)
    time.sleep(0.5)  # a second push would be on its way by now
    assert len(receiver.received) == 1


def test_settings_keep_the_push_address_and_name_a_wrong_one(
    qtbot, database, secret_service, receiver
):
    dialog = SettingsDialog()
    qtbot.addWidget(dialog)
    assert dialog.push_url.text() == ""
    dialog.push_url.setText("carrier-pigeon://home")
    dialog.save()
    assert dialog.error.text().startswith("Rapport cannot push to that address.")
    dialog.push_url.setText(receiver.url)
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert read_secret(SECRET) == receiver.url
    again = SettingsDialog()
    qtbot.addWidget(again)
    assert again.push_url.text() == receiver.url
