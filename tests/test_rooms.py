"""The room store (SQLite and a real Redis server, one contract) and the follow routes over HTTP:
only the presenter's browser moves a room, and bad input gets a clear answer and moves nothing."""
from __future__ import annotations

import html

import json
import subprocess
import sys
import time

import pytest

from dashboard import follow, rooms
from dashboard.app import create_app
from helpers import ROOT, callback_body


@pytest.fixture(params=["sqlite", "redis"])
def make_store(request, tmp_path):
    """A function making an empty store of each kind, with a room lifetime in seconds."""
    if request.param == "sqlite":
        return lambda ttl=rooms.ROOM_TTL: rooms.SqliteRooms(tmp_path / "rooms", ttl=ttl)
    url = request.getfixturevalue("redis_url")

    def make(ttl=rooms.ROOM_TTL):
        store = rooms.RedisRooms(url, ttl=ttl)
        store.client.flushdb()
        return store
    return make


# --- codes --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    ("ABC2345", "ABC2345"),
    (" abc2345 ", "ABC2345"),  # typed from the projector
    ("ABC234", None),  # too short
    ("ABC23456", None),  # too long
    ("ABC0345", None),  # 0 is not in the alphabet (O and 0 look alike)
    ("ABCI345", None),  # nor I
    ("<script>", None),
    ("A" * 5000, None),
    ("", None),
    (None, None),
    (["ABC2345"], None),
])
def test_normal_code(raw, expected):
    assert rooms.normal_code(raw) == expected


