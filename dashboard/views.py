"""Dash components of the page; every function builds from a view state and the dataset, nothing else."""
from __future__ import annotations

from babel.lists import format_list
from dash import dcc, html
import dash_bootstrap_components as dbc

from . import analysis, presenter, queries
from .actions import data_action
from .components import count_badge
from .data import Dataset
from .figures import REGION_LABELS, map_figure
from .i18n import N_, number, other_lang, translations
from .domain import ACTOR_LABELS, ACTORS
from .panel import side_panel
from .share import qr_data_uri, view_url
from .state import REGIONS, TABS, Reason, ViewState, Vocabulary, href, to_query

TAB_LABELS = {"map": N_("Map"), "matrix": N_("Matrix"), "compare": N_("Compare")}
# topojsonURL: plotly's geo subplot loads a base map from a CDN unless told to use our own copy.
MAP_CONFIG = {"displayModeBar": False, "scrollZoom": False, "doubleClick": False, "responsive": True,
              "topojsonURL": "/assets/topojson/"}


def page(dataset: Dataset, state: ViewState, invalid: dict[str, Reason], vocab: Vocabulary, base: str,
         seq: int = 0) -> html.Div:
    """The whole first screen for a state: the one place where a URL becomes a page.

    `seq` numbers the last user action the state holds (see actions.py)."""
    _ = translations(state.lang).gettext
    parts = render(dataset, state, vocab, base) | {"figure": render_map(dataset, state)}
    return html.Div(className="atlas", lang=state.lang, children=[
        dcc.Store(id="view-state", data=state_to_store(state)),
        dcc.Store(id="applied", data=seq),
        html.A(_("Skip to the recommendations"), href="#side-panel", className="visually-hidden-focusable skip-link"),
        _header(state, parts),
        _invalid_notice(invalid, state.lang),
        html.Main(className="container-fluid", children=dbc.Row(className="g-3", children=[
            dbc.Col(_filters(dataset, state, parts), lg=3, xl=2, className="filters-col"),
            dbc.Col(_map_column(state, parts), lg=5, xl=6, className="map-col"),
            dbc.Col(html.Div(id="side-panel-wrap", children=parts["panel"]), lg=4, className="panel-col"),
        ])),
        html.Aside(id="share-box", className="share-box", children=parts["share"],
                   **{"aria-label": _("Share this view")}),
        presenter.key_legend(state.lang),
        html.Footer(className="container-fluid small text-body-secondary py-2", children=_(
            "Boundaries: Natural Earth (public domain). Recommendations: partner reports, in English and French.")),
    ])


def render_map(dataset: Dataset, state: ViewState) -> dict:
    counts = queries.territory_counts(dataset.recommendations, state)
    return map_figure(dataset, counts, state.lang, state.territory, state.region)


def render(dataset: Dataset, state: ViewState, vocab: Vocabulary, base: str) -> dict:
    """Everything but the map that follows the state: panel, list, filter options, links and sharing."""
    recs = dataset.recommendations
    lang = state.lang
    counts = queries.territory_counts(recs, state)
    url = view_url(state, base)
    qr = qr_data_uri(url)
    return {
        "panel": side_panel(dataset, state, url, qr),
        "share": presenter.share_box(state, url, qr),
        "tour": presenter.tour_box(dataset, state, vocab),
        "analysis": _analysis(dataset, state),
        "map_class": "map-section" + ("" if state.tab == "map" else " d-none"),
        "present_toggle": presenter.present_toggle(state).children,
        "table": _territory_table(dataset, counts, lang),
        "list": territory_list(dataset, state, counts),
        "actor_options": _actor_options(queries.actor_counts(recs, state), lang),
        "theme_options": _theme_options(dataset, queries.theme_counts(recs, state, dataset.themes), lang),
        "report_options": _report_options(dataset, queries.report_counts(recs, state, dataset.reports), lang),
        "lang_href": href(state.but(lang=other_lang(lang))),
        "reset_href": href(ViewState(lang=lang, present=state.present, tour=state.tour, browser_lang=state.browser_lang)),
        "download_href": "/download/recommendations.csv" + (f"?{to_query(state)}" if to_query(state) else ""),
    }


def control_values(state: ViewState) -> dict:
    """What each filter control shows for a state, by the name the app's callback gives it."""
    return {"actors": list(state.actors), "themes": list(state.themes),
            "report": "all" if state.report is None else str(state.report), "q": state.q,
            "region": state.region, "tab": state.tab}


def page_title(dataset: Dataset, state: ViewState) -> str:
    """The browser tab's title: what a bookmark or a shared tab is called."""
    title = translations(state.lang).gettext("Atlas of recommendations")
    return f"{dataset.territories[state.territory].name(state.lang)} · {title}" if state.territory else title


def state_to_store(state: ViewState) -> dict:
    return {"lang": state.lang, "territory": state.territory, "actors": list(state.actors),
            "themes": list(state.themes), "report": state.report, "q": state.q, "region": state.region,
            "tab": state.tab, "compare": list(state.compare), "present": state.present,
            "tour": list(state.tour), "step": state.step, "browser_lang": state.browser_lang}


def state_from_store(data) -> ViewState | None:
    """The state a page holds; None for a store that a client has mangled."""
    try:
        return ViewState(lang=data["lang"], territory=data["territory"], actors=tuple(data["actors"]),
                         themes=tuple(data["themes"]), report=data["report"], q=data["q"], region=data["region"],
                         tab=data["tab"], compare=tuple(data["compare"]), present=data["present"],
                         tour=tuple(data["tour"]), step=data["step"], browser_lang=data["browser_lang"])
    except (KeyError, TypeError):
        return None


