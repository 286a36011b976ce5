"""A follower's stream (dashboard/stream.py), served by waitress as `bin/run` serves: each change of the
room reaches every open stream within 2 s, whether it was published in this process or by another one
sharing the store (SQLite, and a real Redis server); a full server says "poll"; bad requests get a clear
answer, never a 5xx."""
from __future__ import annotations

import json
import os
import socket
import threading
import time

import pytest

from helpers import free_port

FOLLOW_SECONDS = 2  # the promise: a change on the phone within 2 s of the presenter's page


@pytest.fixture(scope="module", params=["sqlite", "redis"])
def served(request, tmp_path_factory):
    """The Atlas under waitress with the production settings, its rooms in the store of the param; the
    app, the port and a second store on the same rooms, as another worker process would have it."""
    import waitress

    from dashboard import follow, rooms
    from dashboard.__main__ import WAITRESS
    from dashboard.app import create_app

    with pytest.MonkeyPatch.context() as patch:
        if request.param == "redis":
            patch.setenv(rooms.REDIS_URL_ENV, request.getfixturevalue("redis_url"))
        else:
            patch.setenv(rooms.REDIS_URL_ENV, "")
            patch.setenv(rooms.ROOM_DIR_ENV, str(tmp_path_factory.mktemp("rooms")))
        app = create_app()
        other = rooms.from_environment()
    base = int(os.environ.get("ATLAS_TEST_PORT_BASE", "8050"))
    port = free_port(base + 80, base + 89)
    server = waitress.create_server(app.server, host="127.0.0.1", port=port, **WAITRESS)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield app, port, other, app.server.config[follow.STORE_KEY]
    # every stream ends while waitress still runs (its threads write nothing once it is closed)
    hub = app.server.wsgi_app.hub
    hub.stop()
    deadline = time.monotonic() + 5
    while hub.open and time.monotonic() < deadline:
        time.sleep(0.05)
    assert hub.open == 0, "streams still open after the hub stopped"
    server.close()
    server.task_dispatcher.shutdown()
    thread.join(timeout=5)


class Reader:
    """One stream, read off a raw socket as EventSource reads it: its status line and its events."""

    def __init__(self, port: int, path: str, headers: dict[str, str] | None = None) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        extra = "".join(f"{name}: {value}\r\n" for name, value in (headers or {}).items())
        self.sock.sendall(f"GET {path} HTTP/1.1\r\nHost: atlas\r\nAccept: text/event-stream\r\n{extra}\r\n".encode())
        self.buffer = b""
        head = self._until(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        self.status = int(lines[0].split()[1])
        self.headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:] if line)}
        self.chunked = self.headers.get("transfer-encoding") == "chunked"
        self.text = ""  # the body, de-chunked, not yet parsed

    def _until(self, mark: bytes) -> bytes:
        while mark not in self.buffer:
            data = self.sock.recv(65536)
            if not data:
                raise EOFError
            self.buffer += data
        found, self.buffer = self.buffer.split(mark, 1)
        return found

    def body(self) -> str:
        """The whole body of an answer that ends (not a stream)."""
        length = int(self.headers.get("content-length", "0"))
        while len(self.buffer) < length:
            self.buffer += self.sock.recv(65536)
        return self.buffer[:length].decode()

    def _more(self) -> None:
        if self.chunked:
            size = int(self._until(b"\r\n"), 16)
            if size == 0:
                raise EOFError
            while len(self.buffer) < size + 2:
                data = self.sock.recv(65536)
                if not data:
                    raise EOFError
                self.buffer += data
            self.text += self.buffer[:size].decode()
            self.buffer = self.buffer[size + 2:]
        elif self.buffer is not None:  # an answer of known length: all of it, then its end
            self.text += self.body()
            self.buffer = None
        else:
            raise EOFError

    def block(self, timeout: float = 5.0) -> dict[str, str] | None:
        """The next block (event or comment) as its fields; None when the stream ended; TimeoutError when
        none came within `timeout` seconds."""
        self.sock.settimeout(timeout)
        try:
            while "\n\n" not in self.text:
                self._more()
        except EOFError:
            return None
        block, self.text = self.text.split("\n\n", 1)
        fields: dict[str, str] = {}
        for line in block.split("\n"):
            name, _, value = line.partition(":")
            fields[name] = value.removeprefix(" ")
        return fields

    def event(self, timeout: float = 5.0) -> dict[str, str] | None:
        """The next event with data, past retry fields and heartbeats."""
        while (block := self.block(timeout)) is not None:
            if "data" in block:
                return block
        return None

    def close(self) -> None:
        self.sock.close()


def _poll(port: int, code: str) -> tuple[str, dict]:
    reader = Reader(port, f"/follow/room/{code}")
    etag, answer = reader.headers["etag"], json.loads(reader.body())
    reader.close()
    return etag, answer


