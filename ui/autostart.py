"""Start Rapport at login, minimized to the tray: an XDG autostart entry on Linux."""

from __future__ import annotations

import sys
from pathlib import Path

from platformdirs import user_config_path
from PySide6.QtCore import QCoreApplication

ROOT = Path(__file__).resolve().parent.parent


def autostart_file() -> Path:
    return user_config_path() / "autostart" / "rapport.desktop"


def start_command() -> str:
    """How the desktop should start this Rapport: the installed command when there is one
    (the bundle's program; the `rapport` script pip or pipx put beside this Python),
    otherwise this Python running this checkout's main.py."""
    if getattr(sys, "frozen", False):  # the PyInstaller bundle (.deb, .tar.gz)
        return f'"{sys.executable}"'
    script = Path(sys.executable).parent / "rapport"
    if script.is_file():
        return f'"{script}"'
    return f'"{sys.executable}" "{ROOT / "main.py"}"'


def desktop_entry() -> str:
    return "\n".join(
        (
            "[Desktop Entry]",
            "Type=Application",
            "Name=Rapport",
            "Comment="
            + QCoreApplication.translate(
                "Autostart", "Reminders for your clients' dates and check-ins"
            ),
            f"Exec={start_command()} --minimized",
            f"Icon={ROOT / 'assets' / 'rapport.svg'}",
            "X-GNOME-Autostart-enabled=true",
            "",
        )
    )


def set_start_at_login(enabled: bool) -> None:
    """Write or remove the autostart entry (Linux desktops follow the XDG spec)."""
    if not sys.platform.startswith("linux"):
        return
    path = autostart_file()
    if enabled:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(desktop_entry(), encoding="utf-8")
    else:
        path.unlink(missing_ok=True)
