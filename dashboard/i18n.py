"""Interface strings from gettext catalogs (Babel), and locale-aware number formats."""
from __future__ import annotations

import gettext as _gettext
import io
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

LANGS = ("en", "fr")
DEFAULT_LANG = "en"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"


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


def preferred_lang(accept_language: str | None) -> str:
    """The first supported language of an Accept-Language header, by quality."""
    choices = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGS and quality > 0:
            choices.append((-quality, position, primary))
    return min(choices)[2] if choices else DEFAULT_LANG
