"""The fixed vocabularies of Rapport, each value with the word a user sees (marked for
translation: the window shows each through ui/formatting.vocabulary)."""

from models.values.words import QT_TRANSLATE_NOOP

STAGES = {
    "lead": QT_TRANSLATE_NOOP("Vocabulary", "Lead"),
    "customer": QT_TRANSLATE_NOOP("Vocabulary", "Customer"),
    "client": QT_TRANSLATE_NOOP("Vocabulary", "Client"),
    "past": QT_TRANSLATE_NOOP("Vocabulary", "Past"),
}

INTERACTION_KINDS = {
    "session": QT_TRANSLATE_NOOP("Vocabulary", "Session"),
    "wedding": QT_TRANSLATE_NOOP("Vocabulary", "Wedding session"),
    "purchase": QT_TRANSLATE_NOOP("Vocabulary", "Purchase"),
    "call": QT_TRANSLATE_NOOP("Vocabulary", "Call"),
    "email": QT_TRANSLATE_NOOP("Vocabulary", "Email"),
    "meeting": QT_TRANSLATE_NOOP("Vocabulary", "Meeting"),
    "message": QT_TRANSLATE_NOOP("Vocabulary", "Message"),
    "gift": QT_TRANSLATE_NOOP("Vocabulary", "Gift sent"),
    "card": QT_TRANSLATE_NOOP("Vocabulary", "Card sent"),
}

# A wedding is a session too; logging one offers the couple's yearly anniversary.
SESSION_KINDS = ("session", "wedding")
# Kinds that usually carry an amount; the dialog offers the amount field first for them.
PAID_INTERACTION_KINDS = (*SESSION_KINDS, "purchase")

RELATIONS = {
    "partner": QT_TRANSLATE_NOOP("Vocabulary", "Partner"),
    "child": QT_TRANSLATE_NOOP("Vocabulary", "Child"),
    "parent": QT_TRANSLATE_NOOP("Vocabulary", "Parent"),
    "sibling": QT_TRANSLATE_NOOP("Vocabulary", "Sibling"),
    "pet": QT_TRANSLATE_NOOP("Vocabulary", "Pet"),
    "friend": QT_TRANSLATE_NOOP("Vocabulary", "Friend"),
    "other": QT_TRANSLATE_NOOP("Vocabulary", "Other"),
}

IMPORTANT_DATE_KINDS = {
    "birthday": QT_TRANSLATE_NOOP("Vocabulary", "Birthday"),
    "wedding_anniversary": QT_TRANSLATE_NOOP("Vocabulary", "Wedding anniversary"),
    "client_since": QT_TRANSLATE_NOOP("Vocabulary", "Client since"),
    "custom": QT_TRANSLATE_NOOP("Vocabulary", "Other date"),
}

# What Today calls a reminder of each kind; a date's is the kind of date when known.
REMINDER_KINDS = {
    "check_in": QT_TRANSLATE_NOOP("Vocabulary", "Check-in"),
    "follow_up": QT_TRANSLATE_NOOP("Vocabulary", "Follow-up"),
    "booking": QT_TRANSLATE_NOOP("Vocabulary", "Booked session"),
    "date": QT_TRANSLATE_NOOP("Vocabulary", "Reminder"),
    "referral": QT_TRANSLATE_NOOP("Vocabulary", "Referral"),
    "care_step": QT_TRANSLATE_NOOP("Vocabulary", "Care step"),  # a follow-up of a session's
    "gallery": QT_TRANSLATE_NOOP("Vocabulary", "Gallery"),
}


def reminder_kind(kind: str, occasion: str) -> str:
    """The word for a reminder on Today and in `rapport today`: "Birthday", "Check-in"."""
    if occasion in IMPORTANT_DATE_KINDS:
        return IMPORTANT_DATE_KINDS[occasion]
    if occasion in REMINDER_KINDS:
        return REMINDER_KINDS[occasion]
    return REMINDER_KINDS.get(kind, REMINDER_KINDS["date"])


# What a gift is for; a gift on the client's history says it.
GIFT_OCCASIONS = {
    "": QT_TRANSLATE_NOOP("Vocabulary", "Just because"),
    "birthday": QT_TRANSLATE_NOOP("Vocabulary", "Birthday"),
    "wedding_anniversary": QT_TRANSLATE_NOOP("Vocabulary", "Wedding anniversary"),
    "thank_you": QT_TRANSLATE_NOOP("Vocabulary", "Thank you"),
    "referral": QT_TRANSLATE_NOOP("Vocabulary", "Thanks for a referral"),
    "holidays": QT_TRANSLATE_NOOP("Vocabulary", "Holidays"),
    "new_baby": QT_TRANSLATE_NOOP("Vocabulary", "New baby"),
}

# Days of notice before each kind of date, until the user sets their own per date.
DEFAULT_LEAD_DAYS = {
    "birthday": 0,
    "wedding_anniversary": 7,
    "client_since": 3,
    "custom": 3,
}
