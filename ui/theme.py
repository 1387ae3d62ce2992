"""The light and dark looks: one colour table per scheme, and the palette and stylesheet
made from it, so that a colour is chosen in one place for both."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtGui import QColor, QPalette

ASSETS = Path(__file__).resolve().parent.parent / "assets"

# The accent is the same blue in both schemes; as text on a dark background it is lightened
# ("link") so that it stays readable. Chips and bars pair a tinted background with a text
# colour of the same hue.
LIGHT = {
    "window": "#F7F7F5",
    "base": "#FFFFFF",  # lists, cards, fields, buttons
    "button": "#EFEFEF",  # Fusion's own: scroll bars, tool buttons
    "tooltip": "#FFFFFF",
    "sidebar": "#EEEEEA",
    "hover": "#EEF2F8",
    "border": "#E4E4E0",
    "input_border": "#D5D6D2",
    "check_border": "#878B92",  # an empty check box must show: 3:1 on a field, as WCAG asks
    "text": "#1D2A3A",
    "body": "#33383F",  # a reminder's sentence, a shade softer than titles
    "quiet": "#6B6F76",
    "placeholder": "#84888E",
    "disabled": "#A4A8AE",
    "accent": "#3D6FB6",
    "accent_hover": "#345F9C",
    "on_accent": "#FFFFFF",
    "link": "#3D6FB6",
    "selection": "#DCE7F7",
    "selection_text": "#1D2A3A",
    "error": "#A93226",
    "invalid_border": "#C0392B",
    "invalid_bg": "#FDF1EF",
    "warning": "#A65A00",
    "promo_bg": "#EAF1FB",
    "promo_border": "#C9DAF2",
    "chip_bg": "#ECEDEA",
    "chip_text": "#555A60",
    "green_bg": "#DFF0E3",
    "green_text": "#2E6B3E",
    "amber_bg": "#FDF0D8",
    "amber_text": "#8A5A12",
    "blue_bg": "#DCE7F7",
    "blue_text": "#2B4F82",
}

DARK = {
    "window": "#1E1F22",
    "base": "#27292D",
    "button": "#303237",
    "tooltip": "#33363B",
    "sidebar": "#18191B",
    "hover": "#33373E",
    "border": "#34373C",
    "input_border": "#474B52",
    "check_border": "#7D828A",
    "text": "#E4E6EA",
    "body": "#CDD0D5",
    "quiet": "#9EA3AB",
    "placeholder": "#80858E",
    "disabled": "#60646B",
    "accent": "#3D6FB6",
    "accent_hover": "#4677BD",
    "on_accent": "#FFFFFF",
    "link": "#8DB2EA",
    "selection": "#2F4A70",
    "selection_text": "#EEF1F5",
    "error": "#F28B7D",
    "invalid_border": "#E0675A",
    "invalid_bg": "#3A2523",
    "warning": "#E8A94F",
    "promo_bg": "#1F2D42",
    "promo_border": "#2F4868",
    "chip_bg": "#36393E",
    "chip_text": "#CACDD2",
    "green_bg": "#1D3826",
    "green_text": "#93D3A2",
    "amber_bg": "#41321A",
    "amber_text": "#EEC27C",
    "blue_bg": "#243752",
    "blue_text": "#A9C6F0",
}

TOKENS = {"light": LIGHT, "dark": DARK}

# Chevrons are drawn in a quiet grey that suits each scheme's fields.
ICONS = {"light": ASSETS, "dark": ASSETS / "dark"}


_ROLES = {
    QPalette.ColorRole.Window: "window",
    QPalette.ColorRole.WindowText: "text",
    QPalette.ColorRole.Base: "base",
    QPalette.ColorRole.AlternateBase: "window",
    QPalette.ColorRole.Text: "text",
    QPalette.ColorRole.Button: "button",
    QPalette.ColorRole.ButtonText: "text",
    QPalette.ColorRole.BrightText: "on_accent",
    QPalette.ColorRole.ToolTipBase: "tooltip",
    QPalette.ColorRole.ToolTipText: "text",
    QPalette.ColorRole.PlaceholderText: "placeholder",
    QPalette.ColorRole.Highlight: "selection",
    QPalette.ColorRole.HighlightedText: "selection_text",
    QPalette.ColorRole.Link: "link",
    QPalette.ColorRole.LinkVisited: "link",
    QPalette.ColorRole.Accent: "accent",
}
_DISABLED = {
    QPalette.ColorRole.WindowText: "disabled",
    QPalette.ColorRole.Text: "disabled",
    QPalette.ColorRole.ButtonText: "disabled",
    QPalette.ColorRole.PlaceholderText: "disabled",
    QPalette.ColorRole.Base: "window",
}


def palette_for(scheme: str) -> QPalette:
    """Every role in every group set, so nothing is left to the system's own palette
    (which Qt fills in from the operating system's light or dark scheme)."""
    tokens = TOKENS[scheme]
    palette = QPalette()
    for role, token in _ROLES.items():
        palette.setColor(role, QColor(tokens[token]))
    _set_shades(palette, QColor(tokens["button"]))
    for role, token in _DISABLED.items():
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(tokens[token]))
    return palette


def _set_shades(palette: QPalette, button: QColor) -> None:
    """The bevel shades, derived from the button colour as Fusion's own palette does."""
    mid, dark = button.darker(130), button.darker(150)
    palette.setColor(QPalette.ColorRole.Light, button.lighter(150))
    palette.setColor(QPalette.ColorRole.Midlight, mid.lighter(110))
    palette.setColor(QPalette.ColorRole.Mid, mid)
    palette.setColor(QPalette.ColorRole.Dark, dark)
    palette.setColor(QPalette.ColorRole.Shadow, dark.darker(135))


def style_sheet(scheme: str) -> str:
    """assets/style.qss with each @token@ replaced by the scheme's colour (or icon folder)."""
    values = {**TOKENS[scheme], "assets": ASSETS.as_posix(), "icons": ICONS[scheme].as_posix()}
    template = (ASSETS / "style.qss").read_text(encoding="utf-8")
    return re.sub(r"@(\w+)@", lambda match: values[match.group(1)], template)
