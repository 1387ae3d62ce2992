"""What Rapport keeps about a client: history, notes, family, dates and follow-ups."""

from __future__ import annotations

from datetime import date, datetime

from peewee import Model

from models.care.steps import CareTiming, after_closed, drop_pending_steps, start_care_plan
from models.forms.dialog_forms import (
    FamilyMemberForm,
    FieldError,
    FollowUpForm,
    ImportantDateForm,
    InteractionForm,
    NoteForm,
    ValidationError,
    parse_lead_days,
    parse_optional_int,
)
from models.reminders.key import prefix_of
from models.store.database import db, read_models
from models.store.entities import (
    NEWEST_FIRST,
    Booking,
    FamilyMember,
    FollowUp,
    ImportantDate,
    Interaction,
    Note,
    ReminderState,
    utc_now,
)
from models.values.amounts import PLAIN, Separators, parse_amount, typed_amount
from models.values.kinds import DEFAULT_LEAD_DAYS


def _require_valid(form) -> None:
    errors = form.errors()
    if errors:
        raise ValidationError(errors)


def history(client_id: int) -> list[Interaction]:
    """The client's interactions, NEWEST_FIRST."""
    return read_models(
        Interaction.select().where(Interaction.client == client_id).order_by(*NEWEST_FIRST)
    )


def notes(client_id: int) -> list[Note]:
    """Pinned notes first, then the newest first."""
    return list(
        Note.select()
        .where(Note.client == client_id)
        .order_by(Note.pinned.desc(), Note.created_at.desc(), Note.id.desc())
    )


def pinned_notes(client_ids: list[int]) -> dict[int, str]:
    """What must stay in sight about each of these clients ("allergic to lilies"): their
    pinned notes, newest first, as one line; clients without one are left out."""
    pinned: dict[int, list[str]] = {}
    query = (
        Note.select(Note.client, Note.text)
        .where(Note.client.in_(client_ids), Note.pinned)
        .order_by(Note.created_at.desc(), Note.id.desc())
    )
    for client_id, text in query.tuples():
        pinned.setdefault(client_id, []).append(" ".join(text.split()))
    return {client_id: " · ".join(texts) for client_id, texts in pinned.items()}


def family(client_id: int) -> list[FamilyMember]:
    return list(
        FamilyMember.select().where(FamilyMember.client == client_id).order_by(FamilyMember.id)
    )


def important_dates(client_id: int) -> list[ImportantDate]:
    """The client's yearly dates in calendar order, family members' birthdays included."""
    return list(
        ImportantDate.select()
        .where(ImportantDate.client == client_id)
        .order_by(ImportantDate.month, ImportantDate.day, ImportantDate.id)
    )


def save_interaction(form: InteractionForm, client_id: int, interaction_id: int | None = None):
    _require_valid(form)
    with db.atomic():
        row = Interaction(client=client_id)
        if interaction_id:
            row = Interaction.get_by_id(interaction_id)
        for name, value in _interaction_values(form).items():
            setattr(row, name, value)
        row.save()
    return row


def _interaction_values(form: InteractionForm) -> dict[str, object]:
    """What an interaction keeps of its (valid) form."""
    amount = parse_amount(form.amount, form.separators)
    return {
        "kind": form.kind,
        "occurred_at": form.occurred_at,
        "summary": form.summary.strip(),
        "body": form.body.strip(),
        "amount": amount,
        "currency": form.currency.strip().upper() if amount is not None else None,
        "gallery_url": form.gallery_url.strip(),
        "gallery_expires_on": form.gallery_expires_on if form.gallery_url.strip() else None,
    }


