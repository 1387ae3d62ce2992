"""The Settings dialog's form: what the owner set, what is wrong with it, and saving it.

Like models/forms/dialog_forms.py's forms, it keeps the lifetime value as typed (in the
owner's locale) so that a message can name it; `save_settings` refuses a form with any
error and stores every setting or none. Its sentences are marked for translation (context
"SettingsForm"): the window translates a SettingsError's template and fills in its values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time
from decimal import Decimal, InvalidOperation
from pathlib import Path

from models.exchange.booking_calendar import source_problem
from models.exchange.export_target import export_target_problem
from models.forms.dialog_forms import FieldError, ValidationError, _TypedText
from models.reminders.rules import LEAP_DAY_RULES
from models.store.database import db, open_database_path
from models.store.settings import (
    drifting_after_months,
    get_setting,
    is_on,
    leap_day_rule,
    reminder_time,
    set_on,
    set_setting,
    setting_number,
)
from models.values.amounts import PLAIN, AmountError, Separators, parse_amount, typed_amount
from models.values.words import QT_TRANSLATE_NOOP

PROMOTE_AFTER_BOOKINGS = (1, 100)  # the lowest and highest a Settings field takes
DRIFTING_AFTER_MONTHS = (1, 120)
SWITCHES = ("notifications", "close_to_tray", "start_at_login")

_UNREADABLE_VALUE = QT_TRANSLATE_NOOP("SettingsForm", "For the lifetime value, {why}")
_VALUE_NOT_ABOVE_0 = QT_TRANSLATE_NOOP(
    "SettingsForm", "The lifetime value is a number above 0, or empty."
)
_NO_FOLDER = QT_TRANSLATE_NOOP(
    "SettingsForm", "The folder of the calendar file does not exist: {folder}"
)
_BOOKINGS_OUT_OF_RANGE = QT_TRANSLATE_NOOP(
    "SettingsForm", "Suggest making a client after {low} to {high} bookings."
)
_MONTHS_OUT_OF_RANGE = QT_TRANSLATE_NOOP(
    "SettingsForm", "A client is drifting after {low} to {high} months."
)
_UNREADABLE_BUDGET = QT_TRANSLATE_NOOP("SettingsForm", "For the gift budget, {why}")
_BUDGET_NOT_ABOVE_0 = QT_TRANSLATE_NOOP(
    "SettingsForm", "The gift budget is an amount above 0, or empty."
)
_BUDGET_CURRENCY = QT_TRANSLATE_NOOP(
    "SettingsForm", "The gift budget needs its currency, a three-letter code like EUR."
)
_UNKNOWN_LEAP_DAY_RULE = QT_TRANSLATE_NOOP("SettingsForm", "Unknown rule for 29 February.")


@dataclass(frozen=True)
class SettingsError(FieldError):
    """A problem whose sentence the window translates: `template`, filled with `values`."""

    template: str = ""
    values: tuple[tuple[str, str], ...] = ()


def _problem(field: str, template: str, **values) -> SettingsError:
    words = tuple((name, str(value)) for name, value in values.items())
    return SettingsError(field, template.format(**values), template, words)


@dataclass
class SettingsForm(_TypedText):
    reminder_time: time
    leap_day_rule: str
    notifications: bool
    close_to_tray: bool
    start_at_login: bool
    promote_after_bookings: int
    promote_after_value: str  # as typed, in the owner's locale; empty: not used
    drifting_after_months: int
    your_name: str
    appearance: str  # "system", "light" or "dark" (ui/style.APPEARANCES)
    calendar_file: str  # empty: off
    separators: Separators = PLAIN  # how the owner's locale writes amounts
    backups_folder: Path | None = None  # where no calendar file may go
    gift_budget: str = ""  # a yearly amount as typed; empty: no budget
    gift_budget_currency: str = ""
    booking_calendar: str = ""  # an ICS file or an https address; empty: none

    def errors(self) -> list[FieldError]:
        errors = self._value_errors() + self._budget_errors()
        calendar = self.calendar_file.strip()
        if calendar and not Path(calendar).expanduser().parent.is_dir():
            errors.append(_problem("calendar_file", _NO_FOLDER, folder=Path(calendar).parent))
        elif calendar:
            target = Path(calendar).expanduser()
            problem = export_target_problem(target, open_database_path(), self.backups_folder)
            if problem:
                errors.append(_problem("calendar_file", "{why}", why=problem))
        problem = source_problem(self.booking_calendar)
        if problem:
            errors.append(_problem("booking_calendar", "{why}", why=problem))
        for field, (low, high), template in (
            ("promote_after_bookings", PROMOTE_AFTER_BOOKINGS, _BOOKINGS_OUT_OF_RANGE),
            ("drifting_after_months", DRIFTING_AFTER_MONTHS, _MONTHS_OUT_OF_RANGE),
        ):
            if not low <= getattr(self, field) <= high:
                errors.append(_problem(field, template, low=low, high=high))
        if self.leap_day_rule not in LEAP_DAY_RULES:
            errors.append(_problem("leap_day_rule", _UNKNOWN_LEAP_DAY_RULE))
        return errors

    def _value_errors(self) -> list[FieldError]:
        try:
            value = parse_amount(self.promote_after_value, self.separators)
        except AmountError as error:
            return [_problem("promote_after_value", _UNREADABLE_VALUE, why=error)]
        if value is not None and value <= 0:
            return [_problem("promote_after_value", _VALUE_NOT_ABOVE_0)]
        return []

    def _budget_errors(self) -> list[FieldError]:
        try:
            budget = parse_amount(self.gift_budget, self.separators)
        except AmountError as error:
            return [_problem("gift_budget", _UNREADABLE_BUDGET, why=error)]
        if budget is not None and budget <= 0:
            return [_problem("gift_budget", _BUDGET_NOT_ABOVE_0)]
        if budget is not None and not re.fullmatch(r"[A-Z]{3}", self.budget_currency()):
            return [_problem("gift_budget_currency", _BUDGET_CURRENCY)]
        return []

    def budget_currency(self) -> str:
        return self.gift_budget_currency.strip().upper()


def settings_form(separators: Separators = PLAIN) -> SettingsForm:
    """The settings as stored, for the dialog to show."""
    return SettingsForm(
        reminder_time=reminder_time(),
        leap_day_rule=leap_day_rule(),
        **{key: is_on(key) for key in SWITCHES},
        promote_after_bookings=setting_number("promote_after_bookings")
        or PROMOTE_AFTER_BOOKINGS[0],
        promote_after_value=_stored_amount("promote_after_value", separators),
        drifting_after_months=drifting_after_months(),
        your_name=get_setting("your_name"),
        appearance=get_setting("appearance"),
        calendar_file=get_setting("calendar_file"),
        separators=separators,
        gift_budget=_stored_amount("gift_budget", separators),
        gift_budget_currency=get_setting("gift_budget_currency"),
        booking_calendar=get_setting("booking_calendar"),
    )


def _stored_amount(key: str, separators: Separators) -> str:
    """A stored amount as the owner's locale writes it (a hand-edited one as it is)."""
    stored = get_setting(key)
    try:
        return typed_amount(Decimal(stored), separators) if stored else ""
    except InvalidOperation:
        return stored


def save_settings(form: SettingsForm) -> None:
    """Store every setting of the form, or none; ValidationError when any is wrong."""
    errors = form.errors()
    if errors:
        raise ValidationError(errors)
    value = parse_amount(form.promote_after_value, form.separators)
    calendar = form.calendar_file.strip()
    with db.atomic():
        set_setting("calendar_file", str(Path(calendar).expanduser()) if calendar else "")
        set_setting("promote_after_value", "" if value is None else str(value))
        budget = parse_amount(form.gift_budget, form.separators)
        set_setting("gift_budget", "" if budget is None else str(budget))
        set_setting("gift_budget_currency", form.budget_currency() if budget is not None else "")
        set_setting("promote_after_bookings", str(form.promote_after_bookings))
        set_setting("drifting_after_months", str(form.drifting_after_months))
        set_setting("your_name", form.your_name.strip())
        set_setting("booking_calendar", form.booking_calendar.strip())
        set_setting("reminder_time", form.reminder_time.strftime("%H:%M"))
        set_setting("leap_day_rule", form.leap_day_rule)
        set_setting("appearance", form.appearance)
        for key in SWITCHES:
            set_on(key, getattr(form, key))
