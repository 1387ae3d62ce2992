"""Ctrl+K's palette, driven from the keyboard: find a client, run a command, close."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow

from models.clients.entries import save_note
from models.clients.finder import FoundClient, first_found
from models.clients.saving import save_client
from models.forms.dialog_forms import ClientForm, NoteForm
from ui.command_palette import CLIENT_SEARCH_DELAY_MS, CommandPalette, matches, plain_text

TODAY = date(2026, 11, 25)


def clients_named(text: str) -> list[FoundClient]:
    """As the window's: the client list's own search, the first few."""
    return first_found(text, TODAY, 8)


@pytest.fixture
def window(qtbot, database):
    window = QMainWindow()
    qtbot.addWidget(window)
    window.resize(900, 600)
    window.show()
    qtbot.waitExposed(window)
    return window


def actions_of(window) -> dict[str, QAction]:
    found = {}
    for text, shortcut in (
        ("&New client…", "Ctrl+N"),
        ("&Log interaction…", "Ctrl+L"),
        ("De&lete client…", None),
        ("&Settings…", "Ctrl+,"),
    ):
        action = QAction(text, window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        found[plain_text(action)] = action
    found["Delete client…"].setEnabled(False)  # no client shown: not offered
    return found


@pytest.fixture
def palette(qtbot, window):
    for first, last, stage in (
        ("Anna", "Berger", "client"),
        ("Annika", "Meyer", "lead"),
        ("Zoë", "Brandt", "customer"),
    ):
        save_client(ClientForm(first_name=first, last_name=last, stage=stage))
    window.actions_by_text = actions_of(window)
    palette = CommandPalette(window, list(window.actions_by_text.values()), clients_named)
    palette.open()
    qtbot.waitUntil(palette.isVisible)
    return palette


def test_words_match_as_prefixes_with_case_and_accents_folded():
    assert matches("new cl", "New client…")
    assert matches("CLIENT", "New client…")
    assert matches("", "Anything")
    assert matches("resu", "Résumé export")
    assert not matches("lient", "New client…")  # a word's beginning, not its middle
    assert not matches("new x", "New client…")


def test_type_part_of_a_name_and_enter_opens_the_client(qtbot, palette):
    anna = clients_named("Anna Berger")[0].id
    qtbot.keyClicks(palette.search, "ann ber")
    with qtbot.waitSignal(palette.client_chosen) as chosen:
        qtbot.keyClick(palette.search, Qt.Key.Key_Return)  # before the clients came in
    assert chosen.args == [anna]
    assert not palette.isVisible()


def test_clients_are_listed_with_their_stage(qtbot, palette):
    qtbot.keyClicks(palette.search, "zoe")
    qtbot.waitUntil(lambda: not palette.busy())
    assert palette.rows() == [("Zoë Brandt", "", "Customer", "")]
    palette.search.clear()
    qtbot.keyClicks(palette.search, "ann")
    qtbot.waitUntil(lambda: not palette.busy())
    assert palette.rows() == [("Anna Berger", "", "Client", ""), ("Annika Meyer", "", "Lead", "")]


def test_a_client_found_other_than_by_name_says_why(qtbot, palette):
    lena = save_client(ClientForm(first_name="Lena", last_name="Roth", stage="past"))
    save_note(NoteForm(text="Sister of Anna"), lena.id)
    qtbot.keyClicks(palette.search, "anna")
    qtbot.waitUntil(lambda: not palette.busy())
    assert palette.rows() == [
        ("Anna Berger", "", "Client", ""),
        ("Lena Roth", "note: Sister of Anna", "Past", ""),
    ]
    why = palette.results.topLevelItem(1).toolTip(1)
    assert why == "note: Sister of Anna"


def test_type_a_command_and_enter_runs_it(qtbot, window, palette):
    new_client = window.actions_by_text["New client…"]
    qtbot.keyClicks(palette.search, "new cl")
    shortcut = QKeySequence("Ctrl+N").toString(QKeySequence.SequenceFormat.NativeText)
    assert palette.rows() == [("New client…", "", "Action", shortcut)]
    with qtbot.waitSignal(new_client.triggered):
        qtbot.keyClick(palette.search, Qt.Key.Key_Return)
    assert not palette.isVisible()


def test_every_runnable_command_when_nothing_is_typed_and_arrows_move(qtbot, window, palette):
    assert [text for text, _why, _kind, _key in palette.rows()] == [
        "New client…",
        "Log interaction…",
        "Settings…",
    ]  # the disabled one is not offered
    qtbot.keyClick(palette.search, Qt.Key.Key_Down)
    qtbot.keyClick(palette.search, Qt.Key.Key_Down)
    qtbot.keyClick(palette.search, Qt.Key.Key_Up)
    with qtbot.waitSignal(window.actions_by_text["Log interaction…"].triggered):
        qtbot.keyClick(palette.search, Qt.Key.Key_Enter)


def test_a_click_runs_a_row(qtbot, palette):
    qtbot.keyClicks(palette.search, "annika")
    qtbot.waitUntil(lambda: len(palette.rows()) == 1)
    item = palette.results.topLevelItem(0)
    with qtbot.waitSignal(palette.client_chosen) as chosen:
        qtbot.mouseClick(
            palette.results.viewport(),
            Qt.MouseButton.LeftButton,
            pos=palette.results.visualItemRect(item).center(),
        )
    assert chosen.args == [clients_named("Annika")[0].id]


def test_escape_closes_and_nothing_runs(qtbot, window, palette):
    triggered = []
    for action in window.actions_by_text.values():
        action.triggered.connect(lambda _=False, a=action: triggered.append(a))
    qtbot.keyClicks(palette.search, "new")
    qtbot.keyClick(palette.search, Qt.Key.Key_Escape)
    assert not palette.isVisible()
    assert triggered == []


def test_it_opens_anew_each_time(qtbot, palette):
    qtbot.keyClicks(palette.search, "sett")
    qtbot.keyClick(palette.search, Qt.Key.Key_Escape)
    palette.open()
    assert palette.search.text() == ""
    assert len(palette.rows()) == 3
    assert palette.search.accessibleName() and palette.results.accessibleName()


def test_closing_drops_the_search_still_waiting(qtbot, window):
    asked = []
    palette = CommandPalette(window, [], lambda text: asked.append(text) or [])
    palette.open()
    qtbot.keyClicks(palette.search, "ann")
    qtbot.keyClick(palette.search, Qt.Key.Key_Escape)
    qtbot.wait(CLIENT_SEARCH_DELAY_MS * 3)
    assert asked == []
    palette.open()
    qtbot.keyClicks(palette.search, "ben")
    qtbot.waitUntil(lambda: asked == ["ben"])  # one search once typing stopped
    qtbot.waitUntil(lambda: not palette.busy())
