"""Screenshots of mail capture, read for real from a local Dovecot (tests/servers.py):
a client's History with the emails read from the mailbox, and Today's offer of the
people written to who are not in Rapport yet. Light and dark.

    xvfb-run -a .venv/bin/python tools/mail_screenshots.py
"""

from __future__ import annotations

import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QScrollArea  # noqa: E402

from models.accounts.jobs import RunContext  # noqa: E402
from models.accounts.store import add_account, set_options  # noqa: E402
from models.capture.mail import capture_mail  # noqa: E402
from models.clients.saving import contact_values  # noqa: E402
from models.sample.loading import load_sample_clients  # noqa: E402
from models.store.entities import Client  # noqa: E402
from models.store.migrations import open_database  # noqa: E402
from tests.servers import MAIL_PASSWORD, MAIL_USER, dovecot_server  # noqa: E402
from tools.screenshots import OUT, save, settle  # noqa: E402
from ui.client_page import TAB_HISTORY  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.style import apply_style, set_appearance  # noqa: E402

TODAY = date(2026, 11, 24)
NOW = datetime(2026, 11, 24, 10, tzinfo=UTC)
STUDIO = "Lena Hofmann Fotografie <lena@hofmann-fotografie.example>"
STRANGERS = (
    "Lea Brandt <lea.brandt@example.net>",
    "=?utf-8?q?J=C3=B6rg_Wei=C3=9F?= <joerg@weiss.example>",
    "Hotel Bayerischer Hof <events@bayerischerhof.example>",
    "Sophie Lang <sophie.lang@example.org>",
    "Max Keller <max@keller.example>",
    "Blumen Maier <info@blumen-maier.example>",
    "Tim Roth <tim.roth@example.com>",
)


def message(sender: str, to: str, subject: str, day: datetime, n: int) -> bytes:
    return (
        f"From: {sender}\r\nTo: {to}\r\nSubject: {subject}\r\n"
        f"Date: {day:%a, %d %b %Y %H:%M:%S +0000}\r\nMessage-ID: <shot-{n}@example>\r\n\r\nHi\r\n"
    ).encode()


def fill(server, anna: str) -> None:
    at = NOW - timedelta(days=1)
    anna = f"Anna Berger <{anna}>"
    inbox = [
        (anna, STUDIO, "Re: album proofs", at - timedelta(hours=20)),
        (anna, STUDIO, "=?utf-8?q?Gr=C3=BC=C3=9Fe_aus_Lyon?=", at - timedelta(days=9)),
    ]
    sent = [
        (STUDIO, anna, "Your album proofs are ready", at - timedelta(days=2)),
        (STUDIO, anna, "Re: anniversary shoot in June", at - timedelta(days=12)),
        *(
            (STUDIO, person, "Your enquiry", at - timedelta(days=n + 1))
            for n, person in enumerate(STRANGERS)
        ),
    ]
    for folder, mails in (("INBOX", inbox), ("Sent", sent)):
        for n, (sender, to, subject, day) in enumerate(mails):
            server.append(folder, message(sender, to, subject, day, hash((folder, n))), when=day)


def main() -> None:
    app = QApplication(sys.argv[:1])
    apply_style(app)
    with tempfile.TemporaryDirectory() as folder, dovecot_server(Path(folder) / "dv") as server:
        path = Path(folder) / "studio.sqlite"
        open_database(path)
        load_sample_clients(TODAY)
        anna = Client.get(Client.first_name == "Anna", Client.last_name == "Berger")
        fill(server, contact_values(anna.id, "email")[0])
        account = add_account(server.url(), MAIL_USER)
        set_options(
            account,
            trusted_certificate=server.certificate.read_text(),
            sent_folder="Sent",
            mail_since="2025-11-24",
        )
        print(capture_mail(RunContext(account, MAIL_PASSWORD, lambda: NOW)).summary)
        window = MainWindow(path, now=lambda: NOW, zone=ZoneInfo("Europe/Berlin"))
        window.start_reminders()
        window.resize(1280, 800)
        window.show()
        settle(app, window)
        for scheme in ("light", "dark"):
            set_appearance(scheme)
            window.open_client(anna.id)
            window.page.tabs.setCurrentIndex(TAB_HISTORY)
            window.page.history_table.selectRow(0)
            settle(app, window)
            save(window, f"mail-history-{scheme}")
            window.show_today()
            settle(app, window)
            scroll = window.today_view.findChild(QScrollArea).verticalScrollBar()
            scroll.setValue(scroll.maximum())
            app.processEvents()
            save(window, f"mail-leads-offer-{scheme}")
            QTimer.singleShot(300, lambda s=scheme: leads_dialog(s))
            window.today_view.leads_row.choose_button.click()
        window.quit()


def leads_dialog(scheme: str) -> None:
    dialog = QApplication.activeModalWidget()
    dialog.people.item(0).setCheckState(dialog.people.item(0).checkState().Checked)
    QApplication.processEvents()
    target = OUT / f"mail-leads-dialog-{scheme}.png"
    dialog.grab().save(str(target))
    print(target.relative_to(ROOT))
    dialog.reject()


if __name__ == "__main__":
    main()
