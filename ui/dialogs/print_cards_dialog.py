"""Print cards: choose birthdays and anniversaries (those selected on Today, or all of next
month), write a PDF of greeting cards from the templates and one of address labels, and
mark each card as sent on the history (Ctrl+Z takes it back).

Clients without a postal address are named, not skipped: their card is printed (to hand
over), but they get no label.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from background.database_worker import DatabaseWorker
from models.clients.cards import (
    CARD_SIZES,
    LABEL_SHEETS,
    Card,
    card_clients,
    cards_for,
    greetings_between,
    mark_cards_sent,
    next_month,
    without_address,
)
from models.reminders.rules import Reminder
from models.values.kinds import IMPORTANT_DATE_KINDS
from ui.client_header import plain_label
from ui.file_dialogs import save_file
from ui.formatting import vocabulary
from ui.undo import UndoCommands

SELECTED, NEXT_MONTH = "selected", "next_month"
# Clients named without a postal address: more (thousands, a month at a large studio) would
# push the list of cards off the dialog.
NAMED_AT_MOST = 8


def labels_path(cards_path: Path) -> Path:
    """Where the labels go beside the cards: "cards.pdf" -> "cards-labels.pdf"."""
    return cards_path.with_name(f"{cards_path.stem}-labels.pdf")


class PrintCardsDialog(QDialog):
    def __init__(
        self,
        selected: list[Reminder],
        today: date,
        zone: ZoneInfo,
        now: Callable[[], datetime],
        undo: UndoCommands,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Print cards"))
        self.setMinimumSize(560, 480)
        self._selected, self._today, self._zone = selected, today, zone
        self._now, self._undo = now, undo
        # Its report of the PDFs written marks the cards as sent: delivered at quit too.
        self._worker = DatabaseWorker(self, reports_at_quit=True)
        self._jobs = 0  # on the worker, not reported yet
        self._closed = False
        self._reads = 0  # reads asked for: only the latest one's cards are shown
        self.cards: list[Card] = []
        self.reading = False  # the cards are being read
        self.printing = False  # the PDFs are being written, then the cards marked as sent
        self.source = QComboBox()
        self.source.addItem(
            self.tr("Selected on Today ({count})").format(count=len(selected)), SELECTED
        )
        first, _ = next_month(today)
        month = QLocale().toString(first, "MMMM yyyy")
        self.source.addItem(self.tr("All of next month ({month})").format(month=month), NEXT_MONTH)
        self.source.setCurrentIndex(0 if selected else 1)
        self.source.currentIndexChanged.connect(lambda _index: self._fill())
        self.list = QListWidget()
        self.list.setUniformItemSizes(True)  # thousands of rows, one line each: laid out at once
        self.list.itemChanged.connect(self._say_what_is_chosen)
        self.no_address = plain_label("formError")
        self.no_address.setWordWrap(True)
        self.size = QComboBox()
        for key, text in CARD_SIZES.items():
            self.size.addItem(vocabulary(text), key)
        self.labels = QComboBox()
        for key, sheet in LABEL_SHEETS.items():
            self.labels.addItem(sheet.name, key)
        self.labels.addItem(self.tr("No labels"), "")
        self.said = plain_label("quiet")
        self.said.setWordWrap(True)
        self.print_button = QPushButton(self.tr("Save PDF and mark as sent…"))
        self.print_button.setProperty("primary", True)
        self.print_button.clicked.connect(self.choose_file)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("&Cards for"), self.source)
        form.addRow(self.list)
        form.addRow(self.no_address)
        form.addRow(self.tr("Card &size"), self.size)
        form.addRow(self.tr("&Labels"), self.labels)
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(self.print_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.said)
        layout.addLayout(buttons)
        self._fill()

    def _fill(self, saying: str = "") -> None:
        """Read the cards on the worker (a month at a large studio holds thousands: most of
        a second), the dialog showing meanwhile what it reads; then say `saying`, or how
        many are chosen."""
        self._reads += 1
        read, source = self._reads, self.source.currentData()
        selected, today, zone = self._selected, self._today, self._zone

        def work() -> list[Card]:
            if source == SELECTED:
                return cards_for(selected, today)
            first, last = next_month(today)
            return cards_for(greetings_between(first, last, today, zone), today)

        self.reading = True
        self.cards = []
        self.list.clear()
        self.no_address.setVisible(False)
        self.print_button.setEnabled(False)
        self.said.setText(self.tr("Reading the birthdays and anniversaries…"))
        self._run(
            work,
            lambda cards: self._show(read, cards, saying),
            lambda why: self._fail_reading(read, why),
        )

    def _show(self, read: int, cards: list[Card], saying: str) -> None:
        if read != self._reads:
            return  # the owner chose other cards meanwhile: those are on their way
        self.reading = False
        self.cards = cards
        self.list.blockSignals(True)
        for card in cards:
            item = QListWidgetItem(self._describe(card))  # list items are plain text
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.list.addItem(item)
        self.list.blockSignals(False)
        self._say_what_is_chosen()
        if saying:
            self.said.setText(saying)

    def _fail_reading(self, read: int, message: str) -> None:
        if read != self._reads:
            return  # the owner chose other cards meanwhile: those are on their way
        self.reading = False
        self.said.setText(self.tr("The cards could not be read: {why}").format(why=message))

    def _describe(self, card: Card) -> str:
        day = QLocale().toString(card.reminder.occurs_on, "ddd d MMM")
        what = vocabulary(IMPORTANT_DATE_KINDS[card.reminder.occasion])
        return f"{day} · {card.to} — {what}"

    def chosen(self) -> list[Card]:
        return [
            card
            for row, card in enumerate(self.cards)
            if self.list.item(row).checkState() == Qt.CheckState.Checked
        ]

    def _say_what_is_chosen(self) -> None:
        chosen = self.chosen()
        missing = without_address(chosen)
        names = ", ".join(card.to for card in missing[:NAMED_AT_MOST])
        if len(missing) > NAMED_AT_MOST:
            names += " " + self.tr("and %n more", "", len(missing) - NAMED_AT_MOST)
        self.no_address.setText(
            self.tr("No postal address, so no label (their card is printed): {names}").format(
                names=names
            )
        )
        self.no_address.setVisible(bool(missing))
        # While cards are written and marked, one ticked or not prints nothing twice.
        self.print_button.setEnabled(bool(chosen) and not self.printing)
        if self.printing:
            return  # "Writing…", "Marking…" stay in sight
        if not self.cards:
            self.said.setText(self.tr("No birthdays or anniversaries to write for here."))
        elif not chosen:
            self.said.setText(self.tr("Choose at least one card."))
        else:
            self.said.setText(self.tr("%n card(s) chosen.", "", len(chosen)))

    def choose_file(self) -> None:
        path = save_file(self, self.tr("Save the cards"), "cards.pdf", self.tr("PDF (*.pdf)"))
        if path is not None:
            self.print_to(path)

    def print_to(self, path: Path) -> None:
        """Write the PDFs on the worker thread; once written, mark the cards as sent."""
        from ui.cards_pdf import write_cards, write_labels

        cards, size, sheet = self.chosen(), self.size.currentData(), self.labels.currentData()
        labels = labels_path(path) if sheet else None

        def work() -> int:
            write_cards(path, cards, size)
            return write_labels(labels, cards, LABEL_SHEETS[sheet]) if labels else 0

        self.print_button.setEnabled(False)
        self.printing = True
        self.said.setText(self.tr("Writing %n card(s)…", "", len(cards)))
        self._run(work, lambda count: self._printed(cards, path, labels, count), self._fail)

    def _fail(self, message: str) -> None:
        self.said.setText(self.tr("The cards were not written: {why}").format(why=message))
        self.print_button.setEnabled(True)
        self.printing = False

    def _printed(self, cards: list[Card], path: Path, labels: Path | None, count: int) -> None:
        """The PDFs are written: mark the cards as sent, on the worker too (thousands of
        cards, and the snapshots to undo it, take seconds at a big studio)."""
        written = self.tr("Saved {cards}.").format(cards=path.name)
        if labels is not None:
            written += " " + self.tr("%n label(s) in {labels}.", "", count).format(
                labels=labels.name
            )
        self.said.setText(self.tr("Marking %n card(s) as sent…", "", len(cards)))
        # On the worker of the undo commands, counted as the dialog's own jobs are.
        marked, not_marked = self._counted(
            lambda _: self._marked(written), partial(self._not_marked, written)
        )
        self._undo.change_on(
            card_clients(cards),
            self.tr("Printed %n card(s)", "", len(cards)),
            partial(mark_cards_sent, cards, self._now()),
            partial(marked, None),
            not_marked,
        )

    def _marked(self, written: str) -> None:
        undo = self.tr("Each card is on the history as sent; Ctrl+Z takes it back.")
        self.printing = False
        if not self._closed:
            self._fill(f"{written} {undo}")  # the cards sent are no longer offered

    def _not_marked(self, written: str, message: str) -> None:
        self.printing = False
        if not self._closed:
            why = self.tr("The cards were not marked as sent: {why}").format(why=message)
            self.said.setText(f"{written} {why}")
            self.print_button.setEnabled(True)

    def _run(
        self,
        work: Callable[[], object],
        on_done: Callable[[object], None],
        on_failed: Callable[[str], None],
    ) -> None:
        """`work` on the dialog's worker."""
        self._worker.run(work, *self._counted(on_done, on_failed))

    def _counted(
        self, on_done: Callable[[object], None], on_failed: Callable[[str], None]
    ) -> tuple[Callable[[object], None], Callable[[str], None]]:
        """A job's reports, counted: closed meanwhile, the dialog still hears how it went
        (cards written are marked as sent), and is let go after the last report."""
        self._jobs += 1
        return partial(self._reported, on_done), partial(self._reported, on_failed)

    def _reported(self, callback: Callable[[object], None], value: object) -> None:
        self._jobs -= 1
        try:
            callback(value)
        finally:
            self._let_go_once_idle()

    def done(self, result: int) -> None:
        super().done(result)
        self._closed = True
        self._let_go_once_idle()

    def _let_go_once_idle(self) -> None:
        """Closed and nothing left on the worker: gone, with the thousands of cards it may
        hold (the window that opened it keeps no dialog)."""
        if self._closed and not self._jobs:
            self.deleteLater()
