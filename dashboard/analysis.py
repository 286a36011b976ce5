"""The theme × territory matrix and the side-by-side comparison of two territories."""
from __future__ import annotations

from dash import html

from . import queries
from .actions import data_action, pick_action
from .colours import contrast_ratio
from .components import rec_name
from .data import Dataset
from .figures import COLORSCALE
from .i18n import number, translations
from .state import ViewState


def _cell_colours(count: int, top: int) -> tuple[str, str]:
    """Background from the map's scale (0 stays white) and a text colour that keeps 4.5:1 contrast."""
    if count == 0:
        return "#ffffff", "#595959"
    steps = [colour for _, colour in COLORSCALE]
    index = min(len(steps) - 1, round(count / max(top, 1) * (len(steps) - 1)))
    background = steps[index]
    # black or white, whichever reads better: white fails 4.5:1 on the middle steps of the scale
    text = max(("#000000", "#ffffff"), key=lambda colour: contrast_ratio(background, colour))
    return background, text


def matrix(dataset: Dataset, state: ViewState, counts=None) -> html.Div:
    """A table of counts; each non-empty cell selects exactly its recommendations. `counts` by (theme,
    territory), as a summary on the matrix tab holds them, saves counting again."""
    lang = state.lang
    _ = translations(lang).gettext
    codes = sorted(dataset.mapped_codes, key=lambda c: dataset.territories[c].name(lang))  # as the territory list
    if counts is None:
        counts = queries.matrix_counts(dataset.recommendations, state, dataset.themes, codes)
    top = max(counts.values(), default=0)
    header = html.Tr([html.Th(_("Theme"), scope="col")] +
                     [html.Th(dataset.territories[c].name(lang), scope="col") for c in codes])
    rows = []
    for tid, theme in dataset.themes.items():
        cells = [html.Th(theme.label(lang), scope="row")]
        for code in codes:
            n = counts[(tid, code)]
            background, colour = _cell_colours(n, top)
            selected = state.territory == code and state.themes == (tid,)
            label = _("%(theme)s in %(territory)s: %(count)s") % {
                "theme": theme.label(lang), "territory": dataset.territories[code].name(lang), "count": number(n, lang)}
            content = html.Button(number(n, lang), id=f"cell-{tid}-{code}", **data_action("cell", theme=tid, code=code),
                                  className="matrix-cell" + (" selected" if selected else ""), title=label,
                                  **{"aria-label": label, "aria-pressed": "true" if selected else "false"},
                                  style={"background": background, "color": colour}) if n else html.Span("0", className="matrix-zero")
            cells.append(html.Td(content, style={"background": background} if n else None))
        rows.append(html.Tr(cells))
    return html.Div(id="matrix", className="matrix-wrap", children=[
        html.P(_("Recommendations per theme and territory, under the actor, report and search filters. "
                 "Choose a cell to read exactly those recommendations."), className="small text-body-secondary"),
        html.Div(className="table-responsive", children=html.Table(className="table table-sm matrix-table", children=[
            html.Caption(_("Theme by territory matrix"), className="visually-hidden"),
            html.Thead(header), html.Tbody(rows)])),
    ])


def compare_pair(dataset: Dataset, state: ViewState) -> tuple[str, str]:
    """The two territories the comparison shows: the state's, else the first two with recommendations."""
    codes = list(dataset.mapped_codes)
    a, b = state.compare or (codes[0], codes[1])
    return a, b


