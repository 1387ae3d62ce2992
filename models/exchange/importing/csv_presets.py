"""Which CSV column holds what: the Rapport fields, the mapping, and the known exporters.

Google Contacts, Outlook and Thunderbird are recognised by their header and mapped
completely (labels included); any other header gets a guess from its column names,
which the import dialog shows for the user to correct.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from models.values.folding import fold
from models.values.words import QT_TRANSLATE_NOOP

# Field key -> what the column-mapping dialog calls it.
FIELDS = {
    "first_name": QT_TRANSLATE_NOOP("Vocabulary", "First name"),
    "middle_name": QT_TRANSLATE_NOOP("Vocabulary", "Middle name"),
    "last_name": QT_TRANSLATE_NOOP("Vocabulary", "Last name"),
    "full_name": QT_TRANSLATE_NOOP("Vocabulary", "Full name"),
    "preferred_name": QT_TRANSLATE_NOOP("Vocabulary", "Preferred name (nickname)"),
    "organization": QT_TRANSLATE_NOOP("Vocabulary", "Organization"),
    "email": QT_TRANSLATE_NOOP("Vocabulary", "Email"),
    "phone": QT_TRANSLATE_NOOP("Vocabulary", "Phone"),
    "address": QT_TRANSLATE_NOOP("Vocabulary", "Address (or a part of it)"),
    "birthday": QT_TRANSLATE_NOOP("Vocabulary", "Birthday"),
    "birth_year": QT_TRANSLATE_NOOP("Vocabulary", "Birthday: year"),
    "birth_month": QT_TRANSLATE_NOOP("Vocabulary", "Birthday: month"),
    "birth_day": QT_TRANSLATE_NOOP("Vocabulary", "Birthday: day"),
    "anniversary": QT_TRANSLATE_NOOP("Vocabulary", "Wedding anniversary"),
    "date": QT_TRANSLATE_NOOP("Vocabulary", "Other date (its label says which)"),
    "note": QT_TRANSLATE_NOOP("Vocabulary", "Note"),
    "tags": QT_TRANSLATE_NOOP("Vocabulary", "Tags"),
    "partner": QT_TRANSLATE_NOOP("Vocabulary", "Partner's name"),
    "children": QT_TRANSLATE_NOOP("Vocabulary", "Children's names"),
    "family": QT_TRANSLATE_NOOP("Vocabulary", "Family member (its label says who)"),
}
NAME_FIELDS = ("first_name", "last_name", "full_name", "organization")


@dataclass(frozen=True)
class CsvMapping:
    """Column index -> field key; columns not in `fields` are ignored.

    `labels` gives a column's values a fixed label ("work", "mobile"); address parts with
    the same fixed label make one address. `label_columns` names the column holding a
    value's label instead (Google's "Phone 1 - Label"). `parts_of` names, for a part of an
    address (Google's "Address 1 - City"), the column of the whole address ("Address 1 -
    Formatted"): the parts are read only when the whole is empty. `month_first` reads
    4/5/1985 as April 5th. In the `colon_lists` columns, several values are joined with
    " ::: " only (Google's), so a comma is part of a value ("Durand, Marc").
    """

    fields: dict[int, str]
    labels: dict[int, str] = field(default_factory=dict)
    label_columns: dict[int, int] = field(default_factory=dict)
    month_first: bool = False
    parts_of: dict[int, int] = field(default_factory=dict)
    colon_lists: frozenset[int] = frozenset()

    def has_name(self) -> bool:
        return any(f in NAME_FIELDS for f in self.fields.values())


@dataclass(frozen=True)
class CsvPreset:
    """An exporter's header: what proves it is theirs, and what each column holds."""

    name: str  # what the user sees: "Google Contacts"
    signature: tuple[str, ...]  # patterns, each matching a column of this exporter's header
    columns: dict[str, tuple[str, str]]  # column name -> (field, fixed label)
    # Pattern of a numbered column ("Phone 1 - Value") -> (field, name of its label column).
    numbered: dict[str, tuple[str, str]] = field(default_factory=dict)
    # Pattern of a numbered part of an address -> the name of its whole-address column.
    parts: dict[str, str] = field(default_factory=dict)
    month_first: bool = False  # until the file's dates say otherwise
    colon_lists: bool = False  # several values of a cell joined with " ::: " only

    def matches(self, header: list[str]) -> bool:
        names = {cell.strip() for cell in header}
        return all(any(re.fullmatch(s, n) for n in names) for s in self.signature)

    def mapping(self, header: list[str]) -> CsvMapping:
        names = [cell.strip() for cell in header]
        fields, labels, label_columns, parts_of = {}, {}, {}, {}
        for i, name in enumerate(names):
            if name in self.columns:
                fields[i], label = self.columns[name]
                if label:
                    labels[i] = label
            for pattern, (key, label_name) in self.numbered.items():
                match = re.fullmatch(pattern, name)
                if match:
                    fields[i] = key
                    wanted = [label_name.format(n=match["n"], kind=kind) for kind in _KINDS]
                    found = [names.index(w) for w in wanted if w in names]
                    if found:
                        label_columns[i] = found[0]
            for pattern, whole_name in self.parts.items():
                match = re.fullmatch(pattern, name)
                whole = whole_name.format(n=match["n"]) if match else ""
                if match and whole in names:
                    fields[i] = "address"
                    parts_of[i] = names.index(whole)
                    if parts_of[i] in label_columns:  # the whole address's label
                        label_columns[i] = label_columns[parts_of[i]]
        colon_lists = frozenset(fields) if self.colon_lists else frozenset()
        return CsvMapping(fields, labels, label_columns, self.month_first, parts_of, colon_lists)


_KINDS = ("Label", "Type")  # Google's newer and older word for a value's label


def _outlook_columns() -> dict[str, tuple[str, str]]:
    columns = {
        "First Name": ("first_name", ""),
        "Middle Name": ("middle_name", ""),
        "Last Name": ("last_name", ""),
        "Nickname": ("preferred_name", ""),  # Outlook.com's export has one
        "Company": ("organization", ""),
        "Birthday": ("birthday", ""),
        "Anniversary": ("anniversary", ""),
        "Categories": ("tags", ""),
        "Notes": ("note", ""),
        "E-mail Address": ("email", ""),
        "E-mail 2 Address": ("email", ""),
        "E-mail 3 Address": ("email", ""),
        "Primary Phone": ("phone", ""),
        "Mobile Phone": ("phone", "mobile"),
        "Company Main Phone": ("phone", "main"),
        "Pager": ("phone", "pager"),
        "Car Phone": ("phone", "car"),
        "Spouse": ("partner", ""),
        "Children": ("children", ""),
    }
    for place, label in (("Home", "home"), ("Business", "work"), ("Other", "other")):
        columns[f"{place} Phone"] = ("phone", label)
        columns[f"{place} Phone 2"] = ("phone", label)
        columns[f"{place} Fax"] = ("phone", f"{label} fax")
        for part in ("Street", "Street 2", "Street 3", "City", "State", "Postal Code"):
            columns[f"{place} {part}"] = ("address", label)
        columns[f"{place} Country/Region"] = ("address", label)
        columns[f"{place} Country"] = ("address", label)  # Outlook 2000 and 2003
    return columns


def _thunderbird_columns() -> dict[str, tuple[str, str]]:
    columns = {
        "First Name": ("first_name", ""),
        "Last Name": ("last_name", ""),
        "Display Name": ("full_name", ""),
        "Nickname": ("preferred_name", ""),
        "Organization": ("organization", ""),
        "Primary Email": ("email", ""),
        "Secondary Email": ("email", ""),
        "Work Phone": ("phone", "work"),
        "Home Phone": ("phone", "home"),
        "Fax Number": ("phone", "fax"),
        "Pager Number": ("phone", "pager"),
        "Mobile Number": ("phone", "mobile"),
        "Birth Year": ("birth_year", ""),
        "Birth Month": ("birth_month", ""),
        "Birth Day": ("birth_day", ""),
        "Notes": ("note", ""),
    }
    for place, label in (("Home", "home"), ("Work", "work")):
        for part in ("Address", "Address 2", "City", "State", "ZipCode", "Country"):
            columns[f"{place} {part}"] = ("address", label)
    return columns


GOOGLE = CsvPreset(
    name="Google Contacts",
    signature=(r"First Name|Given Name", r"(E-mail|Phone) 1 - Value|Labels|Group Membership"),
    columns={
        "First Name": ("first_name", ""),
        "Given Name": ("first_name", ""),
        "Middle Name": ("middle_name", ""),
        "Additional Name": ("middle_name", ""),
        "Last Name": ("last_name", ""),
        "Family Name": ("last_name", ""),
        "Name": ("full_name", ""),
        "Nickname": ("preferred_name", ""),
        "Organization Name": ("organization", ""),
        "Organization 1 - Name": ("organization", ""),
        "Birthday": ("birthday", ""),
        "Notes": ("note", ""),
        "Labels": ("tags", ""),
        "Group Membership": ("tags", ""),
    },
    numbered={
        r"E-mail (?P<n>\d+) - Value": ("email", "E-mail {n} - {kind}"),
        r"Phone (?P<n>\d+) - Value": ("phone", "Phone {n} - {kind}"),
        r"Address (?P<n>\d+) - Formatted": ("address", "Address {n} - {kind}"),
        r"Event (?P<n>\d+) - Value": ("date", "Event {n} - {kind}"),
        r"Relation (?P<n>\d+) - Value": ("family", "Relation {n} - {kind}"),
    },
    parts={
        r"Address (?P<n>\d+) - "
        r"(?:Street|Extended Address|PO Box|City|Region|Postal Code|Country)": (
            "Address {n} - Formatted"
        ),
    },
    colon_lists=True,
)

OUTLOOK = CsvPreset(
    name="Outlook",
    signature=("First Name", "Last Name", "E-mail Address", r"(Business|Home|Mobile) Phone"),
    columns=_outlook_columns(),
    month_first=True,  # Outlook writes the dates of its (usually US) Windows locale
)

THUNDERBIRD = CsvPreset(
    name="Thunderbird",
    signature=("Primary Email", "Display Name", "Birth Year"),
    columns=_thunderbird_columns(),
)

PRESETS = {"google": GOOGLE, "outlook": OUTLOOK, "thunderbird": THUNDERBIRD}

# Column names of other files, folded (see models.values.folding), for a first guess.
_SYNONYMS = {
    "first_name": ("first name", "firstname", "given name", "forename", "vorname", "prenom"),
    "middle_name": ("middle name", "middle names", "additional name", "zweiter vorname"),
    "last_name": ("last name", "lastname", "surname", "family name", "nachname", "nom"),
    "full_name": ("name", "full name", "display name", "contact", "client", "kunde"),
    "preferred_name": ("nickname", "preferred name", "spitzname", "rufname"),
    "organization": ("company", "organization", "organisation", "firma", "business"),
    "birthday": ("birthday", "date of birth", "birth date", "dob", "geburtstag", "geburtsdatum"),
    "anniversary": ("anniversary", "wedding anniversary", "wedding date", "hochzeitstag"),
    "note": ("note", "notes", "comment", "comments", "notiz", "notizen", "bemerkung"),
    "tags": ("tags", "tag", "labels", "categories", "groups", "kategorien", "gruppen"),
    "partner": ("spouse", "husband", "wife", "ehepartner"),
    "children": ("children", "child", "kids", "kinder"),
}
# Words that, inside a column name, say what it holds ("Work email", "Mobile phone 2").
_KEYWORDS = {
    "email": ("email", "e mail", "mail"),
    "phone": ("phone", "mobile", "telephone", "tel", "telefon", "handy", "cell"),
    "address": ("address", "street", "city", "zip", "postal", "postcode", "country", "adresse"),
}
_NOT_VALUES = ("type", "label", "display")  # "E-mail Type" describes a value, is not one


def guess_mapping(header: list[str]) -> tuple[str, CsvMapping]:
    """(preset key or "", mapping) for a header: a known exporter's, else guessed by name."""
    for key, preset in PRESETS.items():
        if preset.matches(header):
            return key, preset.mapping(header)
    fields = {}
    for i, cell in enumerate(header):
        key = _field_for(" ".join(re.sub(r"[^a-z]+", " ", fold(cell)).split()))
        if key:
            fields[i] = key
    return "", CsvMapping(fields)


def _field_for(name: str) -> str:
    for key, names in _SYNONYMS.items():
        if name in names:
            return key
    words = f" {name} "
    if any(f" {word} " in words for word in _NOT_VALUES):
        return ""
    for key, keywords in _KEYWORDS.items():
        if any(f" {word} " in words for word in keywords):
            return key
    return ""
