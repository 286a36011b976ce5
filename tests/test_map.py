"""The map in the browser, at 1440 × 900: a box that the land fills at every region, a view that frames the
selected territory, +/- zoom (buttons and presenter keys) that survives a new figure and a new page, click
targets of 24 px at world view, a legible colour bar on a projector, a PNG worth a slide, and a click
that costs the server a patch, not a figure."""
from __future__ import annotations


import base64
import io
import json

from PIL import Image
from selenium.webdriver.common.keys import Keys

from dashboard.app import create_app
from helpers import callback_body, emulate, press_keys, settle, tick, visit, wait_until

DESKTOP = {"width": 1440, "height": 900, "deviceScaleFactor": 1, "mobile": False}
TARGET_PX = 24

# The drawn map, measured in one script: the graph's box, the plot area above the colour bar, the land
# (every shape, clipped to the box), the shapes of some territories, the bubbles and the view.
MEASURE = """
const gd = document.querySelector('#map .js-plotly-plot');
const box = document.querySelector('#map').getBoundingClientRect();
const size = gd._fullLayout._size;
let l = 1e9, t = 1e9, r = -1e9, b = -1e9;
const shapes = {};
for (const p of document.querySelectorAll('#map .choroplethlocation')) {
  const q = p.getBoundingClientRect();
  const code = p.__data__ && p.__data__.loc;
  if (!q.width) { continue; }
  if (code && !shapes[code]) {
    const w = Math.min(q.right, box.right) - Math.max(q.left, box.left);
    const h = Math.min(q.bottom, box.top + size.h) - Math.max(q.top, box.top);
    shapes[code] = [Math.max(0, w), Math.max(0, h)];
  }
  l = Math.min(l, Math.max(q.left, box.left)); t = Math.min(t, Math.max(q.top, box.top));
  r = Math.max(r, Math.min(q.right, box.right)); b = Math.max(b, Math.min(q.bottom, box.bottom));
}
const bubbles = {};
const small = gd.data.find(d => d.name === 'small');
document.querySelectorAll('#map .scattergeo path.point').forEach((p, i) => {
  const q = p.getBoundingClientRect(); bubbles[small.customdata[i]] = [q.width, q.height]; });
const geo = gd._fullLayout.geo;
return {box: [box.width, box.height], plot: [size.w, size.h], land: [r - l, b - t], shapes: shapes, bubbles: bubbles,
        scale: geo.projection.scale, center: [geo.center.lon, geo.center.lat], wanted: gd.layout.meta.view,
        screen: [innerWidth, innerHeight], top: box.top};
"""


def _measure(duo) -> dict:
    return duo.driver.execute_script(MEASURE)


def _callback_requests(duo) -> int:
    return duo.driver.execute_script(
        "return performance.getEntriesByType('resource').filter(e => e.name.includes('_dash-update-component')).length;")


def _desktop(duo, query: str = ""):
    return emulate(duo, DESKTOP, query)


def _at_rest(duo, scale=None) -> dict:
    """The map once it shows the view it wants (or the given scale) and nothing moves."""
    def shown():
        m = _measure(duo)
        want = scale if scale is not None else m["wanted"]["scale"]
        return m if abs(m["scale"] / want - 1) < 1e-2 else None
    wait_until(duo, shown, message=f"the map at scale {scale or 'wanted'}")
    settle(duo, quiet_ms=300)
    return _measure(duo)


