"""The labels of emails, phones, addresses and dates, in the words Rapport shows.

Built-in labels become lower-case words ("home", "work mobile"); a label the user made
up ("Studio") stays as they wrote it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from models.kinds import IMPORTANT_DATE_KINDS

# Apple writes its built-in labels as _$!<Mobile>!$_ and custom ones as plain text.
_APPLE_LABEL = re.compile(r"_\$!<(.*)>!\$_")
_JOINED_WORDS = {"homefax": "home fax", "workfax": "work fax", "otherfax": "other fax"}
_BUILT_IN = {"home", "work", "other", "mobile", "main", "pager", "car", "home fax", "work fax"}
_BUILT_IN |= {"other fax", "iphone", "homepage", "fax", "cell"}
# vCard TYPE values: where (the first found wins) and what kind of line.
_PLACES = ("home", "work", "other")
_KINDS = {"iphone": "iPhone", "cell": "mobile", "mobile": "mobile", "fax": "fax", "pager": "pager"}
_KINDS |= {"main": "main", "car": "car"}  # in this order: an iPhone is a cell too


def type_label(types: frozenset[str]) -> str:
    """'home', 'work mobile', 'iPhone' from vCard TYPE values; '' when they say nothing."""
    place = next((p for p in _PLACES if p in types), "")
    kind = next((word for key, word in _KINDS.items() if key in types), "")
    return " ".join(filter(None, (place, kind)))


def label_text(text: str) -> str:
    """A label as written by Apple (_$!<HomeFAX>!$_) or Google ("* Work"), in Rapport's words."""
    text = " ".join(text.split()).removeprefix("* ")  # Google marks the primary value with "* "
    match = _APPLE_LABEL.fullmatch(text)
    if match:
        text = _JOINED_WORDS.get(match[1].strip().lower(), match[1].strip())
    if text.lower() == "cell":
        return "mobile"
    return text.lower() if text.lower() in _BUILT_IN else text


def unique_values(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """(label, value) pairs, each non-empty value once (case aside) with its first label."""
    seen, kept = set(), []
    for label, value in pairs:
        if value and value.casefold() not in seen:
            seen.add(value.casefold())
            kept.append((label, value))
    return kept


def date_kind(label: str) -> tuple[str, str]:
    """(kind, label) of a date an address book labelled: its anniversary, or a custom date."""
    label = label_text(label)
    if label.lower() in ("anniversary", "wedding anniversary"):
        return "wedding_anniversary", ""
    if not label:
        return "custom", IMPORTANT_DATE_KINDS["custom"]
    return "custom", label[0].upper() + label[1:]


# What address books call a person's family (vCard 4 RELATED types, Apple's and Google's
# labels, Android's relation types), folded, as Rapport's relations (models.kinds.RELATIONS).
_RELATION_WORDS = {
    "partner": ("spouse", "partner", "domestic partner", "husband", "wife", "sweetheart"),
    "child": ("child", "children", "son", "daughter"),
    "parent": ("parent", "mother", "father", "mom", "mum", "dad"),
    "sibling": ("sibling", "brother", "sister"),
    "friend": ("friend",),
    "pet": ("pet",),
}
_RELATIONS = {word: relation for relation, words in _RELATION_WORDS.items() for word in words}


def relation_of(label: str) -> str:
    """The relation a label names ("_$!<Spouse>!$_", "Mother", "child"), else "other"."""
    return _RELATIONS.get(" ".join(label_text(label).lower().split()), "other")
