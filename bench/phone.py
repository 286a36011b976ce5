"""A phone's first load, throttled as Chrome DevTools throttles it: bytes on the wire, time to the first
card and to the drawn map, with the network at DevTools' "Slow 4G" preset and the CPU slowed 4×.

    .venv/bin/python bench/phone.py [--url URL] [--rounds N] [--query QUERY]

Without --url it serves the Atlas with the README's run command (bench/servers.py); with --url it
measures a server already running (for instance an older version of the Atlas, to compare). Each round
is a first visit: the browser's cache is emptied before it. Also run by `bench/run.py --phone`.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if sys.path[0] == str(Path(__file__).resolve().parent):
    sys.path.pop(0)  # bench/ itself must not shadow the standard library
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import browser, netlog, servers  # noqa: E402
from bench.report import fact, figure, heading  # noqa: E402

# Chrome DevTools' "Slow 4G" preset, as its network panel sets it (SDK.NetworkManager.Slow4GConditions):
# ~1.6 Mbps down and 0.75 Mbps up at 90%, and 150 ms round trips × 3.75 for the latency it adds per request.
SLOW_4G = {"offline": False, "latency": 150 * 3.75, "downloadThroughput": 1.6e6 / 8 * 0.9,
           "uploadThroughput": 750e3 / 8 * 0.9}
CPU_SLOWDOWN = 4
PHONE = {"width": 375, "height": 812, "deviceScaleFactor": 3, "mobile": True}
QUERY = "territory=MTQ"  # the QR code's view: a territory, so the panel holds cards

# Installed in every new document before its own scripts: the moments (ms since navigation start)
# when the first recommendation card and the drawn map (its 200th territory) appear. Each frame the
# browser renders checks (requestAnimationFrame runs just before a frame is painted), and so does each
# change of the page: a card that comes with the HTML is seen in the first frame that holds it, even
# while the parser waits for a script (a mutation observer would only hear of it once a script runs).
WATCH = """
window.__phone = {card: null, map: null, plotly: null};
(function () {
  function look() {
    const now = performance.now(), t = window.__phone;
    if (t.plotly === null && window.Plotly && typeof window.Plotly.react === "function") { t.plotly = now; }
    if (t.card === null && document.querySelector('#side-panel .rec-card')) { t.card = now; }
    if (t.map === null && document.querySelectorAll('#map .choroplethlocation').length > 200) { t.map = now; }
    return t.card !== null && t.map !== null;
  }
  new MutationObserver(look).observe(document, {subtree: true, childList: true});
  (function frame() { if (!look()) { requestAnimationFrame(frame); } })();
})();
"""


def first_load(driver, url: str, timeout: float) -> tuple[float, float, netlog.Capture]:
    """One cold load at phone size under throttling: (first card ms, map drawn ms, its requests); the
    moments the page reached are kept in the capture's `moments` (ms since navigation)."""
    driver.get("about:blank")
    driver.execute_cdp_cmd("Network.clearBrowserCache", {})
    netlog.drain(driver)
    capture = netlog.Capture(url.split("/?")[0].rstrip("/"))
    driver.get(url)
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        times = driver.execute_script("return window.__phone;") or {}
        if times.get("card") is not None and times.get("map") is not None:
            break
        time.sleep(0.2)
    else:
        raise TimeoutError(f"{url}: no card or no map after {timeout:g} s: {times}")
    netlog.settle(driver, capture, quiet=2.0, timeout=timeout)
    capture.moments = dict(driver.execute_script("""const n = performance.getEntriesByType('navigation')[0];
        return {'HTML received': n.responseEnd, 'DOMContentLoaded': n.domContentLoadedEventEnd,
                'plotly.js run': window.__phone.plotly, 'first card': window.__phone.card,
                'map drawn': window.__phone.map};"""))
    return times["card"], times["map"], capture


