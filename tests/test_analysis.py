"""The matrix, the comparison, similar links and the PNG export (the printable brief: test_brief.py).

Component tests build the Dash trees directly; browser tests drive headless Chromium through
dash_duo with the helpers of helpers.py. Expected recommendations are computed here from the
CSV files, independently of dashboard.queries.
"""
from __future__ import annotations

import csv
import io
import json
import re
import struct
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlparse

import pytest
from PIL import Image
from selenium.webdriver.common.keys import Keys

from dashboard import analysis, data, queries
from dashboard.colours import contrast_ratio
from dashboard.figures import COLORSCALE
from dashboard.state import ViewState
from helpers import DATA, component_text, walk_components
from helpers import (
    card_ids, choose_compare, click_centered, compare_list_names, elements, emulate, panel_territory, press_keys, settle,
    tick, url_params, view_url, visit, wait_until)


# --- independent expectations, straight from the CSV files ---------------------------------------

@lru_cache(maxsize=None)
def _rows() -> tuple[dict, ...]:
    with (DATA / "theme_tags.csv").open(encoding="utf-8") as handle:
        tags: dict[str, list[str]] = {}
        for row in csv.DictReader(handle):
            tags.setdefault(row["recommendation_id"], []).append(row["theme"])
    with (DATA / "recommendations.csv").open(encoding="utf-8") as handle:
        return tuple({**row, "territories": row["territories"].split(";"), "themes": tags.get(row["id"], [])}
                     for row in csv.DictReader(handle))


def _expected_ids(theme: str, code: str, actors: tuple[str, ...] = ()) -> list[str]:
    """Recommendations of a territory and theme, by the given actors (all when empty), in document order."""
    return [r["id"] for r in _rows()
            if theme in r["themes"] and code in r["territories"] and (not actors or r["actor"] in actors)]


def _panel_order(ids: list[str]) -> list[str]:
    """The side panel lists national, then international, then private recommendations."""
    actor = {r["id"]: r["actor"] for r in _rows()}
    return sorted(ids, key=lambda i: ("national", "international", "private").index(actor[i]))  # stable


def _expected_matrix(actors: tuple[str, ...]) -> dict[tuple[str, str], int]:
    """Every non-empty (theme, territory) count."""
    counts: dict[tuple[str, str], int] = {}
    for r in _rows():
        if actors and r["actor"] not in actors:
            continue
        for theme in r["themes"]:
            for code in r["territories"]:
                counts[(theme, code)] = counts.get((theme, code), 0) + 1
    return counts





def _by_class(tree, name: str) -> list:
    return [c for c in walk_components(tree) if name in (getattr(c, "className", None) or "").split()]


# --- matrix components ----------------------------------------------------------------------------

@pytest.mark.parametrize("actors", [(), ("national",), ("international", "private")])
def test_matrix_cells_are_buttons_with_the_right_counts(dataset, actors):
    tree = analysis.matrix(dataset, ViewState(actors=actors))
    cells = {(action["theme"], action["code"]): int(b.children) for b in _by_class(tree, "matrix-cell")
             if (action := json.loads(getattr(b, "data-action")))["kind"] == "cell"}
    assert cells == _expected_matrix(actors)
    zeros = _by_class(tree, "matrix-zero")
    assert len(cells) + len(zeros) == len(dataset.themes) * len(dataset.mapped_codes)


def test_matrix_marks_the_selected_cell(dataset):
    tree = analysis.matrix(dataset, ViewState(territory="FRA", themes=("tourism",)))
    selected = [c for c in _by_class(tree, "matrix-cell") if "selected" in c.className.split()]
    assert [c.id for c in selected] == ["cell-tourism-FRA"]
    assert json.loads(getattr(selected[0], "data-action")) == {"kind": "cell", "theme": "tourism", "code": "FRA"}
    assert getattr(selected[0], "aria-pressed") == "true"


def test_matrix_in_french_names_territories_and_themes_in_french(dataset):
    text = component_text(analysis.matrix(dataset, ViewState(lang="fr")))
    assert "Italie" in text and "Justice et forces de l’ordre" in text and "Italy" not in text


