"""The Atlas on a phone (375 × 812, emulated through DevTools: a headless window is never under 500 px):
the map first, the filters in a drawer, the panel a bottom sheet that folds, 44 px tap targets, no
sideways scroll; plotly's geo bundle instead of its full one; tablets and desktops keep their layout."""
from __future__ import annotations

import base64
import hashlib
from html import unescape
import io
import json
import re
import struct
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest
from PIL import Image
from selenium.webdriver.common.keys import Keys

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import data, first, markup as html_of
from helpers import elements, emulate, foreign_requests, panel_territory, settle, tick, visit, wait_until

PHONE = {"width": 375, "height": 812, "deviceScaleFactor": 3, "mobile": True}
TAP_PX = 44
PLOTLY_VERSION = "4.1.1"



def _phone(duo, query: str = "territory=MTQ"):
    """Turn the browser into a phone, then open the view as a phone would (a fresh load at that size)."""
    return emulate(duo, PHONE, query)


def _box(duo, selector: str) -> dict | None:
    return duo.driver.execute_script("""const e = document.querySelector(arguments[0]);
        if (!e) { return null; }
        const r = e.getBoundingClientRect(), s = getComputedStyle(e);
        return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, width: r.width, height: r.height,
                shown: s.display !== 'none' && s.visibility !== 'hidden' && r.width > 0 && r.height > 0};""", selector)


# Every control a finger may aim at, with the height of what it hits: a tick box or a radio is hit through
# its whole row (the label is part of it), a button-styled radio (.btn-check) through its label.
TAP_TARGETS = """
const visible = e => { const r = e.getBoundingClientRect(), s = getComputedStyle(e);
  return r.width > 1 && r.height > 1 && s.visibility !== 'hidden' && s.display !== 'none'
    && !e.closest('.visually-hidden, .visually-hidden-focusable, [aria-hidden="true"]')
    && r.bottom > 0 && r.top < innerHeight; };
const found = [];
for (const e of document.querySelectorAll('button, a[href], input, select, textarea, summary, [role="button"]')) {
  let target = e;
  if (e.matches('input.btn-check')) { target = document.querySelector('label[for="' + e.id + '"]'); }
  else if (e.matches('input[type=checkbox], input[type=radio]')) { target = e.closest('.form-check') || e; }
  if (!target || !visible(target)) { continue; }
  // under the sheet or the drawer's backdrop, a control cannot be tapped: what the finger hits counts
  const r = target.getBoundingClientRect();
  const hit = document.elementFromPoint(r.left + r.width / 2, Math.min(r.top + r.height / 2, innerHeight - 1));
  if (!hit || !(target.contains(hit) || hit.contains(target) || (e.id && hit.closest('label[for="' + e.id + '"]')))) { continue; }
  found.push({what: e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + String(e.className).split(' ').join('.') : ''),
              text: (target.innerText || target.value || e.getAttribute('aria-label') || '').trim().slice(0, 40),
              height: Math.round(r.height * 10) / 10, inline: Boolean(e.closest('p, li.shared-with, .shared-with'))
                && e.tagName === 'A' && !e.classList.contains('btn')});
}
return found;"""


def _small_targets(duo) -> list[dict]:
    """Controls under 44 px. Links inside a sentence are the one exception WCAG 2.5.5 (and 2.5.8) allows:
    their size is the line's, and making them 44 px tall would break the text they are part of."""
    return [t for t in duo.driver.execute_script(TAP_TARGETS) if t["height"] < TAP_PX - 0.5 and not t["inline"]]


