"""Dash components of the page; every function builds from a view state and the dataset, nothing else."""
from __future__ import annotations

import json
from collections import OrderedDict
from operator import attrgetter
from threading import Lock

from dash import dcc, html
import dash_bootstrap_components as dbc

from . import analysis, follow, islands, lists, presenter, queries, share as share_module
from .actions import data_action
from .data import Dataset
from .figures import REGION_LABELS
from .i18n import N_, number, other_lang, translations
from .brief import brief
from .mapframe import map_frame, render_map
from .markup import Markup, to_html
from .panel import card_limit, side_panel, theme_definitions
from .share import qr_data_uri, view_url
from .state import CONTROLS, FILTERS, MAX_QUERY_LENGTH, REGIONS, TABS, Reason, ViewState, Vocabulary, control_values, href, reset, to_query

TAB_LABELS = {"map": N_("Map"), "matrix": N_("Matrix"), "compare": N_("Compare")}


def page(dataset: Dataset, state: ViewState, invalid: dict[str, Reason], vocab: Vocabulary, base: str,
         seq: int = 0) -> html.Div:
    """The whole first screen for a state: the one place where a URL becomes a page.

    `seq` numbers the last user action the state holds (see actions.py). The page stores its view as
    its URL query, which the server reads back as it reads a link; `data-controls` tells the browser
    which control sets which parameter (assets/atlas/actions.js)."""
    _ = translations(state.lang).gettext
    # one summary for the whole page; with a territory it holds every match, which the brief lists
    facts = queries.summary(dataset, state, limit=len(dataset.recommendations) if state.territory else card_limit(state))
    parts = render(dataset, state, vocab, base, facts=facts) | {"figure": render_map(dataset, state, facts)}
    # a link opened at a territory prints at once; after an action the brief is built when printing
    drawn = islands.stores(parts | {"brief": render_brief(dataset, state, base, facts)})
    return html.Div(className="atlas", lang=state.lang, **{"data-controls": json.dumps(CONTROLS)}, children=[
        *drawn,  # first: the static page (app.py, markup.py) reads it to fill the islands below
        dcc.Store(id="view-state", data=to_query(state)),
        dcc.Store(id="applied", data=seq),
        dcc.Store(id="print-request"),
        _header(state, parts),
        _invalid_notice(invalid, state.lang),
        follow.follow_bar(state.lang),
        theme_definitions(dataset, state.lang),  # what the cards' theme buttons do, said once
        html.Main(className="container-fluid", children=dbc.Row(className="g-3", children=[
            dbc.Col(_filters(dataset, state, parts), lg=3, xl=2, className="filters-col"),
            dbc.Col(_map_column(state, parts), lg=5, xl=6, className="map-col"),
            # below 768 px the sheet starts folded to its summary, so the map fills the first screen
            dbc.Col(_panel_column(state, parts), lg=4, className="panel-col sheet-collapsed"),
        ])),
        html.Div(id="brief-wrap"),
        html.Aside(id="share-box", className="share-box", **{"aria-label": _("Share this view")}),
        html.Footer(className="container-fluid small text-body-secondary py-2", children=_(
            "Boundaries: Natural Earth (public domain). Recommendations: partner reports, in English and French.")),
    ])


def map_query(state: ViewState) -> str:
    """The query of what the map shows: the map is drawn again only when it changes."""
    return to_query(ViewState(**{name: getattr(state, name) for name in _MAP_INPUTS}, browser_lang=state.browser_lang))


def render_brief(dataset: Dataset, state: ViewState, base: str, facts: queries.Summary | None = None):
    """The one-page brief of the selected territory (shown only by the print stylesheet); None without one.
    It lists every match, so a summary that holds fewer is made again without a limit."""
    if not state.territory:
        return None
    if facts is None or facts.shown < facts.total:
        facts = queries.summary(dataset, state, limit=len(dataset.recommendations))
    url = view_url(state, base)
    return brief(dataset, state, facts, url, qr_data_uri(url))


_FILTERS = FILTERS
_MAP_INPUTS = _FILTERS + ("lang", "region", "present")  # presenter mode enlarges the colour bar


