"""The boundary build (geo/): its committed output, and its steps on tiny hand-built shapes."""
from __future__ import annotations

import csv
import gzip
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import brotli
import pytest
import shapely
from shapely.geometry import MultiPolygon, Polygon, box, shape

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
PARTNERS = {"FRA", "MTQ", "ITA", "GUY", "MEX", "ARG"}


# --- the committed output ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def features():
    collection = json.loads((DATA / "boundaries.geojson").read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection"
    return {f["id"]: f for f in collection["features"]}


@pytest.fixture(scope="module")
def shapes(features):
    return {code: shape(f["geometry"]) for code, f in features.items()}


@pytest.fixture(scope="module")
def rows():
    with open(DATA / "territories.csv", encoding="utf-8", newline="") as handle:
        return {row["code"]: row for row in csv.DictReader(handle)}


def test_partners_are_present(features):
    assert PARTNERS <= set(features)


def test_features_carry_only_their_code(features):
    for code, feature in features.items():
        assert feature["properties"] == {"code": code}
        assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")


def test_every_shape_is_valid_and_not_empty(shapes):
    bad = [code for code, geom in shapes.items() if geom.is_empty or not shapely.is_valid(geom)]
    assert bad == []


def test_neighbours_neither_overlap_nor_disagree_on_borders(shapes):
    assert shapely.coverage_is_valid(list(shapes.values()))


def test_martinique_is_its_own_island(shapes):
    west, south, east, north = shapes["MTQ"].bounds
    assert -61.3 <= west < east <= -60.8 and 14.3 <= south < north <= 14.9
    assert shapes["MTQ"].area > 0.05  # about 1,100 km²: still an island, not a speck


def test_france_is_metropolitan(shapes):
    west, south, east, north = shapes["FRA"].bounds
    assert -10 <= west < east <= 20 and 40 <= south < north <= 52


@pytest.mark.parametrize("code", ["MTQ", "GLP", "GUF", "REU", "MYT"])
def test_overseas_departments_stand_apart_from_france(shapes, code):
    assert not shapes[code].intersects(shapes["FRA"])
    assert not box(-10, 40, 20, 52).intersects(shapes[code])


def test_rings_wind_as_d3_expects(shapes):
    # d3-geo takes clockwise exterior rings (in lon/lat) as the inside of a country.
    for code, geom in shapes.items():
        for polygon in shapely.get_parts(geom):
            assert not polygon.exterior.is_ccw, code
            assert all(ring.is_ccw for ring in polygon.interiors), code


def test_geojson_is_compact_and_small():
    raw = (DATA / "boundaries.geojson").read_bytes()
    assert b": " not in raw and b", " not in raw
    assert not re.search(rb"\d\.\d{3}", raw), "coordinates have more than 2 decimals"
    assert len(gzip.compress(raw, 9)) < 250_000


def test_the_phone_s_boundaries_are_the_same_territories_lighter(features, shapes):
    """data/boundaries-light.geojson (what a phone's map draws) is geo/light.py's output for the committed
    boundaries: every territory, in the same order, valid and still a coverage; islands like Martinique
    exactly as they are; Guyana (GUY) where it is, apart from French Guiana; half the bytes or less."""
    from geo import light

    text = (DATA / "boundaries-light.geojson").read_text(encoding="utf-8")
    collection = json.loads(text)
    assert collection == light.lighten(json.loads((DATA / "boundaries.geojson").read_text(encoding="utf-8")))
    lighter = {f["id"]: f for f in collection["features"]}
    assert list(lighter) == list(features)
    assert all(f["properties"] == {"code": code} for code, f in lighter.items())
    geoms = {code: shape(f["geometry"]) for code, f in lighter.items()}
    assert all(g.is_valid and not g.is_empty for g in geoms.values())
    assert shapely.coverage_is_valid(list(geoms.values()))
    assert lighter["MTQ"] == features["MTQ"] and lighter["REU"] == features["REU"]
    for code in ("GUY", "GUF", "FRA", "ITA", "MEX", "ARG"):
        overlap = geoms[code].intersection(shapes[code]).area / geoms[code].union(shapes[code]).area
        assert overlap > 0.9, (code, overlap)
    assert not geoms["GUY"].intersects(geoms["GUF"].buffer(-0.05))
    assert len(gzip.compress(text.encode(), 9)) < len(gzip.compress((DATA / "boundaries.geojson").read_bytes(), 9)) / 2


def test_territories_match_the_shapes(features, rows):
    assert list(rows) == sorted(features)
    with open(DATA / "territories.csv", encoding="utf-8", newline="") as handle:
        assert next(csv.reader(handle)) == ["code", "name_en", "name_fr", "parent", "label_lon",
                                             "label_lat", "area_km2"]
    assert (DATA / "territories.csv").read_bytes().endswith(b"\n")


def test_territory_rows(rows):
    assert (rows["GUY"]["name_en"], rows["GUY"]["name_fr"]) == ("Guyana", "Guyana")
    assert (rows["GUF"]["name_en"], rows["GUF"]["name_fr"]) == ("French Guiana", "Guyane")
    assert (rows["MTQ"]["name_en"], rows["MTQ"]["name_fr"]) == ("Martinique", "Martinique")
    for code in ("MTQ", "GLP", "GUF", "REU", "MYT"):
        assert rows[code]["parent"] == "FRA"
    assert rows["FRA"]["parent"] == ""
    assert rows["XKX"]["name_en"] == "Kosovo"
    for row in rows.values():
        assert row["name_en"] and row["name_fr"], row
        if row["code"] != "SHN":  # "Saint Helena, Ascension and Tristan da Cunha" is the real name
            assert "," not in row["name_en"] + row["name_fr"], row  # not "Korea, Republic of"
        assert int(row["area_km2"]) >= 0
        assert re.fullmatch(r"-?\d+\.\d\d", row["label_lon"]) and re.fullmatch(r"-?\d+\.\d\d", row["label_lat"])
    assert 540_000 < int(rows["FRA"]["area_km2"]) < 560_000


def test_label_points_fall_on_their_territory(shapes, rows):
    for code in PARTNERS | {"GLP", "GUF", "REU", "USA", "RUS"}:
        point = shapely.Point(float(rows[code]["label_lon"]), float(rows[code]["label_lat"]))
        assert shapes[code].distance(point) < 0.01, code


def test_boundaries_md_records_provenance():
    text = (DATA / "BOUNDARIES.md").read_text(encoding="utf-8")
    for needed in ("python -m geo.build", "world-atlas@2.0.2", "Natural Earth 4.1.0", "public domain", "XKX"):
        assert needed in text


def test_the_app_never_imports_geopandas():
    importers = []
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d not in {"geo", "build", "node_modules"}]
        for name in files:
            path = Path(folder, name)
            if name.endswith(".py") and path != Path(__file__).resolve() and re.search(
                    r"^\s*(import|from)\s+geopandas", path.read_text(encoding="utf-8"), re.M):
                importers.append(path)
    assert importers == []
    check = "import sys, geo; assert 'geopandas' not in sys.modules"
    subprocess.run([sys.executable, "-c", check], cwd=ROOT, check=True)


