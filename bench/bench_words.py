"""The words of the synthetic bench database: clients' names from many cultures and the way a
Munich portrait and wedding photographer writes about them.

Names carry the characters that make folding, sorting and search hard: accents (Zoë,
Ólafsdóttir), letters that do not decompose (ø, ł, ı, ß), apostrophes (O'Brien),
particles (van der Berg), two surnames (García López) and the Cyrillic script.
"""

# Cyrillic letters and the Turkish dotless ı look like Latin ones: they are meant here.
# ruff: noqa: RUF001, RUF002, RUF003

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from itertools import accumulate
from typing import NamedTuple

from models.values.partial_dates import MONTH_NAMES, ordinal


class Culture(NamedTuple):
    firsts: tuple[str, ...]
    lasts: tuple[str, ...]
    cities: tuple[str, ...]
    phone: str  # the mobile prefix; the number follows
    currency: str
    two_surnames: float = 0.0  # share of people with two surnames, as in Spain


GERMAN_FIRSTS = (
    "Anna", "Jürgen", "Lena", "Maximilian", "Sophie", "Lukas", "Hannah", "Felix", "Marie",
    "Jonas", "Katharina", "Tobias", "Lea", "Florian", "Johanna", "Sebastian", "Greta",
    "Matthias", "Ute", "Björn", "Jörg", "Käthe", "Ida", "Moritz", "Franziska", "Konstantin",
)  # fmt: skip
GERMAN_LASTS = (
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
    "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder",
    "Neumann", "Zimmermann", "Krüger", "Hartmann", "Weiß", "Groß", "Strauß", "Böhm", "Kühn",
    "Jäger", "Vogt", "Huber", "Brandstätter", "Obermaier", "Liebl",
)  # fmt: skip

