"""Text folding shared by search, heading resolution and theme suggestion; number checks."""
from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[a-z0-9]+")


def fold(text: str) -> str:
    """Lower-case, strip accents and turn œ/æ/typographic quotes into plain letters."""
    text = text.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae")
    text = text.replace("’", "'").replace("‘", "'")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def is_whole_number(text: str) -> bool:
    """Digits 0-9 only: str.isdigit() alone also accepts '²', which int() refuses."""
    return text.isascii() and text.isdigit()


def words(text: str) -> list[str]:
    """The folded words of a text, in order."""
    return _WORD.findall(fold(text))


def matches_prefix(text_words: list[str], keyword: str) -> bool:
    """True when the keyword (one or more words) starts a run of words in the text.

    Each keyword word matches as a prefix ("sensibilis" matches "sensibilisation").
    """
    parts = words(keyword)
    if not parts:
        return False
    n = len(parts)
    for i in range(len(text_words) - n + 1):
        if all(text_words[i + j].startswith(parts[j]) for j in range(n)):
            return True
    return False
