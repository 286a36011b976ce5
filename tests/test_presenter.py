"""Presenter mode in headless Chromium: the projector layout, every key, tours, and the QR code of the view."""
from __future__ import annotations

import base64
import json
import io
import re
import time
from urllib.parse import urlparse

import pytest
import zxingcpp
from PIL import Image
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC

from dash.development.base_component import Component

from dashboard import data, presenter, share
from dashboard.colours import contrast_ratio
from dashboard.state import ViewState
from helpers import DATA, card_ids, component_text, elements, panel_territory, press_keys, settle, tick, url_params, wait_for_map, wait_until

# Visible text under a selector, with its font size, its colour and the first opaque background behind it
# (alpha is ignored, which is exact for the opaque colours used here).
TEXT_STYLES = """
function background(el) {
  for (; el; el = el.parentElement) {
    const bg = getComputedStyle(el).backgroundColor;
    const alpha = bg.match(/[\\d.]+/g)[3];
    if (alpha === undefined || Number(alpha) > 0.5) { return bg; }
  }
  return "rgb(255, 255, 255)";
}
const out = [];
for (const root of document.querySelectorAll(arguments[0])) {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const text = walker.currentNode.textContent.trim();
    const el = walker.currentNode.parentElement;
    const box = el.getBoundingClientRect();
    if (!text || box.width <= 1 || box.height <= 1 || !el.checkVisibility({opacityProperty: true, visibilityProperty: true})) {
      continue;
    }
    const style = getComputedStyle(el);
    out.push({text: text.slice(0, 40), tag: el.tagName, cls: String(el.className), size: parseFloat(style.fontSize),
              color: style.color, background: background(el)});
  }
}
return out;
"""

PROJECTOR = (1280, 720)
HIDDEN_IN_PRESENTER_MODE = ("#lang", ".filters-col", "footer", "#territory-list", ".tour-box", ".view-tabs")


# ---------------------------------------------------------------- helpers


def _projector(duo):
    """A 1280 × 720 projector: the window grows by the browser's own frame, so that the page gets 1280 × 720."""
    driver = duo.driver
    extra_w, extra_h = driver.execute_script("return [outerWidth - innerWidth, outerHeight - innerHeight];")
    driver.set_window_size(PROJECTOR[0] + extra_w, PROJECTOR[1] + extra_h)
    assert driver.execute_script("return [innerWidth, innerHeight];") == list(PROJECTOR)


PHONE = {"width": 375, "height": 800, "deviceScaleFactor": 1, "mobile": True}


@pytest.fixture
def presenter_atlas(dash_duo, start_atlas):
    """start_atlas on a screen: a projector, a phone or the default window. Bootstrap scrolls smoothly unless
    the user asks for less motion, and a click or a screenshot taken mid-scroll lands on the wrong pixels:
    ask for less motion."""
    def start(query: str = "", *, screen: str | None = None, env: dict[str, str] | None = None):
        dash_duo.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {
            "features": [{"name": "prefers-reduced-motion", "value": "reduce"}]})
        if screen == "projector":
            _projector(dash_duo)  # before the first page, so that no map has to redraw
        elif screen == "phone":
            dash_duo.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", PHONE)
        return start_atlas(query, env=env)
    return start
def _checked(duo, filter_id: str) -> list[str]:
    return duo.driver.execute_script(
        "return [...document.querySelectorAll(`#${arguments[0]} input:checked`)].map(i => i.value);", filter_id)


def _presenting(duo) -> bool:
    return duo.driver.execute_script("return document.body.classList.contains('presenting');")


def _displayed(duo, selector: str) -> bool:
    return duo.driver.execute_script(
        "const e = document.querySelector(arguments[0]); return !!e && e.checkVisibility();", selector)


def _current_card(duo) -> str | None:
    return duo.driver.execute_script(
        "const c = document.querySelectorAll('#side-panel .rec-card.current');"
        "return c.length === 1 ? c[0].dataset.recId : (c.length ? 'several' : null);")


def _in_view(duo, selector: str) -> bool:
    """The element is wholly inside the viewport and inside the scrolled panel column."""
    return duo.driver.execute_script("""
        const r = document.querySelector(arguments[0]).getBoundingClientRect();
        const p = document.querySelector('.panel-col').getBoundingClientRect();
        return r.top >= Math.max(0, p.top) - 1 && r.bottom <= Math.min(innerHeight, p.bottom) + 1;""", selector)


def _territory_order(duo) -> list[str]:
    return duo.driver.execute_script(
        "return [...document.querySelectorAll('#territory-list button.territory-item')].map(b => b.dataset.code);")


def _qr_text(duo) -> str | None:
    """The QR code as a phone reads it: a screenshot of the image as drawn, decoded (None if it does not decode
    to exactly one text, e.g. while it is redrawn)."""
    element = duo.find_element("#qr-code")
    # Cards out of sight are laid out once in sight (atlas.css), so the page's height changes as the code
    # comes into view: scroll to it again once the frames that lay them out are drawn.
    duo.driver.execute_async_script("""
        const [element, done] = arguments, center = () => element.scrollIntoView({block: 'center', behavior: 'instant'});
        const frames = (n, then) => n ? requestAnimationFrame(() => frames(n - 1, then)) : then();
        center(); frames(2, () => { center(); frames(1, done); });""", element)
    image = Image.open(io.BytesIO(element.screenshot_as_png))
    codes = zxingcpp.read_barcodes(image)
    return codes[0].text if len(codes) == 1 else None


