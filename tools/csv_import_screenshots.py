"""Render the CSV import's two choices with their drop-down open, light and dark, into
docs/screenshots/: the column mapping of a Hebrew file whose
encoding Rapport is unsure of, with a "Read as" list open; the preview with a person's
choice (Add / Skip / Merge into…) open.

Run under Xvfb: the screen is grabbed, so the open list shows in the picture.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from models.clients import save_client  # noqa: E402
from models.forms import ClientForm  # noqa: E402
from models.importing.csv_reader import read_csv, sniff_csv  # noqa: E402
from models.importing.plan import plan_import  # noqa: E402
from models.migrations import open_database  # noqa: E402
from ui.dialogs.csv_mapping_dialog import CsvMappingDialog  # noqa: E402
from ui.dialogs.import_preview_dialog import COLUMN_CHOICE, ImportPreviewDialog  # noqa: E402
from ui.style import apply_style, set_appearance  # noqa: E402

HEBREW = ROOT / "tests" / "data" / "csv" / "encoding_windows_1255.csv"
OUTLOOK = ROOT / "tests" / "data" / "csv" / "outlook.csv"
OUT = ROOT / "docs" / "screenshots"


def main() -> None:
    app = QApplication(sys.argv[:1])
    apply_style(app)
    with tempfile.TemporaryDirectory() as folder:
        open_database(Path(folder) / "studio.sqlite")
        save_client(
            ClientForm(
                first_name="Françoise", last_name="Dubois", emails="francoise.dubois@example.fr"
            )
        )
        for scheme in ("light", "dark"):
            set_appearance(scheme)
            mapping(app, scheme)
            preview(app, scheme)


def mapping(app: QApplication, scheme: str) -> None:
    data = HEBREW.read_bytes()
    dialog = CsvMappingDialog(sniff_csv(data), HEBREW.name, None, lambda e: sniff_csv(data, e))
    dialog.show()
    settle(app)
    dialog.choosers[3].showPopup()
    grab(app, dialog, f"csv-mapping-{scheme}.png")
    dialog.choosers[3].hidePopup()
    dialog.reject()


def preview(app: QApplication, scheme: str) -> None:
    dialog = ImportPreviewDialog(plan_import(read_csv(OUTLOOK.read_bytes())), OUTLOOK.name)
    dialog.show()
    settle(app)
    index = dialog.people.model().index(1, COLUMN_CHOICE)
    dialog.people.setCurrentIndex(index)
    dialog._open_choice(index)
    grab(app, dialog, f"import-preview-choice-{scheme}.png")
    dialog.reject()


def settle(app: QApplication) -> None:
    for _ in range(20):
        app.processEvents()


def grab(app: QApplication, dialog: QWidget, name: str) -> None:
    settle(app)
    frame = dialog.frameGeometry()
    screen = app.primaryScreen()
    picture = screen.grabWindow(0, frame.x(), frame.y(), frame.width(), frame.height() + 120)
    picture.save(str(OUT / name))
    print(OUT.relative_to(ROOT) / name)


if __name__ == "__main__":
    main()