def test_new_codes_are_valid_and_differ():
    codes = {rooms.new_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(rooms.normal_code(code) == code for code in codes)


@pytest.mark.parametrize("cookie, expected", [
    ("ABC2345:s3cret", ("ABC2345", "s3cret")),
    ("abc2345:s3:cret", ("ABC2345", "s3:cret")),
    ("ABC2345:", None),
    ("ABC2345", None),
    ("<b>:secret", None),
    ("ABC2345:" + "x" * 300, None),
    (None, None),
])
def test_held_room(cookie, expected):
    assert follow.held_room(cookie) == expected


# --- the store's contract, on both backends -----------------------------------------------------------

def test_a_new_room_waits_for_its_first_view(make_store):
    store = make_store()
    code, secret = store.create()
    assert rooms.normal_code(code) == code and len(secret) >= 40
    assert store.get(code) == rooms.Room(code, "", 0, False)
    assert follow.status_of(store.get(code)) == "waiting"
    assert store.holds(code, secret) and not store.holds(code, secret + "x")


@pytest.mark.parametrize("steps, expected", [
    # (query, live) published in order -> (query, version, live) at the end
    ([("territory=MTQ", True)], ("territory=MTQ", 1, True)),
    ([("territory=MTQ", True), ("territory=MTQ", True)], ("territory=MTQ", 1, True)),  # no change, no new version
    ([("territory=MTQ", True), ("territory=ITA", True)], ("territory=ITA", 2, True)),
    ([("territory=MTQ", True), (None, False)], ("territory=MTQ", 2, False)),  # ended: the last view stays
    ([("territory=MTQ", True), (None, False), (None, True)], ("territory=MTQ", 3, True)),  # presenting again
    ([("region=world", True), ("region=world&theme=prevention", True)], ("region=world&theme=prevention", 2, True)),
])
def test_publish_sequences(make_store, steps, expected):
    store = make_store()
    code, secret = store.create()
    for query, live in steps:
        answered = store.publish(code, secret, query, live)
    assert (answered.query, answered.version, answered.live) == expected
    assert store.get(code) == rooms.Room(code, *expected)


@pytest.mark.parametrize("who, reason", [("forged", "forbidden"), ("empty", "forbidden"), ("unknown", "unknown")])
def test_only_the_secret_moves_a_room(make_store, who, reason):
    store = make_store()
    code, secret = store.create()
    store.publish(code, secret, "territory=MTQ", True)
    before = store.get(code)
    target, key = {"forged": (code, "not-the-secret"), "empty": (code, ""),
                   "unknown": (rooms.new_code(), secret)}[who]
    with pytest.raises(rooms.RoomError) as raised:
        store.publish(target, key, "territory=ITA", True)
    assert raised.value.reason == reason
    assert store.get(code) == before
    if who == "unknown":
        assert store.get(target) is None


def test_a_secret_opens_only_its_own_room(make_store):
    store = make_store()
    (one, secret_one), (two, _secret_two) = store.create(), store.create()
    with pytest.raises(rooms.RoomError):
        store.publish(two, secret_one, "territory=ITA", True)
    assert store.get(two).version == 0 and store.get(one).version == 0


def test_a_view_too_long_is_refused(make_store):
    store = make_store()
    code, secret = store.create()
    with pytest.raises(ValueError):
        store.publish(code, secret, "q=" + "x" * rooms.MAX_QUERY, True)
    assert store.get(code).version == 0


def test_an_idle_room_expires(make_store):
    store = make_store(ttl=1)
    code, secret = store.create()
    store.publish(code, secret, "territory=MTQ", True)
    time.sleep(2.2)
    assert store.get(code) is None
    with pytest.raises(rooms.RoomError):
        store.publish(code, secret, "territory=ITA", True)


def test_two_processes_share_the_sqlite_rooms(tmp_path):
    """What one worker process writes, another reads and changes (the Procfile's workers share the folder)."""
    program = ("import json, sys; from pathlib import Path; from dashboard import rooms; "
               "store = rooms.SqliteRooms(Path(sys.argv[1])); {}")
    def run(code: str, *args: str) -> str:
        return subprocess.run([sys.executable, "-c", program.format(code), str(tmp_path), *args], cwd=ROOT,
                              check=True, capture_output=True, text=True, timeout=60).stdout.strip()

    code, secret = json.loads(run("print(json.dumps(store.create()))"))
    run("store.publish(sys.argv[2], sys.argv[3], 'territory=MTQ', True)", code, secret)
    assert json.loads(run("r = store.get(sys.argv[2]); print(json.dumps([r.query, r.version, r.live]))", code)) \
        == ["territory=MTQ", 1, True]
    assert rooms.SqliteRooms(tmp_path).get(code) == rooms.Room(code, "territory=MTQ", 1, True)


def test_the_environment_chooses_the_store(monkeypatch, tmp_path, redis_url):
    monkeypatch.delenv(rooms.REDIS_URL_ENV, raising=False)
    monkeypatch.setenv(rooms.ROOM_DIR_ENV, str(tmp_path / "here"))
    store = rooms.from_environment()
    assert isinstance(store, rooms.SqliteRooms) and store.path.parent == tmp_path / "here"
    monkeypatch.setenv(rooms.REDIS_URL_ENV, redis_url)
    assert isinstance(rooms.from_environment(), rooms.RedisRooms)


# --- over HTTP ----------------------------------------------------------------------------------------

@pytest.fixture(params=["sqlite", "redis"])
def app(request, tmp_path, monkeypatch):
    if request.param == "redis":
        monkeypatch.setenv(rooms.REDIS_URL_ENV, request.getfixturevalue("redis_url"))
    else:
        monkeypatch.delenv(rooms.REDIS_URL_ENV, raising=False)
        monkeypatch.setenv(rooms.ROOM_DIR_ENV, str(tmp_path / "rooms"))
    return create_app()


def open_page(app, client, search: str):
    """The first callback of a page opened at `search`: its answer and the answer's text."""
    answer = client.post("/_dash-update-component", json=callback_body(app, "url.pathname", {"url.pathname": "/", "url.search": search}))
    assert answer.status_code == 200
    return answer, html.unescape(answer.get_data(as_text=True))  # links in islands' HTML write & as &amp;


def present(app, client, search="?present=1&territory=MTQ", fresh=True) -> tuple[str, str]:
    """Open presenter mode: the room's code (from the follow link) and the cookie's secret."""
    answer, text = open_page(app, client, search)
    cookie = client.get_cookie(follow.COOKIE)
    assert cookie is not None, "presenter mode gave the browser no room"
    code, secret = cookie.value.split(":", 1)
    assert f"?room={code}" in text and f"&room={code}" in text  # the short link, and the view's link
    assert secret not in text, "the secret must never reach the page"
    header = answer.headers.get("Set-Cookie")
    if fresh:  # a new room: its secret goes into a cookie that scripts cannot read and other sites cannot send
        assert header and "HttpOnly" in header and "SameSite=Strict" in header and "Path=/" in header
    else:
        assert header is None
    return code, secret


def publish(client, body, content_type="application/json"):
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return client.post(follow.PUBLISH_PATH, data=data, content_type=content_type)


def poll(client, code: str, etag: str | None = None):
    return client.get(follow.POLL_PREFIX + code, headers={"If-None-Match": etag} if etag else {})


def room_state(app, code: str):
    return app.server.config[follow.STORE_KEY].get(code)


def test_the_presenter_publishes_and_followers_poll(app):
    client = app.server.test_client()
    code, _secret = present(app, client)
    assert poll(client, code).json == {"status": "waiting", "query": "", "version": 0}
    answer = publish(client, {"live": True, "query": "present=1&territory=MTQ&lang=fr&tour=territory%3DITA&step=0"})
    assert answer.status_code == 200 and answer.json["status"] == "live"
    first = poll(client, code)
    # the view only: no language, presenter mode or tour
    assert first.json == {"status": "live", "query": "territory=MTQ", "version": 1}
    assert poll(client, code, first.headers["ETag"]).status_code == 304
    publish(client, {"live": True, "query": "present=1&territory=ITA&tab=matrix"})
    moved = poll(client, code, first.headers["ETag"])
    assert moved.status_code == 200 and moved.json["query"] == "territory=ITA&tab=matrix"
    assert publish(client, {"live": False}).status_code == 200
    assert poll(client, code).json == {"status": "ended", "query": "territory=ITA&tab=matrix", "version": 3}


def test_the_presenter_keeps_its_room(app):
    client = app.server.test_client()
    code, secret = present(app, client)
    again, _ = present(app, client, "?present=1&territory=ITA", fresh=False)
    assert (again, client.get_cookie(follow.COOKIE).value) == (code, f"{code}:{secret}")


def test_without_presenter_mode_no_room_is_made(app):
    client = app.server.test_client()
    _answer, text = open_page(app, client, "?territory=MTQ")
    assert client.get_cookie(follow.COOKIE) is None and "room=" not in text


@pytest.mark.parametrize("case", ["forged secret", "no cookie", "unknown room", "garbage cookie"])
def test_only_the_presenter_moves_a_room(app, case):
    client = app.server.test_client()
    code, secret = present(app, client)
    publish(client, {"live": True, "query": "territory=MTQ"})
    before = room_state(app, code)
    intruder = app.server.test_client()
    cookie = {"forged secret": f"{code}:{secret[:-2]}xx", "unknown room": f"{rooms.new_code()}:{secret}",
              "garbage cookie": "<script>alert(1)</script>", "no cookie": None}[case]
    if cookie:
        intruder.set_cookie(follow.COOKIE, cookie)
    answer = publish(intruder, {"live": True, "query": "territory=ITA"})
    assert answer.status_code in (403, 404) and answer.json["error"]
    assert room_state(app, code) == before


@pytest.mark.parametrize("body, content_type, status", [
    ({"live": True, "query": "territory=NOPE"}, "application/json", 400),  # not a view: nothing moves
    ({"live": True, "query": "tab=sideways"}, "application/json", 400),
    ({"live": True}, "application/json", 400),
    ({"live": "yes", "query": "territory=ITA"}, "application/json", 400),
    ({"live": True, "query": ["territory=ITA"]}, "application/json", 400),
    ([1, 2, 3], "application/json", 400),
    ("{not json", "application/json", 400),
    ("live=1&query=territory%3DITA", "application/x-www-form-urlencoded", 400),  # what a form on another site sends
    ({"live": True, "query": "q=" + "x" * 20_000}, "application/json", 413),
])
def test_garbage_publishes_move_nothing(app, body, content_type, status):
    client = app.server.test_client()
    code, _secret = present(app, client)
    publish(client, {"live": True, "query": "territory=MTQ"})
    before = room_state(app, code)
    answer = publish(client, body, content_type)
    assert answer.status_code == status and answer.json["error"]
    assert room_state(app, code) == before


def test_too_many_publishes_are_refused(app):
    client = app.server.test_client()
    code, _secret = present(app, client)
    # every change differs from the one before, whichever of them the limit refuses
    statuses = [publish(client, {"live": True, "query": f"territory=MTQ&q=step{i}"}).status_code
                for i in range(2 * int(follow.BURST))]
    assert statuses.count(429) > 0 and set(statuses) == {200, 429}
    assert room_state(app, code).version == statuses.count(200)  # a refused change moved nothing


@pytest.mark.parametrize("path", ["ABC2345", "abc2345", "<script>", "x" * 5000, "", "ABC2345/../..", "%00"])
def test_unknown_or_garbage_rooms_answer_unknown(app, path):
    answer = app.server.test_client().get(follow.POLL_PREFIX + path)
    assert answer.status_code == 200 and answer.json == {"status": "unknown", "message": follow.UNKNOWN_MESSAGE}
    assert answer.headers["Content-Type"] == "application/json" and answer.headers["ETag"] == '"unknown"'


@pytest.mark.parametrize("search", ["?room=%3Cscript%3E", "?room=" + "Z" * 5000, "?room=ABC2345&territory=MTQ",
                                    "?room=&room=x"])
def test_a_page_with_a_bad_room_is_the_normal_view(app, search):
    client = app.server.test_client()
    page = client.get("/" + search)
    assert page.status_code == 200 and "<script>alert" not in page.get_data(as_text=True)
    _answer, text = open_page(app, client, search)
    assert "follow-status" in text and "data-text-unknown" in text and "data-text-invalid" in text
    assert client.get_cookie(follow.COOKIE) is None


def test_a_cached_poll_reads_no_store(app, monkeypatch):
    client = app.server.test_client()
    code, _secret = present(app, client)
    publish(client, {"live": True, "query": "territory=MTQ"})
    etag = poll(client, code).headers["ETag"]
    store = app.server.config[follow.STORE_KEY]
    reads = []
    monkeypatch.setattr(store, "get", lambda c, _get=store.get: reads.append(c) or _get(c))
    assert [poll(client, code, etag).status_code for _ in range(20)] == [304] * 20
    assert len(reads) <= 1  # at most once, when the copy of half a second ran out
