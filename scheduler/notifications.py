"""Desktop notifications with buttons, through desktop-notifier, bridged into Qt.

desktop-notifier talks to the freedesktop service over D-Bus on Linux (the
notification centre on macOS, toasts on Windows) and needs an asyncio loop for
the button callbacks; it gets its own loop on a daemon thread. Its callbacks
only emit Qt signals, which Qt queues to the UI thread.

PySide6's QtDBus cannot send `Notify` (it types replaces-id as a signed int),
hence the library. Its `send()` logs rather than raises when D-Bus fails, so
a notification counts as sent only once the library reports it dispatched;
otherwise `failed` is emitted and the UI falls back to the tray.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from pathlib import Path

from desktop_notifier import Button, DesktopNotifier, Icon, Notification
from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)

ICON = Path(__file__).resolve().parent.parent / "assets" / "rapport.svg"
ACTIONS = {"open": "Open", "snooze": "Snooze 1 day", "done": "Done"}


class DesktopNotifications(QObject):
    activated = Signal(str)  # reminder key: the notification itself was clicked
    action_invoked = Signal(str, str)  # reminder key, a key of ACTIONS
    dismissed = Signal(str)  # reminder key
    sent = Signal(str)  # reminder key: the notification service accepted it
    failed = Signal(str)  # why notifications cannot be shown

    def __init__(self, app_name: str = "Rapport", parent: QObject | None = None):
        super().__init__(parent)
        self._app_name = app_name
        self._keys: dict[str, str] = {}  # notification identifier -> reminder key
        self._notifier: DesktopNotifier | None = None
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="desktop-notifications", daemon=True
        )
        self._thread.start()

    def send(self, key: str, title: str, text: str, with_buttons: bool = True) -> None:
        """Show a notification; returns at once, the outcome arrives as a signal."""
        if self._loop.is_running():
            asyncio.run_coroutine_threadsafe(self._send(key, title, text, with_buttons), self._loop)

    def close(self) -> None:
        if self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=2)

    async def _send(self, key: str, title: str, text: str, with_buttons: bool) -> None:
        notifier = self._notifier or self._make_notifier()
        buttons = (
            [Button(title=t, identifier=a) for a, t in ACTIONS.items()] if with_buttons else []
        )
        notification = Notification(title, text, buttons=tuple(buttons))
        self._keys[notification.identifier] = key
        try:
            await notifier.send_notification(notification)
            dispatched = notification.identifier in await notifier.get_current_notifications()
        except Exception as error:  # any backend failure means: use the fallback
            log.warning("Notification failed: %s", error)
            dispatched = False
        if dispatched:
            self.sent.emit(key)
        else:
            self._keys.pop(notification.identifier, None)
            self.failed.emit("no desktop notification service answered")

    def _make_notifier(self) -> DesktopNotifier:
        # Created on the loop's thread: the D-Bus connection belongs to this loop.
        notifier = DesktopNotifier(self._app_name, Icon(path=ICON))
        notifier.on_clicked = lambda nid: self.activated.emit(self._keys.get(nid, ""))
        notifier.on_dismissed = lambda nid: self.dismissed.emit(self._keys.pop(nid, ""))
        notifier.on_button_pressed = lambda nid, action: self.action_invoked.emit(
            self._keys.get(nid, ""), action
        )
        self._notifier = notifier
        return notifier
