"""The Atlas and the floor in headless Chromium: timings inside the page, requests from the DevTools log."""
from __future__ import annotations

import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

from . import netlog
from .chromium import chrome_options

# The actions whose callback requests are counted, in the order a round makes them.
ACTIONS = ("territory click", "theme tick", "tab change", "presenter toggle")


@contextmanager
def chromium(script_timeout: float = 60.0):
    from selenium import webdriver

    options = netlog.performance_options(chrome_options())
    profile = next((a.split("=", 1)[1] for a in options.arguments if a.startswith("--user-data-dir=")), None)
    driver = webdriver.Chrome(options=options)
    driver.set_script_timeout(script_timeout)
    try:
        yield driver
    finally:
        driver.quit()
        if profile:
            shutil.rmtree(profile, ignore_errors=True)


@dataclass
class Run:
    loads: list[float] = field(default_factory=list)    # ms, navigation start to painted
    clicks: list[float] = field(default_factory=list)   # ms, click to its answer painted
    filters: list[float] = field(default_factory=list)  # ms, theme tick to updated map
    load: netlog.Capture | None = None                  # the first page load's requests
    actions: dict[str, list[netlog.ActionCost]] = field(default_factory=dict)
    bodies: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # callback (url, body) per action
    cards: int | None = None                            # cards on the page after the last theme tick

    def record(self, name: str, capture: netlog.Capture) -> None:
        self.actions.setdefault(name, []).append(netlog.ActionCost.of(capture))
        self.bodies[name] = [(r.url, r.post_data) for r in capture.callbacks() if r.post_data is not None]


def load(driver, base: str, painted: str, timeout: float) -> tuple[float, netlog.Capture]:
    driver.get("about:blank")
    netlog.drain(driver)
    capture = netlog.Capture(base)
    driver.get(base + "/")
    ms = driver.execute_async_script(painted)
    netlog.settle(driver, capture, quiet=1.0, timeout=timeout)
    return ms, capture


def _act(driver, base: str, script: str, *args, timeout: float = 30.0) -> tuple[float | None, netlog.Capture]:
    """Run an action's script (async if it times itself) and wait for its requests to end."""
    netlog.drain(driver)
    capture = netlog.Capture(base)
    ms = driver.execute_async_script(script, *args)
    netlog.settle(driver, capture, timeout=timeout, first=5.0)
    return ms, capture


def atlas(driver, base: str, rounds: int, *, timeout: float = 30.0) -> Run:
    run = Run()
    for _ in range(rounds):
        ms, capture = load(driver, base, WAIT_MAP_PAINTED, timeout)
        run.loads.append(ms)
        run.load = run.load or capture
        time.sleep(1)  # let the page settle, as a person would before the first click
        ms, capture = _act(driver, base, CLICK_TO_PANEL, "MTQ", timeout=timeout)
        run.clicks.append(ms)
        run.record("territory click", capture)
        run.clicks.append(_act(driver, base, CLICK_TO_PANEL, "FRA", timeout=timeout)[0])
        ms, capture = _act(driver, base, FILTER_TO_MAP, 0, timeout=timeout)
        run.filters.append(ms)
        run.record("theme tick", capture)
        run.filters.append(_act(driver, base, FILTER_TO_MAP, 1, timeout=timeout)[0])
        run.record("tab change", _act(driver, base, CLICK, '#tab input[value="matrix"]', timeout=timeout)[1])
        _act(driver, base, CLICK, '#tab input[value="map"]', timeout=timeout)
        run.record("presenter toggle", _act(driver, base, CLICK, "#present-toggle", timeout=timeout)[1])
    return run


def theme_tick(driver, base: str, *, timeout: float) -> Run:
    """One load and one theme tick with no territory selected (the scale run)."""
    run = Run()
    ms, run.load = load(driver, base, WAIT_MAP_PAINTED, timeout)
    run.loads.append(ms)
    ms, capture = _act(driver, base, FILTER_TO_MAP, 0, timeout=timeout)
    run.filters.append(ms)
    run.record("theme tick", capture)
    run.cards = driver.execute_script("return document.querySelectorAll('.rec-card').length")
    return run


def floor(driver, base: str, rounds: int) -> Run:
    run = Run()
    for i in range(rounds):
        ms, capture = load(driver, base, WAIT_FLOOR_PAINTED, 30)
        run.loads.append(ms)
        run.load = run.load or capture
        time.sleep(1)
        ms, capture = _act(driver, base, CLICK_TO_ECHO)
        run.clicks.append(ms)
        run.record("echo", capture)
        run.clicks.append(_act(driver, base, CLICK_TO_ECHO)[0])
    return run


# Each script resolves with milliseconds measured inside the page.
WAIT_MAP_PAINTED = """
const done = arguments[arguments.length - 1];
(function poll() {
  if (document.querySelectorAll('#map .choroplethlocation').length > 200) {
    done(performance.now());
  } else { requestAnimationFrame(poll); }
})();
"""

WAIT_FLOOR_PAINTED = """
const done = arguments[arguments.length - 1];
(function poll() {
  if (document.querySelector('#graph .main-svg') && document.querySelector('#button')) {
    done(performance.now());
  } else { requestAnimationFrame(poll); }
})();
"""

CLICK_TO_PANEL = """
const code = arguments[0], done = arguments[arguments.length - 1];
const button = document.querySelector('#territory-list button[data-code="' + code + '"]');
const start = performance.now();
button.click();
(function poll() {
  const panel = document.querySelector('#side-panel');
  if (panel && panel.getAttribute('data-territory') === code && panel.querySelector('.rec-card')) {
    requestAnimationFrame(() => done(performance.now() - start));
  } else { requestAnimationFrame(poll); }
})();
"""

CLICK_TO_ECHO = """
const done = arguments[arguments.length - 1];
const echo = document.querySelector('#echo'), before = echo.textContent;
const start = performance.now();
document.querySelector('#button').click();
(function poll() {
  if (echo.textContent !== before) { requestAnimationFrame(() => done(performance.now() - start)); }
  else { requestAnimationFrame(poll); }
})();
"""

FILTER_TO_MAP = """
const index = arguments[0], done = arguments[arguments.length - 1];
const graph = document.querySelector('#map .js-plotly-plot');
const shown = () => JSON.stringify(graph.data.map(t => t.z));
const before = shown();
const start = performance.now();
document.querySelectorAll('#theme-filter input')[index].click();
(function poll() {
  if (shown() !== before) { requestAnimationFrame(() => done(performance.now() - start)); }
  else { requestAnimationFrame(poll); }
})();
"""

CLICK = """
const done = arguments[arguments.length - 1];
const target = document.querySelector(arguments[0]);
if (!target) { throw new Error('nothing matches ' + arguments[0]); }
target.click();
done(null);
"""