def _follow_view(url: str | None) -> str | None:
    """The view a presenter's follow link opens: the link without its room code (None if it names no room)."""
    if url is None or not re.search(r"[?&]room=[2-9A-HJ-NP-Z]{7}$", url):
        return None
    return re.sub(r"[?&]room=[2-9A-HJ-NP-Z]{7}$", "", url)


def _qr_src(duo) -> str:
    return duo.find_element("#qr-code").get_attribute("src")


def _overlap(a: dict, b: dict) -> bool:
    return not (a["right"] <= b["left"] or a["left"] >= b["right"] or a["bottom"] <= b["top"] or a["top"] >= b["bottom"])


def _assert_projector_layout(duo):
    """The projector theme at 1280 × 720: only the map and the panel (plus legend and QR), big high-contrast text."""
    assert _presenting(duo)
    settle(duo)  # the map is drawn again for the projector (a bigger colour scale) after the page's class changes
    for selector in HIDDEN_IN_PRESENTER_MODE:
        assert not _displayed(duo, selector), f"{selector} is shown in presenter mode"
    for selector in ("#map", "#side-panel", "#share-box", "#qr-code", "#present-toggle"):
        assert _displayed(duo, selector), f"{selector} is hidden in presenter mode"
    # the title leaves the screen, not the page: screen readers keep the page's heading
    title = duo.driver.execute_script("""const r = document.querySelector('.atlas-header h1').parentElement
        .getBoundingClientRect(); return [r.width, r.height];""")
    assert _displayed(duo, ".atlas-header h1") and max(title) <= 1, f"the title shows in presenter mode: {title}"
    boxes = duo.driver.execute_script("""
        const box = s => { const r = document.querySelector(s).getBoundingClientRect();
                           return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
        const bar = document.querySelector('#map .colorbar');
        return {map: box('#map'), panel: box('.panel-col'), share: box('#share-box'), exit: box('#present-toggle'),
                legend: box('#key-legend'), regions: box('#region'), reset: box('#map-reset'),
                colorbar: bar ? box('#map .colorbar') : null};""")
    width, height = PROJECTOR
    assert boxes["map"]["left"] >= 0 and boxes["map"]["right"] <= boxes["panel"]["left"] + 1
    assert boxes["panel"]["right"] <= width and boxes["map"]["bottom"] <= height + 1
    assert boxes["map"]["right"] - boxes["map"]["left"] > width / 2, "the map should take most of the screen"
    share_box, panel, colorbar = boxes["share"], boxes["panel"], boxes["colorbar"]
    exit_button, legend = boxes["exit"], boxes["legend"]
    assert exit_button["right"] <= panel["left"] and exit_button["top"] >= 0, "the exit button covers the panel"
    assert exit_button["bottom"] <= legend["top"] or legend["top"] == legend["bottom"], "the exit button covers the legend"
    assert not _overlap(exit_button, boxes["regions"]) and not _overlap(exit_button, boxes["reset"]), \
        "the exit button covers the map's toolbar"
    assert share_box["right"] <= panel["left"], "the QR code covers the panel"
    if colorbar:
        assert not _overlap(share_box, colorbar), "the QR code covers the map's colour scale"
    # the key legend lies under the map, beside the QR code: it covers neither
    assert not _overlap(legend, boxes["map"]), f"the key legend covers the map: {legend} {boxes['map']}"
    assert not _overlap(legend, share_box), "the key legend and the QR code overlap"
    assert legend["bottom"] <= height + 1 and legend["right"] <= panel["left"] + 1

    body = duo.driver.execute_script("return parseFloat(getComputedStyle(document.body).fontSize);")
    assert body >= 22
    texts = duo.driver.execute_script(TEXT_STYLES, ".rec-card .rec-text")
    assert texts and [t for t in texts if t["size"] < 22] == [], "recommendations below 22 px"
    everything = duo.driver.execute_script(TEXT_STYLES, "#side-panel, #key-legend, #share-box, #tour-position-wrap")
    assert len(everything) > 10
    small = [t for t in everything if t["size"] < 18]
    assert small == [], f"text below 18 px in presenter mode: {small}"
    dim = [t for t in everything if contrast_ratio(t["color"], t["background"]) < 7]
    assert dim == [], f"text below a 7:1 contrast in presenter mode: {dim}"


# ---------------------------------------------------------------- the share module, without a browser


def test_public_base_prefers_the_configured_address(monkeypatch):
    monkeypatch.delenv(share.PUBLIC_URL_ENV, raising=False)
    assert share.public_base("http://127.0.0.1:8050/") == "http://127.0.0.1:8050/"
    monkeypatch.setenv(share.PUBLIC_URL_ENV, "http://192.0.2.7:8050/atlas/")
    assert share.public_base("http://127.0.0.1:8050/") == "http://192.0.2.7:8050/atlas/"
    monkeypatch.setenv(share.PUBLIC_URL_ENV, "  https://atlas.example.org  ")
    assert share.public_base("http://127.0.0.1:8050/") == "https://atlas.example.org/"
    monkeypatch.setenv(share.PUBLIC_URL_ENV, "192.0.2.7:8050")  # a phone needs the scheme to open it
    assert share.public_base("http://127.0.0.1:8050/") == "http://192.0.2.7:8050/"
    monkeypatch.setenv(share.PUBLIC_URL_ENV, "http://192.0.2.7:8050/atlas?x=1#top")  # the view brings its own query
    assert share.public_base("http://127.0.0.1:8050/") == "http://192.0.2.7:8050/atlas/"
    monkeypatch.setenv(share.PUBLIC_URL_ENV, "")
    assert share.public_base("http://127.0.0.1:8050") == "http://127.0.0.1:8050/"


