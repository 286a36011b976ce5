"""What a hostile or careless client gets: short refusals, no server errors, no forged links, safe CSV."""
from __future__ import annotations

import copy
import csv
import gzip
import io
import json

import brotli
import flask
import pytest

from dashboard import guard, presenter, routes, share
from dashboard.app import create_app
from dashboard.state import ViewState
from helpers import DATA, ROOT, callback_envelopes, page_components

UPDATE = "/_dash-update-component"


@pytest.fixture(scope="module")
def atlas():
    return create_app()


@pytest.fixture(scope="module")
def client(atlas):
    return atlas.server.test_client()


@pytest.fixture(scope="module")
def envelopes(atlas):
    """Real requests of the page's callbacks, by the first output they name."""
    found = callback_envelopes(atlas, page_components(atlas, "?territory=MTQ"))
    return {env["output"].strip(".").split("...")[0]: env for env in found}


def _map_request(envelopes) -> dict:
    """The update callback's request after a click on France: its answer holds the map's patch."""
    body = copy.deepcopy(envelopes["applied.data"])
    body["inputs"][0]["value"] = {"items": [{"seq": 1, "kind": "territory", "code": "FRA"}]}
    return body


def _nested(levels: int):
    value = []
    for _ in range(levels):
        value = [value]
    return value


def _set(path, value):
    def mutate(body):
        target = body
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        return body
    return mutate


def _drop(key):
    def mutate(body):
        body.pop(key)
        return body
    return mutate


# Each case: a change to a real request of the update callback, and a word the refusal must contain.
MALFORMED = [
    ("no output", _drop("output"), "`output`"),
    ("unknown output", _set(["output"], "nope.children"), "`output`"),
    ("output of a browser callback", _set(["output"], "map.clickData"), "browser"),
    ("output not a string", _set(["output"], ["map.figure"]), "`output`"),
    ("no inputs", _drop("inputs"), "`inputs`"),
    ("inputs an object", _set(["inputs"], {"id": "view-state", "property": "data"}), "`inputs`"),
    ("inputs of strings", _set(["inputs"], ["view-state.data"]), "`inputs`"),
    ("input without id", _set(["inputs", 0], {"property": "data", "value": 1}), "`inputs`"),
    ("input without property", _set(["inputs", 0], {"id": "view-state", "value": 1}), "`inputs`"),
    ("input of another component", _set(["inputs", 0, "id"], "search"), "`inputs`"),
    ("input id a list", _set(["inputs", 0, "id"], ["view-state"]), "`inputs`"),
    ("input with a key of its own", lambda b: _set(["inputs", 0], dict(b["inputs"][0], extra=1))(b), "`inputs`"),
    ("input of another property", lambda b: _set(["inputs", 0, "property"], b["inputs"][0]["property"] + "x")(b), "`inputs`"),
    ("one input too many", lambda b: b | {"inputs": b["inputs"] * 2}, "`inputs`"),
    ("state not a list", _set(["state"], "x"), "`state`"),
    ("state of an unknown component", _set(["state"], [{"id": "x", "property": "y"}]), "`state`"),
    ("outputs nested in a list", lambda b: b | {"outputs": [b["outputs"]]}, "`outputs`"),
    ("outputs of another component", _set(["outputs", 0, "id"], "page"), "`outputs`"),
    ("outputs missing", _drop("outputs"), "`outputs`"),
    ("changedPropIds not strings", _set(["changedPropIds"], [{"a": 1}]), "changedPropIds"),
    ("nested 5000 deep", _set(["inputs", 0, "value"], "NESTED"), "nested"),
    ("nested 100 deep", _set(["inputs", 0, "value"], _nested(100)), "nested"),
    ("body a list", lambda b: [b], "object"),
    ("body a number", lambda b: 7, "object"),
]


