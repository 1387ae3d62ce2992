"""The client list from the keyboard: the search field leads to its results."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from PySide6.QtCore import Qt

from models.clients.saving import save_client
from models.forms.dialog_forms import ClientForm
from models.store.entities import Client
from ui.client_list_model import ClientListModel
from ui.client_list_panel import ClientListPanel

TODAY = date(2026, 11, 24)
NOW = datetime(2026, 11, 24, 10, tzinfo=UTC)


@pytest.fixture
def panel(qtbot, database):
    for first, last in (("Anna", "Berg"), ("Ben", "Ek"), ("Cleo", "Berg"), ("Dora", "Lind")):
        save_client(ClientForm(first_name=first, last_name=last))
    model = ClientListModel(now=lambda: NOW, today=lambda: TODAY)
    panel = ClientListPanel(model, lambda: TODAY)
    qtbot.addWidget(panel)
    panel.resize(320, 500)
    panel.show()
    qtbot.waitExposed(panel)
    panel.activateWindow()
    with qtbot.waitSignal(model.found):
        model.reload()
    panel.search.setFocus()
    qtbot.waitUntil(panel.search.hasFocus)
    return panel


def current_name(panel) -> str | None:
    return panel.list.currentIndex().data()


def test_enter_in_the_search_opens_the_first_result_even_before_it_is_in(qtbot, panel):
    cleo = Client.get(Client.first_name == "Cleo").id
    panel.select_client(cleo)
    panel.search.setFocus()
    qtbot.keyClicks(panel.search, "berg")
    with qtbot.waitSignal(panel.client_selected, timeout=5000) as opened:
        qtbot.keyClick(panel.search, Qt.Key.Key_Return)  # the search has not even started
    # Cleo is found again, yet Enter opens the first result.
    assert opened.args == [Client.get(Client.first_name == "Anna").id]
    assert current_name(panel) == "Anna Berg"
    assert panel.list.hasFocus()
    qtbot.keyClick(panel.list, Qt.Key.Key_Down)
    assert current_name(panel) == "Cleo Berg"

    panel.search.setFocus()
    panel.search.clear()
    qtbot.keyClicks(panel.search, "dora")
    qtbot.waitUntil(lambda: panel.model.total() == 1 and not panel.model.searching())
    with qtbot.waitSignal(panel.client_selected) as opened:
        qtbot.keyClick(panel.search, Qt.Key.Key_Enter)
    assert opened.args == [Client.get(Client.first_name == "Dora").id]
    assert current_name(panel) == "Dora Lind" and panel.list.hasFocus()


def test_down_in_the_search_goes_to_the_results(qtbot, panel):
    qtbot.keyClicks(panel.search, "e")  # an initial: Ben Ek
    qtbot.waitUntil(lambda: panel.model.total() == 1 and not panel.model.searching())
    qtbot.keyClick(panel.search, Qt.Key.Key_Down)
    assert panel.list.hasFocus()
    assert current_name(panel) == "Ben Ek"


def test_enter_with_nothing_found_stays_in_the_search(qtbot, panel):
    qtbot.keyClicks(panel.search, "zzz")
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not panel.model.searching() and panel.model.total() == 0)
    qtbot.wait(50)
    assert panel.search.hasFocus()
    assert panel.stack.currentWidget() is panel.no_match


def test_down_right_after_typing_goes_to_the_new_results(qtbot, panel):
    qtbot.keyClicks(panel.search, "lind")
    qtbot.keyClick(panel.search, Qt.Key.Key_Down)  # before the search began
    qtbot.waitUntil(panel.list.hasFocus)
    assert current_name(panel) == "Dora Lind"
