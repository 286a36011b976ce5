"""Static files compressed once: Dash's component bundles, the assets and the boundaries.

Each file is read and compressed (gzip, and brotli when installed) on its first request, then served
from memory with its ETag, so a room of phones costs no compression at all after the first one.
Fingerprinted URLs (Dash's versioned bundle names, `?m=` asset links) never change content, so they
are cached by browsers for a year.
"""
from __future__ import annotations

import gzip
import hashlib
import mimetypes
import pkgutil
import re
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

import flask
from werkzeug.security import safe_join

try:
    import brotli
except ImportError:  # brotli is optional: gzip alone is what every browser reads
    brotli = None

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"  # may be stored, but asked again (answered 304 while unchanged)
# What is worth compressing: text formats. Fonts (woff2), images and archives are compressed already.
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/geo+json",
                "image/svg+xml", "application/xml", "font/ttf", "application/vnd.ms-fontobject")
MIN_SIZE = 512
GZIP_LEVEL = 9
BROTLI_QUALITY = 9  # 11 saves another 10% on plotly's bundle but takes 10 s of CPU instead of 0.8 s


@dataclass
class Entry:
    """One file: its bytes, and its compressed forms once asked for."""
    raw: bytes
    mimetype: str
    tag: str
    encoded: dict = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def of(cls, raw: bytes, mimetype: str) -> "Entry":
        return cls(raw, mimetype, hashlib.sha256(raw).hexdigest()[:32])

    @property
    def compressible(self) -> bool:
        return len(self.raw) >= MIN_SIZE and self.mimetype.startswith(COMPRESSIBLE)

    def body(self, encoding: str) -> bytes:
        """The bytes in an encoding ("br", "gzip" or "identity"), compressed at most once per process."""
        if encoding == "identity":
            return self.raw
        found = self.encoded.get(encoding)
        if found is None:
            with self.lock:  # the other phones wait for the first compression rather than repeat it
                found = self.encoded.get(encoding)
                if found is None:
                    found = self.encoded[encoding] = _compress(self.raw, encoding)
        return found


def file_loader(path: Path, mimetype: str):
    """A loader for StaticFiles.entry: the file's bytes and, when a `<name>.br` made from these very bytes
    ships beside it (made once at build time, at brotli's highest quality: `precompress`), that form too. A
    sibling that no longer matches its file is ignored, and the file is compressed as any other."""
    def load():
        raw = path.read_bytes()
        return raw, mimetype, _precompressed(path, raw)
    return load


def _precompressed(path: Path, raw: bytes) -> dict:
    sibling = path.with_name(path.name + ".br")
    if brotli is None or not sibling.is_file():
        return {}
    try:
        packed = sibling.read_bytes()
        return {"br": packed} if brotli.decompress(packed) == raw else {}
    except (OSError, brotli.error):
        return {}


def precompressed_bytes(raw: bytes) -> bytes:
    """A file's `.br` sibling: brotli at quality 11, 8% smaller than the server's quality 9 on plotly's
    bundle and 25% on the phones' boundaries, at 3 s of CPU that a build spends once, not the server."""
    return brotli.compress(raw, quality=11)


def _compress(raw: bytes, encoding: str) -> bytes:
    if encoding == "br":
        return brotli.compress(raw, quality=BROTLI_QUALITY)
    return gzip.compress(raw, compresslevel=GZIP_LEVEL, mtime=0)


def encodings() -> tuple[str, ...]:
    return ("br", "gzip") if brotli is not None else ("gzip",)


def choose_encoding(request: flask.Request, entry: Entry) -> str:
    """The best encoding the client accepts: brotli, then gzip, else none."""
    if entry.compressible:
        accepted = request.accept_encodings
        for encoding in encodings():
            if accepted.quality(encoding) > 0:
                return encoding
    return "identity"


def respond(entry: Entry, cache_control: str) -> flask.Response:
    """The entry for the current request: compressed if accepted, 304 if the client holds it."""
    request = flask.request
    encoding = choose_encoding(request, entry)
    etag = entry.tag if encoding == "identity" else f"{entry.tag}-{encoding}"
    headers = {"Cache-Control": cache_control, "ETag": f'"{etag}"'}
    if entry.compressible:
        headers["Vary"] = "Accept-Encoding"
    if request.if_none_match.contains_weak(etag):
        return flask.Response(status=304, headers=headers)
    body = entry.body(encoding)
    if encoding != "identity":
        headers["Content-Encoding"] = encoding
    return flask.Response(body, mimetype=entry.mimetype, headers=headers)


def mimetype_of(name: str) -> str:
    if name.endswith(".geojson"):
        return "application/geo+json"
    if name.endswith(".woff2"):
        return "font/woff2"
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


