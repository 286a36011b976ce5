"""The text of data/BOUNDARIES.md, written by every build so it always matches the data."""
from __future__ import annotations

from collections import defaultdict

from . import light, territories


def markdown(source, figures: dict, *, world_atlas: str, tolerance: float, decimals: int,
             small_island_deg2: float) -> str:
    split_rows = "\n".join(
        f"| {code} | {territories.names(code)[0]} | {parent} | {_box(bounds)} | "
        f"{'yes' if code in figures['split'] else 'no: not in this source'} |"
        for parent, code, bounds in territories.OVERSEAS_PARTS)
    by_code = defaultdict(list)
    for key, code in territories.NON_ISO_CODES.items():
        by_code[code].append(f"`{key}`")
    code_rows = "\n".join(
        f"| {code} | {_name(code)} | {', '.join(keys)} |" for code, keys in sorted(by_code.items()))
    children = defaultdict(list)
    for child, parent in sorted(territories.PARENTS.items()):
        children[parent].append(child)
    parent_rows = "\n".join(f"- {parent}: {', '.join(kids)}" for parent, kids in sorted(children.items()))
    excluded = "\n".join(f"   - {code}: {territories.EXCLUDED[code]}." for code in figures["excluded"]) or "   - none"
    return f"""# Boundaries

`boundaries.geojson` and `territories.csv` are generated from Natural Earth, and so is this file:
don't edit them by hand, rebuild them.

## Rebuild

    pip install -e '.[geo]'
    {source.command}

Without `--source` the build fetches the data with `npm pack {world_atlas}`, so it needs npm.
`--source FILE` builds from another Natural Earth admin-0 file instead: a world-atlas TopoJSON
(numeric ISO `id`, `name`) or a Natural Earth shapefile or GeoJSON (`ISO_A3` or `ADM0_A3`, and `NAME`).
`--out-dir DIR` writes somewhere other than `data/`.

## Source

- Data: {source.description}.
- Version: {source.version}.
- Licence: Natural Earth data is in the public domain
  (https://www.naturalearthdata.com/about/terms-of-use/). world-atlas, which packages it as
  TopoJSON, is under the ISC licence.

## Output

- `boundaries.geojson`: {figures['features']} features; {figures['geojson_bytes']:,} bytes,
  {figures['geojson_gzip_bytes']:,} gzipped (`gzip -9`; the budget is 250 KB).
  A FeatureCollection whose features have the territory code as `id` and as `properties.code`.
  Longitude and latitude (EPSG:4326) with {decimals} decimals. Exterior rings run clockwise and holes
  counter-clockwise, the reverse of RFC 7946: Plotly draws with d3-geo, which tells a ring's inside
  by its winding on the sphere. Tools that enforce RFC 7946 may rewind them.
- `boundaries-light.geojson`: the same features for a phone's map, shared borders simplified again
  (tolerance {light.TOLERANCE}°) and islands under {light.SMALL_ISLAND_DEG2:g} square degree left whole
  (`geo/light.py`): {figures['light_bytes']:,} bytes.
- `territories.csv`: one row per feature: `code`, `name_en`, `name_fr`, `parent` (the sovereign
  country of a dependency), `label_lon` and `label_lat` (the pole of inaccessibility of the largest
  polygon), `area_km2` (area in the equal-area EPSG:6933, before simplification).

## What the build does

1. Codes: world-atlas's numeric ISO ids become ISO 3166-1 alpha-3 codes (pycountry); in Natural
   Earth files, `ISO_A3`, else `ADM0_A3`. Features without an ISO code get one from the table below;
   a feature that gets no code stops the build, so no shape is dropped silently.
2. Left out:
{excluded}
3. Repair: rings that world-atlas stitches across the antimeridian (Chukotka, Wrangel Island, a
   Fijian island) are cut at ±180°; invalid shapes are made valid (`shapely.make_valid`).
4. Split: Natural Earth draws France's overseas departments inside France's MultiPolygon. The parts
   inside each box below become a territory of their own, so FRA keeps metropolitan France and
   Corsica (and its Atlantic islands).
5. Merge: features that share a code become one (world-atlas gives Ashmore and Cartier Is.
   Australia's id).
6. Simplify: `shapely.set_precision` snaps coordinates to a {10 ** -decimals:g}° grid, then
   `shapely.coverage_simplify` (tolerance {tolerance}) drops vertices, moving each shared border once
   for both neighbours so that no gap or sliver opens between them, and keeping every shape at least
   a triangle (Vatican City). Islands with no neighbour and under {small_island_deg2:g} square degree
   (Martinique, Réunion...) keep the source's detail. The build checks that every shape is valid and
   non-empty, and that the file gzips under 250 KB.

| code | territory | split from | box (lon, lat) | found |
| --- | --- | --- | --- | --- |
{split_rows}

## Codes that are not ISO 3166-1

XKX is Kosovo's code at the EU and the IMF. The other X-codes are the Atlas's own, from ISO's
user-assigned range (`XAA`-`XZZ`), which no country will ever get. XIO only reaches the output if
the split above leaves some of it behind.

| code | name | Natural Earth feature or ADM0_A3 |
| --- | --- | --- |
{code_rows}

## Parents

Only where sovereignty is clear; disputed areas and states in free association have no parent.

{parent_rows}
"""


def _name(code: str) -> str:
    return territories.names(code)[0] if code in territories.USER_ASSIGNED_NAMES else f"(merged into {code})"


def _box(bounds) -> str:
    west, south, east, north = bounds
    return f"{west}…{east}, {south}…{north}"