def test_phone_first_screen_has_the_map_no_sideways_scroll_and_44_px_targets(start_atlas):
    duo = _phone(start_atlas("territory=MTQ"))
    screen = duo.driver.execute_script(
        "return {w: innerWidth, h: innerHeight, scroll: document.scrollingElement.scrollWidth, y: scrollY};")
    assert screen["y"] == 0 and screen["w"] == 375 and screen["h"] == 812
    assert screen["scroll"] <= screen["w"], f"the page scrolls sideways: {screen}"
    frame = _box(duo, "#map")
    assert 0 <= frame["top"] < screen["h"] / 2, f"the map starts below the first half of the screen: {frame}"
    assert frame["left"] >= 0 and frame["right"] <= screen["w"] and frame["width"] >= screen["w"] - 32
    # the map comes before the filters and the panel: the filters sit in the closed drawer
    assert _box(duo, "#filters-toggle")["shown"] and not _box(duo, "#filters-drawer")["shown"]
    assert not _box(duo, "#filters-count")["shown"], "a badge with no filter on"
    header = _box(duo, ".atlas-header")
    assert header["height"] <= 130, f"the header takes {header['height']} px"
    reached = duo.driver.execute_script(TAP_TARGETS)
    assert {"button#filters-toggle", "button#sheet-toggle", "button#export-png"} <= {t["what"].split(".")[0] for t in reached}
    assert _small_targets(duo) == []
    # the sheet starts folded to its summary, below the map; unfolded, down its cards: print, clear, the
    # chips, "Show the French text"
    assert _box(duo, "#sheet-toggle")["top"] >= _box(duo, "#map")["bottom"] - 1
    assert duo.find_element("#sheet-toggle").get_attribute("aria-expanded") == "false"
    duo.find_element("#sheet-toggle").click()
    wait_until(duo, lambda: _box(duo, "#side-panel-wrap")["shown"], message="the unfolded sheet")
    small, seen = [], set()
    for top in range(0, duo.driver.execute_script("return document.querySelector('.panel-col').scrollHeight;"), 300):
        duo.driver.execute_script("document.querySelector('.panel-col').scrollTop = arguments[0];", top)
        small += _small_targets(duo)
        seen |= {t["what"].split(".")[0] for t in duo.driver.execute_script(TAP_TARGETS)}
    assert {"button#print-brief", "button#clear-territory", "summary"} <= seen
    assert small == []
    duo.driver.execute_script("document.querySelector('.panel-col').scrollTop = 0;")
    duo.find_element("#sheet-toggle").click()  # the sheet folded: the controls under it come into reach
    wait_until(duo, lambda: _box(duo, "#side-panel-wrap")["shown"] is False, message="the folded sheet")
    duo.driver.execute_script("window.scrollTo({top: document.scrollingElement.scrollHeight, behavior: 'instant'});")
    assert _small_targets(duo) == []
    assert duo.driver.execute_script("return document.scrollingElement.scrollWidth;") <= screen["w"]


def _filter_count(duo) -> str:
    """The number the Filters button shows (its words are for screen readers)."""
    return duo.driver.execute_script("return document.querySelector('#filters-count [aria-hidden]').textContent;")


def _drawer_in_view(duo) -> bool:
    """The drawer shown and slid all the way in (it slides for 0.3 s)."""
    box = _box(duo, "#filters-drawer")
    return box["shown"] and abs(box["left"]) < 0.5


