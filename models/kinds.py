"""The fixed vocabularies of Rapport, each value with the word a user sees."""

STAGES = {
    "lead": "Lead",
    "customer": "Customer",
    "client": "Client",
    "past": "Past",
}

INTERACTION_KINDS = {
    "session": "Session",
    "wedding": "Wedding session",
    "purchase": "Purchase",
    "call": "Call",
    "email": "Email",
    "meeting": "Meeting",
    "message": "Message",
    "gift": "Gift sent",
    "card": "Card sent",
}

# A wedding is a session too; logging one offers the couple's yearly anniversary.
SESSION_KINDS = ("session", "wedding")
# Kinds that usually carry an amount; the dialog offers the amount field first for them.
PAID_INTERACTION_KINDS = (*SESSION_KINDS, "purchase")

RELATIONS = {
    "partner": "Partner",
    "child": "Child",
    "parent": "Parent",
    "sibling": "Sibling",
    "pet": "Pet",
    "friend": "Friend",
    "other": "Other",
}

IMPORTANT_DATE_KINDS = {
    "birthday": "Birthday",
    "wedding_anniversary": "Wedding anniversary",
    "client_since": "Client since",
    "custom": "Other date",
}

# Days of notice before each kind of date, until the user sets their own per date.
DEFAULT_LEAD_DAYS = {
    "birthday": 0,
    "wedding_anniversary": 7,
    "client_since": 3,
    "custom": 3,
}

CONTACT_KINDS = ("email", "phone")
