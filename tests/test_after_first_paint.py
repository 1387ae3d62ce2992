"""What main.py starts once the window is on screen runs after its first paint, not
merely after a zero timer (which fires before the window is painted), and runs once."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QMainWindow

import ui.after_first_paint
from ui.after_first_paint import after_first_paint


class _Paints(QObject):
    def __init__(self, widget, happened: list[str]):
        super().__init__(widget)
        self.happened = happened
        widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.happened.append("paint")
        return False


def test_the_work_runs_once_after_the_first_paint(qtbot):
    happened: list[str] = []
    window = QMainWindow()
    qtbot.addWidget(window)
    _Paints(window, happened)
    after_first_paint(window, lambda: happened.append("work"))
    QTimer.singleShot(0, lambda: happened.append("zero timer"))
    window.show()
    qtbot.waitUntil(lambda: "work" in happened)
    window.repaint()
    window.repaint()
    qtbot.wait(50)
    assert happened.index("zero timer") < happened.index("paint") < happened.index("work")
    assert happened.count("work") == 1


def test_a_window_never_painted_gets_its_work_all_the_same(qtbot, monkeypatch):
    monkeypatch.setattr(ui.after_first_paint, "AT_THE_LATEST_MS", 50)
    happened: list[str] = []
    window = QMainWindow()  # never shown
    qtbot.addWidget(window)
    after_first_paint(window, lambda: happened.append("work"))
    qtbot.waitUntil(lambda: happened == ["work"])
    qtbot.wait(100)
    assert happened == ["work"]