CULTURES: tuple[tuple[Culture, int], ...] = (
    (
        Culture(
            GERMAN_FIRSTS,
            GERMAN_LASTS,
            ("München", "Augsburg", "Rosenheim", "Starnberg", "Freising", "Regensburg",
             "Nürnberg", "Garmisch-Partenkirchen", "Landshut"),
            "+49 151", "EUR",
        ),
        40,
    ),
    (
        Culture(GERMAN_FIRSTS, GERMAN_LASTS, ("Wien", "Salzburg", "Innsbruck", "Graz"),
                "+43 664", "EUR"),
        6,
    ),
    (
        Culture(
            ("Beat", "Urs", "Reto", "Nicole", "Corinne", "Luca", "Chiara", "Mathias",
             "Andrea", "Séverine", "Noémie", "Res"),
            ("Keller", "Meier", "Brunner", "Gerber", "Baumann", "Frei", "Zürcher", "Steiner",
             "Moser", "Favre", "Rochat", "Bärtschi"),
            ("Zürich", "Bern", "Basel", "Luzern", "St. Gallen", "Lausanne"),
            "+41 79", "CHF",
        ),
        6,
    ),
    (
        Culture(
            ("Zoë", "Étienne", "Chloé", "Léa", "Hélène", "Benoît", "François", "Amélie",
             "Mathéo", "Inès", "Cécile", "Jérôme", "Anaïs"),
            ("Martin", "Bernard", "Dubois", "Lefèvre", "Moreau", "Laurent", "Girard",
             "Rousseau", "Fontaine", "Chevalier", "Lemaître", "Martin-Dubois"),
            ("Lyon", "Paris", "Strasbourg", "Marseille", "Annecy"),
            "+33 6", "EUR",
        ),
        6,
    ),
    (
        Culture(
            ("José", "María", "Lucía", "Javier", "Sofía", "Andrés", "Álvaro", "Inés", "Begoña",
             "Íñigo", "Carmen", "Nuria", "Ramón"),
            ("García", "López", "Martínez", "Rodríguez", "Fernández", "Sánchez", "Pérez",
             "Gómez", "Jiménez", "Muñoz", "Ibáñez", "Núñez", "Domínguez"),
            ("Madrid", "Barcelona", "Sevilla", "Valencia", "Bilbao"),
            "+34 6", "EUR", two_surnames=0.7,
        ),
        6,
    ),
    (
        Culture(
            ("João", "Conceição", "Gonçalo", "Inês", "Luís", "Mariana", "Tomás"),
            ("Silva", "Gonçalves", "Araújo", "Simões", "Magalhães", "Conceição", "Brandão"),
            ("Lisboa", "Porto", "Coimbra", "São Paulo"),
            "+351 91", "EUR", two_surnames=0.4,
        ),
        3,
    ),
    (
        Culture(
            ("Giulia", "Francesca", "Niccolò", "Lorenzo", "Chiara", "Matteo", "Federica",
             "Gianluca"),
            ("Rossi", "Bianchi", "Esposito", "Ricci", "Colombo", "De Luca", "D'Angelo",
             "Romano", "Mancini"),
            ("Milano", "Bolzano", "Verona", "Roma", "Trento"),
            "+39 347", "EUR",
        ),
        5,
    ),
    (
        Culture(
            ("Søren", "Åsa", "Björk", "Ólafur", "Sigríður", "Guðrún", "Jón", "Freyja", "Ingrid",
             "Lars", "Linnéa", "Mikkel", "Þóra"),
            ("Ólafsdóttir", "Jónsson", "Sigurðardóttir", "Guðmundsson", "Lindqvist", "Åberg",
             "Nørgaard", "Sørensen", "Halvorsen", "Ekström", "Þórsdóttir"),
            ("Reykjavík", "København", "Stockholm", "Oslo", "Göteborg", "Aarhus"),
            "+45 20", "EUR",
        ),
        4,
    ),
    (
        Culture(
            ("Zofia", "Łukasz", "Małgorzata", "Wojciech", "Agnieszka", "Jiří", "Tereza",
             "Kateřina", "Paweł"),
            ("Kowalski", "Wiśniewska", "Nowak", "Wójcik", "Dvořák", "Novotná", "Kamińska",
             "Zieliński", "Šťastný", "Łukaszewicz"),
            ("Kraków", "Warszawa", "Wrocław", "Praha", "Brno"),
            "+48 601", "EUR",
        ),
        4,
    ),
    (
        Culture(
            ("Ayşe", "Mehmet", "Elif", "Can", "Zeynep", "Emre", "Gülşen", "Barış", "Şule",
             "Özge", "İlkay"),
            ("Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Öztürk", "Aydın", "Arslan", "Doğan"),
            ("İstanbul", "İzmir", "Ankara", "München", "Nürnberg"),
            "+49 176", "EUR",
        ),
        4,
    ),
    (
        Culture(
            ("Thảo", "Minh", "Linh", "Đức", "Hương", "Quang", "Ngọc"),
            ("Nguyễn", "Trần", "Phạm", "Lê", "Hoàng", "Vũ", "Đặng"),
            ("Hà Nội", "Hồ Chí Minh", "Berlin", "München"),
            "+49 160", "EUR",
        ),
        2,
    ),
    (
        Culture(
            ("Олена", "Андрій", "Оксана", "Дмитро", "Ірина", "Тарас", "Наталія"),
            ("Шевченко", "Коваленко", "Бондаренко", "Ткаченко", "Мельник", "Кравчук"),
            ("Київ", "Львів", "Одеса", "München"),
            "+380 67", "EUR",
        ),
        2,
    ),
    (
        Culture(
            ("Eleni", "Giorgos", "Dimitra", "Nikos", "Katerina", "Yasmin", "Omar", "Layla",
             "Karim", "Priya", "Arjun", "Ananya", "Rohan"),
            ("Papadopoulos", "Georgiou", "Nikolaidou", "Haddad", "Al-Sayed", "El-Amin",
             "Nasser", "Sharma", "Iyer", "Patel", "Reddy"),
            ("Thessaloniki", "Athína", "Beirut", "Bengaluru", "München", "Frankfurt"),
            "+49 170", "EUR",
        ),
        4,
    ),
    (
        Culture(
            ("Daan", "Sanne", "Joost", "Femke", "Maarten", "Anouk", "Sjoerd"),
            ("van der Berg", "de Vries", "van Dijk", "Bakker", "Visser", "de Jong",
             "van 't Hof"),
            ("Amsterdam", "Utrecht", "Rotterdam", "Den Haag"),
            "+31 6", "EUR",
        ),
        3,
    ),
    (
        Culture(
            ("Emily", "Jake", "Olivia", "Liam", "Siobhán", "Seán", "Madison", "Tyler",
             "Aoife", "Chloe"),
            ("Carter", "Thompson", "O'Brien", "McAllister", "Walker", "Brooks", "O'Connor",
             "Fitzgerald", "Nguyen", "Smith-Jones"),
            ("Denver, Colorado", "New York", "Boston", "Chicago", "Seattle"),
            "+1 303", "USD",
        ),
        5,
    ),
)  # fmt: skip
_CULTURE_WEIGHTS = tuple(accumulate(weight for _, weight in CULTURES))

