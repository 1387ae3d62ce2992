"""Desktop notifications with buttons, through desktop-notifier, bridged into Qt.

desktop-notifier talks to the freedesktop service over D-Bus on Linux (the
notification centre on macOS, toasts on Windows) and needs an asyncio loop for
the button callbacks; it gets its own loop on a daemon thread. Its callbacks
only emit Qt signals, which Qt queues to the UI thread.

PySide6's QtDBus cannot send `Notify` (it types replaces-id as a signed int),
hence the library. Its `send()` logs rather than raises when D-Bus fails, so
a notification counts as sent only once the library reports it dispatched;
otherwise `failed` is emitted and the UI falls back to the tray.

A notification stays answerable until it is closed: every button works, in any
order. Rapport withdraws it (`CloseNotification`) once its reminder is handled,
and withdraws them all at quit. Names and texts are the user's: where the server
reads the body as markup, it gets them escaped.
"""

from __future__ import annotations

import html
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:  # loaded with the first notification, not at start
    import asyncio

    from desktop_notifier import DesktopNotifier, Notification

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
        # Each shown notification by its identifier: its reminder key, and the
        # notification with the server's id for it, to remember it again after a button.
        self._keys: dict[str, str] = {}
        self._shown: dict[str, tuple[Notification, object]] = {}
        self._notifier: DesktopNotifier | None = None
        self._body_markup: bool | None = None  # the server's "body-markup", once asked
        # The event loop the notifications talk to the server on, on a thread of its own:
        # made, and desktop-notifier loaded, for the first notification, not at start.
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._closed = False

    def send(self, key: str, title: str, text: str, with_buttons: bool = True) -> None:
        """Show a notification; returns at once, the outcome arrives as a signal."""
        self._run(self._send(key, title, text, with_buttons))

    def withdraw(self, handled: Callable[[str], bool]) -> None:
        """Close the notifications of the reminder keys `handled` picks (done, snoozed...)."""
        self._run(self._withdraw(handled))

    def close(self) -> None:
        """At quit: withdraw every notification (its buttons could do nothing now)."""
        self._closed = True
        if self._thread is not None and self._thread.is_alive():
            import asyncio

            if self._notifier is not None:
                everything = self._withdraw(lambda _key: True)
                done = asyncio.run_coroutine_threadsafe(everything, self._loop)
                try:
                    done.result(timeout=2)
                except Exception as error:  # quitting anyway; the server may be gone
                    log.warning("Could not withdraw the notifications: %s", error)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=2)

    def _run(self, coroutine) -> None:
        import asyncio

        if self._closed:
            coroutine.close()
            return
        if self._loop is None:
            self._loop = asyncio.new_event_loop()
            self._thread = threading.Thread(
                target=self._loop.run_forever, name="desktop-notifications", daemon=True
            )
            self._thread.start()
        asyncio.run_coroutine_threadsafe(coroutine, self._loop)

    async def _send(self, key: str, title: str, text: str, with_buttons: bool) -> None:
        from desktop_notifier import Button, Notification

        notifier = self._notifier or self._make_notifier()
        buttons = (
            [Button(title=t, identifier=a) for a, t in ACTIONS.items()] if with_buttons else []
        )
        if await self._reads_markup(notifier):
            text = html.escape(text, quote=False)  # the spec's markup is XML: & < >
        notification = Notification(title, text, buttons=tuple(buttons))
        self._keys[notification.identifier] = key
        try:
            await notifier.send_notification(notification)
            dispatched = notification.identifier in await notifier.get_current_notifications()
        except Exception as error:  # any backend failure means: use the fallback
            log.warning("Notification failed: %s", error)
            dispatched = False
        if dispatched:
            ids = _server_ids(notifier)
            server_id = ids.inverse.get(notification.identifier) if ids is not None else None
            self._shown[notification.identifier] = (notification, server_id)
            self.sent.emit(key)
        else:
            self._forget(notification.identifier)
            self.failed.emit("no desktop notification service answered")

    async def _reads_markup(self, notifier: DesktopNotifier) -> bool:
        """Whether the server reads the body as markup: it says "body-markup" (D-Bus only)."""
        if self._body_markup is None:
            try:
                await notifier.get_capabilities()  # connects to the server first
                interface = getattr(notifier._backend, "interface", None)
                ask = getattr(interface, "call_get_capabilities", None)
                self._body_markup = ask is not None and "body-markup" in await ask()
            except Exception as error:  # no server: sending fails next, and says so
                log.info("Could not ask the notification server what it reads: %s", error)
                return False
        return self._body_markup

    async def _withdraw(self, handled: Callable[[str], bool]) -> None:
        if self._notifier is None:
            return
        for identifier, key in list(self._keys.items()):
            if handled(key):
                self._remember(identifier)  # the library may have forgotten it
                try:
                    await self._notifier.clear(identifier)
                except Exception as error:  # closed by then, or the server is gone
                    log.info("Could not withdraw a notification: %s", error)
                self._forget(identifier)

    def _make_notifier(self) -> DesktopNotifier:
        from desktop_notifier import DesktopNotifier, Icon

        # Created on the loop's thread: the D-Bus connection belongs to this loop.
        notifier = DesktopNotifier(self._app_name, Icon(path=ICON))
        notifier.on_clicked = lambda nid: self.activated.emit(self._remember(nid))
        notifier.on_dismissed = lambda nid: self.dismissed.emit(self._forget(nid))
        notifier.on_button_pressed = lambda nid, action: self.action_invoked.emit(
            self._remember(nid), action
        )
        self._notifier = notifier
        return notifier

    def _remember(self, identifier: str) -> str:
        """The reminder key of a clicked notification, which stays answerable.

        desktop-notifier forgets a notification at its first click or button, but the
        server may keep it on screen with its buttons (dunst does): it is handed back to
        the library, so that the next button works too, in any order.
        """
        notification, server_id = self._shown.get(identifier, (None, None))
        ids = _server_ids(self._notifier)
        if notification is not None and server_id is not None and ids is not None:
            ids[server_id] = identifier
            self._notifier._backend._notification_cache[identifier] = notification
        return self._keys.get(identifier, "")

    def _forget(self, identifier: str) -> str:
        self._shown.pop(identifier, None)
        return self._keys.pop(identifier, "")


def _server_ids(notifier: DesktopNotifier | None):
    """The D-Bus backend's server id <-> identifier table (a bidict); None elsewhere."""
    backend = getattr(notifier, "_backend", None)
    return getattr(backend, "_platform_to_interface_notification_identifier", None)
