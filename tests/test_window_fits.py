"""The window fits 1024x700: no client's page, however long its lines,
makes the window wider than that, and nothing on the page is cut off at that size."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from models.entities import Client, Note
from models.sample_studio import load_sample_studio
from tests.test_theme import styled  # noqa: F401 (a fixture: Rapport's look, undone after)
from tests.test_today import BERLIN, TODAY, clock  # noqa: F401 (clock: a fixture)
from tests.ui_helpers import with_reminders
from ui.elided_label import ElidedLabel
from ui.style import apply_style

WIDTH, HEIGHT = 1024, 700
LONG_NOTE = "Allergic to lilies and to every kind of pollen: " + "no flowers at all, " * 8


@pytest.fixture
def small_window(qtbot, open_window, database, styled):  # noqa: F811
    apply_style(styled, "light")  # the real fonts, padding and margins count
    load_sample_studio(TODAY)
    return with_reminders(qtbot, open_window(zone=BERLIN, size=(WIDTH, HEIGHT)))


def fits(window) -> bool:
    hint = window.minimumSizeHint()
    return hint.width() <= WIDTH and hint.height() <= HEIGHT and window.minimumWidth() <= WIDTH


def cut_off(widget: QWidget) -> list[str]:
    """The visible labels and buttons under `widget` that show less than their text
    without saying so (an elided line says so with its "…" and tooltip)."""
    problems = []
    for child in widget.findChildren(QLabel) + widget.findChildren(QPushButton):
        if not child.isVisibleTo(widget) or not child.text():
            continue
        if isinstance(child, ElidedLabel):
            if child.is_elided() and child.text() not in child.toolTip():
                problems.append(f"{child.text()!r} elided without its tooltip")
        elif isinstance(child, QLabel) and child.wordWrap():
            if child.height() < child.heightForWidth(child.width()):
                problems.append(f"{child.text()!r} wrapped and cut")
        elif child.width() < child.sizeHint().width():
            problems.append(f"{child.text()!r} is {child.width()} px of {child.sizeHint().width()}")
    return problems


def test_every_sample_client_fits_1024_by_700(qtbot, small_window):
    window = small_window
    anna = Client.get(Client.first_name == "Anna", Client.last_name == "Berger")
    Note.create(client=anna, text=LONG_NOTE, pinned=True)
    for client in Client.select().order_by(Client.id):
        window.open_client(client.id)
        qtbot.wait(1)  # the layout settles
        assert fits(window), (client.full_name, window.minimumSizeHint())
        assert window.width() == WIDTH
        assert cut_off(window.page.header) == [], client.full_name
        assert cut_off(window.page.promotion) == [], client.full_name
    window.open_client(anna.id)
    qtbot.wait(1)
    assert window.page.header.pinned.is_elided()  # the long note gives way...
    assert LONG_NOTE.strip() in window.page.header.pinned.toolTip()  # ...and is whole here
    for section in (window.show_studio, window.show_today):
        section()
        qtbot.wait(1)
        assert fits(window)  # the page shown before does not hold the window wide
    assert not window.today_view.scroll.horizontalScrollBar().isVisible()  # rows fit across


def test_a_long_line_elides_with_the_whole_text_as_plain_text_in_its_tooltip(qtbot):
    label = ElidedLabel()
    qtbot.addWidget(label)
    text = "<b>Meyer</b> & Söhne GmbH · Lives in Hamburg · " * 4
    label.setText(text)
    label.resize(200, label.sizeHint().height())
    label.show()
    qtbot.waitExposed(label)
    assert label.minimumSizeHint().width() < 60
    assert label.is_elided() and label.shown_text().endswith("…")
    assert label.text() == text  # the text is kept whole; only the drawing is cut
    assert "&lt;b&gt;Meyer" in label.toolTip()  # the markup shows as typed, not bold
    label.resize(label.sizeHint())
    assert not label.is_elided() and label.toolTip() == ""