# What people go by, when it is not their first name.
NICKNAMES = {
    "Maximilian": "Max",
    "Katharina": "Kathi",
    "Johanna": "Hanna",
    "Sebastian": "Basti",
    "Franziska": "Franzi",
    "Konstantin": "Konni",
    "Zoë": "Zo",
    "Guðrún": "Gunna",
    "Małgorzata": "Gosia",
    "Wojciech": "Wojtek",
    "Siobhán": "Shiv",
    "Gianluca": "Gianni",
    "Dimitra": "Mitsa",
    "Олена": "Лена",
}

HOW_WE_MET = (
    "Found us on Instagram",
    "Wedding fair at the MOC",
    "Kindergarten flyer",
    "Google search",
    "Referred by a friend",
    "Met at a friend's wedding",
    "LinkedIn",
    "Walked into the studio",
    "Christmas market stall at the Chinesischer Turm",
    "Saw the studio van",
    "Photo exhibition at the Stadtcafé",
    "Recommended by the wedding planner",
)

ORGANIZATIONS = (
    "Bäckerei {last}",
    "{last} & Partner Rechtsanwälte",
    "{last} Architekten",
    "Zahnarztpraxis Dr. {last}",
    "{last} GmbH",
    "Weingut {last}",
    "Café {first}",
    "Helvetia Treuhand AG",
    "Brauerei Giesing",
    "Studio {first} Yoga",
)

STREETS = (
    "Lindwurmstraße", "Türkenstraße", "Gabelsbergerstraße", "Rosenheimer Straße",
    "Leopoldstraße", "Schleißheimer Straße", "Sendlinger Straße", "Belgradstraße",
    "Ungererstraße", "Nymphenburger Straße", "Kapuzinerplatz", "Auenstraße",
)  # fmt: skip

EMAIL_DOMAINS = ("posteo.de", "gmail.com", "mailbox.org", "web.de", "outlook.com", "gmx.ch",
                 "icloud.com", "yahoo.es", "orange.fr", "proton.me")  # fmt: skip

TAGS = (
    "wedding", "family", "newborn", "headshots", "business", "album", "christmas",
    "destination", "elopement", "VIP", "Stammkunde", "pets", "maternity", "engagement",
    "referral partner", "print lover", "mini sessions", "black & white", "Ärztin",
    "prefers WhatsApp",
)  # fmt: skip

PLACES = (
    "the Englischer Garten", "Schloss Nymphenburg", "Lake Starnberg", "the Isar river banks",
    "the Viktualienmarkt", "the Olympiapark", "St. Anna im Lehel", "the Westpark",
    "Tegernsee", "the Chiemsee", "Königssee", "the Zugspitze", "Sylt", "Lake Garda",
    "the Dolomites", "the studio", "Schloss Elmau", "the Hofgarten",
)  # fmt: skip

