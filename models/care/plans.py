"""Care plans: what to do after a session of each kind, step by step.

A plan is a list of steps, each an offset from the session's day (months and days), a
follow-up's title, the message template its Write… starts from, whether it is marketing
(offered only to clients who agreed) and whether it comes again every year. The owner's
plans are kept as one setting (JSON), so they travel with a full archive; until edited, a
kind of session has the plan a photographer would start from (DEFAULT_PLANS).

A plan is copied onto each session's follow-ups when the session is logged
(models/care/steps.py): editing a plan changes only the sessions logged after.
"""

from __future__ import annotations

import calendar
import json
from dataclasses import asdict, dataclass, fields
from datetime import date, timedelta

from models.forms.dialog_forms import FieldError, ValidationError
from models.reminders.rules import resolve_yearly
from models.store.settings import get_setting, set_setting
from models.values.kinds import SESSION_KINDS
from models.values.plain_text import one_line

SETTING = "care_plans"
MAX_MONTHS = 120  # ten years after a session: a longer offset is a typo
MAX_DAYS = 366
MAX_STEPS = 20


@dataclass(frozen=True)
class PlanStep:
    title: str  # the follow-up: "Send a thank-you note"
    months: int = 0  # after the session's day: months first, then days
    days: int = 0
    template: str = ""  # a key of models/clients/templates.py TEMPLATE_KINDS, or none
    marketing: bool = False  # a review request, an offer: only with the client's consent
    yearly: bool = False  # comes again a year after, every year

    def errors(self, where: str, templates: set[str]) -> list[FieldError]:
        problems = []
        if not self.title.strip():
            problems.append(f"{where}: say what to do, e.g. 'Send a thank-you note'.")
        if not 0 <= self.months <= MAX_MONTHS:
            problems.append(f"{where}: months from 0 to {MAX_MONTHS}.")
        if not 0 <= self.days <= MAX_DAYS:
            problems.append(f"{where}: days from 0 to {MAX_DAYS}.")
        if self.template and self.template not in templates:
            problems.append(f"{where}: Rapport has no template {self.template!r}.")
        return [FieldError("steps", problem) for problem in problems]


DEFAULT_PLANS: dict[str, tuple[PlanStep, ...]] = {
    "wedding": (
        PlanStep("Send a thank-you note", days=1, template="thank_you"),
        PlanStep("Deliver the gallery", days=14, template="gallery"),
        PlanStep(
            "Ask for a review or a referral", days=30, template="review_request", marketing=True
        ),
        PlanStep(
            "First-anniversary offer",
            months=11,
            template="anniversary_offer",
            marketing=True,
            yearly=True,
        ),
    ),
    # A plain session: a portrait, a family shoot.
    "session": (
        PlanStep("Send a thank-you note", days=1, template="thank_you"),
        PlanStep("Deliver the gallery", days=10, template="gallery"),
        PlanStep("Check in", months=6, template="check_in"),
    ),
}


def care_plans() -> dict[str, tuple[PlanStep, ...]]:
    """The plan of every kind of session: the owner's, or the default for a kind they
    never edited (or a hand-edited setting Rapport cannot read)."""
    plans = dict(DEFAULT_PLANS)
    try:
        stored = json.loads(get_setting(SETTING))
        for kind in SESSION_KINDS:
            if kind in stored:
                plans[kind] = tuple(_step(item) for item in stored[kind])
    except (ValueError, TypeError, KeyError, AttributeError):
        return dict(DEFAULT_PLANS)
    return plans


def _step(item: dict) -> PlanStep:
    known = {field.name for field in fields(PlanStep)}
    step = PlanStep(**{key: value for key, value in item.items() if key in known})
    if not isinstance(step.title, str) or not all(
        isinstance(value, int) for value in (step.months, step.days)
    ):
        raise TypeError("not a plan step")
    return step


def plan_for(kind: str) -> tuple[PlanStep, ...]:
    """The steps a session of this kind starts; none for a call or a purchase."""
    return care_plans().get(kind, ()) if kind in SESSION_KINDS else ()


def save_care_plans(plans: dict[str, list[PlanStep]], templates: set[str]) -> None:
    """Keep the owner's plans; ValidationError naming each wrong step, nothing saved."""
    errors = []
    cleaned = {}
    for kind, steps in plans.items():
        if kind not in SESSION_KINDS:
            errors.append(FieldError("kind", f"Unknown kind of session {kind!r}."))
            continue
        if len(steps) > MAX_STEPS:
            errors.append(FieldError("steps", f"At most {MAX_STEPS} steps in a plan."))
        steps = [PlanStep(**(asdict(step) | {"title": one_line(step.title)})) for step in steps]
        for number, step in enumerate(steps, start=1):
            errors += step.errors(f"Step {number}", templates)
        cleaned[kind] = [asdict(step) for step in steps]
    if errors:
        raise ValidationError(errors)
    set_setting(SETTING, json.dumps(cleaned, ensure_ascii=False))


def add_months(day: date, months: int, leap_day_rule: str = "feb28") -> date:
    """The same day `months` later; a day the month lacks becomes its last (31 Jan + 1
    month is 28 or 29 Feb), except that 29 Feb in a common year follows the owner's
    leap-day rule, as yearly dates do (28 Feb, or 1 Mar)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    if (day.month, day.day, month) == (2, 29, 2):
        return resolve_yearly(2, 29, year, leap_day_rule)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def step_day(session_day: date, months: int, days: int, leap_day_rule: str = "feb28") -> date:
    """The local day a step falls due, `months` and then `days` after the session's day."""
    return add_months(session_day, months, leap_day_rule) + timedelta(days=days)