def test_the_filters_drawer_opens_shows_the_count_and_closes(start_atlas):
    duo = _phone(start_atlas(), "territory=MTQ&actor=national&theme=governance_cooperation")
    toggle = duo.find_element("#filters-toggle")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert _filter_count(duo) == "2" and _box(duo, "#filters-count")["shown"]
    assert "2 filters on" in toggle.get_attribute("textContent")
    toggle.click()
    wait_until(duo, lambda: _drawer_in_view(duo), message="the drawer in view")
    drawer = _box(duo, "#filters-drawer")
    assert drawer["right"] <= 375 and drawer["height"] >= 800
    assert toggle.get_attribute("aria-expanded") == "true"
    assert duo.find_element("#filters-drawer").get_attribute("role") == "dialog"
    assert duo.driver.execute_script("return document.activeElement.id;") == "filters-close"
    assert _box(duo, "#search")["shown"] and _box(duo, "#theme-filter")["shown"]
    assert _small_targets(duo) == []
    # a filter changed inside the drawer: the count follows, the drawer stays open
    tick(duo, "actor-filter", "private")
    wait_until(duo, lambda: _filter_count(duo) == "3", message="3 filters on")
    assert "3 filters on" in toggle.get_attribute("textContent")
    assert "actor=national%2Cprivate" in duo.driver.current_url or "actor=national,private" in duo.driver.current_url
    assert _box(duo, "#filters-drawer")["shown"]
    # Escape closes it and gives the focus back to its button; the close button does too
    duo.driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    wait_until(duo, lambda: not _box(duo, "#filters-drawer")["shown"], message="the drawer closed by Escape")
    assert duo.driver.execute_script("return document.activeElement.id;") == "filters-toggle"
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    wait_until(duo, lambda: _drawer_in_view(duo), message="the drawer open again")
    duo.find_element("#filters-close").click()
    wait_until(duo, lambda: not _box(duo, "#filters-drawer")["shown"], message="the drawer closed by its button")
    assert elements(duo, ".offcanvas-backdrop") == []


def _sheet(duo) -> dict:
    return duo.driver.execute_script("""const col = document.querySelector('.panel-col').getBoundingClientRect();
        const t = document.querySelector('#sheet-toggle');
        return {top: col.top, height: col.height, expanded: t.getAttribute('aria-expanded'),
                summary: document.querySelector('#sheet-summary').innerText.replace(/\\s+/g, ' ').trim(),
                panel: getComputedStyle(document.querySelector('#side-panel-wrap')).display !== 'none'};""")


def _bubbles_shown(duo) -> dict:
    """Each bubble drawn on the map, by territory: whether it can be seen (a selected island's is not)."""
    return duo.driver.execute_script("""const gd = document.querySelector('#map .js-plotly-plot');
        const small = gd.data.find(d => d.name === 'small'), shown = {};
        document.querySelectorAll('#map .scattergeo path.point').forEach((p, i) => {
          shown[small.customdata[i]] = getComputedStyle(p).opacity !== '0'; });
        return shown;""")


def test_the_sheet_folds_to_its_summary_by_tap_and_keyboard(start_atlas, dataset):
    duo = _phone(start_atlas(), "territory=MTQ")
    cards = len(elements(duo, "#side-panel .rec-card"))
    assert cards > 0
    # framed on Martinique, the island is not under its own bubble; the other bubbles are drawn
    bubbles = _bubbles_shown(duo)
    assert bubbles["MTQ"] is False and bubbles.get("GUY") is True, bubbles
    name = dataset.territories["MTQ"].name("en")

    def folded():
        sheet = _sheet(duo)
        return sheet["expanded"] == "false" and not sheet["panel"] and sheet["height"] <= 100

    def unfolded():
        sheet = _sheet(duo)
        return sheet["expanded"] == "true" and sheet["panel"] and sheet["height"] >= 300

    # it starts folded to the territory's name and count, below the map
    assert folded()
    shut = _sheet(duo)
    assert shut["summary"] == f"{name} {cards} recommendations" and shut["top"] >= 812 - 100
    assert _box(duo, "#sheet-summary")["shown"]
    map_box = _box(duo, "#map")
    assert map_box["bottom"] <= shut["top"] + 1, "the folded sheet still covers the map"
    duo.find_element("#sheet-toggle").click()
    wait_until(duo, unfolded, message="the sheet unfolded by a tap")
    duo.find_element("#sheet-toggle").click()
    wait_until(duo, folded, message="the sheet folded by a tap")
    duo.find_element("#sheet-toggle").click()
    wait_until(duo, unfolded, message="the sheet unfolded again")

    # the keyboard: Enter and Space on the focused handle
    duo.driver.execute_script("document.querySelector('#sheet-toggle').focus();")
    duo.driver.switch_to.active_element.send_keys(Keys.ENTER)
    wait_until(duo, folded, message="the sheet folded by Enter")
    duo.driver.switch_to.active_element.send_keys(Keys.SPACE)
    wait_until(duo, unfolded, message="the sheet unfolded by Space")
    assert duo.driver.execute_script("return document.activeElement.id;") == "sheet-toggle"

    # the folded sheet follows the view: another territory, its own name and count
    duo.find_element("#sheet-toggle").click()
    wait_until(duo, folded, message="the sheet folded again")
    duo.driver.execute_script("document.querySelector('#territory-ITA').scrollIntoView({block: 'center', behavior: 'instant'});")
    duo.find_element("#territory-ITA").click()
    wait_until(duo, lambda: panel_territory(duo) == "ITA", message="Italy's panel")
    italy = len(elements(duo, "#side-panel .rec-card"))
    wait_until(duo, lambda: _sheet(duo)["summary"] == f"{dataset.territories['ITA'].name('en')} {italy} recommendations",
               message="Italy's summary")
    assert folded()
    # the map's patch shows Martinique's bubble again
    wait_until(duo, lambda: _bubbles_shown(duo)["MTQ"], message="Martinique's bubble shown again")

    # an empty view: the folded sheet says that nothing matches and how many filters are on
    visit(duo, "theme=children_youth&actor=private")
    wait_until(duo, lambda: _sheet(duo)["summary"] == "Overview No match · 2 filters on", message="an empty view's summary")


