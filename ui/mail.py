"""Whether the desktop knows a mail program for mailto: links.

QDesktopServices.openUrl() reports only whether it could hand the link on: on Linux it
starts xdg-open, which succeeds at starting even when no mail program is set up, and the
link is then lost without a word. xdg-mime, where there is one, knows the truth."""

from __future__ import annotations

import shutil
import subprocess


def mail_program_known() -> bool | None:
    """True or False as xdg-mime says; None where it cannot say (no xdg-mime, no answer)."""
    xdg_mime = shutil.which("xdg-mime")
    if xdg_mime is None:
        return None
    try:
        answer = subprocess.run(
            [xdg_mime, "query", "default", "x-scheme-handler/mailto"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return bool(answer.stdout.strip())
