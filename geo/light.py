"""Write data/boundaries-light.geojson: the boundaries simplified further, for a phone's map.

    python -m geo.light [--data-dir DIR]

A phone's world map is 375 px wide, about one pixel per degree: the boundaries' detail (0.07°) costs
a slow phone 178 KB and draw time it cannot show. This keeps every feature and its code, simplifies
shared borders once for both neighbours (no gap opens between them), and leaves islands with no
neighbour under 1 square degree (Martinique, Réunion...) exactly as they are. `python -m geo.build`
writes it with the boundaries.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, mapping, shape
from shapely.geometry.polygon import orient

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SOURCE = "boundaries.geojson"
LIGHT = "boundaries-light.geojson"
TOLERANCE = 0.2  # degrees: a fifth of a pixel on a phone's world map
GRID = 0.01
SMALL_ISLAND_DEG2 = 1.0


def lighten(collection: dict, tolerance: float = TOLERANCE) -> dict:
    """The FeatureCollection with its shapes simplified, each feature's id and properties kept."""
    features = collection["features"]
    geoms = np.array([shape(f["geometry"]) for f in features], dtype=object)
    simplified = shapely.set_precision(shapely.coverage_simplify(geoms, tolerance), GRID)
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    has_neighbour = np.zeros(len(geoms), dtype=bool)
    has_neighbour[left[left != right]] = True
    keep = ~has_neighbour & (shapely.area(geoms) < SMALL_ISLAND_DEG2)
    simplified[keep] = geoms[keep]
    out = []
    for feature, original, geom, kept in zip(features, geoms, simplified, keep):
        if kept:
            out.append(feature)
            continue
        if geom.is_empty or not geom.is_valid:
            geom = original  # never lose a shape
        out.append({**feature, "geometry": _rounded(mapping(_clockwise(geom)))})
    return {**collection, "features": out}


def _clockwise(geom):
    # as geo.build writes them: exterior rings clockwise, the winding d3-geo (Plotly) expects
    polygons = [orient(p, sign=-1.0) for p in shapely.get_parts(geom) if p.geom_type == "Polygon"]
    return polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)


def _rounded(geometry: dict) -> dict:
    def walk(value):
        if isinstance(value, (int, float)):
            number = round(float(value), 2)
            return int(number) if number.is_integer() else number
        return [walk(v) for v in value]
    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}


def text(boundaries: str) -> str:
    """The light file's text for the boundaries' text."""
    return json.dumps(lighten(json.loads(boundaries)), separators=(",", ":"), ensure_ascii=False) + "\n"


def write(data_dir: Path = DEFAULT_DATA_DIR) -> tuple[int, int]:
    """Write the light file next to the boundaries; (bytes of the boundaries, bytes of the light file)."""
    source = (data_dir / SOURCE).read_text(encoding="utf-8")
    light = text(source)
    (data_dir / LIGHT).write_text(light, encoding="utf-8")
    return len(source.encode()), len(light.encode())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m geo.light", description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR, metavar="DIR")
    args = parser.parse_args(argv)
    try:
        full, light = write(args.data_dir)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{LIGHT}: {light} bytes ({SOURCE}: {full})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
