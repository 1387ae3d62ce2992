"""What a studio does with each kind of client, as the steps of a sample history.

A story is the ordered work a client books; fillers are the small contacts in
between (calls, cards, sneak peeks). `{place}` is filled in with a Munich location.
"""

from __future__ import annotations

from typing import NamedTuple


class Step(NamedTuple):
    kind: str
    summary: str
    price: tuple[int, int] | None = None  # range of the amount, in the client's currency
    body: str = ""
    month: int | None = None  # seasonal work happens in this month


WEDDING_DAY = Step(
    "wedding",
    "Wedding day coverage, 10 hours",
    (2400, 3400),
    "Getting ready at home, ceremony at {place}, portraits at golden hour. "
    "The rain stopped just in time for the couple shots.",
)

STORIES = {
    "wedding": (
        Step("email", "Enquiry about wedding dates and packages"),
        Step("meeting", "Met at the studio to look at albums and plan the day"),
        Step("session", "Engagement shoot at {place}", (350, 450)),
        WEDDING_DAY,
        Step("email", "Sent the online gallery, 640 images"),
        Step("purchase", "Wedding album, 30 spreads, linen cover", (650, 950)),
        Step("purchase", "Canvas print for the living room", (120, 260)),
        Step("session", "Anniversary mini session at {place}", (180, 250)),
    ),
    "family": (
        Step("call", "Called about a family session"),
        Step(
            "session",
            "Family session at {place}",
            (280, 380),
            "Kids ran around for the first half hour; the best pictures came at the end.",
        ),
        Step("purchase", "Prints and a 20-page photo book", (90, 260)),
        Step("session", "Christmas mini session at the studio", (120, 160), month=12),
        Step("purchase", "Christmas cards, 60 printed", (70, 110), month=12),
        Step("session", "Family session at {place}", (280, 380)),
        Step("purchase", "Framed prints for the grandparents", (140, 220)),
    ),
    "newborn": (
        Step("call", "Called to book a newborn session"),
        Step("session", "Maternity shoot at {place}", (250, 350)),
        Step(
            "session",
            "Newborn session at their home",
            (380, 480),
            "Three hours, lots of feeding breaks. "
            "The parents' hands with the baby were the favourites.",
        ),
        Step("purchase", "Birth announcement cards", (60, 120)),
        Step("purchase", "Newborn album, 20 pages", (220, 320)),
        Step("session", "First-birthday cake smash at the studio", (200, 260)),
    ),
    "business": (
        Step("meeting", "Meeting about team headshots and website images"),
        Step("session", "Headshots for the team at their office", (600, 1500)),
        Step("purchase", "Usage licence for print and web", (300, 500)),
        Step(
            "session",
            "Product and interior shoot, 40 images",
            (900, 1800),
            "Shot before opening hours; the morning light through the front windows worked.",
        ),
        Step("meeting", "Planning meeting for next year's campaign"),
        Step("session", "Headshots for new staff", (250, 600)),
    ),
    "portrait": (
        Step("message", "Enquiry via Instagram message"),
        Step("session", "Portrait session at the studio", (250, 400)),
        Step("purchase", "Ten retouched portraits", (150, 250)),
        Step("session", "Outdoor portraits at {place}", (250, 380)),
    ),
}

LEAD_STEPS = (
    Step("email", "Enquiry through the website"),
    Step("call", "Call to talk through dates and packages"),
    Step("meeting", "Met at the studio to look at sample albums"),
)

FILLERS = (
    Step("call", "Catch-up call"),
    Step("message", "Sent a sneak peek"),
    Step("email", "Asked how they like the prints"),
    Step("gift", "Sent a small thank-you gift"),
    Step("message", "Congratulated them on their news"),
    Step("email", "Shared the studio's spring mini-session dates", month=2),
)

PLACES = (
    "the Englischer Garten",
    "Schloss Nymphenburg",
    "Lake Starnberg",
    "the Isar river banks",
    "the Viktualienmarkt",
    "the Olympiapark",
    "St. Anna im Lehel",
    "the Westpark",
)

STREETS = (
    "Lindwurmstraße",
    "Türkenstraße",
    "Gabelsbergerstraße",
    "Rosenheimer Straße",
    "Leopoldstraße",
    "Schleißheimer Straße",
    "Sendlinger Straße",
    "Belgradstraße",
)

EMAIL_DOMAINS = ("posteo.de", "gmail.com", "mailbox.org", "web.de", "outlook.com")

PHONE_PREFIXES = {"DE": "+49 151", "GB": "+44 7700", "US": "+1 303", "CH": "+41 79"}

TOP_LEVEL_DOMAINS = {"DE": "de", "GB": "co.uk", "US": "com", "CH": "ch"}