PET_NAMES = ("Luna", "Bello", "Frieda", "Milo", "Kira", "Balu", "Mochi", "Pünktchen", "Ouzo")

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# Summaries of each kind of interaction, with the price range of paid work.
SUMMARIES: dict[str, tuple[tuple[str, tuple[int, int] | None], ...]] = {
    "session": (
        ("Family session at {place}", (280, 380)),
        ("Wedding day coverage, {hours} hours", (1800, 3400)),
        ("Engagement shoot at {place}", (350, 450)),
        ("Newborn session at their home", (380, 480)),
        ("Maternity shoot at {place}", (250, 350)),
        ("Headshots for the team at their office", (600, 1500)),
        ("Portrait session at the studio", (250, 400)),
        ("Christmas mini session at the studio", (120, 160)),
        ("Beach shoot in Sylt", (450, 700)),
        ("Golden hour portraits at {place}", (250, 380)),
        ("First-birthday cake smash at the studio", (200, 260)),
        ("Anniversary mini session at {place}", (180, 250)),
        ("Elopement on the Zugspitze", (1200, 2200)),
        ("Pet portraits with {pet}", (150, 240)),
    ),
    "purchase": (
        ("Wedding album, {n} spreads, linen cover", (650, 950)),
        ("Canvas print 60x90 cm for the living room", (120, 260)),
        ("{n} retouched portraits", (150, 250)),
        ("Photo book, {n} pages", (90, 260)),
        ("Framed prints for the grandparents", (140, 220)),
        ("Christmas cards, {n} printed", (70, 110)),
        ("Usage licence for print and web", (300, 500)),
        ("Gift voucher for a mini session", (150, 150)),
        ("Fine-art print on Hahnemühle paper", (90, 180)),
        ("Digital download of the full gallery", (200, 400)),
    ),
    "call": (
        ("Catch-up call", None),
        ("Called about a family session", None),
        ("Call to talk through dates and packages", None),
        ("Called to move the shoot to {weekday}", None),
        ("Missed call, left a voicemail", None),
        ("Call about the album layout", None),
        ("Quick call: running 15 minutes late", None),
    ),
    "email": (
        ("Sent the online gallery, {n} images", None),
        ("Enquiry about wedding dates and packages", None),
        ("Invoice RE-{year}-{invoice} sent", None),
        ("Sent the contract for {month}", None),
        ("Reminder: session next {weekday}", None),
        ("Asked how they like the prints", None),
        ("Shared the spring mini-session dates", None),
        ("Booking confirmation for {month}", None),
    ),
    "message": (
        ("Instagram message about mini sessions", None),
        ("WhatsApp: sent three favourites as a sneak peek", None),
        ("Congratulated them on their news", None),
        ("Sent directions to {place}", None),
        ("Thank-you message after the shoot", None),
    ),
    "meeting": (
        ("Met at the studio to look at albums and plan the day", None),
        ("Coffee at the Café Frischhut to plan the wedding", None),
        ("Planning meeting for next year's campaign", None),
        ("Album design review at the studio", None),
        ("Location scouting at {place}", None),
    ),
    "gift": (
        ("Sent a small thank-you gift", None),
        ("Sent flowers for the new baby", None),
        ("Sent a framed print as a wedding gift", None),
        ("Brought Lebkuchen to the Christmas session", None),
    ),
    "card": (
        ("Sent a Christmas card", None),
        ("Sent a card for their {nth} wedding anniversary", None),
        ("Birthday card for {first}", None),
        ("Sent a New Year card", None),
        ("Sent a sympathy card", None),
    ),
}

