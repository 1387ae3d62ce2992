"""File > Export as vCard asks whether to include the private notes (left out unless the
owner says so) and says what it left out."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from models.clients import save_client
from models.entities import Note
from models.forms import ClientForm
from tests.ui_helpers import when_dialog_opens
from ui.exports import Exports


@pytest.fixture
def exports(qtbot, database, tmp_path) -> Exports:
    anna = save_client(ClientForm(first_name="Anna"))
    Note.create(client=anna, text="Afraid of dogs")
    Note.create(client=anna, text="Pays late")
    save_client(ClientForm(first_name="Jens"))
    parent = QWidget()
    qtbot.addWidget(parent)
    return Exports(
        parent, lambda: datetime(2026, 6, 16, 9, tzinfo=UTC), tmp_path / "rapport.sqlite"
    )


def export_answering(qtbot, exports: Exports, button: str, target) -> tuple[list, list]:
    """Export all clients to `target`, pressing `button` in the question about notes;
    (what the question said, what the status bar is told)."""
    asked: list = []

    def answer(box: QMessageBox) -> None:
        asked.append((box.text(), box.defaultButton().text()))
        next(b for b in box.buttons() if b.text() == button).click()

    def save_as(dialog: QFileDialog) -> None:
        dialog.selectFile(str(target))
        dialog.accept()

    when_dialog_opens(answer, kind=QMessageBox)
    if button != "Cancel":
        when_dialog_opens(save_as, kind=QFileDialog)
        with qtbot.waitSignal(exports.written, timeout=10000) as written:
            exports.vcards()
        return asked, written.args
    exports.vcards()
    return asked, []


def test_notes_are_left_out_by_default_and_the_status_says_so(qtbot, exports, tmp_path):
    target = tmp_path / "clients.vcf"
    asked, said = export_answering(qtbot, exports, "Leave notes out", target)
    assert asked == [("Include the 2 private notes?", "Leave notes out")]
    assert said == [f"Wrote 2 clients to {target}; left out 2 private notes"]
    assert "NOTE" not in target.read_text()


def test_notes_go_out_when_the_owner_says_so(qtbot, exports, tmp_path):
    target = tmp_path / "clients.vcf"
    _asked, said = export_answering(qtbot, exports, "Include notes", target)
    assert said == [f"Wrote 2 clients to {target}"]
    assert "NOTE:Afraid of dogs" in target.read_text()


def test_cancel_writes_nothing(qtbot, exports, tmp_path):
    asked, _said = export_answering(qtbot, exports, "Cancel", tmp_path / "clients.vcf")
    assert len(asked) == 1 and list(tmp_path.glob("*.vcf*")) == []