@pytest.mark.parametrize("name, mutate, word", MALFORMED, ids=[case[0] for case in MALFORMED])
def test_a_malformed_envelope_gets_a_short_400(client, envelopes, name, mutate, word):
    body = json.dumps(mutate(_map_request(envelopes)))
    body = body.replace('"NESTED"', "[" * 5000 + "]" * 5000)
    response = client.post(UPDATE, data=body, content_type="application/json")
    assert response.status_code == 400, response.data[:200]
    text = response.get_data(as_text=True)
    assert word in text and text.count("\n") == 1 and len(text) < 200
    assert "Traceback" not in text


@pytest.mark.parametrize("body, content_type, word", [
    (b"{not json", "application/json", "JSON"),
    (b"\xff\xfe{}", "application/json", "JSON"),
    (b"1" * 5000, "application/json", "JSON"),  # an integer longer than Python converts
    (b"", "application/json", "JSON"),
    (b'{"output": "map.figure"}', "text/plain", "application/json"),
    (b'{"output": "map.figure"}', "application/x-www-form-urlencoded", "application/json"),
    (b'{"output": "map.figure"}', None, "application/json"),
])
def test_a_body_that_is_not_a_json_envelope_gets_a_400(client, body, content_type, word):
    headers = {"Content-Type": content_type} if content_type else {}
    response = client.post(UPDATE, data=body, headers=headers)
    assert response.status_code == 400 and word in response.get_data(as_text=True)


def test_what_a_callback_declares_is_read_once_and_again_when_it_changes():
    """guard.check_envelope keeps each callback's declared entries by its key, and reads a callback
    declared anew under the same key again (its spec is another object)."""
    spec = {"callback": object(), "inputs": [{"id": "a", "property": "value"}], "state": []}
    body = {"output": "o.children", "outputs": {"id": "o", "property": "children"},
            "inputs": [{"id": "a", "property": "value", "value": 1}], "state": []}
    declared: dict = {}
    guard.check_envelope(body, {"o.children": spec}, declared)
    assert declared["o.children"][0] is spec
    guard.check_envelope(body, {"o.children": spec}, declared)  # from what was kept
    again = spec | {"inputs": [{"id": "b", "property": "value"}]}
    with pytest.raises(guard.Refused, match="`inputs`"):
        guard.check_envelope(body, {"o.children": again}, declared)
    assert declared["o.children"][0] is again


def test_a_real_request_still_answers(client, envelopes):
    response = client.post(UPDATE, json=_map_request(envelopes))
    assert response.status_code == 200 and "map-answer" in response.json["response"]


class _Endless(io.RawIOBase):
    """A request body of spaces that never ends, counting what is read of it."""
    read_bytes = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        self.read_bytes += len(buffer)
        assert self.read_bytes < 10 * guard.MAX_BODY, "the body is being read to its end"
        buffer[:] = b" " * len(buffer)
        return len(buffer)


def _post_raw(atlas, environ: dict) -> tuple[str, bytes]:
    """A request straight into the WSGI app, with a body the test client would not send."""
    from werkzeug.test import create_environ
    env = create_environ(UPDATE, method="POST", content_type="application/json") | environ
    status = []
    body = b"".join(atlas.server.wsgi_app(env, lambda s, h, e=None: status.append(s)))
    return status[0], body


def test_an_oversized_body_is_refused_by_its_length_without_being_read(atlas):
    body = _Endless()
    status, answer = _post_raw(atlas, {"wsgi.input": body, "CONTENT_LENGTH": str(100_000_000)})
    assert status.startswith("413") and b"limit" in answer
    assert body.read_bytes == 0


def test_a_chunked_body_is_cut_at_the_limit(atlas):
    """A chunked body has no length: it is read up to the limit, then refused."""
    body = _Endless()
    status, answer = _post_raw(atlas, {"wsgi.input": body, "wsgi.input_terminated": True,
                                       "HTTP_TRANSFER_ENCODING": "chunked", "CONTENT_LENGTH": ""})
    assert status.startswith("413") and b"limit" in answer
    assert body.read_bytes <= 2 * guard.MAX_BODY


