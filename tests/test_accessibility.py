"""Accessibility (WCAG 2.1 AA) in headless Chromium: axe-core audits of the main views, keyboard use,
the screen-reader table behind the map, colours (contrast and colour-blind vision) and layouts from
a 375 px phone to a 3840 px screen."""
from __future__ import annotations

import itertools
import math
import re
from pathlib import Path

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC

from dashboard.colours import contrast_ratio, linear_rgb
from helpers import elements, map_counts, panel_territory, settle, tick, visit, wait_until

VIEWS = {
    "main": ("/", "p && p.dataset.territory === ''"),
    "territory": ("/?territory=MTQ", "p && p.dataset.territory === 'MTQ'"),
    "matrix": ("/?tab=matrix", "p && document.querySelector('#matrix .matrix-cell')"),
    "compare": ("/?tab=compare&compare=FRA,ITA", "p && document.querySelector('#compare')"),
    "presenter": ("/?present=1&territory=MTQ", "p && p.dataset.territory === 'MTQ' && document.body.classList.contains('presenting')"),
    # and two empty states: filters that leave nothing, a territory with no recommendation
    "no match": ("/?theme=children_youth&actor=private", "p && document.querySelector('#empty-state')"),
    "no recommendation": ("/?territory=BRA", "p && p.dataset.territory === 'BRA' && document.querySelector('#empty-state')"),
}
FIVE = ("main", "territory", "matrix", "compare", "presenter")


def _open(start_atlas, query: str, ready: str = "true"):
    """Serve the Atlas at a view and wait until it has settled: map drawn, panel present, no callback pending,
    DOM still."""
    duo = start_atlas(query.removeprefix("/").removeprefix("?"))
    _ready(duo, query, ready)
    return duo


def _ready(duo, query: str, ready: str):
    wait_until(duo, lambda: duo.driver.execute_script(
        f"const p = document.querySelector('#side-panel'); return Boolean({ready});"), timeout=15, message=f"{query} ready")
    settle(duo)


AXE = (Path(__file__).resolve().parent / "vendor" / "axe.min.js").read_text()  # axe-core 4, by bin/vendor-assets


def _audit(duo) -> dict:
    """axe-core's audit of the whole page; its passes name one node each, its violations every node."""
    driver = duo.driver
    if not driver.execute_script("return typeof axe === 'object';"):
        driver.execute_script(AXE)
    results = driver.execute_async_script("""const done = arguments[arguments.length - 1];
        axe.run(document, {resultTypes: ['violations']}).then(done, e => done({error: String(e)}));""")
    assert "error" not in results, f"axe-core stopped: {results.get('error')}"
    return results


def _violations(results: dict) -> list[str]:
    """Every violation, whatever its impact, one line per node: rule, impact, target and what to fix."""
    lines = []
    for violation in results["violations"]:
        for node in violation["nodes"]:
            impact = node.get("impact") or violation["impact"]
            target = " ".join(str(t) for t in node["target"])
            summary = (node.get("failureSummary") or "").replace("\n", " ").strip()
            related = [" ".join(map(str, r["target"])) for check in node.get("any", []) + node.get("all", [])
                       for r in check.get("relatedNodes", [])]
            lines.append(f"{violation['id']} ({impact}) at {target}: {summary} {related[:5]} [{node.get('html', '')[:160]}]")
    return lines


# Every element that scrolls its content, and the document when it does: what shows a scrollbar.
SCROLLERS = """const found = [];
for (const e of document.querySelectorAll('body *')) {
  const s = getComputedStyle(e), r = e.getBoundingClientRect();
  if (!/(auto|scroll)/.test(s.overflowY) || e.scrollHeight <= e.clientHeight + 1) continue;
  if (r.width === 0 || r.height === 0 || s.visibility === 'hidden') continue;
  found.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + [...e.classList].map(c => '.' + c).join(''));
}
const root = document.documentElement;
if (root.scrollHeight > root.clientHeight + 1 && getComputedStyle(root).overflowY !== 'hidden'
    && getComputedStyle(document.body).overflowY !== 'hidden') found.push('document');
return found;"""

