"""The side panel: the overview, a territory's recommendations and the recommendation cards."""
from __future__ import annotations

from functools import lru_cache

from babel.lists import format_list
from dash import dcc, html
from dash.development.base_component import Component

from . import queries
from .actions import data_action
from .components import count_badge, rec_label
from .data import Dataset
from .domain import ACTOR_ICONS, ACTOR_LABELS, ACTORS, PANEL_ORDER
from .i18n import number, other_lang, translations
from .state import ViewState, href


def side_panel(dataset: Dataset, state: ViewState) -> html.Section:
    recs = queries.matching(dataset.recommendations, state)
    if state.territory:
        body = _territory_panel(dataset, state, recs)
    else:
        body = _overview(dataset, state, recs)
    return html.Section(id="side-panel", className="side-panel", tabIndex="-1",
                        **{"data-territory": state.territory or "", "aria-live": "polite"}, children=body)


def _overview(dataset: Dataset, state: ViewState, recs) -> list:
    lang = state.lang
    tr = translations(lang)
    _ = tr.gettext
    by_actor = recs["actor"].value_counts()
    by_theme = recs["themes"].explode().value_counts()
    total = len(recs)
    body = [
        html.H2(_("Overview"), className="h4"),
        html.P(_("Click a territory on the map, or choose it in the list under the map, to read its recommendations."),
               className="hint"),
        html.P(html.Strong(tr.ngettext("%(n)s recommendation matches", "%(n)s recommendations match", total) % {"n": number(total, lang)}),
               className="total"),
        html.H3(_("By actor"), className="h6"),
        html.Ul(className="list-unstyled totals-actor", children=[
            html.Li([html.I(className=f"bi {ACTOR_ICONS[a]} me-2", **{"aria-hidden": "true"}), _(ACTOR_LABELS[a]), " ",
                     count_badge(int(by_actor.get(a, 0)), lang)])
            for a in ACTORS
        ]),
        html.H3(_("By theme"), className="h6"),
        html.Ul(className="list-unstyled totals-theme", children=[
            html.Li([theme.label(lang), " ", count_badge(int(by_theme.get(tid, 0)), lang)])
            for tid, theme in dataset.themes.items() if by_theme.get(tid, 0)
        ]),
    ]
    if state.q or state.themes or state.actors or state.report is not None:
        body.append(html.H3(_("Matching recommendations"), className="h5 mt-3"))
        body += [_card(dataset, state, rec_id) for rec_id in recs["id"]]
    return body


def _territory_panel(dataset: Dataset, state: ViewState, recs) -> list:
    lang = state.lang
    tr = translations(lang)
    _ = tr.gettext
    territory = dataset.territories[state.territory]
    body = [
        html.Div(className="d-flex flex-wrap align-items-start gap-2", children=[
            html.H2(territory.name(lang), className="h4 me-auto mb-1"),
            html.Button([html.I(className="bi bi-printer me-1", **{"aria-hidden": "true"}), _("Print brief")],
                        id="print-brief", n_clicks=0, className="btn btn-sm btn-outline-secondary",
                        title=_("Print a one-page brief of this territory")),
            html.Button([html.I(className="bi bi-x-lg me-1", **{"aria-hidden": "true"}), _("Clear")],
                        id="clear-territory", **data_action("clear"),
                        className="btn btn-sm btn-outline-secondary", title=_("Deselect this territory")),
        ]),
        html.P(tr.ngettext("%(n)s recommendation matches", "%(n)s recommendations match", len(recs)) % {"n": number(len(recs), lang)},
               className="total fw-semibold"),
    ]
    if recs.empty:
        body.append(html.P(_("No recommendation for this territory matches the current filters."), className="text-body-secondary"))
    for actor in PANEL_ORDER:
        group = recs[recs["actor"] == actor]
        if group.empty:
            continue
        body.append(html.H3([html.I(className=f"bi {ACTOR_ICONS[actor]} me-2", **{"aria-hidden": "true"}),
                             _(ACTOR_LABELS[actor]), " ", count_badge(len(group), lang)],
                            className="h6 mt-3 actor-group", **{"data-actor": actor}))
        body += [_card(dataset, state, rec_id) for rec_id in group["id"]]
    return body


def _card(dataset: Dataset, state: ViewState, rec_id: str) -> dict:
    # only what a card shows or links to is in the key
    linked = ViewState(lang=state.lang, q=state.q, themes=state.themes, territory=state.territory,
                       browser_lang=state.browser_lang)
    return _cached_card(dataset, rec_id, linked, state.browser_lang)  # states compare without browser_lang


