"""Every kind of record on the client page is added, edited and deleted the same way, from
the page's table of kinds; each change is taken back with Ctrl+Z."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox, QPlainTextEdit

from models.clients import save_client
from models.entities import FamilyMember, FollowUp, ImportantDate, Interaction, Note, Wish
from models.forms import ClientForm
from tests.ui_helpers import answer_delete, when_dialog_opens

# Each kind, and the text field its dialog names it by.
KINDS = [
    (Interaction, "summary"),
    (Note, "text"),
    (FamilyMember, "name"),
    (ImportantDate, "label"),
    (FollowUp, "title"),
    (Wish, "text"),
]


def _type_and_save(field: str, text: str):
    def type_and_save(dialog) -> None:
        widget = getattr(dialog, field)
        widget.setPlainText(text) if isinstance(widget, QPlainTextEdit) else widget.setText(text)
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()

    return type_and_save


def _show_table(page, table) -> None:
    """Open the tab the table is on: a user double-clicks only what they see."""
    tabs = page.tabs
    [tab] = [
        i
        for i in range(tabs.count())
        if table in (tabs.widget(i), *tabs.widget(i).findChildren(type(table)))
    ]
    tabs.setCurrentIndex(tab)


@pytest.mark.parametrize(("model", "field"), KINDS, ids=[model.__name__ for model, _ in KINDS])
def test_each_kind_is_added_edited_and_deleted_and_each_change_undone(
    qtbot, open_window, database, model, field
):
    anna = save_client(ClientForm(first_name="Anna", last_name="Berger"))
    window = open_window()
    window.open_client(anna.id)
    page = window.page
    table = page.kinds[model].table

    def texts() -> list[str]:
        return sorted(getattr(record, field) for record in model.select())

    def row_of(text: str):
        [row] = [
            r for r in range(table.model().rowCount()) if getattr(table.record_at(r), field) == text
        ]
        return table.model().index(row, 0)

    before = texts()
    when_dialog_opens(_type_and_save(field, "First"))
    page.add(model)
    assert texts() == sorted([*before, "First"])
    assert window.undo_bar.message.text() == f"{page.kinds[model].added} — Anna Berger"
    window.undo.undo()
    assert texts() == before

    when_dialog_opens(_type_and_save(field, "First"))
    page.add(model)
    _show_table(page, table)
    when_dialog_opens(_type_and_save(field, "Second"))
    rect = table.visualRect(row_of("First"))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert texts() == sorted([*before, "Second"])
    assert window.undo_bar.message.text().startswith("Edited")
    window.undo.undo()
    assert texts() == sorted([*before, "First"])

    table.setCurrentIndex(row_of("First"))
    table.setFocus()
    asked = when_dialog_opens(answer_delete, kind=QMessageBox)
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert len(asked) == 1
    assert texts() == before
    assert window.undo_bar.message.text().startswith("Deleted")
    window.undo.undo()
    assert texts() == sorted([*before, "First"])
