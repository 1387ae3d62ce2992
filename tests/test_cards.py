"""Cards on paper: greeting cards and address labels as PDF (read back with poppler's
pdftotext and pdftoppm), the print dialog, and marking cards sent with undo."""

from __future__ import annotations

import subprocess
import time
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from models.clients.cards import (
    LABEL_SHEETS,
    Card,
    cards_for,
    greetings_between,
    mark_cards_sent,
    next_month,
    without_address,
)
from models.clients.couples import link_partners, set_date_greetings_off
from models.clients.entries import add_yearly_date, save_family_member
from models.clients.saving import save_client
from models.forms.dialog_forms import ClientForm, FamilyMemberForm
from models.store.changes import Change
from models.store.database import db
from models.store.entities import Client, Interaction
from models.store.settings import set_setting
from tests.ui_helpers import NOW, when_dialog_opens, with_reminders
from ui.cards_pdf import PdfError, write_cards, write_labels
from ui.dialogs.print_cards_dialog import PrintCardsDialog, labels_path

BERLIN = ZoneInfo("Europe/Berlin")
TODAY = NOW.astimezone(BERLIN).date()  # Wed 25 Nov 2026
LONG_ADDRESS = "\n".join(
    ["Sonnenblumenweg " + "Hinterhaus Seitenflügel " * 6 + "12a", *(f"Zeile {n}" for n in range(9))]
)


def client(first: str, last: str = "", address: str = "", **details) -> Client:
    return save_client(ClientForm(first_name=first, last_name=last, address=address, **details))


def born(who: Client, day: date) -> None:
    add_yearly_date(who.id, "birthday", day.replace(year=1990))


@pytest.fixture
def december(database):
    """Birthdays and an anniversary in December (next month), with awkward names."""
    set_setting("your_name", "Lena Wolf")
    anna = client("Anna", "Berger", "Hauptstraße 1\n80331 München")
    tom = client("Tom", "Berger")
    link_partners(anna.id, tom.id)
    add_yearly_date(anna.id, "wedding_anniversary", date(2021, 12, 4))
    add_yearly_date(tom.id, "wedding_anniversary", date(2021, 12, 4))  # both hold it: one card
    born(client("<b>Zoë</b>", "<i>Martin</i>", "Rue <script> 5\n69001 Lyon"), date(2026, 12, 2))
    born(client("小明", "王", "北京市朝阳区建国路 88 号"), date(2026, 12, 9))
    born(client("Petra", "Klein"), date(2026, 12, 12))  # no postal address
    born(client("Lange", "Adresse", LONG_ADDRESS), date(2026, 12, 20))
    maria = client("Maria", "Keller", "Am See 2")
    form = FamilyMemberForm(name="Lea", relation="child", has_birthday=True)
    form.birthday_day, form.birthday_month = 5, 12
    save_family_member(form, maria.id)  # a child's birthday: no card of its own
    add_yearly_date(maria.id, "birthday", date(1980, 12, 24))
    set_date_greetings_off(_own_birthday(maria), True)  # no card either
    return {"anna": anna, "tom": tom}


def _own_birthday(who: Client) -> int:
    return next(d.id for d in who.important_dates if d.family_member_id is None)


def december_cards() -> list[Card]:
    first, last = next_month(TODAY)
    assert (first, last) == (date(2026, 12, 1), date(2026, 12, 31))
    return cards_for(greetings_between(first, last, TODAY, BERLIN), TODAY)


def pdf_text(path: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    command = ["pdftotext", "-layout", *pages, str(path), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    pages = next(line for line in info.stdout.splitlines() if line.startswith("Pages:"))
    return int(pages.split()[1])


def rendered(path: Path, tmp_path: Path) -> QImage:
    """Page 1 drawn by poppler, as an image."""
    prefix = tmp_path / path.stem
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "40",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(path),
            str(prefix),
        ],
        check=True,
    )
    return QImage(str(prefix.with_suffix(".png")))


def ink(image: QImage) -> int:
    """How many sampled pixels are not white."""
    return sum(
        image.pixelColor(x, y).lightness() < 200
        for x in range(0, image.width(), 2)
        for y in range(0, image.height(), 2)
    )


