"""HTTP routes: health, JSON API, CSV downloads, boundaries, and the production server."""
from __future__ import annotations

import csv
import gzip
import io
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from dashboard.app import create_app
from helpers import DATA, ROOT, callback_body, free_port


@pytest.fixture(scope="module")
def client():
    return create_app().server.test_client()


def test_healthz_answers_with_counts(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "recommendations": 87, "reports": 2, "themes": 16, "theme_tags": 176,
                             "translation_notes": 15, "similar_pairs": 13, "territories": 245, "boundaries": 245}


@pytest.mark.parametrize("query, count, first", [
    ("", 87, "r1-int-1"),
    ("?territory=MTQ&actor=national", 14, "r1-mtq-1"),
    ("?q=pr%C3%A9vention", 4, "r1-int-2"),
    ("?q=PREVENTION&report=2", 2, "r2-mex-arg-1"),
    ("?actor=private&report=2", 4, "r2-pri-1"),
    ("?theme=health", None, None),
])
def test_api_takes_the_page_filters(client, query, count, first):
    response = client.get("/api/recommendations" + query)
    assert response.status_code == 200 and response.mimetype == "application/json"
    body = response.json
    if count is not None:
        assert body["count"] == count == len(body["recommendations"])
        assert body["recommendations"][0]["id"] == first
    else:
        assert body["count"] > 0 and all("health" in r["themes"] for r in body["recommendations"])
    assert body["invalid"] == {}


def test_api_ignores_garbage_and_says_so(client):
    body = client.get("/api/recommendations?actor=martians&report=x&territory=ZZZ&lang=de").json
    assert body["count"] == 87 and body["query"] == ""
    assert set(body["invalid"]) == {"actor", "report", "territory", "lang"}


def test_api_record_fields(client):
    rec = client.get("/api/recommendations?territory=MTQ&actor=national").json["recommendations"][3]
    assert rec["id"] == "r1-mtq-4"
    assert rec["text_fr"].endswith("sur les réseaux sociaux.")
    assert rec["translation_note_en"] and rec["translation_note_fr"]
    assert rec["territories"] == ["MTQ"] and rec["shared"] is False


def test_csv_download_of_a_view(client):
    response = client.get("/download/recommendations.csv?territory=GUY&actor=national")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert 'filename="atlas-recommendations.csv"' in response.headers["Content-Disposition"]
    raw = response.data
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["id"] for r in rows] == ["r1-guy-1", "r1-guy-2", "r1-guy-3", "r1-guy-4"]
    assert rows[2]["text_fr"].startswith("Renforcer les règles et réglementations")


@pytest.mark.parametrize("query", ["", "?lang=fr", "?bogus=1", "?region=europe&tab=matrix"])
def test_csv_download_of_the_whole_dataset(client, query):
    response = client.get("/download/recommendations.csv" + query)
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="atlas-all-recommendations.csv"' in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert len(rows) == 87
    assert {r["id"] for r in rows} == {r["id"] for r in csv.DictReader((DATA / "recommendations.csv").open(encoding="utf-8"))}