def test_every_stream_has_each_change_within_2_s(served):
    from dashboard import follow, stream

    app, port, other, store = served
    code, secret = store.create()
    store.publish(code, secret, "territory=MTQ", True)
    phones = [Reader(port, stream.STREAM_PREFIX + code) for _ in range(3)]
    etag, polled = _poll(port, code)
    for phone in phones:
        assert phone.status == 200 and phone.headers["content-type"].startswith("text/event-stream")
        assert phone.headers["cache-control"] == "no-store" and phone.headers["x-accel-buffering"] == "no"
        assert phone.block()["retry"] == str(stream.RETRY_MS)
        first = phone.event(1)  # at once, as the poll answers it, with the poll's ETag as its id
        assert (first["id"], json.loads(first["data"])) == (etag, polled)
        assert polled == {"status": "live", "query": "territory=MTQ", "version": 1}

    # published by another worker process (its own connection to the store): the watcher finds it
    published = time.monotonic()
    other.publish(code, secret, "territory=ITA", True)
    late = []
    for phone in phones:
        moved = phone.event(FOLLOW_SECONDS)
        late.append(time.monotonic() - published)
        assert moved and json.loads(moved["data"]) == {"status": "live", "query": "territory=ITA", "version": 2}
        assert moved["id"] == f'"{code}.2.1"'  # as the poll's ETag will be (its copy may still be the last one)
    assert max(late) < FOLLOW_SECONDS
    print(f"another process's publish on the streams after {max(late) * 1000:.0f} ms")

    # published here: the streams wake at once
    presenter = app.server.test_client()
    presenter.set_cookie(follow.COOKIE, f"{code}:{secret}")
    published = time.monotonic()
    assert presenter.post(follow.PUBLISH_PATH, json={"live": False}).status_code == 200
    for phone in phones:
        ended = phone.event(FOLLOW_SECONDS)
        assert json.loads(ended["data"]) == {"status": "ended", "query": "territory=ITA", "version": 3}
    assert time.monotonic() - published < FOLLOW_SECONDS
    print(f"this process's publish on the streams after {(time.monotonic() - published) * 1000:.0f} ms")

    # a browser opening the stream again names the last event's id: the unchanged room is not sent again
    again = Reader(port, stream.STREAM_PREFIX + code, {"Last-Event-ID": ended["id"]})
    assert again.block()["retry"] == str(stream.RETRY_MS)
    with pytest.raises(TimeoutError):
        again.event(0.5)
    for phone in [*phones, again]:
        phone.close()


def test_a_full_server_says_poll_and_streams_end(served):
    from dashboard import stream

    app, port, _other, store = served
    hub = app.server.wsgi_app.hub
    code, secret = store.create()
    store.publish(code, secret, "territory=MTQ", True)
    slots, lifetime = hub.slots, hub.lifetime
    hub.slots, hub.lifetime = hub.open + 2, 1.0
    try:
        phones = [Reader(port, stream.STREAM_PREFIX + code) for _ in range(2)]
        assert all(phone.event(1) for phone in phones)
        refused = Reader(port, stream.STREAM_PREFIX + code)  # no slot left: poll instead, at once
        assert refused.status == 200 and refused.event(1) == {"retry": str(stream.RETRY_MS), "event": "poll",
                                                              "data": '{"poll":true}'}
        assert refused.block(1) is None, "the refused stream should end"
        started = time.monotonic()
        assert [phone.event(3) for phone in phones] == [None, None], "the streams should end after their lifetime"
        assert time.monotonic() - started < 2
        later = Reader(port, stream.STREAM_PREFIX + code)  # their slots came back
        assert json.loads(later.event(1)["data"])["query"] == "territory=MTQ"
        for phone in [*phones, refused, later]:
            phone.close()
    finally:
        hub.slots, hub.lifetime = slots, lifetime


@pytest.mark.parametrize("path, headers, status, expected", [
    ("ABC2345", {}, 200, '"status":"unknown"'),  # a room code no room has: said in the stream, which ends
    ("abc2345", {}, 200, '"status":"unknown"'),
    ("%3Cscript%3E", {}, 400, "not a room code"),
    ("x" * 5000, {}, 400, "not a room code"),
    ("", {}, 400, "not a room code"),
    ("ABC2345/../..", {}, 400, "not a room code"),
    ("%00", {}, 400, "not a room code"),
    ("ABC2345", {"Last-Event-ID": "<script>" * 50}, 200, '"status":"unknown"'),
    ("ROOM", {"Last-Event-ID": "garbage"}, 200, '"status":"live"'),  # an id it never sent: the room, whole
    ("ROOM", {"Last-Event-ID": "x" * 3000}, 200, '"status":"live"'),
])
def test_bad_stream_requests_get_a_clear_answer(served, path, headers, status, expected):
    from dashboard import stream

    _app, port, _other, store = served
    if path == "ROOM":
        code, secret = store.create()
        store.publish(code, secret, "territory=MTQ", True)
        path = code
    reader = Reader(port, stream.STREAM_PREFIX + path, headers)
    assert reader.status == status
    if status == 200:
        got = reader.event(1)
        assert got and expected in got["data"]
        if "unknown" in expected:
            assert reader.block(1) is None, "a stream of no room should end"
    else:
        assert reader.headers["content-type"] == "application/json" and expected in json.loads(reader.body())["error"]
    reader.close()


def test_the_watcher_reads_several_rooms_at_once(served):
    from dashboard import rooms

    _app, _port, other, store = served
    (live, secret), (waiting, _) = store.create(), store.create()
    store.publish(live, secret, "territory=ITA", True)
    unknown = rooms.new_code()
    assert other.get_many([live, waiting, unknown]) == {
        live: rooms.Room(live, "territory=ITA", 1, True), waiting: rooms.Room(waiting, "", 0, False), unknown: None}


def test_a_stream_waits_while_the_store_is_unreachable():
    """A store that cannot be read (Redis down) is no news: the stream waits for the watcher, with a
    heartbeat now and then, instead of asking again at once (which would take a core per phone)."""
    from dashboard import stream

    class Down:
        def get(self, code):
            raise ConnectionError("the store is down")

        def get_many(self, codes):
            raise ConnectionError("the store is down")

    hub = stream.Hub(Down(), lifetime=1.0)
    chunks = []
    started = time.monotonic()
    try:
        for chunk in stream.Stream(hub, "ABCDEFG", ""):
            chunks.append(chunk)
            assert len(chunks) < 20, f"the stream asks again at once: {len(chunks)} chunks in {time.monotonic() - started:.2f} s"
    finally:
        hub.stop()
    assert chunks[0].startswith(b"retry:") and time.monotonic() - started >= 0.85
