"""Tags from an address book's groups, without the groups every contact is in."""

from __future__ import annotations

from collections.abc import Iterable

from models.values.folding import fold

# Google's own groups: every contact is in "My Contacts", and "Starred" is a flag.
# In Google's CSV any system group is written with a leading "* ".
_SYSTEM_GROUPS = {"mycontacts", "my contacts", "starred"}


def clean_tags(names: Iterable[str]) -> list[str]:
    """The user's own tags, each once (case and accents ignored), blanks and system groups out."""
    kept, seen = [], set()
    for name in names:
        name = " ".join(name.split())
        key = fold(name)
        if not name or name.startswith("* ") or key.startswith("system group:"):
            continue
        if key not in _SYSTEM_GROUPS and key not in seen:
            seen.add(key)
            kept.append(name)
    return kept