# What a session body records: the day as it went.
SESSION_LINES = (
    "Rain in the morning, cleared up just in time.",
    "The light was perfect at golden hour.",
    "Kids ran around for the first half hour; the best pictures came at the end.",
    "{first} was nervous at first and relaxed after ten minutes.",
    "Used the 85mm for most of it; the 35mm for the group shots.",
    "Grandparents joined for the last twenty minutes.",
    "The dog would not sit still, but the running shot is the favourite.",
    "Fog over {place} in the morning gave everything a soft look.",
    "Shot before opening hours; the windows gave lovely side light.",
    "Too hot at noon, so we moved into the shade of the trees.",
    "Forgot the reflector; the white van worked as one.",
    "Three outfit changes, the blue dress worked best.",
)

LETTER_LINES = (
    "the gallery is online now; the password is your wedding date.",
    "thank you for the lovely afternoon at {place}!",
    "attached is the invoice; payment within 14 days is fine.",
    "could we move the session to {weekday}? The forecast looks better.",
    "here are the album proofs, please mark the spreads you would like to change.",
    "I have a free slot in {month} for the family session you asked about.",
)

SHORT_LINES = (
    "Follow up in a month.",
    "Happy with everything.",
    "Wants to book again next year.",
    "Asked about prices for {month}.",
    "Mentioned their friends are getting married.",
    "Sent them the link to the print shop.",
)

NOTES = (
    "Shy in front of the camera; start with candid shots.",
    "Loves golden hour: book evenings in summer.",
    "Beach shoot in Sylt planned for next summer.",
    "Allergic to lilies; no flowers in the studio when they come.",
    "Prefers WhatsApp over email.",
    "Vegetarian; remember it for the wedding meal.",
    "Does not like her smile in profile; shoot straight on.",
    "Bring the step ladder: he is 1.98 m tall.",
    "Pays invoices late; send a reminder after 14 days.",
    "Wants everything in black and white.",
    "{pet} must be in every family picture.",
    "Speaks French with the family; greet the grandmother in French.",
    "Parking is tricky at their house; use the garage on {street}.",
    "Interested in a newborn session when the baby arrives in {month}.",
    "The anniversary shoot is a surprise: do not contact the partner.",
    "Referred three friends; send a thank-you voucher.",
    "Wears glasses: mind the reflections, tilt them slightly down.",
    "Grandmother turns 90 in {month}; offer a generations shoot.",
    "Wants the album before Christmas.",
    "Prefers calls after 6 pm.",
    "Asked for the RAW files; explained why we do not deliver them.",
    "{first} loves {place}; suggest it for the next shoot.",
    "Invoice to the company, not to {first} personally.",
)

FAMILY_NOTES = (
    "Loves horses; bring the pony prop.",
    "Beagle",
    "Allergic to nuts",
    "Shy; warm up with soap bubbles",
    "Plays the cello",
    "Grey tabby, hides from strangers",
    "Uses a wheelchair; pick step-free locations",
    "Twins",
)

CUSTOM_DATES = ("Bakery opened", "First date", "Engagement day", "Moved to Munich",
                "Company founded", "Name day", "Gotcha day")  # fmt: skip

FOLLOW_UPS = (
    "Deliver the gallery",
    "Send the album proofs",
    "Ask for a review on Google",
    "Call about the Christmas mini session",
    "Send the invoice",
    "Order the canvas print",
    "Book the venue walk-through",
    "Send a birthday card to {first}",
    "Check in after the baby arrives",
    "Send the contract",
    "Follow up on the quote",
)

# Letters that Unicode does not decompose into a base letter and an accent, and Ukrainian.
_TRANSLITERATION = str.maketrans(
    {
        "ø": "o", "ł": "l", "ı": "i", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "đ": "d",
        "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie",
        "ж": "zh", "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l",
        "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
        "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": "iu",
        "я": "ia",
    }
)  # fmt: skip


class _Fields(dict):
    """Template fields; each missing one is drawn only when a template asks for it."""

    def __init__(self, rng: random.Random, first: str, when: datetime) -> None:
        super().__init__(first=first, year=when.year)
        self.rng = rng

    def __missing__(self, key: str) -> str:
        return str(_DRAWS[key](self.rng))