def test_view_url_leaves_out_presenter_mode_and_the_tour():
    state = ViewState(lang="fr", territory="MTQ", q="prévention", present=True, tour=("territory=FRA", ""), step=0)
    assert share.view_url(state, "http://192.0.2.7/") == "http://192.0.2.7/?lang=fr&territory=MTQ&q=pr%C3%A9vention"
    assert share.view_url(ViewState(present=True), "http://192.0.2.7/") == "http://192.0.2.7/"


def test_qr_code_is_a_decodable_png_made_offline():
    url = "http://192.0.2.7:8050/?lang=fr&territory=MTQ&q=pr%C3%A9vention"
    src = share.qr_data_uri(url)
    assert src.startswith("data:image/png;base64,")
    image = Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1])))
    assert [c.text for c in zxingcpp.read_barcodes(image)] == [url]


# ---------------------------------------------------------------- the presenter's components, without a browser

DATASET = data.load(DATA)
TOUR = ("territory=MTQ", "territory=ITA", "territory=ARG")



def _parts(node, kind: type) -> list:
    """The components of a type in a tree, in order."""
    found = [node] if isinstance(node, kind) else []
    children = getattr(node, "children", None) if isinstance(node, Component) else node
    for child in children if isinstance(children, (list, tuple)) else [children] if isinstance(children, Component) else []:
        found += _parts(child, kind)
    return found


@pytest.mark.parametrize("state, text, over", [
    (ViewState(tour=TOUR, step=0), "Step 1 / 3", False),
    (ViewState(tour=TOUR, step=1, present=True), "Step 2 / 3", False),
    (ViewState(tour=TOUR, step=2, present=True), "Step 3 / 3", False),
    (ViewState(tour=TOUR, step=3, present=True), "Step 3 / 3 · The tour is over", True),
    (ViewState(tour=TOUR[:1], step=1, lang="fr"), "Étape 1 / 1 · La visite est terminée", True),
    (ViewState(tour=TOUR, step=1, lang="fr"), "Étape 2 / 3", False),
    # not started: in presenter mode, → starts it
    (ViewState(tour=TOUR, present=True), "Tour of 3 steps: → starts it", False),
    (ViewState(tour=TOUR[:1], present=True), "Tour of 1 step: → starts it", False),
    (ViewState(tour=TOUR, present=True, lang="fr"), "Visite de 3 étapes\u202f: → pour commencer", False),
    (ViewState(tour=TOUR), None, False),
    (ViewState(present=True), None, False),
    (ViewState(), None, False),
])
def test_tour_position(state, text, over):
    shown = presenter.tour_position(state)
    assert (None if shown is None else component_text(shown)) == text
    if shown is not None:
        assert shown.id == "tour-position" and ("tour-over" in shown.className.split()) is over


@pytest.mark.parametrize("state, label, chips", [
    (ViewState(), None, []),
    (ViewState(territory="MTQ", region="europe", tab="matrix"), None, []),  # neither a selection nor a region is a filter
    (ViewState(themes=("health",)), "1 filter on", [("Health", {"kind": "theme", "theme": "health"})]),
    (ViewState(territory="ITA", themes=("health", "research_data"), actors=("national",), report=2, q="prévention"),
     "5 filters on", [
         ("Health", {"kind": "theme", "theme": "health"}),
         ("Research & data", {"kind": "theme", "theme": "research_data"}),
         ("National and local institutions", {"kind": "tick", "name": "actors", "value": "national", "on": False}),
         ("Report 2", {"kind": "set", "name": "report", "value": "all"}),
         ("“prévention”", {"kind": "set", "name": "q", "value": ""})]),
    (ViewState(lang="fr", actors=("private",), report=1, q="école"), "3 filtres actifs", [
        ("Entreprises et secteur privé", {"kind": "tick", "name": "actors", "value": "private", "on": False}),
        ("Rapport 1", {"kind": "set", "name": "report", "value": "all"}),
        ("«\u202fécole\u202f»", {"kind": "set", "name": "q", "value": ""})]),  # French quotation marks
])
def test_active_filters_are_chips_that_turn_their_filter_off(state, label, chips):
    shown = presenter.active_filters(DATASET, state)
    if label is None:
        assert shown is None and chips == []
        return
    assert shown.id == "active-filters" and component_text(_parts(shown, presenter.html.Span)[0]) == label
    buttons = [b for b in _parts(shown, presenter.html.Button)]
    assert [(component_text(b), json.loads(getattr(b, "data-action"))) for b in buttons] == chips


