"""A small static map of one territory and its surroundings, drawn on the server as SVG from the boundaries
file (for the print brief: no script, no network, no plotly)."""
from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

BOUNDARIES = "boundaries.geojson"
WIDTH, HEIGHT = 320, 240  # the picture's own units; the stylesheet gives its printed size
MIN_SPAN = 8.0  # degrees of latitude at least, so that an island shows its neighbours
PADDING = 0.35  # around the territory, as a share of its size
NEAR = 1.0  # a part of a territory farther than this many of its main part's sizes is left out of the frame

Ring = list[tuple[float, float]]
Polygon = list[Ring]


@lru_cache(maxsize=4)
def _shapes(path: Path) -> dict[str, list[Polygon]]:
    """Every feature's polygons (lists of rings of (lon, lat)), by territory code."""
    collection = json.loads(path.read_text(encoding="utf-8"))
    shapes = {}
    for feature in collection["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        shapes[feature["id"]] = [[[(float(x), float(y)) for x, y in ring] for ring in polygon] for polygon in polygons]
    return shapes


def _bbox(rings) -> tuple[float, float, float, float]:
    xs = [x for ring in rings for x, _ in ring]
    ys = [y for ring in rings for _, y in ring]
    return min(xs), min(ys), max(xs), max(ys)


def frame(polygons: list[Polygon]) -> tuple[float, float, float, float]:
    """The (west, south, east, north) the map shows: the territory's main part and the parts near it, with a
    margin, at least MIN_SPAN degrees high and in the picture's proportions."""
    boxes = [_bbox(polygon[:1]) for polygon in polygons]
    main = max(boxes, key=lambda b: (b[2] - b[0]) * (b[3] - b[1]))
    reach = NEAR * max(main[2] - main[0], main[3] - main[1], 1.0)
    near = [b for b in boxes if b[0] < main[2] + reach and b[2] > main[0] - reach
            and b[1] < main[3] + reach and b[3] > main[1] - reach]
    west, south = min(b[0] for b in near), min(b[1] for b in near)
    east, north = max(b[2] for b in near), max(b[3] for b in near)
    mid_x, mid_y = (west + east) / 2, (south + north) / 2
    stretch = math.cos(math.radians(max(-80.0, min(80.0, mid_y))))  # degrees of longitude are shorter away from the equator
    height = max((north - south) * (1 + 2 * PADDING), MIN_SPAN)
    width = max((east - west) * (1 + 2 * PADDING), MIN_SPAN) * stretch  # in degrees of latitude
    height = max(height, width * HEIGHT / WIDTH)
    width = height * WIDTH / HEIGHT
    return mid_x - width / stretch / 2, mid_y - height / 2, mid_x + width / stretch / 2, mid_y + height / 2


def _path(polygons: list[Polygon], box, scale: tuple[float, float]) -> str:
    """The SVG path of the polygons, in whole units of the picture (a fifth of a millimetre as printed), with
    the points that rounding makes repeat left out."""
    west, _, _, north = box
    sx, sy = scale
    parts = []
    for polygon in polygons:
        for ring in polygon:
            points = _clip([((x - west) * sx, (north - y) * sy) for x, y in ring])
            points = [(round(x), round(y)) for x, y in points]
            points = [pt for i, pt in enumerate(points) if i == 0 or pt != points[i - 1]]
            if len(points) >= 3:
                parts.append("M" + "L".join(f"{x} {y}" for x, y in points) + "Z")
    return "".join(parts)


def _clip(ring: list[tuple[float, float]], margin: float = 4.0) -> list[tuple[float, float]]:
    """The ring cut to the picture and a small margin (Sutherland and Hodgman), so that a large neighbour
    costs only the part of it that shows."""
    edges = ((0, -margin, True), (0, WIDTH + margin, False), (1, -margin, True), (1, HEIGHT + margin, False))
    for axis, limit, above in edges:
        inside = (lambda pt: pt[axis] >= limit) if above else (lambda pt: pt[axis] <= limit)
        cut, previous = [], ring[-1] if ring else None
        for point in ring:
            if inside(point) != inside(previous):
                t = (limit - previous[axis]) / (point[axis] - previous[axis])
                cut.append((previous[0] + t * (point[0] - previous[0]), previous[1] + t * (point[1] - previous[1])))
            if inside(point):
                cut.append(point)
            previous = point
        ring = cut
    return ring


def _overlaps(box, other) -> bool:
    return other[0] < box[2] and other[2] > box[0] and other[1] < box[3] and other[3] > box[1]


def _ring(polygons: list[Polygon], box, scale: tuple[float, float]) -> str:
    """A circle around a territory too small to see at this scale, as the map's bubbles do."""
    west, south, east, north = _bbox([ring for polygon in polygons for ring in polygon[:1]])
    width, height = (east - west) * scale[0], (north - south) * scale[1]
    if max(width, height) >= 24:
        return ""
    x, y = ((west + east) / 2 - box[0]) * scale[0], (box[3] - (south + north) / 2) * scale[1]
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{max(width, height) / 2 + 10:.1f}" fill="none" stroke="#d7191c" stroke-width="2.5"/>'


@lru_cache(maxsize=64)
def locator_svg(data_dir: Path, code: str) -> str | None:
    """The SVG document of the territory `code` (dark) among its neighbours (grey); None when the boundaries
    have no shape for it."""
    shapes = _shapes(Path(data_dir) / BOUNDARIES)
    if code not in shapes:
        return None
    box = frame(shapes[code])
    scale = (WIDTH / (box[2] - box[0]), HEIGHT / (box[3] - box[1]))
    context = [polygon for other, polygons in shapes.items() if other != code
               for polygon in polygons if _overlaps(box, _bbox(polygon[:1]))]
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}">'
            f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#eef3f8"/>'
            f'<path d="{_path(context, box, scale)}" fill="#d9d9d9" stroke="#fff" stroke-width="0.6" fill-rule="evenodd"/>'
            f'<path id="territory" data-code="{code}" d="{_path(shapes[code], box, scale)}" fill="#0c4a8a" '
            f'stroke="#000" stroke-width="0.8" fill-rule="evenodd"/>{_ring(shapes[code], box, scale)}'
            f'<rect width="{WIDTH}" height="{HEIGHT}" fill="none" stroke="#6c757d" stroke-width="1"/></svg>')


@lru_cache(maxsize=64)
def locator_uri(data_dir: Path, code: str) -> str | None:
    """The locator map as a `data:` address for an <img>; None without a shape."""
    svg = locator_svg(Path(data_dir), code)
    return None if svg is None else "data:image/svg+xml," + quote(svg, safe=" =:/\",.-")
