"""Load realistic sample clients so that a newcomer sees Rapport at work at once.

Everything is dated relative to `today` and drawn from a seeded generator, so
the same day always gives the same studio. The records go through the same
save functions as the dialogs, so sample data obeys every rule real data does.
"""

from __future__ import annotations

import calendar
import random
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from models.care.steps import CareTiming, start_care_plan
from models.clients.couples import make_client_of
from models.clients.entries import (
    save_family_member,
    save_follow_up,
    save_important_date,
    save_interaction,
    save_note,
)
from models.clients.gifts import save_gift
from models.clients.saving import client_form, save_client
from models.clients.wishes import save_wish
from models.forms.dialog_forms import (
    ClientForm,
    FamilyMemberForm,
    FollowUpForm,
    GiftForm,
    ImportantDateForm,
    InteractionForm,
    NoteForm,
    WishForm,
)
from models.sample.people import SAMPLE_CLIENTS, SampleClient, Yearly
from models.sample.stories import (
    EMAIL_DOMAINS,
    FILLERS,
    LEAD_STEPS,
    PHONE_PREFIXES,
    PLACES,
    STORIES,
    STREETS,
    TOP_LEVEL_DOMAINS,
    WEDDING_DAY,
    Step,
)
from models.store.database import db
from models.store.entities import (
    Client,
    ClientPhoto,
    FamilyMember,
    FollowUp,
    ImportantDate,
    Interaction,
    Note,
    Wish,
)
from models.store.settings import set_setting
from models.values.folding import fold
from models.values.kinds import DEFAULT_LEAD_DAYS, SESSION_KINDS
from models.values.partial_dates import ordinal

SAMPLE_PHOTOS = Path(__file__).resolve().parents[2] / "assets" / "sample_photos"

# Days between two steps of a story; leads move faster than booked work.
STEP_GAP_DAYS = 30
LEAD_STEP_GAP_DAYS = 3
FILLER_EVERY_DAYS = 200
RECENT_REFERRAL_DAYS = 31


def load_sample_clients(today: date, seed: int = 7) -> int:
    """Add the sample clients in one transaction; returns how many were added.

    Raises ValueError when the database already has clients, so that sample
    people never mix with real ones.
    """
    if Client.select().exists():
        raise ValueError(
            "Sample clients are only loaded into an empty database; this one has clients."
        )
    rng = random.Random(seed)
    added: dict[str, Client] = {}
    with db.atomic():
        for spec in SAMPLE_CLIENTS:
            added[spec.full_name] = _add_client(spec, added, rng, today)
        added["Tom Berger"] = _add_couple(added["Anna Berger"], today)
        _add_gifts(added, today)
        _add_care_loop(added, today)
    return len(added)


def _add_couple(anna: Client, today: date) -> Client:
    """Anna's partner Tom, a client of his own: the couple on Today, in Write… and the list."""
    member = FamilyMember.get(
        (FamilyMember.client == anna.id) & (FamilyMember.name == "Tom Berger")
    )
    tom = make_client_of(member.id)
    form = client_form(tom)
    form.emails, form.phones = "tom.berger@example.de", "+49 151 7305512"
    save_client(form, tom.id)
    created = _instant(today - timedelta(days=400), 9)
    Client.update(created_at=created).where(Client.id == tom.id).execute()
    asked = InteractionForm(
        "call", _instant(today - timedelta(days=12), 17), "Asked about a surprise print for Anna"
    )
    save_interaction(asked, tom.id)
    return tom


# (client, days ago: negative is ahead, what, occasion, cost, planned): this year's come to
# 91 % of the budget below, so that the Studio shows its warning.
_GIFTS = (
    ("Anna Berger", 40, "Canvas print of the wedding photo", "wedding_anniversary", "89.90", False),
    ("Maria Schneider", 20, "Flowers for three referrals", "referral", "45.00", False),
    ("Chloé Lefèvre", 5, "Photo book of the family session", "thank_you", "120.00", False),
    (
        "Tom Berger",
        -4,
        "Bottle of Crémant for the anniversary",
        "wedding_anniversary",
        "110.00",
        True,
    ),
    ("Jonas Albrecht", 300, "Coffee voucher", "referral", "25.00", False),
)
GIFT_BUDGET = ("400", "EUR")


