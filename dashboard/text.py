"""Text folding shared by search, heading resolution and theme suggestion; number checks; French spacing."""
from __future__ import annotations

import re
import sys
import unicodedata
from functools import lru_cache

import numpy as np

_WORD = re.compile(r"[a-z0-9]+")


_SEPARATOR = "\x00"  # joins texts for fold_many; never in a dataset cell, and folds to itself
_CHUNK = 4096  # texts folded together; bounds the temporary arrays to a few MB


def fold(text: str) -> str:
    """Lower-case, strip accents and turn œ/æ/typographic quotes into plain letters.

    Each character folds on its own (NFKD only reorders the combining marks this removes), so a text
    folds to the folds of its characters, which `highlight` and `fold_many` rely on."""
    if text.isascii():
        return text.lower()  # NFKD changes no ASCII character, and casefold is lower there
    text = text.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae")
    text = text.replace("’", "'").replace("‘", "'")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


# Unicode places combining marks only in these planes (1: historic scripts, 14: variation selectors):
# looking up only there keeps start-up short. A test checks that no other code point combines.
COMBINING_RANGES = (range(0, 0x20000), range(0xE0000, 0xE1000))


@lru_cache(maxsize=1)
def _combining() -> np.ndarray:
    """For each code point, whether it is a combining mark (what fold removes)."""
    table = np.zeros(sys.maxunicode + 1, dtype=bool)
    table[[c for block in COMBINING_RANGES for c in block if unicodedata.combining(chr(c))]] = True
    return table


def fold_many(texts: list[str]) -> list[str]:
    """fold() of each text, with a few passes over many texts joined instead of a loop over characters."""
    out: list[str] = []
    for start in range(0, len(texts), _CHUNK):
        chunk = texts[start:start + _CHUNK]
        joined = _SEPARATOR.join(chunk)
        if joined.count(_SEPARATOR) != len(chunk) - 1:  # a text holds the separator: fold one by one
            out += [fold(text) for text in chunk]
            continue
        joined = joined.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae")
        joined = joined.replace("’", "'").replace("‘", "'")
        points = np.frombuffer(unicodedata.normalize("NFKD", joined).encode("utf-32-le"), dtype=np.uint32)
        kept = points[~_combining()[points]]
        out += kept.tobytes().decode("utf-32-le").casefold().split(_SEPARATOR)
    return out


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


# French sets a narrow no-break space (U+202F) before : ; ! and ?. Left alone: a colon between two digits
# (10:30, 1:2), a mark that follows the start of a line, a space of any kind already there but a plain one
# (which becomes the narrow no-break space), another of these marks (« ?! »), and web addresses, which end
# before the punctuation that closes a sentence or a bracket around them.
_ADDRESS = re.compile(r"(?:[a-zA-Z][a-zA-Z0-9+.-]*://|www\.|mailto:)\S+?(?=[.,:;!?)\]»]*(?:\s|$))")
_HIDDEN = "\ue000"  # stands for an address while the marks are spaced (a private-use character)
NARROW_NBSP = "\u202f"


def french_spacing(text: str) -> str:
    """`text` with a narrow no-break space before each : ; ! ? that French typography spaces."""
    if _HIDDEN in text:
        return text  # cannot hide its addresses safely: left as it is
    addresses = []

    def hide(match: re.Match) -> str:
        addresses.append(match.group())
        return _HIDDEN

    spaced = _space_marks(_ADDRESS.sub(hide, text))
    shown = iter(addresses)
    return re.sub(_HIDDEN, lambda _match: next(shown), spaced)


def _space_marks(text: str) -> str:
    chars = []
    for i, char in enumerate(text):
        if char in ":;!?" and _spaced(text, i):
            if chars and chars[-1] == " ":
                chars[-1] = NARROW_NBSP
            elif chars and chars[-1] not in ("\u00a0", NARROW_NBSP):
                chars.append(NARROW_NBSP)
        chars.append(char)
    return "".join(chars)


def _spaced(text: str, i: int) -> bool:
    """Whether the mark at `i` takes a space before it: it follows a word (maybe after one plain space), and
    a colon is not between two digits."""
    before = text[:i].rstrip(" ")
    if not before or before[-1] in "\n\t:;!?" or len(text[:i]) - len(before) > 1:
        return False
    if text[i] == ":" and before == text[:i] and before[-1].isdigit() and text[i + 1:i + 2].isdigit():
        return False
    return True
