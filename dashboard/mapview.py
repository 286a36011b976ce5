"""Where the map looks: the region windows, their shape, the view that frames a territory, and which
territories are too small to click at world scale. Pure geometry in plotly's Natural Earth projection,
so that the page can size the map's box before plotly draws and the server can aim the view at a
territory without the browser measuring anything."""
from __future__ import annotations

import math
from functools import lru_cache

from .i18n import N_

# Visible window of each region preset: (lon range, lat range). The windows are wide rather than tall,
# so that a map box as wide as its column fits on a laptop's screen (the Americas take some ocean on
# both sides). The world leaves out Antarctica and most of the Arctic: more room for inhabited land.
REGION_WINDOWS = {
    "world": ((-180, 180), (-56, 78)),
    "europe": ((-25, 45), (34, 71)),
    "caribbean": ((-90, -50), (1, 27)),  # with the whole of Guyana
    "americas": ((-165, 5), (-56, 60)),
}
REGION_LABELS = {
    "world": N_("World"), "europe": N_("Europe"), "caribbean": N_("Caribbean"), "americas": N_("Americas"),
}
CLIP_PAD = 0.001  # plotly shrinks the window by this much (degrees) before fitting it
TARGET_FILL = 0.85  # a selected territory takes this share of the map's smaller side
MIN_SPAN = (3.0, 2.0)  # degrees of lon and lat a zoom shows at least: a small island with its neighbours
MAX_SCALE = 64.0
MIN_SCALE = 0.5
REFERENCE_WIDTH = 600  # px: the map's width on the narrowest desktop screen (1280 px)
TARGET_PX = 24  # the smallest click target, at world view on that map


def natural_earth(lon: float, lat: float) -> tuple[float, float]:
    """d3's Natural Earth projection (the one plotly draws with), in its own units, y pointing north."""
    lam, phi = math.radians(lon), math.radians(lat)
    phi2 = phi * phi
    phi4 = phi2 * phi2
    x = lam * (0.8707 - 0.131979 * phi2 + phi4 * (-0.013791 + phi4 * (0.003971 * phi2 - 0.001529 * phi4)))
    y = phi * (1.007226 + phi2 * (0.015085 + phi4 * (-0.044475 + 0.028874 * phi2 - 0.005916 * phi4)))
    return x, y


def rotation(region: str) -> float:
    """The longitude plotly turns the globe to: the middle of the window's longitudes."""
    lon, _lat = REGION_WINDOWS.get(region, REGION_WINDOWS["world"])
    return (lon[0] + lon[1]) / 2


def _project(lon: float, lat: float, rot: float) -> tuple[float, float]:
    shifted = (lon - rot + 180) % 360 - 180
    if shifted == -180 and lon - rot > 0:
        shifted = 180.0  # the window's east edge stays east
    return natural_earth(shifted, lat)


def _arc(a: tuple[float, float], b: tuple[float, float], steps: int = 24):
    """Points along the great circle from a to b (lon, lat in degrees): how d3 draws a polygon's edge."""
    def vec(p):
        lam, phi = math.radians(p[0]), math.radians(p[1])
        return (math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam), math.sin(phi))
    va, vb = vec(a), vec(b)
    omega = math.acos(max(-1.0, min(1.0, sum(x * y for x, y in zip(va, vb)))))
    if omega < 1e-9:
        return [a]
    points = []
    for i in range(steps + 1):
        t = i / steps
        k1, k2 = math.sin((1 - t) * omega) / math.sin(omega), math.sin(t * omega) / math.sin(omega)
        x, y, z = (k1 * p + k2 * q for p, q in zip(va, vb))
        lon = math.degrees(math.atan2(y, x))
        # keep the longitude on the arc's side of the antimeridian
        lon = min((lon + k * 360 for k in (-1, 0, 1)), key=lambda v: abs(v - (a[0] + t * (b[0] - a[0]))))
        points.append((lon, math.degrees(math.asin(max(-1.0, min(1.0, z))))))
    return points