# After the page has scrolled down a long way: where the map and the panel's first card are.
SCROLLED = """window.scrollTo({top: 3000, behavior: 'instant'});
const m = document.querySelector('#map').getBoundingClientRect(), c = document.querySelector('#side-panel .rec-card');
const column = document.querySelector('.map-col > div').getBoundingClientRect();
return {scrolled: scrollY, map: [m.top, m.bottom], card: c.getBoundingClientRect().bottom, column: [column.top, column.bottom]};"""


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_five_views_have_no_axe_violation_and_one_scrollbar(start_atlas, lang):
    """axe-core finds nothing, of any impact, on the main view, a territory, the matrix, the comparison,
    presenter mode and two empty states; and at 1440 × 900 each of the five views shows one scrollbar: the
    document's, or in presenter mode the panel's (a short empty state may show none). Scrolling down a
    long panel keeps the map in view. Every view is audited before the test reports what it found."""
    dash_duo = start_atlas(f"lang={lang}")
    driver = dash_duo.driver
    chrome = driver.execute_script("return [outerWidth - innerWidth, outerHeight - innerHeight];")
    driver.set_window_size(1440 + chrome[0], 900 + chrome[1])
    wait_until(dash_duo, lambda: driver.execute_script("return [innerWidth, innerHeight];") == [1440, 900],
               message="a 1440 × 900 viewport")
    failures = []
    for view, (query, ready) in VIEWS.items():
        if view != "main":  # the page opened there
            visit(dash_duo, f"{query.removeprefix('/?')}&lang={lang}")
        _ready(dash_duo, query, ready)
        results = _audit(dash_duo)
        version = driver.execute_script("return axe.version;")
        failures += [f"axe-core {version} on {view} ({lang}): {problem}" for problem in _violations(results)]
        passed = {rule["id"] for rule in results["passes"]}
        if not {"color-contrast", "button-name", "region"} <= passed:
            failures.append(f"the audit did not reach {view}'s text ({lang})")
        scrollers = driver.execute_script(SCROLLERS)
        expected = ".panel-col" if view == "presenter" else "document"
        if not (len(scrollers) == 1 if view in FIVE else len(scrollers) <= 1) or not all(expected in s for s in scrollers):
            failures.append(f"{view} ({lang}) scrolls in {scrollers} at 1440 × 900")
        if view == "territory":
            where = driver.execute_script(SCROLLED)
            assert where["scrolled"] > 2000 and where["card"] < 0, f"the panel did not scroll with the page: {where}"
            assert 0 <= where["map"][0] and where["map"][1] <= 900, f"the map left the screen: {where}"
            assert 0 <= where["column"][0] and where["column"][1] <= 900, f"the end of the map column is hidden: {where}"
            driver.execute_script("window.scrollTo({top: 0, behavior: 'instant'});")
    assert failures == [], "\n".join(failures)


def test_the_document_language_follows_the_page(start_atlas):
    """Screen readers choose their voice from <html lang>: it must be there at load and follow a language switch."""
    dash_duo = _open(start_atlas, "/?lang=fr", VIEWS["main"][1])
    assert dash_duo.driver.execute_script("return document.documentElement.lang;") == "fr"
    dash_duo.find_element("#lang").click()
    wait_until(dash_duo, EC.text_to_be_present_in_element((By.CSS_SELECTOR, "h1"), "Atlas of recommendations"),
               message="English page")
    wait_until(dash_duo, lambda: dash_duo.driver.execute_script("return document.documentElement.lang;") == "en",
               message="<html lang> to follow the switch")


# --- keyboard ----------------------------------------------------------------------------------------

FOCUS = """const e = document.activeElement, s = getComputedStyle(e);
return {tag: e.tagName, id: e.id, code: e.dataset ? e.dataset.code || null : null,
        outline: s.outlineStyle, width: parseFloat(s.outlineWidth) || 0, shadow: s.boxShadow,
        theme: e.matches('#theme-filter input[type=checkbox]'), value: e.value || null, checked: e.checked === true};"""


def _press(duo, key, shift=False):
    """Press one key (with Shift held if asked) and describe the element that has focus after it."""
    actions = ActionChains(duo.driver)
    if shift:
        actions.key_down(Keys.SHIFT)
    actions.send_keys(key)
    if shift:
        actions.key_up(Keys.SHIFT)
    actions.perform()
    return duo.driver.execute_script(FOCUS)


