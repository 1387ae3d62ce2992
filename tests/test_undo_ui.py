"""Undo as a user: a mis-click on delete, an edit or a log, taken back with Ctrl+Z or the
bar's Undo button."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from models.clients.entries import add_interactions, save_note
from models.clients.saving import save_client
from models.forms.dialog_forms import ClientForm, InteractionForm, NoteForm
from models.store.changes import CLIENT_KINDS
from models.store.entities import Client, Interaction, Note
from tests.ui_helpers import answer_delete, wait_for_client_list, when_dialog_opens
from ui.undo import CLIENTS_UNDONE_HERE


class Clock:
    def __init__(self) -> None:
        self.moment = datetime(2026, 11, 25, 10, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.moment


@pytest.fixture
def clock():
    return Clock()


def _save(dialog) -> None:
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()


def test_a_deleted_client_comes_back_with_ctrl_z(qtbot, window):
    anna = save_client(ClientForm(first_name="Anna", last_name="Berger", tags="wedding"))
    save_note(NoteForm("Shy in front of the camera"), anna.id)
    window.open_client(anna.id)
    when_dialog_opens(answer_delete)
    window.delete_client(anna.id)
    assert Client.get_or_none(Client.id == anna.id) is None
    assert window.undo_bar.isVisible()
    assert window.undo_bar.message.text() == "Deleted Anna Berger"

    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    restored = Client.get_by_id(anna.id)
    assert restored.full_name == "Anna Berger"
    assert Note.get().text == "Shy in front of the camera"
    assert window.page.client.id == anna.id
    assert not window.undo_bar.isVisible()
    assert window.statusBar().currentMessage() == "Undone: Deleted Anna Berger"


def test_an_edit_is_taken_back_with_the_bar_button(qtbot, window):
    anna = save_client(ClientForm(first_name="Anna", last_name="Berger"))
    window.open_client(anna.id)

    def rename(dialog) -> None:
        dialog.last_name.setText("Meyer")
        _save(dialog)

    when_dialog_opens(rename)
    window.edit_client()
    assert Client.get_by_id(anna.id).last_name == "Meyer"
    window.undo_bar.undo_button.click()
    assert Client.get_by_id(anna.id).last_name == "Berger"
    assert window.page.header.name.text() == "Anna Berger"


def test_a_logged_interaction_is_taken_back_and_a_cancel_offers_nothing(qtbot, window):
    anna = save_client(ClientForm(first_name="Anna"))
    window.open_client(anna.id)
    when_dialog_opens(lambda dialog: dialog.reject())
    window.page.log_interaction()
    assert not window.undo_bar.isVisible()  # nothing changed, nothing to undo

    def log(dialog) -> None:
        dialog.summary.setText("Portraits in the park")
        _save(dialog)

    when_dialog_opens(log)
    window.page.log_interaction()
    assert Interaction.select().count() == 1
    assert window.undo_bar.message.text() == "Logged an interaction — Anna"
    window.undo.undo()
    assert Interaction.select().count() == 0
    assert window.page.history.rowCount() == 0


def test_ctrl_z_reaches_back_ten_minutes_and_no_further(qtbot, window, clock):
    anna = save_client(ClientForm(first_name="Anna"))
    window.open_client(anna.id)
    when_dialog_opens(answer_delete)
    window.delete_client(anna.id)
    clock.moment += timedelta(minutes=11)
    assert not window.undo.undo()
    assert Client.get_or_none(Client.id == anna.id) is None


def test_a_change_shows_the_page_once(qtbot, window, monkeypatch):
    """The page shows a change itself; the list that reloads and selects the client
    again must not rebuild it twice more."""
    anna = save_client(ClientForm(first_name="Anna"))
    window.open_client(anna.id)
    wait_for_client_list(qtbot, window)
    shown = []
    page = window.page
    monkeypatch.setattr(page, "refresh_entries", lambda: shown.append(page.client.id))
    when_dialog_opens(lambda dialog: (dialog.text.setPlainText("Loves the lake"), _save(dialog)))
    page.add(Note)
    wait_for_client_list(qtbot, window)
    qtbot.wait(50)  # the list's selection, delivered through the event loop
    assert shown == [anna.id]


def test_making_a_client_from_today_can_be_undone(qtbot, window):
    jake = save_client(ClientForm(first_name="Jake", stage="customer"))
    window.reminders.promote(jake.id)
    assert Client.get_by_id(jake.id).stage == "client"
    assert window.undo_bar.message.text() == "Made a client"
    window.undo.undo()
    assert Client.get_by_id(jake.id).stage == "customer"


def _cards_for_many(window, count: int) -> list[int]:
    """`count` clients, each with a card logged as one step (a month of printed cards)."""
    ids = [save_client(ClientForm(first_name=f"Client {n:03d}")).id for n in range(count)]
    card = InteractionForm(kind="card", occurred_at=window._now(), summary="Card")
    with window.undo.changing(ids[0], f"Printed {count} card(s)", ids[1:]):
        add_interactions([(client_id, card) for client_id in ids])
    return ids


def _note(window, client_id: int, text: str) -> None:
    with window.undo.changing(client_id, "Added a note"):
        save_note(NoteForm(text), client_id)


def test_a_change_of_many_clients_is_undone_on_a_worker(qtbot, window):
    first = save_client(ClientForm(first_name="Earlier")).id
    _note(window, first, "An older step")
    ids = _cards_for_many(window, CLIENTS_UNDONE_HERE + 10)
    said, changes = [], []
    window.undo.undoing.connect(said.append)
    window.changes.changed.connect(changes.append)
    with qtbot.waitSignal(window.undo.restored, timeout=10000) as restored:
        assert window.undo.undo()
        assert said == ["Printed 60 card(s)"]
        assert window.statusBar().currentMessage() == "Undoing: Printed 60 card(s)…"
        assert not window.undo.undo()  # one at a time: the older step waits for this one
        assert len(window.undo.history) == 1
    assert restored.args == [ids[0], "Printed 60 card(s)"]
    assert Interaction.select().count() == 0
    assert [change.client_ids for change in changes] == [frozenset(ids)]
    assert window.statusBar().currentMessage() == "Undone: Printed 60 card(s)"
    assert window.undo.undo() and Note.select().count() == 0  # then the older one


def test_a_change_made_while_many_are_undone_waits_and_stays(qtbot, window):
    """A note added while the worker puts back a month of cards is not lost when the undo
    ends, and undoing it takes back the note alone."""
    ids = _cards_for_many(window, CLIENTS_UNDONE_HERE + 1)
    assert window.undo.undo()
    _note(window, ids[0], "Called about the album")  # waits for the undo first
    assert Interaction.select().count() == 0 and Note.select().count() == 1
    assert window.undo.undo()
    assert Note.select().count() == 0 and Interaction.select().count() == 0


def test_a_change_made_while_many_are_changed_comes_after_it(qtbot, window):
    ids = [save_client(ClientForm(first_name=f"Client {n}")).id for n in range(3)]
    card = InteractionForm(kind="card", occurred_at=window._now(), summary="Card")
    made = []
    window.undo.change_on(
        ids, "Printed 3 card(s)", lambda: add_interactions([(i, card) for i in ids]),
        lambda: made.append("printed"), made.append,
    )  # fmt: skip
    _note(window, ids[0], "Called about the album")  # waits for the cards first
    assert made == ["printed"]
    assert window.undo.undo()  # the note alone, the newer step
    assert Note.select().count() == 0 and Interaction.select().count() == 3
    assert window.undo.undo()  # then the cards
    assert Interaction.select().count() == 0


def test_a_change_is_reported_even_if_what_it_changed_cannot_be_read(qtbot, window, monkeypatch):
    from peewee import OperationalError

    from ui import undo

    ids = [save_client(ClientForm(first_name=f"Client {n}")).id for n in range(2)]
    changes = []
    window.changes.changed.connect(changes.append)

    def busy(before):
        raise OperationalError("database is locked")

    monkeypatch.setattr(undo, "kinds_changed", busy)
    card = InteractionForm(kind="card", occurred_at=window._now(), summary="Card")
    made, failed = [], []
    window.undo.change_on(
        ids, "Printed 2 card(s)", lambda: add_interactions([(i, card) for i in ids]),
        lambda: made.append(True), failed.append,
    )  # fmt: skip
    qtbot.waitUntil(lambda: bool(made or failed), timeout=10000)
    assert (made, failed) == ([True], [])  # made, so not "failed": it would be made twice
    assert len(window.undo.history) == 1
    assert [(c.client_ids, c.kinds) for c in changes] == [(frozenset(ids), CLIENT_KINDS)]


@pytest.fixture
def full_disk_at_undo(monkeypatch):
    """Putting clients back fails as on a full disk (its transaction changes nothing)."""
    from ui import undo

    def full_disk(snapshots, now=None):
        raise OSError("database or disk is full")

    monkeypatch.setattr(undo, "restore_clients", full_disk)
    return monkeypatch


def test_a_change_of_many_not_undone_says_why_and_stays_to_undo(qtbot, window, full_disk_at_undo):
    _cards_for_many(window, CLIENTS_UNDONE_HERE + 1)
    with qtbot.waitSignal(window.undo.not_restored, timeout=10000):
        assert window.undo.undo()
    assert window.statusBar().currentMessage() == "Not undone: database or disk is full"
    assert Interaction.select().count() == CLIENTS_UNDONE_HERE + 1
    full_disk_at_undo.undo()
    with qtbot.waitSignal(window.undo.restored, timeout=10000):
        assert window.undo.undo()  # offered again, and put back this time
    assert Interaction.select().count() == 0


def test_a_step_not_undone_is_not_offered_again_after_an_import(qtbot, window, full_disk_at_undo):
    from models.store.changes import all_clients_changed

    _cards_for_many(window, CLIENTS_UNDONE_HERE + 1)
    with qtbot.waitSignal(window.undo.not_restored, timeout=10000):
        assert window.undo.undo()
        window.changes.report(all_clients_changed())  # an import meanwhile
    assert len(window.undo.history) == 0  # its snapshots no longer fit the data
