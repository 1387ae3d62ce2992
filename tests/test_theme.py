"""Light and dark: the owner's choice or the system's scheme, applied live, readable in both."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QLineEdit

from models.migrations import open_database
from models.settings import get_setting
from ui.dialogs.settings_dialog import SettingsDialog
from ui.style import Appearance, apply_style, scheme_for, set_appearance
from ui.theme import ASSETS, DARK, LIGHT, TOKENS, palette_for, style_sheet

QUIET, READABLE = 3.0, 4.5  # WCAG contrast ratios: secondary text, and all other text
# Every text colour of the tables on each background it is shown on, and the contrast it
# needs there, in both schemes.
READ_ON = (
    ("text", "window", READABLE),
    ("text", "base", READABLE),
    ("text", "button", READABLE),
    ("text", "tooltip", READABLE),
    ("text", "sidebar", READABLE),
    ("text", "hover", READABLE),
    ("text", "promo_bg", READABLE),
    ("text", "invalid_bg", READABLE),
    ("body", "base", READABLE),
    ("quiet", "window", QUIET),
    ("quiet", "base", QUIET),
    ("placeholder", "base", QUIET),
    ("on_accent", "accent", READABLE),
    ("on_accent", "accent_hover", READABLE),
    ("link", "window", READABLE),
    ("link", "base", READABLE),
    ("selection_text", "selection", READABLE),
    ("error", "window", READABLE),
    ("error", "base", READABLE),
    ("warning", "window", READABLE),
    ("chip_text", "chip_bg", READABLE),
    ("green_text", "green_bg", READABLE),
    ("amber_text", "amber_bg", READABLE),
    ("blue_text", "blue_bg", READABLE),
    ("check_border", "base", QUIET),  # not text, but an empty check box's only outline
    ("check_border", "window", QUIET),
)

WINDOW, TEXT = QPalette.ColorRole.Window, QPalette.ColorRole.Text


@pytest.fixture
def styled(qapp):
    """The tests' application, unstyled again afterwards as the other tests expect it."""
    palette, sheet = QPalette(qapp.palette()), qapp.styleSheet()
    yield qapp
    for follower in qapp.findChildren(Appearance):
        shiboken6.delete(follower)
    QGuiApplication.styleHints().unsetColorScheme()
    qapp.setStyleSheet(sheet)
    qapp.setPalette(palette)


def colours(app) -> tuple[str, str]:
    palette = app.palette()
    return palette.color(WINDOW).name().upper(), palette.color(TEXT).name().upper()


def test_light_dark_light_changes_the_palette_and_the_stylesheet(styled, qtbot):
    field = QLineEdit()  # a widget that exists before the switch is re-styled too
    qtbot.addWidget(field)
    field.resize(200, 40)
    apply_style(styled, "light")
    light_sheet = styled.styleSheet()
    assert colours(styled) == (LIGHT["window"], LIGHT["text"])
    assert field.grab().toImage().pixelColor(100, 20).name().upper() == LIGHT["base"]

    set_appearance("dark")
    assert colours(styled) == (DARK["window"], DARK["text"])
    palette = styled.palette()
    assert palette.color(WINDOW).lightness() < 50 and palette.color(TEXT).lightness() > 200
    assert styled.styleSheet() != light_sheet
    assert f"background: {DARK['base']}" in styled.styleSheet()
    assert field.grab().toImage().pixelColor(100, 20).name().upper() == DARK["base"]

    set_appearance("light")
    assert colours(styled) == (LIGHT["window"], LIGHT["text"])
    assert styled.styleSheet() == light_sheet


def test_the_choice_in_settings_applies_at_once_and_is_kept_in_the_database(
    styled, qtbot, database, monkeypatch
):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(database.database) + "-config")  # autostart file
    apply_style(styled)
    dialog = SettingsDialog()
    qtbot.addWidget(dialog)
    assert dialog.appearance.currentData() == "system"
    dialog.appearance.setCurrentIndex(dialog.appearance.findData("dark"))
    dialog.save()
    assert colours(styled) == (DARK["window"], DARK["text"])

    path = Path(database.database)
    database.close()
    reopened = open_database(path)
    try:
        assert get_setting("appearance") == "dark"
        again = SettingsDialog()
        qtbot.addWidget(again)
        assert again.appearance.currentText() == "Dark"
    finally:
        reopened.close()


