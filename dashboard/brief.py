"""A one-page printable brief of a territory (shown only by the print stylesheet)."""
from __future__ import annotations

from babel.lists import format_list
from dash import html

from .components import rec_label
from .data import Dataset
from .domain import ACTOR_LABELS, PANEL_ORDER
from .i18n import number, translations


def _actor_group(dataset: Dataset, recs, actor: str, lang: str) -> list:
    """A heading and the recommendations of one actor (nothing when it has none)."""
    _ = translations(lang).gettext
    group = recs[recs["actor"] == actor]
    if group.empty:
        return []
    return [
        html.H3(f"{_(ACTOR_LABELS[actor])} ({number(len(group), lang)})"),
        html.Ul(className="brief-recs", children=[
            html.Li([html.Strong(rec_label(rec, lang) + " "), rec.text(lang)], **{"data-rec-id": rec.id})
            for rec in map(dataset.by_id.__getitem__, group["id"])
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


def brief(dataset: Dataset, state, recs, url: str, qr_src: str) -> html.Section:
    lang = state.lang
    tr = translations(lang)
    _ = tr.gettext
    territory = dataset.territories[state.territory]
    by_actor = recs["actor"].value_counts()
    by_theme = recs["themes"].explode().value_counts()
    reports = sorted(set(recs["report"]))
    sources = [
        _("Report %(n)s: %(partners)s") % {"n": r, "partners": format_list(
            [dataset.territories[c].name(lang) for c in dataset.partners[r]], locale=lang)} + f" ({dataset.reports[r]})"
        for r in reports
    ]
    return html.Section(id="brief", className="brief", lang=lang, children=[
        html.H1(_("%(territory)s: recommendations against human trafficking and sexual exploitation") % {"territory": territory.name(lang)}),
        html.P(tr.ngettext("%(n)s recommendation matches", "%(n)s recommendations match", len(recs)) % {"n": number(len(recs), lang)}),
        _filters(dataset, state),
        html.Div(className="brief-counts", children=[
            html.Div([html.H2(_("By actor")), html.Ul([html.Li(f"{_(ACTOR_LABELS[a])}: {number(int(by_actor.get(a, 0)), lang)}") for a in PANEL_ORDER])]),
            html.Div([html.H2(_("By theme")), html.Ul([html.Li(f"{t.label(lang)}: {number(int(by_theme.get(tid, 0)), lang)}")
                                                        for tid, t in dataset.themes.items() if by_theme.get(tid, 0)])]),
        ]),
        html.H2(_("Recommendations")),
        *[part for actor in PANEL_ORDER for part in _actor_group(dataset, recs, actor, lang)],
        html.H2(_("Source")),
        html.Ul([html.Li(s) for s in sources]),
        html.Div(className="brief-link", children=[
            html.Img(src=qr_src, alt="", className="brief-qr") if qr_src else None,  # none for a URL too long for a QR code
            html.P([_("This view online:"), " ", html.Span(url, className="brief-url")]),
        ]),
    ])
