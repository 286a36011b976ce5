"""The pure map builder: what each trace holds, its colour scale and its layout."""
from __future__ import annotations

import pytest

from dashboard import figures, mapview
from dashboard.state import Vocabulary, parse_query



def _trace(figure: dict, name: str) -> dict | None:
    return next((t for t in figure["data"] if t["name"] == name), None)


@pytest.mark.parametrize("counts, ticks", [
    ({"MTQ": 1}, [0, 1]),
    ({"MTQ": 2, "FRA": 1}, [0, 1, 2]),
    ({"MTQ": 5}, [0, 1, 2, 3, 4, 5]),
    ({"MTQ": 6}, [0, 2, 4, 6]),
    ({"MTQ": 36, "FRA": 40}, [0, 8, 16, 24, 32, 40]),
])
def test_the_colour_scale_has_whole_distinct_ticks(dataset, counts, ticks):
    bar = _trace(figures.map_figure(dataset, counts, "en", None, "world"), "counts")
    assert bar["zmin"] == 0 and bar["zmax"] == max(counts.values())
    scale = bar["colorbar"]
    assert scale["tickmode"] == "linear" and scale["tick0"] == 0
    shown = list(range(0, bar["zmax"] + 1, scale["dtick"]))
    assert shown == ticks


@pytest.mark.parametrize("counts, selected, coloured, outlined", [
    ({"MTQ": 36, "ITA": 35}, None, ["ITA", "MTQ"], None),
    ({"MTQ": 36, "ITA": 0}, "ITA", ["MTQ"], "ITA"),
    ({}, "FRA", [], "FRA"),
])
def test_counts_colour_their_territories_and_everything_else_is_grey(dataset, counts, selected, coloured, outlined):
    figure = figures.map_figure(dataset, counts, "fr", selected, "europe")
    assert _trace(figure, "counts")["locations"] == coloured
    context = _trace(figure, "context")["locations"]
    assert not set(context) & set(coloured) and "ESP" in context
    assert _trace(figure, "selected")["locations"] == ([outlined] if outlined else [])
    bubbles = _trace(figure, "small")
    assert "MTQ" in bubbles["customdata"] and "MEX" not in bubbles["customdata"]
    assert _trace(figure, "counts")["colorbar"]["title"]["text"] == "Recommandations"


@pytest.mark.parametrize("region, lon", [("world", [-180, 180]), ("europe", [-25, 45]), ("caribbean", [-90, -50])])
def test_the_layout_frames_the_region_and_the_map_does_not_drag(dataset, region, lon):
    layout = figures.map_figure(dataset, {"MTQ": 1}, "en", None, region)["layout"]
    assert layout["geo"]["lonaxis"]["range"] == lon
    assert layout["dragmode"] is False
    assert layout["uirevision"] == region


@pytest.mark.parametrize("region, selected", [("world", None), ("world", "MTQ"), ("caribbean", "MTQ"), ("europe", None)])
def test_small_territory_bubbles_are_a_fingertip_wide(dataset, region, selected):
    """On a 375 px phone a bubble is the only way to tap a small territory: at least 24 px across,
    whatever the region and the selection (plotly's marker size is a diameter in CSS pixels)."""
    bubbles = _trace(figures.map_figure(dataset, {"MTQ": 36}, "en", selected, region), "small")
    assert "MTQ" in bubbles["customdata"]
    size = bubbles["marker"]["size"]
    sizes = size if isinstance(size, list) else [size] * len(bubbles["customdata"])
    assert len(sizes) == len(bubbles["customdata"]) and min(sizes) >= 24
    assert bubbles["marker"].get("sizemode", "diameter") == "diameter"


# --- the map's shape, its view of a territory, its click targets and its patch ---------------------------

@pytest.mark.parametrize("lon, lat, x, y", [
    (0, 0, 0.0, 0.0),
    (180, 0, 2.7353, 0.0),  # d3's Natural Earth: 0.8707 * pi at the equator
    (0, 90, 0.0, 1.4217),
    (-180, 0, -2.7353, 0.0),
])
def test_natural_earth_is_d3s_projection(lon, lat, x, y):
    px, py = mapview.natural_earth(lon, lat)
    assert px == pytest.approx(x, abs=1e-3) and py == pytest.approx(y, abs=1e-3)


