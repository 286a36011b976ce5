"""Following the presenter live: the presenter's room, its follow link, and the two HTTP routes.

When presenter mode starts, the server makes a room (dashboard/rooms.py) and gives the presenter's
browser its secret in an HttpOnly, SameSite=Strict cookie: scripts on the page cannot read it, other
sites cannot send it, it never appears in a URL, a QR code or the page, and it survives a reload.
The QR code and the short link carry the room's code only.

- `POST /follow/publish` (the presenter's browser, with the cookie): the view on screen, or that the
  presentation ended. Its body is small JSON; too many changes per second are refused (429).
- `GET /follow/stream/<code>` (every follower, once): the room's view, version and state at once, then
  each change, as server-sent events (dashboard/stream.py).
- `GET /follow/room/<code>?seen=<ETag>` (a follower whose stream was refused or failed, every
  POLL_SECONDS): the same answer, with an ETag; while the room still has the ETag the follower names,
  an empty 200. It is answered before Flask and Dash see the request, from an in-process copy that is
  at most POLL_CACHE_SECONDS old, so an unchanged room costs no store read. The empty 200 (with its
  Content-Length) keeps the phone's connection open: waitress closes the connection after every 304,
  and a follower would then connect anew each time. `If-None-Match` gets the standard 304 too.
"""
from __future__ import annotations

import json
import threading
import time
from urllib.parse import unquote

import flask
from dash import html

from . import guard, rooms
from .i18n import N_, translations
from .state import ViewState, Vocabulary, parse_query, tour_entry
from .stream import STREAM_PREFIX, UNAVAILABLE, UNKNOWN_MESSAGE, Hub, answer, status_of

COOKIE = "atlas_presenter"
STORE_KEY = "ATLAS_ROOMS"
PUBLISH_PATH = "/follow/publish"
POLL_PREFIX = "/follow/room/"
MAX_PUBLISH_BODY = 16_000  # bytes: a view query and a flag
POLL_CACHE_SECONDS = 0.25  # how stale a follower's answer may be, at most, besides its own poll interval
POLL_SECONDS = 1.5  # between a follower's polls (assets/atlas/follow.js): with the copy's age and a round trip, < 2 s
RATE = 10.0  # publishes per second a room may sustain...
BURST = 30.0  # ...after a burst of this many (a presenter holding → down)

# What the follow bar says, by the state follow.js is in; the page's language is read on the server.
STATUS_TEXT = {
    "following": N_("Following the presenter."),
    "stopped": N_("You stopped following the presenter."),
    "ended": N_("The presentation has ended: this is its last view."),
    "unknown": N_("This room code is unknown or has expired: following is off."),
    "invalid": N_("This link's room code is not valid: following is off."),
}


def install(app, vocab: Vocabulary) -> None:
    """The routes, the poll's fast path and the presenter's publishing (assets/atlas/follow.js)."""
    server = app.server
    store = server.config.get(STORE_KEY) or rooms.from_environment()
    server.config[STORE_KEY] = store
    hub = Hub(store)
    poll = Poll(server.wsgi_app, store, hub)
    server.wsgi_app = poll
    limiter = Limiter()

    @server.post(PUBLISH_PATH)
    def publish():
        def refuse(message: str, status: int):
            return flask.jsonify(error=message), status

        try:  # refused unread when its length says it is too long, or as soon as too much has come
            data = guard.read_body(flask.request, MAX_PUBLISH_BODY)
        except guard.Refused as refused:
            return refuse(refused.message, refused.status)
        if flask.request.mimetype != "application/json":
            return refuse("Send the view as application/json.", 400)
        held = held_room(flask.request.cookies.get(COOKIE))
        if held is None:
            return refuse("This browser holds no presenter's room.", 403)
        try:
            body = json.loads(data)
        except (ValueError, RecursionError):
            body = None
        live = body.get("live") if isinstance(body, dict) else None
        query = body.get("query") if isinstance(body, dict) else None
        if not isinstance(live, bool) or (live and not isinstance(query, str)) or \
                (query is not None and not isinstance(query, str)):
            return refuse('Expected {"live": true, "query": "<the view>"} or {"live": false}.', 400)
        view = None
        if isinstance(query, str):
            parsed = parse_query(query, vocab)
            if parsed.invalid:
                return refuse("The view names parameters that are not valid: " + ", ".join(sorted(parsed.invalid)), 400)
            view = published_view(parsed.state)
        code, secret = held
        if not limiter.allow(code):
            return refuse("Too many changes: at most %d a second." % RATE, 429)
        try:
            room = store.publish(code, secret, view, live)
        except rooms.RoomError as error:
            return refuse(UNKNOWN_MESSAGE if error.reason == "unknown" else "This is not the room's secret.",
                          404 if error.reason == "unknown" else 403)
        poll.forget(code)
        hub.update(code, room)  # this process's streams of the room, at once; the others' within WATCH_SECONDS
        return flask.jsonify(status=status_of(room), version=room.version)


def published_view(state: ViewState) -> str:
    """What followers get: the view only (no language, presenter mode or tour), as a tour step holds it."""
    return tour_entry(state)


def held_room(cookie) -> tuple[str, str] | None:
    """The room code and secret in the presenter's cookie, if it has that shape."""
    if not isinstance(cookie, str) or len(cookie) > 200 or ":" not in cookie:
        return None
    code, secret = cookie.split(":", 1)
    code = rooms.normal_code(code)
    return (code, secret) if code and secret else None


