"""Quick actions on a slow network: every press counts, in order (actions.js + dashboard.actions).

The server here answers each callback 400 ms late, as a busy conference Wi-Fi would, and the test
acts faster than that. Links that were written at the last answer get what the user typed since.
"""
from __future__ import annotations

import csv
import io
import json
import time
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC

from helpers import card_ids, choose_compare, click, elements, panel_territory, press_keys, tick, url_params, wait_until

LATENCY = 0.4


@pytest.fixture
def slow_atlas(start_atlas):
    """The Atlas at a view, its callbacks answering LATENCY seconds late."""
    return lambda query="": start_atlas(query, latency=LATENCY)


def _list_button(duo, code: str):
    return duo.find_element(f'#territory-list button[data-code="{code}"]')


def test_three_quick_arrow_presses_move_three_tour_steps(slow_atlas):
    dash_duo = slow_atlas("present=1&tour=territory=FRA|territory=ITA|territory=MTQ|territory=MEX&step=0")
    wait_until(dash_duo, lambda: panel_territory(dash_duo) == "FRA", message="the first step")
    press_keys(dash_duo, Keys.ARROW_RIGHT, Keys.ARROW_RIGHT, Keys.ARROW_RIGHT)
    wait_until(dash_duo, lambda: url_params(dash_duo).get("step") == "3", message="step 3 in the URL")
    wait_until(dash_duo, lambda: panel_territory(dash_duo) == "MEX", message="Mexico's panel")
    press_keys(dash_duo, Keys.ARROW_LEFT, Keys.ARROW_LEFT)
    wait_until(dash_duo, lambda: url_params(dash_duo).get("step") == "1" and panel_territory(dash_duo) == "ITA",
               message="back two steps")
    time.sleep(3 * LATENCY)  # nothing overwrites it later
    assert panel_territory(dash_duo) == "ITA" and url_params(dash_duo)["territory"] == "ITA"
    assert dash_duo.driver.execute_script(  # the tour box is hidden in presenter mode
        "return [...document.querySelectorAll('#tour-box .tour-step.current')].map(e => e.textContent);") == ["Italy"]


def test_quick_arrow_presses_walk_the_territory_list(slow_atlas):
    dash_duo = slow_atlas("present=1")
    order = dash_duo.driver.execute_script(
        "return [...document.querySelectorAll('#territory-list button.territory-item')].map(b => b.dataset.code);")
    press_keys(dash_duo, Keys.ARROW_RIGHT, Keys.ARROW_RIGHT, Keys.ARROW_RIGHT)
    wait_until(dash_duo, lambda: panel_territory(dash_duo) == order[2], message="the third territory")
    press_keys(dash_duo, Keys.ARROW_LEFT, Keys.ARROW_LEFT, Keys.ARROW_LEFT)
    wait_until(dash_duo, lambda: panel_territory(dash_duo) == order[-1], message="round to the last territory")


def test_arrow_keeps_the_only_listed_territory(slow_atlas):
    dash_duo = slow_atlas("present=1&q=martinique&territory=MTQ")
    assert card_ids(dash_duo) == ["r1-mtq-1"]
    press_keys(dash_duo, Keys.ARROW_RIGHT)
    time.sleep(3 * LATENCY)
    assert panel_territory(dash_duo) == "MTQ" and url_params(dash_duo)["territory"] == "MTQ"


def test_a_click_then_a_chip_of_the_panel_on_screen_keeps_both(slow_atlas):
    dash_duo = slow_atlas("territory=FRA")
    chip = dash_duo.find_element('.rec-card[data-rec-id="r1-fra-1"] .theme-chip')
    theme = json.loads(chip.get_attribute("data-action"))["theme"]
    _list_button(dash_duo, "ITA").click()
    chip.click()  # France's panel is still on screen
    wait_until(dash_duo, lambda: url_params(dash_duo) == {"territory": "ITA", "theme": theme}, message="Italy and the theme")
    wait_until(dash_duo, lambda: panel_territory(dash_duo) == "ITA", message="Italy's panel")


def test_a_click_then_a_tick_keeps_both(slow_atlas):
    dash_duo = slow_atlas()
    _list_button(dash_duo, "MTQ").click()
    tick(dash_duo, "actor-filter", "national")
    wait_until(dash_duo, lambda: url_params(dash_duo) == {"territory": "MTQ", "actor": "national"}, message="both in the URL")
    wait_until(dash_duo, lambda: len(card_ids(dash_duo)) == 14, message="Martinique's national recommendations")


def test_views_added_quickly_to_a_tour_are_all_kept_in_order(slow_atlas):
    dash_duo = slow_atlas()
    _list_button(dash_duo, "FRA").click()
    click(dash_duo, "#tour-add")
    _list_button(dash_duo, "ITA").click()
    click(dash_duo, "#tour-add")
    wait_until(dash_duo, lambda: url_params(dash_duo).get("tour") == "territory=FRA|territory=ITA", message="two views")
    wait_until(dash_duo, lambda: [s.text for s in elements(dash_duo, "#tour-box .tour-step")] == ["France", "Italy"],
               message="the tour's list")


def test_a_reset_then_a_tick_keeps_the_tick(slow_atlas):
    dash_duo = slow_atlas("territory=ITA&actor=national&theme=tourism")
    dash_duo.find_element("#reset").click()
    tick(dash_duo, "theme-filter", "health")  # the old filters are still on screen, tourism ticked
    wait_until(dash_duo, lambda: url_params(dash_duo) == {"theme": "health"}, message="only the tick after the reset")
    time.sleep(3 * LATENCY)
    assert url_params(dash_duo) == {"theme": "health"}
    assert [e.get_attribute("value") for e in elements(dash_duo, "#theme-filter input:checked")] == ["health"]
    assert elements(dash_duo, "#actor-filter input:checked") == []
    assert dash_duo.find_element("#search").get_attribute("value") == ""