def _analysis(dataset: Dataset, state: ViewState):
    if state.tab == "matrix":
        return analysis.matrix(dataset, state)
    if state.tab == "compare":
        return analysis.comparison(dataset, state)
    return None


def _territory_table(dataset: Dataset, counts: dict[str, int], lang: str) -> html.Table:
    """The map's information as a table, for screen readers."""
    _ = translations(lang).gettext
    codes = sorted((c for c, n in counts.items() if n), key=lambda c: dataset.territories[c].name(lang))
    return html.Table(className="visually-hidden", children=[
        html.Caption(_("Recommendations per territory under the current filters")),
        html.Thead(html.Tr([html.Th(_("Territory"), scope="col"), html.Th(_("Recommendations"), scope="col")])),
        html.Tbody([html.Tr([html.Th(dataset.territories[c].name(lang), scope="row"), html.Td(number(counts[c], lang))])
                    for c in codes]),
    ])


def _header(state: ViewState, parts: dict) -> html.Header:
    _ = translations(state.lang).gettext
    return html.Header(className="atlas-header container-fluid", children=[
        html.Div(className="d-flex flex-wrap align-items-center gap-2 py-2", children=[
            html.Div(className="me-auto", children=[
                html.H1(_("Atlas of recommendations"), className="h3 mb-0"),
                html.P(_("Against human trafficking and sexual exploitation"), className="mb-0 text-body-secondary"),
            ]),
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


def _filters(dataset: Dataset, state: ViewState, parts: dict) -> html.Aside:
    _ = translations(state.lang).gettext
    shown = control_values(state)
    return html.Aside(className="filters", **{"aria-label": _("Filters")}, children=[
        html.H2(_("Filters"), className="h5"),
        dbc.Label(_("Search both languages"), html_for="search", className="fw-semibold"),
        dbc.Input(id="search", type="search", value=shown["q"], debounce=True, className="mb-3",
                  placeholder=_("e.g. prévention"), maxLength=200),
        html.Fieldset(className="mb-3", children=[
            html.Legend(_("Who must act"), className="fs-6 fw-semibold"),
            dbc.Checklist(id="actor-filter", options=parts["actor_options"], value=shown["actors"]),
        ]),
        html.Fieldset(className="mb-3", children=[
            html.Legend(_("Theme"), className="fs-6 fw-semibold"),
            dbc.Checklist(id="theme-filter", options=parts["theme_options"], value=shown["themes"],
                          className="theme-filter"),
        ]),
        html.Fieldset(className="mb-3", children=[
            html.Legend(_("Report"), className="fs-6 fw-semibold"),
            dbc.RadioItems(id="report-filter", name="report-filter", options=parts["report_options"],
                           value=shown["report"]),
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
    shown = control_values(state)
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
        html.Div(className="map-frame", role="img", **{"aria-label": _("World map of recommendations; use the territory list below to select with a keyboard.")}, children=dcc.Graph(
            id="map", figure=parts["figure"], config=MAP_CONFIG, className="atlas-map",
            style={"height": "max(340px, 60vh)"},
        )),
        html.Div(id="territory-table", children=parts["table"]),
        ]),
        html.Div(id="analysis-wrap", children=parts["analysis"]),
        html.H2(_("Territories"), className="h6 mt-2", id="territory-list-title"),
        html.Nav(id="territory-list", **{"aria-labelledby": "territory-list-title"}, children=parts["list"]),
        html.Section(id="tour-box", className="tour-box mt-3", children=parts["tour"]),
    ])


def _actor_options(counts: dict[str, int], lang: str) -> list[dict]:
    _ = translations(lang).gettext
    return [{"label": _with_count(_(ACTOR_LABELS[a]), counts[a], lang), "value": a} for a in ACTORS]


def _theme_options(dataset: Dataset, counts: dict[str, int], lang: str) -> list[dict]:
    return [{"label": _with_count(theme.label(lang), counts[tid], lang, title=theme.definition(lang)), "value": tid}
            for tid, theme in dataset.themes.items()]


def _report_options(dataset: Dataset, counts: dict[int, int], lang: str) -> list[dict]:
    _ = translations(lang).gettext
    options = [{"label": _("All reports"), "value": "all"}]
    for report in dataset.reports:
        names = format_list([dataset.territories[c].name(lang) for c in dataset.partners[report]], locale=lang)
        label = _("Report %(n)s: %(partners)s") % {"n": report, "partners": names}
        options.append({"label": _with_count(label, counts[report], lang), "value": str(report)})
    return options


def _with_count(label: str, count: int, lang: str, title: str | None = None) -> html.Span:
    return html.Span(title=title, children=[label, " ", count_badge(count, lang)])


def territory_list(dataset: Dataset, state: ViewState, counts: dict[str, int]) -> html.Ul:
    """Buttons that do what a map click does, for keyboards and screen readers."""
    lang = state.lang
    tr = translations(lang)
    items = []
    for code in queries.listed_territories(dataset, state, counts):
        n = counts.get(code, 0)
        selected = code == state.territory
        items.append(html.Li(html.Button(
            id={"type": "territory-item", "code": code},
            className="btn btn-sm territory-item " + ("btn-primary" if selected else "btn-outline-primary"),
            **{"aria-pressed": "true" if selected else "false", "data-code": code}, **data_action("territory", code=code),
            title=tr.ngettext("%(n)s recommendation", "%(n)s recommendations", n) % {"n": number(n, lang)},
            children=[dataset.territories[code].name(lang), " ", count_badge(n, lang)],
        )))
    if not items:
        return html.P(tr.gettext("No territory matches these filters."), className="text-body-secondary")
    return html.Ul(items, className="list-unstyled d-flex flex-wrap gap-2 mb-0")
