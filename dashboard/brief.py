"""A one-page printable brief of a territory (shown only by the print stylesheet)."""
from __future__ import annotations

from babel.lists import format_list
from dash import html

from .data import Dataset
from .i18n import number, translations
from .parse import ACTORS


def brief(dataset: Dataset, state, recs, url: str, qr_src: str, actor_labels: dict) -> html.Section:
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
        html.Div(className="brief-counts", children=[
            html.Div([html.H2(_("By actor")), html.Ul([html.Li(f"{_(actor_labels[a])}: {number(int(by_actor.get(a, 0)), lang)}") for a in ACTORS])]),
            html.Div([html.H2(_("By theme")), html.Ul([html.Li(f"{t.label(lang)}: {number(int(by_theme.get(tid, 0)), lang)}")
                                                        for tid, t in dataset.themes.items() if by_theme.get(tid, 0)])]),
        ]),
        html.H2(_("Recommendations")),
        html.Ol(className="brief-recs", children=[
            html.Li([html.Strong(f"{_(actor_labels[rec.actor])}, {_('No. %(number)s · Report %(report)s') % {'number': rec.number, 'report': rec.report}}: "),
                     rec.text_fr if lang == "fr" else rec.text_en], **{"data-rec-id": rec.id})
            for rec in recs.itertuples(index=False)
        ]),
        html.H2(_("Source")),
        html.Ul([html.Li(s) for s in sources]),
        html.Div(className="brief-link", children=[
            html.Img(src=qr_src, alt="", className="brief-qr"),
            html.P([_("This view online:"), " ", html.Span(url, className="brief-url")]),
        ]),
    ])
