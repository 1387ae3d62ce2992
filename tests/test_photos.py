"""Client photos: set from a file or a drop, cropped and scaled, shown, removed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDropEvent, QImage

from models.clients import save_client
from models.forms import ClientForm
from models.photos import photo_of, photo_versions
from tests.ui_helpers import wait_for_client_list, when_dialog_opens
from ui.client_header import AVATAR_SIZE
from ui.photo import STORED_SIZE, PhotoError, square_photo

RED, BLUE = QColor("#D02020"), QColor("#2040D0")


def image_file(tmp_path, width: int, height: int, fill: QColor, name="face.png"):
    """An image with a centre square of `fill` and blue bars left and right."""
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(BLUE)
    side = min(width, height)
    for x in range((width - side) // 2, (width + side) // 2):
        for y in range((height - side) // 2, (height + side) // 2):
            image.setPixelColor(x, y, fill)
    path = tmp_path / name
    image.save(str(path))
    return path


def close_to(colour: QColor, expected: QColor) -> bool:
    pairs = zip(colour.getRgb()[:3], expected.getRgb()[:3], strict=True)
    return all(abs(a - b) < 30 for a, b in pairs)


def test_a_photo_is_cropped_to_its_centre_and_scaled(tmp_path, qapp):
    stored = QImage.fromData(square_photo(image_file(tmp_path, 900, 300, RED).read_bytes()))
    assert (stored.width(), stored.height()) == (STORED_SIZE, STORED_SIZE)
    for x, y in ((2, 2), (STORED_SIZE - 3, STORED_SIZE // 2)):  # no blue bar left
        assert close_to(stored.pixelColor(x, y), RED)


def test_what_is_not_an_image_is_refused(qapp):
    with pytest.raises(PhotoError, match="not an image"):
        square_photo(b"BEGIN:VCARD\r\nFN:Anna\r\n")


def avatar_centre(window) -> QColor:
    icon = window.page.header.avatar.icon()
    image = icon.pixmap(AVATAR_SIZE, AVATAR_SIZE).toImage()
    return image.pixelColor(image.width() // 2, image.height() // 2)


def test_drop_a_photo_on_the_page_then_remove_it(qtbot, window, tmp_path):
    anna = save_client(ClientForm(first_name="Anna", last_name="Berger"))
    window.open_client(anna.id)
    assert not close_to(avatar_centre(window), RED)  # initials
    assert not window.page.header.remove_photo_action.isEnabled()

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(image_file(tmp_path, 400, 600, RED)))])
    drop = QDropEvent(
        QPointF(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    window.page.dropEvent(drop)
    assert QImage.fromData(photo_of(anna.id)).width() == STORED_SIZE
    assert close_to(avatar_centre(window), RED)
    assert window.page.header.remove_photo_action.isEnabled()
    wait_for_client_list(qtbot, window)
    row = window.client_list.list.model().index(0, 0)
    assert row.data(Qt.ItemDataRole.UserRole + 6) == photo_versions([anna.id])[anna.id]

    window.page.header.remove_photo_action.trigger()
    assert photo_of(anna.id) is None
    assert not close_to(avatar_centre(window), RED)


def test_a_file_that_is_no_image_is_explained_and_nothing_changes(qtbot, window, tmp_path):
    anna = save_client(ClientForm(first_name="Anna"))
    window.open_client(anna.id)
    text = tmp_path / "notes.txt"
    text.write_text("not a photo")
    said: list[str] = []
    when_dialog_opens(lambda box: (said.append(box.text()), box.accept()))
    window.page.use_photo_file(text)
    assert said and said[0].endswith("Nothing was changed.")
    assert photo_of(anna.id) is None