def test_a_search_then_a_reset_clears_the_box(slow_atlas):
    dash_duo = slow_atlas()
    dash_duo.find_element("#search").send_keys("traite", Keys.ENTER)
    dash_duo.find_element("#reset").click()
    time.sleep(4 * LATENCY)
    wait_until(dash_duo, lambda: dash_duo.find_element("#search").get_attribute("value") == "", message="an empty box")
    assert url_params(dash_duo) == {}
    assert "87" in dash_duo.find_element("#side-panel .total").text


def test_a_compare_pick_then_add_this_view_keeps_the_pick(slow_atlas):
    dash_duo = slow_atlas("tab=compare&compare=FRA,ITA")
    choose_compare(dash_duo, "b", "MTQ")
    dash_duo.driver.execute_script("document.getElementById('tour-add').click();")  # at once, whatever redraws
    wait_until(dash_duo, lambda: url_params(dash_duo).get("tour") == "tab=compare&compare=FRA,MTQ", message="the pick in the tour")
    assert url_params(dash_duo)["compare"] == "FRA,MTQ"


def test_back_right_after_a_click_goes_back(slow_atlas):
    dash_duo = slow_atlas("territory=FRA")
    _list_button(dash_duo, "ITA").click()
    wait_until(dash_duo, lambda: url_params(dash_duo) == {"territory": "ITA"}, message="Italy")
    time.sleep(2 * LATENCY)
    _list_button(dash_duo, "MTQ").click()
    dash_duo.driver.back()  # before Martinique's answer
    wait_until(dash_duo, lambda: panel_territory(dash_duo) == "FRA" and url_params(dash_duo) == {"territory": "FRA"},
               message="back at France")
    time.sleep(3 * LATENCY)
    assert panel_territory(dash_duo) == "FRA" and url_params(dash_duo) == {"territory": "FRA"}
    dash_duo.driver.forward()
    wait_until(dash_duo, lambda: panel_territory(dash_duo) == "ITA", message="forward to Italy")


def test_esc_twice_leaves_presenter_mode_for_good(slow_atlas):
    dash_duo = slow_atlas("present=1&territory=FRA")
    press_keys(dash_duo, Keys.ESCAPE, Keys.ESCAPE, Keys.ARROW_RIGHT)  # the arrow comes after leaving: not a presenter key
    wait_until(dash_duo, lambda: "present" not in url_params(dash_duo), message="presenter mode left")
    time.sleep(3 * LATENCY)
    assert url_params(dash_duo) == {"territory": "FRA"}
    assert not dash_duo.driver.execute_script("return document.body.classList.contains('presenting');")


def test_down_right_after_right_walks_the_new_territorys_cards(slow_atlas):
    dash_duo = slow_atlas("present=1&territory=FRA")
    press_keys(dash_duo, Keys.ARROW_RIGHT, Keys.ARROW_DOWN, Keys.ARROW_DOWN)
    wait_until(dash_duo, lambda: panel_territory(dash_duo) == "GUY", message="Guyana, after France")
    wait_until(dash_duo, lambda: dash_duo.driver.execute_script(
        "return [...document.querySelectorAll('#side-panel .rec-card.current')].map(c => c.dataset.recId);")
        == [card_ids(dash_duo)[1]], message="Guyana's second card")


def test_csv_right_after_a_click_is_the_new_view(slow_atlas):
    dash_duo = slow_atlas("territory=FRA")
    _list_button(dash_duo, "MEX").click()
    dash_duo.find_element("#download-view").click()
    target = Path(dash_duo.download_path) / "atlas-recommendations.csv"
    wait_until(dash_duo, target.exists, timeout=10, message="the CSV download")
    rows = list(csv.DictReader(io.StringIO(target.read_bytes().decode("utf-8-sig"))))
    assert rows and all("MEX" in r["territories"].split("; ") for r in rows)


def test_language_switch_keeps_a_search_typed_but_not_sent(slow_atlas):
    dash_duo = slow_atlas("territory=FRA")
    dash_duo.find_element("#search").send_keys("enfant")
    dash_duo.find_element("#lang").click()
    wait_until(dash_duo, EC.text_to_be_present_in_element((By.CSS_SELECTOR, "h1"), "Atlas des recommandations"),
               message="French page")
    wait_until(dash_duo, lambda: url_params(dash_duo) == {"lang": "fr", "territory": "FRA", "q": "enfant"}, message="the search kept")
    assert dash_duo.find_element("#search").get_attribute("value") == "enfant"
    assert 0 < len(card_ids(dash_duo)) < 40


def test_csv_link_takes_a_search_typed_but_not_sent(slow_atlas):
    dash_duo = slow_atlas("territory=FRA")
    dash_duo.find_element("#search").send_keys("airbnb")
    dash_duo.find_element("#download-view").click()
    target = Path(dash_duo.download_path) / "atlas-recommendations.csv"
    wait_until(dash_duo, target.exists, timeout=10, message="the CSV download")
    rows = list(csv.DictReader(io.StringIO(target.read_bytes().decode("utf-8-sig"))))
    assert [r["id"] for r in rows] == ["r1-fra-17"]