def _fields(*names):
    """A state's values of `names`, as one tuple (attrgetter reads them in C: a request reads two dozen)."""
    read = attrgetter(*names)
    return read if len(names) > 1 else lambda state: (read(state),)


# What each part of the page depends on, as a key of the state: a part whose key is unchanged is not sent
# again. None: the part is a short string, compared itself. A new language redraws the whole page.
_DEPENDS = {
    "panel": _fields(*_FILTERS, "more"),
    "share": lambda state: (to_query(state, view_only=True), state.present),  # presenter mode adds the room
    "tour": lambda state: to_query(state.but(more=0)),
    "analysis": lambda state: ("map",) if state.tab == "map" else _fields("tab", "compare", *_FILTERS)(state),
    "map_class": _fields("tab"), "present_toggle": _fields("present"), "present_pressed": _fields("present"),
    "table": _fields("actors", "themes", "report", "q"),  # counts per territory: the selection does not change them
    "list": _fields(*_FILTERS),
    "counts": _fields(*_FILTERS),
    "filter_count": _fields(*(name for name in FILTERS if name != "territory")), "sheet_summary": _fields(*_FILTERS),
    "tour_position": _fields("tour", "step", "present"),
    "lang_href": None, "reset_href": None, "download_href": None,
    "brief": lambda state: to_query(state, view_only=True),
}


def _builders(dataset: Dataset, state: ViewState, vocab: Vocabulary, base: str,
              facts: queries.Summary | None = None) -> dict:
    """How to build each part; the summary is made on first need, once, so that the parts compared as
    strings (links) cost no filtering."""
    lang, made = state.lang, [facts]

    def summary() -> queries.Summary:
        if made[0] is None:
            made[0] = queries.summary(dataset, state, limit=card_limit(state))
        return made[0]

    def share():
        url, short = follow.share_urls(state, view_url(state, base), base)
        # by what it shows: the links (the room's, in presenter mode) and, under a link only this machine
        # opens, the machine's addresses
        shown = (url, short, to_query(state), share_module.is_loopback(url) and share_module.offered_bases(url),
                 share_module.listens_everywhere())
        return _kept(("share", shown, lang), lambda: presenter.share_box(state, url, qr_data_uri(url), short))

    def kept(name: str, make, html: bool = True):
        """A part made once for what it depends on (its key in _DEPENDS) and the languages (see _kept)."""
        return lambda: _kept((name, dataset, _DEPENDS[name](state), lang, state.browser_lang), make, html)

    return {
        "panel": kept("panel", lambda: side_panel(dataset, state, summary())),
        "share": share,
        "tour": kept("tour", lambda: presenter.tour_box(dataset, state, vocab)),
        "tour_position": kept("tour_position", lambda: presenter.tour_position(state)),
        "analysis": kept("analysis", lambda: _analysis(dataset, state, summary)),
        "map_class": lambda: "map-section" + ("" if state.tab == "map" else " d-none"),
        "present_toggle": lambda: presenter.present_toggle(state).children,
        "present_pressed": lambda: "true" if state.present else "false",
        "table": kept("table", lambda: lists.territory_table(dataset, summary().territory_counts, lang)),
        "list": kept("list", lambda: lists.territory_list(dataset, state, summary().territory_counts)),
        "counts": kept("counts", lambda: lists.counts(summary(), lang), html=False),
        "filter_count": kept("filter_count", lambda: _filter_count(state)),
        "sheet_summary": kept("sheet_summary", lambda: _sheet_summary(dataset, state, summary().total)),
        "lang_href": lambda: href(state.but(lang=other_lang(lang))),
        "reset_href": lambda: href(reset(state)),
        "download_href": lambda: _download_href(state),
        "brief": lambda: None,  # out of date: built again when printing (render_brief)
    }


# Parts kept as the HTML of their island (islands.py), by everything they depend on: many people in a room
# ask for the same few views, and building a panel's components is most of a request's time.
_KEPT: OrderedDict = OrderedDict()
_KEPT_MAX = 1024
_KEPT_LOCK = Lock()


