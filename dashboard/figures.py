"""Pure builders of the map figure (plain dicts, so that building one takes well under a millisecond),
and of the few values that change when only the selected territory changes (the map's update is then a
patch of those, not a new figure)."""
from __future__ import annotations

import math
from functools import lru_cache

from babel.lists import format_list

from . import geojson, mapview, tables
from .data import Dataset
from .domain import ACTOR_LABELS
from .i18n import number, translations
from .mapview import REGION_LABELS, REGION_WINDOWS  # noqa: F401  (the page's region buttons name them)

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
# The colour bar under the map: its text, and the margin that holds it (the page sizes the map's box
# with the same margin, see map_style)
BAR_FONT = {False: 12, True: 18}  # px: on a projector the numbers are read from the back of the room
BAR_MARGIN = {False: 50, True: 76}
# The traces, always in this order and always present (empty when there is nothing to draw), so that a
# patch can name them by index.
TRACES = ("context", "counts", "small", "selected")
TRACE = {name: i for i, name in enumerate(TRACES)}


def map_figure(dataset: Dataset, counts: dict[str, int], lang: str, selected: str | None, region: str, *,
               present: bool = False, caption: dict | None = None) -> dict:
    """The world map: counts on a sequential scale, every other country grey, bubbles for small territories,
    framed on the selected territory (or the region); `caption` is what a PNG of it says (export_caption)."""
    tr = translations(lang)
    territories = dataset.territories
    coloured = sorted(code for code, n in counts.items() if n > 0)
    top = max([counts[c] for c in coloured], default=1)

    def hover(code: str) -> str:
        return _hover_text(territories[code].name(lang), counts.get(code, 0), lang)

    context = sorted(code for code in dataset.boundary_codes if code in territories and code not in coloured)
    small = bubble_codes(dataset)
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
            "colorbar": _colour_bar(tr.gettext("Recommendations"), top, present),
        },
        {
            "type": "scattergeo", "name": "small", "mode": "markers",
            "lon": [territories[c].label_lon for c in small], "lat": [territories[c].label_lat for c in small],
            "customdata": list(small), "text": [hover(c) for c in small], "hovertemplate": "%{text}<extra></extra>",
            "marker": {
                "size": BUBBLE_PX, "opacity": _bubble_opacity(dataset, small, selected),
                # a bubble with no match is grey like a shape with none
                "color": [scale_colour(counts[c] / top) if counts.get(c, 0) > 0 else CONTEXT_GREY for c in small],
                "line": _bubble_lines(small, selected),
            },
        },
        {
            # the selection's outline, over everything; the shapes beneath answer the hover and the click
            "type": "choropleth", "name": "selected", "geojson": BOUNDARIES_URL, "featureidkey": "id",
            **_selected_trace(dataset, selected), "hoverinfo": "skip", "showscale": False,
            "colorscale": [[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
            "marker": {"line": {"color": SELECTED, "width": 2.5}},
        },
    ]
    return {"data": traces, "layout": _layout(region, present, view_of(dataset, selected, region), caption)}


def selection_changes(dataset: Dataset, selected: str | None, region: str, caption: dict | None) -> dict:
    """What differs between the map of one selection and the map of another, all else being equal:
    {path in the figure: value}. No counting: a click on the map costs the server next to nothing."""
    small = bubble_codes(dataset)
    changes = {("data", TRACE["selected"], key): value for key, value in _selected_trace(dataset, selected).items()}
    changes[("data", TRACE["small"], "marker", "line")] = _bubble_lines(small, selected)
    changes[("data", TRACE["small"], "marker", "opacity")] = _bubble_opacity(dataset, small, selected)
    changes[("layout", "meta", "view")] = view_of(dataset, selected, region)
    changes[("layout", "meta", "caption")] = caption
    return changes


def map_style(region: str, present: bool) -> dict:
    """The graph's CSS variables: the shape of the region's window and the colour bar's margin, from which
    the stylesheet sizes the map's box (map.css), so that the land fills it."""
    return {"--map-aspect": str(mapview.aspect(region)), "--map-bottom": f"{BAR_MARGIN[bool(present)]}px"}


def view_of(dataset: Dataset, selected: str | None, region: str) -> dict:
    """Where the map looks: the selected territory framed with some context, else the whole region.
    `home` is the region's middle and half its spans, towards which zooming out comes back so that the
    view stays within the region at every scale; `key` names the view (assets/atlas/map.js
    keeps a zoom of the user's own while the key stays the same)."""
    home = mapview.region_view(region if region in REGION_WINDOWS else "world")
    extent = extents(dataset).get(selected) if selected else None
    if selected and extent is None and selected in dataset.territories:
        t = dataset.territories[selected]
        extent = (t.label_lon, t.label_lat, t.label_lon, t.label_lat)
    view = mapview.territory_view(extent, region) if extent else home
    (lon0, lon1), (lat0, lat1) = REGION_WINDOWS.get(region, REGION_WINDOWS["world"])
    return {**view, "home": {"lon": home["lon"], "lat": home["lat"], "half_lon": (lon1 - lon0) / 2,
                             "half_lat": (lat1 - lat0) / 2}, "key": f"{region}|{selected or ''}"}


@lru_cache(maxsize=8)
def extents(dataset: Dataset) -> dict[str, tuple[float, float, float, float]]:
    """Each territory's box of land (geojson.extents), read once per dataset."""
    return geojson.extents(dataset.data_dir / tables.BOUNDARIES)


@lru_cache(maxsize=8)
def bubble_codes(dataset: Dataset) -> tuple[str, ...]:
    """The territories with recommendations that are too small to click at world scale: a bubble, 24 px
    across, stands for each."""
    boxes = extents(dataset)
    return tuple(c for c in dataset.mapped_codes
                 if dataset.territories[c].area_km2 < SMALL_TERRITORY_KM2
                 or c not in boxes or mapview.needs_bubble(boxes[c]))


def scale_colour(fraction: float) -> str:
    """The colour scale at a fraction of its length, as plotly interpolates it (in RGB)."""
    fraction = min(1.0, max(0.0, fraction))
    for (a, ca), (b, cb) in zip(COLORSCALE, COLORSCALE[1:]):
        if fraction <= b:
            t = (fraction - a) / (b - a) if b > a else 0.0
            rgb = [round(int(ca[i:i + 2], 16) + t * (int(cb[i:i + 2], 16) - int(ca[i:i + 2], 16))) for i in (1, 3, 5)]
            return "#" + "".join(f"{v:02x}" for v in rgb)
    return COLORSCALE[-1][1]


def export_caption(dataset: Dataset, state) -> dict:
    """What a PNG of the map says around it, in the view's language: a title (with the territory), the
    filters in force, and the source named as the reports. The browser adds the date."""
    lang = state.lang
    _ = translations(lang).gettext
    title = _("Atlas of recommendations")
    if state.territory in dataset.territories:
        title = f"{dataset.territories[state.territory].name(lang)} · {title}"
    filters = []
    if state.actors:
        filters.append(format_list([_(ACTOR_LABELS[a]) for a in state.actors], style="or", locale=lang))
    if state.themes:
        filters.append(format_list([dataset.themes[t].label(lang) for t in state.themes if t in dataset.themes],
                                   style="or", locale=lang))
    if state.report is not None:
        filters.append(_("Report %(n)s") % {"n": state.report})
    if state.q:
        filters.append(_("search “%(q)s”") % {"q": state.q})
    shown = [state.report] if state.report in dataset.reports else list(dataset.reports)
    separator = "\u202f; " if lang == "fr" else "; "  # French sets a narrow no-break space before ";"
    reports = separator.join(_("Report %(n)s: %(partners)s") % {"n": r, "partners": format_list(
        [dataset.territories[c].name(lang) for c in dataset.partners.get(r, ())], locale=lang)} for r in shown)
    return {
        "title": title,
        "filters": (_("Filtered by:") + " " + separator.join(filters)) if filters else _("Every recommendation, no filter"),
        "source": _("Source: %(reports)s. Boundaries: Natural Earth.") % {"reports": reports},
        "lang": lang,
    }


@lru_cache(maxsize=2048)
def _hover_text(name: str, n: int, lang: str) -> str:
    label = translations(lang).ngettext("%(n)s recommendation", "%(n)s recommendations", n) % {"n": number(n, lang)}
    return f"<b>{name}</b><br>{label}"


def _colour_bar(title: str, top: int, present: bool) -> dict:
    size = BAR_FONT[bool(present)]
    return {
        "title": {"text": title, "side": "top", "font": {"size": size}}, "tickfont": {"size": size},
        "orientation": "h", "x": 0.5, "xanchor": "center", "y": 0, "yanchor": "top", "ypad": 2,
        "thickness": 16 if present else 12, "len": 0.5, "tickformat": "d",
        # whole-number ticks, at most six: plotly's own choice repeats "1" on a scale of 0 to 2
        "tickmode": "linear", "tick0": 0, "dtick": max(1, math.ceil(top / 5)),
    }


def _bubble_lines(small: tuple[str, ...], selected: str | None) -> dict:
    return {"color": [SELECTED if c == selected else "#333333" for c in small],
            "width": [4 if c == selected else 1.5 for c in small]}


def _bubble_opacity(dataset: Dataset, small: tuple[str, ...], selected: str | None) -> list[float]:
    """The selected territory's bubble is hidden when its own outline is drawn: the map is then framed on
    it, and a bubble 24 px across would cover an island of 15 x 30 px. Without an outline it stays."""
    hidden = selected if selected in dataset.boundary_codes else None
    return [0 if c == hidden else 1 for c in small]


def _selected_trace(dataset: Dataset, selected: str | None) -> dict:
    codes = [selected] if selected and selected in dataset.boundary_codes else []
    return {"locations": codes, "z": [1] * len(codes), "customdata": codes}


def _layout(region: str, present: bool, view: dict, caption: dict | None) -> dict:
    (lon0, lon1), (lat0, lat1) = REGION_WINDOWS.get(region, REGION_WINDOWS["world"])
    geo = {
        "projection": {"type": "natural earth", "scale": view["scale"], "rotation": {"lon": mapview.rotation(region)}},
        "center": {"lon": view["lon"], "lat": view["lat"]},
        "lonaxis": {"range": [lon0, lon1]}, "lataxis": {"range": [lat0, lat1]},
        "showland": False, "showcountries": False, "showcoastlines": False, "showocean": False,
        "showlakes": False, "showrivers": False, "showframe": False, "bgcolor": "rgba(0,0,0,0)",
    }
    return {
        "geo": geo, "margin": {"l": 0, "r": 0, "t": 0, "b": BAR_MARGIN[bool(present)]},  # the bottom margin holds the colour bar
        "dragmode": False,  # a drag would scroll a phone's page, not pan the map; regions choose the window
        "paper_bgcolor": "rgba(0,0,0,0)", "showlegend": False,
        # dark text on white: a label coloured like its territory falls to 3.6:1 on the middle of the scale
        "hoverlabel": {"font": {"size": 16, "color": HOVER_TEXT}, "bgcolor": HOVER_BACKGROUND, "bordercolor": HOVER_TEXT},
        "uirevision": region,
        "meta": {"view": view, "caption": caption},
    }