@pytest.mark.parametrize("lang, columns", [
    ("en", ["Theme", "Argentina", "France", "Guyana", "Italy", "Martinique", "Mexico"]),
    ("fr", ["Thème", "Argentine", "France", "Guyana", "Italie", "Martinique", "Mexique"]),
])
def test_matrix_columns_are_in_the_territory_lists_order(dataset, lang, columns):
    header = [component_text(c) for c in walk_components(analysis.matrix(dataset, ViewState(lang=lang)))
              if type(c).__name__ == "Th" and getattr(c, "scope", None) == "col"]
    assert header == columns


@pytest.mark.parametrize("top", [1, 2, 4, 10, 40])
def test_matrix_cell_text_keeps_4_5_to_1_contrast_on_every_step_of_the_scale(top):
    steps = set()
    assert contrast_ratio(*analysis._cell_colours(0, top)) >= 4.5
    for count in range(1, top + 1):
        background, colour = analysis._cell_colours(count, top)
        steps.add(background)
        assert contrast_ratio(background, colour) >= 4.5, (count, top, background, colour)
    assert steps <= {c for _, c in COLORSCALE} and COLORSCALE[-1][1] in steps


# --- comparison components ------------------------------------------------------------------------

def _section_ids(tree, name: str) -> list[str]:
    (section,) = _by_class(tree, name)
    return [getattr(li, "data-rec-id") for li in walk_components(section) if getattr(li, "data-rec-id", None)]


@pytest.mark.parametrize("pair", [("FRA", "ITA"), ("FRA", "MTQ"), ("MEX", "ARG"), ("GUY", "MEX"), ("ITA", "FRA")])
def test_comparison_shows_what_compare_finds(dataset, pair):
    a, b = pair
    state = ViewState(tab="compare", compare=pair)
    tree = analysis.comparison(dataset, state)
    result = queries.compare(dataset.recommendations, dataset.similar, state, a, b, dataset.themes)
    for name, ids in (("compare-only-a", result.only_a), ("compare-only-b", result.only_b)):
        shown = _section_ids(tree, name)
        assert set(shown) == set(ids)
        # grouped by theme: each recommendation is listed once under each of its themes
        assert sorted(shown) == sorted(i for i in ids for _ in dataset.by_id[i].themes)
    (alike,) = _by_class(tree, "compare-alike")
    pairs = [(getattr(li, "data-rec-id"), getattr(li, "data-similar-id")) for li in walk_components(alike)
             if getattr(li, "data-rec-id", None)]
    assert pairs == list(result.alike)
    assert _section_ids(tree, "compare-common") == list(result.common)  # each once, in document order
    lists = {c.id: getattr(c, "data-value") for c in _by_class(tree, "compare-select")}
    assert lists == {"compare-a": a, "compare-b": b}


def test_comparison_defaults_to_the_first_two_territories(dataset):
    tree = analysis.comparison(dataset, ViewState(tab="compare"))
    values = [getattr(c, "data-value") for c in _by_class(tree, "compare-select")]
    assert values == list(dataset.mapped_codes[:2])


def test_comparison_lists_are_labelled_native_lists_of_every_comparable_territory(dataset):
    tree = analysis.comparison(dataset, ViewState(tab="compare", compare=("FRA", "ITA")))
    labels = [c.htmlFor for c in walk_components(tree) if type(c).__name__ == "Label"]
    assert labels == ["compare-a", "compare-b"]
    lists = _by_class(tree, "compare-select")
    assert [(type(c).__name__, c.id) for c in lists] == [("Select", "compare-a"), ("Select", "compare-b")]
    for side, element in zip("ab", lists):
        assert json.loads(getattr(element, "data-pick")) == {"kind": "compare", "side": side}
        options = [o.value for o in element.children]
        assert sorted(options) == sorted(dataset.mapped_codes)
        # no option carries `selected`: React's development build rejects it on a <select>'s options
        assert all(getattr(o, "selected", None) is None for o in element.children)


def test_comparison_lists_a_recommendation_with_no_theme(dataset):
    untagged = dataset.recommendations.copy()
    untagged.loc["r1-fra-2", "themes"] = ()
    bare = data.Dataset(untagged, dataset.themes, dataset.territories, dataset.reports, dataset.similar,
                        dataset.boundary_codes, dataset.data_dir)
    tree = analysis.comparison(bare, ViewState(tab="compare", compare=("FRA", "ITA")))
    assert "r1-fra-2" in _section_ids(tree, "compare-only-a")
    assert "No theme" in component_text(tree)


