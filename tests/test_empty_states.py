"""Views that match nothing: which filters leave nothing (pure), what the panel and the map say then, and
the buttons that take each filter away, in the browser."""
from __future__ import annotations

import json

import pytest

from dashboard import actions, empty, figures, panel, queries
from dashboard.state import BY_NAME, FILTERS, ViewState, Vocabulary
from helpers import component_text, elements, panel_territory, url_params, wait_until, walk_components




def _text(node, skip: str = "") -> str:
    return component_text(node, " ", skip)


def _panel(dataset, state):
    return panel.side_panel(dataset, state, queries.summary(dataset, state, limit=panel.card_limit(state)))


def _ids(tree) -> set[str]:
    return {c.id for c in walk_components(tree) if isinstance(getattr(c, "id", None), str)}


# --- which filters leave nothing (pure) ---------------------------------------------------------

@pytest.mark.parametrize("view, keep, without, excluding", [
    ({}, ("territory",), {}, ()),  # no filter
    ({"actors": ("private",)}, ("territory",), {"actors": 87}, ()),  # matches: nothing to blame
    ({"themes": ("children_youth",), "actors": ("private",)}, ("territory",), {"actors": 22, "themes": 15},
     ("actors", "themes")),  # each alone leaves nothing with the other
    ({"q": "zzzz"}, ("territory",), {"q": 87}, ("q",)),
    # the theme is not to blame: without it, Martinique has still nothing for the search
    ({"territory": "MTQ", "themes": ("tourism",), "q": "zzzz"}, ("territory",), {"themes": 0, "q": 4}, ("q",)),
    ({"territory": "MTQ", "themes": ("tourism",), "q": "zzzz"}, (), {"territory": 0, "themes": 0, "q": 4}, ("q",)),
    ({"territory": "FRA", "themes": ("children_youth",), "actors": ("private",)}, ("territory",),
     {"actors": 10, "themes": 11}, ("actors", "themes")),
    # no single filter is enough: all three leave nothing together
    ({"themes": ("children_youth",), "actors": ("private",), "q": "airbnb"}, ("territory",),
     {"actors": 0, "themes": 0, "q": 0}, ("actors", "themes", "q")),
    # a territory that no recommendation is addressed to: the filters are not to blame
    ({"territory": "BRA"}, ("territory",), {}, ()),
    ({"territory": "BRA", "report": 2}, ("territory",), {"report": 0}, ("report",)),
])
def test_excluding_filters(dataset, view, keep, without, excluding):
    recs, state = dataset.recommendations, ViewState(**view)
    assert queries.without_each_filter(recs, state, keep=keep) == without
    assert queries.excluding_filters(recs, state, keep=keep) == excluding


@pytest.mark.parametrize("view", [
    {"themes": ("children_youth",), "actors": ("private",)},
    {"territory": "GUY", "themes": ("legislation_regulation",), "actors": ("private",), "report": 1},
    {"themes": ("health", "online_digital"), "actors": ("private",), "q": "tourisme"},
])
def test_without_a_filter_counts_what_removing_it_shows(dataset, view):
    recs, state = dataset.recommendations, ViewState(**view)
    for name, n in queries.without_each_filter(recs, state, keep=()).items():
        assert n == queries.summary(dataset, state.but(**{name: BY_NAME[name].default})).total, name


# --- the panel ----------------------------------------------------------------------------------

@pytest.mark.parametrize("view, lang, title, named", [
    ({"themes": ("children_youth",), "actors": ("private",)}, "en", "No recommendation matches these filters.",
     ["Who must act: Companies and private sector", "Theme: Children & young people"]),
    ({"themes": ("children_youth",), "actors": ("private",)}, "fr", "Aucune recommandation ne correspond à ces filtres.",
     ["Qui doit agir\u202f: Entreprises et secteur privé", "Thème\u202f: Enfants et jeunes"]),
    ({"territory": "MTQ", "themes": ("tourism",), "q": "zzzz"}, "en",
     "No recommendation addressed to Martinique matches these filters.", ["Search: “zzzz”"]),
    ({"report": 2, "q": "airbnb"}, "fr", "Aucune recommandation ne correspond à ces filtres.",
     ["Rapport\u202f: Rapport 2", "Rechercher\u202f: «\u202fairbnb\u202f»"]),
])
def test_an_empty_view_names_the_filters_and_removes_each_with_its_controls_action(dataset, view, lang, title, named):
    state = ViewState(lang=lang, **view)
    tree = _panel(dataset, state)
    (empty,) = [c for c in walk_components(tree) if "empty-state" in (getattr(c, "className", "") or "").split()]
    assert title in _text(empty)
    items = [c for c in walk_components(empty) if getattr(c, "data-filter", None)]
    assert [_text(item.children[0]) for item in items] == named
    # no hint to click a territory, no heading over an empty list, nothing to print
    assert not {"print-brief"} & _ids(tree)
    assert not [c for c in walk_components(tree) if type(c).__name__ in ("H3", "H4")]
    assert "Click a territory" not in _text(tree) and "Cliquez" not in _text(tree)
    vocab = Vocabulary.of(dataset)
    for item in items:
        name = getattr(item, "data-filter")
        (button,) = [c for c in walk_components(item) if getattr(c, "id", None) == f"remove-filter-{name}"]
        after = actions.apply(dataset, vocab, state, json.loads(getattr(button, "data-action")))
        assert after == state.but(**{name: BY_NAME[name].default})  # that filter alone goes
        shown = queries.summary(dataset, after).total
        assert f" {shown} " in f" {_text(item)} ".replace("\u202f", " "), name


