"""The view state: one object holds the whole view, and round-trips through the URL query.

Every view parameter is one entry of PARAMS: its URL key, the page control that sets it (if any),
a parser that answers a valid value or a reason (never an exception), a formatter, a default and its
limits. The state's fields, `parse_query`, `to_query`, the reset, what each control shows and the
browser's map of controls all follow from that list. Everything a client sends back (a link, the
page's stored view, an action) is read by `parse_query`, so a tampered value falls back to its
default exactly as in a link.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, make_dataclass
from functools import lru_cache
from urllib.parse import parse_qs, quote, urlencode

from .i18n import DEFAULT_LANG, LANGS, N_
from .domain import ACTORS
from .text import is_whole_number

REGIONS = ("world", "europe", "caribbean", "americas")
TABS = ("map", "matrix", "compare")
MAX_QUERY_LENGTH = 200  # characters of the search text
MAX_TOUR_STEPS = 30
MAX_STEP_LENGTH = 3_000  # characters of one tour step's query: a view with every filter and a long search
MAX_LIST = 50  # comma-separated values in one parameter
MAX_FIELDS = 50  # parameters in one query
MAX_TOTAL_LENGTH = 200_000  # characters of a whole query: a full tour of long steps
MAX_MORE = 9  # "Show more" presses in one list: the panel never holds more than 10 pages of cards


class Reason(str):
    """Why a parameter was ignored: the English text (as the JSON API gives it), which keeps its
    message and values so that the page can say it in its own language."""

    MAX_VALUE = 80  # characters of a client's value that a reason repeats: a notice never echoes a huge value

    def __new__(cls, message: str, **values):
        values = {k: v[:cls.MAX_VALUE] + "…" if isinstance(v, str) and len(v) > cls.MAX_VALUE else v
                  for k, v in values.items()}
        reason = super().__new__(cls, message % values if values else message)
        reason.message, reason.values = message, values
        return reason

    def translated(self, gettext) -> str:
        text = gettext(self.message)
        return text % self.values if self.values else text


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


_DEFAULT = object()  # a control's value that stands for the parameter's default


@dataclass(frozen=True)
class Param:
    """One view parameter. `parse(raw, vocab, values)` answers (value, None) or (None, Reason);
    `values` holds the parameters parsed before it. A partly understood value may come with a reason."""

    name: str  # the ViewState field
    key: str  # the URL parameter
    default: object
    parse: Callable[[str, Vocabulary, dict], tuple[object, Reason | None]]
    format: Callable[[object], str] = str
    control: str | None = None  # id of the page control that sets it
    shown: Callable[[object], object] = lambda value: value  # what the control shows for a value
    multi: bool = False  # a checklist: the browser sends one box at a time
    view: bool = True  # part of a view: a tour step keeps it; presenter mode and the tour are not
    keep_on_reset: bool = False  # "Reset all" keeps it
    filters: bool = False  # chooses the recommendations shown: counts, lists and cards follow it (queries.filter_masks)
    limits: Mapping[str, int] = field(default_factory=dict)  # documented bounds, enforced by `parse`


def _choice(choices: tuple[str, ...]):
    def parse(raw, _vocab, _values):
        return (raw, None) if raw in choices else (None, Reason(N_("expected one of %(choices)s"), choices=", ".join(choices)))
    return parse


def _territory(raw, vocab, _values):
    code = raw.strip().upper()
    return (code, None) if code in vocab.territories else (None, Reason(N_("unknown territory code")))


def _many(allowed: Callable[[Vocabulary], Iterable[str]]):
    """Comma-separated values: the known ones in canonical order; the unknown ones are named."""
    def parse(raw, vocab, _values):
        given = [v.strip() for v in raw.split(",", MAX_LIST) if v.strip()]
        if len(given) > MAX_LIST:
            return None, Reason(N_("more than %(n)s values"), n=MAX_LIST)
        known = tuple(allowed(vocab))
        unknown = [v for v in given if v not in known]
        chosen = tuple(v for v in known if v in given)
        return chosen, (Reason(N_("unknown value(s): %(values)s"), values=", ".join(unknown)) if unknown else None)
    return parse


def _report(raw, vocab, _values):
    raw = raw.strip()
    return (int(raw), None) if is_whole_number(raw) and len(raw) < 10 and int(raw) in vocab.reports \
        else (None, Reason(N_("unknown report")))


def _search(raw, _vocab, _values):
    q = " ".join(raw.split())
    return (q, None) if len(q) <= MAX_QUERY_LENGTH else (None, Reason(N_("longer than %(n)s characters"), n=MAX_QUERY_LENGTH))


def _compare(raw, vocab, _values):
    codes = [c.strip().upper() for c in raw.split(",", 2) if c.strip()]
    if len(codes) == 2 and codes[0] != codes[1] and all(c in vocab.comparable for c in codes):
        return tuple(codes), None
    return None, Reason(N_("expected two different codes of territories with recommendations"))


def _present(raw, _vocab, _values):
    return (raw == "1", None) if raw in ("1", "0") else (None, Reason(N_("expected 1 or 0")))


def _tour(raw, vocab, _values):
    """At most MAX_TOUR_STEPS views, each kept as its normalised query; a longer tour is cut, and
    steps that name no view (or are too long to be one) are left out."""
    views, left_out, unknown = [], False, False
    # Read a bounded number of steps: a tour of 100,000 empty or unreadable steps costs no more than 60.
    steps = raw.split("|", 2 * MAX_TOUR_STEPS)
    cut = len(steps) > 2 * MAX_TOUR_STEPS
    for step in steps[:2 * MAX_TOUR_STEPS]:
        if not step:
            continue
        if "=" not in step and step.strip().upper() in vocab.territories:
            step = "territory=" + step.strip().upper()  # a territory's code alone: "MTQ|ITA|ARG"
        parsed = parse_query(step, vocab, view_only=True) if len(step) <= MAX_STEP_LENGTH else None
        # a step must name a view with at least one value understood; unknown values are left out
        if parsed is None or not set(parse_qs(step)) & VIEW_PARAMS - set(parsed.invalid):
            left_out = True
            continue
        views.append(parsed)
        unknown = unknown or bool(parsed.invalid)
        if len(views) > MAX_TOUR_STEPS:
            break
    tour = tuple(tour_entry(p.state) for p in views[:MAX_TOUR_STEPS])
    if left_out:
        return tour, Reason(N_("steps that name no view were left out"))
    if len(views) > MAX_TOUR_STEPS or cut:
        return tour, Reason(N_("more than %(n)s steps"), n=MAX_TOUR_STEPS)
    return tour, (Reason(N_("unknown values in some steps were left out")) if unknown else None)


def _step(raw, _vocab, values):
    """A step of the tour, from 0; one past the last says that the tour is over (its last view stays)."""
    raw = raw.strip()
    steps = len(values.get("tour", ()))
    if is_whole_number(raw) and len(raw) < 4 and steps and int(raw) <= steps:
        return int(raw), None
    return None, Reason(N_("not a step of the tour"))


def _more(raw, _vocab, _values):
    raw = raw.strip()
    if is_whole_number(raw) and len(raw) < 4 and int(raw) <= MAX_MORE:
        return int(raw), None
    return None, Reason(N_("expected a whole number from 0 to %(n)s"), n=MAX_MORE)


def _report_shown(report):
    return "all" if report is None else str(report)


PARAMS: tuple[Param, ...] = (
    Param("lang", "lang", DEFAULT_LANG, _choice(LANGS), keep_on_reset=True),
    Param("territory", "territory", None, _territory, filters=True),
    Param("actors", "actor", (), _many(lambda vocab: ACTORS), ",".join, control="actor-filter", shown=list,
          multi=True, filters=True, limits={"values": MAX_LIST}),
    Param("themes", "theme", (), _many(lambda vocab: vocab.themes), ",".join, control="theme-filter", shown=list,
          multi=True, filters=True, limits={"values": MAX_LIST}),
    Param("report", "report", None, _report, control="report-filter", shown=_report_shown, filters=True),
    Param("q", "q", "", _search, control="search", filters=True, limits={"characters": MAX_QUERY_LENGTH}),
    Param("region", "region", "world", _choice(REGIONS), control="region"),
    Param("tab", "tab", "map", _choice(TABS), control="tab"),
    Param("compare", "compare", (), _compare, ",".join),
    # pages of cards shown beyond the first ("Show more"); not part of a shared view or a tour step
    Param("more", "more", 0, _more, view=False, limits={"presses": MAX_MORE}),
    Param("present", "present", False, _present, lambda on: "1", view=False, keep_on_reset=True),
    Param("tour", "tour", (), _tour, "|".join, view=False, keep_on_reset=True,
          limits={"steps": MAX_TOUR_STEPS, "step characters": MAX_STEP_LENGTH}),
    Param("step", "step", None, _step, view=False),
)
BY_NAME = {p.name: p for p in PARAMS}
FILTERS = tuple(p.name for p in PARAMS if p.filters)  # what chooses the recommendations shown
CONTROLS = {p.control: p.name for p in PARAMS if p.control}  # the browser's map: control id -> parameter
# Parameters that describe a view; presenter mode and the tour are about how views are shown.
VIEW_PARAMS = frozenset(p.key for p in PARAMS if p.view)


def _but(self, **changes):
    """A copy with `changes`, as dataclasses.replace makes it but ten times quicker: a request makes dozens
    (ViewState has no __post_init__ to run, and its fields are plain attributes)."""
    unknown = changes.keys() - _FIELDS
    if unknown:
        raise TypeError(f"ViewState has no field {sorted(unknown)[0]!r}")
    copy = object.__new__(type(self))
    copy.__dict__.update(self.__dict__)
    copy.__dict__.update(changes)
    return copy


_FIELDS = frozenset([*(p.name for p in PARAMS), "browser_lang"])

# The language the browser asks for is not part of the view (so not compared): it only decides whether
# the URL must name the language for a reload to keep it.
ViewState = make_dataclass(
    "ViewState", [(p.name, object, field(default=p.default)) for p in PARAMS]
    + [("browser_lang", str, field(default=DEFAULT_LANG, compare=False))],
    frozen=True, namespace={"but": _but, "__module__": __name__})


@dataclass(frozen=True)
class ParsedQuery:
    state: ViewState
    invalid: dict[str, Reason] = field(default_factory=dict)  # parameter -> why it was ignored


def parse_query(query, vocab: Vocabulary, default_lang: str = DEFAULT_LANG, *, view_only: bool = False) -> ParsedQuery:
    """A view state from a URL query (a string or a mapping); bad values fall back to defaults and are
    listed in `invalid`. Anything that is not a string counts as an empty query.

    With view_only (a tour step), presenter mode and the tour are not read: a step holds no tour of its own.
    """
    browser_lang = default_lang if isinstance(default_lang, str) and default_lang in LANGS else DEFAULT_LANG
    values: dict = {"lang": browser_lang, "browser_lang": browser_lang}
    if isinstance(query, str) and len(query) > MAX_TOTAL_LENGTH:
        return ParsedQuery(ViewState(**values), {"query": Reason(N_("longer than %(n)s characters"), n=MAX_TOTAL_LENGTH)})
    try:
        params = _flatten(parse_qs(query.lstrip("?"), max_num_fields=MAX_FIELDS) if isinstance(query, str)
                          else query if isinstance(query, Mapping) else {})
    except ValueError:
        return ParsedQuery(ViewState(**values), {"query": Reason(N_("more than %(n)s parameters"), n=MAX_FIELDS)})
    invalid: dict[str, Reason] = {}
    for param in PARAMS:
        raw = params.get(param.key)
        if raw is None or (view_only and not param.view):
            continue
        value, reason = param.parse(raw, vocab, values) if _is_text(raw) else (None, Reason(N_("not valid text")))
        if value is not None:
            values[param.name] = value
        if reason is not None:
            invalid[param.key] = reason
    state = ViewState(**values)
    if state.step is not None and not set(params) & VIEW_PARAMS - {"lang"}:
        state = tour_step(state, state.step, vocab)  # a link to a step that names no view opens the step's view
    return ParsedQuery(state, invalid)


def tour_entry(state: ViewState) -> str:
    """How a tour remembers a view: its query, without language, presenter mode or tour.

    '|' separates the steps, so a step escapes its own; the world view is named, not left empty.
    """
    query = to_query(state.but(lang=DEFAULT_LANG, browser_lang=DEFAULT_LANG), view_only=True)
    return query.replace("|", "%7C") or "region=world"


def tour_step(state: ViewState, step: int, vocab: Vocabulary) -> ViewState:
    """The view of a tour step, keeping the tour, the presenter mode and the language. The step after the
    last (`len(tour)`) is the end of the tour, which keeps the last step's view."""
    step = max(0, min(step, len(state.tour)))
    view = parse_query(state.tour[min(step, len(state.tour) - 1)], vocab, default_lang=state.lang).state
    return view.but(tour=state.tour, step=step, present=state.present, browser_lang=state.browser_lang)