def test_next_month_s_cards_hold_the_names_and_texts_as_typed(qtbot, december, tmp_path):
    cards = december_cards()
    assert [card.to for card in cards] == [
        "<b>Zoë</b> <i>Martin</i>",
        "Anna & Tom Berger",  # once for the couple
        "小明 王",
        "Petra Klein",
        "Lange Adresse",
    ]
    assert [card.to for card in without_address(cards)] == ["Petra Klein"]
    path = tmp_path / "cards.pdf"
    assert write_cards(path, cards) == 5
    assert pdf_pages(path) == 5
    assert path.stat().st_mode & 0o777 == 0o600
    text = " ".join(pdf_text(path).split())  # a heading may wrap
    for expected in (
        "Happy birthday, <b>Zoë</b>!",  # markup stays text
        "Happy anniversary, Anna & Tom!",
        "Dear Anna and Tom,",
        "5 years married",
        "Happy birthday, 小明!",
        "Lena Wolf",
    ):
        assert expected in text, expected
    assert "Lea" not in text and "Maria" not in text  # a child's birthday; greetings off
    assert ink(rendered(path, tmp_path)) > 50
    folded = tmp_path / "folded.pdf"
    assert write_cards(folded, cards, "a5_folded") == 10
    assert pdf_pages(folded) == 10  # outside and inside of each
    assert "Dear Anna and Tom," in pdf_text(folded, 4)
    assert "Happy anniversary" in pdf_text(folded, 3)


def test_labels_fill_avery_l7160_and_5160_sheets(qtbot, december, tmp_path):
    cards = december_cards()
    addressed = [card for card in cards if card.address_lines]
    many = (addressed * 7)[:25]
    l7160 = tmp_path / "l7160.pdf"
    assert write_labels(l7160, many + without_address(cards), LABEL_SHEETS["L7160"]) == 25
    assert pdf_pages(l7160) == 2
    first, second = pdf_text(l7160, 1), pdf_text(l7160, 2)
    names = ("Zoë", "Anna & Tom Berger", "王", "Lange Adresse")
    assert sum(first.count(name) for name in names) == 21  # 3 x 7
    assert sum(second.count(name) for name in names) == 4
    assert "Petra" not in first + second  # no address, no label
    assert "Rue <script> 5" in first
    assert "北京市朝阳区建国路" in first
    assert "…" in first  # the long address is cut, not spilled onto the next label
    letter = tmp_path / "5160.pdf"
    assert write_labels(letter, many, LABEL_SHEETS["5160"]) == 25
    assert pdf_pages(letter) == 1  # 3 x 10 on a page
    assert ink(rendered(letter, tmp_path)) > 50
    sheet = LABEL_SHEETS["L7160"]
    assert sheet.label_at(0) == (0, 7.25, 15.15)
    assert sheet.label_at(20)[0] == 0 and sheet.label_at(21) == (1, 7.25, 15.15)
    right, bottom = sheet.label_at(20)[1] + sheet.width, sheet.label_at(20)[2] + sheet.height
    assert right <= 210 and bottom <= 297  # inside the A4 page


def test_500_cards_are_written_in_about_a_second(qtbot, december, tmp_path):
    cards = (december_cards() * 100)[:500]
    started = time.perf_counter()
    write_cards(tmp_path / "many.pdf", cards)
    write_labels(tmp_path / "many-labels.pdf", cards, LABEL_SHEETS["L7160"])
    took = time.perf_counter() - started
    assert pdf_pages(tmp_path / "many.pdf") == 500
    assert took < 10, f"{took:.1f} s for 500 cards and 400 labels"  # about 1 s here


def test_a_folder_that_cannot_be_written_is_said(qtbot, december, tmp_path):
    with pytest.raises(PdfError, match="could not write"):
        write_cards(tmp_path / "missing" / "cards.pdf", december_cards())


def test_print_from_today_lists_who_has_no_address_and_marks_each_card_sent(
    qtbot, open_window, database, tmp_path
):
    anna = client("Anna", "Berger", "Hauptstraße 1")
    tom = client("Tom", "Berger")
    link_partners(anna.id, tom.id)
    add_yearly_date(anna.id, "wedding_anniversary", TODAY.replace(year=2021) + timedelta(days=3))
    petra = client("Petra", "Klein")
    born(petra, TODAY + timedelta(days=2))
    window = open_window(zone=BERLIN)
    with_reminders(qtbot, window)
    rows = window.today_view.rows
    assert all(row.for_card.isVisibleTo(row) for row in rows)
    for row in rows:
        row.for_card.setChecked(True)
    target = tmp_path / "cards.pdf"

    def print_them(dialog: PrintCardsDialog) -> None:
        assert dialog.source.currentText() == "Selected on Today (2)"
        qtbot.waitUntil(lambda: not dialog.reading)
        assert dialog.list.count() == 2
        assert dialog.no_address.text().endswith(": Petra Klein")
        assert dialog.no_address.textFormat() == Qt.TextFormat.PlainText
        dialog.print_to(target)
        qtbot.waitUntil(lambda: not (dialog.printing or dialog.reading), timeout=10000)
        assert dialog.list.count() == 0  # sent: not offered again
        assert "Saved cards.pdf. 1 label(s) in cards-labels.pdf." in dialog.said.text()
        dialog.reject()

    seen = when_dialog_opens(print_them, kind=PrintCardsDialog)
    window.today_view.print_button.click()
    assert len(seen) == 1
    assert "Anna & Tom Berger" in pdf_text(target)
    assert "Anna & Tom Berger" in pdf_text(labels_path(target))
    cards = Interaction.select().where(Interaction.kind == "card")
    assert sorted(i.client_id for i in cards) == sorted([anna.id, tom.id, petra.id])
    assert {i.summary for i in cards} >= {"Card: Happy birthday, Petra!"}
    assert window.undo.undo()
    assert Interaction.select().count() == 0  # all three histories, one Ctrl+Z
    window.quit()


