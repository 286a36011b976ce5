"""The pure map builder: what each trace holds, its colour scale and its layout."""
from __future__ import annotations

import pytest

from dashboard import data, figures
from helpers import DATA


@pytest.fixture(scope="module")
def dataset():
    return data.load(DATA)


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
    selected_trace = _trace(figure, "selected")
    assert (selected_trace["locations"] if selected_trace else None) == ([outlined] if outlined else None)
    bubbles = _trace(figure, "small")
    assert "MTQ" in bubbles["customdata"] and "FRA" not in bubbles["customdata"]
    assert _trace(figure, "counts")["colorbar"]["title"]["text"] == "Recommandations"


@pytest.mark.parametrize("region, lon", [("world", None), ("europe", [-25, 45]), ("caribbean", [-90, -52])])
def test_the_layout_frames_the_region_and_the_map_does_not_drag(dataset, region, lon):
    layout = figures.map_figure(dataset, {"MTQ": 1}, "en", None, region)["layout"]
    assert layout["geo"].get("lonaxis", {}).get("range") == lon
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
