"""Greeting cards and address labels as PDF, drawn with Qt's own PDF writer (QPdfWriter and
QPainter: no other dependency). Every text is drawn as plain text, never as markup.

These functions touch no database and no widget: the print dialog runs them on a worker
thread (500 cards take about a second; the window stays responsive meanwhile).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPageLayout, QPageSize, QPainter, QPdfWriter

from models.clients.cards import Card, LabelSheet
from models.store.private_files import new_private_file

DPI = 300
CARD_MARGIN = 12.0  # mm
LABEL_PADDING = 3.0  # mm
_PAGES = {
    "A4": QPageSize.PageSizeId.A4,
    "A5": QPageSize.PageSizeId.A5,
    "A6": QPageSize.PageSizeId.A6,
    "Letter": QPageSize.PageSizeId.Letter,
}
_WRAP = Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
_CENTRED = Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignCenter


class PdfError(Exception):
    """The PDF could not be written; the message says why."""


def mm(value: float) -> float:
    return value / 25.4 * DPI


def _writer(path: Path, page: str, landscape: bool = False) -> QPdfWriter:
    try:
        new_private_file(path)  # client names and addresses: the owner's alone (0600)
    except OSError as error:
        raise PdfError(f"Rapport could not write {path}: {error.strerror}.") from error
    writer = QPdfWriter(str(path))
    writer.setResolution(DPI)
    writer.setCreator("Rapport")
    orientation = (
        QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    )
    writer.setPageLayout(QPageLayout(QPageSize(_PAGES[page]), orientation, QMarginsF(0, 0, 0, 0)))
    return writer


def _begin(writer: QPdfWriter, path: Path) -> QPainter:
    painter = QPainter()
    if not painter.begin(writer):
        raise PdfError(f"Rapport could not write {path}: is the folder writable?")
    return painter


def write_cards(path: Path, cards: list[Card], size: str = "a6") -> int:
    """One A6 card per page, or an A5 folded card on two pages (outside, inside); the
    number of pages written."""
    folded = size == "a5_folded"
    writer = _writer(path, "A5" if folded else "A6", landscape=folded)
    painter = _begin(writer, path)
    pages = 0
    try:
        page = QRectF(0, 0, writer.width(), writer.height())
        for number, card in enumerate(cards):
            if number:
                writer.newPage()
            if folded:
                _draw_folded(writer, painter, page, card)
                pages += 2
            else:
                _draw_card(painter, page, card)
                pages += 1
    finally:
        painter.end()
    return pages


def _draw_card(painter: QPainter, page: QRectF, card: Card) -> None:
    """The heading (the template's subject), the message, and whom it is for, small."""
    inner = page.adjusted(mm(CARD_MARGIN), mm(CARD_MARGIN), -mm(CARD_MARGIN), -mm(CARD_MARGIN))
    heading = QRectF(inner.left(), inner.top(), inner.width(), inner.height() * 0.22)
    body = QRectF(inner.left(), heading.bottom(), inner.width(), inner.height() * 0.7)
    footer = QRectF(inner.left(), body.bottom(), inner.width(), inner.height() * 0.08)
    _fitted(painter, heading, card.subject, 16, 9, bold=True, flags=_CENTRED)
    _fitted(painter, body, card.body, 10.5, 6)
    _fitted(painter, footer, card.to, 7, 5, flags=_CENTRED)


def _draw_folded(writer: QPdfWriter, painter: QPainter, page: QRectF, card: Card) -> None:
    """Outside: the front on the right half (heading and name), the back left blank.
    Inside: the message on the right half. Fold along the middle."""
    half = page.width() / 2
    front = QRectF(half, 0, half, page.height())
    inner = front.adjusted(mm(CARD_MARGIN), mm(CARD_MARGIN), -mm(CARD_MARGIN), -mm(CARD_MARGIN))
    _fitted(
        painter,
        inner.adjusted(0, 0, 0, -inner.height() * 0.2),
        card.subject,
        20,
        10,
        bold=True,
        flags=_CENTRED,
    )
    name = QRectF(
        inner.left(), inner.bottom() - inner.height() * 0.15, inner.width(), inner.height() * 0.15
    )
    _fitted(painter, name, card.to, 9, 6, flags=_CENTRED)
    writer.newPage()
    _fitted(painter, inner, card.body, 11, 6)


def _fitted(
    painter: QPainter,
    box: QRectF,
    text: str,
    largest: float,
    smallest: float,
    bold: bool = False,
    flags=_WRAP,
) -> None:
    """`text` in `box`, at the largest size from `largest` down to `smallest` points that
    fits; at the smallest, what does not fit is cut at the box's edge."""
    size = largest
    while True:
        font = QFont()
        font.setPointSizeF(size)
        font.setBold(bold)
        needed = QFontMetricsF(font, painter.device()).boundingRect(box, int(flags), text)
        if (needed.height() <= box.height() and needed.width() <= box.width()) or size <= smallest:
            break
        size = max(smallest, size - 0.5)
    painter.setFont(font)
    painter.save()
    painter.setClipRect(box)
    painter.drawText(box, int(flags), text)
    painter.restore()


def write_labels(path: Path, cards: list[Card], sheet: LabelSheet) -> int:
    """An address label for each card with an address, on `sheet`'s layout; the number of
    labels written."""
    addressed = [card for card in cards if card.address_lines]
    writer = _writer(path, sheet.page)
    painter = _begin(writer, path)
    try:
        for index, card in enumerate(addressed):
            page, x, y = sheet.label_at(index)
            if index and sheet.label_at(index - 1)[0] != page:
                writer.newPage()
            box = QRectF(mm(x), mm(y), mm(sheet.width), mm(sheet.height))
            padded = box.adjusted(*(mm(LABEL_PADDING),) * 2, *(-mm(LABEL_PADDING),) * 2)
            _draw_label(painter, padded, [card.to, *card.address_lines])
    finally:
        painter.end()
    return len(addressed)


def _draw_label(painter: QPainter, box: QRectF, lines: list[str]) -> None:
    """The name and address, one line each, at the largest size from 10 points down to 6
    where all lines fit; a line too long is cut with "…", lines beyond the label's height
    end in "…"."""
    size = 10.0
    while True:
        font = QFont()
        font.setPointSizeF(size)
        metrics = QFontMetricsF(font, painter.device())
        fits = len(lines) * metrics.lineSpacing() <= box.height() and all(
            metrics.horizontalAdvance(line) <= box.width() for line in lines
        )
        if fits or size <= 6:
            break
        size -= 0.5
    room = max(1, int(box.height() // metrics.lineSpacing()))
    shown = lines[:room]
    if len(lines) > room:
        shown[-1] = shown[-1] + " …"
    for number, line in enumerate(shown):
        bold = QFont(font)
        bold.setBold(number == 0)
        painter.setFont(bold)
        elided = QFontMetricsF(bold, painter.device()).elidedText(
            line, Qt.TextElideMode.ElideRight, box.width()
        )
        block = len(shown) * metrics.lineSpacing()  # centred in the label's height
        top = box.top() + (box.height() - block) / 2 + number * metrics.lineSpacing()
        painter.drawText(
            QRectF(box.left(), top, box.width(), metrics.lineSpacing()),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            elided,
        )