@lru_cache(maxsize=16)
def window_bounds(region: str) -> tuple[float, float, float, float]:
    """(x0, y0, x1, y1) of the region's window as plotly fits it: its polygon (four steps along each
    parallel, great-circle edges, as plotly builds it), projected."""
    (lon0, lon1), (lat0, lat1) = REGION_WINDOWS.get(region, REGION_WINDOWS["world"])
    a, b, s, n = lon0 + CLIP_PAD, lon1 - CLIP_PAD, lat0 + CLIP_PAD, lat1 - CLIP_PAD
    step = (b - a) / 4
    ring = [(a, s), (a, n), *((a + k * step, n) for k in (1, 2, 3)), (b, n), (b, s),
            *((b - k * step, s) for k in (1, 2, 3)), (a, s)]
    rot = rotation(region)
    xs, ys = [], []
    for p, q in zip(ring, ring[1:]):
        for lon, lat in _arc(p, q):
            x, y = _project(lon, lat, rot)
            xs.append(x)
            ys.append(y)
    return min(xs), min(ys), max(xs), max(ys)


def aspect(region: str) -> float:
    """Width over height of the region's window: the map's drawing area is given this shape."""
    x0, y0, x1, y1 = window_bounds(region)
    return round((x1 - x0) / (y1 - y0), 4)


def extent_size(extent: tuple[float, float, float, float], rot: float) -> tuple[float, float]:
    """Projected width and height of a lon/lat box (a grid of its points, since meridians curve)."""
    lon0, lat0, lon1, lat1 = extent
    points = [_project(lon0 + (lon1 - lon0) * i / 4, lat0 + (lat1 - lat0) * j / 4, rot)
              for i in range(5) for j in range(5)]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return max(xs) - min(xs), max(ys) - min(ys)


def region_view(region: str) -> dict:
    """The view of a region with nothing selected: its middle, at plotly's own fit."""
    (lon0, lon1), (lat0, lat1) = REGION_WINDOWS.get(region, REGION_WINDOWS["world"])
    return {"lon": (lon0 + lon1) / 2, "lat": (lat0 + lat1) / 2, "scale": 1.0}


def territory_view(extent: tuple[float, float, float, float], region: str) -> dict:
    """The view that frames a territory's box in the region's map: centred on it, scaled so that it takes
    TARGET_FILL of the window, with at least MIN_SPAN degrees around a small one."""
    lon0, lat0, lon1, lat1 = extent
    lon, lat = (lon0 + lon1) / 2, (lat0 + lat1) / 2
    half_lon = max(lon1 - lon0, MIN_SPAN[0]) / 2
    half_lat = max(lat1 - lat0, MIN_SPAN[1]) / 2
    box = (lon - half_lon, max(-89.0, lat - half_lat), lon + half_lon, min(89.0, lat + half_lat))
    rot = rotation(region)
    width, height = extent_size(box, rot)
    x0, y0, x1, y1 = window_bounds(region)
    scale = TARGET_FILL * min((x1 - x0) / width, (y1 - y0) / height)
    return {"lon": round(lon, 3), "lat": round(lat, 3), "scale": round(min(MAX_SCALE, max(MIN_SCALE, scale)), 3)}


def world_px(extent: tuple[float, float, float, float], width_px: float = REFERENCE_WIDTH) -> tuple[float, float]:
    """How many pixels a territory's box spans at world view on a map `width_px` wide."""
    x0, _y0, x1, _y1 = window_bounds("world")
    w, h = extent_size(extent, rotation("world"))
    k = width_px / (x1 - x0)
    return w * k, h * k


def needs_bubble(extent: tuple[float, float, float, float]) -> bool:
    """Too small to hit at world view: narrower or shorter than a fingertip on the narrowest desktop map."""
    return min(world_px(extent)) < TARGET_PX
