"""End to end in headless Chromium: load, click, filter, search, switch language, deep links, CSV."""
from __future__ import annotations

import csv
import io
from pathlib import Path
from urllib.parse import urlparse

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC

from helpers import (
    assert_clean_page, card_ids, choose_compare, click_centered, elements, map_counts, panel_territory, tick,
    url_params, wait_until)

SHARED_REPORT_1 = 11 + 11  # international + private recommendations of report 1


def _cards(duo):
    return elements(duo, "#side-panel .rec-card")


def test_loads_with_no_console_error_and_no_foreign_request(atlas):
    assert atlas.find_element("h1").text == "Atlas of recommendations"
    counts = map_counts(atlas)
    assert counts == {"ARG": 16, "FRA": 40, "GUY": 26, "ITA": 35, "MEX": 16, "MTQ": 36}
    assert len(elements(atlas, "#map .choroplethlocation")) > 200  # the grey context countries are drawn
    assert panel_territory(atlas) == ""
    assert "87" in atlas.find_element("#side-panel .total").text
    assert_clean_page(atlas)


def _bubble(duo, code: str):
    """The small-territory bubble drawn for a code."""
    return duo.driver.execute_script(
        "const g = document.querySelector('#map .js-plotly-plot');"
        "const t = g.data.find(t => t.name === 'small');"
        "const j = t.customdata.indexOf(arguments[0]);"
        "return j < 0 ? null : document.querySelectorAll('#map .scattergeo path.point')[j];", code)


def _click_at(duo, element):
    """Click where the element is drawn, as a mouse would (plotly picks the point under the cursor)."""
    ActionChains(duo.driver).move_to_element(element).click().perform()


def test_click_martinique_on_the_map(atlas):
    bubble = _bubble(atlas, "MTQ")
    assert bubble is not None, "Martinique has no bubble"
    size = bubble.size
    assert size["width"] >= 12 and size["height"] >= 12  # clickable at the default view
    _click_at(atlas, bubble)
    wait_until(atlas, lambda: panel_territory(atlas) == "MTQ", message="Martinique panel")
    ids = card_ids(atlas)
    assert len(ids) == 14 + SHARED_REPORT_1
    assert [i for i in ids if i.startswith("r1-mtq-")] == [f"r1-mtq-{n}" for n in range(1, 15)]
    assert atlas.find_element("#side-panel h2").text == "Martinique"
    first_shared = atlas.find_element('.rec-card[data-rec-id="r1-int-1"] .shared-with').text
    assert first_shared == "Shared with France, Italy, and Guyana"
    assert "on social networks" in atlas.find_element('.rec-card[data-rec-id="r1-mtq-4"] .translation-note').text
    assert "territory=MTQ" in atlas.driver.current_url
    # clicking the selected territory again deselects it
    _click_at(atlas, _bubble(atlas, "MTQ"))
    wait_until(atlas, lambda: panel_territory(atlas) == "", message="deselection")


def test_hover_shows_name_and_count_in_the_current_language(start_atlas):
    dash_duo = start_atlas("lang=fr")
    ActionChains(dash_duo.driver).move_to_element(_bubble(dash_duo, "MTQ")).perform()
    wait_until(dash_duo, lambda: "Martinique" in dash_duo.find_element("#map .hoverlayer").text, message="hover label")
    assert "36 recommandations" in dash_duo.find_element("#map .hoverlayer").text


def test_region_presets_and_map_reset(atlas):
    def geo_window():
        return atlas.driver.execute_script(
            "const l = document.querySelector('#map .js-plotly-plot').layout.geo;"
            "return [l.lonaxis && l.lonaxis.range, l.lataxis && l.lataxis.range];")

    world = geo_window()
    atlas.find_element("#region label[for*='caribbean'], #region .form-check:nth-of-type(3) label").click()
    wait_until(atlas, lambda: geo_window() != world, message="Caribbean window")
    lon, lat = geo_window()
    assert -62 > lon[0] >= -90 and lat[0] < 14.4 and lat[1] > 14.9  # Martinique is in view
    assert "region=caribbean" in atlas.driver.current_url
    atlas.find_element('#territory-list button[data-code="MTQ"]').click()
    wait_until(atlas, lambda: panel_territory(atlas) == "MTQ")
    atlas.find_element("#map-reset").click()
    wait_until(atlas, lambda: geo_window() == world and panel_territory(atlas) == "", message="reset to the world")
    assert "region=" not in atlas.driver.current_url
    # the preset buttons follow the reset
    wait_until(atlas, lambda: atlas.find_element("#region input:checked").get_attribute("value") == "world",
               message="the World preset to be checked")


def test_territory_list_and_clear_button(atlas):
    atlas.find_element('#territory-list button[data-code="GUY"]').click()
    wait_until(atlas, lambda: panel_territory(atlas) == "GUY", message="Guyana panel")
    assert atlas.find_element("#side-panel h2").text == "Guyana"
    assert len(_cards(atlas)) == 4 + SHARED_REPORT_1
    assert atlas.find_element('#territory-list button[data-code="GUY"]').get_attribute("aria-pressed") == "true"
    atlas.find_element("#side-panel button[id*='clear-territory']").click()
    wait_until(atlas, lambda: panel_territory(atlas) == "", message="cleared panel")