# --- browser: matrix ------------------------------------------------------------------------------

def _element(duo, component_id: str):
    """The element of a component by id (a cell's id holds characters a CSS selector would need escaped)."""
    return duo.driver.execute_script("return document.getElementById(arguments[0]);", component_id)


def _to_top(duo):
    duo.driver.execute_script("window.scrollTo({top: 0, behavior: 'instant'});")


def _matrix_cells(duo) -> dict[tuple[str, str], int]:
    found = duo.driver.execute_script(
        "return [...document.querySelectorAll('#matrix button.matrix-cell')].map(b => [b.dataset.action, b.textContent]);")
    cells = {}
    for action, text in found:
        key = json.loads(action)
        cells[(key["theme"], key["code"])] = int(text)
    return cells


def test_matrix_cell_shows_exactly_its_recommendations(start_atlas):
    dash_duo = start_atlas("tab=matrix&actor=national")
    dash_duo.wait_for_element("#matrix button.matrix-cell", timeout=10)
    assert not dash_duo.find_element("#map").is_displayed()  # the matrix replaces the map
    national = _expected_matrix(("national",))
    assert _matrix_cells(dash_duo) == national

    theme = "children_youth"
    expected = _expected_ids(theme, "FRA", ("national",))
    assert len(expected) == 10 and national[(theme, "FRA")] == 10
    cell_id = f"cell-{theme}-FRA"
    cell = _element(dash_duo, cell_id)
    assert int(cell.text) == len(expected)
    click_centered(dash_duo, cell)
    wait_until(dash_duo, lambda: panel_territory(dash_duo) == "FRA", message="France panel")
    wait_until(dash_duo, lambda: card_ids(dash_duo) == expected, message="the cell's recommendations")
    assert url_params(dash_duo) == {"territory": "FRA", "actor": "national", "theme": theme, "tab": "matrix"}
    wait_until(dash_duo, lambda: "selected" in _element(dash_duo, cell_id).get_attribute("class"),
               message="the cell marked as selected")
    assert _element(dash_duo, cell_id).get_attribute("aria-pressed") == "true"
    # the mouse click left the focus on the cell, and its red frame stays (Bootstrap's
    # button:focus:not(:focus-visible) used to take the outline away)
    focused, outline, width, colour, shadow = dash_duo.driver.execute_script(
        "const b = document.getElementById(arguments[0]), s = getComputedStyle(b);"
        "return [document.activeElement === b, s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow];", cell_id)
    assert focused and (outline, width, colour) == ("solid", "4px", "rgb(215, 25, 28)")
    assert shadow.startswith("rgb(215, 25, 28) 0px 0px 0px 4px inset"), shadow
    assert [e.get_attribute("value") for e in elements(dash_duo, "#theme-filter input:checked")] == [theme]

    # a second cell replaces the first selection
    click_centered(dash_duo, _element(dash_duo, "cell-tourism-ITA"))
    wait_until(dash_duo, lambda: card_ids(dash_duo) == _expected_ids("tourism", "ITA", ("national",)),
               message="Italy's tourism recommendations")
    assert panel_territory(dash_duo) == "ITA" and len(card_ids(dash_duo)) == national[("tourism", "ITA")]

    # the actor filter changes the counts
    _to_top(dash_duo)
    tick(dash_duo, "actor-filter", "international")
    both = _expected_matrix(("international", "national"))
    assert both != national
    wait_until(dash_duo, lambda: _matrix_cells(dash_duo) == both, message="counts for two actors")
    wait_until(dash_duo, lambda: card_ids(dash_duo) == _panel_order(_expected_ids("tourism", "ITA", ("national", "international"))),
               message="the panel under two actors")
    assert len(card_ids(dash_duo)) == both[("tourism", "ITA")]


def test_matrix_follows_the_search(start_atlas):
    dash_duo = start_atlas("tab=matrix&q=airbnb")
    dash_duo.wait_for_element("#matrix button.matrix-cell", timeout=10)
    ds = data.load(DATA)
    cells = _matrix_cells(dash_duo)
    expected = queries.matrix_counts(ds.recommendations, ViewState(q="airbnb"), ds.themes, ds.mapped_codes)
    assert cells == {k: v for k, v in expected.items() if v}
    assert sum(cells.values()) < 20