class StaticFiles:
    """The process's cache of static files, keyed by what identifies their content."""

    def __init__(self) -> None:
        self._entries: dict[tuple, Entry] = {}
        self._lock = threading.Lock()

    def entry(self, key: tuple, load) -> Entry:
        found = self._entries.get(key)
        if found is None:
            raw, mimetype, *precompressed = load()  # a loader may give encodings made ahead (file_loader)
            made = Entry.of(raw, mimetype)
            made.encoded.update(*precompressed)
            with self._lock:
                found = self._entries.setdefault(key, made)
        return found

    def warm(self, keys_and_loaders) -> None:
        """Compress ahead of the first visitor (called in a background thread by the server)."""
        for key, load in keys_and_loaders:
            entry = self.entry(key, load)
            if entry.compressible:
                for encoding in encodings():
                    entry.body(encoding)


def install(app, files: StaticFiles | None = None) -> StaticFiles:
    """Serve Dash's component suites and the assets folder from the cache (replacing Dash's views)."""
    from dash import _validate
    from dash.fingerprint import check_fingerprint

    files = files or StaticFiles()
    server = app.server
    prefix = app.config.routes_pathname_prefix
    suites_endpoint = prefix + "_dash-component-suites/<string:package_name>/<path:fingerprinted_path>"
    assets_endpoint = prefix.replace("/", "_").replace(".", "_") + "dash_assets.static"
    assets_folder = Path(app.config.assets_folder)

    def registered(package_name: str, path_in_package: str) -> bool:
        try:
            _validate.validate_js_path(app.registered_paths, package_name, path_in_package)
        except Exception:  # noqa: BLE001 - Dash raises its own exception types here: all mean "not ours"
            return False
        return True

    registered_once: list[bool] = []

    def suite(package_name: str, fingerprinted_path: str):
        path_in_package, fingerprinted = check_fingerprint(fingerprinted_path)
        if not registered(package_name, path_in_package):
            if registered_once:  # Dash lists every bundle when it first builds its page: do that once only
                flask.abort(404)
            register_resources(app)  # a fresh worker may be asked for a bundle before its first page
            registered_once.append(True)
            if not registered(package_name, path_in_package):
                flask.abort(404)

        def load():
            data = pkgutil.get_data(package_name, path_in_package) if package_name in sys.modules else None
            if data is None:
                flask.abort(404)
            return data, mimetype_of(path_in_package)

        try:
            entry = files.entry(("suite", package_name, path_in_package), load)
        except OSError:
            flask.abort(404)
        return respond(entry, IMMUTABLE if fingerprinted else REVALIDATE)

    def asset(filename: str):
        path = safe_join(str(assets_folder), filename)
        if path is None or not Path(path).is_file():
            flask.abort(404)
        stat = Path(path).stat()

        entry = files.entry(("asset", path, stat.st_mtime_ns, stat.st_size),
                            file_loader(Path(path), mimetype_of(filename)))
        # Dash links each asset with ?m=<modification time>: that URL changes whenever the file does
        return respond(entry, IMMUTABLE if flask.request.args.get("m") else REVALIDATE)

    server.view_functions[suites_endpoint] = suite
    server.view_functions[assets_endpoint] = asset
    _limit_dynamic_compression(server)
    return files


def _limit_dynamic_compression(server) -> None:
    """Flask-Compress (Dash's `compress=True`) compresses the page and callback answers. It may use
    only the encodings the static files are stored in: otherwise a client accepting, say, only zstd
    would have a 4.8 MB bundle compressed afresh for each of its requests."""
    for hook in server.after_request_funcs.get(None, []):
        owner = getattr(hook, "__self__", None)
        if type(owner).__name__ == "Compress":
            owner.enabled_algorithms = encodings()
            owner.streaming_algorithms = tuple(e for e in encodings() if e != "gzip")  # it streams no gzip


def register_resources(app) -> None:
    """Let Dash list the scripts and styles of its page, as it does when it first serves the page."""
    with app.server.test_request_context("/"):
        app.index()


def page_resources(app) -> list[str]:
    """The URLs of the scripts and styles the page loads (for warming the cache)."""
    with app.server.test_request_context("/"):
        page = app.index()
    return re.findall(r'(?:src|href)="(/(?:_dash-component-suites|assets)/[^"]+)"', page)


def warm_up(app, also: tuple[str, ...] = ()) -> threading.Thread:
    """Compress the page's bundles (and the URLs `also` names) in the background, so the first phone
    of a room waits for nothing."""
    def run():
        client = app.server.test_client()
        for url in [*page_resources(app), *also]:
            for encoding in (*encodings(), "identity"):
                client.get(url.replace("&amp;", "&"), headers={"Accept-Encoding": encoding})

    thread = threading.Thread(target=run, name="atlas-warm-up", daemon=True)
    thread.start()
    return thread
