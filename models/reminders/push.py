"""Reminders on the phone without an app: each reminder also goes to a push address the
owner gives (ntfy, Pushover, Telegram, email...) through the `apprise` library.

The address holds the service's token, so it lives in the system keyring, never in the
database; the database only says that push is on, so that nothing touches the keyring
(or the network) for an owner who never set one. What is pushed is what the desktop
notification shows, when it is shown: the reminder service records a reminder as
notified before either goes out, so neither ever repeats it.
"""

from __future__ import annotations

import logging

from models.accounts.secrets import forget_secret, read_secret, save_secret
from models.store.settings import is_on, set_on

SECRET = "push-url"
SETTING = "push_reminders"
EXAMPLES = (
    "ntfy://ntfy.sh/your-topic, pover://user@token, tgram://bot-token/chat-id "
    "or mailtos://user:password@example.org"
)


def push_problem(url: str) -> str:
    """Why Rapport cannot push to `url` (a sentence), or "" when it can."""
    import apprise  # its many service modules load only when push is used

    if url.strip() and not apprise.Apprise().add(url.strip()):
        return f"Rapport cannot push to that address. Give one like {EXAMPLES}."
    return ""


def set_push_url(url: str) -> None:
    """Keep the push address in the keyring and turn push on; an empty one turns it off.
    Raises ValueError with a sentence for an address apprise does not know, and
    AccountError (KeyringUnavailable) when no keyring can keep it."""
    url = url.strip()
    problem = push_problem(url)
    if problem:
        raise ValueError(problem)
    if url:
        save_secret(SECRET, url)
    elif is_on(SETTING):
        forget_secret(SECRET)
    set_on(SETTING, bool(url))


def push_url() -> str:
    """The push address, "" when push is off (the keyring is then not asked)."""
    return read_secret(SECRET) if is_on(SETTING) else ""


def push(url: str, title: str, text: str) -> str:
    """Send one reminder; "" when the service took it, else why not, in a sentence."""
    import apprise

    sender = apprise.Apprise()
    if not sender.add(url):
        return f"Rapport cannot push to that address. Give one like {EXAMPLES}."
    with apprise.LogCapture(level=logging.WARNING) as said:
        sent = sender.notify(title=title, body=text, body_format=apprise.NotifyFormat.TEXT)
    if sent:
        return ""
    lines = [line for line in said.getvalue().splitlines() if line.strip()]
    reason = lines[-1].split(" - ", 2)[-1] if lines else "no reason given"
    return f"The push service did not take the reminder ({reason})."