# --- the pipeline's steps ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def build():
    pytest.importorskip("geopandas")
    from geo import build
    return build


@pytest.fixture(scope="module")
def gpd():
    return pytest.importorskip("geopandas")


def frame(gpd, rows):
    return gpd.GeoDataFrame({"code": [c for c, _ in rows]}, geometry=[g for _, g in rows], crs="EPSG:4326")


def test_split_moves_the_part_in_martinique_into_its_own_territory(build, gpd):
    europe, caribbean = box(2, 46, 3, 47), box(-61.1, 14.6, -61.0, 14.7)
    gdf, split = build._split_overseas(frame(gpd, [("FRA", MultiPolygon([europe, caribbean])),
                                                   ("ITA", box(10, 42, 12, 44))]))
    geoms = dict(zip(gdf["code"], gdf.geometry))
    assert split == ["MTQ"]
    assert geoms["FRA"].equals(europe) and geoms["MTQ"].equals(caribbean) and geoms["ITA"].equals(box(10, 42, 12, 44))


def test_a_feature_split_out_entirely_leaves_nothing_behind(build, gpd):
    christmas, cocos = box(105.6, -10.5, 105.7, -10.4), box(96.8, -12.2, 96.9, -12.1)
    gdf, split = build._split_overseas(frame(gpd, [("XIO", MultiPolygon([christmas, cocos]))]))
    assert sorted(gdf["code"]) == ["CCK", "CXR"] and sorted(split) == ["CCK", "CXR"]


def test_repair_mends_a_bowtie(build, gpd):
    bowtie = Polygon([(0, 0), (1, 1), (1, 0), (0, 1), (0, 0)])
    assert not bowtie.is_valid
    repaired = build._repair(frame(gpd, [("XKX", bowtie)])).geometry.iloc[0]
    assert repaired.is_valid and repaired.area == pytest.approx(0.5)


def test_repair_cuts_rings_stitched_across_the_antimeridian(build, gpd):
    stitched = Polygon([(179, 0), (-179, 0), (-179, 1), (179, 1), (179, 0)])
    repaired = build._repair(frame(gpd, [("FJI", stitched)])).geometry.iloc[0]
    assert repaired.is_valid and len(shapely.get_parts(repaired)) == 2
    assert repaired.area == pytest.approx(2) and repaired.bounds == (-180, 0, 180, 1)