def test_the_land_fills_the_box_at_every_region_and_every_territory_is_a_target(start_atlas):
    duo = _desktop(start_atlas())
    fills = {}
    for region in ("world", "europe", "caribbean", "americas"):
        if region != "world":
            duo.find_element(f"#region label[for*='{region}']").click()
            wait_until(duo, lambda: _measure(duo)["wanted"]["key"] == f"{region}|", message=f"the {region} preset")
        m = _at_rest(duo, 1.0)
        width, height = m["box"]
        fills[region] = m["land"][0] * m["land"][1] / (width * height)
        # the land spans the box's width, and the box holds the land and the colour bar, no blank band
        assert m["land"][0] >= 0.95 * width, (region, m)
        assert m["land"][1] >= 0.95 * m["plot"][1], (region, m)
        assert fills[region] >= 0.8, (region, m)
        assert m["top"] + height <= m["screen"][1], (region, m)  # the whole map on the first screen
        if region == "world":
            world = m
    print("map fill at 1440 x 900:", {r: f"{f:.0%}" for r, f in fills.items()})
    # at world view every territory with recommendations is a shape of 24 px or has a 24 px bubble
    for code in ("ARG", "FRA", "GUY", "ITA", "MEX", "MTQ"):
        shape = world["shapes"].get(code, [0, 0])
        assert min(shape) >= TARGET_PX or min(world["bubbles"].get(code, [0, 0])) >= TARGET_PX, (code, world)
    assert min(world["shapes"]["GUY"]) < TARGET_PX <= min(world["bubbles"]["GUY"])  # Guyana is 9 x 16 px
    for button in ("#zoom-in", "#zoom-out"):
        size = duo.find_element(button).size
        assert size["width"] >= TARGET_PX and size["height"] >= TARGET_PX
    assert [duo.find_element(b).get_attribute("aria-label") for b in ("#zoom-in", "#zoom-out")] == ["Zoom in", "Zoom out"]


def test_a_territory_is_framed_the_zoom_follows_buttons_keys_and_new_figures_and_the_png_is_a_slide(start_atlas):
    duo = _desktop(start_atlas())
    box = _measure(duo)["box"]
    duo.find_element('#territory-list button[data-code="MTQ"]').click()
    mtq = _at_rest(duo)
    assert mtq["wanted"]["key"] == "world|MTQ" and mtq["scale"] > 20
    martinique = mtq["shapes"]["MTQ"]
    assert min(martinique) >= 36 and max(martinique) <= 0.5 * mtq["plot"][1], mtq  # close, with neighbours around

    duo.find_element('#territory-list button[data-code="MEX"]').click()
    mex = _at_rest(duo)
    mexico = mex["shapes"]["MEX"]
    assert mexico[0] >= 0.5 * box[0] and mexico[1] >= 0.75 * mex["plot"][1], mex  # Mexico fills the view
    print(f"zoomed at 1440 x 900: Martinique {martinique[0]:.0f} x {martinique[1]:.0f} px, "
          f"Mexico {mexico[0]:.0f} x {mexico[1]:.0f} px in a {box[0]:.0f} x {box[1]:.0f} box")

    # + and - by the mouse and by the keyboard, with no request to the server
    requests = _callback_requests(duo)
    duo.find_element("#zoom-in").click()
    zoomed = _at_rest(duo, mex["scale"] * 1.6)
    duo.find_element("#zoom-out").send_keys(Keys.ENTER)
    _at_rest(duo, mex["scale"])
    duo.find_element("#zoom-in").send_keys(Keys.SPACE)
    _at_rest(duo, zoomed["scale"])
    assert _callback_requests(duo) == requests

    # the zoom stays through a new figure (a filter) and a new page (the language), and goes with the view
    tick(duo, "actor-filter", "national")
    wait_until(duo, lambda: "actor=national" in duo.driver.current_url, message="the filter")
    settle(duo)
    assert abs(_measure(duo)["scale"] / zoomed["scale"] - 1) < 1e-2
    duo.find_element("#lang").click()
    wait_until(duo, lambda: duo.find_element("#zoom-in").get_attribute("aria-label") == "Zoom avant", message="French")
    _at_rest(duo, zoomed["scale"])
    duo.find_element("#side-panel button[id*='clear-territory']").click()
    back = _at_rest(duo, 1.0)
    assert back["wanted"]["key"] == "world|"
    duo.find_element("#zoom-in").click()
    _at_rest(duo, 1.6)
    duo.find_element("#map-reset").click()  # the same view: only the zoom goes
    _at_rest(duo, 1.0)

    # presenter mode: the colour bar's text is read from the back of the room, and + / - zoom
    visit(duo, "present=1&territory=GUY")
    wait_until(duo, lambda: duo.driver.execute_script("return document.body.classList.contains('presenting');"),
               message="presenter mode")
    guy = _at_rest(duo)
    sizes = duo.driver.execute_script(
        "return [...document.querySelectorAll('#map .colorbar text')].map(t => parseFloat(getComputedStyle(t).fontSize));")
    assert sizes and min(sizes) >= 18, sizes
    press_keys(duo, "+")
    _at_rest(duo, guy["scale"] * 1.6)
    press_keys(duo, "-", "-")
    _at_rest(duo, guy["scale"] / 1.6)

    # the PNG: 1920 x 1080 on white, the words at the top and at the foot, the map between
    duo.driver.set_script_timeout(30)
    url = duo.driver.execute_async_script(
        "const done = arguments[0]; window.atlasMap.picture().then(done, e => done('failed: ' + e));")
    assert url.startswith("data:image/png;base64,"), url[:80]
    with Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1]))) as image:
        assert image.size == (1920, 1080)
        rgb = image.convert("RGBA")
        corners = [rgb.getpixel(p) for p in ((0, 0), (1919, 0), (0, 1079), (1919, 1079))]
        assert corners == [(255, 255, 255, 255)] * 4, corners
        opaque = sum(1 for p in rgb.resize((192, 108)).getdata() if p[3] == 255)
        assert opaque == 192 * 108  # nothing transparent
        pixels = rgb.convert("RGB")
        title = pixels.crop((0, 0, 1920, 110)).resize((192, 11)).getdata()
        source = pixels.crop((0, 1010, 1920, 1080)).resize((192, 7)).getdata()
        assert sum(1 for p in title if max(p) < 128) > 40  # dark words at the top and at the foot
        assert sum(1 for p in source if max(p) < 200) > 20
        body = pixels.crop((0, 120, 1920, 1000)).resize((192, 88)).getdata()
        assert sum(1 for p in body if max(p) - min(p) > 40) > 30  # the map's colours


