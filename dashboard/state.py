"""The view state: one object holds the whole view, and round-trips through the URL query."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from urllib.parse import parse_qs, quote, urlencode

from .i18n import DEFAULT_LANG, LANGS, N_
from .parse import ACTORS
from .text import is_whole_number

REGIONS = ("world", "europe", "caribbean", "americas")
TABS = ("map", "matrix", "compare")
MAX_QUERY_LENGTH = 200
MAX_TOUR_STEPS = 30
# Parameters that describe a view; presenter mode and the tour are about how views are shown.
VIEW_PARAMS = ("lang", "territory", "actor", "theme", "report", "q", "region", "tab", "compare")


@dataclass(frozen=True)
class ViewState:
    lang: str = DEFAULT_LANG
    territory: str | None = None
    actors: tuple[str, ...] = ()  # empty: every actor
    themes: tuple[str, ...] = ()  # empty: every theme
    report: int | None = None  # None: every report
    q: str = ""
    region: str = "world"
    tab: str = "map"
    compare: tuple[str, ...] = ()  # two territory codes, or none
    present: bool = False
    tour: tuple[str, ...] = ()  # each step is the URL query of a view
    step: int | None = None  # the tour step on screen
    # The language the browser asks for. Not part of the view (so not compared): it only decides
    # whether the URL must name the language for a reload to keep it.
    browser_lang: str = field(default=DEFAULT_LANG, compare=False)

    def but(self, **changes) -> "ViewState":
        return replace(self, **changes)


@dataclass(frozen=True)
class Vocabulary:
    """The values a URL may name; anything else is invalid."""

    territories: frozenset[str]
    themes: tuple[str, ...]  # in taxonomy order
    reports: frozenset[int]
    comparable: frozenset[str]  # territories with recommendations

    @classmethod
    def of(cls, dataset) -> "Vocabulary":
        """What a dataset's URLs may name."""
        return cls(frozenset(dataset.territories), tuple(dataset.themes), frozenset(dataset.reports),
                   frozenset(dataset.mapped_codes))


class Reason(str):
    """Why a parameter was ignored: the English text (as the JSON API gives it), which keeps its
    message and values so that the page can say it in its own language."""

    def __new__(cls, message: str, **values):
        reason = super().__new__(cls, message % values if values else message)
        reason.message, reason.values = message, values
        return reason

    def translated(self, gettext) -> str:
        text = gettext(self.message)
        return text % self.values if self.values else text


@dataclass(frozen=True)
class ParsedQuery:
    state: ViewState
    invalid: dict[str, Reason] = field(default_factory=dict)  # parameter -> why it was ignored


