"""The command line's accounts: `account add|list|remove`, `sync` and `capture`.

Exit codes as the other commands: 0 done; 1 some items could not be synced (the rest
were); 2 no server could be reached or logged in to, or the command could not run.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

OK, SOME_FAILED, UNUSABLE = 0, 1, 2


def add_commands(commands: argparse._SubParsersAction) -> None:
    account = commands.add_parser("account", help="add, list or remove a server account")
    actions = account.add_subparsers(dest="action", required=True)
    add = actions.add_parser(
        "add", help="add a CalDAV/CardDAV (https://) or mail (imaps://) account"
    )
    add.add_argument("url", help="the server's address, e.g. https://dav.example.org/")
    add.add_argument("--user", required=True, help="the user name on the server")
    add.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of standard input",
    )
    add.add_argument("--label", default="", help="a name for the account (default user@host)")
    add.add_argument("--addressbook", default="", help="the address book to sync (its name)")
    add.add_argument("--calendar", default="", help="the calendar to publish to (its name)")
    actions.add_parser("list", help="the accounts and what each last did")
    remove = actions.add_parser("remove", help="remove an account and forget its password")
    remove.add_argument("id", type=int, help="the account's number, as `account list` shows")
    sync = commands.add_parser("sync", help="sync every account's address book and calendars")
    capture = commands.add_parser("capture", help="read every mail account's new headers once")
    for parser in (*actions.choices.values(), sync, capture):
        parser.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="database file")


def run(args: argparse.Namespace, now: Callable[[], datetime]) -> int:
    """Called by cli.run with the database open."""
    if args.command in ("sync", "capture"):
        return run_jobs_once(args.command, now)
    if args.action == "add":
        return add(args, now)
    if args.action == "remove":
        return remove(args.id)
    return list_accounts()


def add(args: argparse.Namespace, now: Callable[[], datetime]) -> int:
    from models.accounts.runs import set_up_account
    from models.accounts.store import AccountError

    password = _password(args)
    if not password:
        print("rapport account: no password given; nothing was added.", file=sys.stderr)
        return UNUSABLE
    choices = {key: value for key in ("addressbook", "calendar") if (value := getattr(args, key))}
    try:
        account, chosen = set_up_account(args.url, args.user, password, now, choices, args.label)
    except AccountError as error:
        print(f"rapport account: {error} Nothing was added.", file=sys.stderr)
        return UNUSABLE
    print(f"Added account {account.id}: {account.shown_name}")
    for sentence in chosen:
        print(f"  {sentence}")
    return OK


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if sys.stdin.isatty():
        return getpass.getpass(f"Password for {args.user}: ")
    return ""


def list_accounts() -> int:
    from models.accounts.jobs import jobs_for
    from models.accounts.store import accounts, statuses

    found = accounts()
    if not found:
        print("No accounts. Add one with `rapport account add URL --user NAME`.")
    for account in found:
        print(f"{account.id}  {account.shown_name}  {account.url}")
        done = statuses(account)
        for job in jobs_for(account):
            status = done.get(job.name)
            said = (
                "not run yet"
                if status is None
                else f"{status.ran_at:%Y-%m-%d %H:%M} UTC · {status.error or status.summary}"
            )
            print(f"    {job.name}: {said}")
    return OK


def remove(account_id: int) -> int:
    from models.accounts.runs import remove_account
    from models.accounts.store import AccountError, account_by_id

    try:
        account = account_by_id(account_id)
    except AccountError as error:
        print(f"rapport account: {error}", file=sys.stderr)
        return UNUSABLE
    left = remove_account(account)
    print(f"Removed account {account_id} ({account.shown_name}); what it brought in stays.")
    if left:
        print(f"rapport account: {left}", file=sys.stderr)
    return OK


def run_jobs_once(command: str, now: Callable[[], datetime]) -> int:
    from models.accounts.runs import run_jobs

    results = run_jobs(command, now, interactive=False)
    if not results:
        what = "an address book or calendar" if command == "sync" else "mail"
        print(f"Nothing to {command}: no account with {what} to {command}.")
        return OK
    for result in results:
        print(result.line, file=sys.stderr if result.error else sys.stdout)
    if any(result.error for result in results):
        return UNUSABLE
    return SOME_FAILED if any(result.report.failed for result in results) else OK