def _kept(key: tuple, make, html: bool = True):
    """The part for `key`, made (as HTML, or as it is) on first need and kept among the last _KEPT_MAX."""
    with _KEPT_LOCK:
        found = _KEPT.get(key)
        if found is not None:
            _KEPT.move_to_end(key)
            return found
    made = Markup(to_html(make())) if html else make()
    with _KEPT_LOCK:
        _KEPT[key] = made
        while len(_KEPT) > _KEPT_MAX:
            _KEPT.popitem(last=False)
    return made


def render(dataset: Dataset, state: ViewState, vocab: Vocabulary, base: str, since: ViewState | None = None,
           facts: queries.Summary | None = None) -> dict:
    """Everything but the map that follows the state: panel, list, the filters' counts, links and sharing
    (the parts drawn as islands as their HTML, islands.py). With `since` (the view the page shows), only
    the parts that differ from its own.
    Every part that counts or lists reads one summary of the state (`facts`, or one made here), so a
    request filters once; `facts.limit` must reach `card_limit(state)`."""
    build = _builders(dataset, state, vocab, base, facts)
    if since is None:
        return {name: make() for name, make in build.items() if name != "brief"}
    old = _builders(dataset, since, vocab, base)
    parts = {}
    for name, key in _DEPENDS.items():
        if key is None:
            part = build[name]()
            if part != old[name]():
                parts[name] = part
        elif key(state) != key(since):
            parts[name] = build[name]()
    return parts


def page_title(dataset: Dataset, state: ViewState) -> str:
    """The browser tab's title: what a bookmark or a shared tab is called."""
    title = translations(state.lang).gettext("Atlas of recommendations")
    return f"{dataset.territories[state.territory].name(state.lang)} · {title}" if state.territory else title


def _download_href(state: ViewState) -> str:
    """The CSV of the view: every match, however many cards the panel shows."""
    query = to_query(state.but(more=0))
    return "/download/recommendations.csv" + (f"?{query}" if query else "")


def _analysis(dataset: Dataset, state: ViewState, summary):
    if state.tab == "matrix":
        return analysis.matrix(dataset, state, summary().matrix)
    if state.tab == "compare":
        return analysis.comparison(dataset, state)
    return None


def _header(state: ViewState, parts: dict) -> html.Header:
    _ = translations(state.lang).gettext
    return html.Header(className="atlas-header container-fluid", children=[
        # first to take the focus, and inside a landmark as everything else on the page
        html.A(_("Skip to the recommendations"), href="#side-panel", className="visually-hidden-focusable skip-link"),
        html.Div(className="d-flex flex-wrap align-items-center gap-2 py-2", children=[
            html.Div(className="me-auto", children=[
                html.H1(_("Atlas of recommendations"), className="h3 mb-0"),
                html.P(_("Against human trafficking and sexual exploitation"), className="mb-0 text-body-secondary atlas-subtitle"),
            ]),
            # below 768 px the filters are a drawer (assets/atlas/phone.js) that this button opens
            html.Button([html.I(className="bi bi-funnel me-1", **{"aria-hidden": "true"}), _("Filters"), " ",
                         html.Span(id="filters-count", className="badge rounded-pill text-bg-primary")],
                        id="filters-toggle", type="button", className="btn btn-outline-primary filters-toggle",
                        **{"aria-controls": "filters-drawer", "aria-expanded": "false"}),
            presenter.present_toggle(state),
            html.A([html.I(className="bi bi-translate me-1", **{"aria-hidden": "true"}),
                    html.Span("Français" if state.lang == "en" else "English", lang=other_lang(state.lang))],
                   id="lang", href=parts["lang_href"], className="btn btn-outline-primary",
                   title=_("Switch language"), **data_action("lang")),
        ]),
    ])


def _invalid_notice(invalid: dict[str, Reason], lang: str):
    if not invalid:
        return None
    _ = translations(lang).gettext
    details = "; ".join(f"{name}: {why.translated(_) if isinstance(why, Reason) else why}"
                        for name, why in sorted(invalid.items()))
    return dbc.Alert(id="invalid-params", color="warning", dismissable=True, className="mx-3 py-2", children=[
        _("Some link parameters were not understood and were ignored:"), " ", html.Code(details)])


