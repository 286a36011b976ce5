"""Pure builders of the map figure (plain dicts, so that building one takes well under a millisecond)."""
from __future__ import annotations

import math
from functools import lru_cache

from .data import Dataset
from .i18n import N_, number, translations

BOUNDARIES_URL = "/geo/boundaries.geojson"
SMALL_TERRITORY_KM2 = 30_000  # below this a territory gets a bubble, so it can be clicked at world scale
BUBBLE_PX = 24  # a bubble's diameter: big enough for a fingertip on a phone, where the map is 375 px wide
# ColorBrewer YlGnBu from its third step: sequential, colour-blind safe, and distinct from the grey context.
COLORSCALE = [[0.0, "#c7e9b4"], [0.25, "#7fcdbb"], [0.5, "#41b6c4"], [0.75, "#1d91c0"], [1.0, "#0c2c84"]]
CONTEXT_GREY = "#d9d9d9"
BORDER = "#ffffff"
SELECTED = "#d7191c"
HOVER_TEXT = "#212529"
HOVER_BACKGROUND = "#ffffff"

# Visible window of each region preset: (lon range, lat range).
REGION_WINDOWS = {
    "world": None,
    "europe": ((-25, 45), (34, 71)),
    "caribbean": ((-90, -52), (6, 27)),
    "americas": ((-128, -30), (-56, 60)),
}
REGION_LABELS = {
    "world": N_("World"), "europe": N_("Europe"), "caribbean": N_("Caribbean"), "americas": N_("Americas"),
}


def map_figure(dataset: Dataset, counts: dict[str, int], lang: str, selected: str | None, region: str) -> dict:
    """The world map: counts on a sequential scale, every other country grey, bubbles for small territories."""
    tr = translations(lang)
    territories = dataset.territories
    coloured = sorted(code for code, n in counts.items() if n > 0)
    top = max([counts[c] for c in coloured], default=1)

    def hover(code: str) -> str:
        return _hover_text(territories[code].name(lang), counts.get(code, 0), lang)

    context = sorted(code for code in dataset.boundary_codes if code in territories and code not in coloured)
    traces: list[dict] = [
        {
            "type": "choropleth", "name": "context", "geojson": BOUNDARIES_URL, "featureidkey": "id",
            "locations": context, "z": [0] * len(context), "customdata": context,
            "text": [hover(c) for c in context], "hovertemplate": "%{text}<extra></extra>",
            "colorscale": [[0, CONTEXT_GREY], [1, CONTEXT_GREY]], "showscale": False,
            "marker": {"line": {"color": BORDER, "width": 0.4}},
        },
        {
            "type": "choropleth", "name": "counts", "geojson": BOUNDARIES_URL, "featureidkey": "id",
            "locations": coloured, "z": [counts[c] for c in coloured], "customdata": coloured,
            "text": [hover(c) for c in coloured], "hovertemplate": "%{text}<extra></extra>",
            "colorscale": COLORSCALE, "zmin": 0, "zmax": top,
            "marker": {"line": {"color": BORDER, "width": 0.6}},
            "colorbar": {
                "title": {"text": tr.gettext("Recommendations"), "side": "top"},
                "orientation": "h", "x": 0.5, "xanchor": "center", "y": -0.02, "yanchor": "top",
                "thickness": 12, "len": 0.5, "tickformat": "d",
                # whole-number ticks, at most six: plotly's own choice repeats "1" on a scale of 0 to 2
                "tickmode": "linear", "tick0": 0, "dtick": max(1, math.ceil(top / 5)),
            },
        },
    ]
    small = [c for c in dataset.mapped_codes if territories[c].area_km2 < SMALL_TERRITORY_KM2]
    if small:
        traces.append({
            "type": "scattergeo", "name": "small", "mode": "markers",
            "lon": [territories[c].label_lon for c in small], "lat": [territories[c].label_lat for c in small],
            "customdata": small, "text": [hover(c) for c in small], "hovertemplate": "%{text}<extra></extra>",
            "marker": {
                # no match: the grey of every other territory (plotly passes a colour through its scale)
                "size": BUBBLE_PX, "color": [counts.get(c, 0) or CONTEXT_GREY for c in small], "colorscale": COLORSCALE,
                "cmin": 0, "cmax": top, "showscale": False, "opacity": 1,
                "line": {"color": [SELECTED if c == selected else "#333333" for c in small],
                         "width": [4 if c == selected else 1.5 for c in small]},
            },
        })
    if selected and selected in dataset.boundary_codes:
        traces.append({
            "type": "choropleth", "name": "selected", "geojson": BOUNDARIES_URL, "featureidkey": "id",
            "locations": [selected], "z": [1], "customdata": [selected], "text": [hover(selected)],
            "hovertemplate": "%{text}<extra></extra>", "showscale": False,
            "colorscale": [[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
            "marker": {"line": {"color": SELECTED, "width": 2.5}},
        })
    return {"data": traces, "layout": _layout(region)}


@lru_cache(maxsize=2048)
def _hover_text(name: str, n: int, lang: str) -> str:
    label = translations(lang).ngettext("%(n)s recommendation", "%(n)s recommendations", n) % {"n": number(n, lang)}
    return f"<b>{name}</b><br>{label}"


def _layout(region: str) -> dict:
    geo = {
        "projection": {"type": "natural earth"},
        "showland": False, "showcountries": False, "showcoastlines": False, "showocean": False,
        "showlakes": False, "showrivers": False, "showframe": False, "bgcolor": "rgba(0,0,0,0)",
    }
    window = REGION_WINDOWS.get(region)
    if window:
        geo["lonaxis"] = {"range": list(window[0])}
        geo["lataxis"] = {"range": list(window[1])}
    else:
        geo["lataxis"] = {"range": [-56, 78]}  # no Antarctica, little Arctic: more room for inhabited land
    return {
        "geo": geo, "margin": {"l": 0, "r": 0, "t": 0, "b": 56},  # the bottom margin holds the colour bar
        "dragmode": False,  # a drag would scroll a phone's page, not pan the map; regions choose the window
        "paper_bgcolor": "rgba(0,0,0,0)", "showlegend": False,
        # dark text on white: a label coloured like its territory falls to 3.6:1 on the middle of the scale
        "hoverlabel": {"font": {"size": 16, "color": HOVER_TEXT}, "bgcolor": HOVER_BACKGROUND, "bordercolor": HOVER_TEXT},
        "uirevision": region,
    }
