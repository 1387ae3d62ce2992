"""File > Import… as a user: map, preview with duplicates, choose, import, or cancel."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox, QPushButton

from models.clients import save_client
from models.entities import Client, ContactDetail, ImportantDate
from models.forms import ClientForm
from models.importing.csv_reader import sniff_csv
from models.importing.limits import MAX_RECORDS
from models.importing.plan import Choice, plan_import
from models.importing.records import ImportRecord, ReadResult
from models.importing.vcard_reader import read_vcards
from tests.test_cli import rapport
from tests.ui_helpers import wait_for_client_list, when_dialog_opens
from ui.dialogs.csv_mapping_dialog import CsvMappingDialog
from ui.dialogs.import_preview_dialog import ImportPreviewDialog

DATA = Path(__file__).parent / "data"

CARDS = """BEGIN:VCARD
VERSION:3.0
N:Berger;Anna;;;
FN:Anna Berger
EMAIL;TYPE=HOME:anna@example.org
BDAY:--0415
NOTE:Prefers mornings
END:VCARD
BEGIN:VCARD
VERSION:3.0
N:Lefèvre;Chloé;;;
FN:Chloé Lefèvre
TEL;TYPE=CELL:+33 6 12 34 56 78
CATEGORIES:wedding,VIP
END:VCARD
BEGIN:VCARD
VERSION:3.0
N:;;;;
EMAIL:bea@example.org
BDAY:2023-02-30
END:VCARD
"""


@pytest.fixture
def window(open_window, database):
    save_client(ClientForm(first_name="Anna", last_name="Berger", emails="anna@example.org"))
    return open_window()


def cell(table, row: int, column: int) -> str:
    return table.model().index(row, column).data()


def _answer(messages: list[str]):
    def answer(box: QMessageBox) -> None:
        messages.append(box.text())
        box.accept()

    return answer


def test_import_vcards_merge_the_known_one_and_see_what_was_rejected(qtbot, window, tmp_path):
    path = tmp_path / "contacts.vcf"
    path.write_text(CARDS, encoding="utf-8")
    said: list[str] = []

    def preview(dialog: ImportPreviewDialog) -> None:
        assert dialog.people.model().rowCount() == 2
        assert cell(dialog.people, 0, 2) == "Anna Berger (same email anna@example.org)"
        assert cell(dialog.people, 1, 1).startswith("Chloé Lefèvre — 1 phone")
        assert cell(dialog.rejected, 0, 0) == "16"  # the line Bea's nameless card starts on
        assert "no name (only bea@example.org)" in cell(dialog.rejected, 0, 1)
        dialog.choose_for_known(Choice.MERGE)
        assert dialog.import_button.text() == "Import 2"
        when_dialog_opens(_answer(said), kind=QMessageBox)
        dialog.import_button.click()

    when_dialog_opens(preview, kind=ImportPreviewDialog)
    window.import_flow.start(path)
    qtbot.waitUntil(lambda: not window.import_flow.busy, timeout=10000)
    assert said == ["Added 1 client, merged 1; 1 record rejected."]
    assert Client.select().count() == 2
    anna = Client.get(Client.first_name == "Anna")
    assert ImportantDate.get(ImportantDate.client == anna).year is None  # --0415: no year
    chloe = Client.get(Client.first_name == "Chloé")
    assert ContactDetail.get(ContactDetail.client == chloe).value == "+33 6 12 34 56 78"
    wait_for_client_list(qtbot, window)
    assert window.list_model.total() == 2


def test_cancelling_the_preview_writes_nothing(qtbot, window, tmp_path):
    path = tmp_path / "contacts.vcf"
    path.write_text(CARDS, encoding="utf-8")
    when_dialog_opens(lambda dialog: dialog.reject(), kind=ImportPreviewDialog)
    window.import_flow.start(path)
    qtbot.waitUntil(lambda: not window.import_flow.busy, timeout=10000)
    assert Client.select().count() == 1


def test_a_csv_is_mapped_then_imported(qtbot, window, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(
        "Vorname;Nachname;E-Mail;Geburtstag\nJonas;Weber;jonas@example.de;15.04.1990\n",
        encoding="cp1252",
    )
    said: list[str] = []

    def mapping(dialog: CsvMappingDialog) -> None:
        chosen = [box.currentData() for box in dialog.choosers]
        assert chosen[0] == "first_name" and chosen[2] == "email", chosen
        dialog.choosers[3].setCurrentIndex(dialog.choosers[3].findData("birthday"))
        when_dialog_opens(preview, kind=ImportPreviewDialog)
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()

    def preview(dialog: ImportPreviewDialog) -> None:
        when_dialog_opens(_answer(said), kind=QMessageBox)
        dialog.import_button.click()

    when_dialog_opens(mapping, kind=CsvMappingDialog)
    window.import_flow.start(path)
    qtbot.waitUntil(lambda: not window.import_flow.busy, timeout=10000)
    assert said == ["Added 1 client."]
    jonas = Client.get(Client.first_name == "Jonas")
    birthday = ImportantDate.get(ImportantDate.client == jonas)
    assert (birthday.day, birthday.month, birthday.year) == (15, 4, 1990)


@pytest.mark.parametrize("name", ["csv/google_contacts.csv", "vcard/google_contacts_3.0.vcf"])
def test_nothing_stands_over_the_preview_once_it_is_open(qtbot, window, name):
    """The "Reading…" progress dialog of a quick read was only closed, so its timer still
    showed it, modal, over the preview when its minimum duration (Qt's 4 s) had passed."""
    in_front: list = []

    def preview(dialog: ImportPreviewDialog) -> None:
        def look() -> None:
            in_front.append(QApplication.activeModalWidget() is dialog)
            dialog.reject()

        QTimer.singleShot(4500, look)  # past any minimum duration of the progress dialog

    def mapping(dialog: CsvMappingDialog) -> None:
        when_dialog_opens(preview, kind=ImportPreviewDialog)
        dialog.accept()

    if name.endswith(".csv"):
        when_dialog_opens(mapping, kind=CsvMappingDialog)
    else:
        when_dialog_opens(preview, kind=ImportPreviewDialog)
    window.import_flow.start(DATA / name)
    qtbot.waitUntil(lambda: not window.import_flow.busy, timeout=15000)
    assert in_front == [True]


def test_a_file_that_cannot_be_read_is_explained(qtbot, window, tmp_path):
    path = tmp_path / "photo.vcf"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    said: list[str] = []
    when_dialog_opens(_answer(said), kind=QMessageBox)
    window.import_flow.start(path)
    qtbot.waitUntil(lambda: not window.import_flow.busy, timeout=10000)
    assert said and said[0].endswith("Nothing was imported.")
    assert Client.select().count() == 1


def test_cancel_a_long_import_and_nothing_is_written(qtbot, window, tmp_path):
    path = tmp_path / "many.vcf"
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Person{0};Test;;;\r\nFN:Test Person{0}\r\nEND:VCARD\r\n"
    path.write_text("".join(card.format(number) for number in range(8000)), encoding="utf-8")
    said: list[str] = []
    work = window.import_flow.work

    def preview(dialog: ImportPreviewDialog) -> None:
        when_dialog_opens(_answer(said), kind=QMessageBox, attempts=2000)
        dialog.import_button.click()

    previewed = when_dialog_opens(preview, kind=ImportPreviewDialog, attempts=2000)
    window.import_flow.start(path)
    # Writing is quick now (a few thousand people a second): cancel as soon as the first
    # people are written, not when the dialog has waited its minimum duration to appear.
    qtbot.waitUntil(
        lambda: bool(previewed) and work.progress is not None and work.progress.value() > 0,
        timeout=20000,
    )
    work.progress.findChild(QPushButton).click()  # "Cancel", as the owner would
    qtbot.waitUntil(lambda: not window.import_flow.busy, timeout=20000)
    assert said == ["Import cancelled; nothing was written."]
    assert Client.select().count() == 1


def test_a_choice_is_made_in_the_row_as_with_a_mouse(qtbot, database):
    save_client(ClientForm(first_name="Anna", last_name="Berger", emails="anna@example.org"))
    dialog = ImportPreviewDialog(plan_import(read_vcards(CARDS.encode())), "contacts.vcf")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.choices() == {0: Choice.SKIP, 1: Choice.ADD}
    assert dialog.import_button.text() == "Import 1"
    dialog.people.setCurrentIndex(dialog.people.model().index(0, 3))  # opens its combo box
    editor = dialog.people.indexWidget(dialog.people.model().index(0, 3))
    assert [editor.itemText(i) for i in range(editor.count())] == [
        "Add as new",
        "Skip",
        "Merge into Anna Berger",
    ]
    editor.setCurrentIndex(2)
    editor.activated.emit(2)
    assert dialog.choices()[0] == Choice.MERGE
    assert cell(dialog.people, 0, 3) == "Merge into Anna Berger"
    assert dialog.import_button.text() == "Import 2"


def test_merge_all_known_with_many_known_people(qtbot, database):
    """Every known person's choice changes, and the count follows once. Known means
    certainly: the same email. The same name alone is only possibly them: added."""
    rows = [{"first_name": f"Known{n}", "last_name": "Person"} for n in range(2000)]
    with database.atomic():
        Client.insert_many(rows).execute()
        emails = [{"client": n + 1, "kind": "email", "value": f"k{n}@x.org"} for n in range(1000)]
        ContactDetail.insert_many(emails).execute()
    card = "BEGIN:VCARD\r\nN:Person;Known{0};;;\r\nFN:Known{0} Person\r\n{1}END:VCARD\r\n"
    plan = plan_import(
        read_vcards(
            "".join(
                card.format(n, f"EMAIL:k{n}@x.org\r\n" * (n < 1000)) for n in range(2000)
            ).encode()
        )
    )
    dialog = ImportPreviewDialog(plan, "contacts.vcf")
    qtbot.addWidget(dialog)
    # The first thousand (same email) are skipped; the others (same name) added.
    assert dialog.import_button.text() == "Import 1000"
    assert cell(dialog.people, 1000, 2) == "Known1000 Person (possibly: same name)"
    dialog.choose_for_known(Choice.MERGE)
    choices = dialog.choices()
    assert {choices[n] for n in range(1000)} == {Choice.MERGE}
    assert {choices[n] for n in range(1000, 2000)} == {Choice.ADD}
    assert dialog.import_button.text() == "Import 2000"


def test_a_preview_of_tens_of_thousands_makes_only_the_rows_in_sight(qtbot, database, monkeypatch):
    """The preview's cells are made as the view draws them, not 50,000 items up front
    (which took seconds and 130 MB on the window's thread)."""
    people = [ImportRecord(n, f"Anna{n}", "Berger") for n in range(MAX_RECORDS)]
    made: list[int] = []
    words = ImportPreviewDialog.already_words
    monkeypatch.setattr(
        ImportPreviewDialog,
        "already_words",
        lambda dialog, planned: made.append(planned.record.line) or words(dialog, planned),
    )
    plan = plan_import(ReadResult(people))
    started = time.monotonic()
    dialog = ImportPreviewDialog(plan, "contacts.csv")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    # About 0.4 s here with every choice drawn as a drop-down; the bound leaves room for CI.
    assert time.monotonic() - started < 5
    assert dialog.people.model().rowCount() == MAX_RECORDS
    assert 0 < len(set(made)) <= 1100  # Qt measures the columns on the first 1,000 rows
    assert dialog.import_button.text() == f"Import {MAX_RECORDS}"
    dialog.people.scrollToBottom()
    qtbot.wait(50)
    assert MAX_RECORDS - 1 in made


def test_progress_is_shown_a_few_times_a_second_not_once_per_person(qtbot, window):
    work = window.import_flow.work
    shown: list[tuple[int, int]] = []
    work._show_progress = shown.append  # what reaches the window's thread
    total = 20_000
    started = time.monotonic()
    assert all(work.report_progress(done, total) for done in range(total + 1))
    qtbot.waitUntil(lambda: shown and shown[-1] == (total, total), timeout=5000)
    assert shown[0] == (0, total)
    assert len(shown) <= 2 + (time.monotonic() - started) / work.SHOW_EVERY


@pytest.fixture
def empty_window(open_window, database):
    return open_window()


def an_archive(tmp_path: Path) -> Path:
    """A full export of another Rapport, with a portable setting and one naming a file."""
    other, archive = tmp_path / "other.sqlite", tmp_path / "everything.zip"
    cards = tmp_path / "cards.vcf"
    cards.write_text(CARDS)
    rapport(tmp_path, "import", cards, "--db", other)
    with sqlite3.connect(other) as connection:
        connection.executemany(
            "INSERT INTO setting (key, value) VALUES (?, ?)",
            [("calendar_file", str(tmp_path / "victim.txt")), ("your_name", "Mira")],
        )
    assert rapport(tmp_path, "export", "full", archive, "--db", other).returncode == 0
    return archive


def test_a_full_archive_is_imported_into_an_empty_database(qtbot, empty_window, tmp_path):
    archive = an_archive(tmp_path)
    said: list[str] = []
    when_dialog_opens(_answer(said), kind=QMessageBox)
    empty_window.import_flow.start(archive)
    qtbot.waitUntil(lambda: not empty_window.import_flow.busy, timeout=20000)
    assert said == [
        "Imported 2 clients and everything about them.\n\n"
        "Settings taken from the archive: your name. "
        "Settings left as they are on this computer: calendar file."
    ]
    assert sorted(c.first_name for c in Client.select()) == ["Anna", "Chloé"]
    qtbot.waitUntil(lambda: empty_window.list_model.rowCount() == 2, timeout=5000)


def test_a_full_archive_is_refused_when_the_database_has_clients(qtbot, window, tmp_path):
    archive = an_archive(tmp_path)
    said: list[str] = []
    when_dialog_opens(_answer(said), kind=QMessageBox)
    window.import_flow.start(archive)
    qtbot.waitUntil(lambda: not window.import_flow.busy, timeout=20000)
    assert len(said) == 1 and "already has clients" in said[0]
    assert [c.first_name for c in Client.select()] == ["Anna"]


def test_a_calendar_file_is_said_to_be_one(qtbot, window, tmp_path):
    path = tmp_path / "birthdays.ics"
    path.write_text("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n")
    said: list[str] = []
    when_dialog_opens(_answer(said), kind=QMessageBox)
    window.import_flow.start(path)
    qtbot.waitUntil(lambda: not window.import_flow.busy, timeout=10000)
    assert len(said) == 1 and "calendar file" in said[0] and "not a contacts file" in said[0]


def test_an_unsure_encoding_is_said_and_chosen_in_the_mapping(qtbot, window):
    """A short Hebrew file: the mapping says Rapport is unsure and offers the encodings;
    the values shown follow the one chosen, and the import reads the file in it."""
    seen: dict = {}

    def mapping(dialog: CsvMappingDialog) -> None:
        seen["unsure"] = dialog.unsure.isVisibleTo(dialog)
        seen["offered"] = [dialog.encodings.itemData(i) for i in range(4)]
        dialog.encodings.setCurrentIndex(dialog.encodings.findData("cp1251"))
        dialog.encodings.activated.emit(dialog.encodings.currentIndex())
        seen["cyrillic"] = dialog.columns.item(0, 2).text()
        dialog.encodings.setCurrentIndex(dialog.encodings.findData("cp1255"))
        dialog.encodings.activated.emit(dialog.encodings.currentIndex())
        seen["hebrew"] = dialog.columns.item(0, 2).text()
        when_dialog_opens(preview, kind=ImportPreviewDialog)
        dialog.accept()

    def preview(dialog: ImportPreviewDialog) -> None:
        when_dialog_opens(_answer([]), kind=QMessageBox)
        dialog.import_button.click()

    when_dialog_opens(mapping, kind=CsvMappingDialog)
    window.import_flow.start(DATA / "csv" / "encoding_windows_1255.csv")
    qtbot.waitUntil(lambda: not window.import_flow.busy, timeout=10000)
    assert seen["unsure"] is True
    assert seen["offered"] == ["cp1255", "koi8_r", "cp1251", "cp1253"]
    assert seen["cyrillic"].startswith("דוד".encode("cp1255").decode("cp1251"))  # garbled
    assert seen["hebrew"] == "דוד · שרה · משה"
    assert Client.select().where(Client.first_name == "דוד").count() == 1


def test_the_read_as_drop_downs_are_not_clipped(qtbot, database):
    data = (DATA / "csv" / "outlook.csv").read_bytes()
    dialog = CsvMappingDialog(sniff_csv(data), "outlook.csv")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    box = dialog.choosers[1]
    assert box.height() >= box.sizeHint().height()
    assert box.width() >= box.sizeHint().width()


def test_a_choice_is_a_drop_down_opened_with_one_click_and_wide_enough(qtbot, database):
    """Skip to Merge took a double-click on plain-looking text and showed "Merge int…"."""
    save_client(ClientForm(first_name="Anna", last_name="Berger", emails="anna@example.org"))
    dialog = ImportPreviewDialog(plan_import(read_vcards(CARDS.encode())), "contacts.vcf")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    grid = dialog.people
    index = grid.model().index(0, 3)
    merge = grid.fontMetrics().horizontalAdvance("Merge into Anna Berger")
    assert grid.columnWidth(3) > merge + 20  # the text and the drop-down's arrow
    QTest.mouseClick(
        grid.viewport(), Qt.MouseButton.LeftButton, pos=grid.visualRect(index).center()
    )
    editor = grid.indexWidget(index)
    qtbot.waitUntil(lambda: editor.view().isVisible(), timeout=2000)
    assert editor.height() >= editor.sizeHint().height()
    editor.hidePopup()


@pytest.mark.parametrize(
    ("counts", "words"),
    [
        ((1, 1, 1), "1 person can be imported (1 seems to be a client already); 1 record cannot."),
        ((2, 0, 3), "2 people can be imported; 3 records cannot."),
        ((5, 2, 0), "5 people can be imported (2 seem to be clients already)."),
    ],
)
def test_the_preview_counts_in_the_right_number(qtbot, database, counts, words):
    dialog = ImportPreviewDialog(plan_import(read_vcards(CARDS.encode())), "contacts.vcf")
    qtbot.addWidget(dialog)
    assert dialog.intro_words(*counts) == f"{words} Nothing is written until you press Import."


def test_the_mapping_keeps_the_parts_of_an_address_as_detected(qtbot, database):
    """Google's split address columns stay parts of their address through the dialog."""
    data = (DATA / "csv" / "google_split_addresses.csv").read_bytes()
    table = sniff_csv(data)
    dialog = CsvMappingDialog(table, "contacts.csv")
    qtbot.addWidget(dialog)
    assert dialog.mapping().parts_of == table.mapping.parts_of != {}