def add_interactions(entries: list[tuple[int, InteractionForm]]) -> list[int]:
    """New interactions of (client id, form), by save_interaction's rules, all or none;
    their ids in order. For hundreds at once (mail capture): one statement prepared once,
    where peewee would build each insert anew at more cost than the write itself."""
    for _client_id, form in entries:
        _require_valid(form)
    fields = Interaction._meta.fields
    names = list(_interaction_values(InteractionForm(summary="-", occurred_at=None)))
    columns = ", ".join(["client_id", *(fields[name].column_name for name in names)])
    insert = f"INSERT INTO interaction ({columns}) VALUES ({', '.join('?' * (len(names) + 1))})"
    ids = []
    with db.atomic():
        cursor = db.cursor()
        for client_id, form in entries:
            values = _interaction_values(form)
            cursor.execute(insert, [client_id, *(fields[n].db_value(values[n]) for n in names)])
            ids.append(cursor.lastrowid)
    return ids


def log_interaction(
    form: InteractionForm,
    client_id: int,
    follow_up: FollowUpForm | None = None,
    care: CareTiming | None = None,
) -> Interaction:
    """Log a new interaction and the follow-up it promises: both are saved, or neither.
    A session starts its care plan (timed by `care`), in the same transaction.

    The follow-up's errors are named `follow_up_<field>`, beside the interaction's.
    """
    errors = form.errors()
    if follow_up is not None:
        errors += [FieldError(f"follow_up_{e.field}", e.message) for e in follow_up.errors()]
    if errors:
        raise ValidationError(errors)
    with db.atomic():
        interaction = save_interaction(form, client_id)
        if follow_up is not None:
            save_follow_up(follow_up, client_id)
        if care is not None:
            start_care_plan(interaction, care)
    return interaction


def interaction_form(row: Interaction, separators: Separators = PLAIN) -> InteractionForm:
    """The form to edit `row`, its amount written with the user's `separators`."""
    return InteractionForm(
        kind=row.kind,
        occurred_at=row.occurred_at,
        summary=row.summary,
        body=row.body,
        amount="" if row.amount is None else typed_amount(row.amount, separators),
        currency=row.currency or "",
        separators=separators,
        gallery_url=row.gallery_url,
        gallery_expires_on=row.gallery_expires_on,
    )


def save_note(form: NoteForm, client_id: int, note_id: int | None = None) -> Note:
    _require_valid(form)
    with db.atomic():
        note = Note.get_by_id(note_id) if note_id else Note(client=client_id)
        note.text = form.text.strip()
        note.pinned = form.pinned
        note.updated_at = utc_now()
        note.save()
    return note


def set_note_pinned(note_id: int, pinned: bool) -> None:
    Note.update(pinned=pinned).where(Note.id == note_id).execute()


def save_family_member(
    form: FamilyMemberForm, client_id: int, member_id: int | None = None
) -> FamilyMember:
    """Save a family member and keep their birthday as one important date of the client."""
    _require_valid(form)
    with db.atomic():
        member = FamilyMember.get_by_id(member_id) if member_id else FamilyMember(client=client_id)
        member.name = form.name.strip()
        member.relation = form.relation
        member.notes = form.notes.strip()
        member.save()
        birthday = _birthday_of(member)
        if form.has_birthday:
            birthday = birthday or ImportantDate(
                client=client_id, family_member=member, kind="birthday", lead_days=0
            )
            birthday.day = form.birthday_day
            birthday.month = form.birthday_month
            birthday.year = parse_optional_int(form.birthday_year)
            birthday.save()
        elif birthday:
            birthday.delete_instance()
    return member


def _birthday_of(member: FamilyMember) -> ImportantDate | None:
    return ImportantDate.get_or_none(
        (ImportantDate.family_member == member) & (ImportantDate.kind == "birthday")
    )


def family_member_form(member: FamilyMember) -> FamilyMemberForm:
    form = FamilyMemberForm(name=member.name, relation=member.relation, notes=member.notes)
    birthday = _birthday_of(member)
    if birthday:
        form.has_birthday = True
        form.birthday_day, form.birthday_month = birthday.day, birthday.month
        form.birthday_year = "" if birthday.year is None else str(birthday.year)
    return form


