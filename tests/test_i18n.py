"""Every interface string has a French translation, and the catalog holds no stale or broken entry."""
from __future__ import annotations

import re

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from dashboard.i18n import catalog_path, number, preferred_lang, translations
from helpers import ROOT

KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}


def _code_messages() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT / "dashboard"), method_map=[("**.py", "python")], keywords=KEYWORDS,
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


@pytest.fixture(scope="module")
def french():
    with catalog_path("fr").open("rb") as handle:
        return read_po(handle, locale="fr")


def test_code_has_interface_strings():
    assert len(_code_messages()) >= 40


def test_every_string_has_a_french_translation(french):
    missing = []
    for message in sorted(_code_messages()):
        entry = french.get(message)
        strings = [] if entry is None else ([entry.string] if isinstance(entry.string, str) else list(entry.string))
        if entry is None or not all(strings) or entry.fuzzy:
            missing.append(message)
    assert missing == [], f"untranslated in {catalog_path('fr')}: {missing}"


def test_catalog_has_no_stale_entries(french):
    stale = {m.id if isinstance(m.id, str) else m.id[0] for m in french if m.id} - _code_messages()
    assert stale == set()


def test_placeholders_survive_translation(french):
    for message in french:
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        wanted = set(re.findall(r"%\(\w+\)s", ids[0]))
        for string in strings:
            assert set(re.findall(r"%\(\w+\)s", string)) == wanted, message.id


@pytest.mark.parametrize("lang, n, expected", [
    ("en", 1, "1 recommendation"), ("en", 2, "2 recommendations"),
    ("fr", 0, "0 recommandation"), ("fr", 1, "1 recommandation"), ("fr", 36, "36 recommandations"),
])
def test_plurals(lang, n, expected):
    assert translations(lang).ngettext("%(n)s recommendation", "%(n)s recommendations", n) % {"n": n} == expected


@pytest.mark.parametrize("value, lang, expected", [
    (1234, "en", "1,234"), (1234, "fr", "1\u202f234"), (0.5, "fr", "0,5"), (87, "fr", "87"),
])
def test_number_formats(value, lang, expected):
    assert number(value, lang) == expected


@pytest.mark.parametrize("header, lang", [
    (None, "en"), ("", "en"), ("de", "en"), ("*", "en"), ("en;q=0", "en"), ("fr;q=0", "en"),
    ("fr", "fr"), ("FR", "fr"), ("fr-CA", "fr"), ("fr_CA", "fr"), ("fr-Latn-CA", "fr"), ('"fr"', "fr"),
    # a regional tag counts for its language at its own quality
    ("fr-CA;q=0.9, en;q=0.8", "fr"), ("fr-CA, en;q=0.5", "fr"), ("en-GB;q=0.8, fr;q=0.7", "en"),
    # equal qualities: the header's order
    ("fr, en", "fr"), ("en, fr", "en"), ("fr;q=0.5, en;q=0.50", "fr"), ("en-GB;q=0.8, fr-BE;q=0.8", "en"),
    ("de-DE, de;q=0.9, fr;q=0.5", "fr"), ("fr ; q=0.9, en;q=0.8", "fr"), ("fr;level=1;q=0.5, en;q=0.4", "fr"),
    # `*` is every other language at its quality
    ("de, *;q=0.1", "en"), ("*;q=0.5, fr;q=0.4", "en"), ("fr;q=0, *", "en"), ("en;q=0, *", "fr"),
    # an invalid quality drops its item (RFC 9110)
    ("fr;q=2, en;q=0.5", "en"), ("fr;q=abc, en;q=0.1", "en"), ("fr;q=-1", "en"), ("fr;q=1.0001", "en"),
    # garbage never raises
    (";;;,,", "en"), ("q=0.5", "en"), ("-fr", "en"), ("\x00fr", "en"), ("é,ü", "en"), ("fr" * 5000, "en"),
    (",".join(["de"] * 2000 + ["fr"]), "fr"),
])
def test_preferred_lang_reads_accept_language_as_rfc_9110_does(header, lang):
    assert preferred_lang(header) == lang
