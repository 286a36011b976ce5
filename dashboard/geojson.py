"""Read the boundaries file: each feature's territory code and the line it starts on, or what is wrong."""
from __future__ import annotations

import json
import math
import re
from pathlib import Path

from .tables import TableError, read_text

_SPACE = re.compile(r"[ \t\n\r]*")
_CODE = re.compile(r"^[A-Z]{3}$")
GEOMETRIES = ("Polygon", "MultiPolygon")


def read_features(path: Path) -> tuple[dict[str, int], list[str]]:
    """({territory code: line of its feature}, problems as `file:line: message`).

    The browser draws a feature by its `id`, so a feature without a usable id would silently lose its shape."""
    try:
        text = read_text(path)
    except TableError as exc:
        return {}, [str(exc)]
    try:
        collection = json.loads(text)
    except json.JSONDecodeError as exc:
        return {}, [f"{path}:{exc.lineno}: invalid JSON: {exc.msg}"]
    except RecursionError:
        return {}, [f"{path}:1: invalid JSON: nested too deeply"]
    if not (isinstance(collection, dict) and collection.get("type") == "FeatureCollection"
            and isinstance(collection.get("features"), list)):
        return {}, [f"{path}:1: not a GeoJSON FeatureCollection with a 'features' list"]
    codes: dict[str, int] = {}
    first: dict[str, int] = {}
    problems: list[str] = []
    features = collection["features"]
    # the committed file is one line; a file laid out on many lines is walked again to find each feature's line
    lines = [line for line, _ in _features_with_lines(text)] if "\n" in text.strip() else [1] * len(features)
    for number, (line, feature) in enumerate(zip(lines, features), 1):
        where = f"{path}:{line}: feature {number}"
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            problems.append(f"{where} is not a GeoJSON Feature")
            continue
        code = feature.get("id")
        properties = feature.get("properties")
        if code is None or code == "":
            problems.append(f"{where} has no id, so the map cannot draw it")
            continue
        if not isinstance(code, str) or not _CODE.match(code):
            problems.append(f"{where}: id {code!r} is not an ISO alpha-3 code (three capital letters)")
            continue
        if code in first:
            problems.append(f"{where}: duplicate id {code!r} (first is feature {first[code]})")
            continue
        first[code] = number
        codes[code] = line
        if isinstance(properties, dict) and "code" in properties and properties["code"] != code:
            problems.append(f"{where}: id {code!r} but properties.code {properties['code']!r}")
        geometry = feature.get("geometry")
        if not (isinstance(geometry, dict) and geometry.get("type") in GEOMETRIES
                and isinstance(geometry.get("coordinates"), list) and geometry["coordinates"]):
            problems.append(f"{where} ({code}) has no Polygon or MultiPolygon geometry with coordinates")
    return codes, problems


def _features_with_lines(text: str):
    """(line, feature) for each item of the top-level 'features' list of a valid JSON object.

    Walks the top level with raw_decode so that each feature's position is known; a repeated
    'features' key counts as json.loads reads it, the last one."""
    decoder = json.JSONDecoder()
    found: list[tuple[int, object]] = []
    line, counted = 1, 0

    def line_at(pos: int) -> int:
        nonlocal line, counted
        line += text.count("\n", counted, pos)
        counted = pos
        return line

    pos = _SPACE.match(text, 0).end() + 1  # past '{'
    while True:
        pos = _SPACE.match(text, pos).end()
        if text[pos] == "}":
            return found
        key, pos = decoder.raw_decode(text, pos)
        pos = _SPACE.match(text, pos).end() + 1  # past ':'
        pos = _SPACE.match(text, pos).end()
        if key == "features" and text[pos] == "[":
            found = []
            pos = _SPACE.match(text, pos + 1).end()  # past '['
            while text[pos] != "]":
                start = pos
                value, pos = decoder.raw_decode(text, pos)
                found.append((line_at(start), value))
                pos = _SPACE.match(text, pos).end()
                if text[pos] == ",":
                    pos = _SPACE.match(text, pos + 1).end()
            pos += 1
        else:
            _, pos = decoder.raw_decode(text, pos)
        pos = _SPACE.match(text, pos).end()
        if text[pos] == ",":
            pos += 1


def extents(path: Path) -> dict[str, tuple[float, float, float, float]]:
    """{territory code: (west, south, east, north)} of the land a view of it should frame: its largest
    polygon, with the polygons near it (Corsica with France, Sicily with Italy) but not the far-away
    ones (French Polynesia is a territory of its own; Alaska is not framed with the contiguous USA).
    A file that cannot be read gives no extents: the map then simply does not zoom."""
    try:
        collection = json.loads(read_text(path))
        features = collection["features"]
    except (TableError, ValueError, KeyError, TypeError, RecursionError):
        return {}
    found = {}
    for feature in features:
        try:
            code, geometry = feature["id"], feature["geometry"]
            polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
            boxes = [_box(polygon[0]) for polygon in polygons if polygon and polygon[0]]
        except (KeyError, TypeError, ValueError, IndexError):
            continue
        if isinstance(code, str) and boxes:
            found[code] = _framed(boxes)
    return found


def _box(ring) -> tuple[float, float, float, float]:
    lons = [float(p[0]) for p in ring]
    lats = [float(p[1]) for p in ring]
    return min(lons), min(lats), max(lons), max(lats)


def _framed(boxes: list[tuple[float, float, float, float]]) -> tuple[float, float, float, float]:
    """The largest box (by area on the sphere, roughly), grown by the boxes that lie within a quarter of its
    size (at least 3 degrees) of it."""
    def area(b):
        return (b[2] - b[0]) * (b[3] - b[1]) * max(0.05, math.cos(math.radians((b[1] + b[3]) / 2)))
    main = max(boxes, key=area)
    margin_lon = max(3.0, (main[2] - main[0]) / 4)
    margin_lat = max(3.0, (main[3] - main[1]) / 4)
    west, south, east, north = main
    for b in boxes:
        if (b[0] >= main[0] - margin_lon and b[2] <= main[2] + margin_lon
                and b[1] >= main[1] - margin_lat and b[3] <= main[3] + margin_lat):
            west, south, east, north = min(west, b[0]), min(south, b[1]), max(east, b[2]), max(north, b[3])
    return west, south, east, north
