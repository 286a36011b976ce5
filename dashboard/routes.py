"""Plain HTTP routes: health, the boundaries, the JSON API (paged) and the CSV download (streamed)."""
from __future__ import annotations

import csv
import io
import zlib
from collections.abc import Iterable, Iterator

import flask

from . import data, guard, queries, serving
from .i18n import preferred_lang
from .serving import file_loader, respond
from .state import ParsedQuery, Vocabulary, parse_query, to_query
from .tables import BOUNDARIES, LIGHT_BOUNDARIES

DEFAULT_LIMIT = 100
LIGHT_BOUNDARIES_URL = "/geo/boundaries-light.geojson"
MAX_LIMIT = 1000
CSV_CHUNK = 500  # rows converted and written per step of the stream
# Characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def parse(query, vocab: Vocabulary) -> ParsedQuery:
    """A URL query parsed for this request: with no `lang`, the browser's language wins."""
    return parse_query(query, vocab, preferred_lang(flask.request.headers.get("Accept-Language")))


def spreadsheet_safe(value):
    """A cell a spreadsheet shows as text: one that would start a formula gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_cells(row: dict) -> dict:
    return {k: spreadsheet_safe("; ".join(v) if isinstance(v, list) else v) for k, v in row.items()}


def csv_lines(dataset: data.Dataset, recs) -> Iterator[str]:
    """The CSV, a few hundred rows at a time: a BOM (so spreadsheets see UTF-8), the header, the rows."""
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=queries.RECORD_COLUMNS, lineterminator="\n")
    out.write("\ufeff")
    writer.writeheader()
    for start in range(0, len(recs), CSV_CHUNK):
        writer.writerows(csv_cells(row) for row in queries.records(dataset, recs.iloc[start:start + CSV_CHUNK]))
        yield out.getvalue()
        out.seek(0)
        out.truncate()
    if out.tell():
        yield out.getvalue()


def gzipped(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """A gzip stream of the chunks, compressed as they come."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, 31)  # wbits 31: the gzip container
    for chunk in chunks:
        packed = compressor.compress(chunk)
        if packed:
            yield packed
    yield compressor.flush()


def page_bounds(args) -> tuple[int, int, dict[str, str]]:
    """`limit` and `offset` of an API request. A whole number out of range is brought to the nearest
    bound (`limit` 1 to MAX_LIMIT, `offset` from 0) and named; anything else falls back to the default."""
    invalid = {}
    bounds = {"limit": DEFAULT_LIMIT, "offset": 0}
    ranges = {"limit": (1, MAX_LIMIT), "offset": (0, None)}
    for name, (low, high) in ranges.items():
        raw = (args.get(name) or "").strip() if args.get(name) is not None else None
        if raw is None:
            continue
        digits = raw[1:] if raw[:1] == "-" else raw
        expected = f"expected a whole number from {low} to {high}" if high else f"expected a whole number from {low}"
        if not (digits.isascii() and digits.isdigit() and len(digits) <= 18):
            invalid[name] = expected
            continue
        value = int(raw)
        bounded = max(low, value if high is None else min(value, high))
        if bounded != value:
            invalid[name] = expected
        bounds[name] = bounded
    return bounds["limit"], bounds["offset"], invalid


def install(app, dataset: data.Dataset, vocab: Vocabulary) -> None:
    """The app's own routes, its static files compressed once, and the gate of its callback endpoint."""
    files = serving.install(app)
    guard.install(app)
    server = app.server
    counts = dataset.counts()  # the data never changes while the server runs
    boundaries_path = dataset.data_dir / BOUNDARIES
    # a phone's map draws the lighter copy (geo/light.py); a data folder without one serves the boundaries
    light_path = dataset.data_dir / LIGHT_BOUNDARIES
    if not light_path.is_file():
        light_path = boundaries_path

    @server.get("/healthz")
    def healthz():
        return flask.jsonify(status="ok", **counts)

    @server.get("/geo/boundaries.geojson")
    def geo_boundaries():
        entry = files.entry(("boundaries", str(boundaries_path)), file_loader(boundaries_path, "application/geo+json"))
        return respond(entry, "public, max-age=86400")

    @server.get(LIGHT_BOUNDARIES_URL)
    def geo_boundaries_light():
        entry = files.entry(("boundaries-light", str(light_path)), file_loader(light_path, "application/geo+json"))
        return respond(entry, "public, max-age=86400")

    @server.get("/api/recommendations")
    def api_recommendations():
        args = flask.request.args.to_dict()
        limit, offset, bad_bounds = page_bounds(args)
        view = {k: v for k, v in args.items() if k not in ("limit", "offset")}
        parsed = parse(view, vocab)
        recs = queries.matching(dataset.recommendations, parsed.state)
        page = recs.iloc[offset:offset + limit]
        return flask.jsonify(query=to_query(parsed.state), invalid=dict(parsed.invalid) | bad_bounds,
                             total=len(recs), offset=offset, limit=limit, count=len(page),
                             recommendations=queries.records(dataset, page))

    @server.get("/download/recommendations.csv")
    def download_csv():
        parsed = parse(flask.request.args.to_dict(), vocab)
        recs = queries.matching(dataset.recommendations, parsed.state)
        everything = len(recs) == len(dataset.recommendations)
        name = "atlas-all-recommendations.csv" if everything else "atlas-recommendations.csv"
        body = (text.encode("utf-8") for text in csv_lines(dataset, recs))
        headers = {"Content-Disposition": f'attachment; filename="{name}"', "Vary": "Accept-Encoding"}
        if flask.request.accept_encodings.quality("gzip") > 0:
            body = gzipped(body)
            headers["Content-Encoding"] = "gzip"
        return flask.Response(body, mimetype="text/csv", headers=headers)  # Flask adds the charset
