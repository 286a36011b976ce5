"""Every interface string has a French translation, and the catalog holds no stale or broken entry."""
from __future__ import annotations

import re

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from dashboard.i18n import catalog_path, number, translations
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
