"""Followers: 200 phones follow a presenter for about 30 s, against the README's run command.

The Atlas runs as `bin/run` runs it, with its rooms in a fresh folder (ATLAS_ROOM_DIR). A room is made in
that folder's store, as a presenter's page would make it, and the presenter publishes a new view every
few seconds through `POST /follow/publish` with the room's cookie. Each phone opens the room's stream,
`GET /follow/stream/<code>`, as assets/atlas/follow.js does with EventSource (phones start spread over
the first second), and reads its events. Reported: the server's CPU as a percentage of one core
(budget 10%), and how long after the presenter sent each change every phone had it (median, 95th
percentile, maximum; the promise is 2 s).

Then the fallback, for comparison: each phone keeps one connection open and asks
`GET /follow/room/<code>?seen=<ETag>` every POLL_SECONDS with the ETag of its last answer, as follow.js
does when the server has no stream for it; an unchanged room answers an empty 200. Its delay is the
next poll's: at most the poll interval plus the answer.
"""
from __future__ import annotations

import asyncio
import json
import statistics
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

from . import servers
from .report import fact, figure, heading

from dashboard.follow import POLL_SECONDS  # as follow.js
from dashboard.stream import STREAM_PREFIX
PUBLISH_EVERY = 3.0  # seconds between the presenter's changes
VIEWS = ("territory=MTQ", "territory=ITA", "territory=FRA", "territory=MEX", "territory=ARG", "territory=GUY")


async def _request(reader, writer, host: str, method: str, path: str, headers: dict[str, str] | None = None,
                   body: bytes = b"") -> tuple[int, dict[str, str], bytes]:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", "Connection: keep-alive"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    if body:
        lines.append(f"Content-Length: {len(body)}")
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    answer_headers = {}
    for line in header_lines:
        if ":" in line:
            name, value = line.split(":", 1)
            answer_headers[name.strip().lower()] = value.strip()
    length = int(answer_headers.get("content-length", "0"))
    data = await reader.readexactly(length) if length else b""
    return int(status_line.split()[1]), answer_headers, data


class Tally:
    def __init__(self) -> None:
        self.answers: dict[str, int] = {}
        self.errors: list[str] = []
        self.reconnects = 0
        self.seen: list[float] = []  # seconds from a publish to a phone's answer holding it
        self.arrivals: list[tuple[int, float]] = []  # streaming: (version, when a phone had it)
        self.streams = 0


async def _phone(url: str, code: str, stop: float, published: dict[int, float], tally: Tally, delay: float) -> None:
    parts = urlsplit(url)
    await asyncio.sleep(delay)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    etag = None
    try:
        while time.monotonic() < stop:
            started = time.monotonic()
            try:
                seen = f"?seen={quote(etag)}" if etag else ""
                status, headers, body = await _request(reader, writer, parts.netloc, "GET",
                                                       f"/follow/room/{code}{seen}")
            except (OSError, asyncio.IncompleteReadError) as error:
                tally.errors.append(type(error).__name__)
                writer.close()
                reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
                continue
            unchanged = status == 200 and not body
            key = "200 unchanged" if unchanged else str(status)
            tally.answers[key] = tally.answers.get(key, 0) + 1
            if headers.get("connection", "").lower() == "close":  # as a browser would, reconnect
                tally.reconnects += 1
                writer.close()
                reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
            if status == 200 and not unchanged:
                etag = headers.get("etag")
                version = json.loads(body).get("version")
                if version in published:
                    tally.seen.append(time.monotonic() - published[version])
            await asyncio.sleep(max(0.0, POLL_SECONDS - (time.monotonic() - started)))
    finally:
        writer.close()


async def _streamer(url: str, code: str, stop: float, tally: Tally, delay: float) -> None:
    """One phone's stream: its events as they come, on one connection (opened again, with the last
    event's id, if the server ends it)."""
    parts = urlsplit(url)
    await asyncio.sleep(delay)
    last = None
    while time.monotonic() < stop:
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        try:
            extra = f"Last-Event-ID: {last}\r\n" if last else ""
            writer.write(f"GET {STREAM_PREFIX}{code} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
                         f"Accept: text/event-stream\r\n{extra}\r\n".encode())
            head = await reader.readuntil(b"\r\n\r\n")
            status = head.split(b" ", 2)[1].decode()
            tally.answers[f"stream {status}"] = tally.answers.get(f"stream {status}", 0) + 1
            tally.streams += 1
            text = ""
            while True:
                remaining = stop - time.monotonic()
                if remaining <= 0:
                    return
                try:
                    size = int((await asyncio.wait_for(reader.readuntil(b"\r\n"), remaining)).strip(), 16)
                except asyncio.TimeoutError:
                    return
                if size == 0:
                    break  # the stream ended: open it again
                text += (await reader.readexactly(size + 2))[:-2].decode()
                while "\n\n" in text:
                    block, text = text.split("\n\n", 1)
                    fields = dict(line.partition(":")[::2] for line in block.split("\n"))
                    if fields.get("event", "").strip() == "poll":
                        tally.errors.append("no stream left: poll")
                        return
                    if "data" in fields:
                        at = time.monotonic()
                        last = fields.get("id", "").strip() or last
                        tally.arrivals.append((json.loads(fields["data"]).get("version"), at))
        except (OSError, asyncio.IncompleteReadError, ValueError) as error:
            tally.errors.append(type(error).__name__)
        finally:
            writer.close()