@pytest.mark.parametrize("url, found, everywhere, lang, text, addresses", [
    ("http://127.0.0.1:8050/?territory=MTQ", ("192.168.1.5", "fd00::2"), False, "en",
     "Phones cannot open 127.0.0.1. Start the Atlas again with HOST=0.0.0.0 and ATLAS_PUBLIC_URL set to one of this "
     "machine's addresses:", ["http://192.168.1.5:8050/", "http://[fd00::2]:8050/"]),
    ("http://localhost:8050/", ("192.168.1.5",), True, "fr",
     "Les téléphones ne peuvent pas ouvrir localhost. Ouvrez l'Atlas à l'une des adresses de cette machine, ou "
     "donnez-la à ATLAS_PUBLIC_URL\u202f:", ["http://192.168.1.5:8050/"]),
    ("http://127.0.0.1:8050/", (), False, "en", "Phones cannot reach this laptop: it has no address on a network.", []),
    ("http://127.0.0.1:8050/", (), True, "fr",
     "Les téléphones ne peuvent pas joindre cet ordinateur\u202f: il n'a aucune adresse sur un réseau.", []),
    ("http://192.168.1.5:8050/", ("192.168.1.5",), True, "en", None, []),
    ("https://atlas.example.org/", (), False, "en", None, []),
])
def test_public_addresses_under_a_loopback_link(monkeypatch, url, found, everywhere, lang, text, addresses):
    monkeypatch.setenv("HOST", "0.0.0.0" if everywhere else "127.0.0.1")
    state = ViewState(lang=lang, territory="MTQ", present=True)
    shown = presenter.public_addresses(state, url, found)
    if text is None:
        assert shown is None
        return
    assert shown.id == "public-addresses"
    assert component_text(_parts(shown, presenter.html.P)[0]) == text
    items = _parts(shown, presenter.html.Li)
    assert [component_text(li) for li in items] == addresses
    links = [a.href for a in _parts(shown, presenter.html.A)]
    # listening on every interface, each address opens this very view there; else it is only named
    assert links == ([f"{a}?lang={lang}&territory=MTQ&present=1" if lang == "fr" else f"{a}?territory=MTQ&present=1"
                      for a in addresses] if everywhere else [])


# ---------------------------------------------------------------- presenter mode in the browser

FULLSCREEN_SPY = """
window.fullscreenCalls = [];
document.documentElement.requestFullscreen = function () { window.fullscreenCalls.push('request'); return Promise.resolve(); };
document.exitFullscreen = function () { window.fullscreenCalls.push('exit'); return Promise.resolve(); };
"""


def _fullscreen_calls(duo) -> list[str]:
    return duo.driver.execute_script("return window.fullscreenCalls;")


def test_button_switches_to_the_projector_layout_and_esc_leaves(presenter_atlas):
    dash_duo = presenter_atlas("territory=MTQ", screen="projector")
    wait_until(dash_duo, lambda: panel_territory(dash_duo) == "MTQ")
    assert not _presenting(dash_duo) and not _displayed(dash_duo, "#key-legend")
    toggle = dash_duo.find_element("#present-toggle")
    assert toggle.get_attribute("aria-pressed") == "false"
    toggle.click()
    wait_until(dash_duo, lambda: _presenting(dash_duo), message="presenter mode")
    wait_until(dash_duo, lambda: url_params(dash_duo) == {"territory": "MTQ", "present": "1"}, message="present=1 in the URL")
    assert dash_duo.find_element("#present-toggle").get_attribute("aria-pressed") == "true"
    assert _displayed(dash_duo, "#key-legend")
    _assert_projector_layout(dash_duo)

    press_keys(dash_duo, "?")  # the legend hides, and comes back
    wait_until(dash_duo, lambda: not _displayed(dash_duo, "#key-legend"), message="the legend to hide")
    assert _presenting(dash_duo) and _displayed(dash_duo, "#side-panel") and _displayed(dash_duo, "#map")
    press_keys(dash_duo, "?")
    wait_until(dash_duo, lambda: _displayed(dash_duo, "#key-legend"), message="the legend to come back")

    # a zoom button clicked with the mouse shows no focus ring once a key acts (a key press counts as the keyboard)
    dash_duo.find_element("#zoom-in").click()
    press_keys(dash_duo, "?")  # hidden again, to see that leaving forgets it
    wait_until(dash_duo, lambda: not _displayed(dash_duo, "#key-legend"), message="the legend to hide again")
    assert dash_duo.driver.execute_script(
        "const z = document.getElementById('zoom-in'); return document.activeElement !== z && !z.matches(':focus-visible');")

    press_keys(dash_duo, Keys.ESCAPE)
    wait_until(dash_duo, lambda: not _presenting(dash_duo), message="presenter mode to end")
    wait_until(dash_duo, lambda: url_params(dash_duo) == {"territory": "MTQ"}, message="present=1 to leave the URL")
    assert _displayed(dash_duo, ".filters-col") and _displayed(dash_duo, ".atlas-header")
    assert not _displayed(dash_duo, "#key-legend")
    assert dash_duo.find_element("#present-toggle").get_attribute("aria-pressed") == "false"
    assert panel_territory(dash_duo) == "MTQ"

    # the on-screen button is the other way in and out
    dash_duo.find_element("#present-toggle").click()
    wait_until(dash_duo, lambda: _presenting(dash_duo), message="presenter mode again")
    assert _displayed(dash_duo, "#key-legend"), "the legend hidden before leaving stays hidden on coming back"
    dash_duo.find_element("#present-toggle").click()
    wait_until(dash_duo, lambda: not _presenting(dash_duo) and url_params(dash_duo) == {"territory": "MTQ"},
               message="the exit button to leave presenter mode")

    # out of presenter mode the keys are the browser's own again
    dash_duo.driver.execute_script(FULLSCREEN_SPY)
    press_keys(dash_duo, Keys.ARROW_RIGHT, Keys.ARROW_DOWN, "0", "l", "t", "f")
    time.sleep(0.5)  # what a key set off would have reached the URL or the panel by now
    assert panel_territory(dash_duo) == "MTQ" and url_params(dash_duo) == {"territory": "MTQ"}
    assert _current_card(dash_duo) is None and _fullscreen_calls(dash_duo) == []