@lru_cache(maxsize=4096)
def _cached_card(dataset: Dataset, rec_id: str, state: ViewState, browser_lang: str) -> dict:
    """A card as plain JSON-ready data: cards repeat across views, and building components is the slow part."""
    return plain(rec_card(dataset, state, dataset.by_id[rec_id]))


def plain(node):
    """A component tree as the nested dicts Dash sends to the browser."""
    if isinstance(node, Component):
        data = node.to_plotly_json()
        data["props"] = {key: plain(value) for key, value in data["props"].items()}
        return data
    if isinstance(node, (list, tuple)):
        return [plain(child) for child in node]
    return node


def rec_card(dataset: Dataset, state: ViewState, rec) -> html.Article:
    lang, other = state.lang, other_lang(state.lang)
    tr = translations(lang)
    _ = tr.gettext
    note = rec.note(lang)
    children = [
        html.Div(className="d-flex flex-wrap align-items-center gap-2 mb-1 rec-meta", children=[
            html.Span(rec_label(rec, lang), className="rec-number fw-semibold"),
            html.Span([html.I(className=f"bi {ACTOR_ICONS[rec.actor]} me-1", **{"aria-hidden": "true"}), _(ACTOR_LABELS[rec.actor])],
                      className=f"badge actor-badge actor-{rec.actor}"),
        ]),
        html.P(_highlighted(rec.text(lang), state.q), className="rec-text", lang=lang),
        html.Div(className="d-flex flex-wrap gap-1 mb-1 rec-themes", children=[
            html.Button(dataset.themes[t].label(lang), id=f"chip-{rec.id}-{t}", **data_action("theme", theme=t),
                        className="btn btn-sm theme-chip" + (" active" if t in state.themes else ""),
                        **{"aria-pressed": "true" if t in state.themes else "false"},
                        title=(_("Stop filtering by this theme: %(definition)s") if t in state.themes
                               else _("Filter by this theme: %(definition)s")) % {"definition": dataset.themes[t].definition(lang)})
            for t in rec.themes
        ]),
    ]
    if rec.themes_suggested:
        children.append(html.P(_("Themes suggested from keywords, not yet reviewed."), className="small text-body-secondary mb-1"))
    children.append(html.Details(className="other-lang", children=[
        html.Summary(_("Show the French text") if lang == "en" else _("Show the English text")),
        html.P(_highlighted(rec.text(other), state.q), lang=other, className="rec-text-other"),
    ]))
    if note:
        children.append(html.P(className="translation-note small mb-1", children=[
            html.I(className="bi bi-translate me-1", **{"aria-hidden": "true"}), html.Strong(_("Translation note:")), " ", note]))
    similar = dataset.similar.get(rec.id, ())
    if similar:
        links = []
        for twin_id in similar:
            twin = dataset.by_id[twin_id]
            place = format_list([dataset.territories[c].name(lang) for c in twin.territories], locale=lang) if not twin.shared \
                else _(ACTOR_LABELS[twin.actor])
            # the other territory, unfiltered so that the card is there, in the same language; presenter mode
            # and the tour stay on when the link is followed inside the page (actions.py, kind "link")
            target = ViewState(lang=lang, territory=twin.territories[0], browser_lang=state.browser_lang)
            links.append(dcc.Link(_("%(place)s, No. %(number)s") % {"place": place, "number": twin.number},
                                  href=href(target) + f"#rec-{twin_id}", className="similar-link",
                                  title=twin.text(lang)))
        children.append(html.P(className="also-in small mb-1", children=[
            html.I(className="bi bi-link-45deg me-1", **{"aria-hidden": "true"}), _("Also recommended in"), " ",
            *[piece for i, link in enumerate(links) for piece in ((", " if i else ""), link)]]))
    if rec.shared:
        others = [c for c in dataset.partners[rec.report] if c != state.territory]
        names = format_list([dataset.territories[c].name(lang) for c in others], locale=lang)
        children.append(html.P(className="shared-with small mb-0", children=[
            html.I(className="bi bi-share me-1", **{"aria-hidden": "true"}), _("Shared with %(names)s") % {"names": names}]))
    return html.Article(id=f"rec-{rec.id}", className="rec-card card card-body mb-2", children=children,
                        tabIndex="-1", **{"data-rec-id": rec.id})


def _highlighted(text: str, q: str) -> list:
    return [html.Mark(piece) if hit else piece for piece, hit in queries.highlight(text, q)]
