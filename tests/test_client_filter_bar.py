"""The order and filters above the client list, driven as a user would."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from models.clients.entries import save_interaction
from models.clients.saving import save_client
from models.forms.dialog_forms import ClientForm, InteractionForm
from tests.ui_helpers import when_dialog_opens
from ui.client_list_model import ClientListModel
from ui.client_list_panel import ClientListPanel
from ui.date_fields import DateEdit

TODAY = date(2026, 11, 24)
NOW = datetime(2026, 11, 24, 10, tzinfo=UTC)


@pytest.fixture
def panel(qtbot, database):
    for first, stage, tags, days_ago in (
        ("Anna", "client", "VIP", 3),
        ("Ben", "lead", "", 400),
        ("Cleo", "client", "wedding", 30),
    ):
        client = save_client(ClientForm(first_name=first, stage=stage, tags=tags))
        form = InteractionForm("call", NOW - timedelta(days=days_ago), "Hello")
        save_interaction(form, client.id)
    model = ClientListModel(now=lambda: NOW, today=lambda: TODAY)
    panel = ClientListPanel(model, lambda: TODAY)
    qtbot.addWidget(panel)
    panel.show()
    with qtbot.waitSignal(model.found):
        model.reload()
    return panel


def shown(panel) -> list[str]:
    model = panel.model
    return [model.index(row).data() for row in range(model.rowCount())]


def menu_action(menu, text: str):
    menu.aboutToShow.emit()  # the menu is built as it opens
    return next(a for a in menu.actions() if a.text().startswith(text))


def test_sort_and_filters_narrow_the_list_and_say_how_many_are_on(qtbot, panel):
    bar = panel.filter_bar
    with qtbot.waitSignal(panel.model.found):
        bar.sort.setCurrentIndex(bar.sort.findData("last_contact"))
    assert shown(panel) == ["Anna", "Cleo", "Ben"]

    stage = menu_action(bar.menu, "Stage").menu()
    with qtbot.waitSignal(panel.model.found):
        next(a for a in stage.actions() if a.text() == "Client").trigger()
    assert shown(panel) == ["Anna", "Cleo"]
    assert bar.button.text() == "Filters · 1"

    tags = menu_action(bar.menu, "Tag").menu()
    assert [a.text() for a in tags.actions()] == ["Any tag", "#VIP", "#wedding"]
    with qtbot.waitSignal(panel.model.found):
        next(a for a in tags.actions() if a.text() == "#wedding").trigger()
    assert shown(panel) == ["Cleo"]

    with qtbot.waitSignal(panel.model.found):
        menu_action(bar.menu, "Clear filters").trigger()
    assert shown(panel) == ["Anna", "Cleo", "Ben"]
    assert bar.button.text() == "Filters"


def test_no_contact_since_asks_for_a_day(qtbot, panel):
    bar = panel.filter_bar

    def pick(dialog) -> None:
        dialog.findChild(DateEdit).setDate(date(2026, 1, 1))
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()

    when_dialog_opens(pick)
    with qtbot.waitSignal(panel.model.found):
        menu_action(bar.menu, "No contact since").trigger()
    assert shown(panel) == ["Ben"]
    assert menu_action(bar.menu, "No contact since").text() == "No contact since 01 Jan 2026"
    with qtbot.waitSignal(panel.model.found):
        menu_action(bar.menu, "No contact since").trigger()  # unchecking clears it
    assert shown(panel) == ["Anna", "Ben", "Cleo"]


def test_nothing_matching_says_so(qtbot, panel):
    bar = panel.filter_bar
    with qtbot.waitSignal(panel.model.found):
        menu_action(bar.menu, "Birthday or anniversary this month").trigger()
    assert panel.stack.currentWidget() is panel.no_match
    assert panel.no_match.text() == "No client matches your search and filters."