_DRAWS: dict[str, Callable[[random.Random], object]] = {
    "place": lambda rng: rng.choice(PLACES),
    "pet": lambda rng: rng.choice(PET_NAMES),
    "street": lambda rng: rng.choice(STREETS),
    "month": lambda rng: MONTH_NAMES[rng.randrange(1, 13)],
    "weekday": lambda rng: rng.choice(WEEKDAYS),
    "hours": lambda rng: rng.randrange(4, 12),
    "n": lambda rng: rng.choice((20, 30, 40, 60, 80, 120, 240, 380, 640)),
    "nth": lambda rng: ordinal(rng.randrange(1, 16)),
    "invoice": lambda rng: f"{rng.randrange(1, 400):03d}",
}


def culture(rng: random.Random) -> Culture:
    return rng.choices(CULTURES, cum_weights=_CULTURE_WEIGHTS)[0][0]


def last_name(rng: random.Random, people: Culture) -> str:
    if rng.random() < people.two_surnames:
        return " ".join(rng.sample(people.lasts, 2))
    return rng.choice(people.lasts)


def ascii_word(text: str) -> str:
    """'García López' -> 'garcialopez', 'Олена' -> 'olena': the part of an email address."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_TRANSLITERATION))
    return "".join(c for c in decomposed if c.isascii() and (c.isalnum() or c == "-"))


def email(rng: random.Random, first: str, last: str, organization: str) -> str:
    if organization:
        domain = "-".join(word for word in map(ascii_word, organization.split()) if word)
        return f"{ascii_word(first)}@{domain}.de"
    name = f"{ascii_word(first)}.{ascii_word(last)}" if last else ascii_word(first)
    if rng.random() < 0.3:
        name += str(rng.randrange(70, 100))  # the birth year, as so many addresses have
    return f"{name}@{rng.choice(EMAIL_DOMAINS)}"


def phone(rng: random.Random, people: Culture) -> str:
    return f"{people.phone} {rng.randrange(1_000_000, 10_000_000)}"


def address(rng: random.Random) -> str:
    return f"{rng.choice(STREETS)} {rng.randrange(1, 120)}, 80{rng.randrange(331, 999)} München"


def organization(rng: random.Random, first: str, last: str) -> str:
    return rng.choice(ORGANIZATIONS).format(first=first, last=last or first)


def interaction(
    rng: random.Random, kind: str, first: str, when: datetime
) -> tuple[str, str, Decimal | None]:
    """(summary, body, price) of one history item; the price only for paid work."""
    template, prices = rng.choice(SUMMARIES[kind])
    fields = _Fields(rng, first, when)
    summary = template.format_map(fields)
    return summary, _body(rng, kind, fields), prices and _price(rng, kind, prices)


def _body(rng: random.Random, kind: str, fields: _Fields) -> str:
    if kind == "session" and rng.random() < 0.6:
        lines = rng.sample(SESSION_LINES, rng.randrange(1, 4))
        return " ".join(lines).format_map(fields)
    if kind == "email" and rng.random() < 0.4:
        line = rng.choice(LETTER_LINES).format_map(fields)
        return f"Hi {fields['first']},\n\n{line}\n\nBest wishes,\nLena"
    if rng.random() < 0.2:
        return rng.choice(SHORT_LINES).format_map(fields)
    return ""


def _price(rng: random.Random, kind: str, prices: tuple[int, int]) -> Decimal:
    low, high = prices
    amount = rng.randrange(low, high + 1, 10)
    if kind == "purchase" and rng.random() < 0.4:
        return Decimal(f"{amount - 1}.90")  # print-shop prices end in .90
    return Decimal(amount)


def note(rng: random.Random, first: str, when: datetime) -> str:
    fields = _Fields(rng, first, when)
    count = 2 if rng.random() < 0.2 else 1
    return " ".join(rng.sample(NOTES, count)).format_map(fields)


def follow_up(rng: random.Random, first: str) -> str:
    return rng.choice(FOLLOW_UPS).format(first=first)
