"""Interface strings from gettext catalogs (Babel), and locale-aware number formats."""
from __future__ import annotations

import gettext as _gettext
import io
import re
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

LANGS = ("en", "fr")
DEFAULT_LANG = "en"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"
_PRIMARY_END = re.compile(r"[-_;\s]")  # what ends the language of a tag: "fr-CA", "fr_CA", "fr; level=1"


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated where it is shown."""
    return message


def catalog_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=None)
def translations(lang: str) -> _gettext.NullTranslations:
    """The catalog of a language; English is the source language, so it needs none.
    Only a language of LANGS names a file: anything else is a caller's mistake."""
    if lang not in LANGS:
        raise ValueError(f"not a language of the Atlas: {lang!r}")
    if lang == DEFAULT_LANG:
        return _gettext.NullTranslations()
    with catalog_path(lang).open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)  # compiled in memory: the .po stays the one file to edit
    buffer.seek(0)
    return _gettext.GNUTranslations(buffer)


def other_lang(lang: str) -> str:
    """The other language of the two."""
    return "fr" if lang == "en" else "en"


@lru_cache(maxsize=4096)
def number(value: int | float, lang: str) -> str:
    return format_decimal(value, locale=lang)


@lru_cache(maxsize=1024)  # the same few headers come with every request of a room
def preferred_lang(accept_language: str | None) -> str:
    """The supported language a browser asks for most in its Accept-Language header (RFC 9110, read by
    Werkzeug: an item with an invalid quality is ignored, `*` stands for any language).

    A regional tag counts for its language at its own quality ("fr-CA;q=0.9, en;q=0.8" is French), and
    between equal qualities the header's order decides ("fr, en" is French). Werkzeug's own fallback
    would prefer an exact tag of any quality to a regional one, and the server's order to the header's."""
    accepted = parse_accept_header(accept_language, LanguageAccept)
    languages = LanguageAccept([(_PRIMARY_END.split(tag.lower(), maxsplit=1)[0], q) for tag, q in accepted])
    asked = [tag for tag, _ in languages if tag in LANGS]  # best first, ties in the header's order
    return languages.best_match(list(dict.fromkeys([*asked, *LANGS])), default=DEFAULT_LANG)
