"""Render the booked-session screenshots: a session booked for tomorrow on Today, and a
session the booking calendar offers, light and dark, at 1280x800 and 1024x700.

Run under Xvfb (`xvfb-run -a python tools/booked_session_screenshots.py`); writes PNGs into
docs/screenshots/.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402

from models.clients.bookings import save_booking  # noqa: E402
from models.forms.dialog_forms import BookingForm  # noqa: E402
from models.sample.loading import load_sample_clients  # noqa: E402
from models.store.entities import Client  # noqa: E402
from models.store.migrations import open_database  # noqa: E402
from models.store.settings import set_setting  # noqa: E402
from tools.screenshots import OUT, save, settle  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.style import apply_style, set_appearance  # noqa: E402

TODAY = date(2026, 11, 24)
BERLIN = ZoneInfo("Europe/Berlin")

OFFER = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Rapport screenshots//EN\r
BEGIN:VEVENT\r
UID:portraits-1@studio\r
DTSTAMP:20261120T000000Z\r
DTSTART;TZID=Europe/Berlin:20261128T150000\r
DTEND;TZID=Europe/Berlin:20261128T170000\r
SUMMARY:Portraits {name}\r
LOCATION:Englischer Garten\r
END:VEVENT\r
END:VCALENDAR\r
"""


def main() -> None:
    app = QApplication(sys.argv[:1])
    apply_style(app)
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "studio.sqlite"
        open_database(path)
        load_sample_clients(TODAY)
        anna = Client.get(Client.first_name == "Anna", Client.last_name == "Berger")
        starts = datetime(2026, 11, 25, 10, tzinfo=BERLIN)
        form = BookingForm(
            "session", starts, starts + timedelta(hours=2), "Schloss Nymphenburg", "Family shoot"
        )
        save_booking(form, anna.id)
        other = Client.get(Client.first_name == "Jake")
        calendar = Path(folder) / "bookings.ics"
        calendar.write_text(OFFER.format(name=other.full_name), newline="")
        set_setting("booking_calendar", str(calendar))
        now = datetime(2026, 11, 24, 10, tzinfo=UTC)
        window = MainWindow(path, now=lambda: now, zone=BERLIN)
        window.start_reminders()
        settle(app, window)
        for scheme in ("light", "dark"):
            set_appearance(scheme)
            for width, height in ((1280, 800), (1024, 700)):
                window.resize(width, height)
                window.show()
                window.show_today()
                settle(app, window)
                view = window.today_view
                row = next(r for r in view.rows if r.reminder.kind == "booking")
                view.scroll.verticalScrollBar().setValue(row.y() - 40)
                app.processEvents()
                save(window, f"today-booked-session-{scheme}-{width}x{height}")
        window.quit()


if __name__ == "__main__":
    main()
