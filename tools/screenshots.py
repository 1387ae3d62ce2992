"""Render the README's screenshots from the real window on the sample studio.

Run under Xvfb (`bash rapport.sh screenshots`) or offscreen; writes PNGs into
docs/screenshots/. The studio is dated relative to a fixed day so pictures are stable.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication, QScrollArea  # noqa: E402

from models.entities import Client  # noqa: E402
from models.migrations import open_database  # noqa: E402
from models.sample_studio import load_sample_studio  # noqa: E402
from ui.client_page import (  # noqa: E402
    TAB_FOLLOW_UPS,
    TAB_HISTORY,
    TAB_NOTES,
    TAB_PEOPLE,
    TAB_WISHES,
)
from ui.main_window import MainWindow  # noqa: E402
from ui.style import apply_style, set_appearance  # noqa: E402

TODAY = date(2026, 11, 24)
OUT = ROOT / "docs" / "screenshots"


def richest_client() -> Client:
    """The client with the longest history, so the pictures show real content."""
    return max(Client.select(), key=lambda c: c.interactions.count())


def busiest_client() -> Client:
    """The client with the most follow-ups."""
    return max(Client.select(), key=lambda c: c.follow_ups.count())


def customer_to_promote() -> Client:
    """A customer Rapport suggests making a client, and who is drifting too."""
    return Client.get(Client.first_name == "Jake")


def main() -> None:
    app = QApplication(sys.argv[:1])
    apply_style(app)
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "studio.sqlite"
        open_database(path)
        now = datetime(TODAY.year, TODAY.month, TODAY.day, 10, tzinfo=UTC)
        show_first_start(app, path, now)
        load_sample_studio(TODAY)
        window = MainWindow(path, now=lambda: now, zone=ZoneInfo("Europe/Berlin"))
        window.start_reminders()
        settle(app, window)
        richest, busiest, customer = richest_client(), busiest_client(), customer_to_promote()
        # A client with wishes, whom she referred, a wedding and a health dot: the relationship.
        anna = Client.get(Client.first_name == "Anna", Client.last_name == "Berger")
        for size in ((1280, 800), (1920, 1080)):
            window.resize(*size)
            window.show()
            window.show_today()
            app.processEvents()
            save(window, f"today-{size[0]}x{size[1]}")
            for client, tab, name in (
                (richest, TAB_HISTORY, "history"),
                (richest, TAB_NOTES, "notes"),
                (richest, TAB_PEOPLE, "people"),
                (busiest, TAB_FOLLOW_UPS, "follow-ups"),
                (customer, TAB_HISTORY, "customer"),
                (anna, TAB_WISHES, "relationship"),
            ):
                window.open_client(client.id)
                window.page.tabs.setCurrentIndex(tab)
                if tab == TAB_HISTORY:
                    window.page.history_table.selectRow(0)
                app.processEvents()
                save(window, f"main-window-{name}-{size[0]}x{size[1]}")
            window.client_list.search.setText("golden")
            window.client_list.model.set_search("golden")
            settle(app, window)
            save(window, f"main-window-search-{size[0]}x{size[1]}")
            window.client_list.search.clear()
            window.client_list.model.set_search("")
            settle(app, window)
        window.resize(1280, 800)
        snooze_a_follow_up(app, window)
        for scheme in ("light", "dark"):
            set_appearance(scheme)
            show_the_look(app, window, anna, scheme)
            show_today_days(app, window, scheme)
        for scheme in ("light", "dark"):
            set_appearance(scheme)
            show_long_header(app, window, anna, scheme)
        window.quit()


def snooze_a_follow_up(app: QApplication, window: MainWindow) -> None:
    """Snooze the first follow-up on Today until tomorrow, as the owner would."""
    row = next(r for r in window.today_view.rows if r.reminder.kind == "follow_up")
    next(a for a in row.snooze_button.menu().actions() if a.text() == "Tomorrow").trigger()
    settle(app, window)


def show_today_days(app: QApplication, window: MainWindow, scheme: str) -> None:
    """A coming anniversary says its day and its reminder's; a snoozed item
    says until when."""
    window.resize(1024, 700)
    window.show_today()
    app.processEvents()
    view = window.today_view
    today = next(r for r in view.rows if r.section == "today")
    view.findChild(QScrollArea).verticalScrollBar().setValue(today.y() - 40)
    app.processEvents()
    save(window, f"today-days-{scheme}-1024x700")
    window.resize(1280, 800)


def show_the_look(app: QApplication, window: MainWindow, client: Client, scheme: str) -> None:
    """In one scheme: the Studio, a face, the palette."""
    window.show_studio()
    while window.dashboard.busy():
        app.processEvents()
    app.processEvents()
    save(window, f"studio-{scheme}")
    window.open_client(client.id)
    window.page.tabs.setCurrentIndex(TAB_HISTORY)
    app.processEvents()
    save(window, f"client-photo-{scheme}")
    window.open_palette()
    palette = window.command_palette
    palette.search.setText("an")
    while palette.busy():
        app.processEvents()
    app.processEvents()
    save_screen(app, window, f"palette-{scheme}")  # the palette is a window of its own
    palette.close()


def show_first_start(app: QApplication, path: Path, now: datetime) -> None:
    """Today on an empty database, light and dark: what to do first."""
    window = MainWindow(path, now=lambda: now, zone=ZoneInfo("Europe/Berlin"))
    window.start_reminders()
    window.resize(1024, 700)
    window.show()
    settle(app, window)
    for scheme in ("light", "dark"):
        set_appearance(scheme)
        app.processEvents()
        save(window, f"first-start-today-{scheme}")
    set_appearance("system")
    window.quit()


def show_long_header(app: QApplication, window: MainWindow, client: Client, scheme: str) -> None:
    """A long client header at the smallest size Rapport fits: 1024x700."""
    window.resize(1024, 700)
    window.open_client(client.id)
    window.page.tabs.setCurrentIndex(TAB_HISTORY)
    app.processEvents()
    save(window, f"long-header-1024x700-{scheme}")


def settle(app: QApplication, window: MainWindow) -> None:
    """Wait until the client list and Today show their latest results (worker threads)."""
    while window.list_model.searching() or not window.reminder_service.idle():
        app.processEvents()
    app.processEvents()


def save_screen(app: QApplication, window: MainWindow, name: str) -> None:
    target = OUT / f"{name}.png"
    frame = window.frameGeometry()
    app.primaryScreen().grabWindow(0, frame.x(), frame.y(), frame.width(), frame.height()).save(
        str(target)
    )
    print(target.relative_to(ROOT))


def save(window: MainWindow, name: str) -> None:
    target = OUT / f"{name}.png"
    window.grab().save(str(target))
    print(target.relative_to(ROOT))


if __name__ == "__main__":
    main()
