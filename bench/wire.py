"""HTTP as a phone speaks it: timed requests over a kept-alive connection, bytes counted as sent."""
from __future__ import annotations

import http.client
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

PHONE_ENCODINGS = "gzip, deflate, br"
PHONE_HEADERS = {"Accept-Encoding": PHONE_ENCODINGS, "Accept-Language": "en-GB,en;q=0.9",
                 "User-Agent": "Mozilla/5.0 (Linux; Android 14) AtlasBench"}


@dataclass
class Answer:
    status: int
    seconds: float   # request sent to last byte read
    wire_bytes: int  # the body as sent (compressed when the server compressed it)
    encoding: str


class Client:
    """One kept-alive connection to a server, like one of a browser's."""

    def __init__(self, base: str, timeout: float = 60.0):
        parts = urlsplit(base)
        self.host, self.port, self.timeout = parts.hostname, parts.port, timeout
        self.connection: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> Answer:
        headers = {**PHONE_HEADERS, **(headers or {})}
        for attempt in (1, 2):  # a kept-alive connection the server closed is opened again, once
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            start = time.perf_counter()
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                if attempt == 2:
                    raise
                continue
            seconds = time.perf_counter() - start
            if response.will_close:
                self.close()
            return Answer(response.status, seconds, len(data), response.getheader("Content-Encoding", ""))
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


def median_ms(base: str, method: str, path: str, *, repeat: int, body: bytes | None = None,
              headers: dict | None = None) -> tuple[float, Answer]:
    """Median time of `repeat` identical requests after one warm-up, and the last answer."""
    client = Client(base)
    try:
        answer = client.request(method, path, body, headers)
        if answer.status >= 400:
            raise RuntimeError(f"{method} {path} answered {answer.status}")
        times = []
        for _ in range(repeat):
            answer = client.request(method, path, body, headers)
            times.append(answer.seconds * 1000)
        return statistics.median(times), answer
    finally:
        client.close()


Request = tuple[str, str, str, "bytes | None", "dict | None"]  # base, method, path, body, headers


class _Sides:
    """Each side's requests, each on a kept-alive connection of its own; every answer is checked."""

    def __init__(self, sides: list[list[Request]]):
        self.sides = sides
        self.clients = [[Client(base) for base, *_ in side] for side in sides]

    def send(self, s: int, times: list[list[float]] | None = None) -> None:
        """Side `s`'s requests once each, their times (ms) added to `times` by request."""
        for r, (client, (_base, method, path, body, headers)) in enumerate(zip(self.clients[s], self.sides[s])):
            answer = client.request(method, path, body, headers)
            if answer.status >= 400:
                raise RuntimeError(f"{method} {path} answered {answer.status}")
            if times is not None:
                times[r].append(answer.seconds * 1000)

    def close(self) -> None:
        for side in self.clients:
            for client in side:
                client.close()


def _turns(sides: int, repeat: int, block: int):
    """(side, rounds) in the order the sides take their turns: `block` rounds each, one side after the
    other, until each has had `repeat`."""
    done = 0
    while done < repeat:
        turn = min(block, repeat - done)
        for s in range(sides):
            yield s, turn
        done += turn


def interleaved_ms(sides: list[list[Request]], *, repeat: int, block: int = 10) -> list[list[float]]:
    """The median time of each request of each side, measured in turns: `block` times each request of one
    side, then of the next side, until each was timed `repeat` times, after one warm-up each. A busy
    moment of a shared machine then weighs on every side alike, so that their ratio holds even when the
    times do not; within a turn a server answers as it does when asked again and again (the first
    request after another server's turn waits for its process to wake, which the median leaves out)."""
    requests = _Sides(sides)
    times: list[list[list[float]]] = [[[] for _ in side] for side in sides]
    try:
        for s in range(len(sides)):  # the warm-up
            requests.send(s)
        for s, turn in _turns(len(sides), repeat, block):
            for _ in range(turn):
                requests.send(s, times[s])
        return [[statistics.median(t) for t in side] for side in times]
    finally:
        requests.close()


def cpu_ms(sides: list[tuple[Callable[[], float], list[Request]]], *, repeat: int, block: int = 50) -> list[float]:
    """The server CPU that one round of each side's requests costs, in ms: `cpu` reads a side's server's
    CPU seconds so far (servers.threads_cpu_seconds counts the live threads of its processes: right for
    a server with a fixed pool of threads, as waitress has, not for one that starts and ends threads as
    it answers). Each side sends its requests `block` times over in turn with the others until `repeat`
    rounds each, after one warm-up. CPU time, unlike the time an answer takes, counts only the server's
    own work, not the time it waits for a busy machine."""
    requests = _Sides([side for _cpu, side in sides])
    spent = [0.0] * len(sides)
    try:
        for s in range(len(sides)):
            requests.send(s)
        for s, turn in _turns(len(sides), repeat, block):
            before = sides[s][0]()
            for _ in range(turn):
                requests.send(s)
            spent[s] += sides[s][0]() - before
        return [seconds * 1000 / repeat for seconds in spent]
    finally:
        requests.close()


def callback_requests(base: str, bodies: list[tuple[str, str]]) -> list[Request]:
    """An action's callback requests, as the page sent them, to be sent again."""
    return [(base, "POST", path_of(url), body.encode(), {"Content-Type": "application/json"}) for url, body in bodies]


def replay_ms(base: str, bodies: list[tuple[str, str]], repeat: int) -> float:
    """Server time of one action: the sum over its callback requests of the median time of each."""
    total = 0.0
    for url, body in bodies:
        ms, _ = median_ms(base, "POST", path_of(url), repeat=repeat, body=body.encode(),
                          headers={"Content-Type": "application/json"})
        total += ms
    return total


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("src"):
            self.links.append(attrs["src"])
        elif tag == "link" and attrs.get("href") and attrs.get("rel") in ("stylesheet", "icon", "preload", "modulepreload"):
            self.links.append(attrs["href"])


def page_links(base: str, html: str) -> list[str]:
    """The same-origin scripts, stylesheets and icons a page's HTML references, as paths."""
    parser = _Links()
    parser.feed(html)
    origin = urlsplit(base).netloc
    paths = []
    for link in parser.links:
        url = urljoin(base + "/", link)
        if urlsplit(url).netloc == origin:
            paths.append(path_of(url))
    return paths