def tour_over(state: ViewState) -> bool:
    """The tour has been walked to its end: → on its last step."""
    return bool(state.tour) and state.step == len(state.tour)


def to_query(state: ViewState, *, view_only: bool = False) -> str:
    """The URL query of a state, without the values of the default state; '' for the default view.

    English is left out only for a browser that asks for English: any other browser would
    otherwise turn the page back to its own language on reload.
    With view_only, presenter mode and the tour are left out: what an audience should open.
    """
    try:
        return _query_of(state, state.browser_lang, view_only)  # states compare without browser_lang
    except TypeError:  # a state holding an unhashable value is not cached
        return _query_of.__wrapped__(state, state.browser_lang, view_only)


@lru_cache(maxsize=1024)
def _query_of(state: ViewState, _browser_lang: str, view_only: bool) -> str:
    """to_query's work: a request asks for the queries of the same few states a dozen times."""
    default = ViewState(browser_lang=state.browser_lang)
    params = []
    for param in PARAMS:
        if view_only and not param.view:
            continue
        value = getattr(state, param.name)
        if param.name == "lang":
            needed = value != DEFAULT_LANG or state.browser_lang != DEFAULT_LANG
        else:
            needed = value != getattr(default, param.name)
        if param.name == "step" and needed and not [k for k, _ in params if k in VIEW_PARAMS - {"lang"}]:
            params.append(("region", "world"))  # else the link would open the step's own view
        if needed:
            params.append((param.key, param.format(value)))
    return urlencode(params, quote_via=quote, safe=",|")


