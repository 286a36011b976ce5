"""Turn Natural Earth admin-0 boundaries into data/boundaries.geojson and data/territories.csv.

    python -m geo.build [--source FILE] [--out-dir DIR]

Without --source it fetches Natural Earth 4.1.0 as TopoJSON from the npm package world-atlas@2.0.2.
"""
from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
from pyogrio.errors import DataSourceError
import shapely
from shapely.geometry import MultiPolygon, Polygon, box, mapping
from shapely.geometry.polygon import orient
from shapely.ops import polylabel

from dashboard.serving import precompressed_bytes

from . import light, provenance, territories

WORLD_ATLAS = "world-atlas@2.0.2"
WORLD_ATLAS_FILE = "countries-50m.json"
NATURAL_EARTH_VERSION = "4.1.0"
LAYER = "countries"
DEFAULT_OUT_DIR = Path(__file__).resolve().parent.parent / "data"
GEOJSON = "boundaries.geojson"
CSV = "territories.csv"
PROVENANCE = "BOUNDARIES.md"
CSV_COLUMNS = ["code", "name_en", "name_fr", "parent", "label_lon", "label_lat", "area_km2"]

# Square root of the area (in square degrees) of the triangles coverage simplification removes.
SIMPLIFY_TOLERANCE = 0.07
DECIMALS = 2
GRID = 10.0 ** -DECIMALS
# Islands with no neighbour smaller than this (square degrees) keep the source's detail: they cost
# little, and the app zooms on some of them (Martinique).
SMALL_ISLAND_DEG2 = 1.0
MAX_GZIP_BYTES = 250_000
EQUAL_AREA_CRS = "EPSG:6933"
WORLD = box(-180, -90, 180, 90)


@dataclass
class Source:
    path: Path
    description: str
    version: str
    command: str


def build_boundaries(source: str | os.PathLike | None = None, out_dir: str | os.PathLike | None = None) -> dict:
    """Build the boundary files into out_dir from a Natural Earth file (default: world-atlas via npm).

    Returns the figures written to BOUNDARIES.md.
    """
    out_dir = Path(out_dir) if out_dir is not None else DEFAULT_OUT_DIR
    if not out_dir.is_dir():
        raise NotADirectoryError(f"output directory {out_dir} does not exist")
    if source is not None:
        path = Path(source)
        return _build(Source(path, f"Natural Earth admin-0 file `{path.name}`, given with --source",
                             "not recorded (a file given with --source)",
                             f"python -m geo.build --source {path.name}"), out_dir)
    with tempfile.TemporaryDirectory() as tmp:
        return _build(_fetch_world_atlas(Path(tmp)), out_dir)


def _build(source: Source, out_dir: Path) -> dict:
    _check_source(source.path)
    source.description += f" (sha256 `{hashlib.sha256(source.path.read_bytes()).hexdigest()}`)"
    gdf = _read(source.path)
    gdf = _assign_codes(gdf)
    gdf, excluded = _exclude(gdf)
    gdf = _repair(gdf)
    gdf = _merge_same_code(gdf)
    gdf, split = _split_overseas(gdf)
    gdf["area_km2"] = _areas_km2(gdf)
    gdf = _simplify(gdf)
    gdf = _orient(gdf)
    gdf = _label_points(gdf)
    geojson = _geojson_text(gdf)
    table = _territories_csv(gdf)
    lighter = light.text(geojson)  # what a phone's map draws
    figures = {
        "light_bytes": len(lighter.encode()),
        "features": len(gdf),
        "geojson_bytes": len(geojson.encode()),
        "geojson_gzip_bytes": len(gzip.compress(geojson.encode(), 9)),
        "excluded": excluded,
        "split": split,
    }
    if figures["geojson_gzip_bytes"] >= MAX_GZIP_BYTES:
        raise ValueError(f"{GEOJSON} gzips to {figures['geojson_gzip_bytes']} bytes, over the "
                         f"{MAX_GZIP_BYTES} budget: raise SIMPLIFY_TOLERANCE")
    notes = provenance.markdown(source, figures, world_atlas=WORLD_ATLAS, tolerance=SIMPLIFY_TOLERANCE,
                                decimals=DECIMALS, small_island_deg2=SMALL_ISLAND_DEG2)
    # and their brotli forms at the highest quality, which the server then serves without compressing
    packed = {f"{name}.br": precompressed_bytes(text.encode()) for name, text in ((GEOJSON, geojson), (light.LIGHT, lighter))}
    _write_all(out_dir, {GEOJSON: geojson, light.LIGHT: lighter, CSV: table, PROVENANCE: notes, **packed})
    return figures