def test_theme_filter_changes_map_and_cards(atlas):
    before = map_counts(atlas)
    atlas.find_element('#territory-list button[data-code="MTQ"]').click()
    wait_until(atlas, lambda: panel_territory(atlas) == "MTQ")
    all_ids = set(card_ids(atlas))
    box = tick(atlas, "theme-filter", "health")
    theme_name = atlas.find_element(f'#theme-filter label[for="{box.get_attribute("id")}"]').text
    wait_until(atlas, lambda: map_counts(atlas) != before, message="map counts to change")
    after = map_counts(atlas)
    assert all(after[c] <= before[c] for c in after) and sum(after.values()) < sum(before.values())
    wait_until(atlas, lambda: set(card_ids(atlas)) != all_ids, message="cards to change")
    ids = card_ids(atlas)
    assert 0 < len(ids) < len(all_ids)
    assert len(ids) == after.get("MTQ", 0)
    assert "theme=" in atlas.driver.current_url
    assert theme_name.split()[0] in atlas.find_element("#side-panel .rec-card").text


def test_theme_chip_on_a_card_filters_by_that_theme(atlas):
    atlas.find_element('#territory-list button[data-code="ITA"]').click()
    wait_until(atlas, lambda: panel_territory(atlas) == "ITA")
    chip = atlas.find_element('.rec-card[data-rec-id="r1-ita-11"] .theme-chip')
    theme = chip.text
    # what it does, with the theme's definition: said once in the page, and its tooltip once pointed at
    said = atlas.driver.execute_script(
        "return document.getElementById(arguments[0].getAttribute('aria-describedby')).textContent", chip)
    assert said.startswith("Filter by this theme: ") and len(said) > 60
    ActionChains(atlas.driver).move_to_element(chip).perform()
    wait_until(atlas, lambda: chip.get_attribute("title") == said, message="the chip's tooltip")
    chip.click()
    wait_until(atlas, EC.url_contains("theme="), message="theme in URL")
    checked = [e.text for e in elements(atlas, "#theme-filter input:checked + label")]
    assert len(checked) == 1 and checked[0].startswith(theme)
    wait_until(atlas, lambda: all(theme in c.text for c in _cards(atlas)), message="only cards of that theme")
    # the chip now shows it is on, and a second press turns the filter off again
    active = atlas.find_element('.rec-card[data-rec-id="r1-ita-11"] .theme-chip.active')
    assert active.text == theme and active.get_attribute("aria-pressed") == "true"
    assert atlas.driver.execute_script("return document.getElementById(arguments[0].getAttribute('aria-describedby'))"
                                       ".textContent", active).startswith("Stop filtering by this theme: ")
    active.click()
    wait_until(atlas, EC.none_of(EC.url_contains("theme=")), message="the theme filter to go")
    assert elements(atlas, "#theme-filter input:checked") == []


def test_a_click_while_a_typed_search_is_pending_keeps_both(atlas):
    """The search box sends its text when it loses focus, in the same request as the click that took the focus."""
    atlas.find_element("#search").send_keys("enfant")
    atlas.find_element('#territory-list button[data-code="FRA"]').click()
    wait_until(atlas, lambda: panel_territory(atlas) == "FRA", message="France panel")
    wait_until(atlas, EC.url_contains("q=enfant"), message="the search in the URL")
    assert "territory=FRA" in atlas.driver.current_url
    assert atlas.find_element("#search").get_attribute("value") == "enfant"
    assert 0 < len(_cards(atlas)) < 40


def test_search_prevention_with_accent(atlas):
    box = atlas.find_element("#search")
    box.send_keys("prévention", Keys.ENTER)
    wait_until(atlas, lambda: len(_cards(atlas)) > 0, message="search results")
    marks = [m.text.lower() for m in elements(atlas, "#side-panel .rec-card .rec-text mark")]
    assert marks and set(marks) <= {"prevention", "prévention"}
    assert "q=pr%C3%A9vention" in atlas.driver.current_url
    assert len(_cards(atlas)) == sum(1 for c in _cards(atlas) if c.find_elements(By.CSS_SELECTOR, "mark"))


def test_switch_to_french(atlas):
    atlas.find_element('#territory-list button[data-code="MTQ"]').click()
    wait_until(atlas, lambda: panel_territory(atlas) == "MTQ")
    atlas.find_element("#lang").click()
    wait_until(atlas, EC.text_to_be_present_in_element((By.CSS_SELECTOR, "h1"), "Atlas des recommandations"),
               message="French page")
    assert "lang=fr" in atlas.driver.current_url
    wait_until(atlas, lambda: panel_territory(atlas) == "MTQ", message="the panel drawn again")  # an island
    text = atlas.find_element('.rec-card[data-rec-id="r1-mtq-4"] .rec-text').text
    assert text == "Campagne de sensibilisation adaptée au contexte local sur les réseaux sociaux."
    assert "Autorités internationales" in atlas.find_element("#actor-filter").text
    assert atlas.find_element("#side-panel").text.count("Partagée avec France, Italie et Guyana") == SHARED_REPORT_1
    # the tab's title and the document's language follow
    assert atlas.driver.title == "Martinique · Atlas des recommandations"
    assert atlas.driver.execute_script("return document.documentElement.lang") == "fr"