@pytest.mark.parametrize("region, low, high", [
    # the projected window's width over height (as plotly fits it, measured in the browser: 668.8 x 302 px
    # for the world), each wide enough that a box as wide as the map's column fits a laptop's screen
    ("world", 2.20, 2.23), ("europe", 1.5, 1.8), ("caribbean", 1.25, 1.45), ("americas", 1.2, 1.4),
])
def test_each_region_is_wider_than_tall_and_the_box_takes_its_shape(region, low, high):
    assert low <= mapview.aspect(region) <= high
    style = figures.map_style(region, present=False)
    assert float(style["--map-aspect"]) == mapview.aspect(region)
    assert style["--map-bottom"] == f"{figures.BAR_MARGIN[False]}px"
    assert figures.map_style(region, present=True)["--map-bottom"] == f"{figures.BAR_MARGIN[True]}px"


@pytest.mark.parametrize("code, region, low, high", [
    ("MTQ", "world", 30, 64),  # an island: close, with its neighbours around it (at least 3 x 2 degrees)
    ("MTQ", "caribbean", 4, 12),
    ("MEX", "world", 5, 8),  # a country fills the view
    ("MEX", "americas", 3, 6),
    ("RUS", "world", 1.5, 2.5),
])
def test_a_selected_territory_is_framed_with_some_context(dataset, code, region, low, high):
    view = figures.view_of(dataset, code, region)
    west, south, east, north = figures.extents(dataset)[code]
    assert west <= view["lon"] <= east and south <= view["lat"] <= north
    assert low <= view["scale"] <= high
    assert view["key"] == f"{region}|{code}"
    # the territory's box, at that scale, takes at most TARGET_FILL of the window either way
    x0, y0, x1, y1 = mapview.window_bounds(region)
    w, h = mapview.extent_size((west, south, east, north), mapview.rotation(region))
    assert max(w * view["scale"] / (x1 - x0), h * view["scale"] / (y1 - y0)) <= mapview.TARGET_FILL + 1e-3


@pytest.mark.parametrize("region", ["world", "europe", "caribbean", "americas"])
def test_with_no_selection_the_view_is_the_whole_region(dataset, region):
    view = figures.view_of(dataset, None, region)
    (lon0, lon1), (lat0, lat1) = figures.REGION_WINDOWS[region]
    assert (view["lon"], view["lat"], view["scale"]) == ((lon0 + lon1) / 2, (lat0 + lat1) / 2, 1.0)
    assert view["home"] == {"lon": view["lon"], "lat": view["lat"], "half_lon": (lon1 - lon0) / 2,
                            "half_lat": (lat1 - lat0) / 2}
    geo = figures.map_figure(dataset, {"MTQ": 1}, "en", None, region)["layout"]["geo"]
    assert geo["center"] == {"lon": view["lon"], "lat": view["lat"]} and geo["projection"]["scale"] == 1.0


def test_every_territory_with_recommendations_is_24_px_or_has_a_bubble(dataset):
    """At world view on the narrowest desktop map, a shape under 24 px either way gets a bubble: Guyana is
    9 x 16 px on a 692 px map."""
    boxes = figures.extents(dataset)
    bubbles = figures.bubble_codes(dataset)
    assert {"MTQ", "GUY"} <= set(bubbles)
    for code in dataset.mapped_codes:
        assert code in bubbles or min(mapview.world_px(boxes[code])) >= figures.BUBBLE_PX, code
    assert "MEX" not in bubbles and "ARG" not in bubbles  # big enough to hit


@pytest.mark.parametrize("box, bubble", [
    ((-61.4, 1.2, -56.5, 8.6), True),  # Guyana
    ((-61.2, 14.4, -60.8, 14.9), True),  # Martinique
    ((-118.4, 14.5, -86.7, 32.7), False),  # Mexico
])
def test_needs_bubble_from_the_projected_box(box, bubble):
    assert mapview.needs_bubble(box) is bubble