# --- browser: comparison --------------------------------------------------------------------------

def _compare_ids(duo, name: str) -> set[str]:
    return set(duo.driver.execute_script(
        "return [...document.querySelectorAll(arguments[0] + ' li[data-rec-id]')].map(e => e.dataset.recId);",
        f"#compare .{name}"))


def _alike(duo) -> list[tuple[str, str]]:
    return [tuple(p) for p in duo.driver.execute_script(
        "return [...document.querySelectorAll('#compare .compare-alike li')]"
        ".map(e => [e.dataset.recId, e.dataset.similarId]);")]


def _open_compare(start_atlas, query: str):
    """A fresh app opened at a comparison, once it is drawn."""
    duo = start_atlas(query)
    duo.wait_for_element("#compare .compare-only-a li", timeout=10)
    return duo


def test_compare_two_territories(start_atlas, dataset):
    dash_duo = _open_compare(start_atlas, "tab=compare&compare=FRA,ITA")
    fra_ita = queries.compare(dataset.recommendations, dataset.similar, ViewState(), "FRA", "ITA", dataset.themes)
    assert _compare_ids(dash_duo, "compare-only-a") == set(fra_ita.only_a) == {
        "r1-fra-2", "r1-fra-7", "r1-fra-9", "r1-fra-10", "r1-fra-11", "r1-fra-13", "r1-fra-14"}
    assert _compare_ids(dash_duo, "compare-only-b") == set(fra_ita.only_b) == {"r1-ita-2", "r1-ita-13"}
    assert _alike(dash_duo) == list(fra_ita.alike)
    assert ("r1-fra-17", "r1-ita-11") in _alike(dash_duo) and len(fra_ita.alike) == 11
    assert "Only in France (7)" in dash_duo.find_element("#compare .compare-only-a h3").text
    assert "(11)" in dash_duo.find_element("#compare .compare-alike h3").text
    # the 22 recommendations addressed to both are listed, each label naming its actor, no two alike
    assert "Addressed to both (22)" in dash_duo.find_element("#compare .compare-common h3").text
    assert _compare_ids(dash_duo, "compare-common") == set(fra_ita.common) and len(fra_ita.common) == 22
    labels = [e.text for e in elements(dash_duo, "#compare .compare-common li strong")]
    assert len(set(labels)) == len(labels) == 22
    assert {"International authorities No. 1 · Report 1", "Companies and private sector No. 1 · Report 1"} <= set(labels)

    choose_compare(dash_duo, "b", "MTQ")
    wait_until(dash_duo, lambda: url_params(dash_duo).get("compare") == "FRA,MTQ", message="the URL to follow")
    fra_mtq = queries.compare(dataset.recommendations, dataset.similar, ViewState(), "FRA", "MTQ", dataset.themes)
    wait_until(dash_duo, lambda: _compare_ids(dash_duo, "compare-only-b") == set(fra_mtq.only_b), message="Martinique's list")
    assert _compare_ids(dash_duo, "compare-only-a") == set(fra_mtq.only_a) and len(fra_mtq.only_a) == 18
    assert _alike(dash_duo) == []
    assert "Only in Martinique (14)" in dash_duo.find_element("#compare .compare-only-b h3").text
    assert "Justice & law enforcement" in dash_duo.find_element("#compare p.small").text  # a theme only France has
    assert url_params(dash_duo) == {"tab": "compare", "compare": "FRA,MTQ"}

    choose_compare(dash_duo, "a", "GUY")
    wait_until(dash_duo, lambda: url_params(dash_duo).get("compare") == "GUY,MTQ", message="the URL to follow side a")
    guy_mtq = queries.compare(dataset.recommendations, dataset.similar, ViewState(), "GUY", "MTQ", dataset.themes)
    wait_until(dash_duo, lambda: _compare_ids(dash_duo, "compare-only-a") == set(guy_mtq.only_a), message="Guyana's list")

    # back restores the earlier pair
    dash_duo.driver.back()
    wait_until(dash_duo, lambda: _compare_ids(dash_duo, "compare-only-a") == set(fra_mtq.only_a), message="back to France")


