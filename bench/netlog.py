"""What a page sends and receives, read from Chromium's DevTools performance log.

Independent of how the app is written: an action is whatever the page does after a click, and its
cost is the callback requests the browser makes for it, with the bytes on the wire (compressed), the
bytes after decoding, and the server's time (request sent to response headers received).
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

CALLBACK_PATH = "/_dash-update-component"


@dataclass
class Request:
    url: str
    method: str
    post_data: str | None = None
    status: int | None = None
    wire_bytes: int = 0       # encodedDataLength at loadingFinished: headers + compressed body
    body_bytes: int = 0       # sum of dataReceived.dataLength: the decoded body
    server_ms: float | None = None  # sendEnd to receiveHeadersEnd
    done: bool = False
    failed: str | None = None
    started: float | None = None  # DevTools' timestamps (s): request sent, last byte received
    ended: float | None = None
    priority: str = ""            # the browser's priority for it (and what it became, after "→")


@dataclass
class Capture:
    """The app's requests seen since the last drain, by DevTools request id."""
    origin: str  # e.g. http://127.0.0.1:8050: the browser's own pages and data: URLs are left out
    requests: dict[str, Request] = field(default_factory=dict)
    moments: dict[str, float] = field(default_factory=dict)  # what a page reached, ms since navigation

    def callbacks(self) -> list[Request]:
        return [r for r in self.requests.values() if r.url.split("?")[0].endswith(CALLBACK_PATH)]

    def pending(self) -> list[Request]:
        return [r for r in self.requests.values() if not r.done]


def performance_options(options):
    """Ask chromedriver to keep the DevTools network events."""
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    return options


def drain(driver) -> None:
    """Forget every event so far (the log is a buffer that each read empties)."""
    driver.get_log("performance")


def read(driver, capture: Capture) -> int:
    """Fold the newly logged network events into `capture`; how many network events there were."""
    count = 0
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        method, params = message.get("method", ""), message.get("params", {})
        if not method.startswith("Network."):
            continue
        count += 1
        rid = params.get("requestId")
        if method == "Network.requestWillBeSent":
            req = params["request"]
            if not req["url"].startswith(capture.origin):
                continue
            capture.requests[rid] = Request(url=req["url"], method=req["method"], post_data=req.get("postData"),
                                            started=params.get("timestamp"), priority=req.get("initialPriority", ""))
            continue
        request = capture.requests.get(rid)
        if request is None:
            continue
        if method == "Network.responseReceived":
            response = params["response"]
            request.status = response.get("status")
            timing = response.get("timing") or {}
            if timing.get("receiveHeadersEnd") is not None and timing.get("sendEnd") is not None:
                request.server_ms = timing["receiveHeadersEnd"] - timing["sendEnd"]
        elif method == "Network.dataReceived":
            request.body_bytes += params.get("dataLength", 0)
        elif method == "Network.resourceChangedPriority":
            request.priority += "→" + params.get("newPriority", "")
        elif method == "Network.loadingFinished":
            request.wire_bytes = int(params.get("encodedDataLength", 0))
            request.ended = params.get("timestamp")
            request.done = True
        elif method == "Network.loadingFailed":
            request.failed = params.get("errorText", "failed")
            request.done = True
    return count


def settle(driver, capture: Capture, *, quiet: float = 0.6, timeout: float = 30.0, first: float | None = None) -> Capture:
    """Read events until nothing is in flight and nothing new came for `quiet` seconds.

    With `first`, wait at most that long for a first callback request: an action that makes none
    (drawn in the browser alone) settles then with an empty list.
    """
    start = last_event = time.monotonic()
    while time.monotonic() - start < timeout:
        if read(driver, capture):
            last_event = time.monotonic()
        waiting = first is not None and not capture.callbacks() and time.monotonic() - start < first
        if not waiting and not capture.pending() and time.monotonic() - last_event >= quiet:
            return capture
        time.sleep(0.05)
    raise TimeoutError(f"the page was still busy after {timeout:g} s: "
                       + ", ".join(r.url for r in capture.pending())[:500])


@dataclass
class ActionCost:
    requests: int
    wire_bytes: int
    body_bytes: int
    server_ms: float

    @classmethod
    def of(cls, capture: Capture) -> "ActionCost":
        calls = capture.callbacks()
        failed = [r for r in calls if (r.status or 0) >= 400 or (r.failed and r.status is None)]  # a 204 may end "aborted"
        if failed:
            raise RuntimeError(f"{len(failed)} callback request(s) failed: {failed[0]}")
        return cls(requests=len(calls), wire_bytes=sum(r.wire_bytes for r in calls),
                   body_bytes=sum(r.body_bytes for r in calls),
                   server_ms=sum(r.server_ms or 0.0 for r in calls))