def _add_gifts(added: dict[str, Client], today: date) -> None:
    for name, days_ago, what, occasion, cost, planned in _GIFTS:
        form = GiftForm(what, today - timedelta(days=days_ago), occasion, cost, "EUR", planned)
        save_gift(form, added[name].id)
    set_setting("gift_budget", GIFT_BUDGET[0])
    set_setting("gift_budget_currency", GIFT_BUDGET[1])


# The care loop as a studio lives it: recent sessions with their care plans (what fell due
# before these days done), a gallery about to close, consent from most clients, and
# wedding anniversaries reminded a week and a day before.
CARE_SINCE_DAYS = 45
CARE_DONE_BEFORE_DAYS = 2
GALLERY_CLOSES_IN_DAYS = 5


def _add_care_loop(added: dict[str, Client], today: date) -> None:
    noon = _instant(today, 12)
    timing = CareTiming(noon, UTC, time(9))
    # Yesterday's portrait session: its thank-you note is on Today.
    regular = next(client for client in added.values() if client.stage == "client")
    yesterday = InteractionForm(
        kind="session",
        occurred_at=_instant(today - timedelta(days=1), 10),
        summary="Portrait session at the Isar",
        amount="380",
        currency="EUR",
    )
    save_interaction(yesterday, regular.id)
    for client in added.values():
        if client.stage in ("client", "past"):  # customers have not agreed: offers wait
            consent = Client.get_by_id(client.id).created_at.date()  # their first contact
            Client.update(marketing_consent_on=consent).where(Client.id == client.id).execute()
        session = (
            Interaction.select()
            .where(
                (Interaction.client == client.id)
                & Interaction.kind.in_(SESSION_KINDS)
                & (Interaction.occurred_at >= noon - timedelta(days=CARE_SINCE_DAYS))
            )
            .order_by(Interaction.occurred_at.desc())
            .first()
        )
        if session is None:
            continue
        for step in start_care_plan(session, timing):
            if step.due_at < noon - timedelta(days=CARE_DONE_BEFORE_DAYS):
                FollowUp.update(done_at=step.due_at + timedelta(hours=2)).where(
                    FollowUp.id == step.id
                ).execute()
        if session.kind == "wedding":  # a new couple, not asked yet: their offers wait
            Client.update(marketing_consent_on=None).where(Client.id == client.id).execute()
            closes = today + timedelta(days=GALLERY_CLOSES_IN_DAYS)
            slug = _ascii(client.first_name).lower()
            Interaction.update(
                gallery_url=f"https://{slug}.pixieset.com/wedding/", gallery_expires_on=closes
            ).where(Interaction.id == session.id).execute()
    ImportantDate.update(more_lead_days="1").where(
        ImportantDate.kind == "wedding_anniversary"
    ).execute()


def _add_client(
    spec: SampleClient, added: dict[str, Client], rng: random.Random, today: date
) -> Client:
    referrer = added[spec.referred_by].id if spec.referred_by else None
    form = ClientForm(
        first_name=spec.first,
        last_name=spec.last,
        preferred_name=spec.preferred,
        organization=spec.organization,
        stage=spec.stage,
        emails=_email(spec, rng),
        phones=f"{PHONE_PREFIXES[spec.country]} {rng.randrange(1000000, 9999999)}",
        address=_address(spec, rng),
        where_from=spec.where_from,
        lives_now=spec.lives_now,
        how_we_met=spec.how_we_met,
        tags=spec.tags,
        check_in_days=str(spec.check_in_days or ""),
        referred_by_id=referrer,
    )
    first_contact = today - timedelta(days=spec.first_contact_days)
    client = save_client(form, now=_instant(first_contact, 9))
    # A referral of the last month is still to be thanked (on Today); older ones were.
    thanked = spec.first_contact_days > RECENT_REFERRAL_DAYS
    Client.update(
        created_at=_instant(first_contact, 9),
        referred_at=None if thanked else Client.referred_at,
    ).where(Client.id == client.id).execute()
    _add_dates(client.id, spec, today, first_contact)
    _add_family(client.id, spec, today)
    _add_history(client.id, spec, rng, today)
    _add_notes(client.id, spec, rng, today)
    _add_follow_ups(client.id, spec, today)
    _add_wishes(client.id, spec, today)
    _add_photo(client.id, spec, first_contact)
    return client


def _add_photo(client_id: int, spec: SampleClient, first_contact: date) -> None:
    """A painted placeholder portrait for some (tools/make_sample_photos.py); the others
    show their initials, as most real clients will."""
    path = SAMPLE_PHOTOS / f"{_ascii(spec.first)}-{_ascii(spec.last)}.jpg"
    if path.exists():
        added = _instant(first_contact, 10)
        ClientPhoto.create(client=client_id, image=path.read_bytes(), updated_at=added)


