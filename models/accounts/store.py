"""The accounts the owner added, and what each job last did with them.

An account is a server and a user name; its password lives in the system keyring
(models/accounts/secrets.py), never here. What each feature chose on the server (the
address book, the calendar, the sent folder...) is kept in the account's options.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from urllib.parse import urlsplit

from peewee import ForeignKeyField, IntegerField, TextField

from models.store.database import BaseModel, db
from models.store.entities import utc_now
from models.store.fields import UtcDateTimeField

# The URL schemes the owner may type, and the kind of account each one is.
KINDS_BY_SCHEME = {"https": "dav", "http": "dav", "imaps": "imap", "imap": "imap"}


class AccountError(Exception):
    """Why an account could not be used, in a sentence for the owner."""


class Account(BaseModel):
    uid = TextField(unique=True)  # names the keyring entry; never reused
    kind = TextField()  # "dav" (CalDAV and CardDAV) or "imap"
    url = TextField()
    user = TextField(default="")
    label = TextField(default="")
    options = TextField(default="{}")  # JSON: what each feature chose on the server
    created_at = UtcDateTimeField(default=utc_now)

    def option(self, key: str, default: object = None) -> object:
        return json.loads(self.options or "{}").get(key, default)

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or self.url

    @property
    def shown_name(self) -> str:
        return self.label or (f"{self.user}@{self.host}" if self.user else self.host)


class AccountStatus(BaseModel):
    """What one job last did for one account: shown in Settings and the status bar."""

    account = ForeignKeyField(Account, on_delete="CASCADE", backref="statuses")
    job = TextField()
    ran_at = UtcDateTimeField()
    summary = TextField(default="")
    error = TextField(default="")
    failed = IntegerField(default=0)

    class Meta:
        table_name = "account_status"
        primary_key = False
        indexes = ((("account", "job"), True),)


ACCOUNT_TABLES = (Account, AccountStatus)


def account_kind(url: str) -> str:
    """ "dav" or "imap", from the address the owner typed."""
    parts = urlsplit(url.strip())
    kind = KINDS_BY_SCHEME.get(parts.scheme.lower())
    if kind is None or not parts.hostname:
        raise AccountError(
            f"{url.strip() or 'An empty address'} is not a server address Rapport can use. "
            "Give the whole address: https://… for a calendar and address book server, "
            "imaps://… for mail."
        )
    return kind


def add_account(url: str, user: str, label: str = "") -> Account:
    url = url.strip()
    return Account.create(
        uid=str(uuid.uuid4()), kind=account_kind(url), url=url, user=user.strip(), label=label
    )


def accounts(kind: str | None = None) -> list[Account]:
    query = Account.select().order_by(Account.id)
    if kind is not None:
        query = query.where(Account.kind == kind)
    return list(query)


def account_by_id(account_id: int) -> Account:
    account = Account.get_or_none(Account.id == account_id)
    if account is None:
        raise AccountError(f"There is no account {account_id}; `account list` shows them.")
    return account


def set_options(account: Account, **changes: object) -> None:
    """Store what a feature chose; None removes an option. Re-reads the row first, so that
    two features setting their own options never undo each other's."""
    with db.atomic():
        stored = json.loads(Account.get_by_id(account.id).options or "{}")
        stored.update(changes)
        stored = {key: value for key, value in stored.items() if value is not None}
        account.options = json.dumps(stored, sort_keys=True)
        Account.update(options=account.options).where(Account.id == account.id).execute()


def record_status(
    account: Account, job: str, at: datetime, summary: str, error: str = "", failed: int = 0
) -> None:
    AccountStatus.insert(
        account=account.id, job=job, ran_at=at, summary=summary, error=error, failed=failed
    ).on_conflict_replace().execute()


def statuses(account: Account) -> dict[str, AccountStatus]:
    return {row.job: row for row in AccountStatus.select().where(AccountStatus.account == account)}
