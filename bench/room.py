"""The room: 200 phones open the page within a minute, against the laptop's server.

Each phone fetches what a first load fetches: the page, every script, stylesheet and icon its HTML
names, `/_dash-layout` and `/_dash-dependencies`, then whatever else Chromium fetched on a real first
load of the same server (the lazily loaded plotly bundle, fonts, base map, boundaries) and the callback
requests that load made (replayed with their real bodies). A phone opens 6 connections, as a browser
does: the page first, then the files in parallel, then the callbacks. Phones arrive at even intervals
over the window; each phone's first-load time runs from its arrival to its last byte.
"""
from __future__ import annotations

import http.client
import os
import statistics
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from . import browser, servers, wire
from .report import fact, figure, heading

CONNECTIONS_PER_PHONE = 6


@dataclass
class Plan:
    gets: list[str]                    # paths after the page itself
    posts: list[tuple[str, bytes]]     # callback paths and bodies


@dataclass
class Phone:
    seconds: float = 0.0
    requests: int = 0
    wire_bytes: int = 0
    errors: list[str] = field(default_factory=list)


def plan(driver, server: servers.Server, painted: str, capture=None) -> Plan:
    """What a first load of this server fetches, from its HTML and from a load in Chromium (`capture`,
    or a new one)."""
    with urllib.request.urlopen(server.url + "/", timeout=30) as response:
        html = response.read().decode("utf-8", errors="replace")
    gets = wire.page_links(server.url, html) + ["/_dash-layout", "/_dash-dependencies"]
    if capture is None:
        _, capture = browser.load(driver, server.url, painted, timeout=60)
    posts = []
    for request in capture.requests.values():
        path = wire.path_of(request.url)
        if request.method == "GET" and path not in gets and path != "/":
            gets.append(path)
        elif request.method == "POST" and request.post_data is not None:
            posts.append((path, request.post_data.encode()))
    return Plan(gets, posts)


def first_load(base: str, plan: Plan) -> Phone:
    phone, start = Phone(), time.perf_counter()
    lock = threading.Lock()

    def fetch(client: wire.Client, method: str, path: str, body: bytes | None = None) -> None:
        headers = {"Content-Type": "application/json"} if body is not None else None
        try:
            answer = client.request(method, path, body, headers)
            error = f"{answer.status} {path}" if answer.status >= 400 else None
            size = answer.wire_bytes
        except (OSError, http.client.HTTPException) as exc:
            error, size = f"{type(exc).__name__} {path}", 0
        with lock:
            phone.requests += 1
            phone.wire_bytes += size
            if error:
                phone.errors.append(error)

    def connection(items: list[tuple[str, str, bytes | None]]) -> None:
        client = wire.Client(base)
        try:
            for method, path, body in items:
                fetch(client, method, path, body)
        finally:
            client.close()

    def in_parallel(items: list[tuple[str, str, bytes | None]]) -> None:
        shares = [items[k::CONNECTIONS_PER_PHONE] for k in range(CONNECTIONS_PER_PHONE)]
        with ThreadPoolExecutor(CONNECTIONS_PER_PHONE) as pool:
            list(pool.map(connection, [share for share in shares if share]))

    connection([("GET", "/", None)])
    in_parallel([("GET", path, None) for path in plan.gets])
    in_parallel([("POST", path, body) for path, body in plan.posts])
    phone.seconds = time.perf_counter() - start
    return phone


@dataclass
class Result:
    phones: list[Phone]
    wall: float
    cpu: float
    client_cpu: float

    @property
    def times(self) -> list[float]:
        return sorted(p.seconds for p in self.phones)

    def percentile(self, q: float) -> float:
        times = self.times
        return times[min(len(times) - 1, round(q * (len(times) - 1)))]


def crowd(server: servers.Server, plan: Plan, phones: int, window: float) -> Result:
    first_load(server.url, plan)  # warm caches, as the presenter's own first look would
    results: list[Phone] = [Phone() for _ in range(phones)]
    cpu0, client0, start = server.cpu_seconds(), _own_cpu(), time.perf_counter()

    def arrive(i: int) -> None:
        delay = start + i * window / phones - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        results[i] = first_load(server.url, plan)

    threads = [threading.Thread(target=arrive, args=(i,), daemon=True) for i in range(phones)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    return Result(results, wall, server.cpu_seconds() - cpu0, _own_cpu() - client0)


def _own_cpu() -> float:
    """This process's CPU (the phones'), which shares the machine with the server."""
    times = os.times()
    return times.user + times.system


def run(driver, atlas_server: servers.Server, floor_server: servers.Server, loads, phones: int, window: float) -> None:
    """The room against both servers; `loads` are their first page loads in Chromium, if already taken."""
    heading(f"room: {phones} phones' first loads arriving evenly over {window:g} s "
            f"({CONNECTIONS_PER_PHONE} connections each, Accept-Encoding: {wire.PHONE_ENCODINGS})")
    atlas_plan = plan(driver, atlas_server, browser.WAIT_MAP_PAINTED, loads[0])
    floor_plan = plan(driver, floor_server, browser.WAIT_FLOOR_PAINTED, loads[1])
    atlas = crowd(atlas_server, atlas_plan, phones, window)
    floor = crowd(floor_server, floor_plan, phones, window)
    fact("room: server command (bin/run)", servers.run_line())
    fact("room: requests per phone", f"{1 + len(atlas_plan.gets) + len(atlas_plan.posts)} "
                                     f"(floor {1 + len(floor_plan.gets) + len(floor_plan.posts)})")
    errors = sum(len(p.errors) for p in atlas.phones)
    sample = next((p.errors[0] for p in atlas.phones if p.errors), "")
    fact("room: errors (budget 0)", f"{errors}  (floor {sum(len(p.errors) for p in floor.phones)}) {sample}")
    figure("room: first load p50", atlas.percentile(0.5) * 1000, "ms", floor=floor.percentile(0.5) * 1000)
    figure("room: first load p95", atlas.percentile(0.95) * 1000, "ms", floor=floor.percentile(0.95) * 1000)
    figure("room: requests per second", sum(p.requests for p in atlas.phones) / atlas.wall, "r/s",
           floor=sum(p.requests for p in floor.phones) / floor.wall)
    figure("room: server CPU, % of one core", atlas.cpu / atlas.wall * 100, "%", floor=floor.cpu / floor.wall * 100)
    figure("room: the phones' own CPU (this process), % of one core", atlas.client_cpu / atlas.wall * 100, "%",
           floor=floor.client_cpu / floor.wall * 100)
    figure("room: wall time for every phone", atlas.wall, "s", floor=floor.wall, budget=window + 5)
    figure("room: wire bytes per phone", statistics.mean(p.wire_bytes for p in atlas.phones) / 1024, "KB",
           floor=statistics.mean(p.wire_bytes for p in floor.phones) / 1024)