def test_following_the_system_changes_the_look_when_the_system_does(styled):
    hints = QGuiApplication.styleHints()
    apply_style(styled, "system")
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert colours(styled) == (DARK["window"], DARK["text"])
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert colours(styled) == (LIGHT["window"], LIGHT["text"])

    set_appearance("dark")  # the owner's choice wins over the system's
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert colours(styled) == (DARK["window"], DARK["text"])


def test_a_scheme_asked_of_qt_is_followed(styled):
    """Qt 6.8+ lets an application ask for a scheme; the platform theme must honour it."""
    hints = QGuiApplication.styleHints()
    apply_style(styled, "system")
    hints.setColorScheme(Qt.ColorScheme.Dark)
    try:
        if hints.colorScheme() != Qt.ColorScheme.Dark:
            pytest.skip("this platform theme ignores a requested scheme (no desktop portal)")
        assert colours(styled) == (DARK["window"], DARK["text"])
    finally:
        hints.unsetColorScheme()


@pytest.mark.parametrize(
    ("appearance", "system", "scheme"),
    [
        ("system", Qt.ColorScheme.Dark, "dark"),
        ("system", Qt.ColorScheme.Light, "light"),
        ("system", Qt.ColorScheme.Unknown, "light"),  # Linux without a desktop portal
        ("light", Qt.ColorScheme.Dark, "light"),
        ("dark", Qt.ColorScheme.Light, "dark"),
        ("dark", Qt.ColorScheme.Unknown, "dark"),
        ("purple", Qt.ColorScheme.Dark, "dark"),  # hand-edited: follow the system
    ],
)
def test_the_scheme_is_the_owners_choice_else_the_systems(appearance, system, scheme):
    assert scheme_for(appearance, system) == scheme


def test_an_application_without_rapports_style_is_left_alone(styled):
    before = colours(styled), styled.styleSheet()
    set_appearance("dark")
    assert (colours(styled), styled.styleSheet()) == before


def luminance(colour: QColor) -> float:
    """WCAG 2 relative luminance."""

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(channel) for channel in colour.getRgbF()[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(one: str, other: str) -> float:
    darker, lighter = sorted((luminance(QColor(one)), luminance(QColor(other))))
    return (lighter + 0.05) / (darker + 0.05)


def test_contrast_is_computed_as_wcag_does():
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
    assert contrast("#3D6FB6", "#3D6FB6") == 1.0


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_text_colour_reads_on_its_background(scheme):
    tokens = TOKENS[scheme]
    too_faint = [
        f"{text} on {background}: {contrast(tokens[text], tokens[background]):.2f} < {least}"
        for text, background, least in READ_ON
        if contrast(tokens[text], tokens[background]) < least
    ]
    assert too_faint == []


def test_every_text_colour_of_the_stylesheet_is_checked_for_contrast():
    template = (ASSETS / "style.qss").read_text(encoding="utf-8")
    used = set(re.findall(r"(?<![-\w])(?:selection-)?color: @(\w+)@", template))
    assert "quiet" in used and "on_accent" in used
    assert used <= {text for text, _, _ in READ_ON}
    assert LIGHT.keys() == DARK.keys()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_palette_leaves_nothing_to_the_systems_scheme(scheme):
    palette = palette_for(scheme)
    unset = [
        (group.name, role.name)
        for group in (
            QPalette.ColorGroup.Active,
            QPalette.ColorGroup.Inactive,
            QPalette.ColorGroup.Disabled,
        )
        for role in QPalette.ColorRole
        if role not in (QPalette.ColorRole.NoRole, QPalette.ColorRole.NColorRoles)
        and not palette.isBrushSet(group, role)
    ]
    assert unset == []
    assert palette.color(QPalette.ColorRole.Link).name().upper() == TOKENS[scheme]["link"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_stylesheet_names_only_colours_and_files_that_exist(scheme):
    sheet = style_sheet(scheme)
    assert "@" not in sheet
    icons = re.findall(r"url\(([^)]+)\)", sheet)
    assert icons and all(Path(icon).is_file() for icon in icons)
