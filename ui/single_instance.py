"""One Rapport per database: a second start brings the running window forward and exits.

A lock file beside the database says who has it (QLockFile; a lock left by a crashed
Rapport is taken over, as its process is gone), and a local socket named after the
database lets a second start ask the first to come forward, with the file it was asked to
open ("Open with Rapport" on a vCard while Rapport runs): one line of JSON.
"""

from __future__ import annotations

import getpass
import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCryptographicHash, QLockFile, QObject, Signal

if TYPE_CHECKING:  # QtNetwork loads when a second start is answered or asked (a start's 5 ms)
    from PySide6.QtNetwork import QLocalServer

log = logging.getLogger(__name__)

ASK_TIMEOUT_MS = 2000


def server_name(database: Path) -> str:
    """A socket name of this user and database, short enough for every platform."""
    key = f"{getpass.getuser()}:{database}".encode()
    # SHA-256 as hashlib makes it (the same name as before), without loading OpenSSL.
    digest = QCryptographicHash.hash(key, QCryptographicHash.Algorithm.Sha256)
    return f"rapport-{bytes(digest.toHex()).decode()[:20]}"


class SingleInstance(QObject):
    raise_requested = Signal()  # another start of Rapport wants this window in front
    file_received = Signal(Path)  # ... and this file imported (after raise_requested)

    def __init__(self, database: Path, parent: QObject | None = None):
        super().__init__(parent)
        self.lock_path = database.with_name(database.name + ".lock")
        self._lock = QLockFile(str(self.lock_path))
        # Stale only when its process is gone, never by age: Rapport runs for weeks.
        self._lock.setStaleLockTime(0)
        self._name = server_name(database)
        self._server: QLocalServer | None = None
        self.after_crash = False  # known once acquired

    def acquire(self, answer: bool = True) -> bool:
        """Take the database for this process; False if another Rapport has it open. With
        `answer` False, a second start is answered only from answer_second_starts() on."""
        # A lock file left behind means the last Rapport on this database did not quit.
        self.after_crash = self.lock_path.exists()
        if not self._lock.tryLock(0):
            if self._lock.error() == QLockFile.LockError.LockFailedError:
                return False
            # No lock file possible (a missing or read-only folder): opening the database
            # will say what is wrong.
            log.warning("Cannot create %s: %s", self.lock_path, self._lock.error())
            return True
        if answer:
            self.answer_second_starts()
        return True

    def answer_second_starts(self) -> None:
        """Listen for a second start asking this one to come forward (raise_requested)."""
        from PySide6.QtNetwork import QLocalServer

        if self._server is not None or not self._lock.isLocked():
            return
        QLocalServer.removeServer(self._name)  # a crashed Rapport may have left its socket
        self._server = QLocalServer(self)
        self._server.newConnection.connect(self._answer)
        if not self._server.listen(self._name):
            log.warning("A second start cannot reach this one: %s", self._server.errorString())

    def ask_running_to_raise(self, file: Path | None = None) -> bool:
        """Ask the Rapport that has the database to come forward (and import `file`, an
        absolute path); False if it cannot be reached (it may be starting up or hanging)."""
        from PySide6.QtNetwork import QLocalSocket

        socket = QLocalSocket()
        socket.connectToServer(self._name)
        if not socket.waitForConnected(ASK_TIMEOUT_MS):
            return False
        # JSON keeps any file name on one line (a newline in a name, bytes not UTF-8).
        socket.write(json.dumps({"open": str(file) if file else None}).encode() + b"\n")
        sent = socket.waitForBytesWritten(ASK_TIMEOUT_MS)
        socket.disconnectFromServer()
        return sent

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
        self._lock.unlock()

    def _answer(self) -> None:
        while (connection := self._server.nextPendingConnection()) is not None:
            connection.disconnected.connect(connection.deleteLater)
            # A method, not a lambda: Qt drops the connection when this object goes.
            connection.readyRead.connect(self._read)
            self.raise_requested.emit()

    def _read(self) -> None:
        connection = self.sender()
        while connection.canReadLine():
            line = bytes(connection.readLine().data())
            try:
                file = json.loads(line).get("open")
            except (ValueError, AttributeError):  # not a Rapport asking: nothing to open
                log.warning("A second start sent what Rapport cannot read: %r", line[:80])
                continue
            if isinstance(file, str):
                self.file_received.emit(Path(file))
