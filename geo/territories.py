"""Codes, English and French names, and sovereign parents of the boundary features."""
from __future__ import annotations

import gettext
import math
from functools import cache

import pycountry

# Natural Earth features with no ISO 3166-1 alpha-3 code of their own, keyed by their world-atlas
# or Natural Earth name and by Natural Earth's ADM0_A3. XKX is Kosovo's code at the EU and IMF;
# the other X-codes are ours, from ISO's user-assigned range, so no real code will ever clash.
NON_ISO_CODES = {
    "Kosovo": "XKX", "KOS": "XKX",
    "N. Cyprus": "XNC", "Northern Cyprus": "XNC", "CYN": "XNC",
    "Somaliland": "XSL", "SOL": "XSL",
    "Siachen Glacier": "XSG", "KAS": "XSG",
    # Christmas Island and the Cocos (Keeling) Islands in one feature: split by OVERSEAS_PARTS.
    "Indian Ocean Ter.": "XIO", "IOA": "XIO",
    # An Australian external territory without a code of its own: merged into Australia.
    "Ashmore and Cartier Is.": "AUS", "ATC": "AUS",
}
USER_ASSIGNED_NAMES = {
    "XKX": ("Kosovo", "Kosovo"),
    "XNC": ("Northern Cyprus", "Chypre du Nord"),
    "XSL": ("Somaliland", "Somaliland"),
    "XSG": ("Siachen Glacier", "Glacier de Siachen"),
    "XIO": ("Indian Ocean Territories", "Territoires australiens de l'océan Indien"),
}

# Parts of a feature that become a territory of their own: (feature, territory, lon/lat box).
# Natural Earth draws France's overseas departments inside France's MultiPolygon.
OVERSEAS_PARTS = [
    ("FRA", "MTQ", (-61.4, 14.3, -60.7, 15.0)),
    ("FRA", "GLP", (-62.0, 15.8, -60.9, 16.6)),
    ("FRA", "GUF", (-54.8, 2.0, -51.4, 6.0)),
    ("FRA", "REU", (55.1, -21.5, 56.0, -20.7)),
    ("FRA", "MYT", (44.9, -13.1, 45.4, -12.5)),
    ("XIO", "CXR", (105.4, -10.7, 105.9, -10.3)),
    ("XIO", "CCK", (96.7, -12.3, 97.0, -11.8)),
]

# Features left out of the map, with the reason given in BOUNDARIES.md.
EXCLUDED = {"ATA": "Antarctica: no report concerns it, and its ring around the pole needs special care"}

# Sovereign country of each dependency, overseas region or autonomous territory that has a feature.
# Disputed areas (Western Sahara, Kosovo, Northern Cyprus, Somaliland, Siachen) have none, and nor do
# states in free association (Cook Islands, Niue).
PARENTS = {
    **dict.fromkeys(["MTQ", "GLP", "GUF", "REU", "MYT", "NCL", "PYF", "ATF", "SPM", "WLF", "BLM", "MAF"], "FRA"),
    **dict.fromkeys(["PRI", "GUM", "ASM", "VIR", "MNP", "UMI"], "USA"),
    **dict.fromkeys(["AIA", "BMU", "IOT", "VGB", "CYM", "FLK", "GGY", "JEY", "IMN", "MSR", "PCN", "SHN",
                     "SGS", "TCA", "GIB"], "GBR"),
    **dict.fromkeys(["GRL", "FRO"], "DNK"),
    **dict.fromkeys(["ABW", "CUW", "SXM", "BES"], "NLD"),
    **dict.fromkeys(["NFK", "HMD", "CXR", "CCK", "XIO"], "AUS"),
    **dict.fromkeys(["HKG", "MAC"], "CHN"),
    "ALA": "FIN",
    "SJM": "NOR",
    "BVT": "NOR",
    "TKL": "NZL",
}

# pycountry's names where they read like a register entry ("Korea, Republic of"); the rest comes
# from pycountry, preferring its common name.
ENGLISH_NAMES = {
    "ALA": "Åland Islands", "BRN": "Brunei", "COD": "Democratic Republic of the Congo",
    "FLK": "Falkland Islands", "FSM": "Micronesia", "MAF": "Saint Martin", "PCN": "Pitcairn Islands",
    "PSE": "Palestine", "RUS": "Russia", "STP": "São Tomé and Príncipe", "SXM": "Sint Maarten",
    "VAT": "Vatican City", "VGB": "British Virgin Islands", "VIR": "U.S. Virgin Islands",
}
FRENCH_NAMES = {
    "ALA": "Îles Åland", "BOL": "Bolivie", "BRN": "Brunei", "CCK": "Îles Cocos", "CXR": "Île Christmas",
    "FLK": "Îles Malouines", "FSM": "Micronésie", "GNQ": "Guinée équatoriale",
    "GRL": "Groenland", "GUF": "Guyane", "IRN": "Iran",
    "KOR": "Corée du Sud", "LAO": "Laos", "MAC": "Macao", "MAF": "Saint-Martin", "MDA": "Moldavie",
    "PRK": "Corée du Nord", "PSE": "Palestine", "REU": "La Réunion", "RUS": "Russie",
    "SLB": "Îles Salomon", "SXM": "Sint Maarten", "SYR": "Syrie", "TWN": "Taïwan", "TZA": "Tanzanie",
    "VAT": "Cité du Vatican", "VEN": "Venezuela", "VIR": "Îles Vierges des États-Unis",
    "VNM": "Vietnam", "WLF": "Wallis-et-Futuna",
}


def iso_code(numeric: object = None, alpha3: object = None) -> str | None:
    """The ISO alpha-3 code for a numeric id ("250", 250) or an alpha-3 code, or None."""
    if _present(numeric):
        text = str(numeric).split(".")[0].strip()
        if text.isdigit():
            country = pycountry.countries.get(numeric=text.zfill(3))
            if country:
                return country.alpha_3
    if _present(alpha3):
        country = pycountry.countries.get(alpha_3=str(alpha3).strip().upper())
        if country:
            return country.alpha_3
    return None


def code_for_name(name: object) -> str | None:
    """The code for a feature known only by its name: our table first, then pycountry's names."""
    if not _present(name):
        return None
    name = str(name).strip()
    if name in NON_ISO_CODES:
        return NON_ISO_CODES[name]
    try:
        return pycountry.countries.lookup(name).alpha_3
    except LookupError:
        return None


def names(code: str) -> tuple[str, str]:
    """(English, French) names of a territory code."""
    if code in USER_ASSIGNED_NAMES:
        return USER_ASSIGNED_NAMES[code]
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        raise KeyError(f"no name for territory code {code!r}")
    english = ENGLISH_NAMES.get(code) or getattr(country, "common_name", None) or country.name
    french = FRENCH_NAMES.get(code) or _french().gettext(getattr(country, "common_name", None) or country.name)
    return english, french


@cache
def _french() -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])


def _present(value: object) -> bool:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return False
    return str(value).strip() not in ("", "-99")