def _filter_count(state: ViewState) -> list:
    """How many filters are on (each actor, theme, report and search counts one), for the drawer's button;
    nothing with none on (an empty badge is not shown)."""
    n = _filters_on(state)
    if not n:
        return []
    label = translations(state.lang).ngettext("%(n)s filter on", "%(n)s filters on", n) % {"n": number(n, state.lang)}
    return [html.Span(number(n, state.lang), **{"aria-hidden": "true"}), html.Span(label, className="visually-hidden")]


def _filters_on(state: ViewState) -> int:
    return len(state.actors) + len(state.themes) + (state.report is not None) + bool(state.q)


def _sheet_summary(dataset: Dataset, state: ViewState, n: int) -> list:
    """What the collapsed bottom sheet shows: the territory (or the overview) and its count, `n`; with
    nothing to show, that nothing matches and how many filters are on (the way out is in the sheet)."""
    tr = translations(state.lang)
    name = dataset.territories[state.territory].name(state.lang) if state.territory else tr.gettext("Overview")
    count = tr.ngettext("%(n)s recommendation", "%(n)s recommendations", n) % {"n": number(n, state.lang)}
    on = _filters_on(state)
    if not n:
        count = " · ".join([tr.gettext("No match")] + ([tr.ngettext(
            "%(n)s filter on", "%(n)s filters on", on) % {"n": number(on, state.lang)}] if on else []))
    return [html.Strong(name, className="sheet-name"), " ", html.Span(count, className="sheet-count")]


def _panel_column(state: ViewState, parts: dict) -> list:
    """The side panel; below 768 px a bottom sheet whose handle, a button, folds it down to its summary."""
    _ = translations(state.lang).gettext
    return [
        html.Button(id="sheet-toggle", type="button", className="sheet-toggle",
                    title=_("Show or hide the recommendations"),
                    **{"aria-expanded": "false", "aria-controls": "side-panel-wrap"}, children=[
                        html.Span(className="sheet-handle", **{"aria-hidden": "true"}),
                        html.Span(id="sheet-summary", className="sheet-summary"),
                        html.I(className="bi bi-chevron-down sheet-chevron", **{"aria-hidden": "true"}),
                    ]),
        html.Div(id="tour-position-wrap", className="tour-position-wrap", **{"aria-live": "polite"}),
        html.Div(id="side-panel-wrap"),
    ]


def _filters(dataset: Dataset, state: ViewState, parts: dict) -> html.Div:
    """The filters: a column on tablets and desktops, an off-canvas drawer below 768 px (Bootstrap's
    offcanvas-md, opened by #filters-toggle through assets/atlas/phone.js)."""
    _ = translations(state.lang).gettext
    return html.Div(id="filters-drawer", className="offcanvas-md offcanvas-start filters-drawer", tabIndex="-1", children=[
        html.Div(className="offcanvas-header", children=[
            html.H2(_("Filters"), className="h5 mb-0", id="filters-drawer-title"),
            html.Button(id="filters-close", type="button", className="btn-close", **{"aria-label": _("Close")}),
        ]),
        html.Div(className="offcanvas-body", children=_filter_controls(dataset, state, parts)),
    ])