def parse_query(query: str | Mapping[str, str | list[str]], vocab: Vocabulary, default_lang: str = DEFAULT_LANG,
                *, view_only: bool = False) -> ParsedQuery:
    """A view state from a URL query; bad values fall back to defaults and are listed in `invalid`.

    With view_only (a tour step), presenter mode and the tour are not read: a step holds no tour of its own.
    """
    params = _flatten(parse_qs(query.lstrip("?")) if isinstance(query, str) else query)
    if view_only:
        params = {k: v for k, v in params.items() if k in VIEW_PARAMS}
    invalid: dict[str, str] = {}
    browser_lang = default_lang if default_lang in LANGS else DEFAULT_LANG
    values: dict = {"lang": browser_lang, "browser_lang": browser_lang}

    for name, choices in (("lang", LANGS), ("region", REGIONS), ("tab", TABS)):
        if name in params:
            if params[name] in choices:
                values[name] = params[name]
            else:
                invalid[name] = Reason(N_("expected one of %(choices)s"), choices=", ".join(choices))
    if "territory" in params:
        code = params["territory"].strip().upper()
        if code in vocab.territories:
            values["territory"] = code
        else:
            invalid["territory"] = Reason(N_("unknown territory code"))
    for name, key, allowed in (("actor", "actors", ACTORS), ("theme", "themes", vocab.themes)):
        if name in params:
            chosen, unknown = _pick(params[name], allowed)
            values[key] = chosen
            if unknown:
                invalid[name] = Reason(N_("unknown value(s): %(values)s"), values=", ".join(unknown))
    if "report" in params:
        raw = params["report"].strip()
        if is_whole_number(raw) and int(raw) in vocab.reports:
            values["report"] = int(raw)
        else:
            invalid["report"] = Reason(N_("unknown report"))
    if "q" in params:
        q = " ".join(params["q"].split())
        if len(q) > MAX_QUERY_LENGTH:
            invalid["q"] = Reason(N_("longer than %(n)s characters"), n=MAX_QUERY_LENGTH)
        else:
            values["q"] = q
    if "compare" in params:
        codes = [c.strip().upper() for c in params["compare"].split(",") if c.strip()]
        if len(codes) == 2 and codes[0] != codes[1] and all(c in vocab.comparable for c in codes):
            values["compare"] = tuple(codes)
        else:
            invalid["compare"] = Reason(N_("expected two different codes of territories with recommendations"))
    if "present" in params:
        if params["present"] in ("1", "0"):
            values["present"] = params["present"] == "1"
        else:
            invalid["present"] = Reason(N_("expected 1 or 0"))
    if "tour" in params:
        steps = [step for step in params["tour"].split("|") if step]
        parsed = [(step, parse_query(step, vocab, view_only=True)) for step in steps]
        # a step must name a view with at least one value understood; unknown values are left out
        views = [p for step, p in parsed if set(parse_qs(step)) & set(VIEW_PARAMS) - set(p.invalid)]
        values["tour"] = tuple(tour_entry(p.state) for p in views[:MAX_TOUR_STEPS])
        if len(views) < len(steps):
            invalid["tour"] = Reason(N_("steps that name no view were left out"))
        elif len(views) > MAX_TOUR_STEPS:
            invalid["tour"] = Reason(N_("more than %(n)s steps"), n=MAX_TOUR_STEPS)
        elif any(p.invalid for p in views):
            invalid["tour"] = Reason(N_("unknown values in some steps were left out"))
    if "step" in params:
        raw = params["step"].strip()
        if is_whole_number(raw) and int(raw) < len(values.get("tour", ())):
            values["step"] = int(raw)
        else:
            invalid["step"] = Reason(N_("not a step of the tour"))
    state = ViewState(**values)
    if state.step is not None and not set(params) & set(VIEW_PARAMS) - {"lang"}:
        state = tour_step(state, state.step, vocab)  # a link to a step that names no view opens the step's view
    return ParsedQuery(state, invalid)


def tour_entry(state: ViewState) -> str:
    """How a tour remembers a view: its query, without language, presenter mode or tour.

    '|' separates the steps, so a step escapes its own; the world view is named, not left empty.
    """
    query = to_query(state.but(lang=DEFAULT_LANG, browser_lang=DEFAULT_LANG), view_only=True)
    return query.replace("|", "%7C") or "region=world"


def tour_step(state: ViewState, step: int, vocab: Vocabulary) -> ViewState:
    """The view of a tour step, keeping the tour, the presenter mode and the language."""
    view = parse_query(state.tour[step], vocab, default_lang=state.lang).state
    return view.but(tour=state.tour, step=step, present=state.present, browser_lang=state.browser_lang)


def to_query(state: ViewState, *, view_only: bool = False) -> str:
    """The URL query of a state, without the defaults; '' for the default view.

    English is left out only for a browser that asks for English: any other browser would
    otherwise turn the page back to its own language on reload.
    With view_only, presenter mode and the tour are left out: what an audience should open.
    """
    params = []
    if state.lang != DEFAULT_LANG or state.browser_lang != DEFAULT_LANG:
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
    if state.tab != "map":
        params.append(("tab", state.tab))
    if state.compare:
        params.append(("compare", ",".join(state.compare)))
    if not view_only:
        if state.present:
            params.append(("present", "1"))
        if state.tour:
            params.append(("tour", "|".join(state.tour)))
        if state.step is not None:
            if not [name for name, _ in params if name in VIEW_PARAMS and name != "lang"]:
                params.append(("region", "world"))  # else the link would open the step's own view
            params.append(("step", str(state.step)))
    return urlencode(params, quote_via=quote, safe=",|")


def href(state: ViewState, *, view_only: bool = False) -> str:
    """A relative link to a state."""
    query = to_query(state, view_only=view_only)
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