def _tab_until(duo, wanted, backwards=False, limit=80):
    for _ in range(limit):
        focus = _press(duo, Keys.TAB, shift=backwards)
        if wanted(focus):
            return focus
    raise AssertionError(f"not reached with {limit} presses; focus ended on {focus}")


def _visible_focus(focus) -> bool:
    return (focus["outline"] != "none" and focus["width"] >= 1) or focus["shadow"] not in ("none", "")


def test_keyboard_alone_selects_a_territory_and_toggles_a_theme(start_atlas):
    dash_duo = _open(start_atlas, "/", VIEWS["main"][1])
    driver = dash_duo.driver
    driver.execute_script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0);")

    first = _press(dash_duo, Keys.TAB)
    assert first["tag"] == "A" and _visible_focus(first), f"the skip link comes first and shows focus: {first}"
    focus = _tab_until(dash_duo, lambda f: f["code"] == "MTQ")
    assert _visible_focus(focus), f"no visible focus indicator on the Martinique button: {focus}"
    _press(dash_duo, Keys.ENTER)
    wait_until(dash_duo, lambda: panel_territory(dash_duo) == "MTQ", message="Martinique panel after Enter")
    assert dash_duo.find_element("#side-panel h2").text == "Martinique"
    assert "territory=MTQ" in driver.current_url

    # back up to the theme checkboxes (the last one comes first going backwards), then Space ticks and unticks
    box = _tab_until(dash_duo, lambda f: f["theme"], backwards=True, limit=300)
    assert _visible_focus(box), f"no visible focus indicator on a theme checkbox: {box}"
    assert not box["checked"]
    cards_before = len(elements(dash_duo, "#side-panel .rec-card"))
    ticked = _press(dash_duo, Keys.SPACE)
    assert ticked["value"] == box["value"] and ticked["checked"], f"Space did not tick the focused box: {ticked}"
    wait_until(dash_duo, lambda: f"theme={box['value']}" in driver.current_url, message="the theme in the URL")
    wait_until(dash_duo, lambda: len(elements(dash_duo, "#side-panel .rec-card")) < cards_before,
               message="the panel to follow the theme")
    assert panel_territory(dash_duo) == "MTQ"
    settle(dash_duo)
    assert driver.execute_script(FOCUS)["value"] == box["value"], "focus left the checkbox after it was ticked"
    unticked = _press(dash_duo, Keys.SPACE)
    assert not unticked["checked"]
    wait_until(dash_duo, lambda: "theme=" not in driver.current_url, message="the theme filter to clear")


def test_focus_stays_on_a_pressed_territory_button(start_atlas):
    dash_duo = _open(start_atlas, "/", VIEWS["main"][1])
    _tab_until(dash_duo, lambda f: f["code"] == "GUY")
    _press(dash_duo, Keys.ENTER)
    wait_until(dash_duo, lambda: panel_territory(dash_duo) == "GUY", message="Guyana panel after Enter")
    settle(dash_duo)
    focus = dash_duo.driver.execute_script(FOCUS)
    assert focus["code"] == "GUY", f"focus went to {focus}"
    assert _visible_focus(focus)


@pytest.mark.parametrize("query, ready, selector, after", [
    # the control is drawn again: focus comes back to it
    # a control with no id of its own: a card's second theme button, a tour step's link
    ("/?q=police", "p", "#side-panel .rec-themes .theme-chip:nth-child(2)", "same"),
    ("/?tour=MTQ|ITA|ARG&step=0&territory=MTQ", "p && p.dataset.territory === 'MTQ'", "#tour-box .tour-steps li:nth-child(2) a", "same"),
    ("/?tab=matrix", "document.querySelector('#matrix .matrix-cell')", "#matrix button.matrix-cell", "same"),
    ("/", "p", "#tour-add", "same"),
    # the control goes away: focus goes to the panel, whose next Tab is the first card control
    ("/?territory=FRA", "p && p.dataset.territory === 'FRA'", '#side-panel [id*="clear-territory"]', "side-panel"),
])
def test_focus_stays_where_the_keyboard_pressed(start_atlas, query, ready, selector, after):
    dash_duo = _open(start_atlas, query, ready)
    target = dash_duo.driver.execute_script(
        f"const e = document.querySelector(arguments[0]); e.scrollIntoView({{block: 'center'}}); e.focus(); return {WHICH};", selector)
    assert target["what"] or target["id"], f"nothing tells {selector} apart"
    before = dash_duo.driver.current_url
    _press(dash_duo, Keys.ENTER)
    wait_until(dash_duo, lambda: dash_duo.driver.current_url != before, message="the view to change")
    settle(dash_duo)
    focus = dash_duo.driver.execute_script(f"const e = document.activeElement; return {WHICH};")
    assert focus == (target if after == "same" else {"id": after, "what": None, "holder": "side-panel-wrap"}), f"focus went to {focus}"