# --- sources ---------------------------------------------------------------------------------------

def _fetch_world_atlas(tmp: Path) -> Source:
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is needed to fetch world-atlas; install Node.js or pass --source FILE")
    result = subprocess.run([npm, "pack", WORLD_ATLAS, "--silent"], cwd=tmp, capture_output=True, text=True)
    tarballs = list(tmp.glob("*.tgz"))
    if result.returncode != 0 or len(tarballs) != 1:
        raise RuntimeError(f"npm pack {WORLD_ATLAS} failed: {result.stderr.strip() or result.stdout.strip()}")
    member = f"package/{WORLD_ATLAS_FILE}"
    with tarfile.open(tarballs[0]) as tar:
        try:
            data = tar.extractfile(member).read()
        except (KeyError, AttributeError):
            raise RuntimeError(f"{tarballs[0].name} has no {member}") from None
    path = tmp / WORLD_ATLAS_FILE
    path.write_bytes(data)
    return Source(path, f"Natural Earth admin-0 countries at 1:50m as TopoJSON: file `{WORLD_ATLAS_FILE}` "
                        f"of the npm package `{WORLD_ATLAS}`", f"Natural Earth {NATURAL_EARTH_VERSION}",
                  "python -m geo.build")


# --- pipeline steps --------------------------------------------------------------------------------

def _check_source(path: Path) -> None:
    """Fail with a precise message unless path is a file with a readable layer of countries."""
    if not path.is_file():
        raise FileNotFoundError(f"boundary source {path} does not exist")
    try:
        layers = [name for name, _ in pyogrio.list_layers(path)]
    except DataSourceError as exc:
        raise ValueError(f"{path}: not a file GDAL can read ({exc})") from None
    if len(layers) > 1 and LAYER not in layers:
        raise ValueError(f"{path}: no layer {LAYER!r}; it has {', '.join(layers)}")


def _read(path: Path) -> gpd.GeoDataFrame:
    """The countries layer, in lon/lat, with lower-case column names and no null geometries."""
    layers = [name for name, _ in pyogrio.list_layers(path)]
    gdf = gpd.read_file(path, layer=LAYER if LAYER in layers else layers[0])
    gdf.columns = [c if c == gdf.geometry.name else c.lower() for c in gdf.columns]
    if gdf.empty:
        raise ValueError(f"{path}: no features")
    columns = set(gdf.columns)
    if not ({"id", "name"} <= columns or ("name" in columns and columns & {"iso_a3", "adm0_a3"})):
        raise ValueError(f"{path}: missing columns: need 'id' and 'name' (world-atlas TopoJSON) or "
                         f"'ISO_A3' or 'ADM0_A3' and 'NAME' (Natural Earth); "
                         f"found {', '.join(sorted(columns - {gdf.geometry.name}))}")
    nulls = gdf[gdf.geometry.isna()]
    if len(nulls):
        raise ValueError(f"{path}: features without geometry: {', '.join(map(str, nulls['name']))}")
    # world-atlas's TopoJSON carries no CRS; its coordinates are lon/lat degrees.
    return gdf.set_crs("EPSG:4326") if gdf.crs is None else gdf.to_crs("EPSG:4326")