def href(state: ViewState, *, view_only: bool = False) -> str:
    """A relative link to a state."""
    query = to_query(state, view_only=view_only)
    return f"?{query}" if query else "/"


def reset(state: ViewState) -> ViewState:
    """"Reset all": every filter and the selection back to the default; the language, presenter mode and tour stay."""
    return ViewState(**{p.name: getattr(state, p.name) for p in PARAMS if p.keep_on_reset},
                     browser_lang=state.browser_lang)


def control_values(state: ViewState) -> dict:
    """What each page control shows for a state, by control id."""
    return {p.control: p.shown(getattr(state, p.name)) for p in PARAMS if p.control}


def set_control(state: ViewState, name, value, vocab: Vocabulary) -> ViewState:
    """A control's new value (by parameter name), read as its URL parameter would be; a bad value changes nothing."""
    param = BY_NAME.get(name) if isinstance(name, str) else None
    if param is None or param.control is None:
        return state
    if param.multi:
        if not isinstance(value, list) or len(value) > MAX_LIST or not all(isinstance(v, str) for v in value):
            return state
        value = ",".join(value)
    elif not isinstance(value, str):
        return state
    if value in ("", param.shown(param.default)):  # an emptied box, or the choice that stands for the default
        return state.but(**{param.name: param.default})
    parsed = parse_query({param.key: value}, vocab)
    return state if param.key in parsed.invalid else state.but(**{param.name: getattr(parsed.state, param.name)})


def _flatten(params: Mapping) -> dict[str, str]:
    flat = {}
    for key, value in params.items():
        if isinstance(value, (list, tuple)):
            value = value[0] if value else ""
        if isinstance(key, str) and isinstance(value, str):
            flat[key] = value
    return flat


def _is_text(value: str) -> bool:
    """Text that can go into a URL: no lone surrogate (which has no UTF-8 form)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