@pytest.mark.parametrize("fraction, colour", [(0, "#c7e9b4"), (0.25, "#7fcdbb"), (1, "#0c2c84"), (0.125, "#a3dbb8")])
def test_bubbles_take_the_colour_scale_and_grey_when_nothing_matches(dataset, fraction, colour):
    assert figures.scale_colour(fraction) == colour
    figure = figures.map_figure(dataset, {"MTQ": 36, "GUY": 0}, "en", None, "world")
    bubbles = _trace(figure, "small")
    colours = dict(zip(bubbles["customdata"], bubbles["marker"]["color"]))
    assert colours["MTQ"] == "#0c2c84" and colours["GUY"] == figures.CONTEXT_GREY


@pytest.mark.parametrize("selected, hidden", [("MTQ", {"MTQ"}), ("GUY", {"GUY"}), ("MEX", set()), (None, set())])
def test_the_selected_bubble_is_hidden_so_that_its_island_shows(dataset, selected, hidden):
    """Framed on Martinique, the island (15 x 30 px on a phone) is not under its own bubble: its outline
    marks it; every other bubble stays."""
    bubbles = _trace(figures.map_figure(dataset, {"MTQ": 36, "GUY": 26}, "en", selected, "world"), "small")
    opacity = dict(zip(bubbles["customdata"], bubbles["marker"]["opacity"]))
    assert {c for c, o in opacity.items() if o == 0} == hidden and set(opacity.values()) <= {0, 1}
    assert not hidden or hidden <= set(dataset.boundary_codes)


@pytest.mark.parametrize("before, after, region", [(None, "MTQ", "world"), ("MTQ", "MEX", "caribbean"), ("GUY", None, "europe")])
def test_a_new_selection_changes_only_what_the_patch_names(dataset, before, after, region):
    """Applying selection_changes to the map of one selection gives the map of the other."""
    counts = {"MTQ": 36, "MEX": 16, "GUY": 26}
    old = figures.map_figure(dataset, counts, "en", before, region, caption={"title": "a"})
    new = figures.map_figure(dataset, counts, "en", after, region, caption={"title": "b"})
    assert [t["name"] for t in old["data"]] == list(figures.TRACES)
    for path, value in figures.selection_changes(dataset, after, region, {"title": "b"}).items():
        target = old
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    new_geo, old_geo = new["layout"].pop("geo"), old["layout"].pop("geo")
    assert old == new
    # the view itself moves in the browser (map.js), from the figure's layout.meta.view
    assert old["layout"]["meta"]["view"] == figures.view_of(dataset, after, region)
    assert {k: v for k, v in old_geo.items() if k not in ("center", "projection")} == \
           {k: v for k, v in new_geo.items() if k not in ("center", "projection")}


@pytest.mark.parametrize("query, title, filters, source", [
    ("", "Atlas of recommendations", "Every recommendation, no filter",
     "Source: Report 1: France, Martinique, Italy, and Guyana; Report 2: Mexico and Argentina. Boundaries: Natural Earth."),
    ("territory=MTQ&actor=national&q=école", "Martinique · Atlas of recommendations",
     "Filtered by: National and local institutions; search “école”", None),
    ("lang=fr&report=2&theme=prevention_education", "Atlas des recommandations",
     "Filtré par : Prévention et éducation\u202f; Rapport 2",
     "Source\u202f: Rapport 2 : Mexique et Argentine. Frontières\u202f: Natural Earth."),
])
def test_the_png_caption_names_the_view_its_filters_and_the_reports(dataset, query, title, filters, source):
    state = parse_query(query, Vocabulary.of(dataset)).state
    caption = figures.export_caption(dataset, state)
    assert (caption["title"], caption["filters"], caption["lang"]) == (title, filters, state.lang)
    assert caption["source"] == (source or caption["source"]) and ".txt" not in caption["source"]