def test_simplified_neighbours_keep_a_shared_border(build, gpd):
    # Two squares sharing a wiggly border: simplification must move it once for both.
    border = [(1, y / 20) for y in range(21)]
    wiggly = [(1 + (0.02 if i % 2 else 0), y) for i, (_, y) in enumerate(border)]
    left = Polygon([(0, 0), *wiggly, (0, 1)])
    right = Polygon([(2, 0), (2, 1), *reversed(wiggly)])
    out = build._simplify(frame(gpd, [("AAA", left), ("BBB", right)]), tolerance=0.1, grid=0.01)
    a, b = out.geometry
    assert a.is_valid and b.is_valid
    assert shapely.get_num_coordinates(a) < shapely.get_num_coordinates(left)
    assert shapely.union_all([a, b]).area == pytest.approx(a.area + b.area)  # no overlap
    assert a.area + b.area == pytest.approx(2)  # no gap
    assert a.intersection(b).length > 0.9  # they still share a border


def test_simplify_keeps_small_islands_whole(build, gpd):
    circle = shapely.Point(-61, 14.6).buffer(0.2, quad_segs=8)
    out = build._simplify(frame(gpd, [("MTQ", circle), ("FRA", box(0, 40, 10, 50))]), tolerance=0.5, grid=0.01)
    island = out.geometry.iloc[0]
    assert island.is_valid and island.area == pytest.approx(circle.area, rel=0.02)


def test_simplify_keeps_a_speck_on_the_grid(build, gpd):
    vatican = box(12.429, 41.897, 12.44, 41.906)
    italy = box(12, 41, 13, 42).difference(vatican)
    out = build._simplify(frame(gpd, [("ITA", italy), ("VAT", vatican)]), tolerance=0.5, grid=0.01)
    assert all(g.is_valid and not g.is_empty for g in out.geometry)


def test_orient_winds_exteriors_clockwise(build, gpd):
    ccw = Polygon([(0, 0), (1, 0), (1, 1), (0, 1)])
    assert ccw.exterior.is_ccw
    out = build._orient(frame(gpd, [("AAA", ccw)])).geometry.iloc[0]
    assert not out.exterior.is_ccw


def test_codes_from_either_layout(build, gpd):
    world_atlas = gpd.GeoDataFrame({"id": ["250", "036", None],
                                    "name": ["France", "Ashmore and Cartier Is.", "Kosovo"]},
                                   geometry=[box(0, 0, 1, 1)] * 3)
    assert list(build._assign_codes(world_atlas)["code"]) == ["FRA", "AUS", "XKX"]
    natural_earth = gpd.GeoDataFrame({"iso_a3": ["-99", "-99", "MTQ"], "adm0_a3": ["FRA", "SOL", "MTQ"],
                                      "name": ["France", "Somaliland", "Martinique"]}, geometry=[box(0, 0, 1, 1)] * 3)
    assert list(build._assign_codes(natural_earth)["code"]) == ["FRA", "XSL", "MTQ"]
    unknown = gpd.GeoDataFrame({"id": [None], "name": ["Atlantis"]}, geometry=[box(0, 0, 1, 1)])
    with pytest.raises(ValueError, match="no ISO code for 'Atlantis'"):
        build._assign_codes(unknown)


def test_same_code_features_are_merged(build, gpd):
    out = build._merge_same_code(frame(gpd, [("AUS", box(130, -30, 140, -20)), ("AUS", box(123, -13, 124, -12))]))
    assert list(out["code"]) == ["AUS"] and len(shapely.get_parts(out.geometry.iloc[0])) == 2


# --- whole builds on tiny files ------------------------------------------------------------------------------

def tiny_world_atlas(path: Path) -> Path:
    """A TopoJSON laid out like world-atlas: numeric ids, names, and a second layer."""
    arcs = [[[3, 47], [2, 47], [2, 46], [3, 46]],
            [[3, 46], [3, 47]],  # the border France and Italy share
            [[3, 46], [4, 46], [4, 47], [3, 47]],
            [[-61.1, 14.6], [-61.0, 14.6], [-61.0, 14.7], [-61.1, 14.7], [-61.1, 14.6]],
            [[20, 42], [21, 42], [21, 43], [20, 43], [20, 42]]]
    countries = [{"type": "MultiPolygon", "id": "250", "properties": {"name": "France"}, "arcs": [[[0, 1]], [[3]]]},
                 {"type": "Polygon", "id": "380", "properties": {"name": "Italy"}, "arcs": [[2, -2]]},
                 {"type": "Polygon", "properties": {"name": "Kosovo"}, "arcs": [[4]]}]
    topology = {"type": "Topology", "arcs": arcs, "objects": {
        "countries": {"type": "GeometryCollection", "geometries": countries},
        "land": {"type": "GeometryCollection", "geometries": [{"type": "Polygon", "arcs": [[4]]}]}}}
    path.write_text(json.dumps(topology), encoding="utf-8")
    return path


