"""The application's look: Fusion, the icon, and the light or dark scheme (ui/theme.py)
that the owner's appearance setting asks for, or else the operating system's, live."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Qt
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from ui.theme import ASSETS, palette_for, style_sheet

# The setting "appearance" (models/store/settings.py) and how Settings names each choice.
APPEARANCES = {
    "system": QT_TRANSLATE_NOOP("Vocabulary", "Follow the system"),
    "light": QT_TRANSLATE_NOOP("Vocabulary", "Light"),
    "dark": QT_TRANSLATE_NOOP("Vocabulary", "Dark"),
}
_QT_SCHEMES = {"light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark}
_STYLED = "rapportStyled"  # a property of an application styled_application() made


def scheme_for(appearance: str, system: Qt.ColorScheme) -> str:
    """ "light" or "dark": the owner's choice, else the system's. Without a desktop portal
    Linux reports no scheme (Unknown): light, as most desktops are."""
    if appearance in ("light", "dark"):
        return appearance
    return "dark" if system == Qt.ColorScheme.Dark else "light"


class Appearance(QObject):
    """Keeps the application in the scheme its appearance asks for, following the
    system's colour scheme (Qt 6.5+) as it changes while "system" is chosen."""

    def __init__(self, app: QApplication):
        super().__init__(app)
        self.app = app
        self.appearance = "system"
        self.scheme = ""
        QGuiApplication.styleHints().colorSchemeChanged.connect(self.follow_system)
        # Kept on the application: finding it among the application's children would have
        # PySide wrap each child, the QStyle too (about 6 ms of a start).
        app.rapport_appearance = self

    def choose(self, appearance: str) -> None:
        """A hand-edited value that is no choice follows the system."""
        self.appearance = appearance if appearance in APPEARANCES else "system"
        hints = QGuiApplication.styleHints()
        # Ask the platform for the same scheme (Qt 6.8+), so that title bars and native
        # dialogs match on Windows and macOS; Linux without a desktop portal ignores it.
        if self.appearance == "system":
            hints.unsetColorScheme()
        else:
            hints.setColorScheme(_QT_SCHEMES[self.appearance])
        self.follow_system(hints.colorScheme())

    def follow_system(self, system: Qt.ColorScheme) -> None:
        scheme = scheme_for(self.appearance, system)
        if scheme != self.scheme:  # re-styling every widget is not free: only on a change
            self.scheme = scheme
            self.app.setPalette(palette_for(scheme))
            self.app.setStyleSheet(style_sheet(scheme))


def styled_application(program: str) -> QApplication:
    """Rapport's QApplication, in the Fusion style from the start: named as an argument it
    costs the start nothing, where setStyle() afterwards has PySide build the Python side of
    QStyle (about 6 ms)."""
    app = QApplication([program, "-style", "Fusion"])
    app.setProperty(_STYLED, True)
    return app


def apply_style(app: QApplication, appearance: str = "system") -> None:
    """Style the application once, at start: before the database is open, follow the
    system; set_appearance() applies the owner's setting once it can be read."""
    if not app.property(_STYLED):  # made elsewhere (a tool's, a test's)
        app.setStyle("Fusion")
    app.setWindowIcon(QIcon(str(ASSETS / "rapport.svg")))
    (_appearance_of(app) or Appearance(app)).choose(appearance)


def set_appearance(appearance: str) -> None:
    """Switch a running application styled by apply_style() to "system", "light" or
    "dark", at once. An application without Rapport's style (a test's) is left alone."""
    follower = _appearance_of(QApplication.instance())
    if follower is not None:
        follower.choose(appearance)


def _appearance_of(app: QApplication) -> Appearance | None:
    """The Appearance apply_style() gave `app`, if it still lives."""
    follower = getattr(app, "rapport_appearance", None)
    return follower if follower is not None and shiboken6.isValid(follower) else None