def test_deep_link_restores_the_view_and_back_works(start_atlas):
    dash_duo = start_atlas("lang=fr&territory=MTQ&actor=national&q=formation")
    wait_until(dash_duo, lambda: panel_territory(dash_duo) == "MTQ")
    assert dash_duo.find_element("h1").text == "Atlas des recommandations"
    assert [e.get_attribute("value") for e in elements(dash_duo, "#actor-filter input:checked")] == ["national"]
    assert dash_duo.find_element("#search").get_attribute("value") == "formation"
    assert card_ids(dash_duo) == ["r1-mtq-6", "r1-mtq-9", "r1-mtq-10"]
    # change the view, then go back
    dash_duo.find_element('#territory-list button[data-code="FRA"]').click()
    wait_until(dash_duo, lambda: panel_territory(dash_duo) == "FRA")
    assert "territory=FRA" in dash_duo.driver.current_url
    dash_duo.driver.back()
    wait_until(dash_duo, lambda: card_ids(dash_duo) == ["r1-mtq-6", "r1-mtq-9", "r1-mtq-10"], message="back to Martinique")
    assert panel_territory(dash_duo) == "MTQ"
    dash_duo.driver.forward()
    wait_until(dash_duo, lambda: panel_territory(dash_duo) == "FRA", message="forward to France")


def test_garbage_parameters_show_a_notice_not_an_error(start_atlas):
    dash_duo = start_atlas("territory=ZZZ&actor=martians&report=99&region=mars&lang=de")
    notice = dash_duo.find_element("#invalid-params").text
    for name in ("territory", "actor", "report", "region", "lang"):
        assert name in notice
    assert panel_territory(dash_duo) == ""
    assert "Traceback" not in dash_duo.driver.page_source


def test_download_the_current_view_as_csv(atlas):
    atlas.find_element('#territory-list button[data-code="GUY"]').click()
    wait_until(atlas, lambda: panel_territory(atlas) == "GUY")
    tick(atlas, "actor-filter", "national")
    wait_until(atlas, lambda: len(_cards(atlas)) == 4, message="Guyana's national recommendations")
    atlas.find_element("#download-view").click()
    target = Path(atlas.download_path) / "atlas-recommendations.csv"
    wait_until(atlas, target.exists, timeout=10, message="the CSV download")
    text = target.read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["id"] for r in rows] == ["r1-guy-1", "r1-guy-2", "r1-guy-3", "r1-guy-4"]
    assert rows[0]["text_fr"].startswith("Renforcer la capacité des forces de l'ordre")
    assert rows[0]["territory_names_en"] == "Guyana" and rows[0]["themes"]


def test_reset_all_clears_every_filter(start_atlas):
    dash_duo = start_atlas("territory=ITA&actor=national&theme=health&report=1&q=minors&region=europe")
    wait_until(dash_duo, lambda: panel_territory(dash_duo) == "ITA")
    assert len(card_ids(dash_duo)) < 35
    dash_duo.find_element("#reset").click()
    wait_until(dash_duo, lambda: panel_territory(dash_duo) == "", message="reset view")
    assert urlparse(dash_duo.driver.current_url).query == ""
    assert elements(dash_duo, "#actor-filter input:checked") == []
    assert elements(dash_duo, "#theme-filter input:checked") == []
    assert dash_duo.find_element("#search").get_attribute("value") == ""
    assert "87" in dash_duo.find_element("#side-panel .total").text


def test_dash_dev_tools_find_no_callback_error_on_any_view(start_atlas):
    """With callback validation on, Dash's dev tools check every callback against the layout and its
    (bare) validation layout: a territory, the print button, the matrix and the comparison (and a pick in its
    lists) raise nothing."""
    duo = start_atlas(debug=True)
    duo.find_element('#territory-list button[data-code="MTQ"]').click()
    wait_until(duo, lambda: panel_territory(duo) == "MTQ", message="Martinique panel")
    for tab in ("matrix", "compare", "map"):
        box = duo.find_element(f'#tab input[value="{tab}"]').get_attribute("id")
        click_centered(duo, duo.find_element(f'#tab label[for="{box}"]'))
        wait_until(duo, lambda: f"tab={tab}" in duo.driver.current_url or (tab == "map" and "tab=" not in duo.driver.current_url),
                   message=f"the {tab} tab")
        if tab == "compare":  # a pick in its lists, drawn by React's development build
            choose_compare(duo, "b", "ITA")
            wait_until(duo, lambda: url_params(duo).get("compare", "").endswith(",ITA"), message="Italy picked")
    assert elements(duo, ".test-devtools-error-count") == [], duo.find_element(".dash-debug-menu__outer").text