@pytest.mark.parametrize("path", [
    "/_dash-component-suites/nope/x.js",
    "/_dash-component-suites/dash/nope.js",
    "/_dash-component-suites/dash/../../etc/passwd",
    "/_dash-component-suites/plotly/package_data/nope.v1m1.min.js",
    "/_dash-component-suites/dash/deps/react@18.v0m0.3.1.min.js/..",
    "/assets/nope.css",
    "/assets/../dashboard/app.py",
])
def test_a_bad_static_path_is_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert b"Traceback" not in response.data


@pytest.mark.parametrize("path, headers, lang", [
    ("/nope", {}, "en"),
    ("/wp-login.php", {"Accept-Language": "fr-FR,fr;q=0.9"}, "fr"),
    ("/a/b/c?lang=fr", {"Accept-Language": "en"}, "fr"),
    ("/nope?lang=de", {"Accept-Language": "fr-CA"}, "fr"),
    ("/favicon.ico", {"Accept-Language": "de"}, "en"),
    ("/nope", {"Accept-Language": "fr-CA,en-CA;q=0.8,en;q=0.6"}, "fr"),  # as the app itself answers
    ("/nope", {"Accept-Language": "fr, en"}, "fr"),
    ("/nope", {"Accept-Language": "de, en;q=0.5, fr;q=0.4"}, "en"),
])
def test_an_unknown_path_gets_a_404_page_in_the_readers_language(client, path, headers, lang):
    response = client.get(path, headers=headers)
    assert response.status_code == 404 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert f'<html lang="{lang}">' in page
    assert ("Page introuvable" in page) == (lang == "fr") and ("Page not found" in page) == (lang == "en")
    assert 'href="/' in page and "dash_renderer" not in page


@pytest.mark.parametrize("query", ["", "?territory=MTQ", "?anything=at all&lang=fr", "?q=%F0%9F%98%80" * 3])
def test_the_root_with_any_query_serves_the_app(client, query):
    response = client.get("/" + query)
    assert response.status_code == 200 and b"dash_renderer" in response.data


@pytest.mark.parametrize("path", ["/", "/healthz", "/nope", "/api/recommendations"])
def test_security_headers(client, path):
    headers = client.get(path).headers
    assert headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in headers["Content-Security-Policy"]
    assert "camera=()" in headers["Permissions-Policy"] and "fullscreen=(self)" in headers["Permissions-Policy"]
    assert "Strict-Transport-Security" not in headers  # plain HTTP: HSTS would mean nothing, or lock a LAN out
    assert "Werkzeug" not in headers.get("Server", "")


@pytest.mark.parametrize("trust_proxy, environ, forwarded, hsts", [
    ("", {"wsgi.url_scheme": "https"}, "", True),
    ("", {}, "https", False),  # a client cannot claim HTTPS by a header
    ("1", {}, "https", True),  # a configured proxy can
    ("1", {}, "http", False),
])
def test_hsts_only_over_https(monkeypatch, trust_proxy, environ, forwarded, hsts):
    monkeypatch.setenv("ATLAS_TRUST_PROXY", trust_proxy)
    client = create_app().server.test_client()
    headers = {"X-Forwarded-Proto": forwarded} if forwarded else {}
    response = client.get("/healthz", headers=headers, environ_overrides=environ)
    assert ("Strict-Transport-Security" in response.headers) == hsts