def _add_wishes(client_id: int, spec: SampleClient, today: date) -> None:
    for text, days, remind in spec.wishes:
        wanted_by = None if days is None else today + timedelta(days=days)
        wish = save_wish(WishForm(text, wanted_by, remind), client_id, ZoneInfo("UTC"))
        said = _instant(today - timedelta(days=30), 18)  # the same day, the same studio
        Wish.update(created_at=said).where(Wish.id == wish.id).execute()
        FollowUp.update(created_at=said).where(FollowUp.id == wish.follow_up_id).execute()


def _add_follow_ups(client_id: int, spec: SampleClient, today: date) -> None:
    for title, days, hour in spec.follow_ups:
        due_on = today + timedelta(days=days)
        follow_up = save_follow_up(FollowUpForm(title, _instant(due_on, hour)), client_id)
        created = _instant(due_on - timedelta(days=14), 18)
        FollowUp.update(created_at=created).where(FollowUp.id == follow_up.id).execute()


def _ascii(text: str) -> str:
    """As an email address spells a name: "Søren" -> "soren"."""
    return "".join(c for c in fold(text) if c.isascii() and (c.isalnum() or c == "-"))


def _email(spec: SampleClient, rng: random.Random) -> str:
    if spec.organization:
        name = _ascii(spec.organization.replace(" ", "-").replace("&", "and"))
        return f"{_ascii(spec.first)}@{name.replace('--', '-')}.{TOP_LEVEL_DOMAINS[spec.country]}"
    return f"{_ascii(spec.first)}.{_ascii(spec.last)}@{rng.choice(EMAIL_DOMAINS)}"


def _address(spec: SampleClient, rng: random.Random) -> str:
    if spec.lives_now != "München":
        return ""
    return f"{rng.choice(STREETS)} {rng.randrange(1, 120)}, 80{rng.randrange(331, 999)} München"


