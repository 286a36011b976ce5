"""Recommendation cards built as the JSON Dash sends, against the component version they replace, and
where a similar recommendation's link leads (the page of its territory's panel holding it)."""
from __future__ import annotations

import json
from dataclasses import replace
import sys

import pytest
from babel.lists import format_list
from dash import dcc, html
from dash.development.base_component import Component

from dashboard import data, panel, queries
from dashboard.actions import data_action
from dashboard.components import rec_label
from dashboard.domain import ACTOR_ICONS, ACTOR_LABELS, PANEL_ORDER
from dashboard.i18n import other_lang, translations
from dashboard.state import MAX_MORE, ViewState, href
from helpers import DATA, ROOT

sys.path.insert(0, str(ROOT / "bench"))
from synthetic import write_dataset  # noqa: E402


@pytest.fixture(scope="module")
def seed():
    return data.load(DATA)


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """1,500 synthetic recommendations: territories with a few hundred each, so that links reach later pages."""
    return data.load(write_dataset(tmp_path_factory.mktemp("small"), 1_500))


# --- the oracle: the card as dash components, and each territory's unfiltered panel order ----------------

def _plain(node):
    """A component as dash sends it, but with data-* before aria-* attributes: dash orders those two by
    iterating a set of names, so differently in each process."""
    if isinstance(node, Component):
        as_json = node.to_plotly_json()
        props = as_json["props"]
        order = sorted(props, key=lambda k: (k.startswith("data-") or k.startswith("aria-"), k.startswith("aria-")))
        as_json["props"] = {key: _plain(props[key]) for key in order}
        return as_json
    if isinstance(node, (list, tuple)):
        return [_plain(child) for child in node]
    return node


def _territory_order(dataset, code: str) -> list[str]:
    facts = queries.summary(dataset, ViewState(territory=code), limit=len(dataset.recommendations))
    return [rec_id for actor in PANEL_ORDER for rec_id in facts.ids_by_actor[actor]]