def test_a_phone_loads_plotly_s_geo_bundle_and_nothing_from_elsewhere(start_atlas):
    duo = _phone(start_atlas(), "territory=MTQ")
    loaded = duo.driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name);")
    assert not [u for u in loaded if "plotly.min.js" in u], "the full plotly bundle was fetched"
    assert not [u for u in loaded if "_dash-component-suites/plotly" in u]
    geo = [u for u in loaded if "/assets/plotly/" in u]
    assert len(geo) == 1 and f"plotly-geo-{PLOTLY_VERSION}.min.js" in geo[0], geo
    # the map drew the phone's lighter boundaries, and the map's own were never fetched
    assert [u.split("/geo/")[1] for u in loaded if "/geo/" in u] == ["boundaries-light.geojson"]
    plotly = duo.driver.execute_script("""const traces = Object.keys(Plotly.PlotSchema.get().traces);
        return {version: Plotly.version, choropleth: traces.includes('choropleth'), geo: traces.includes('scattergeo'),
                bar: traces.includes('bar'), surface: traces.includes('surface')};""")
    assert plotly["version"] == PLOTLY_VERSION
    assert plotly["choropleth"] and plotly["geo"] and not plotly["bar"] and not plotly["surface"], plotly
    assert foreign_requests(duo) == []
    # the first answer's static copy has given way to React's page, which drew the same elements and words
    assert elements(duo, "#atlas-first") == []
    request = urllib.request.Request(duo.server.url + "/?territory=MTQ", headers={"Accept-Language": "en-GB,en"})
    static = _outline(_static_copy(urllib.request.urlopen(request, timeout=10).read().decode()))
    live = _outline(duo.driver.execute_script("return document.getElementById('react-entry-point').innerHTML;"))
    assert [i for i in static.items if i not in live.items] == [] and static.items == live.items
    assert static.words == live.words


def test_the_map_exports_as_png_with_the_geo_bundle_on_a_phone(start_atlas):
    duo = _phone(start_atlas(), "territory=MTQ")
    button = duo.find_element("#export-png")
    duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", button)
    button.click()
    target = Path(duo.download_path) / "atlas-map.png"
    wait_until(duo, target.exists, timeout=20, message="the PNG download")
    png = target.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", png[16:24]) == (1920, 1080)
    with Image.open(io.BytesIO(png)) as image:
        pixels = image.convert("RGB").resize((192, 108)).getdata()
        coloured = sum(1 for p in pixels if max(p) - min(p) > 40)
    assert coloured > 50


