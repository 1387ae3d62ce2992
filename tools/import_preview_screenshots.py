"""Render the import preview as it stands 5 s after it opens (nothing may pop up over it),
light and dark, into docs/screenshots/.

Run under Xvfb: the screen is grabbed, not the widget, so a window standing over the
preview would show in the picture.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from models.migrations import open_database  # noqa: E402
from models.sample_studio import load_sample_studio  # noqa: E402
from tests.ui_helpers import when_dialog_opens  # noqa: E402
from ui.dialogs.import_preview_dialog import ImportPreviewDialog  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.style import apply_style, set_appearance  # noqa: E402

TODAY = date(2026, 11, 24)
CARDS = ROOT / "tests" / "data" / "vcard" / "google_contacts_3.0.vcf"
OUT = ROOT / "docs" / "screenshots"


def main() -> None:
    app = QApplication(sys.argv[:1])
    apply_style(app)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "studio.sqlite"
        open_database(path)
        load_sample_studio(TODAY)
        now = datetime(TODAY.year, TODAY.month, TODAY.day, 10, tzinfo=UTC)
        window = MainWindow(path, now=lambda: now)
        window.resize(1280, 800)
        window.show()
        for scheme in ("light", "dark"):
            set_appearance(scheme)
            when_dialog_opens(
                lambda dialog, s=scheme: later(app, dialog, s), 500, ImportPreviewDialog
            )
            window.import_flow.start(CARDS)
            while window.import_flow.busy:
                app.processEvents()
        window.quit()


def later(app: QApplication, dialog: ImportPreviewDialog, scheme: str) -> None:
    """5 s after the preview opened: grab the screen where it stands, then close it."""

    def grab() -> None:
        frame = dialog.frameGeometry()
        target = OUT / f"import-preview-after-5s-{scheme}.png"
        screen = app.primaryScreen()
        screen.grabWindow(0, frame.x(), frame.y(), frame.width(), frame.height()).save(str(target))
        print(target.relative_to(ROOT), "in front:", type(app.activeModalWidget()).__name__)
        dialog.reject()

    QTimer.singleShot(5000, grab)


if __name__ == "__main__":
    main()
