"""New mail becomes history within seconds while Rapport runs: for each mail account a
thread waits on the inbox with IMAP IDLE and asks for a capture run when a message
arrives. Beside AccountRuns, which still reads every 15 minutes (and reports errors).

A watch that fails (offline, a wrong password) simply ends; it starts again after the
next account run, whose backoff paces it. Watches end when Rapport quits.
"""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, QTimer, Signal

from models.accounts.secrets import password_for
from models.accounts.store import Account, AccountError, accounts
from models.capture.imap import MailServer
from models.capture.mail import INBOX, connected

log = logging.getLogger(__name__)

# A server may drop a client idle for 30 minutes (RFC 2177): wait anew before that.
RENEW_MS = 20 * 60 * 1000


class MailWatch(QObject):
    arrived = Signal(object)  # the Account whose inbox has a new message

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._servers: dict[int, MailServer | None] = {}  # account id -> its connection
        self._lock = threading.Lock()
        self._stopped = False
        self._renew = QTimer(self, interval=RENEW_MS)
        self._renew.timeout.connect(self._end_waits)

    def watch(self, *_results: object) -> None:
        """Watch every mail account not watched yet (called after each account run)."""
        if self._stopped:
            return
        for account in accounts("imap"):
            with self._lock:
                if account.id in self._servers:
                    continue
                self._servers[account.id] = None
            threading.Thread(
                target=self._watch, args=(account,), name="mail-watch", daemon=True
            ).start()
        self._renew.start()

    def stop(self) -> None:
        self._stopped = True
        self._renew.stop()
        with self._lock:
            servers = [server for server in self._servers.values() if server is not None]
        for server in servers:
            server.close_now()

    @property
    def watching(self) -> int:
        """How many accounts have a connection waiting for mail."""
        with self._lock:
            return sum(server is not None for server in self._servers.values())

    def _watch(self, account: Account) -> None:
        try:
            with connected(account, password_for(account)) as server:
                server.watch_from(INBOX)  # watching, once `watching` counts it
                with self._lock:
                    self._servers[account.id] = server
                while not self._stopped:
                    if server.wait_for_mail(INBOX) and not self._stopped:
                        self.arrived.emit(account)
        except AccountError as error:  # offline, refused: the runs say so and retry
            log.info("Not watching %s for mail: %s", account.shown_name, error)
        finally:
            with self._lock:
                del self._servers[account.id]

    def _end_waits(self) -> None:
        with self._lock:
            servers = [server for server in self._servers.values() if server is not None]
        for server in servers:
            server.end_waiting()
