"""View builders without a browser: where links lead, titles, the brief's filter line and the tour's limit."""
from __future__ import annotations

import pytest

from dashboard import brief, data, panel, presenter, views
from dashboard.state import MAX_TOUR_STEPS, ViewState, Vocabulary
from helpers import DATA


@pytest.fixture(scope="module")
def dataset():
    return data.load(DATA)


def _find(node, predicate) -> list:
    """Every component under node (a component tree or its plain JSON) for which predicate(props) holds."""
    found = []
    if isinstance(node, (list, tuple)):
        for item in node:
            found += _find(item, predicate)
        return found
    props = node.get("props", {}) if isinstance(node, dict) else getattr(node, "__dict__", {})
    if isinstance(node, dict) or hasattr(node, "_prop_names"):
        if predicate(props):
            found.append(props)
        found += _find(props.get("children") or [], predicate)
    return found


def _similar_hrefs(dataset, state) -> list[str]:
    card = panel._card(dataset, state, "r1-fra-17")
    return [p["href"] for p in _find(card, lambda p: "similar-link" in str(p.get("className", "")))]


@pytest.mark.parametrize("state, href", [
    (ViewState(territory="FRA"), "?territory=ITA#rec-r1-ita-11"),
    (ViewState(lang="fr", territory="FRA", actors=("national",), q="abus"), "?lang=fr&territory=ITA#rec-r1-ita-11"),
    # a French browser reading in English stays in English
    (ViewState(territory="FRA", browser_lang="fr"), "?lang=en&territory=ITA#rec-r1-ita-11"),
    # a presenter's link names the view only: followed inside the page, it keeps presenter mode, the tour
    # and its place in it (actions.py, kind "link"); opened in a new tab, it opens the plain view
    (ViewState(territory="FRA", present=True, tour=("territory=FRA", "territory=MTQ"), step=0),
     "?territory=ITA#rec-r1-ita-11"),
    (ViewState(territory="FRA", present=True, tour=("territory=FRA", "territory=MTQ")), "?territory=ITA#rec-r1-ita-11"),
])
def test_similar_links_keep_the_language_but_not_the_filters(dataset, state, href):
    assert _similar_hrefs(dataset, state) == [href]


def test_cached_cards_differ_by_browser_language(dataset):
    english = _similar_hrefs(dataset, ViewState(territory="FRA"))
    french_browser = _similar_hrefs(dataset, ViewState(territory="FRA", browser_lang="fr"))
    assert english != french_browser


@pytest.mark.parametrize("state, title", [
    (ViewState(), "Atlas of recommendations"),
    (ViewState(lang="fr"), "Atlas des recommandations"),
    (ViewState(territory="GUY"), "Guyana · Atlas of recommendations"),
    (ViewState(lang="fr", territory="GUF"), "Guyane · Atlas des recommandations"),
])
def test_page_title(dataset, state, title):
    assert views.page_title(dataset, state) == title


@pytest.mark.parametrize("state, line", [
    (ViewState(territory="FRA"), None),
    (ViewState(territory="FRA", actors=("private",)), "Filtered by: Companies and private sector"),
    (ViewState(lang="fr", territory="FRA", actors=("international", "private"), q="abus", report=1),
     "Filtré par : Autorités internationales ou Entreprises et secteur privé; Rapport 1; recherche « abus »"),
])
def test_the_brief_names_the_filters_in_force(dataset, state, line):
    shown = brief._filters(dataset, state)
    text = None if shown is None else "".join(
        c if isinstance(c, str) else c.children for c in shown.children)
    assert text == line


@pytest.mark.parametrize("steps, disabled", [(0, False), (MAX_TOUR_STEPS - 1, False), (MAX_TOUR_STEPS, True)])
def test_a_full_tour_takes_no_more_views(dataset, steps, disabled):
    state = ViewState(tour=tuple(f"territory={c}" for c in (["FRA", "ITA"] * MAX_TOUR_STEPS)[:steps]))
    box = presenter.tour_box(dataset, state, Vocabulary.of(dataset))
    add = _find(box, lambda p: p.get("id") == "tour-add")[0]
    assert bool(add.get("disabled")) is disabled
    notes = _find(box, lambda p: "tour-full" in str(p.get("className", "")))
    assert bool(notes) is disabled


@pytest.mark.parametrize("state, current", [
    (ViewState(territory="ITA", tour=("territory=FRA", "territory=ITA"), step=1), [False, True]),
    (ViewState(territory="FRA", tour=("territory=FRA", "territory=ITA")), [False, False]),  # not started
    # the view moved on from its step: no step is marked, and → still goes on from there
    (ViewState(territory="ITA", actors=("national",), tour=("territory=FRA", "territory=ITA"), step=1), [False, False]),
    (ViewState(territory="ITA", lang="fr", tour=("territory=FRA", "territory=ITA"), step=1), [False, True]),
])
def test_tour_marks_its_step_only_while_the_view_is_that_step(dataset, state, current):
    steps = _find(presenter.tour_box(dataset, state, Vocabulary.of(dataset)),
                  lambda p: "tour-step" in str(p.get("className", "")).split())
    assert [" current" in p["className"] for p in steps] == current
    assert [p.get("aria-current") == "step" for p in steps] == current