def test_a_click_on_a_territory_answers_a_small_patch_and_anything_else_a_figure():
    """The map's part of the update callback's answer, as the page posts it: a new selection on the map it
    drew is a patch of about 1 KB (no counting on the server), a new filter or region a new figure (about
    24 KB), and an action that leaves the map as it is sends nothing for it."""
    app = create_app()
    client = app.server.test_client()
    territory = {"kind": "territory", "code": "MTQ"}

    def answer(action, current, drawn):
        body = callback_body(app, "actions.data", {"actions.data": {"items": [dict(action, seq=1)]},
                                                   "view-state.data": current, "map-drawn.data": drawn})
        response = client.post("/_dash-update-component", json=body)
        assert response.status_code == 200
        found = response.json["response"]
        return ({"map": found["map-answer"]["data"], "map-drawn": found["map-drawn"]} if "map-answer" in found else {})

    patch = answer(territory, "", "")
    assert patch["map"]["figure"].get("__dash_patch_update") and len(json.dumps(patch)) < 3_000, patch
    assert set(patch["map"]) == {"figure"}  # the box keeps its shape
    assert patch["map-drawn"]["data"] == "territory=MTQ"
    tick = {"kind": "tick", "name": "themes", "value": "prevention_education", "on": True}
    for action, current, drawn in ((tick, "territory=MTQ", "territory=MTQ"),
                                   ({"kind": "set", "name": "region", "value": "europe"}, "", ""),
                                   ({"kind": "present"}, "", ""), (territory, "", None), (territory, "", "lang=fr")):
        full = answer(action, current, drawn)
        assert "data" in full["map"]["figure"] and len(json.dumps(full)) > 10_000, (action, current, drawn)
    assert "style" in answer({"kind": "set", "name": "region", "value": "europe"}, "", "")["map"]  # a new shape for the box
    assert "style" not in answer(tick, "", "")["map"]
    assert answer({"kind": "set", "name": "tab", "value": "matrix"}, "territory=MTQ", "territory=MTQ") == {}