def comparison(dataset: Dataset, state: ViewState) -> html.Div:
    lang = state.lang
    _ = translations(lang).gettext
    codes = list(dataset.mapped_codes)
    a, b = compare_pair(dataset, state)
    options = [{"label": dataset.territories[c].name(lang), "value": c} for c in sorted(codes, key=lambda c: dataset.territories[c].name(lang))]
    result = queries.compare(dataset.recommendations, dataset.similar, state, a, b, dataset.themes)
    name_a, name_b = dataset.territories[a].name(lang), dataset.territories[b].name(lang)

    def item(rec_id: str):
        rec = dataset.by_id[rec_id]
        return html.Li([html.Strong(f"{rec_name(rec, lang)} "), rec.text(lang)], **{"data-rec-id": rec_id})

    def by_theme(ids: tuple[str, ...]):
        groups = []
        for tid, theme in dataset.themes.items():
            members = [i for i in ids if tid in dataset.by_id[i].themes]
            if members:
                groups.append(html.Div([html.H4(theme.label(lang), className="h6 mt-2 mb-1"),
                                        html.Ul([item(i) for i in members], className="small")]))
        untagged = [i for i in ids if not dataset.by_id[i].themes]  # the data allows a recommendation with no theme
        if untagged:
            groups.append(html.Div([html.H4(_("No theme"), className="h6 mt-2 mb-1"),
                                    html.Ul([item(i) for i in untagged], className="small")]))
        return groups or [html.P(_("Nothing."), className="text-body-secondary")]

    def theme_names(ids):
        return ", ".join(dataset.themes[t].label(lang) for t in ids) or _("none")

    return html.Div(id="compare", className="compare-wrap", children=[
        html.Div(className="d-flex flex-wrap gap-2 align-items-end mb-2", children=[
            _select(_("Compare"), "a", options, a),
            _select(_("with"), "b", options, b),
        ]),
        html.P(className="small", children=[
            html.Strong(_("Themes only in %(name)s:") % {"name": name_a}), " ", theme_names(result.themes_only_a), html.Br(),
            html.Strong(_("Themes only in %(name)s:") % {"name": name_b}), " ", theme_names(result.themes_only_b),
        ]),
        html.Div(className="row g-3", children=[
            html.Section(className="col-md-6 compare-only-a", children=[
                html.H3(_("Only in %(name)s") % {"name": name_a} + f" ({number(len(result.only_a), lang)})", className="h6"),
                *by_theme(result.only_a)]),
            html.Section(className="col-md-6 compare-only-b", children=[
                html.H3(_("Only in %(name)s") % {"name": name_b} + f" ({number(len(result.only_b), lang)})", className="h6"),
                *by_theme(result.only_b)]),
        ]),
        html.Section(className="compare-alike mt-2", children=[
            html.H3(_("Asked by both in almost the same words") + f" ({number(len(result.alike), lang)})", className="h6"),
            html.Ul(className="small", children=[
                html.Li([html.Strong(f"{name_a}, {rec_name(dataset.by_id[i], lang)} ≈ "
                                     f"{name_b}, {rec_name(dataset.by_id[j], lang)}: "),
                         dataset.by_id[i].text(lang)],
                        **{"data-rec-id": i, "data-similar-id": j}) for i, j in result.alike]),
        ]),
        _common(result.common, lang, item),
    ])


def _common(ids: tuple[str, ...], lang: str, item) -> html.Section:
    """The recommendations addressed to both territories (a report's shared sections), in document order:
    listed like the others, since they are what both must act on."""
    tr = translations(lang)
    return html.Section(className="compare-common mt-2", children=[
        html.H3(tr.gettext("Addressed to both") + f" ({number(len(ids), lang)})", className="h6"),
        html.P(tr.ngettext("%(count)s recommendation is addressed to both (shared by its report).",
                           "%(count)s recommendations are addressed to both (shared by their report).",
                           len(ids)) % {"count": number(len(ids), lang)},
               className="small text-body-secondary mb-1"),
        html.Ul([item(i) for i in ids], className="small") if ids else None,
    ])


def _select(label: str, side: str, options: list[dict], value: str) -> html.Div:
    """A labelled native list of territories, `compare-a` or `compare-b`. The chosen territory rides in
    `data-value` (no `selected` on an option: React wants a controlled value instead) and
    assets/atlas/actions.js shows it; a change queues `data-pick` with the chosen code."""
    component_id = f"compare-{side}"
    return html.Div([html.Label(label, htmlFor=component_id, className="form-label small mb-0"),
                     html.Select([html.Option(o["label"], value=o["value"]) for o in options], id=component_id,
                                 className="form-select form-select-sm compare-select",
                                 **{"data-value": value, **pick_action("compare", side=side)})])