def test_compare_follows_the_actor_filter(start_atlas, dataset):
    dash_duo = _open_compare(start_atlas, "tab=compare&compare=MEX,ITA&lang=fr")
    assert "Seulement" in dash_duo.find_element("#compare .compare-only-a h3").text
    before = _compare_ids(dash_duo, "compare-only-a")
    tick(dash_duo, "actor-filter", "private")
    state = ViewState(actors=("private",))
    result = queries.compare(dataset.recommendations, dataset.similar, state, "MEX", "ITA", dataset.themes)
    wait_until(dash_duo, lambda: _compare_ids(dash_duo, "compare-only-a") == set(result.only_a), message="private only")
    assert set(result.only_a) < before


def _comparison_shown(duo) -> dict:
    """What the page says it compares, side a then side b: in the URL, in the lists and in the lists' headings."""
    headings = [duo.find_element(f"#compare .compare-only-{side} h3").text for side in "ab"]
    return {"url": url_params(duo).get("compare"), "lists": compare_list_names(duo),
            "headings": [re.sub(r"\s*\(\d+\)$", "", h) for h in headings]}


def test_compare_lists_never_disagree_with_the_page(start_atlas):
    """After each pick, the URL, both lists and the comparison show the picked territory on the picked
    side, and still do once the page has settled; picking the other side's territory swaps the sides."""
    names = {"FRA": "France", "ITA": "Italy", "MTQ": "Martinique"}
    dash_duo = _open_compare(start_atlas, "tab=compare&compare=FRA,ITA")
    for side, code, pair in [("b", "MTQ", ("FRA", "MTQ")),  # a new territory
                             ("b", "FRA", ("MTQ", "FRA")),  # the territory already on the other side
                             ("a", "ITA", ("ITA", "FRA")),
                             ("a", Keys.ARROW_DOWN, ("MTQ", "FRA"))]:  # the keyboard: the next name, Martinique
        expected = {"url": ",".join(pair), "lists": [names[c] for c in pair],
                    "headings": [f"Only in {names[c]}" for c in pair]}
        if code == Keys.ARROW_DOWN:
            dash_duo.driver.execute_script("document.getElementById('compare-a').focus();")
            press_keys(dash_duo, code)
            code = pair[0]
        else:
            choose_compare(dash_duo, side, code)
        wait_until(dash_duo, lambda: _comparison_shown(dash_duo) == expected,
                   message=f"{names[code]} picked on side {side}: the page to show {expected}")
        settle(dash_duo)
        assert _comparison_shown(dash_duo) == expected, f"after picking {code} on side {side}"


def test_back_leaves_the_compare_tab(start_atlas):
    """A freshly drawn comparison changes nothing, so it adds no history entry to go back through."""
    dash_duo = start_atlas()
    dash_duo.driver.get(view_url(dash_duo, "tab=compare"))  # its default pair, not in the URL
    dash_duo.wait_for_element("#compare .compare-only-a li", timeout=10)
    settle(dash_duo)  # any late callback has landed
    assert url_params(dash_duo) == {"tab": "compare"}
    dash_duo.driver.back()
    wait_until(dash_duo, lambda: url_params(dash_duo) == {}, message="back to the map's URL")

    # a tab switch is one step, undone by one Back; the lists it draws add none
    visit(dash_duo, "region=europe")
    tab = dash_duo.find_element('#tab input[value="compare"]').get_attribute("id")
    click_centered(dash_duo, dash_duo.find_element(f'#tab label[for="{tab}"]'))
    dash_duo.wait_for_element("#compare .compare-only-a li", timeout=10)
    settle(dash_duo)
    assert url_params(dash_duo) == {"region": "europe", "tab": "compare"}
    dash_duo.driver.back()
    wait_until(dash_duo, lambda: url_params(dash_duo) == {"region": "europe"}, message="the map's URL again")
    wait_until(dash_duo, lambda: dash_duo.find_element("#map").is_displayed(), message="the map again")


def test_picking_the_other_sides_default_territory_swaps_the_default_pair(start_atlas, dataset):
    dash_duo = _open_compare(start_atlas, "tab=compare")
    a, b = analysis.compare_pair(dataset, ViewState(tab="compare"))
    choose_compare(dash_duo, "a", b)
    wait_until(dash_duo, lambda: url_params(dash_duo).get("compare") == f"{b},{a}", message="the sides swapped")