def _assign_codes(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Add `code`: ISO alpha-3 from the numeric id or ISO_A3/ADM0_A3, else our table, else the name."""
    # An `id` beside ISO_A3 or ADM0_A3 is a Natural Earth export's row number, not an ISO code.
    natural_earth = bool({"iso_a3", "adm0_a3"} & set(gdf.columns))
    codes = []
    for _, row in gdf.iterrows():
        numeric = None if natural_earth else row.get("id")
        code = territories.iso_code(numeric=numeric, alpha3=row.get("iso_a3"))
        if code is None and str(row.get("adm0_a3", "")).upper() in territories.NON_ISO_CODES:
            code = territories.NON_ISO_CODES[str(row["adm0_a3"]).upper()]
        code = code or territories.iso_code(alpha3=row.get("adm0_a3")) or territories.code_for_name(row["name"])
        codes.append(code)
    gdf = gdf.assign(code=codes)
    unknown = gdf.loc[gdf["code"].isna(), "name"]
    if len(unknown):
        raise ValueError(f"no ISO code for {', '.join(map(repr, unknown))}: add them to NON_ISO_CODES "
                         "in geo/territories.py")
    return gdf[["code", "name", "geometry"]]


def _exclude(gdf: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, list[str]]:
    excluded = sorted(set(gdf["code"]) & set(territories.EXCLUDED))
    return gdf[~gdf["code"].isin(excluded)].reset_index(drop=True), excluded


def _repair(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Valid (Multi)Polygons: rings that cross the antimeridian are cut there, the rest made valid."""
    geoms = []
    for code, geom in zip(gdf["code"], gdf.geometry):
        if geom.geom_type not in ("Polygon", "MultiPolygon"):
            raise ValueError(f"{code}: a {geom.geom_type}, not a polygon")
        parts = [piece for part in shapely.get_parts(geom) for piece in _cut_antimeridian(part)]
        fixed = _polygonal(shapely.make_valid(MultiPolygon(parts) if parts else Polygon()))
        if fixed.is_empty:
            raise ValueError(f"{code}: nothing is left of its shape once repaired")
        geoms.append(fixed)
    return gdf.set_geometry(geoms, crs=gdf.crs)


def _cut_antimeridian(polygon: Polygon) -> list[Polygon]:
    """world-atlas stitches a few rings across ±180° (Chukotka, Fiji); cut them back there."""
    if polygon.is_empty:
        return []
    lons = np.asarray(polygon.exterior.coords)[:, 0]
    if np.abs(np.diff(lons)).max() <= 180:
        return [polygon]
    rings = [polygon.exterior, *polygon.interiors]
    shell, *holes = [np.column_stack([np.unwrap(np.asarray(r.coords)[:, 0], period=360),
                                      np.asarray(r.coords)[:, 1]]) for r in rings]
    unwrapped = shapely.make_valid(Polygon(shell, holes))
    pieces = []
    for shift in (-360, 0, 360):
        piece = shapely.intersection(shapely.transform(unwrapped, lambda c, s=shift: c + [s, 0]), WORLD)
        pieces.extend(p for p in shapely.get_parts(_polygonal(piece)) if not p.is_empty)
    return pieces


def _polygonal(geom):
    """Only the polygons of a geometry (make_valid may add stray lines and points)."""
    polygons = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon" and not p.is_empty]
    polygons = [q for p in polygons for q in shapely.get_parts(p)]
    if not polygons:
        return Polygon()
    return polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)