def test_boundaries_are_served_gzipped_under_budget(client):
    response = client.get("/geo/boundaries.geojson", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert len(response.data) < 250_000
    collection = json.loads(gzip.decompress(response.data))
    assert len(collection["features"]) == 245
    plain = client.get("/geo/boundaries.geojson")
    assert "Content-Encoding" not in plain.headers and json.loads(plain.data) == collection


def test_a_phone_s_boundaries_are_served_and_fall_back_to_the_boundaries(client, tmp_path):
    """/geo/boundaries-light.geojson: the same territories, lighter; a data folder without that file
    serves its boundaries there instead."""
    full = json.loads(client.get("/geo/boundaries.geojson").data)
    response = client.get("/geo/boundaries-light.geojson", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("application/geo+json")
    light = json.loads(gzip.decompress(response.data))
    assert [f["id"] for f in light["features"]] == [f["id"] for f in full["features"]] and light != full
    for name in os.listdir(DATA):
        if name != "boundaries-light.geojson" and (DATA / name).is_file():
            (tmp_path / name).write_bytes((DATA / name).read_bytes())
    without = create_app(tmp_path).server.test_client()
    assert json.loads(without.get("/geo/boundaries-light.geojson").data) == full


def test_page_assets_are_local(client):
    index = client.get("/").data.decode()
    assert "cdn" not in index.lower() and "https://" not in index
    for css in ("/assets/bootstrap.min.css", "/assets/bootstrap-icons.min.css", "/assets/topojson/world_110m.json",
                "/assets/fonts/bootstrap-icons.woff2"):
        assert client.get(css).status_code == 200, css


def test_a_broken_callback_request_shows_no_traceback(client):
    response = client.post("/_dash-update-component", data="{not json", content_type="application/json")
    assert response.status_code >= 400
    assert b"Traceback" not in response.data


def _port(offset: int) -> int:
    """A port for a test server, from the suite's range (ATLAS_TEST_PORT_BASE), that is free now."""
    base = int(os.environ.get("ATLAS_TEST_PORT_BASE", "8050")) + 800 + 20 * offset
    return free_port(base, base + 19)


def _procfile_command() -> str:
    line = next(l for l in (ROOT / "Procfile").read_text().splitlines() if l.startswith("web:"))
    return line.removeprefix("web:").strip()


# The README's run command (what bin/run executes once set up) and the Procfile's web command.
COMMANDS = {
    "python -m dashboard": "exec python -m dashboard",
    "Procfile": "exec env " + _procfile_command(),
}


@pytest.fixture(params=list(COMMANDS), scope="module")
def served(request):
    """The Atlas served by a real command, on a port of the suite's range; yields its port."""
    port = _port(list(COMMANDS).index(request.param))
    env = dict(os.environ, HOST="127.0.0.1", PORT=str(port),
               PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    command = COMMANDS[request.param].replace("HOST=0.0.0.0 ", "") if request.param == "python -m dashboard" else COMMANDS[request.param]
    process = subprocess.Popen(["bash", "-c", command], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.time() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    assert json.load(response)["recommendations"] == 87
                break
            except OSError:
                if time.time() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        output = process.communicate(timeout=20)[0]
    assert "Debug mode: on" not in output and "Traceback" not in output, output[-2000:]
    if not os.environ.get("ATLAS_PUBLIC_URL"):  # the log offers this machine's network addresses for phones, or says none
        assert "\nPhones " in output, output[-2000:]


def test_the_servers_start_and_answer(served):
    with urllib.request.urlopen(f"http://127.0.0.1:{served}/", timeout=10) as response:
        assert b"dash_renderer" in response.read()
        assert response.headers["Server"] == "Atlas"  # no software name, no version


def _healthz_seconds(port: int) -> float:
    start = time.perf_counter()
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as response:
        assert response.status == 200
    return time.perf_counter() - start


@pytest.mark.parametrize("half_request", [
    b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n",  # the headers never end
    b"POST /_dash-update-component HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    b"Content-Length: 5000\r\n\r\n{\"output\": ",  # the body never comes
    b"",  # connected, silent
], ids=["headers", "body", "silent"])
def test_slow_clients_do_not_stop_the_server(served, half_request):
    """More clients than the server has threads hold half-sent requests open: others are still served."""
    idle = []
    try:
        for _ in range(40):
            sock = socket.create_connection(("127.0.0.1", served), timeout=5)
            sock.sendall(half_request)
            idle.append(sock)
        time.sleep(0.5)
        assert _healthz_seconds(served) < 3
    finally:
        for sock in idle:
            sock.close()


def test_a_huge_body_is_refused_before_it_is_sent(served):
    """The server answers 413 from the headers alone: the client need not send its 100 MB."""
    with socket.create_connection(("127.0.0.1", served), timeout=10) as sock:
        sock.sendall(b"POST /_dash-update-component HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 100000000\r\n\r\n" + b" " * 65536)
        answer = sock.recv(4096)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]


def test_strict_content_security_policy(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "connect-src 'self'" in policy
    assert "'unsafe-eval'" not in policy and "script-src 'self' 'sha256-" in policy


@pytest.mark.parametrize("path, accept_language, lang", [
    ("/", "en-GB", "en"),
    ("/", "fr-FR,fr;q=0.9", "fr"),
    ("/?lang=fr&territory=MTQ", "en-GB", "fr"),
    ("/?lang=en", "fr-FR", "en"),
    ("/?lang=klingon", "de-DE", "en"),
])
def test_the_page_names_its_language_from_the_first_byte(client, path, accept_language, lang):
    page = client.get(path, headers={"Accept-Language": accept_language}).get_data(as_text=True)
    assert page.startswith(f'<!DOCTYPE html>\n<html lang="{lang}">')
    assert "<footer>" not in page, "Dash's script wrapper would be a second contentinfo landmark"


def _route(client, search: str, accept_language: str):
    """Ask the router callback for the first screen of a URL, as the browser does on a first visit."""
    response = _post_route(client, search, {"Accept-Language": accept_language})
    assert response.status_code == 200
    return response.json["response"]


def _post_route(client, search: str, headers: dict, current: dict | None = None):
    payload = {
        "output": "..page.children...view-query.data..",
        "outputs": [{"id": "page", "property": "children"}, {"id": "view-query", "property": "data"}],
        "inputs": [{"id": "url", "property": "pathname", "value": "/"}],
        "state": [{"id": "url", "property": "search", "value": search},
                  {"id": "view-query", "property": "data", "value": current}],
        "changedPropIds": ["url.pathname"],
    }
    return client.post("/_dash-update-component", json=payload, headers=headers)


def test_the_router_draws_the_first_page_only(client):
    """Once the page is up, a new URL (Back, Forward, a link) comes as an action, in order with the others."""
    first = _post_route(client, "?territory=MTQ", {}).json["response"]
    assert _component(first["page"]["children"], "view-state")["props"]["data"] == "territory=MTQ"
    assert _component(first["page"]["children"], "applied")["props"]["data"] == 0
    assert _post_route(client, "?territory=FRA", {}, current=first["view-query"]["data"]).status_code == 204


def test_responses_are_compressed_for_a_slow_network(client):
    page = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert page.headers["Content-Encoding"] == "gzip"
    answer = _post_route(client, "?territory=MTQ", {"Accept-Encoding": "gzip"})
    assert answer.headers["Content-Encoding"] == "gzip"
    assert len(answer.data) * 4 < len(gzip.decompress(answer.data))


def _component(tree, component_id: str) -> dict | None:
    """The first component with this id in a serialised Dash layout."""
    if isinstance(tree, list):
        return next((found for item in tree if (found := _component(item, component_id))), None)
    if isinstance(tree, dict):
        if tree.get("props", {}).get("id") == component_id:
            return tree
        return _component(tree.get("props", {}).get("children"), component_id)
    return None


@pytest.mark.parametrize("search, accept_language, lang, query, switch", [
    ("", "fr-FR,fr;q=0.9,en;q=0.5", "fr", "lang=fr", "?lang=en"),
    ("", "en-GB,en;q=0.9", "en", "", "?lang=fr"),
    ("", "de-DE,de;q=0.9", "en", "", "?lang=fr"),
    ("?lang=en", "fr-FR,fr;q=0.9", "en", "lang=en", "?lang=fr"),  # kept, or a reload would switch back to French
    ("?lang=fr&territory=MTQ", "en-GB", "fr", "lang=fr&territory=MTQ", "?territory=MTQ"),
])
def test_first_visit_follows_the_browser_language_then_the_url(client, search, accept_language, lang, query, switch):
    response = _route(client, search, accept_language)
    page = response["page"]["children"]
    assert page["props"]["lang"] == lang
    # the URL then holds the choice: the query the browser is told to show, and the language switch's link
    assert response["view-query"]["data"]["query"] == query
    assert _component(page, "lang")["props"]["href"] == switch


@pytest.mark.parametrize("serve", [
    # the README's run command, up to the moment it would listen
    "import waitress; waitress.serve = lambda *a, **k: None; from dashboard.__main__ import main; main(['serve'])",
    # a server command that names dashboard.app:server
    "from dashboard.app import server",
])
def test_a_server_s_start_up_objects_are_left_out_of_garbage_collections(serve):
    code = f"import gc; {serve}; print(gc.get_freeze_count())"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                            env={**os.environ, "PORT": str(free_port(20800, 20899))})
    frozen = int(result.stdout.strip().splitlines()[-1])
    assert frozen > 50_000  # the dataset, the boundaries, the layout: ~105,000 objects


def test_the_app_does_not_import_geopandas():
    code = "import sys; from dashboard.app import create_app; create_app(); print(sorted(m for m in sys.modules if m.split('.')[0] in ('geopandas', 'shapely', 'pyogrio', 'geo')))"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


@pytest.fixture(scope="module")
def atlas():
    return create_app()


def _post_update(atlas, queued, current, applied=0):
    """Ask the main callback for the page after the queued actions, as the browser does."""
    shown = {"actor-filter": [], "theme-filter": [], "report-filter": "all", "search": "", "region": "world", "tab": "map"}
    values = {"actions.data": queued, "view-state.data": current, "applied.data": applied,
              **{f"{control}.value": value for control, value in shown.items()}}
    return atlas.server.test_client().post("/_dash-update-component", json=callback_body(atlas, "actions.data", values))


def test_an_action_answers_with_its_view(atlas):
    queued = {"items": [{"kind": "territory", "code": "MTQ", "seq": 1},
                        {"kind": "set", "name": "actors", "value": ["national"], "seq": 2}]}
    answer = _post_update(atlas, queued, "").json["response"]
    assert answer["applied"]["data"] == 2
    assert answer["view-state"]["data"] == "territory=MTQ&actor=national"
    assert answer["actor-filter"]["value"] == ["national"]  # the control follows
    assert answer["view-query"]["data"]["query"] == "territory=MTQ&actor=national"


@pytest.mark.parametrize("queued, applied", [
    ("junk", 0),
    ([1, 2], 0),
    (42, "7"),
    ({"items": "junk"}, None),
    ({"items": [{"kind": "territory", "code": ["MTQ"], "seq": 1}, {"kind": {"a": 1}, "seq": 2}]}, 0),
    ({"items": [{"kind": "set", "name": "report", "value": {"n": 1}, "seq": 1}]}, 10 ** 40),
    ({"items": [{"kind": "compare", "side": "c", "code": "ARG", "seq": 1}, {"kind": "compare", "side": "a", "code": "ZZZ", "seq": 2}]}, 0),
])
def test_a_mangled_request_changes_nothing_and_never_fails(atlas, queued, applied):
    response = _post_update(atlas, queued, "", applied)
    assert response.status_code in (200, 204), response.data[:300]
    if response.status_code == 200:  # numbered actions that make no sense are counted, and do nothing
        assert set(response.json["response"]) == {"applied"}


def test_the_validation_layout_names_every_component_of_a_callback(atlas):
    from dashboard.app import _callback_ids
    from dashboard.components import plain

    named = {component["props"]["id"] for component in plain(atlas.validation())["props"]["children"]}
    assert _callback_ids(atlas) <= named and {"islands", "islands-drawn", "map-drawn"} <= named


def test_the_first_page_carries_the_validation_layout_made_after_start_up():
    app = create_app()
    assert app.validation_layout is None  # start-up does not draw the sample page
    page = app.server.test_client().get("/").get_data(as_text=True)
    config = json.loads(page.split('<script id="_dash-config" type="application/json">', 1)[1].split("</script>", 1)[0])
    ids = {component["props"]["id"] for component in config["validation_layout"]["props"]["children"]}
    assert {"islands", "islands-drawn", "map-drawn"} <= ids