def test_present_param_and_the_theme_reset_and_language_keys(presenter_atlas):
    # the last theme, in French: the overview lists its recommendations
    dash_duo = presenter_atlas("present=1&lang=fr&theme=research_data", screen="projector")
    wait_until(dash_duo, lambda: _presenting(dash_duo), message="presenter mode from the URL")
    assert "plein écran" in dash_duo.find_element("#key-legend").text
    assert card_ids(dash_duo)
    _assert_projector_layout(dash_duo)

    themes = dash_duo.driver.execute_script(
        "return [...document.querySelectorAll('#theme-filter input')].map(i => i.value);")
    assert themes[-1] == "research_data" and len(themes) > 2
    press_keys(dash_duo, "t")  # after the last theme: none, that is every theme
    wait_until(dash_duo, lambda: url_params(dash_duo) == {"lang": "fr", "present": "1"}, message="no theme after the last one")
    assert _checked(dash_duo, "theme-filter") == []
    for expected in themes[:2]:  # then one theme at a time, in the order of the filter
        press_keys(dash_duo, "T")
        wait_until(dash_duo, lambda: url_params(dash_duo).get("theme") == expected, message=f"theme {expected}")
        assert _checked(dash_duo, "theme-filter") == [expected]
    assert _presenting(dash_duo)

    press_keys(dash_duo, Keys.ARROW_RIGHT)
    wait_until(dash_duo, lambda: panel_territory(dash_duo) not in (None, ""), message="a territory")
    press_keys(dash_duo, "0")  # reset: filters and territory cleared, language and presenter mode kept
    wait_until(dash_duo, lambda: url_params(dash_duo) == {"lang": "fr", "present": "1"}, message="the reset view")
    wait_until(dash_duo, lambda: panel_territory(dash_duo) == "", message="the overview")
    assert _presenting(dash_duo) and _checked(dash_duo, "theme-filter") == []
    # a French keyboard types "à" on the 0 key
    press_keys(dash_duo, Keys.ARROW_RIGHT)
    wait_until(dash_duo, lambda: panel_territory(dash_duo) not in (None, ""), message="a territory")
    dash_duo.driver.execute_script(
        "document.body.dispatchEvent(new KeyboardEvent('keydown', {key: 'à', code: 'Digit0', bubbles: true}));")
    wait_until(dash_duo, lambda: url_params(dash_duo) == {"lang": "fr", "present": "1"}, message="the reset view (AZERTY)")
    wait_until(dash_duo, lambda: panel_territory(dash_duo) == "", message="the overview (AZERTY)")

    press_keys(dash_duo, "L")
    wait_until(dash_duo, lambda: dash_duo.find_element("#side-panel h2").text == "Overview", message="the English panel")
    assert url_params(dash_duo) == {"present": "1"}
    assert _presenting(dash_duo) and "full screen" in dash_duo.find_element("#key-legend").text
    press_keys(dash_duo, "l")
    wait_until(dash_duo, lambda: url_params(dash_duo) == {"lang": "fr", "present": "1"}, message="French again")
    wait_until(dash_duo, lambda: dash_duo.find_element("#side-panel h2").text == "Vue d'ensemble", message="the French panel")
    assert _presenting(dash_duo)