@pytest.mark.parametrize("width, height", [(1280, 720), (1440, 900)])
def test_desktops_keep_the_filters_column_and_no_drawer(start_atlas, width, height):
    duo = start_atlas("territory=MTQ")
    duo.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
    visit(duo, "territory=MTQ")
    wait_until(duo, lambda: duo.driver.execute_script("return innerWidth;") == width, message=f"{width} px")
    settle(duo)
    assert not _box(duo, "#filters-toggle")["shown"] and not _box(duo, "#sheet-toggle")["shown"]
    filters, map_box, panel = _box(duo, ".filters"), _box(duo, "#map"), _box(duo, ".panel-col")
    assert filters["shown"] and filters["left"] >= 0 and filters["right"] <= map_box["left"] + 1
    assert map_box["right"] <= panel["left"] + 1 and panel["right"] <= width + 1
    assert _box(duo, "#search")["shown"] and _box(duo, "#theme-filter")["shown"]
    assert duo.driver.execute_script("return getComputedStyle(document.querySelector('.panel-col')).position;") != "fixed"
    assert duo.find_element("#filters-drawer").get_attribute("role") is None
    assert duo.driver.execute_script("return document.scrollingElement.scrollWidth;") <= width
    assert _box(duo, ".atlas-subtitle")["shown"]


def test_the_icon_font_holds_every_icon_the_code_names():
    """The vendored icon font keeps only the icons listed beside it (bin/vendor-assets cuts it down): an icon
    named in the code and missing there would show as an empty box. Run bin/vendor-assets after adding one."""
    root = Path(__file__).resolve().parent.parent
    named = set()
    for folder, pattern in (("dashboard", "*.py"), ("assets/atlas", "*.*")):
        for path in (root / folder).rglob(pattern):
            named |= set(re.findall(r"\bbi-[a-z0-9-]+", path.read_text(encoding="utf-8")))
    kept = set((root / "assets" / "fonts" / "bootstrap-icons.icons").read_text(encoding="utf-8").split())
    assert {"bi-funnel", "bi-translate"} <= named
    assert named <= kept, f"icons missing from the font: {sorted(named - kept)}"
    assert (root / "assets" / "fonts" / "bootstrap-icons.woff2").stat().st_size < 10_000


class _Outline(HTMLParser):
    """The elements of some HTML as (tag, id, classes) and its words, leaving out what plotly draws
    inside the map's frame and what React renders as nothing."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[tuple] = []
        self.words: list[str] = []
        self.depth, self.skip_from = 0, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.skip_from is None:
            self.items.append((tag, attrs.get("id"), tuple(sorted((attrs.get("class") or "").split()))))
            if attrs.get("id") == "map":
                self.skip_from = self.depth
        if tag not in self.VOID:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        self.depth -= 1
        if self.skip_from is not None and self.depth == self.skip_from:
            self.skip_from = None

    def handle_data(self, data):
        if self.skip_from is None:
            self.words += data.split()


def _outline(markup: str) -> _Outline:
    outline = _Outline()
    outline.feed(markup)
    return outline


def _static_copy(page: str) -> str:
    """The HTML inside the first answer's #atlas-first."""
    start = page.index(">", page.index('<div id="atlas-first"')) + 1
    return page[start:page.index('</div>\n<div id="react-entry-point">')]


def _data_block(page: str, block_id: str):
    found = re.search(r'<script type="application/json" id="%s">(.*?)</script>' % block_id, page, re.S)
    return json.loads(found.group(1))


