"""Screenshots of couples, gifts and cards on paper, from the real window on the sample
clients: Anna & Tom on Today, the Studio's gift panel (light and dark), and a page of
printed cards and a label sheet (drawn from the PDFs by poppler's pdftoppm).

Run under Xvfb: `xvfb-run -a .venv/bin/python tools/couples_screenshots.py`.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402

from models.clients.cards import LABEL_SHEETS, cards_for, greetings_between, next_month  # noqa: E402
from models.sample.loading import load_sample_clients  # noqa: E402
from models.store.migrations import open_database  # noqa: E402
from models.store.settings import set_setting  # noqa: E402
from tools.screenshots import OUT, TODAY, save, settle  # noqa: E402
from ui.cards_pdf import write_cards, write_labels  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.style import apply_style, set_appearance  # noqa: E402

BERLIN = ZoneInfo("Europe/Berlin")


def main() -> None:
    app = QApplication(sys.argv[:1])
    apply_style(app)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "studio.sqlite"
        open_database(path)
        now = datetime(TODAY.year, TODAY.month, TODAY.day, 10, tzinfo=UTC)
        load_sample_clients(TODAY)
        window = MainWindow(path, now=lambda: now, zone=BERLIN)
        window.start_reminders()
        window.resize(1280, 800)
        window.show()
        settle(app, window)
        for scheme in ("light", "dark"):
            set_appearance(scheme)
            window.show_today()
            view = window.today_view
            couple = next(r for r in view.rows if r.reminder.title == "Anna & Tom Berger")
            couple.for_card.setChecked(True)  # chosen for a card on paper
            app.processEvents()
            view.scroll.ensureWidgetVisible(couple, 0, 300)
            app.processEvents()
            save(window, f"today-couple-{scheme}")
            window.show_studio()
            while window.studio.busy():
                app.processEvents()
            app.processEvents()
            bar = window.studio.scroll.verticalScrollBar()
            bar.setValue(bar.maximum())  # the gift panel is at the foot
            app.processEvents()
            save(window, f"studio-gifts-{scheme}")
        window.quit()
        first, last = next_month(TODAY)
        set_setting("your_name", "Mara Lindt")  # signs the cards
        found = cards_for(greetings_between(first, last, TODAY, BERLIN), TODAY)
        # A couple's anniversary card first: the one shown.
        cards = sorted(found, key=lambda card: card.reminder.occasion != "wedding_anniversary")
        cards_pdf, labels_pdf = Path(folder) / "cards.pdf", Path(folder) / "labels.pdf"
        write_cards(cards_pdf, cards)
        write_labels(labels_pdf, cards * 6, LABEL_SHEETS["L7160"])
        for pdf, name in ((cards_pdf, "printed-card-a6"), (labels_pdf, "printed-labels-l7160")):
            target = OUT / name
            subprocess.run(
                ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", pdf, target],
                check=True,
            )
            print(target.with_suffix(".png").relative_to(ROOT))


if __name__ == "__main__":
    main()