def test_arrow_keys_step_through_territories_and_recommendations_and_f_goes_full_screen(presenter_atlas):
    dash_duo = presenter_atlas("present=1")
    wait_until(dash_duo, lambda: _presenting(dash_duo))
    order = _territory_order(dash_duo)
    assert order == ["ARG", "FRA", "GUY", "ITA", "MTQ", "MEX"]  # the list under the map, by name

    press_keys(dash_duo, Keys.ARROW_RIGHT)
    wait_until(dash_duo, lambda: panel_territory(dash_duo) == order[0], message="the first territory")
    press_keys(dash_duo, Keys.ARROW_RIGHT)
    wait_until(dash_duo, lambda: panel_territory(dash_duo) == order[1], message="the second territory")
    assert url_params(dash_duo) == {"territory": order[1], "present": "1"}
    press_keys(dash_duo, Keys.ARROW_LEFT)
    wait_until(dash_duo, lambda: panel_territory(dash_duo) == order[0], message="back to the first territory")
    press_keys(dash_duo, Keys.ARROW_LEFT)
    wait_until(dash_duo, lambda: panel_territory(dash_duo) == order[-1], message="round to the last territory")

    ids = card_ids(dash_duo)
    press_keys(dash_duo, Keys.ARROW_DOWN)
    wait_until(dash_duo, lambda: _current_card(dash_duo) == ids[0], message="the first recommendation")
    press_keys(dash_duo, *[Keys.ARROW_DOWN] * 9)
    wait_until(dash_duo, lambda: _current_card(dash_duo) == ids[9], message="the tenth recommendation")
    assert _in_view(dash_duo, f'.rec-card[data-rec-id="{ids[9]}"]'), "the current recommendation is off screen"
    outline = dash_duo.driver.execute_script(
        "return getComputedStyle(document.querySelector('.rec-card.current')).outlineStyle;")
    assert outline != "none"
    press_keys(dash_duo, Keys.ARROW_UP)
    wait_until(dash_duo, lambda: _current_card(dash_duo) == ids[8], message="the ninth recommendation")
    assert _in_view(dash_duo, f'.rec-card[data-rec-id="{ids[8]}"]')
    press_keys(dash_duo, *[Keys.ARROW_DOWN] * (len(ids) + 2))  # stops at the last one
    wait_until(dash_duo, lambda: _current_card(dash_duo) == ids[-1], message="the last recommendation")
    assert _in_view(dash_duo, f'.rec-card[data-rec-id="{ids[-1]}"]')

    # another territory starts again from its first recommendation
    press_keys(dash_duo, Keys.ARROW_LEFT)
    wait_until(dash_duo, lambda: panel_territory(dash_duo) == order[-2], message="the previous territory")
    wait_until(dash_duo, lambda: card_ids(dash_duo) != ids, message="its recommendations")
    assert _current_card(dash_duo) is None
    ids = card_ids(dash_duo)
    press_keys(dash_duo, Keys.ARROW_DOWN)
    wait_until(dash_duo, lambda: _current_card(dash_duo) == ids[0], message="its first recommendation")
    assert _in_view(dash_duo, f'.rec-card[data-rec-id="{ids[0]}"]')

    # F: full screen, and F again leaves it (headless Chromium may refuse it, so spy on the calls)
    dash_duo.driver.execute_script(FULLSCREEN_SPY)
    press_keys(dash_duo, "f")
    wait_until(dash_duo, lambda: _fullscreen_calls(dash_duo) == ["request"], message="requestFullscreen")
    dash_duo.driver.execute_script(
        "Object.defineProperty(document, 'fullscreenElement', {configurable: true, get: () => document.documentElement});")
    press_keys(dash_duo, "F")
    wait_until(dash_duo, lambda: _fullscreen_calls(dash_duo) == ["request", "exit"], message="exitFullscreen")
    # a browser that refuses (a rejected promise), or answers no promise at all, is no error on the page
    dash_duo.driver.execute_script("""
        delete document.fullscreenElement;
        document.documentElement.requestFullscreen = () => {
            window.fullscreenCalls.push('refused'); return Promise.reject(new TypeError('denied')); };""")
    press_keys(dash_duo, "f")
    dash_duo.driver.execute_script(
        "document.documentElement.requestFullscreen = () => { window.fullscreenCalls.push('no promise'); };")
    press_keys(dash_duo, "f")
    wait_until(dash_duo, lambda: _fullscreen_calls(dash_duo)[2:] == ["refused", "no promise"])
    assert _presenting(dash_duo) and panel_territory(dash_duo) == order[-2]


def _step_view(duo) -> tuple[str, str | None, str | None]:
    params = url_params(duo)
    return panel_territory(duo), params.get("territory"), params.get("step")


def _tour_position(duo) -> str | None:
    return duo.driver.execute_script("const e = document.getElementById('tour-position'); return e && e.textContent;")


def test_tour_built_in_the_ui_stepped_with_keys_and_shared_as_a_link(presenter_atlas):
    # the QR code's address, at the end
    dash_duo = presenter_atlas(env={share.PUBLIC_URL_ENV: "http://192.0.2.7:8050/atlas/"})
    views = []  # (territory, the view's own parameters)

    def add(code, counted):
        dash_duo.find_element("#tour-add").click()
        wait_until(dash_duo, lambda: dash_duo.find_element("#tour-box .tour-count").text.startswith(str(counted)),
                   message=f"{counted} saved views")
        views.append((code, {k: v for k, v in url_params(dash_duo).items() if k != "tour"}))

    dash_duo.find_element('#territory-list button[data-code="MTQ"]').click()
    wait_until(dash_duo, lambda: panel_territory(dash_duo) == "MTQ")
    add("MTQ", 1)
    dash_duo.find_element('#territory-list button[data-code="ITA"]').click()
    wait_until(dash_duo, lambda: panel_territory(dash_duo) == "ITA")
    tick(dash_duo, "theme-filter", "health")
    wait_until(dash_duo, lambda: url_params(dash_duo).get("theme") == "health")
    add("ITA", 2)
    tick(dash_duo, "theme-filter", "health")  # untick
    dash_duo.find_element('#territory-list button[data-code="GUY"]').click()
    wait_until(dash_duo, lambda: panel_territory(dash_duo) == "GUY" and "theme" not in url_params(dash_duo))
    tick(dash_duo, "actor-filter", "national")
    wait_until(dash_duo, lambda: len(card_ids(dash_duo)) == 4)
    add("GUY", 3)
    assert [v[1] for v in views] == [{"territory": "MTQ"}, {"territory": "ITA", "theme": "health"},
                                     {"territory": "GUY", "actor": "national"}]
    steps = elements(dash_duo, "#tour-box .tour-step")
    assert [s.text for s in steps] == ["Martinique", "Italy · Health", "Guyana"]
    cards = {}

    def at_step(n):
        code, params = views[n]
        wait_until(dash_duo, lambda: _step_view(dash_duo) == (code, code, str(n)), message=f"tour step {n}")
        wait_until(dash_duo, lambda: _tour_position(dash_duo) == f"Step {n + 1} / 3", message=f"step {n + 1} / 3 on screen")
        now = url_params(dash_duo)
        assert {k: v for k, v in now.items() if k not in ("tour", "step", "present")} == params
        assert now.get("present") == "1" and now["tour"].count("|") == 2
        wait_until(dash_duo, lambda: card_ids(dash_duo) and cards.setdefault(n, card_ids(dash_duo)) == card_ids(dash_duo))

    # present it: the arrows now walk the tour in its order, from its first step though none is on yet
    dash_duo.find_element("#present-toggle").click()
    wait_until(dash_duo, lambda: _presenting(dash_duo))
    wait_until(dash_duo, lambda: _tour_position(dash_duo) == "Tour of 3 steps: → starts it", message="the tour to start")
    assert panel_territory(dash_duo) == "GUY"
    press_keys(dash_duo, Keys.ARROW_RIGHT)
    at_step(0)
    press_keys(dash_duo, Keys.ARROW_RIGHT)
    at_step(1)
    assert card_ids(dash_duo) != cards[0]
    press_keys(dash_duo, Keys.ARROW_RIGHT)
    at_step(2)
    assert len(cards[2]) == 4
    press_keys(dash_duo, Keys.ARROW_RIGHT)  # on the last step, → says that the tour is over, on the same view
    wait_until(dash_duo, lambda: _tour_position(dash_duo) == "Step 3 / 3 · The tour is over", message="the end of the tour")
    assert _step_view(dash_duo) == ("GUY", "GUY", "3") and card_ids(dash_duo) == cards[2]
    press_keys(dash_duo, Keys.ARROW_LEFT)
    at_step(2)
    press_keys(dash_duo, Keys.ARROW_LEFT, Keys.ARROW_LEFT)
    at_step(0)

    # the tour as a link, opened afresh, starts at its first view and steps through the same views
    link = dash_duo.find_element("#tour-link").get_attribute("href")
    assert urlparse(link).netloc == urlparse(dash_duo.server_url).netloc
    assert link == dash_duo.driver.current_url  # the first step, in presenter mode
    dash_duo.driver.execute_script("window.atlasBefore = true;")
    dash_duo.driver.get(link)
    wait_for_map(dash_duo)
    assert dash_duo.driver.execute_script("return window.atlasBefore;") is None, "not a fresh page"
    wait_until(dash_duo, lambda: _presenting(dash_duo), message="the tour link in presenter mode")
    at_step(0)
    assert card_ids(dash_duo) == cards[0]
    for n in (1, 2):
        press_keys(dash_duo, Keys.ARROW_RIGHT)
        at_step(n)
        assert card_ids(dash_duo) == cards[n]
    press_keys(dash_duo, Keys.ARROW_LEFT)
    at_step(1)

    # the QR code opens the step's view (and follows the presenter), without the tour, at the configured public address
    expected = "http://192.0.2.7:8050/atlas/?territory=ITA&theme=health"
    wait_until(dash_duo, lambda: _follow_view(_qr_text(dash_duo)) == expected, message="the QR code of the step")
    assert _follow_view(dash_duo.find_element("#share-link").get_attribute("href")) == expected