# Which element `e` is: its id, what it does (its action or link) and the nearest element with an id around it.
WHICH = """{id: e.id, what: e.getAttribute('data-action') || (e.tagName === 'A' ? e.getAttribute('href') : null),
           holder: (e.parentElement && e.parentElement.closest('[id]') || {}).id || null}"""


def test_radio_groups_are_one_tab_stop_each_with_a_name(start_atlas):
    """Views, regions and reports are radio groups: one Tab stop, arrows move within, and a spoken group name."""
    dash_duo = _open(start_atlas, "/", VIEWS["main"][1])
    groups = dash_duo.driver.execute_script("""
        return ['tab', 'region', 'report-filter'].map(id => {
            const radios = [...document.querySelectorAll('#' + id + ' input[type=radio]')];
            const set = radios[0].closest('fieldset');
            return {id, names: [...new Set(radios.map(r => r.name))],
                    legend: set && set.querySelector('legend') ? set.querySelector('legend').textContent.trim() : ''};
        });""")
    for group in groups:
        assert group["names"] == [group["id"]], group
        assert group["legend"], f"{group['id']} has no group name"
    # arrow keys move within the region group, the map follows, and the focused button shows it
    dash_duo.driver.execute_script("document.querySelector('#region input:checked').focus();")
    focus = _press(dash_duo, Keys.ARROW_RIGHT)
    assert focus["value"] == "europe"
    wait_until(dash_duo, EC.url_contains("region=europe"), message="Europe by arrow key")
    label = dash_duo.driver.execute_script("""const s = getComputedStyle(document.querySelector(
        '#region label[for="' + document.activeElement.id + '"]'));
        return {outline: s.outlineStyle, width: parseFloat(s.outlineWidth) || 0, shadow: s.boxShadow};""")
    assert _visible_focus(label), f"the focused region button shows no focus: {label}"


# --- the map as a table ---------------------------------------------------------------------------------

TABLE_ROWS = """return [...document.querySelectorAll('#territory-table tbody tr')]
    .map(r => [r.querySelector('th[scope=row]').textContent.trim(), r.querySelector('td').textContent.trim()]);"""


def _map_names_and_counts(duo) -> dict[str, str]:
    """The coloured territories as the map names them in its hover text, with their counts."""
    locations, z, text = duo.driver.execute_script(
        "const t = document.querySelector('#map .js-plotly-plot').data.find(t => t.name === 'counts');"
        "return [t.locations, t.z, t.text];")
    names = [re.search(r"<b>(.*?)</b>", label).group(1) for label in text]
    assert len(names) == len(locations) == len(z)
    return {name: str(count) for name, count in zip(names, z)}


def test_screen_reader_table_lists_the_coloured_territories_with_their_counts(start_atlas):
    dash_duo = _open(start_atlas, "/", VIEWS["main"][1])
    driver = dash_duo.driver
    table = driver.execute_script("""const t = document.querySelector('#territory-table table'), s = getComputedStyle(t);
        return {caption: t.caption ? t.caption.textContent.trim() : '', cols: t.querySelectorAll('thead th[scope=col]').length,
                display: s.display, visibility: s.visibility, width: t.getBoundingClientRect().width};""")
    assert table["caption"] and table["cols"] == 2
    assert table["display"] != "none" and table["visibility"] == "visible", "hidden from screen readers too"
    rows = driver.execute_script(TABLE_ROWS)
    assert len(rows) == len(map_counts(dash_duo)) == 6
    assert dict(rows) == _map_names_and_counts(dash_duo)

    # the table follows the filters, as the map does
    before = map_counts(dash_duo)
    tick(dash_duo, "actor-filter", "national")
    wait_until(dash_duo, lambda: map_counts(dash_duo) != before, message="the map to follow the filter")
    wait_until(dash_duo, lambda: dict(driver.execute_script(TABLE_ROWS)) == _map_names_and_counts(dash_duo),
               message="the table to match the filtered map")
    assert len(driver.execute_script(TABLE_ROWS)) == len(map_counts(dash_duo))


