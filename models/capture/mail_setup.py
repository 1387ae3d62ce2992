"""Setting up mail capture when an IMAP account is added: log in (which proves the
address, the encryption and the password), find the sent folder by its \\Sent flag (or
take the one the owner named) and keep the day to read from."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from models.accounts.jobs import RunContext
from models.accounts.store import AccountError, set_options
from models.capture.imap import Folder, display_name
from models.capture.mail import INBOX, connected, mail_since
from models.clock import local_today


def set_up(context: RunContext) -> str:
    account, choices = context.account, context.choices
    certificate = trusted_certificate(choices.get("trust_certificate", ""))
    if certificate:
        set_options(account, trusted_certificate=certificate)
    since = _chosen_day(choices.get("mail_since", "")) or mail_since(
        account, local_today(context.now())
    )
    with connected(account, context.password) as server:
        sent = sent_folder(server.folders(), choices.get("sent_folder", ""))
        server.examine(INBOX)
    set_options(account, sent_folder=sent, mail_since=since.isoformat())
    read = f"the inbox and {display_name(sent)!r}" if sent else "the inbox (no sent folder found)"
    return f"Mail: the headers of {read} from {since:%d %b %Y}; never a message's text."


def sent_folder(folders: list[Folder], chosen: str = "") -> str | None:
    """The folder the owner named, or the one the server flags \\Sent; None if neither."""
    if chosen:
        for folder in folders:
            if chosen in (folder.name, display_name(folder.name)):
                return folder.name
        raise AccountError(f"There is no folder {chosen!r} on the mail server.")
    flagged = [f.name for f in folders if "\\sent" in f.flags and "\\noselect" not in f.flags]
    return flagged[0] if flagged else None


def trusted_certificate(path: str) -> str:
    """The PEM text of a certificate the owner trusts for their own server, or ""."""
    if not path:
        return ""
    try:
        text = Path(path).read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as error:
        raise AccountError(f"The certificate {path} cannot be read ({error}).") from error
    if "-----BEGIN CERTIFICATE-----" not in text:
        raise AccountError(f"{path} is not a certificate (PEM) file.")
    return text


def _chosen_day(text: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise AccountError(f"{text!r} is not a day: write it as 2025-12-31.") from None