OUTLINES = """
const ring = el => { const s = getComputedStyle(el); return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0; };
const a = document.activeElement;
return {active: a === document.body ? null : (a.id || a.tagName), activeRing: a !== document.body && ring(a),
        rings: [...document.querySelectorAll('#side-panel, #side-panel *, .panel-col')].filter(ring).map(e => e.id || e.className)};
"""


def test_a_tour_link_plays_and_presenter_mode_shows_what_is_on(presenter_atlas):
    """A hand-written tour link at 1280 × 720: its steps in order, the end said; then the filter chips, the panel
    at its top for each territory, the focus ring only on a control the keyboard reached, the QR code enlarged,
    and this machine's addresses under a loopback link."""
    dash_duo = presenter_atlas("present=1&tour=MTQ|ITA|ARG", screen="projector")
    wait_until(dash_duo, lambda: _presenting(dash_duo) and _tour_position(dash_duo) == "Tour of 3 steps: → starts it",
               message="the tour, not started")
    assert url_params(dash_duo)["tour"] == "territory=MTQ|territory=ITA|territory=ARG"
    # no ATLAS_PUBLIC_URL, served on localhost: the share box offers this machine's network addresses, or says none
    notice = dash_duo.find_element("#share-box #public-addresses").text
    host = urlparse(dash_duo.server_url).hostname
    assert notice.startswith(f"Phones cannot open {host}.") or notice == "Phones cannot reach this laptop: it has no address on a network."

    column = "document.querySelector('.panel-col')"
    for n, code in enumerate(("MTQ", "ITA", "ARG")):
        dash_duo.driver.execute_script(f"{column}.scrollTop = {column}.scrollHeight;")
        scrolled = dash_duo.driver.execute_script(f"return {column}.scrollTop;")
        press_keys(dash_duo, Keys.ARROW_RIGHT)
        wait_until(dash_duo, lambda: _step_view(dash_duo) == (code, code, str(n)) and _tour_position(dash_duo) == f"Step {n + 1} / 3",
                   message=f"step {n + 1}: {code}")
        if n:  # a new territory starts at the top of the panel
            assert scrolled > 0 and dash_duo.driver.execute_script(f"return {column}.scrollTop;") == 0
    press_keys(dash_duo, Keys.ARROW_RIGHT)
    wait_until(dash_duo, lambda: _tour_position(dash_duo) == "Step 3 / 3 · The tour is over", message="the end of the tour")
    assert panel_territory(dash_duo) == "ARG"

    # T: the theme shows as a chip under the panel's title, with the count of filters on
    assert elements(dash_duo, "#active-filters") == []
    press_keys(dash_duo, "t")
    first = dash_duo.driver.execute_script("return document.querySelector('#theme-filter label').textContent;")
    wait_until(dash_duo, lambda: elements(dash_duo, "#active-filters"), message="the chips of the filters on")
    chips = dash_duo.find_element("#active-filters")
    assert chips.text.startswith("1 filter on") and first.split()[0] in chips.text
    title, total = (dash_duo.find_element(s).rect for s in ("#side-panel h2", "#side-panel .total"))
    assert title["y"] < chips.rect["y"] < total["y"], "the chips are not under the title"
    _assert_projector_layout(dash_duo)  # the chips, the step and the addresses: large, high-contrast, out of the way

    # Q: a QR code the back of the room can scan; Q again puts it back
    small = dash_duo.find_element("#qr-code").rect["height"]
    press_keys(dash_duo, "q")
    wait_until(dash_duo, lambda: dash_duo.find_element("#qr-code").rect["height"] >= 0.4 * PROJECTOR[1],
               message="a QR code of 40% of the screen's height")
    press_keys(dash_duo, "Q")
    wait_until(dash_duo, lambda: dash_duo.find_element("#qr-code").rect["height"] == small, message="the small QR code")

    # keys move the page's focus (↓ to a card, T away from it): no ring on the panel or a card, nor after Esc
    press_keys(dash_duo, Keys.ARROW_DOWN)
    wait_until(dash_duo, lambda: _current_card(dash_duo) is not None, message="a current card")
    press_keys(dash_duo, "t")
    wait_until(dash_duo, lambda: _current_card(dash_duo) is None, message="the next theme")
    assert dash_duo.driver.execute_script(OUTLINES)["rings"] == []
    press_keys(dash_duo, Keys.ESCAPE)
    wait_until(dash_duo, lambda: not _presenting(dash_duo), message="presenter mode to end")
    outlines = dash_duo.driver.execute_script(OUTLINES)
    assert outlines["rings"] == [] and not outlines["activeRing"], outlines
    # ... and the ring on a control that the keyboard reaches
    dash_duo.find_element("#search").click()
    press_keys(dash_duo, Keys.SHIFT + Keys.TAB)
    outlines = dash_duo.driver.execute_script(OUTLINES)
    assert outlines["active"] not in (None, "search") and outlines["activeRing"], outlines