@pytest.mark.parametrize("view, lang, message", [
    ({"territory": "BRA"}, "en", "No recommendation is addressed to Brazil."),
    ({"territory": "BRA"}, "fr", "Brésil\u202f: aucune recommandation ne lui est adressée."),
    ({"territory": "BRA", "actors": ("private",), "q": "hotel"}, "en", "No recommendation is addressed to Brazil."),
])
def test_a_territory_without_recommendations_says_so_whatever_the_filters(dataset, view, lang, message):
    tree = _panel(dataset, ViewState(lang=lang, **view))
    text = _text(tree, skip="active-filters")  # the presenter's chips name the filters on, by design
    assert message in text and "filter" not in text.lower()
    assert "print-brief" not in _ids(tree) and "clear-territory" in _ids(tree)
    offered = [json.loads(getattr(c, "data-action")) for c in walk_components(tree) if getattr(c, "data-action", None)]
    assert [a["code"] for a in offered if a["kind"] == "territory"] == sorted(
        dataset.mapped_codes, key=lambda c: dataset.territories[c].name(lang))


def test_a_view_with_matches_shows_no_empty_state_and_a_territory_keeps_its_brief(dataset):
    for state in (ViewState(), ViewState(territory="MTQ", themes=("tourism",)), ViewState(q="airbnb")):
        tree = _panel(dataset, state)
        assert not [c for c in walk_components(tree) if "empty-state" in (getattr(c, "className", "") or "")]
        assert ("print-brief" in _ids(tree)) is bool(state.territory)


# --- the map ------------------------------------------------------------------------------------

@pytest.mark.parametrize("counts, colour", [({}, figures.CONTEXT_GREY), ({"FRA": 3}, figures.CONTEXT_GREY),
                                            ({"MTQ": 3, "FRA": 5}, figures.scale_colour(3 / 5))])
def test_a_bubble_with_no_match_is_grey_like_a_shape_with_none(dataset, counts, colour):
    figure = figures.map_figure(dataset, counts, "en", None, "world")
    (bubbles,) = [t for t in figure["data"] if t["name"] == "small"]
    assert bubbles["marker"]["color"][bubbles["customdata"].index("MTQ")] == colour
    (context,) = [t for t in figure["data"] if t["name"] == "context"]
    assert figures.CONTEXT_GREY in {c for _, c in context["colorscale"]}


# --- in the browser -----------------------------------------------------------------------------

_MTQ_BUBBLE = """const plot = document.querySelector('#map .js-plotly-plot');
const t = plot && plot.data && plot.data.find(d => d.name === 'small');
return t ? t.marker.color[t.customdata.indexOf('MTQ')] : null;"""


def test_an_empty_view_offers_to_remove_each_filter_and_brazil_says_it_has_none(start_atlas):
    duo = start_atlas("theme=children_youth&actor=private")
    duo.wait_for_element("#side-panel .empty-state", timeout=10)
    text = duo.find_element("#side-panel").text
    assert "No recommendation matches these filters." in text and "Click a territory" not in text
    assert {e.get_attribute("data-filter") for e in elements(duo, ".empty-state [data-filter]")} == {"actors", "themes"}
    assert not elements(duo, "#print-brief") and not elements(duo, "#side-panel h3")
    wait_until(duo, lambda: duo.driver.execute_script(_MTQ_BUBBLE) == "#d9d9d9", message="a grey Martinique bubble")

    # a click on "Remove" beside the actors: the same action as unticking the box
    duo.find_element("#remove-filter-actors").click()
    wait_until(duo, lambda: url_params(duo) == {"theme": "children_youth"}, message="the actor filter gone")
    wait_until(duo, lambda: not elements(duo, "#side-panel .empty-state"), message="the matches back")
    assert "22 recommendations match" in duo.find_element("#side-panel .total").text
    assert not elements(duo, "#actor-filter input:checked")
    wait_until(duo, lambda: duo.driver.execute_script(_MTQ_BUBBLE) != "#d9d9d9", message="Martinique coloured again")

    # a map pick of Brazil, with no filter on: no recommendation is addressed to it, and nothing to print
    duo.find_element("#reset").click()
    wait_until(duo, lambda: url_params(duo) == {}, message="no filter")
    duo.driver.execute_script("window.atlasActions.queue({kind: 'territory', code: 'BRA'});")  # what a map click sends
    wait_until(duo, lambda: panel_territory(duo) == "BRA", message="Brazil's panel")
    wait_until(duo, lambda: "No recommendation is addressed to Brazil." in duo.find_element("#side-panel").text,
               message="Brazil's message")
    assert "filter" not in duo.find_element("#side-panel .empty-state").text and not elements(duo, "#print-brief")
    duo.find_element("#lang").click()
    wait_until(duo, lambda: "Brésil\u202f: aucune recommandation ne lui est adressée." in duo.find_element("#side-panel").text,
               message="Brazil's message in French")


def test_every_registry_filter_can_be_named_and_removed(dataset):
    """A new filter of state.FILTERS gets its name and a Remove button in an empty view."""
    assert set(FILTERS) == set(empty.FILTER_LABELS)
    assert all(empty.remove_action(name) for name in FILTERS)