def test_build_from_a_tiny_world_atlas(build, tmp_path):
    from geo import light

    figures = build.build_boundaries(tiny_world_atlas(tmp_path / "countries.json"), tmp_path)
    collection = json.loads((tmp_path / "boundaries.geojson").read_text(encoding="utf-8"))
    assert [f["id"] for f in collection["features"]] == ["FRA", "ITA", "MTQ", "XKX"]
    shapes = {f["id"]: shape(f["geometry"]) for f in collection["features"]}
    assert shapes["FRA"].touches(shapes["ITA"]) and shapes["MTQ"].bounds == (-61.1, 14.6, -61.0, 14.7)
    table = (tmp_path / "territories.csv").read_text(encoding="utf-8")
    assert "MTQ,Martinique,Martinique,FRA,-61.05,14.65," in table
    assert "python -m geo.build --source countries.json" in (tmp_path / "BOUNDARIES.md").read_text(encoding="utf-8")
    assert figures["features"] == 4 and figures["split"] == ["MTQ"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "BOUNDARIES.md", "boundaries-light.geojson", "boundaries-light.geojson.br", "boundaries.geojson",
        "boundaries.geojson.br", "countries.json", "territories.csv"]
    for name in ("boundaries.geojson", "boundaries-light.geojson"):  # what the server sends, made once
        assert brotli.decompress((tmp_path / f"{name}.br").read_bytes()) == (tmp_path / name).read_bytes()
    assert (tmp_path / "boundaries-light.geojson").read_text(encoding="utf-8") == light.text(
        (tmp_path / "boundaries.geojson").read_text(encoding="utf-8"))


def test_build_from_a_natural_earth_layout(build, gpd, tmp_path):
    source = tmp_path / "ne_admin0.geojson"
    gpd.GeoDataFrame({"ISO_A3": ["-99", "ITA"], "ADM0_A3": ["FRA", "ITA"], "NAME": ["France", "Italy"]},
                     geometry=[box(2, 46, 3, 47), box(3, 46, 4, 47)], crs="EPSG:4326").to_file(source)
    out = tmp_path / "out"
    out.mkdir()
    build.build_boundaries(source, out)
    assert "FRA,France,France,," in (out / "territories.csv").read_text(encoding="utf-8")


def test_missing_source_file(build, tmp_path):
    with pytest.raises(FileNotFoundError, match=r"boundary source .*nowhere\.json does not exist"):
        build.build_boundaries(tmp_path / "nowhere.json", tmp_path)


def test_missing_output_directory(build, tmp_path):
    with pytest.raises(NotADirectoryError, match="output directory .*missing does not exist"):
        build.build_boundaries(tiny_world_atlas(tmp_path / "countries.json"), tmp_path / "missing")


def test_missing_countries_layer(build, gpd, tmp_path):
    source = tmp_path / "two_layers.gpkg"
    for layer in ("lakes", "rivers"):
        gpd.GeoDataFrame({"name": ["x"]}, geometry=[box(0, 0, 1, 1)], crs="EPSG:4326").to_file(source, layer=layer)
    with pytest.raises(ValueError, match="no layer 'countries'; it has lakes, rivers"):
        build.build_boundaries(source, tmp_path)


def test_missing_name_column(build, gpd, tmp_path):
    source = tmp_path / "nameless.geojson"
    gpd.GeoDataFrame({"ISO_A3": ["FRA"], "TITLE": ["France"]}, geometry=[box(2, 46, 3, 47)],
                     crs="EPSG:4326").to_file(source)
    with pytest.raises(ValueError, match=r"missing columns: need 'id' and 'name' .* found iso_a3, title"):
        build.build_boundaries(source, tmp_path)


def test_not_a_geodata_file(build, tmp_path):
    source = tmp_path / "notes.json"
    source.write_text("not json", encoding="utf-8")
    with pytest.raises(ValueError, match="not a file GDAL can read"):
        build.build_boundaries(source, tmp_path)


def test_a_failed_write_leaves_old_files_whole(build, tmp_path):
    (tmp_path / "a.txt").write_text("old a", encoding="utf-8")
    with pytest.raises(TypeError):
        build._write_all(tmp_path, {"a.txt": "new a", "b.txt": None})
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "old a"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]