@pytest.mark.parametrize("env, root, expected", [
    ({}, "http://localhost:8050/", "http://localhost:8050/"),
    ({}, "http://127.0.0.1:8050/", "http://127.0.0.1:8050/"),
    ({}, "http://evil.example/", "http://127.0.0.1:8050/"),
    ({"PORT": "9000"}, "http://evil.example:9000/", "http://127.0.0.1:9000/"),
    ({"HOST": "10.1.2.3"}, "http://10.1.2.3:8050/", "http://10.1.2.3:8050/"),
    ({"HOST": "10.1.2.3"}, "http://10.6.6.6:8050/", "http://10.1.2.3:8050/"),
    ({"ATLAS_TRUSTED_HOSTS": "atlas.example.org, 192.168.1.5"}, "http://atlas.example.org/", "http://atlas.example.org/"),
    ({"ATLAS_TRUSTED_HOSTS": "atlas.example.org 192.168.1.5"}, "http://192.168.1.5:8050/", "http://192.168.1.5:8050/"),
    ({"ATLAS_TRUSTED_HOSTS": ".example.org"}, "https://room.example.org/", "https://room.example.org/"),
    ({"ATLAS_TRUSTED_HOSTS": ".example.org"}, "https://example.org.evil.test/", "https://127.0.0.1:8050/"),
    ({"ATLAS_PUBLIC_URL": "192.168.1.5:8050"}, "http://evil.example/", "http://192.168.1.5:8050/"),
    ({"ATLAS_PUBLIC_URL": "https://atlas.example.org/talk?x=1#y"}, "http://localhost/", "https://atlas.example.org/talk/"),
    ({}, "http://evil.example@localhost/", "http://127.0.0.1:8050/"),
])
def test_the_share_base_never_comes_from_an_untrusted_host(monkeypatch, env, root, expected):
    for name in ("ATLAS_PUBLIC_URL", "ATLAS_TRUSTED_HOSTS", "HOST", "PORT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert share.public_base(root) == expected


def test_listening_on_every_interface_trusts_this_machines_addresses(monkeypatch):
    monkeypatch.setenv("HOST", "0.0.0.0")
    address = share.primary_address()
    assert share.public_base(f"http://{address}:8050/") == f"http://{address}:8050/"
    assert share.public_base("http://evil.example/") == f"http://{address}:8050/"


def test_a_forged_host_never_reaches_the_share_link(monkeypatch, atlas, envelopes):
    for name in ("ATLAS_PUBLIC_URL", "ATLAS_TRUSTED_HOSTS", "HOST", "PORT"):
        monkeypatch.delenv(name, raising=False)
    client = atlas.server.test_client()
    envelope = copy.deepcopy(envelopes["page.children"])
    answer = json.dumps(client.post(UPDATE, json=envelope, headers={"Host": "evil.example"}).json)
    assert "evil.example" not in answer
    assert "http://127.0.0.1:8050/?territory=MTQ" in answer


@pytest.mark.parametrize("lang, message", [
    ("en", "This view is too long for a QR code"),
    ("fr", "Cette vue est trop longue pour un code QR"),
])
@pytest.mark.parametrize("url", [
    "http://localhost/?q=" + "%F0%9F%98%80" * 193,
    "http://localhost/?q=" + "a" * 3000,
])
def test_a_view_too_long_for_a_qr_code_keeps_its_link(lang, message, url):
    assert share.qr_data_uri(url) == ""
    box = presenter.share_box(ViewState(lang=lang), url, share.qr_data_uri(url))
    text = json.dumps(box, default=lambda c: c.to_plotly_json())
    assert message in text and '"id": "share-link"' in text and f'"href": "{url}"' in text
    assert '"qr-code"' not in text


def test_the_page_of_a_view_too_long_for_a_qr_code_still_draws(atlas):
    search = "?q=" + "%F0%9F%98%80" * 193
    components = page_components(atlas, search)
    assert "qr-too-long" in components and "qr-code" not in components
    assert components["share-link"]["href"].endswith(search)


@pytest.mark.parametrize("cell, safe", [
    ("=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")"),
    ("+1+1", "'+1+1"), ("-1+1", "'-1+1"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("plain text", "plain text"), ("a=b", "a=b"), ("", ""), (12, 12), (True, True), (None, None),
])
def test_spreadsheet_safe(cell, safe):
    assert routes.spreadsheet_safe(cell) == safe


def test_the_csv_neutralises_formulas_but_the_json_keeps_them(monkeypatch, atlas):
    from dashboard import queries
    real = queries.records

    def with_formula(dataset, recs):
        rows = real(dataset, recs)
        for row in rows:
            row["text_en"] = "=HYPERLINK(\"http://evil.example\",\"click\")"
        return rows

    monkeypatch.setattr(queries, "records", with_formula)
    client = atlas.server.test_client()
    rows = list(csv.DictReader(io.StringIO(client.get("/download/recommendations.csv?territory=GUY").data.decode("utf-8-sig"))))
    assert rows and all(r["text_en"].startswith("'=HYPERLINK(") for r in rows)
    body = client.get("/api/recommendations?territory=GUY").json
    assert all(r["text_en"].startswith("=HYPERLINK(") for r in body["recommendations"])


@pytest.mark.parametrize("accept", ["gzip", "gzip, deflate, br", ""])
def test_the_csv_is_streamed_and_gzipped_when_accepted(client, accept):
    response = client.get("/download/recommendations.csv", headers={"Accept-Encoding": accept})
    assert response.is_streamed
    raw = response.data
    if "gzip" in accept:
        assert response.headers["Content-Encoding"] == "gzip"
        raw = gzip.decompress(raw)
    else:
        assert "Content-Encoding" not in response.headers
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 87 and raw.startswith(b"\xef\xbb\xbf")


def test_an_empty_csv_has_its_header(client):
    raw = client.get("/download/recommendations.csv?q=zzzzqqq").data
    assert raw.decode("utf-8-sig").startswith("id,report,actor,") and raw.count(b"\n") == 1


@pytest.mark.parametrize("query, count, offset, limit, first, invalid", [
    ("", 87, 0, 100, "r1-int-1", set()),
    ("?limit=10", 10, 0, 10, "r1-int-1", set()),
    ("?limit=10&offset=80", 7, 80, 10, None, set()),
    ("?offset=87", 0, 87, 100, None, set()),
    ("?offset=1000000", 0, 1000000, 100, None, set()),
    ("?limit=0", 1, 0, 1, "r1-int-1", {"limit"}),
    ("?limit=5000", 87, 0, 1000, "r1-int-1", {"limit"}),
    ("?limit=-3", 1, 0, 1, "r1-int-1", {"limit"}),  # a whole number out of range: the nearest bound
    ("?limit=99999999999999", 87, 0, 1000, "r1-int-1", {"limit"}),
    ("?offset=1000000000&limit=5", 0, 1000000000, 5, None, set()),  # past the end: an empty page
    ("?offset=-4&limit=5", 5, 0, 5, "r1-int-1", {"offset"}),
    ("?limit=abc&offset=x", 87, 0, 100, "r1-int-1", {"limit", "offset"}),
    ("?limit=%D9%A3", 87, 0, 100, "r1-int-1", {"limit"}),  # an Arabic-Indic digit is not taken for 3
    ("?limit=99999999999999999999", 87, 0, 100, "r1-int-1", {"limit"}),
    ("?limit=2&territory=MTQ&actor=national", 2, 0, 2, "r1-mtq-1", set()),
])
def test_the_api_is_paged(client, query, count, offset, limit, first, invalid):
    body = client.get("/api/recommendations" + query).json
    filters = "&".join(p for p in query.lstrip("?").split("&") if p and not p.startswith(("limit=", "offset=")))
    everything = client.get("/api/recommendations?limit=1000&" + filters).json
    assert (body["count"], body["offset"], body["limit"]) == (count, offset, limit) == \
           (len(body["recommendations"]), offset, limit)
    assert body["total"] == everything["total"]
    assert [r["id"] for r in body["recommendations"]] == \
           [r["id"] for r in everything["recommendations"]][offset:offset + limit]
    if first:
        assert body["recommendations"][0]["id"] == first
    assert set(body["invalid"]) == invalid
    for name in invalid:
        assert "whole number" in body["invalid"][name]


def test_static_files_are_compressed_once_and_cached(atlas, client):
    from dashboard.serving import page_resources
    urls = [u.replace("&amp;", "&") for u in page_resources(atlas)]
    bundle = next(u for u in urls if "dash_renderer" in u)
    first = client.get(bundle, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert first.headers["Content-Encoding"] == "br" and first.headers["Vary"] == "Accept-Encoding"
    assert first.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    plain = client.get(bundle, headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers and brotli.decompress(first.data) == plain.data
    zipped = client.get(bundle, headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip" and gzip.decompress(zipped.data) == plain.data
    assert len({first.headers["ETag"], plain.headers["ETag"], zipped.headers["ETag"]}) == 3
    again = client.get(bundle, headers={"Accept-Encoding": "br", "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and not again.data
    for other in ("zstd", "deflate", "compress"):  # never compressed per request in another encoding
        response = client.get(bundle, headers={"Accept-Encoding": other})
        assert "Content-Encoding" not in response.headers and response.data == plain.data
    asset = next(u for u in urls if "/assets/" in u and "?m=" in u)
    assert client.get(asset).headers["Cache-Control"] == "public, max-age=31536000, immutable"
    unversioned = client.get(asset.split("?")[0])
    assert unversioned.headers["Cache-Control"] == "no-cache" and unversioned.headers["ETag"]


def test_a_file_s_brotli_made_at_build_time_is_served_as_it_is(client):
    """The plotly bundle and the boundaries ship with a `.br` made at quality 11: the server answers those
    bytes and compresses nothing."""
    from dashboard.serving import precompressed_bytes
    plotly_js = next((ROOT / "assets" / "plotly").glob("plotly-geo-*.min.js"))
    for url, path in ((f"/assets/plotly/{plotly_js.name}", plotly_js), ("/geo/boundaries.geojson", DATA / "boundaries.geojson"),
                      ("/geo/boundaries-light.geojson", DATA / "boundaries-light.geojson")):
        packed = path.with_name(path.name + ".br").read_bytes()
        assert brotli.decompress(packed) == path.read_bytes(), f"{path.name}.br is not made from {path.name}"
        assert packed == precompressed_bytes(path.read_bytes()), f"{path.name}.br: run the build that makes it again"
        answer = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
        assert answer.headers["Content-Encoding"] == "br" and answer.data == packed, url


@pytest.mark.parametrize("sibling, used", [("same", True), ("stale", False), ("garbage", False), (None, False)])
def test_a_brotli_sibling_is_used_only_when_made_from_its_file(tmp_path, sibling, used):
    from dashboard.serving import file_loader
    path = tmp_path / "map.js"
    path.write_bytes(b"var map = 1;" * 100)
    made = {"same": brotli.compress(path.read_bytes()), "stale": brotli.compress(b"var map = 0;" * 100),
            "garbage": b"not brotli", None: None}[sibling]
    if made is not None:
        (tmp_path / "map.js.br").write_bytes(made)
    raw, mimetype, encoded = file_loader(path, "text/javascript")()
    assert raw == path.read_bytes() and mimetype == "text/javascript"
    assert encoded == ({"br": made} if used else {})


@pytest.mark.parametrize("accept, size, mimetype, chosen", [
    ("gzip, deflate, br", 10_000, "text/javascript", "br"),
    ("br;q=0, gzip", 10_000, "text/javascript", "gzip"),
    ("gzip;q=0.5, br;q=0", 10_000, "application/json", "gzip"),
    ("*", 10_000, "text/css", "br"),
    ("identity", 10_000, "text/css", "identity"),
    ("", 10_000, "text/css", "identity"),
    ("zstd, deflate", 10_000, "text/css", "identity"),
    ("gzip, br", 100, "text/css", "identity"),  # too small to gain anything
    ("gzip, br", 10_000, "font/woff2", "identity"),  # compressed already
])
def test_choose_encoding(atlas, accept, size, mimetype, chosen):
    from dashboard.serving import Entry, choose_encoding
    with atlas.server.test_request_context("/", headers={"Accept-Encoding": accept}):
        assert choose_encoding(flask.request, Entry.of(b"x" * size, mimetype)) == chosen


def test_the_page_announces_no_software_version(client):
    page = client.get("/").get_data(as_text=True)
    config = page[page.index('id="_dash-config"'):]
    config = config[config.index(">") + 1:config.index("</script>")]
    import json
    import sys

    values = json.loads(config)
    assert not {"python_version", "dash_version", "plotly_version"} & set(values)
    assert sys.version.split()[0] not in config
