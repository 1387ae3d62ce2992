"""The owner's settings, stored in the database so that they travel with it."""

from __future__ import annotations

from datetime import UTC, datetime, time

from models.reminders.rules import LEAP_DAY_RULES
from models.store.entities import Setting

DEFAULTS = {
    "reminder_time": "09:00",
    "leap_day_rule": "feb28",
    "notifications": "on",
    "close_to_tray": "on",
    "start_at_login": "off",
    "sync_warning_shown_for": "",  # the database the sync-folder warning was shown for
    "readable_warning_shown_for": "",  # the database said once to be readable by others
    # When Rapport suggests making a customer a client: after this many paid sessions or
    # purchases, or (if set) this lifetime value in any one currency.
    "promote_after_bookings": "2",
    "promote_after_value": "",
    # A client is drifting after this many months without contact (or a check-in overdue
    # by more than half its interval).
    "drifting_after_months": "12",
    "your_name": "",  # signs the message templates
    "calendar_file": "",  # kept up to date with the yearly dates (scheduler/calendar_file.py)
    "appearance": "system",  # or "light" or "dark", whatever the system's scheme
    "told_about_tray": "off",  # said once that closing the window keeps Rapport in the tray
    # The yearly gift budget (models/insight/gifts.py): an amount as typed and its currency.
    "gift_budget": "",
    "gift_budget_currency": "",
    # The owner's booking calendar: an ICS file or an https address, read every 15 minutes
    # (models/exchange/booking_calendar.py); and when it was last read, what and with what
    # outcome ("<UTC instant>\n<source>\n<a sentence>").
    "booking_calendar": "",
    "booking_calendar_read": "",
    "care_plans": "{}",  # the owner's care plans by kind of session (models/care/plans.py)
}

# The settings a full archive brings to another computer: how the owner works, nothing
# that names a file or folder or changes what Rapport does on this machine (a calendar
# file, starting at login, notifications). Any setting not named here stays local.
PORTABLE_SETTINGS = frozenset(
    {
        "reminder_time",
        "leap_day_rule",
        "promote_after_bookings",
        "promote_after_value",
        "drifting_after_months",
        "your_name",
        "gift_budget",
        "gift_budget_currency",
        "care_plans",
    }
)


def get_setting(key: str) -> str:
    row = Setting.get_or_none(Setting.key == key)
    return row.value if row else DEFAULTS[key]


def set_setting(key: str, value: str) -> None:
    Setting.insert(key=key, value=value).on_conflict_replace().execute()


def reminder_time() -> time:
    """The local time of day at which date reminders and check-ins fire."""
    try:
        return time.fromisoformat(get_setting("reminder_time"))
    except ValueError:  # a hand-edited value: fall back rather than never remind
        return time.fromisoformat(DEFAULTS["reminder_time"])


def leap_day_rule() -> str:
    rule = get_setting("leap_day_rule")
    return rule if rule in LEAP_DAY_RULES else DEFAULTS["leap_day_rule"]


def drifting_after_months() -> int:
    """After how many months without contact a client is drifting. An empty or
    hand-edited value falls back to the default, as the reminder time does: a flag that
    silently switched itself off would hide exactly the clients it is for."""
    months = setting_number("drifting_after_months")
    return months if months is not None and months > 0 else int(DEFAULTS["drifting_after_months"])


def is_on(key: str) -> bool:
    return get_setting(key) == "on"


def set_on(key: str, on: bool) -> None:
    set_setting(key, "on" if on else "off")


def last_reconciled_at() -> datetime | None:
    """When Rapport last looked for due reminders; None on a new database."""
    row = Setting.get_or_none(Setting.key == "last_reconciled_at")
    return datetime.fromisoformat(row.value) if row else None


def set_last_reconciled_at(moment: datetime) -> None:
    set_setting("last_reconciled_at", moment.astimezone(UTC).isoformat())


def setting_number(key: str) -> int | None:
    """A whole-number setting; None when empty or hand-edited into nonsense."""
    try:
        return int(get_setting(key))
    except ValueError:
        return None