def _split_overseas(gdf: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Move the parts of a feature that lie in a territory's box (OVERSEAS_PARTS) into that territory."""
    rows = {code: geom for code, geom in zip(gdf["code"], gdf.geometry)}
    split = []
    for source_code, code, bounds in territories.OVERSEAS_PARTS:
        if source_code not in rows:
            continue
        parts = list(shapely.get_parts(rows[source_code]))
        within = [box(*bounds).contains(p.representative_point()) for p in parts]
        inside = [p for p, w in zip(parts, within) if w]
        if not inside:
            print(f"warning: no part of {source_code} lies where {code} is; {code} not split out",
                  file=sys.stderr)
            continue
        rows[code] = _polygonal(MultiPolygon(inside))
        rows[source_code] = _polygonal(MultiPolygon([p for p, w in zip(parts, within) if not w]))
        split.append(code)
    # A feature split out entirely (Indian Ocean Ter.) leaves nothing behind.
    rows = {code: geom for code, geom in rows.items() if not geom.is_empty}
    return gpd.GeoDataFrame({"code": list(rows)}, geometry=list(rows.values()), crs=gdf.crs), split


def _merge_same_code(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One feature per code (world-atlas gives Ashmore and Cartier Is. Australia's id)."""
    codes = sorted(set(gdf["code"]))
    geoms = [gdf.geometry[gdf["code"] == code] for code in codes]
    geoms = [g.iloc[0] if len(g) == 1 else _polygonal(shapely.union_all(g.values)) for g in geoms]
    return gpd.GeoDataFrame({"code": codes}, geometry=geoms, crs=gdf.crs)


def _areas_km2(gdf: gpd.GeoDataFrame) -> list[int]:
    return [int(round(a / 1e6)) for a in gdf.to_crs(EQUAL_AREA_CRS).area]


def _simplify(gdf: gpd.GeoDataFrame, tolerance: float = SIMPLIFY_TOLERANCE, grid: float = GRID) -> gpd.GeoDataFrame:
    """Simplify for the web keeping shared edges shared, on a grid of `grid` degrees."""
    geoms = np.asarray(gdf.geometry.values, dtype=object)
    # Snapping first keeps tiny shapes (Vatican City) whole: coverage_simplify only drops vertices,
    # so its output stays on the grid, and it never takes a ring below a triangle.
    snapped = shapely.set_precision(geoms, grid)
    _check_shapes(gdf["code"], snapped, f"snapping to a {grid:g}° grid")
    if not shapely.coverage_is_valid(snapped):
        edges = shapely.coverage_invalid_edges(snapped)
        bad = [c for c, e in zip(gdf["code"], edges) if e is not None and not e.is_empty]
        print(f"warning: shapes overlap or their shared edges differ ({', '.join(bad)}); gaps may follow",
              file=sys.stderr)
    simplified = shapely.coverage_simplify(snapped, tolerance)
    left, right = shapely.STRtree(snapped).query(snapped, predicate="intersects")
    has_neighbour = np.zeros(len(snapped), dtype=bool)
    has_neighbour[left[left != right]] = True
    keep = ~has_neighbour & (shapely.area(snapped) < SMALL_ISLAND_DEG2)
    simplified[keep] = snapped[keep]
    simplified = shapely.set_precision(simplified, grid)
    _check_shapes(gdf["code"], simplified, "simplification")
    return gdf.set_geometry([_polygonal(g) for g in simplified], crs=gdf.crs)


def _check_shapes(codes, geoms, step: str) -> None:
    lost = [c for c, g in zip(codes, geoms) if g.is_empty or not g.is_valid]
    if lost:
        raise ValueError(f"{step} left {', '.join(lost)} empty or invalid")


def _orient(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    # Plotly draws with d3-geo, which takes a ring's winding on the sphere to tell its inside from its
    # outside: exterior rings clockwise (the reverse of RFC 7946), or a country fills the whole globe.
    def clockwise(geom):
        polygons = [orient(p, sign=-1.0) for p in shapely.get_parts(geom)]
        return polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)
    return gdf.set_geometry([clockwise(g) for g in gdf.geometry], crs=gdf.crs)


def _label_points(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """label_lon/label_lat: the pole of inaccessibility of each feature's largest polygon."""
    points = []
    for geom in gdf.geometry:
        largest = max(shapely.get_parts(geom), key=lambda p: p.area)
        points.append(polylabel(largest, tolerance=GRID))
    return gdf.assign(label_lon=[round(p.x, 2) for p in points], label_lat=[round(p.y, 2) for p in points])


# --- output ------------------------------------------------------------------------------------------

def _geojson_text(gdf: gpd.GeoDataFrame) -> str:
    """A compact FeatureCollection: id and properties.code are the territory code."""
    features = [{"type": "Feature", "id": code, "properties": {"code": code},
                 "geometry": _rounded(mapping(geom))}
                for code, geom in sorted(zip(gdf["code"], gdf.geometry), key=lambda pair: pair[0])]
    return json.dumps({"type": "FeatureCollection", "features": features},
                      separators=(",", ":"), ensure_ascii=False) + "\n"


def _rounded(geometry: dict) -> dict:
    def walk(value):
        if isinstance(value, (int, float)):
            number = round(float(value), DECIMALS)
            return int(number) if number.is_integer() else number
        return [walk(v) for v in value]
    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}


def _territories_csv(gdf: gpd.GeoDataFrame) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in gdf.sort_values("code").itertuples():
        name_en, name_fr = territories.names(row.code)
        writer.writerow([row.code, name_en, name_fr, territories.PARENTS.get(row.code, ""),
                         f"{row.label_lon:.2f}", f"{row.label_lat:.2f}", row.area_km2])
    return out.getvalue()


def _write_all(out_dir: Path, files: dict[str, str | bytes]) -> None:
    """Write every file to a temporary name first, so a failure leaves the old files whole."""
    temps = {}
    try:
        for name, text in files.items():
            fd, temp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=out_dir)
            temps[name] = temp
            if isinstance(text, bytes):
                with os.fdopen(fd, "wb") as handle:
                    handle.write(text)
            else:
                with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                    handle.write(text)
            os.chmod(temp, 0o644)
        for name, temp in temps.items():
            os.replace(temp, out_dir / name)
    finally:
        for temp in temps.values():
            if os.path.exists(temp):
                os.unlink(temp)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m geo.build", description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, metavar="FILE",
                        help="a Natural Earth admin-0 file (default: world-atlas via npm)")
    parser.add_argument("--out-dir", type=Path, default=DEFAULT_OUT_DIR, metavar="DIR",
                        help="where to write (default: data/)")
    args = parser.parse_args(argv)
    try:
        figures = build_boundaries(args.source, args.out_dir)
    except (OSError, ValueError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{figures['features']} features; {GEOJSON}: {figures['geojson_bytes']} bytes, "
          f"{figures['geojson_gzip_bytes']} gzipped; split out {', '.join(figures['split']) or 'none'}; "
          f"left out {', '.join(figures['excluded']) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