def waterfall(capture: netlog.Capture) -> list[str]:
    """One line per request of a load, in the order they were sent: sent and finished (ms since the
    page's own request was sent), KB on the wire, the browser's priority, the file; then the page's moments."""
    requests = sorted((r for r in capture.requests.values() if r.started is not None), key=lambda r: r.started)
    if not requests:
        return []
    start = requests[0].started
    lines = [f"{(r.started - start) * 1000:7.0f} {((r.ended or r.started) - start) * 1000:7.0f} ms "
             f"{r.wire_bytes / 1024:6.0f} KB  {r.priority:<16} {r.url.split('?')[0].rsplit('/', 1)[-1] or '/'}"
             for r in requests]
    return lines + [f"{ms:15.0f} ms {name}" for name, ms in sorted(
        ((n, m) for n, m in capture.moments.items() if m is not None), key=lambda item: item[1])]


def measure(driver, base: str, rounds: int, query: str = QUERY, timeout: float = 120.0):
    """The phone's first loads of `base`/?`query`: lists of first-card and map ms, and the first load's requests."""
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", PHONE)
    driver.execute_cdp_cmd("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    driver.execute_cdp_cmd("Network.emulateNetworkConditions", SLOW_4G)
    script = driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": WATCH})
    cards, maps, loads = [], [], []
    try:
        for _ in range(rounds):
            card, drawn, capture = first_load(driver, f"{base.rstrip('/')}/?{query}", timeout)
            cards.append(card)
            maps.append(drawn)
            loads.append(capture)
    finally:
        driver.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": script["identifier"]})
        driver.execute_cdp_cmd("Network.emulateNetworkConditions",
                               {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
        driver.execute_cdp_cmd("Emulation.setCPUThrottlingRate", {"rate": 1})
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    return cards, maps, loads


def run(driver, base: str, rounds: int, label: str = "phone") -> None:
    heading(f"{label}: first load at 375 × 812, DevTools Slow 4G "
            f"({SLOW_4G['downloadThroughput'] * 8 / 1000:.0f} kbps down, {SLOW_4G['latency']:g} ms), CPU {CPU_SLOWDOWN}× slower")
    cards, maps, loads = measure(driver, base, rounds)
    wire = [sum(r.wire_bytes for r in load.requests.values()) for load in loads]
    figure(f"{label}: first load, every request, on the wire (median of {rounds})", statistics.median(wire) / 1024,
           "KB", budget=1024, note=f"({len(loads[0].requests)} requests)")
    figure(f"{label}: navigation to the first card (median of {rounds})", statistics.median(cards), "ms", budget=3000)
    figure(f"{label}: navigation to the map drawn (median of {rounds})", statistics.median(maps), "ms", budget=8000)
    biggest = sorted(loads[0].requests.values(), key=lambda r: r.wire_bytes, reverse=True)[:5]
    fact(f"{label}: biggest downloads", ", ".join(
        f"{r.url.split('?')[0].rsplit('/', 1)[-1]} {r.wire_bytes / 1024:.0f} KB" for r in biggest))
    plotly = [r.url.split("?")[0].rsplit("/", 1)[-1] for r in loads[0].requests.values() if "plotly" in r.url]
    fact(f"{label}: plotly.js files fetched", ", ".join(plotly) or "none")
    fact(f"{label}: every load's map drawn, ms", ", ".join(f"{ms:.0f}" for ms in maps))
    middle = maps.index(statistics.median_high(maps))
    print(f"{label}: the load whose map came at the median, request by request (sent, finished):")
    for line in waterfall(loads[middle]):
        print("    " + line, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="measure this running server instead of starting the Atlas")
    parser.add_argument("--rounds", type=int, default=3, help="cold loads to take the median of")
    parser.add_argument("--label", default="phone")
    args = parser.parse_args()
    with browser.chromium(script_timeout=600) as driver:
        if args.url:
            run(driver, args.url, args.rounds, args.label)
        else:
            with servers.atlas() as atlas:
                run(driver, atlas.url, args.rounds, args.label)


if __name__ == "__main__":
    main()
