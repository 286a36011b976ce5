"""The side panel: the overview, a territory's recommendations and the recommendation cards."""
from __future__ import annotations

from functools import lru_cache

import numpy as np
from babel.lists import format_list
from dash import html

from . import queries
from .actions import data_action
from .components import count_badge, rec_label
from .data import Dataset
from .domain import ACTOR_ICONS, ACTOR_LABELS, ACTORS, PANEL_ORDER
from .empty import empty_state
from .i18n import number, other_lang, translations
from .presenter import active_filters
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
    chips = active_filters(dataset, state)  # under the title; shown in presenter mode
    if chips is not None:
        body.insert(1, chips)
    return html.Section(id="side-panel", className="side-panel", tabIndex="-1",
                        **{"data-territory": state.territory or "", "aria-live": "polite"}, children=body)


def _overview(dataset: Dataset, state: ViewState, facts: queries.Summary) -> list:
    lang = state.lang
    tr = translations(lang)
    _ = tr.gettext
    total = facts.total
    if not total:
        return _empty_overview(dataset, state)
    body = [
        html.H2(_("Overview"), className="h4"),
        html.P(_("Click a territory on the map, or choose it in the list under the map, to read its recommendations."),
               className="hint"),
        html.P(html.Strong(tr.ngettext("%(n)s recommendation matches", "%(n)s recommendations match", total) % {"n": number(total, lang)}),
               className="total"),
        html.H3(_("By actor, among these matches"), className="h6"),
        html.Ul(className="list-unstyled totals-actor", children=[
            html.Li([html.I(className=f"bi {ACTOR_ICONS[a]} me-2", **{"aria-hidden": "true"}), _(ACTOR_LABELS[a]), " ",
                     count_badge(facts.matching_actor_counts[a], lang)])
            for a in ACTORS
        ]),
        html.H3(_("By theme, among these matches"), className="h6"),
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
    if not total:
        return _empty_territory(dataset, state)
    body = [
        html.Div(className="d-flex flex-wrap align-items-start gap-2", children=[
            html.H2(territory.name(lang), className="h4 me-auto mb-1"),
            html.Button([html.I(className="bi bi-printer me-1", **{"aria-hidden": "true"}), _("Print brief")],
                        id="print-brief", type="button", className="btn btn-sm btn-outline-secondary",
                        title=_("Print a one-page brief of this territory")),
            html.Button([html.I(className="bi bi-x-lg me-1", **{"aria-hidden": "true"}), _("Clear")],
                        id="clear-territory", **data_action("clear"),
                        className="btn btn-sm btn-outline-secondary", title=_("Deselect this territory")),
        ]),
        html.P(tr.ngettext("%(n)s recommendation matches", "%(n)s recommendations match", total) % {"n": number(total, lang)},
               className="total fw-semibold"),
    ]
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


def _empty_overview(dataset: Dataset, state: ViewState) -> list:
    """The overview of a view with no match: the message alone, without the hint to click a territory
    nor headings over empty lists."""
    return [html.H2(translations(state.lang).gettext("Overview"), className="h4"), empty_state(dataset, state)]


def _empty_territory(dataset: Dataset, state: ViewState) -> list:
    """A territory's panel with no match: its name, "Clear" and the message; nothing to print."""
    return [
        html.Div(className="d-flex flex-wrap align-items-start gap-2", children=[
            html.H2(dataset.territories[state.territory].name(state.lang), className="h4 me-auto mb-1"),
            _clear_button(state.lang),
        ]),
        empty_state(dataset, state),
    ]


def _clear_button(lang: str) -> html.Button:
    """"Clear", as on a territory's panel with matches."""
    _ = translations(lang).gettext
    return html.Button([html.I(className="bi bi-x-lg me-1", **{"aria-hidden": "true"}), _("Clear")],
                       id="clear-territory", **data_action("clear"),
                       className="btn btn-sm btn-outline-secondary", title=_("Deselect this territory"))


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
    """A card, kept: cards repeat across views."""
    return rec_card(dataset, state, dataset.by_id[rec_id])


def _el(kind: str, props: dict, namespace: str = "dash_html_components") -> dict:
    """A page element as the JSON Dash sends for a component (Component.to_plotly_json), built directly
    because building components is the slow part of a card. Props go in the component's own order:
    children, id, className, lang, tabIndex, title (href before title for a Link), then data-* and aria-*
    (dash itself puts those last two in an order that varies from process to process)."""
    return {"props": props, "type": kind, "namespace": namespace}


def rec_card(dataset: Dataset, state: ViewState, rec) -> dict:
    """A recommendation's card, as the JSON Dash sends for it. The browser makes a component of every
    element, so a card has few: icons are drawn by their classes (CSS, hidden from screen readers),
    the number is text beside the actor's badge and the other language's text is the disclosure's own."""
    lang, other = state.lang, other_lang(state.lang)
    _ = translations(lang).gettext
    note = rec.note(lang)
    children = [
        _el("Div", {"children": [rec_label(rec, lang), _el("Span", {
            "children": _(ACTOR_LABELS[rec.actor]), "className": f"badge actor-badge actor-{rec.actor} {ACTOR_ICONS[rec.actor]}"})],
            "className": "rec-meta"}),
        _el("P", {"children": _highlighted(rec.text(lang), state.q), "className": "rec-text", "lang": lang}),
        _el("Div", {"children": [_theme_chip(dataset, state, t) for t in rec.themes],
                    "className": "rec-themes"}),
    ]
    if rec.themes_suggested:
        children.append(_el("P", {"children": _("Themes suggested from keywords, not yet reviewed."),
                                  "className": "small text-body-secondary mb-1"}))
    children.append(_el("Details", {"children": [
        _el("Summary", {"children": _("Show the French text") if lang == "en" else _("Show the English text"), "lang": lang}),
        *_highlighted(rec.text(other), state.q)], "className": "other-lang rec-text-other", "lang": other}))
    if note:
        children.append(_el("P", {"children": [_el("Strong", {"children": _("Translation note:")}), " ", note],
                                  "className": "translation-note small mb-1 bi-translate"}))
    similar = dataset.similar.get(rec.id, ())
    if similar:
        links = [_similar_link(dataset, state, twin_id) for twin_id in similar]
        children.append(_el("P", {"children": [
            _("Also recommended in"), " ", *[piece for i, link in enumerate(links) for piece in ((", " if i else ""), link)]],
            "className": "also-in small mb-1 bi-link-45deg"}))
    if rec.shared:
        others = tuple(c for c in dataset.partners[rec.report] if c != state.territory)
        children.append(_el("P", {"children": _("Shared with %(names)s") % {"names": _place_names(dataset, others, lang)},
                                  "className": "shared-with small mb-0 bi-share"}))
    return _el("Article", {"children": children, "id": f"rec-{rec.id}",
                           "className": f"rec-card card card-body rec-by-{rec.actor}", "tabIndex": "-1",
                           "data-rec-id": rec.id})


def _theme_chip(dataset: Dataset, state: ViewState, theme: str) -> dict:
    """A theme's button on a card. What it does, with the theme's definition, is said once in the page
    (theme_definitions), which the button names: a panel of hundreds of cards would otherwise
    repeat each definition on every card. assets/atlas/islands.js shows it as the button's tooltip."""
    on = theme in state.themes
    label, class_name, action = _chip_parts(dataset, theme, state.lang, on)
    return _el("Button", {"children": label, "className": class_name, "data-action": action,
                          "aria-pressed": "true" if on else "false", "aria-describedby": definition_id(theme, on)})


@lru_cache(maxsize=256)
def _chip_parts(dataset: Dataset, theme: str, lang: str, on: bool) -> tuple[str, str, str]:
    """What every chip of a theme shares, in a language, on or off: its label, classes and action."""
    return (dataset.themes[theme].label(lang), "btn btn-sm theme-chip" + (" active" if on else ""),
            data_action("theme", theme=theme)["data-action"])


def definition_id(theme: str, on: bool) -> str:
    """The id of what a theme's chip does, on (it stops filtering) or off (it filters)."""
    return f"theme-def-{theme}" + ("-on" if on else "")


@lru_cache(maxsize=16)
def theme_definitions(dataset: Dataset, lang: str) -> dict:
    """What each theme's chip does, with the theme's definition, said once in the page for every chip."""
    _ = translations(lang).gettext
    texts = {False: _("Filter by this theme: %(definition)s"), True: _("Stop filtering by this theme: %(definition)s")}
    return _el("Div", {"id": "theme-definitions", "hidden": True, "children": [
        _el("Span", {"id": definition_id(t, on), "children": texts[on] % {"definition": theme.definition(lang)}})
        for t, theme in dataset.themes.items() for on in (False, True)]})


def _similar_link(dataset: Dataset, state: ViewState, twin_id: str) -> dict:
    lang = state.lang
    _ = translations(lang).gettext
    twin = dataset.by_id[twin_id]
    place = _place_names(dataset, twin.territories, lang) if not twin.shared else _(ACTOR_LABELS[twin.actor])
    # the other territory, unfiltered so that the card is there, in the same language; presenter mode
    # and the tour stay on when the link is followed inside the page (actions.py, kind "link")
    # and with as many pages of cards as it takes to reach it
    pages = min(_panel_positions(dataset).get(twin_id, 0) // queries.CARD_LIMIT, MAX_MORE)
    target = ViewState(lang=lang, territory=twin.territories[0], more=pages, browser_lang=state.browser_lang)
    return _el("Link", {"children": _("%(place)s, No. %(number)s") % {"place": place, "number": twin.number},
                        "href": href(target) + f"#rec-{twin_id}", "title": twin.text(lang), "className": "similar-link"},
               "dash_core_components")


@lru_cache(maxsize=4096)
def _place_names(dataset: Dataset, codes: tuple[str, ...], lang: str) -> str:
    """Territories' names as a list in the language, e.g. "France, Italy and Spain": many cards name the same ones."""
    return format_list([dataset.territories[c].name(lang) for c in codes], locale=lang)


@lru_cache(maxsize=4)
def _panel_positions(dataset: Dataset) -> dict[str, int]:
    """Where each recommendation comes in the panel of its first territory with no filter (actor after actor
    in PANEL_ORDER, then document order), by id; one pass over every (territory, recommendation) pair."""
    index = queries.index_of(dataset.recommendations)
    rank = np.array([PANEL_ORDER.index(a) if a in PANEL_ORDER else -1 for a in index.actor_names], dtype=np.int64)
    code, row = index.pair_code, index.pair_row
    actor = rank[index.actor[row]]
    first = np.ones(len(row), dtype=bool)  # pairs come row by row, each row's territories in its own order
    first[1:] = row[1:] != row[:-1]
    order = np.lexsort((row, actor, code))
    order = order[actor[order] >= 0]
    code, row = code[order], row[order]
    new = np.ones(len(order), dtype=bool)  # a territory named twice by a row counts once
    new[1:] = (code[1:] != code[:-1]) | (row[1:] != row[:-1])
    seen = np.cumsum(new) - 1
    starts = np.ones(len(order), dtype=bool)
    starts[1:] = code[1:] != code[:-1]
    position = seen - np.maximum.accumulate(np.where(starts, seen, 0))
    mine = first[order]
    return dict(zip(index.ids[row[mine]].tolist(), position[mine].tolist()))


def _highlighted(text: str, q: str) -> list:
    return [_el("Mark", {"children": piece}) if hit else piece for piece, hit in queries.highlight(text, q)]