def test_qr_code_is_the_current_view_and_follows_it(presenter_atlas):
    dash_duo = presenter_atlas()
    assert _qr_text(dash_duo) == dash_duo.driver.current_url
    assert dash_duo.find_element("#share-link").get_attribute("href") == dash_duo.driver.current_url
    before = _qr_src(dash_duo)
    dash_duo.find_element('#territory-list button[data-code="MTQ"]').click()
    wait_until(dash_duo, lambda: panel_territory(dash_duo) == "MTQ" and _qr_src(dash_duo) != before, message="a new QR code")
    assert "territory=MTQ" in dash_duo.driver.current_url
    assert _qr_text(dash_duo) == dash_duo.driver.current_url
    dash_duo.find_element("#search").send_keys("prévention", Keys.ENTER)
    wait_until(dash_duo, EC.url_contains("q="), message="the search in the URL")
    wait_until(dash_duo, lambda: _qr_text(dash_duo) == dash_duo.driver.current_url, message="the QR code of the search")

    # in presenter mode the code opens the same view, not presenter mode, and follows the presenter's room
    view = dash_duo.driver.current_url
    dash_duo.find_element("#present-toggle").click()
    wait_until(dash_duo, EC.url_contains("present=1"))
    wait_until(dash_duo, lambda: _follow_view(_qr_text(dash_duo)) == view, message="the QR code of the room")
    assert _follow_view(dash_duo.find_element("#share-link").get_attribute("href")) == view
    order = _territory_order(dash_duo)
    following = order[(order.index("MTQ") + 1) % len(order)]
    press_keys(dash_duo, Keys.ARROW_RIGHT)
    wait_until(dash_duo, lambda: panel_territory(dash_duo) == following, message="the next territory")
    wait_until(dash_duo, lambda: _follow_view(_qr_text(dash_duo)) == view.replace("territory=MTQ", f"territory={following}"),
               message="the QR code of the next territory")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_presenter_mode_on_a_phone_keeps_the_map_and_the_sheet(presenter_atlas, lang):
    """Someone in the audience may open a presenter's link: on a phone the sheet layout stays, at full width."""
    dash_duo = presenter_atlas(f"present=1&territory=MTQ&lang={lang}", screen="phone")
    wait_until(dash_duo, lambda: panel_territory(dash_duo) == "MTQ" and _presenting(dash_duo))
    boxes = dash_duo.driver.execute_script("""
        const box = s => { const r = document.querySelector(s).getBoundingClientRect();
                           return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width}; };
        return {panel: box('.panel-col'), map: box('#map'), exit: box('#present-toggle'),
                width: document.documentElement.clientWidth, scroll: document.documentElement.scrollWidth};""")
    assert boxes["scroll"] <= boxes["width"], "the page scrolls sideways"
    sheet = dash_duo.driver.execute_script("const s = document.querySelector('.panel-col'); return [s.scrollWidth, s.clientWidth];")
    assert sheet[0] <= sheet[1], f"the sheet scrolls sideways: {sheet}"
    assert boxes["panel"]["left"] == 0 and boxes["panel"]["width"] >= boxes["width"] - 1, boxes["panel"]
    assert boxes["map"]["width"] > 300 and boxes["map"]["bottom"] <= boxes["panel"]["top"] + 1, boxes
    assert _displayed(dash_duo, "#present-toggle") and not _displayed(dash_duo, "#key-legend")
    assert boxes["exit"]["right"] <= boxes["width"]