# --- browser: similar links -----------------------------------------------------------------------

def _in_view(duo, selector: str) -> bool:
    """The element is drawn inside the window and inside every scrolling box around it."""
    return duo.driver.execute_script("""
        const el = document.querySelector(arguments[0]);
        if (!el) { return false; }
        const r = el.getBoundingClientRect();
        if (r.height === 0 || r.top < 0 || r.top >= window.innerHeight) { return false; }
        for (let p = el.parentElement; p; p = p.parentElement) {
            const s = getComputedStyle(p);
            if (/(auto|scroll|hidden)/.test(s.overflowY)) {
                const b = p.getBoundingClientRect();
                if (r.bottom <= b.top || r.top >= b.bottom) { return false; }
            }
        }
        return true;""", selector)


def test_similar_link_opens_the_other_territory_at_that_card(start_atlas):
    dash_duo = start_atlas()
    dash_duo.find_element('#territory-list button[data-code="FRA"]').click()
    wait_until(dash_duo, lambda: panel_territory(dash_duo) == "FRA", message="France panel")
    link = dash_duo.find_element('.rec-card[data-rec-id="r1-fra-17"] a.similar-link')
    assert link.text == "Italy, No. 11"
    assert link.get_attribute("href").endswith("/?territory=ITA#rec-r1-ita-11")
    assert "Also recommended in" in dash_duo.find_element('.rec-card[data-rec-id="r1-fra-17"] .also-in').text
    # every near-identical pair of data/similar.csv shows up on the cards of France
    with (DATA / "similar.csv").open(encoding="utf-8") as handle:
        pairs = {(r["recommendation_id"], r["similar_id"]) for r in csv.DictReader(handle)}
    shown = dash_duo.driver.execute_script(
        "return [...document.querySelectorAll('#side-panel a.similar-link')]"
        ".map(a => [a.closest('.rec-card').dataset.recId, a.hash.slice(5)]);")
    assert {tuple(p) for p in shown} == {p for p in pairs if p[0].startswith(("r1-fra-", "r1-int-", "r1-pri-"))}

    click_centered(dash_duo, link)
    wait_until(dash_duo, lambda: panel_territory(dash_duo) == "ITA", message="Italy panel")
    card = '.rec-card[data-rec-id="r1-ita-11"]'
    wait_until(dash_duo, lambda: "current" in dash_duo.find_element(card).get_attribute("class"), message="highlighted card")
    wait_until(dash_duo, lambda: _in_view(dash_duo, card), message="the card in view")
    assert dash_duo.driver.execute_script("return document.querySelectorAll('#side-panel .rec-card.current').length") == 1
    assert urlparse(dash_duo.driver.current_url).fragment == "rec-r1-ita-11"
    assert url_params(dash_duo) == {"territory": "ITA"}
    # and back again, by the link on the Italian card
    back = dash_duo.find_element(f"{card} a.similar-link")
    assert back.text == "France, No. 17"
    click_centered(dash_duo, back)
    wait_until(dash_duo, lambda: panel_territory(dash_duo) == "FRA", message="France again")
    first = '.rec-card[data-rec-id="r1-fra-17"]'
    wait_until(dash_duo, lambda: "current" in dash_duo.find_element(first).get_attribute("class"), message="France 17 highlighted")
    wait_until(dash_duo, lambda: _in_view(dash_duo, first), message="France 17 in view")


@pytest.mark.parametrize("query, card, screen", [
    # presenter mode makes the panel's column the box that scrolls, after the first HTML was scrolled
    ("present=1&territory=ITA#rec-r1-pri-9", "r1-pri-9", None),
    # a phone's sheet starts folded: the linked card unfolds it
    ("territory=ITA#rec-r1-ita-11", "r1-ita-11", {"width": 375, "height": 812, "deviceScaleFactor": 2, "mobile": True}),
    ("territory=ITA#rec-r1-pri-9", "r1-pri-9", None),
])
def test_an_address_naming_a_card_opens_at_that_card(start_atlas, query, card, screen):
    dash_duo = start_atlas()
    if screen:
        emulate(dash_duo, screen, query)
    else:
        visit(dash_duo, query)
    selector = f'.rec-card[data-rec-id="{card}"]'
    wait_until(dash_duo, lambda: "current" in dash_duo.find_element(selector).get_attribute("class"), message="highlighted card")
    wait_until(dash_duo, lambda: _in_view(dash_duo, selector), message="the card in view")


