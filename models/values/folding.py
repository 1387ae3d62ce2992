"""Text compared the way people type it: case and accents do not matter.

The one rule for every comparison in Rapport: the client search and its index, the sort
order of names, tags, the Ctrl+K palette. Changing it changes what is stored folded (the
search index, `client.sort_name`), so a change needs a migration that folds them anew
(see models/store/migrations.py, version 6).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Letters that Unicode does not decompose into a base letter and an accent, spelled as
# people type them on a keyboard without them ("Bjørn" as "bjorn", "Kjær" as "kjaer").
# Lower case only: they are looked up after casefold(), which also turns ß into ss.
_UNDECOMPOSABLE = str.maketrans(
    {
        "ø": "o",
        "æ": "ae",
        "œ": "oe",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ħ": "h",
        "ŧ": "t",
        "\u0131": "i",  # the dotless i of Turkish
    }
)


def fold(text: str | None) -> str:
    """'Zoë' -> 'zoe', 'STRASSE' and 'Straße' -> 'strasse', 'Bjørn' -> 'bjorn'; None -> ''."""
    if not text:
        return ""
    folded = text.casefold()
    if folded.isascii():  # most names and every email: nothing to decompose (an import's
        return folded  # matching folds each of them; this is 20 times faster)
    # Only the letters beyond ASCII, a run at a time: ASCII letters decompose into nothing
    # else and no accent moves across them, so the text folds as it would whole.
    return _BEYOND_ASCII.sub(_folded_run, folded)


_BEYOND_ASCII = re.compile(r"[^\x00-\x7f]+")


def _folded_run(found: re.Match) -> str:
    run = found.group()
    return _fold_word(run) if len(run) <= _WORD else _fold_letters(run)


def _fold_letters(run: str) -> str:
    decomposed = unicodedata.normalize("NFKD", run)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return bare.translate(_UNDECOMPOSABLE)  # last: "ǿ" is "ø" only once decomposed


# The same few words come again and again ("Grüße", "Müller"): kept. Longer runs (a
# paragraph of Chinese, say) are folded each time.
_WORD = 32
_fold_word = lru_cache(maxsize=4096)(_fold_letters)


# FTS5's highlight() marks the words a search found between these (char(1) and char(2) in
# models/store/search_index.probe_sql).
MARK_START, MARK_END = "\x01", "\x02"


def marked_prefix(marked: str | None, word: str) -> bool:
    """Whether a word that highlight() marked in `marked` begins with the folded `word`:
    FTS5 says where its words are, so the check splits words exactly as the index does.
    Registered on every connection (models/store/database.py)."""
    start = (marked or "").find(MARK_START)
    while start >= 0:
        end = marked.find(MARK_END, start)
        if end < 0:  # a text of the owner's own ending in char(1), not a mark
            return False
        if fold(marked[start + 1 : end]).startswith(word):
            return True
        start = marked.find(MARK_START, end)
    return False
