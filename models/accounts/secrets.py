"""Passwords and tokens, in the system keyring only (Secret Service on Linux, the
Keychain on macOS, the Credential Locker on Windows), through the `keyring` library.

Never in the database, the settings, the log, a backup or an archive. Where no keyring
is available, or only one that would write the password to a plain file, Rapport says so
and keeps the password nowhere.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from models.accounts.store import AccountError

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

    from models.accounts.store import Account

SERVICE = "Rapport"
# Backends that are no keyring at all, or that keep secrets in a file anyone with the
# owner's files can read.
_NOT_A_KEYRING = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")


class KeyringUnavailable(AccountError):
    """There is no system keyring to keep the password in."""


def _keyring() -> KeyringBackend:
    import keyring  # loads D-Bus code: only when an account is used

    backend = keyring.get_keyring()
    chain = getattr(backend, "backends", [backend])  # the chainer tries each in turn
    usable = [one for one in chain if not type(one).__module__.startswith(_NOT_A_KEYRING)]
    if not usable:
        raise KeyringUnavailable(
            "There is no system keyring to keep the password in (on Linux: GNOME Keyring, "
            "KWallet or another Secret Service). Rapport stores passwords nowhere else; "
            "install or unlock one, then add the account again."
        )
    return backend


def _in_keyring(action: str, call, *args):
    from keyring.errors import KeyringError

    try:
        return call(*args)
    except KeyringError as error:
        raise KeyringUnavailable(
            f"The system keyring refused to {action} ({error}). Unlock it, or check that "
            "it is running, and try again."
        ) from error
    except Exception as error:  # D-Bus and backend errors have no common base class
        raise KeyringUnavailable(
            f"The system keyring could not {action}: {error}. Check that it is running "
            "and unlocked, and try again."
        ) from error


def save_secret(name: str, value: str) -> None:
    backend = _keyring()
    _in_keyring("store the password", backend.set_password, SERVICE, name, value)


def read_secret(name: str) -> str:
    """The secret, or "" when the keyring has none under `name`."""
    backend = _keyring()
    return _in_keyring("give the password", backend.get_password, SERVICE, name) or ""


def forget_secret(name: str) -> None:
    from keyring.errors import PasswordDeleteError

    backend = _keyring()
    try:
        _in_keyring("forget the password", backend.delete_password, SERVICE, name)
    except KeyringUnavailable as error:
        if not isinstance(error.__cause__, PasswordDeleteError):  # there was none: fine
            raise


def _account_entry(account: Account) -> str:
    return f"account-{account.uid}"


def save_password(account: Account, password: str) -> None:
    save_secret(_account_entry(account), password)


def password_for(account: Account) -> str:
    password = read_secret(_account_entry(account))
    if not password:
        raise AccountError(
            f"The system keyring has no password for {account.shown_name}. Enter it again "
            "in Settings → Accounts."
        )
    return password


def forget_password(account: Account) -> None:
    forget_secret(_account_entry(account))
