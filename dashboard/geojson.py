"""Read the boundaries file: each feature's territory code and the line it starts on, or what is wrong."""
from __future__ import annotations

import json
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
