"""The floor under bench/first_paint.py: an empty QMainWindow of the same size, started
the same way and exiting at its first paint.

    .venv/bin/python bench/bare_window.py

Writes a line at the first paint, then one JSON line (bench/paint_probe.py): the peak RSS
and the time of each phase.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script, `bench` imports

from bench.paint_probe import exit_at_first_paint, mark  # noqa: E402


def main() -> int:
    from PySide6.QtWidgets import QApplication, QMainWindow

    mark("imports")
    app = QApplication(sys.argv[:1])
    mark("qapplication")
    window = QMainWindow()
    window.setWindowTitle("Bare")
    window.resize(1280, 800)
    mark("main_window")
    exit_at_first_paint(window)
    window.show()
    mark("show")
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