# --- colours -------------------------------------------------------------------------------------------

# Machado, Oliveira & Fernandes (2009), full severity, on linear RGB.
VISIONS = {
    "normal": ((1, 0, 0), (0, 1, 0), (0, 0, 1)),
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602), (0.004733, 0.691367, 0.303900)),
}
DISTINCT = 10  # CIELAB ΔE*ab: two colours this far apart are told apart at a glance


def _lab(colour: str, vision: str) -> tuple[float, float, float]:
    matrix = VISIONS[vision]
    r, g, b = (min(1.0, max(0.0, sum(m * c for m, c in zip(row, linear_rgb(colour))))) for row in matrix)
    xyz = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, 0.2126 * r + 0.7152 * g + 0.0722 * b, \
        (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
    fx, fy, fz = (t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116 for t in xyz)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def _difference(one: str, two: str, vision: str) -> float:
    return math.dist(_lab(one, vision), _lab(two, vision))


def test_colours_keep_contrast_and_stay_distinct_for_colour_blind_viewers(start_atlas):
    dash_duo = _open(start_atlas, "/?territory=MTQ", VIEWS["territory"][1])
    driver = dash_duo.driver
    badges = driver.execute_script("""return Object.fromEntries(['international', 'national', 'private'].map(a => {
        const s = getComputedStyle(document.querySelector('#side-panel .actor-badge.actor-' + a));
        return [a, [s.backgroundColor, s.color]]; }));""")
    for actor, (background, text) in badges.items():
        assert contrast_ratio(background, text) >= 4.5, f"{actor} badge text: {contrast_ratio(background, text):.2f}:1"
    for (a, (one, _)), (b, (two, _)) in itertools.combinations(badges.items(), 2):
        for vision in VISIONS:
            assert _difference(one, two, vision) >= DISTINCT, f"{a} and {b} badges look alike with {vision}"

    chip = driver.execute_script("""const s = getComputedStyle(document.querySelector('#side-panel .theme-chip'));
        return [s.color, s.borderTopColor];""")
    assert contrast_ratio(chip[0], "#ffffff") >= 4.5 and contrast_ratio(chip[1], "#ffffff") >= 3

    scale, grey, selected = driver.execute_script("""const d = document.querySelector('#map .js-plotly-plot').data;
        const t = name => d.find(x => x.name === name);
        const bubbles = t('small'), j = bubbles.customdata.indexOf('MTQ');
        return [t('counts').colorscale.map(s => s[1]), t('context').colorscale[0][1], bubbles.marker.line.color[j]];""")
    for vision in VISIONS:
        lightness = [_lab(c, vision)[0] for c in scale]
        assert lightness == sorted(lightness, reverse=True), f"the scale is not ordered light to dark with {vision}"
        steps = [_difference(a, b, vision) for a, b in zip(scale, scale[1:])]
        assert min(steps) >= DISTINCT, f"neighbouring steps of the scale look alike with {vision}: {steps}"
        assert _difference(scale[0], grey, vision) >= DISTINCT, f"fewest recommendations look like none with {vision}"
        assert min(_difference(selected, c, vision) for c in scale) >= DISTINCT, f"selection outline hides with {vision}"

    # the hover label is dark text on white, whatever the territory's colour
    layout = driver.execute_script("return document.querySelector('#map .js-plotly-plot').layout.hoverlabel;")
    assert contrast_ratio(layout["font"]["color"], layout["bgcolor"]) >= 4.5


# --- layouts -------------------------------------------------------------------------------------------

LAYOUT = """const m = document.querySelector('#map .js-plotly-plot').getBoundingClientRect();
const panel = document.querySelector('.panel-col'), p = panel.getBoundingClientRect(), ps = getComputedStyle(panel);
const wide = [...document.querySelectorAll('.atlas *')].filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1
    && !e.closest('#territory-table') && getComputedStyle(e).position !== 'fixed').map(e => e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className);
const svg = document.querySelector('#map .main-svg').getBoundingClientRect(), frame = document.querySelector('#map');
return {innerWidth, innerHeight, scrollWidth: document.documentElement.scrollWidth, wide: wide.slice(0, 5),
        fitted: Math.abs(svg.width - frame.clientWidth) <= 1,
        map: {width: m.width, height: m.height, top: m.top, left: m.left, right: m.right},
        panel: {position: ps.position, top: p.top, bottom: p.bottom, left: p.left, right: p.right}};"""


def _resize(duo, width: int, height: int) -> dict:
    duo.driver.set_window_size(width, height)
    wait_until(duo, lambda: duo.driver.execute_script("return innerWidth;") == width, message=f"a {width} px wide window")
    readings = []

    def steady():  # plotly refits the map after a resize: wait until it fills its frame and nothing moves for a while
        readings.append(duo.driver.execute_script(LAYOUT))
        last = readings[-6:]
        return len(last) == 6 and last[-1]["fitted"] and all(r == last[-1] for r in last)
    wait_until(duo, steady, message=f"the layout to settle at {width} px")
    return readings[-1]


def test_phone_layout_has_a_bottom_sheet_and_no_sideways_scroll(dash_duo, start_atlas):
    dash_duo.driver.set_window_size(375, 800)
    _open(start_atlas, "/?territory=MTQ", VIEWS["territory"][1])
    layout = _resize(dash_duo, 375, 800)
    assert layout["scrollWidth"] <= layout["innerWidth"], f"sideways scroll on a phone: {layout}"
    sheet = layout["panel"]
    assert sheet["position"] == "fixed", "the panel is not a bottom sheet"
    assert abs(sheet["bottom"] - layout["innerHeight"]) <= 1 and sheet["left"] == 0
    assert sheet["top"] >= layout["innerHeight"] * 0.4, "the sheet covers most of the screen"
    assert layout["map"]["width"] >= 300 and layout["map"]["height"] >= 250
    # scrolled to, the map shows above the sheet: its middle is the map, not the sheet
    visible = dash_duo.driver.execute_script("""
        document.querySelector('#map').scrollIntoView({block: 'start', behavior: 'instant'});
        const m = document.querySelector('#map .js-plotly-plot').getBoundingClientRect();
        const sheet = document.querySelector('.panel-col').getBoundingClientRect();
        const hit = document.elementFromPoint(m.left + m.width / 2, m.top + Math.min(m.height, sheet.top - m.top) / 2);
        return {shown: Math.min(m.bottom, sheet.top) - Math.max(m.top, 0), height: m.height,
                onMap: Boolean(hit && hit.closest('#map'))};""")
    assert visible["onMap"] and visible["shown"] >= visible["height"] * 0.5, visible
    # the end of the page can scroll out from under the sheet
    bottom = dash_duo.driver.execute_script("""window.scrollTo({top: document.documentElement.scrollHeight, behavior: 'instant'});
        return [document.querySelector('.atlas > footer').getBoundingClientRect().bottom,
                document.querySelector('.panel-col').getBoundingClientRect().top];""")
    assert bottom[0] <= bottom[1] + 1, "the footer stays hidden under the sheet"


def test_desktop_layouts_fit_from_1280_to_3840_px(start_atlas):
    dash_duo = _open(start_atlas, "/?territory=MTQ", VIEWS["territory"][1])
    layouts = {width: _resize(dash_duo, width, height) for width, height in ((1400, 1000), (3840, 2160), (1280, 720))}
    for width, layout in layouts.items():
        assert layout["scrollWidth"] <= layout["innerWidth"], f"sideways scroll at {width} px: {layout['wide']}"
        assert layout["panel"]["position"] != "fixed"
        assert layout["map"]["left"] >= 0 and layout["map"]["right"] <= layout["innerWidth"]
        assert layout["panel"]["right"] <= layout["innerWidth"] + 1
        assert layout["map"]["right"] <= layout["panel"]["left"] + 1, f"map and panel overlap at {width} px"
    assert layouts[3840]["map"]["width"] > layouts[1400]["map"]["width"] * 1.5