@pytest.mark.parametrize("search, accept_language, lang", [
    ("?territory=MTQ", "en-GB", "en"),
    ("?territory=MTQ", "fr-FR,fr;q=0.9", "fr"),
    ("?territory=MTQ&lang=fr", "en-GB", "fr"),
])
def test_the_first_html_holds_the_view_drawn_and_what_dash_asks_next(dataset, search, accept_language, lang):
    """The first answer shows the link's view before any script runs: its header, its map frame and its
    cards, in the page's language; Dash's layout (that same page) and callbacks come with it, and what
    the map fetches is preloaded. Every script the page may run is a file of its own or hashed."""
    from dashboard.app import create_app

    app = create_app()
    answer = app.server.test_client().get("/" + search, headers={"Accept-Language": accept_language})
    page = answer.get_data(as_text=True)
    static = _static_copy(page)
    cards = re.findall(r'<article[^>]*class="[^"]*rec-card', static)
    matches = [r for r in dataset.recommendations.itertuples() if "MTQ" in r.territories]
    assert len(cards) == min(len(matches), 200) > 0
    name = dataset.territories["MTQ"].name(lang)
    assert f'<h1 class="h3 mb-0">{"Atlas of recommendations" if lang == "en" else "Atlas des recommandations"}' in static
    assert name in static and 'id="map"' in static and 'id="sheet-toggle"' in static
    layout = _data_block(page, "atlas-layout")
    assert layout["props"]["children"][1]["props"]["data"]["lang"] == lang
    # the islands' HTML comes once, in the static copy, whose elements React's page takes (first.js)
    store = next(c for c in layout["props"]["children"][3]["props"]["children"]["props"]["children"]
                 if c["props"].get("id") == "islands")
    assert store["props"]["data"] == {} and len(re.findall(r'class="[^"]*rec-card', page)) == len(cards)
    named = re.search(r'<div id="atlas-first" data-islands="([^"]*)">', page).group(1)
    assert {"side-panel-wrap", "brief-wrap", "count-themes-victim_support"} <= set(json.loads(unescape(named)))
    assert _data_block(page, "atlas-dependencies") and 'rel="preload"' in page and "/geo/boundaries.geojson" in page
    policy = answer.headers["Content-Security-Policy"]
    for attributes, body in re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S):
        if "src=" in attributes or 'type="application/json"' in attributes:
            continue
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy, f"an inline script without its hash: {body[:80]}"
    for unused in ("dash_table/bundle", "polyfill@", "_favicon.ico"):
        assert unused not in page


def test_the_first_html_preloads_its_scripts_then_the_map_s_files_at_high_priority():
    """On a slow network with six connections to the server, the page asks for its scripts first, in
    their order, then for what the map needs: Dash's graph chunk, plotly's geo bundle and the boundaries,
    the lighter copy on a phone and the map's own on a wider screen; nothing at low priority."""
    from dashboard.app import create_app

    page = create_app().server.test_client().get("/?territory=MTQ").get_data(as_text=True)
    head = page[:page.index("</head>")]
    links = re.findall(r"<link ([^>]*)>", head)
    preloads = [dict(re.findall(r'([\w-]+)="([^"]*)"', link)) for link in links if 'rel="preload"' in link]
    assert preloads and all(p["fetchpriority"] == "high" for p in preloads)
    scripts = re.findall(r'<script src="([^"]+)"', page)
    assert [p["href"] for p in preloads[:len(scripts)]] == scripts
    rest = preloads[len(scripts):]
    assert [p["href"].split("?")[0].rsplit("/", 1)[-1] for p in rest] == [
        "async-graph.js", f"plotly-geo-{PLOTLY_VERSION}.min.js", "boundaries.geojson", "boundaries-light.geojson"]
    assert rest[2]["media"] == "(min-width: 768px)" and rest[3]["media"] == "(max-width: 767.98px)"
    assert rest[2]["as"] == rest[3]["as"] == "fetch" and rest[1]["as"] == "script"


def test_the_first_html_escapes_the_view():
    """A search that tries to end the page's data blocks or its attributes stays text."""
    from dashboard.app import create_app

    attack = '</script><script>alert(1)</script>"><img src=x onerror=alert(2)>'
    page = create_app().server.test_client().get("/?q=" + quote(attack)).get_data(as_text=True)
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert _data_block(page, "atlas-layout")["props"]["children"][1]["props"]["data"]["query"] == "q=" + quote(attack, safe="")
    assert """value='&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"&gt;&lt;img src=x""" in _static_copy(page)