def _instant(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def _yearly(today: date, when: Yearly | date) -> tuple[int, int, int | None]:
    """(day, month, year) of a date given as (days from today, years ago) or as a date."""
    if isinstance(when, date):
        return when.day, when.month, when.year
    offset, years_ago = when
    upcoming = today + timedelta(days=offset)
    if years_ago is None:
        return upcoming.day, upcoming.month, None
    year = upcoming.year - years_ago
    if (upcoming.month, upcoming.day) == (2, 29) and not calendar.isleap(year):
        return 28, 2, year
    return upcoming.day, upcoming.month, year


def _wedding_day(spec: SampleClient, today: date) -> date | None:
    if spec.wedding is None:
        return None
    day, month, year = _yearly(today, spec.wedding)
    return date(year, month, day)


def _add_dates(client_id: int, spec: SampleClient, today: date, first_contact: date) -> None:
    dates = []
    if spec.birthday:
        dates.append(("birthday", "", _yearly(today, spec.birthday)))
    if spec.wedding:
        dates.append(("wedding_anniversary", "", _yearly(today, spec.wedding)))
    if spec.stage == "client":
        dates.append(("client_since", "", _yearly(first_contact, (0, 0))))
    if spec.custom_date:
        label, when = spec.custom_date
        dates.append(("custom", label, _yearly(today, when)))
    for kind, label, (day, month, year) in dates:
        form = ImportantDateForm(
            kind=kind,
            day=day,
            month=month,
            year="" if year is None else str(year),
            label=label,
            lead_days=DEFAULT_LEAD_DAYS[kind],
        )
        save_important_date(form, client_id)


def _add_family(client_id: int, spec: SampleClient, today: date) -> None:
    for relative in spec.family:
        form = FamilyMemberForm(
            name=relative.name, relation=relative.relation, notes=relative.notes
        )
        if relative.birthday:
            day, month, year = _yearly(today, relative.birthday)
            form.has_birthday = True
            form.birthday_day, form.birthday_month = day, month
            form.birthday_year = "" if year is None else str(year)
        save_family_member(form, client_id)


def _spread(rng: random.Random, start: date, end: date, count: int) -> list[date]:
    """`count` dates from start to end in order, the first on start, the last on end."""
    if count == 1:
        return [end]
    span = (end - start).days
    if span - 1 >= count - 2:
        inner = sorted(rng.sample(range(1, span), count - 2))
    else:
        inner = [span // 2] * (count - 2)
    return [start, *(start + timedelta(days=d) for d in inner), end]


def _story(spec: SampleClient, rng: random.Random, first: date, last: date, wedding: date | None):
    """The main steps of the client's story, each with its date."""
    if spec.stage == "lead":
        count = min(len(LEAD_STEPS), 1 + (last - first).days // LEAD_STEP_GAP_DAYS)
        return list(zip(LEAD_STEPS[:count], _spread(rng, first, last, count), strict=True))
    steps = STORIES[spec.story]
    if spec.story != "wedding" or wedding is None or not first < wedding <= last:
        count = min(len(steps), 1 + (last - first).days // STEP_GAP_DAYS)
        return list(zip(steps[:count], _spread(rng, first, last, count), strict=True))
    split = steps.index(WEDDING_DAY)
    before = steps[:split]
    planned = _spread(rng, first, wedding - timedelta(days=30), len(before))
    dated = [*zip(before, planned, strict=True), (WEDDING_DAY, wedding)]
    if last > wedding:
        # Delivery and album follow within the first year; the latest step is the last contact.
        after = steps[split + 1 : split + 2 + (last - wedding).days // STEP_GAP_DAYS]
        start = min(wedding + timedelta(days=21), last)
        end = min(wedding + timedelta(days=365), last)
        planned = _spread(rng, start, end, len(after) - 1) if len(after) > 1 else []
        dated += [*zip(after[:-1], planned, strict=True), (after[-1], last)]
    return dated


def _small_contacts(
    spec: SampleClient, rng: random.Random, first: date, last: date, wedding: date | None
):
    """Calls, messages, Christmas and anniversary cards between the bigger steps."""
    span = (last - first).days
    dated = [
        (rng.choice(FILLERS), first + timedelta(days=rng.randrange(span // 4, span)))
        for _ in range(span // FILLER_EVERY_DAYS)
    ]
    for year in range(first.year, last.year + 1):
        christmas = date(year, 12, 18)
        if first < christmas < last and spec.stage != "lead":
            dated.append((Step("card", "Sent a Christmas card"), christmas))
    if wedding:
        for years in range(1, last.year - wedding.year + 1):
            card_day = wedding.replace(year=wedding.year + years, day=min(wedding.day, 28))
            if first < card_day - timedelta(days=3) < last:
                summary = f"Sent a card for their {ordinal(years)} wedding anniversary"
                dated.append((Step("card", summary), card_day - timedelta(days=3)))
    return dated


def _in_season(step: Step, day: date, first: date, last: date) -> date:
    """Move seasonal work into its month, the nearest one within the relationship."""
    if step.month is None:
        return day
    for year in (day.year, day.year - 1, day.year + 1):
        moved = date(year, step.month, 10)
        if first < moved < last:
            return moved
    return day


def _add_history(client_id: int, spec: SampleClient, rng: random.Random, today: date) -> None:
    first = today - timedelta(days=spec.first_contact_days)
    last = today - timedelta(days=spec.last_contact_days)
    wedding = _wedding_day(spec, today)
    dated = _story(spec, rng, first, last, wedding) + _small_contacts(
        spec, rng, first, last, wedding
    )
    for step, day in dated:
        day = _in_season(step, day, first, last)
        amount = ""
        if step.price:
            amount = str(rng.randrange(step.price[0], step.price[1] + 1, 10))
            if step.kind == "purchase" and rng.random() < 0.4:
                amount = f"{int(amount) - 1}.90"
        place = rng.choice(PLACES)
        form = InteractionForm(
            kind=step.kind,
            occurred_at=_instant(day, rng.choice((8, 9, 10, 13, 14, 15))),
            summary=step.summary.format(place=place),
            body=step.body.format(place=place),
            amount=amount,
            currency=spec.currency if amount else "",
        )
        save_interaction(form, client_id)


def _add_notes(client_id: int, spec: SampleClient, rng: random.Random, today: date) -> None:
    """Notes dated across the relationship, older first; the first one pinned."""
    first = today - timedelta(days=spec.first_contact_days)
    last = today - timedelta(days=spec.last_contact_days)
    dates = _spread(rng, first, last, len(spec.notes)) if spec.notes else []
    for position, (text, day) in enumerate(zip(spec.notes, dates, strict=True)):
        note = save_note(
            NoteForm(text=text, pinned=position == 0 and len(spec.notes) > 1), client_id
        )
        written = _instant(day, 18)
        Note.update(created_at=written, updated_at=written).where(Note.id == note.id).execute()