def _component_card(dataset, state: ViewState, rec) -> html.Article:
    lang, other = state.lang, other_lang(state.lang)
    _ = translations(lang).gettext
    marked = lambda text: [html.Mark(p) if hit else p for p, hit in queries.highlight(text, state.q)]  # noqa: E731
    children = [
        html.Div(className="rec-meta", children=[
            rec_label(rec, lang),
            html.Span(_(ACTOR_LABELS[rec.actor]), className=f"badge actor-badge actor-{rec.actor} {ACTOR_ICONS[rec.actor]}")]),
        html.P(marked(rec.text(lang)), className="rec-text", lang=lang),
        html.Div(className="rec-themes", children=[
            html.Button(dataset.themes[t].label(lang), **data_action("theme", theme=t),
                        className="btn btn-sm theme-chip" + (" active" if t in state.themes else ""),
                        **{"aria-pressed": "true" if t in state.themes else "false",
                           "aria-describedby": f"theme-def-{t}" + ("-on" if t in state.themes else "")})
            for t in rec.themes]),
    ]
    if rec.themes_suggested:
        children.append(html.P(_("Themes suggested from keywords, not yet reviewed."), className="small text-body-secondary mb-1"))
    children.append(html.Details(className="other-lang rec-text-other", lang=other, children=[
        html.Summary(_("Show the French text") if lang == "en" else _("Show the English text"), lang=lang),
        *marked(rec.text(other))]))
    if rec.note(lang):
        children.append(html.P(className="translation-note small mb-1 bi-translate", children=[
            html.Strong(_("Translation note:")), " ", rec.note(lang)]))
    links = []
    for twin_id in dataset.similar.get(rec.id, ()):
        twin = dataset.by_id[twin_id]
        place = format_list([dataset.territories[c].name(lang) for c in twin.territories], locale=lang) if not twin.shared \
            else _(ACTOR_LABELS[twin.actor])
        pages = min(_territory_order(dataset, twin.territories[0]).index(twin_id) // queries.CARD_LIMIT, MAX_MORE)
        target = ViewState(lang=lang, territory=twin.territories[0], more=pages, browser_lang=state.browser_lang)
        links.append(dcc.Link(_("%(place)s, No. %(number)s") % {"place": place, "number": twin.number},
                              href=href(target) + f"#rec-{twin_id}", className="similar-link", title=twin.text(lang)))
    if links:
        children.append(html.P(className="also-in small mb-1 bi-link-45deg", children=[
            _("Also recommended in"), " ",
            *[piece for i, link in enumerate(links) for piece in ((", " if i else ""), link)]]))
    if rec.shared:
        others = [c for c in dataset.partners[rec.report] if c != state.territory]
        names = format_list([dataset.territories[c].name(lang) for c in others], locale=lang)
        children.append(html.P(_("Shared with %(names)s") % {"names": names}, className="shared-with small mb-0 bi-share"))
    return html.Article(id=f"rec-{rec.id}", className=f"rec-card card card-body rec-by-{rec.actor}", children=children,
                        tabIndex="-1", **{"data-rec-id": rec.id})


# --- the tests ---------------------------------------------------------------------------------------

STATES = [
    ViewState(),
    ViewState(lang="fr"),
    ViewState(q="traite"),
    ViewState(lang="fr", q="enfants exploitation"),
    ViewState(themes=("victim_support", "gender_equality")),
    ViewState(lang="fr", q="victim", themes=("children_youth",), territory="FRA", browser_lang="fr"),
]


@pytest.mark.parametrize("which", ["seed", "small"])
@pytest.mark.parametrize("state", STATES, ids=repr)
def test_cards_are_what_the_components_would_send(request, which, state):
    dataset = request.getfixturevalue(which)
    for rec in list(dataset.by_id.values())[:300]:
        # every prop and child the same (Dash orders a component's aria-* props differently from process to
        # process; the card's own order, which its HTML follows, is fixed by panel._el)
        assert json.dumps(panel.rec_card(dataset, state, rec), sort_keys=True) == \
            json.dumps(_plain(_component_card(dataset, state, rec)), sort_keys=True)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_card_with_suggested_themes_is_what_the_components_would_send(seed, lang):
    rec = replace(next(iter(seed.by_id.values())), themes_suggested=True)  # no such recommendation in the data
    card = json.dumps(panel.rec_card(seed, ViewState(lang=lang), rec), sort_keys=True)
    assert card == json.dumps(_plain(_component_card(seed, ViewState(lang=lang), rec)), sort_keys=True)
    assert translations(lang).gettext("Themes suggested from keywords, not yet reviewed.") in json.loads(card)["props"]["children"][3]["props"]["children"]


def test_the_data_has_what_the_card_test_must_cover(seed, small):
    recs = list(seed.by_id.values()) + list(small.by_id.values())[:300]
    assert any(seed.similar.get(r.id) for r in recs) and any(r.shared for r in recs)
    assert any(r.note("en") or r.note("fr") for r in recs)
    assert {"victim_support", "gender_equality", "children_youth"} <= set(seed.themes)
    assert any(hit for r in recs for _, hit in queries.highlight(r.text("fr"), "traite"))


@pytest.mark.parametrize("which", ["seed", "small"])
def test_panel_positions_are_each_recommendations_place_in_its_first_territory(request, which):
    dataset = request.getfixturevalue(which)
    positions = panel._panel_positions(dataset)
    orders = {}
    for rec in dataset.by_id.values():
        code = rec.territories[0]
        order = orders.setdefault(code, _territory_order(dataset, code))
        assert positions[rec.id] == order.index(rec.id), rec.id
    assert len(positions) == len(dataset.by_id)
    if which == "small":  # links must reach beyond the first page somewhere, or the test proves little
        assert max(positions.values()) >= queries.CARD_LIMIT
