"""Followers' answers, and the stream that brings each change of a room to the phones that follow it.

`GET /follow/stream/<code>` (server-sent events, what assets/atlas/follow.js opens with EventSource) is
answered before Flask and Dash see the request, as the poll is (dashboard/follow.py). It sends the room as
the poll answers it (`{"status", "query", "version"}`, with the poll's ETag as the event's `id:`) at
once, unless the browser's `Last-Event-ID` names that very state, then one event per change. A comment
every HEARTBEAT_SECONDS keeps proxies from closing a quiet stream and tells a gone phone from a present
one; each stream ends after about STREAM_SECONDS, and the browser opens it again on its own `retry:`
delay with `Last-Event-ID`, so no request is unbounded.

No phone asks the store anything: one watcher thread per process reads the rooms that have open
streams in this process, at most every WATCH_SECONDS, in one read (the worker processes of one machine
share SQLite, several machines share Redis), and wakes the streams of a room that changed; a publish
in this process wakes them at once. Waitress gives each open stream a thread of its own: at most
STREAM_SLOTS streams are open at a time, so that pages and callbacks always keep their threads; past
that, the stream answers an event `poll` and ends, and the phone polls instead. Pages and callbacks
still run at most NORMAL_THREADS at a time, the others waiting their turn, as they did when waitress
had that many threads in all.
"""
from __future__ import annotations

import json
import random
import threading
import time

from . import rooms

STREAM_PREFIX = "/follow/stream/"
STREAM_SLOTS = 250  # open streams per process (dashboard/__main__.py gives waitress this many threads more)
NORMAL_THREADS = 8  # pages, callbacks and files answered at a time, per process
WATCH_SECONDS = 0.25  # between the watcher's reads of the store: a change in another process, at most this late
HEARTBEAT_SECONDS = 15.0
STREAM_SECONDS = 300.0  # a stream's lifetime, less up to a tenth at random so that a room's phones spread out
RETRY_MS = 1000  # how long the browser waits before opening an ended stream again
UNKNOWN_MESSAGE = "No room has this code, or it has expired."
UNAVAILABLE = ('"unavailable"', b'{"status":"unavailable"}')  # the store is unreachable: phones keep their view
UNKNOWN_TAG = '"unknown"'


def status_of(room: rooms.Room | None) -> str:
    if room is None:
        return "unknown"
    if room.live:
        return "live"
    return "ended" if room.version else "waiting"


def answer(room: rooms.Room | None, code: str) -> tuple[str, bytes]:
    """A follower's answer about the room: its ETag (also the event's id) and its JSON."""
    if room is None:
        tag, body = UNKNOWN_TAG, {"status": "unknown", "message": UNKNOWN_MESSAGE}
    else:
        tag = f'"{code}.{room.version}.{int(room.live)}"'
        body = {"status": status_of(room), "query": room.query, "version": room.version}
    return tag, json.dumps(body, separators=(",", ":")).encode()


def event(tag: str, body: bytes) -> bytes:
    return b"id: " + tag.encode() + b"\ndata: " + body + b"\n\n"


class Watched:
    """A room with open streams in this process: its latest answer and the streams waiting for the next."""

    __slots__ = ("changed", "tag", "body", "version", "streams")

    def __init__(self, lock: threading.Lock) -> None:
        self.changed = threading.Condition(lock)
        self.tag, self.body = UNAVAILABLE
        self.version = -1
        self.streams = 0