def save_important_date(
    form: ImportantDateForm, client_id: int, date_id: int | None = None
) -> ImportantDate:
    _require_valid(form)
    with db.atomic():
        row = ImportantDate.get_by_id(date_id) if date_id else ImportantDate(client=client_id)
        row.kind = form.kind
        row.day, row.month = form.day, form.month
        row.year = parse_optional_int(form.year)
        row.label = form.label.strip()
        row.lead_days = form.lead_days
        further = [days for days in parse_lead_days(form.more_lead_days) if days != row.lead_days]
        row.more_lead_days = ",".join(map(str, further))
        row.family_member = form.family_member_id
        row.save()
    return row


def add_yearly_date(client_id: int, kind: str, day: date) -> ImportantDate:
    """The client's yearly date from a day it happened, with that kind's usual notice."""
    return ImportantDate.create(
        client=client_id,
        kind=kind,
        day=day.day,
        month=day.month,
        year=day.year,
        lead_days=DEFAULT_LEAD_DAYS[kind],
    )


def important_date_form(row: ImportantDate) -> ImportantDateForm:
    return ImportantDateForm(
        kind=row.kind,
        day=row.day,
        month=row.month,
        year="" if row.year is None else str(row.year),
        label=row.label,
        lead_days=row.lead_days,
        family_member_id=row.family_member_id,
        more_lead_days=row.more_lead_days.replace(",", ", "),
    )


def follow_ups(client_id: int) -> list[FollowUp]:
    """The client's follow-ups: open ones first by due time, then the done ones."""
    return list(
        FollowUp.select()
        .where(FollowUp.client == client_id)
        .order_by(FollowUp.done_at.is_null(False), FollowUp.due_at, FollowUp.id)
    )


def save_follow_up(form: FollowUpForm, client_id: int, follow_up_id: int | None = None):
    _require_valid(form)
    with db.atomic():
        row = FollowUp.get_by_id(follow_up_id) if follow_up_id else FollowUp(client=client_id)
        row.title = form.title.strip()
        row.due_at = form.due_at
        row.save()
    return row


def set_follow_up_done(
    follow_up_id: int, done_at: datetime | None, care: CareTiming | None = None
) -> None:
    """Close a follow-up, or reopen it (None): its reminder is then notified again.
    A yearly care step closed comes again next year (timed by `care`)."""
    with db.atomic():
        FollowUp.update(done_at=done_at, skipped=False).where(FollowUp.id == follow_up_id).execute()
        if done_at is None:
            ReminderState.delete().where(
                ReminderState.key.startswith(prefix_of("follow_up", follow_up_id))
            ).execute()
        elif care is not None:
            after_closed(follow_up_id, care)


def follow_up_form(row: FollowUp) -> FollowUpForm:
    return FollowUpForm(title=row.title, due_at=row.due_at)


def delete_entry(model: type[Model], entry_id: int) -> None:
    """Delete one interaction, note, family member, date, follow-up or wish, and what
    depends on it: its reminders' states too, since SQLite gives a freed id out again
    and a new date must not inherit "already notified" from a deleted one."""
    with db.atomic():
        for prefix in _reminder_prefixes(model, entry_id):
            ReminderState.delete().where(ReminderState.key.startswith(prefix)).execute()
        if model is Interaction:  # a session's care steps still to do go with it
            drop_pending_steps(entry_id)
        model.delete_by_id(entry_id)


def _reminder_prefixes(model: type[Model], entry_id: int) -> list[str]:
    if model is FollowUp:
        return [prefix_of("follow_up", entry_id)]
    if model is Booking:
        return [prefix_of("booking", entry_id)]
    if model is ImportantDate:
        return [prefix_of("date", entry_id)]
    if model is Interaction:  # its gallery's reminder
        return [prefix_of("gallery", entry_id)]
    if model is FamilyMember:  # their birthday goes with them
        dates = ImportantDate.select(ImportantDate.id).where(
            ImportantDate.family_member == entry_id
        )
        return [prefix_of("date", row.id) for row in dates]
    return []