def test_nothing_chosen_prints_nothing(qtbot, database):
    client("Anna", "Berger", "Hauptstraße 1")
    dialog = PrintCardsDialog([], TODAY, BERLIN, lambda: NOW, _undo())
    qtbot.addWidget(dialog)
    assert dialog.source.currentData() == "next_month"
    qtbot.waitUntil(lambda: not dialog.reading)
    assert dialog.list.count() == 0
    assert not dialog.print_button.isEnabled()
    assert dialog.said.text() == "No birthdays or anniversaries to write for here."
    born(Client.get(), date(2026, 12, 3))
    dialog.source.setCurrentIndex(1)
    dialog._fill()
    qtbot.waitUntil(lambda: not dialog.reading)
    assert dialog.list.count() == 1 and dialog.print_button.isEnabled()
    dialog.list.item(0).setCheckState(Qt.CheckState.Unchecked)
    assert not dialog.print_button.isEnabled()
    assert dialog.said.text() == "Choose at least one card."


def test_the_other_source_chosen_in_the_dialog_lists_its_cards(qtbot, december):
    """Opened on the cards ticked on Today, then "All of next month" picked in the dialog."""
    first, last = next_month(TODAY)
    ticked = greetings_between(first, last, TODAY, BERLIN)[:1]
    dialog = PrintCardsDialog(ticked, TODAY, BERLIN, lambda: NOW, _undo())
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.reading)
    assert dialog.list.count() == 1
    dialog.source.setCurrentIndex(1)
    qtbot.waitUntil(lambda: not dialog.reading)
    assert dialog.list.count() == 5 and dialog.said.text() == "5 card(s) chosen."
    dialog.source.setCurrentIndex(0)
    qtbot.waitUntil(lambda: not dialog.reading)
    assert dialog.list.count() == 1 and dialog.said.text() == "1 card(s) chosen."


def _undo():
    from ui.undo import UndoCommands

    return UndoCommands(lambda: NOW)


def _slowly(work):
    """`work` as slow as it is with a month of cards at a large studio."""

    def slowly(*args):
        time.sleep(0.5)
        return work(*args)

    return slowly


@pytest.fixture
def slow_reading(monkeypatch):
    """Cards read slowly, on the dialog's worker."""
    from ui.dialogs import print_cards_dialog

    monkeypatch.setattr(print_cards_dialog, "cards_for", _slowly(cards_for))


def test_the_dialog_shows_at_once_and_reads_the_cards_meanwhile(qtbot, december, slow_reading):
    started = time.perf_counter()
    dialog = PrintCardsDialog([], TODAY, BERLIN, lambda: NOW, _undo())
    qtbot.addWidget(dialog)
    dialog.show()
    assert time.perf_counter() - started < 0.4  # the window was not held up
    assert dialog.reading and dialog.list.count() == 0
    assert dialog.said.text() == "Reading the birthdays and anniversaries…"
    assert not dialog.print_button.isEnabled()
    qtbot.waitUntil(lambda: not dialog.reading)
    assert dialog.list.count() == 5 and dialog.said.text() == "5 card(s) chosen."


def test_a_dialog_closed_while_it_reads_is_let_go_once_read(qtbot, december, slow_reading):
    from PySide6.QtWidgets import QWidget
    from shiboken6 import isValid

    window = QWidget()  # as the main window opens it
    qtbot.addWidget(window)
    dialog = PrintCardsDialog([], TODAY, BERLIN, lambda: NOW, _undo(), parent=window)
    dialog.show()
    dialog.reject()
    qtbot.wait(100)
    assert isValid(dialog) and dialog.reading  # its worker still reads
    qtbot.waitUntil(lambda: not isValid(dialog), timeout=5000)
    assert window.findChildren(PrintCardsDialog) == []  # no dialog kept per Ctrl+P


