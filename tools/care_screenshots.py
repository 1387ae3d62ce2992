"""Screenshots of Today with care-plan steps, light and dark, at 1280x800 and 1024x700:
docs/screenshots/today-care-plan-*.png (run under Xvfb from the repository's root)."""

from __future__ import annotations

import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication, QScrollArea  # noqa: E402

from models.sample.loading import load_sample_clients  # noqa: E402
from models.store.migrations import open_database  # noqa: E402
from tools.screenshots import TODAY, save, settle  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.style import apply_style, set_appearance  # noqa: E402


def main() -> None:
    app = QApplication(sys.argv[:1])
    apply_style(app)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "studio.sqlite"
        open_database(path)
        load_sample_clients(TODAY)
        now = datetime(TODAY.year, TODAY.month, TODAY.day, 10, tzinfo=UTC)
        window = MainWindow(path, now=lambda: now, zone=ZoneInfo("Europe/Berlin"))
        window.start_reminders()
        settle(app, window)
        for scheme in ("light", "dark"):
            set_appearance(scheme)
            for size, suffix in (((1280, 800), ""), ((1024, 700), "-1024x700")):
                window.resize(*size)
                window.show()
                window.show_today()
                app.processEvents()
                view = window.today_view
                care = next(
                    r
                    for r in view.rows
                    if r.reminder.occasion == "care_step" and r.section == "today"
                )
                view.findChild(QScrollArea).verticalScrollBar().setValue(care.y() - 260)
                app.processEvents()
                save(window, f"today-care-plan-{scheme}{suffix}")
        window.quit()


if __name__ == "__main__":
    main()