def test_a_new_territory_starts_at_the_top_of_its_panel_when_the_window_was_scrolled(start_atlas):
    """Below presenter mode on a desktop the window scrolls, not the panel's column: a territory chosen on the
    map while the window is down in the last panel's cards shows the new panel from its top."""
    dash_duo = start_atlas("territory=FRA")
    dash_duo.driver.execute_script("window.scrollTo(0, 1500);")
    wait_until(dash_duo, lambda: dash_duo.driver.execute_script(
        "return document.querySelector('#side-panel').getBoundingClientRect().top") < -1000, message="scrolled down")
    dash_duo.driver.execute_script("window.atlasActions.queue({kind: 'territory', code: 'ITA'});")  # as a map click does
    wait_until(dash_duo, lambda: panel_territory(dash_duo) == "ITA", message="Italy panel")
    wait_until(dash_duo, lambda: -2 < dash_duo.driver.execute_script(
        "return document.querySelector('#side-panel').getBoundingClientRect().top") < 5, message="the panel's top in view")


def test_following_the_same_similar_link_twice_highlights_the_card_each_time(start_atlas):
    dash_duo = start_atlas()
    card = '.rec-card[data-rec-id="r1-ita-11"]'
    for _ in range(2):
        click_centered(dash_duo, dash_duo.find_element('#territory-list button[data-code="FRA"]'))
        wait_until(dash_duo, lambda: panel_territory(dash_duo) == "FRA", message="France panel")
        click_centered(dash_duo, dash_duo.find_element('.rec-card[data-rec-id="r1-fra-17"] a.similar-link'))
        wait_until(dash_duo, lambda: panel_territory(dash_duo) == "ITA", message="Italy panel")
        wait_until(dash_duo, lambda: "current" in dash_duo.find_element(card).get_attribute("class"), timeout=5,
                   message="highlighted card")


def test_similar_link_keeps_the_language(start_atlas):
    dash_duo = start_atlas("lang=fr&territory=MEX")
    wait_until(dash_duo, lambda: panel_territory(dash_duo) == "MEX")
    link = dash_duo.find_element('.rec-card[data-rec-id="r2-mex-arg-3"] a.similar-link')
    assert link.text == "Autorités internationales, n° 2"  # a shared recommendation is named by its actor
    assert link.get_attribute("href").endswith("/?lang=fr&territory=FRA#rec-r1-int-2")
    click_centered(dash_duo, link)
    wait_until(dash_duo, lambda: panel_territory(dash_duo) == "FRA", message="the first territory of the shared one")
    card = '.rec-card[data-rec-id="r1-int-2"]'
    wait_until(dash_duo, lambda: "current" in dash_duo.find_element(card).get_attribute("class"), message="highlighted card")
    wait_until(dash_duo, lambda: _in_view(dash_duo, card), message="the card in view")
    assert dash_duo.find_element("h1").text == "Atlas des recommandations"


# --- browser: PNG export --------------------------------------------------------------------------

def test_export_the_map_as_a_1920_by_1080_png(start_atlas):
    dash_duo = start_atlas()
    dash_duo.find_element("#export-png").click()
    target = Path(dash_duo.download_path) / "atlas-map.png"
    wait_until(dash_duo, target.exists, timeout=20, message="the PNG download")
    png = target.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert png[12:16] == b"IHDR"
    assert struct.unpack(">II", png[16:24]) == (1920, 1080)
    with Image.open(io.BytesIO(png)) as image:
        assert image.size == (1920, 1080)
        pixels = image.convert("RGB").resize((192, 108)).getdata()
        grey = sum(1 for p in pixels if all(abs(c - 0xd9) < 8 for c in p))  # the context countries
        coloured = sum(1 for p in pixels if max(p) - min(p) > 40)  # territories on the colour scale
    assert grey > 500 and coloured > 50, (grey, coloured)
