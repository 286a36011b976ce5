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
from .state import MAX_MORE, ViewState, href


def card_limit(state: ViewState) -> int:
    """How many cards the panel shows for a state: a page of them, and one more page for each "Show more"."""
    return queries.CARD_LIMIT * (1 + state.more)


def side_panel(dataset: Dataset, state: ViewState, facts: queries.Summary) -> html.Section:
    """The panel from the request's summary, whose `limit` must reach `card_limit(state)` (it may go beyond)."""
    if state.territory:
        body = _territory_panel(dataset, state, facts)
    else:
        body = _overview(dataset, state, facts)
    return html.Section(id="side-panel", className="side-panel", tabIndex="-1",
                        **{"data-territory": state.territory or "", "aria-live": "polite"}, children=body)


def _overview(dataset: Dataset, state: ViewState, facts: queries.Summary) -> list:
    lang = state.lang
    tr = translations(lang)
    _ = tr.gettext
    total = facts.total
    body = [
        html.H2(_("Overview"), className="h4"),
        html.P(_("Click a territory on the map, or choose it in the list under the map, to read its recommendations."),
               className="hint"),
        html.P(html.Strong(tr.ngettext("%(n)s recommendation matches", "%(n)s recommendations match", total) % {"n": number(total, lang)}),
               className="total"),
        html.H3(_("By actor"), className="h6"),
        html.Ul(className="list-unstyled totals-actor", children=[
            html.Li([html.I(className=f"bi {ACTOR_ICONS[a]} me-2", **{"aria-hidden": "true"}), _(ACTOR_LABELS[a]), " ",
                     count_badge(facts.matching_actor_counts[a], lang)])
            for a in ACTORS
        ]),
        html.H3(_("By theme"), className="h6"),
        html.Ul(className="list-unstyled totals-theme", children=[
            html.Li([dataset.themes[tid].label(lang), " ", count_badge(n, lang)])
            for tid, n in facts.matching_theme_counts.items() if n
        ]),
    ]
    if state.q or state.themes or state.actors or state.report is not None:
        body.append(html.H3(_("Matching recommendations"), className="h5 mt-3"))
        shown = facts.ids[:card_limit(state)]
        body += [_card(dataset, state, rec_id) for rec_id in shown]
        body += _more_button(state, len(shown), total)
    return body


def _territory_panel(dataset: Dataset, state: ViewState, facts: queries.Summary) -> list:
    lang = state.lang
    tr = translations(lang)
    _ = tr.gettext
    territory = dataset.territories[state.territory]
    total = facts.total
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
        html.P(tr.ngettext("%(n)s recommendation matches", "%(n)s recommendations match", total) % {"n": number(total, lang)},
               className="total fw-semibold"),
    ]
    if not total:
        body.append(html.P(_("No recommendation for this territory matches the current filters."), className="text-body-secondary"))
    room = card_limit(state)  # cards still to place, group after group
    for actor in PANEL_ORDER:
        count, ids = facts.matching_actor_counts[actor], facts.ids_by_actor[actor][:room]
        if not ids:  # no match, or the list is full before this group (its count is in "Showing … of …")
            continue
        room -= len(ids)
        body.append(html.H3([html.I(className=f"bi {ACTOR_ICONS[actor]} me-2", **{"aria-hidden": "true"}),
                             _(ACTOR_LABELS[actor]), " ", count_badge(count, lang)],
                            className="h6 mt-3 actor-group", **{"data-actor": actor}))
        body += [_card(dataset, state, rec_id) for rec_id in ids]
    body += _more_button(state, card_limit(state) - room, total)
    return body


def _more_button(state: ViewState, shown: int, total: int) -> list:
    """Under a list cut short: how many cards it shows of how many, and "Show more" while it may grow."""
    if shown >= total:
        return []
    lang = state.lang
    tr = translations(lang)
    _ = tr.gettext
    parts = [html.P(tr.ngettext("Showing %(shown)s of %(n)s recommendation", "Showing %(shown)s of %(n)s recommendations",
                                total) % {"shown": number(shown, lang), "n": number(total, lang)},
                    className="cards-shown small text-body-secondary mb-1", id="cards-shown")]
    if state.more < MAX_MORE:
        step = min(queries.CARD_LIMIT, total - shown)
        parts.append(html.Button([html.I(className="bi bi-chevron-down me-1", **{"aria-hidden": "true"}),
                                  _("Show %(n)s more") % {"n": number(step, lang)}],
                                 id="show-more", className="btn btn-sm btn-outline-primary mb-2", **data_action("more")))
    else:
        parts.append(html.P(_("To read them all, narrow the filters or download this view as CSV."),
                            className="cards-full small mb-2"))
    return parts


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
            # and with as many pages of cards as it takes to reach it
            code = twin.territories[0]
            pages = min(_panel_positions(dataset, code).get(twin_id, 0) // queries.CARD_LIMIT, MAX_MORE)
            target = ViewState(lang=lang, territory=code, more=pages, browser_lang=state.browser_lang)
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


@lru_cache(maxsize=64)
def _panel_positions(dataset: Dataset, code: str) -> dict[str, int]:
    """Where each recommendation of a territory comes in its panel with no filter (actor after actor)."""
    facts = queries.summary(dataset, ViewState(territory=code), limit=len(dataset.recommendations))
    return {rec_id: i for i, rec_id in enumerate(i for actor in PANEL_ORDER for i in facts.ids_by_actor[actor])}


def _highlighted(text: str, q: str) -> list:
    return [html.Mark(piece) if hit else piece for piece, hit in queries.highlight(text, q)]