async def _presenter(url: str, cookie: str, stop: float, published: dict[int, float], tally: Tally) -> None:
    parts = urlsplit(url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    index = 0
    try:
        while time.monotonic() < stop - PUBLISH_EVERY:
            await asyncio.sleep(PUBLISH_EVERY)
            index += 1
            body = json.dumps({"live": True, "query": VIEWS[index % len(VIEWS)]}).encode()
            at = time.monotonic()
            published[-index] = at  # streams may have the change before the presenter has its answer
            status, _headers, answer = await _request(
                reader, writer, parts.netloc, "POST", "/follow/publish",
                {"Content-Type": "application/json", "Cookie": f"atlas_presenter={cookie}"}, body)
            if status != 200:
                tally.errors.append(f"publish {status}")
                continue
            published[json.loads(answer)["version"]] = published.pop(-index)
    finally:
        writer.close()


def measure(server: servers.Server, room_dir: Path, followers: int, seconds: float,
            streaming: bool) -> tuple[Tally, float, float]:
    """The tally, the server's CPU seconds and the wall seconds of one run."""
    from dashboard import rooms

    store = rooms.SqliteRooms(room_dir)
    code, secret = store.create()
    store.publish(code, secret, VIEWS[0], True)
    tally, published = Tally(), {}

    async def main() -> None:
        stop = time.monotonic() + seconds
        if streaming:
            phones = [_streamer(server.url, code, stop, tally, 1.0 * i / followers) for i in range(followers)]
        else:
            phones = [_phone(server.url, code, stop, published, tally, POLL_SECONDS * i / followers)
                      for i in range(followers)]
        await asyncio.gather(_presenter(server.url, f"{code}:{secret}", stop, published, tally), *phones)

    cpu0, wall0 = server.cpu_seconds(), time.perf_counter()
    asyncio.run(main())
    cpu, wall = server.cpu_seconds() - cpu0, time.perf_counter() - wall0
    # a phone's first event is the room as it was: only changes published during the run count
    tally.seen += [at - published[version] for version, at in tally.arrivals if version in published]
    return tally, cpu, wall


def run(followers: int = 200, seconds: float = 30.0) -> None:
    with tempfile.TemporaryDirectory(prefix="atlas-bench-rooms-") as folder:
        with servers.atlas(env={"ATLAS_ROOM_DIR": folder, "ATLAS_REDIS_URL": ""}) as server:
            time.sleep(5)  # the server compresses its bundles in the background as it starts: let it finish
            idle0, wall0 = server.cpu_seconds(), time.perf_counter()
            time.sleep(5)
            idle = (server.cpu_seconds() - idle0) / (time.perf_counter() - wall0) * 100
            heading(f"followers: {followers} phones stream a presenter's room for {seconds:g} s")
            _report("followers", followers, *measure(server, Path(folder), followers, seconds, True), idle)
            time.sleep(2)
            heading(f"followers, the fallback: {followers} phones poll every {POLL_SECONDS:g} s for {seconds:g} s")
            _report("polling followers", followers, *measure(server, Path(folder), followers, seconds, False), idle)


def _report(label: str, followers: int, tally: Tally, cpu: float, wall: float, idle: float) -> None:
    figure(f"{label}: server CPU, % of one core", cpu / wall * 100, "%", budget=10, note=f"(idle server: {idle:.1f}%)")
    if tally.streams:
        fact(f"{label}: streams opened", f"{tally.streams} for {followers} phones; "
             + ", ".join(f"{k}: {v}" for k, v in sorted(tally.answers.items())))
    else:
        polls = sum(tally.answers.values())
        fact(f"{label}: polls answered / per second", f"{polls} / {polls / wall:.0f}")
        fact(f"{label}: answers by status", ", ".join(f"{k}: {v}" for k, v in sorted(tally.answers.items()))
             + f"; connections closed by the server after an answer: {tally.reconnects}")
    if tally.seen:
        seen = sorted(tally.seen)
        fact(f"{label}: changes a phone had", f"{len(seen)} (of each publish, by every phone)")
        figure(f"{label}: publish to a phone having it, median", statistics.median(seen) * 1000, "ms")
        figure(f"{label}: publish to a phone having it, 95th percentile", seen[int(len(seen) * 0.95)] * 1000, "ms",
               budget=2000)
        figure(f"{label}: publish to a phone having it, maximum", seen[-1] * 1000, "ms", budget=2000)
    fact(f"{label}: errors", ", ".join(f"{e} × {tally.errors.count(e)}" for e in sorted(set(tally.errors))) or "none")