def _filter_controls(dataset: Dataset, state: ViewState, parts: dict) -> html.Aside:
    _ = translations(state.lang).gettext
    shown = control_values(state)  # by control id
    return html.Aside(className="filters", **{"aria-labelledby": "filters-title"}, children=[
        html.H2(_("Filters"), className="h5 filters-title", id="filters-title"),
        dbc.Label(_("Search both languages"), html_for="search", className="fw-semibold"),
        dbc.Input(id="search", type="search", value=shown["search"], debounce=True, className="mb-3",
                  placeholder=_("e.g. prévention"), maxLength=MAX_QUERY_LENGTH),
        html.Fieldset(className="mb-3", children=[
            html.Legend(_("Who must act"), className="fs-6 fw-semibold"),
            dbc.Checklist(id="actor-filter", options=lists.actor_options(state.lang), value=shown["actor-filter"]),
        ]),
        html.Fieldset(className="mb-3", children=[
            html.Legend(_("Theme"), className="fs-6 fw-semibold"),
            dbc.Checklist(id="theme-filter", options=lists.theme_options(dataset, state.lang), value=shown["theme-filter"],
                          className="theme-filter"),
            lists.theme_note(state.lang),
        ]),
        html.Fieldset(className="mb-3", children=[
            html.Legend(_("Report"), className="fs-6 fw-semibold"),
            dbc.RadioItems(id="report-filter", name="report-filter", options=lists.report_options(dataset, state.lang),
                           value=shown["report-filter"]),
        ]),
        html.P(_("With no box ticked, every actor and every theme is included."), className="small text-body-secondary"),
        html.Div(className="d-flex flex-wrap gap-2", children=[
            html.A([html.I(className="bi bi-arrow-counterclockwise me-1", **{"aria-hidden": "true"}), _("Reset all")],
                   id="reset", href=parts["reset_href"], className="btn btn-outline-secondary", **data_action("reset")),
            html.A([html.I(className="bi bi-download me-1", **{"aria-hidden": "true"}), _("Download this view (CSV)")],
                   id="download-view", href=parts["download_href"], download="atlas-recommendations.csv",
                   className="btn btn-outline-primary"),
            html.A([html.I(className="bi bi-database-down me-1", **{"aria-hidden": "true"}), _("Download the whole dataset (CSV)")],
                   id="download-all", href="/download/recommendations.csv", download="atlas-all-recommendations.csv",
                   className="btn btn-link px-0"),
        ]),
    ])


def _map_column(state: ViewState, parts: dict) -> html.Div:
    _ = translations(state.lang).gettext
    shown = control_values(state)  # by control id
    return html.Div(children=[
        html.Fieldset(className="view-tabs-group", children=[
            html.Legend(_("View"), className="visually-hidden"),
            dbc.RadioItems(
                id="tab", name="tab", value=shown["tab"], inline=True, className="btn-group view-tabs mb-2",
                inputClassName="btn-check", labelClassName="btn btn-outline-primary btn-sm",
                labelCheckedClassName="active",
                options=[{"label": _(TAB_LABELS[t]), "value": t} for t in TABS],
            ),
        ]),
        html.Div(id="map-section", className=parts["map_class"], children=[
        html.Div(className="d-flex flex-wrap align-items-center gap-2 mb-2", children=[
            html.Fieldset(className="region-presets-group", children=[
                html.Legend(_("Map region"), className="visually-hidden"),
                dbc.RadioItems(
                    id="region", name="region", value=shown["region"], inline=True, className="btn-group region-presets",
                    inputClassName="btn-check", labelClassName="btn btn-outline-secondary btn-sm",
                    labelCheckedClassName="active",
                    options=[{"label": _(REGION_LABELS[r]), "value": r} for r in REGIONS],
                ),
            ]),
            html.Button([html.I(className="bi bi-arrows-fullscreen me-1", **{"aria-hidden": "true"}), _("Reset map")],
                        id="map-reset", className="btn btn-sm btn-outline-secondary", **data_action("map-reset")),
            html.Button([html.I(className="bi bi-image me-1", **{"aria-hidden": "true"}), _("Map as PNG")],
                        id="export-png", className="btn btn-sm btn-outline-secondary", n_clicks=0,
                        title=_("Download the map as a 1920 × 1080 picture")),
        ]),
        map_frame(state, parts["figure"], map_query(state)),
        html.Div(id="territory-table"),
        ]),
        html.Div(id="analysis-wrap"),
        html.H2(_("Territories"), className="h6 mt-2", id="territory-list-title"),
        html.Nav(id="territory-list", **{"aria-labelledby": "territory-list-title"}),
        html.Section(id="tour-box", className="tour-box mt-3"),
        presenter.key_legend(state.lang),  # on a projector, in the band under the map (atlas.css)
    ])