def presenter_room() -> str | None:
    """The room of the presenter's browser making this request: its own if the cookie holds a live
    room's secret, else a new one whose secret goes back in the cookie. None outside a request."""
    if not flask.has_request_context():
        return None
    if "atlas_room" in flask.g:
        return flask.g.atlas_room
    store = flask.current_app.config.get(STORE_KEY)
    if store is None:
        return None
    held = held_room(flask.request.cookies.get(COOKIE))
    if held and store.holds(*held):
        code = held[0]
    else:
        code, secret = store.create()

        @flask.after_this_request
        def give_secret(response):
            response.set_cookie(COOKIE, f"{code}:{secret}", max_age=int(rooms.ROOM_TTL), httponly=True,
                                samesite="Strict", secure=flask.request.is_secure, path="/")
            return response
    flask.g.atlas_room = code
    return code


def share_urls(state: ViewState, url: str, base: str) -> tuple[str, str | None]:
    """The link of the QR code and the short link under it: in presenter mode, with the room's code."""
    code = presenter_room() if state.present else None
    if not code:
        return url, None
    return url + ("&" if "?" in url else "?") + f"room={code}", f"{base}?room={code}"


def follow_bar(lang: str) -> html.Div:
    """Whether this phone follows the presenter, and the button that follows again. Hidden unless the
    page was opened with a room code; assets/atlas/follow.js shows it and picks the text."""
    _ = translations(lang).gettext
    texts = {f"data-text-{state}": _(text) for state, text in STATUS_TEXT.items()}
    return html.Div(id="follow-bar", className="follow-bar", hidden=True, **texts, children=[
        html.P(id="follow-status", className="follow-status mb-0", role="status",
               **{"data-following": "false", "aria-live": "polite"}),
        html.Button(_("Follow the presenter"), id="follow-again", type="button", hidden=True,
                    className="btn btn-sm btn-primary follow-again"),
    ])


class Limiter:
    """A token bucket per room, in this process."""

    def __init__(self) -> None:
        self.buckets: dict[str, tuple[float, float]] = {}
        self.lock = threading.Lock()

    def allow(self, code: str) -> bool:
        now = time.monotonic()
        with self.lock:
            tokens, then = self.buckets.get(code, (BURST, now))
            tokens = min(BURST, tokens + (now - then) * RATE)
            if len(self.buckets) > 10_000:
                self.buckets.clear()
            if tokens < 1:
                self.buckets[code] = (tokens, now)
                return False
            self.buckets[code] = (tokens - 1, now)
            return True


def seen_tag(query: str) -> str | None:
    """The ETag a follower's poll names in `seen=` (the room as the phone last had it), if any."""
    for part in query.split("&"):
        if part.startswith("seen="):
            return unquote(part[5:])[:100]
    return None


class Poll:
    """WSGI middleware answering a follower's GET /follow/room/<code> and /follow/stream/<code> before
    Flask: a poll reads an in-process copy and answers 304 when unchanged; a stream is the hub's."""

    HEADERS = [("Content-Type", "application/json"), ("Cache-Control", "no-cache"),
               ("X-Content-Type-Options", "nosniff"), ("Content-Security-Policy", "default-src 'none'"),
               ("Referrer-Policy", "same-origin")]

    def __init__(self, app, store, hub: Hub) -> None:
        self.app, self.store, self.hub = app, store, hub
        self.cache: dict[str, tuple[float, str, bytes]] = {}
        self.unknown = self._entry(None, "", 0.0)

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if not path.startswith((POLL_PREFIX, STREAM_PREFIX)) or \
                environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            with self.hub.normal:  # a few at a time, however many threads the streams have
                return self.app(environ, start_response)
        if path.startswith(STREAM_PREFIX):
            return self.hub(environ, start_response, path[len(STREAM_PREFIX):])
        code = rooms.normal_code(path[len(POLL_PREFIX):])
        _, etag, body = self.lookup(code) if code else self.unknown
        headers = self.HEADERS + [("ETag", etag)]
        if seen_tag(environ.get("QUERY_STRING", "")) == etag:
            body = b""  # unchanged: an empty answer that keeps the connection open
        elif etag in environ.get("HTTP_IF_NONE_MATCH", ""):
            start_response("304 Not Modified", headers[1:])  # waitress then closes the connection
            return []
        start_response("200 OK", headers + [("Content-Length", str(len(body)))])
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [body]

    def lookup(self, code: str) -> tuple[float, str, bytes]:
        now = time.monotonic()
        entry = self.cache.get(code)
        if entry is None or entry[0] < now:
            try:
                entry = self._entry(self.store.get(code), code, now + POLL_CACHE_SECONDS)
            except Exception:  # the store is unreachable: followers keep their view and ask again
                entry = (now + POLL_CACHE_SECONDS, *UNAVAILABLE)
            if len(self.cache) > 10_000:
                self.cache.clear()
            self.cache[code] = entry
        return entry

    def forget(self, code: str) -> None:
        self.cache.pop(code, None)

    @staticmethod
    def _entry(room: rooms.Room | None, code: str, expires: float) -> tuple[float, str, bytes]:
        return (expires, *answer(room, code))
