"""The view state: one object holds the whole view, and round-trips through the URL query."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from urllib.parse import parse_qs, quote, urlencode

from .i18n import DEFAULT_LANG, LANGS
from .parse import ACTORS

REGIONS = ("world", "europe", "caribbean", "americas")
MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class ViewState:
    lang: str = DEFAULT_LANG
    territory: str | None = None
    actors: tuple[str, ...] = ()  # empty: every actor
    themes: tuple[str, ...] = ()  # empty: every theme
    report: int | None = None  # None: every report
    q: str = ""
    region: str = "world"

    def but(self, **changes) -> "ViewState":
        return replace(self, **changes)


@dataclass(frozen=True)
class Vocabulary:
    """The values a URL may name; anything else is invalid."""

    territories: frozenset[str]
    themes: tuple[str, ...]  # in taxonomy order
    reports: frozenset[int]


@dataclass(frozen=True)
class ParsedQuery:
    state: ViewState
    invalid: dict[str, str] = field(default_factory=dict)  # parameter -> why it was ignored


def parse_query(query: str | Mapping[str, str | list[str]], vocab: Vocabulary, default_lang: str = DEFAULT_LANG) -> ParsedQuery:
    """A view state from a URL query; bad values fall back to defaults and are listed in `invalid`."""
    params = _flatten(parse_qs(query.lstrip("?")) if isinstance(query, str) else query)
    invalid: dict[str, str] = {}
    values: dict = {"lang": default_lang if default_lang in LANGS else DEFAULT_LANG}

    if "lang" in params:
        if params["lang"] in LANGS:
            values["lang"] = params["lang"]
        else:
            invalid["lang"] = f"expected one of {', '.join(LANGS)}"
    if "territory" in params:
        code = params["territory"].strip().upper()
        if code in vocab.territories:
            values["territory"] = code
        else:
            invalid["territory"] = "unknown territory code"
    for name, key, allowed in (("actor", "actors", ACTORS), ("theme", "themes", vocab.themes)):
        if name in params:
            chosen, unknown = _pick(params[name], allowed)
            values[key] = chosen
            if unknown:
                invalid[name] = "unknown value(s): " + ", ".join(unknown)
    if "report" in params:
        raw = params["report"].strip()
        if raw.isdigit() and int(raw) in vocab.reports:
            values["report"] = int(raw)
        else:
            invalid["report"] = "unknown report"
    if "q" in params:
        q = " ".join(params["q"].split())
        if len(q) > MAX_QUERY_LENGTH:
            invalid["q"] = f"longer than {MAX_QUERY_LENGTH} characters"
        else:
            values["q"] = q
    if "region" in params:
        if params["region"] in REGIONS:
            values["region"] = params["region"]
        else:
            invalid["region"] = f"expected one of {', '.join(REGIONS)}"
    return ParsedQuery(ViewState(**values), invalid)


def to_query(state: ViewState) -> str:
    """The URL query of a state, without the defaults; '' for the default view."""
    params = []
    if state.lang != DEFAULT_LANG:
        params.append(("lang", state.lang))
    if state.territory:
        params.append(("territory", state.territory))
    if state.actors:
        params.append(("actor", ",".join(state.actors)))
    if state.themes:
        params.append(("theme", ",".join(state.themes)))
    if state.report is not None:
        params.append(("report", str(state.report)))
    if state.q:
        params.append(("q", state.q))
    if state.region != "world":
        params.append(("region", state.region))
    return urlencode(params, quote_via=quote, safe=",")


def href(state: ViewState) -> str:
    """A relative link to a state."""
    query = to_query(state)
    return f"?{query}" if query else "/"


def _flatten(params: Mapping[str, str | list[str]]) -> dict[str, str]:
    flat = {}
    for key, value in params.items():
        if isinstance(value, (list, tuple)):
            value = value[0] if value else ""
        flat[key] = str(value)
    return flat


def _pick(raw: str, allowed: Iterable[str]) -> tuple[tuple[str, ...], list[str]]:
    """Known values in canonical order, and the unknown ones."""
    allowed = tuple(allowed)
    given = [v.strip() for v in raw.split(",") if v.strip()]
    unknown = [v for v in given if v not in allowed]
    return tuple(v for v in allowed if v in given), unknown
