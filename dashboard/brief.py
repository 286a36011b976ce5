"""A one-page printable brief of a territory (shown only by the print stylesheet)."""
from __future__ import annotations

from babel.lists import format_list
from dash import html

from .components import rec_label
from .data import Dataset
from .domain import ACTOR_LABELS, PANEL_ORDER
from .i18n import number, translations
from .queries import Summary


def _actor_group(dataset: Dataset, ids: tuple[str, ...], actor: str, lang: str) -> list:
    """A heading and the recommendations of one actor (nothing when it has none)."""
    _ = translations(lang).gettext
    if not ids:
        return []
    return [
        html.H3(f"{_(ACTOR_LABELS[actor])} ({number(len(ids), lang)})"),
        html.Ul(className="brief-recs", children=[
            html.Li([html.Strong(rec_label(rec, lang) + " "), rec.text(lang)], **{"data-rec-id": rec.id})
            for rec in map(dataset.by_id.__getitem__, ids)
        ]),
    ]


def _filters(dataset: Dataset, state):
    """A line naming the filters in force, so that a printed page never passes for the whole picture."""
    lang = state.lang
    _ = translations(lang).gettext
    parts = []
    if state.actors:
        parts.append(format_list([_(ACTOR_LABELS[a]) for a in state.actors], style="or", locale=lang))
    if state.themes:
        parts.append(format_list([dataset.themes[t].label(lang) for t in state.themes], style="or", locale=lang))
    if state.report is not None:
        parts.append(_("Report %(n)s") % {"n": state.report})
    if state.q:
        parts.append(_("search “%(q)s”") % {"q": state.q})
    if not parts:
        return None
    return html.P(className="brief-filters", children=[html.Strong(_("Filtered by:")), " ", "; ".join(parts)])


def brief(dataset: Dataset, state, facts: Summary, url: str, qr_src: str) -> html.Section:
    """The brief lists every match: `facts` must be a summary whose limit reaches its total."""
    if facts.shown < facts.total:
        raise ValueError("a brief lists every match: make its summary with a limit of at least the total")
    lang = state.lang
    tr = translations(lang)
    _ = tr.gettext
    territory = dataset.territories[state.territory]
    by_actor, by_theme, reports = facts.matching_actor_counts, facts.matching_theme_counts, facts.matching_reports
    sources = [
        _("Report %(n)s: %(partners)s") % {"n": r, "partners": format_list(
            [dataset.territories[c].name(lang) for c in dataset.partners[r]], locale=lang)} + f" ({dataset.reports[r]})"
        for r in reports
    ]
    return html.Section(id="brief", className="brief", lang=lang, children=[
        html.H1(_("%(territory)s: recommendations against human trafficking and sexual exploitation") % {"territory": territory.name(lang)}),
        html.P(tr.ngettext("%(n)s recommendation matches", "%(n)s recommendations match", facts.total) % {"n": number(facts.total, lang)}),
        _filters(dataset, state),
        html.Div(className="brief-counts", children=[
            html.Div([html.H2(_("By actor")), html.Ul([html.Li(f"{_(ACTOR_LABELS[a])}: {number(by_actor[a], lang)}") for a in PANEL_ORDER])]),
            html.Div([html.H2(_("By theme")), html.Ul([html.Li(f"{dataset.themes[tid].label(lang)}: {number(n, lang)}")
                                                        for tid, n in by_theme.items() if n])]),
        ]),
        html.H2(_("Recommendations")),
        *[part for actor in PANEL_ORDER for part in _actor_group(dataset, facts.ids_by_actor[actor], actor, lang)],
        html.H2(_("Source")),
        html.Ul([html.Li(s) for s in sources]),
        html.Div(className="brief-link", children=[
            html.Img(src=qr_src, alt="", className="brief-qr") if qr_src else None,  # none for a URL too long for a QR code
            html.P([_("This view online:"), " ", html.Span(url, className="brief-url")]),
        ]),
    ])