def test_thousands_without_an_address_are_counted_not_all_named(qtbot, december):
    for number in range(10):
        born(client(f"Nomad{number}"), date(2026, 12, 15))
    dialog = PrintCardsDialog([], TODAY, BERLIN, lambda: NOW, _undo())
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.reading)
    named = ", ".join(["Petra Klein", *(f"Nomad{number}" for number in range(7))])
    assert dialog.no_address.text().endswith(f": {named} and 3 more")  # of 11


@pytest.fixture
def slow_marking(monkeypatch):
    """Cards marked as sent slowly, on the worker of the undo commands."""
    from ui.dialogs import print_cards_dialog

    monkeypatch.setattr(print_cards_dialog, "mark_cards_sent", _slowly(mark_cards_sent))


def test_cards_are_marked_as_sent_on_the_worker(qtbot, december, slow_marking, tmp_path):
    undo = _undo()
    offered = []
    undo.offered.connect(offered.append)
    reported = []
    undo.changes.changed.connect(reported.append)
    dialog = PrintCardsDialog([], TODAY, BERLIN, lambda: NOW, undo)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.reading)
    dialog.print_to(tmp_path / "cards.pdf")
    qtbot.waitUntil(lambda: "Marking" in dialog.said.text(), timeout=10000)
    started = time.perf_counter()
    qtbot.wait(50)  # the window's thread runs its events while the worker marks
    assert time.perf_counter() - started < 0.3
    assert dialog.said.text() == "Marking 5 card(s) as sent…" and dialog.printing
    assert not offered and not dialog.print_button.isEnabled()
    dialog.list.item(0).setCheckState(Qt.CheckState.Unchecked)  # no second print meanwhile
    assert not dialog.print_button.isEnabled()
    assert dialog.said.text() == "Marking 5 card(s) as sent…"
    qtbot.waitUntil(lambda: not (dialog.printing or dialog.reading), timeout=10000)
    assert offered == ["Printed 5 card(s)"]
    assert Interaction.select().where(Interaction.kind == "card").count() == 6  # both Bergers
    # One report for the clients whose data changed alike: five with a card and its
    # reminder closed, Tom with Anna's card on his history too.
    anna, tom = december["anna"].id, december["tom"].id
    cards_and_reminders, card_only = reported
    assert cards_and_reminders.kinds == {"interactions", "reminders"}
    assert len(cards_and_reminders.client_ids) == 5 and anna in cards_and_reminders.client_ids
    assert card_only == Change(frozenset({tom}), frozenset({"interactions"}))
    assert undo.undo()
    assert Interaction.select().count() == 0


def test_cards_written_as_rapport_quits_are_still_marked_as_sent(
    qtbot, december, open_window, monkeypatch, tmp_path
):
    """Printed, the dialog closed and Rapport quit while the PDF is written: quitting waits
    for the PDF, then for the cards to be marked as sent (else they would be offered, and
    printed, again at the next start)."""
    import ui.cards_pdf

    monkeypatch.setattr(ui.cards_pdf, "write_cards", _slowly(write_cards))
    window = open_window(zone=BERLIN)
    dialog = PrintCardsDialog([], TODAY, BERLIN, lambda: NOW, window.undo, parent=window)
    qtbot.waitUntil(lambda: not dialog.reading)
    dialog.print_to(tmp_path / "cards.pdf")
    dialog.reject()
    window.quit()
    assert (tmp_path / "cards.pdf").exists()
    assert Interaction.select().where(Interaction.kind == "card").count() == 6  # both Bergers


def test_cards_not_marked_say_so_and_change_nothing(qtbot, december, monkeypatch, tmp_path):
    from ui.dialogs import print_cards_dialog

    def full_disk(cards, now):
        mark_cards_sent(cards, now)  # the cards' lines written, then the transaction fails
        raise OSError("database or disk is full")

    def in_one_transaction(cards, now):
        with db.atomic():
            full_disk(cards, now)

    monkeypatch.setattr(print_cards_dialog, "mark_cards_sent", in_one_transaction)
    undo = _undo()
    dialog = PrintCardsDialog([], TODAY, BERLIN, lambda: NOW, undo)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.reading)
    dialog.print_to(tmp_path / "cards.pdf")
    qtbot.waitUntil(lambda: not dialog.printing, timeout=10000)
    assert dialog.said.text() == (
        "Saved cards.pdf. 4 label(s) in cards-labels.pdf."
        " The cards were not marked as sent: database or disk is full"
    )
    assert dialog.print_button.isEnabled() and dialog.list.count() == 5
    assert Interaction.select().count() == 0 and len(undo.history) == 0