class Hub:
    """The open streams of this process, by room, and the one thread that watches their rooms."""

    HEADERS = [("Content-Type", "text/event-stream; charset=utf-8"), ("Cache-Control", "no-store"),
               ("X-Accel-Buffering", "no"), ("X-Content-Type-Options", "nosniff"),
               ("Content-Security-Policy", "default-src 'none'"), ("Referrer-Policy", "same-origin")]
    REFUSED = [("Content-Type", "application/json"), ("Cache-Control", "no-store"),
               ("X-Content-Type-Options", "nosniff"), ("Content-Security-Policy", "default-src 'none'")]

    def __init__(self, store, slots: int = STREAM_SLOTS, lifetime: float = STREAM_SECONDS) -> None:
        self.store, self.lifetime = store, lifetime
        self.lock = threading.Lock()
        self.rooms: dict[str, Watched] = {}
        self.someone = threading.Condition(self.lock)  # the watcher sleeps on it while no stream is open
        self.slots, self.open = slots, 0  # streams at most, and open now
        self.watcher: threading.Thread | None = None
        self.normal = threading.BoundedSemaphore(NORMAL_THREADS)  # what follow.Poll lets through to Flask
        self.stopped = False

    def __call__(self, environ, start_response, raw_code: str):
        """The WSGI answer to GET or HEAD /follow/stream/<raw_code>."""
        code = rooms.normal_code(raw_code)
        if code is None:
            body = json.dumps({"error": "This is not a room code: seven letters and digits."}).encode()
            start_response("400 Bad Request", self.REFUSED + [("Content-Length", str(len(body)))])
            return [body]
        if environ.get("REQUEST_METHOD") == "HEAD":
            start_response("200 OK", self.HEADERS)
            return []
        with self.lock:
            full = self.open >= self.slots
            self.open += not full
        if full:  # every stream slot taken: the phone polls instead
            start_response("200 OK", self.HEADERS)
            return [b"retry: %d\nevent: poll\ndata: {\"poll\":true}\n\n" % RETRY_MS]
        last = environ.get("HTTP_LAST_EVENT_ID", "")[:100]
        start_response("200 OK", self.HEADERS)
        return Stream(self, code, last)

    # --- rooms and their streams ---

    def join(self, stream: Stream) -> Watched:
        code = stream.code
        with self.lock:
            watched = self.rooms.get(code) or Watched(self.lock)
            if not stream.closed:  # (a stream closed before it began takes no place)
                self.rooms[code] = watched
                stream.joined = True
                watched.streams += 1
            fresh = watched.version < 0
            self.someone.notify()
            if self.watcher is None:
                self.watcher = threading.Thread(target=self._watch, name="atlas-follow-watcher", daemon=True)
                self.watcher.start()
        if fresh:  # the first stream of the room here: read it now rather than at the watcher's next turn
            try:
                self.update(code, self.store.get(code))
            except Exception:  # noqa: BLE001  (the store is unreachable: the watcher tries again)
                pass
        return watched

    def stop(self) -> None:
        """End every open stream now (before the server stops): each phone opens its stream again."""
        with self.lock:
            self.stopped = True
            for watched in self.rooms.values():
                watched.changed.notify_all()

    def leave(self, stream: Stream) -> None:
        """The stream's slot back, and its place in its room: once, whichever thread ends it first."""
        with self.lock:
            if stream.closed:
                return
            stream.closed = True
            self.open -= 1
            watched = self.rooms.get(stream.code) if stream.joined else None
            if watched is not None:
                watched.streams -= 1
                if watched.streams <= 0:
                    del self.rooms[stream.code]

    def update(self, code: str, room: rooms.Room | None) -> None:
        """The room as read or published: its streams wake if it changed (never back to an older version)."""
        with self.lock:
            watched = self.rooms.get(code)
            if watched is None or (room is not None and room.version < watched.version):
                return
            tag, body = answer(room, code)
            if tag != watched.tag:
                watched.tag, watched.body = tag, body
                watched.version = room.version if room is not None else 1 << 62
                watched.changed.notify_all()

    def latest(self, code: str, watched: Watched, sent: str | None, timeout: float) -> tuple[str, bytes] | None:
        """The room's answer once it differs from `sent` (None after `timeout` seconds without a change)."""
        with self.lock:
            # an unreachable store is no news either: wait for the watcher to read the room again
            if watched.tag in (sent, UNAVAILABLE[0]) and self.rooms.get(code) is watched:
                watched.changed.wait(timeout)
            return None if watched.tag == sent or watched.tag == UNAVAILABLE[0] else (watched.tag, watched.body)

    def _watch(self) -> None:
        """Read the watched rooms every WATCH_SECONDS, in one read; sleep while there are none."""
        try:
            while True:
                with self.lock:
                    while not self.rooms:
                        self.someone.wait()
                    codes = list(self.rooms)
                try:
                    found = self.store.get_many(codes)
                except Exception:  # noqa: BLE001  (the store is unreachable for now: the streams wait)
                    found = {}
                for code, room in found.items():
                    self.update(code, room)
                time.sleep(WATCH_SECONDS)
        except SystemExit:  # a server that stops its threads (as Dash's test runner does): the next stream starts another
            with self.lock:
                self.watcher = None


class Stream:
    """One phone's stream, as waitress iterates it in the thread it gives the request. Its slot and its
    place in the room go back when waitress closes it, whether it ended, the phone left or it never began."""

    def __init__(self, hub: Hub, code: str, last: str) -> None:
        self.hub, self.code, self.last = hub, code, last
        self.joined = self.closed = False

    def __iter__(self):
        hub, code = self.hub, self.code
        watched = hub.join(self)
        try:
            yield b"retry: %d\n\n" % RETRY_MS
            sent = self.last or None
            end = time.monotonic() + hub.lifetime * random.uniform(0.9, 1.0)
            timeout = 0.0  # the room's state at once, unless the phone has it
            while True:
                news = hub.latest(code, watched, sent, timeout)
                if news is not None:
                    sent = news[0]
                    yield event(*news)
                    if sent == UNKNOWN_TAG:
                        return  # no such room: the phone says so, and stops
                elif timeout:
                    yield b": \n\n"  # a heartbeat: a phone that left shows here, as the write fails
                left = end - time.monotonic()
                if left <= 0 or hub.stopped:
                    return
                timeout = min(HEARTBEAT_SECONDS, left)
        except SystemExit:  # a server that stops its threads: the stream ends, as it would at its lifetime
            return
        finally:
            self.close()

    def close(self) -> None:
        self.hub.leave(self)