@pytest.mark.parametrize("component, markup", [
    (html.Div([html.Span("a < b", **{"aria-hidden": "true"}), 3], className="x", hidden=True, tabIndex="-1"),
     '<div class="x" hidden="" tabindex="-1"><span aria-hidden="true">a &lt; b</span>3</div>'),
    (html.Button("go", disabled=False, n_clicks=2, style={"maxHeight": 4, "opacity": 0.5}, **{"data-action": '{"k":1}'}),
     """<button style="max-height: 4px; opacity: 0.5;" data-action='{"k":1}'>go</button>"""),
    # a value with a double quote and no single one goes in single quotes; with both, in double quotes
    (html.Img(src="data:,", alt='"'), """<img alt='"' src="data:,">"""),
    (html.Img(src="data:,", alt='"\'<&'), '<img alt="&quot;&#x27;&lt;&amp;" src="data:,">'),
    (html.Img(src="data:,", alt="'>"), '<img alt="&#x27;&gt;" src="data:,">'),
    (dcc.Store(id="s", data={"a": 1}), ""),
    # a list shows the choice in its data-value (React's list gets it from assets/atlas/actions.js)
    (html.Select([html.Option("A", value="a"), html.Option("B", value="b")], id="l", **{"data-value": "b"}),
     '<select id="l" data-value="b"><option value="a">A</option><option value="b" selected="">B</option></select>'),
    (dcc.Graph(id="map", className="m", style={"height": "60vh"}), '<div id="map" class="dash-graph m" style="height: 60vh;"></div>'),
    (dbc.Row(dbc.Col("c", lg=4, className="k"), className="g-3"), '<div class="g-3 row"><div class="k col-lg-4">c</div></div>'),
    (dbc.RadioItems(id="r", options=[{"label": "A", "value": "a"}, {"label": "B", "value": "b"}], value="b", name="r",
                    inputClassName="btn-check", labelClassName="btn", labelCheckedClassName="active"),
     '<div id="r"><div class="form-check"><input id="_dbcprivate_radioitems_r_input_a" name="r" '
     'class="form-check-input btn-check" type="radio" value="a"><label class="form-check-label btn" '
     'for="_dbcprivate_radioitems_r_input_a">A</label></div><div class="form-check"><input '
     'id="_dbcprivate_radioitems_r_input_b" name="r" class="form-check-input btn-check" type="radio" value="b" '
     'checked=""><label class="form-check-label btn active" for="_dbcprivate_radioitems_r_input_b">B</label></div></div>'),
])
def test_components_as_static_html(component, markup):
    assert html_of.to_html(component) == markup


@pytest.mark.parametrize("tree, raw, markup", [
    # an island's element holds its HTML as it was made; text elsewhere is still escaped
    (html.Div([html.Div(id="i"), "a<b"]), {"i": "<b>x</b>"}, '<div><div id="i"><b>x</b></div>a&lt;b</div>'),
    # only an element with no children of its own
    (html.Div("own", id="i"), {"i": "<b>x</b>"}, '<div id="i">own</div>'),
    (html.Div(id="j"), {"i": "<b>x</b>"}, '<div id="j"></div>'),
    # HTML made already is written as it is, wherever a tree holds it
    (html.Section([html_of.Markup("<i>kept</i>"), "<i>"]), None, "<section><i>kept</i>&lt;i&gt;</section>"),
    # a link is followed inside the page (assets/atlas/islands.js)
    (dcc.Link("go", href="?territory=MTQ", className="c"), None, '<a class="c" href="?territory=MTQ" data-link="">go</a>'),
])
def test_islands_html(tree, raw, markup):
    assert html_of.to_html(tree, raw) == markup
