"""Measure the Atlas's speed budgets and print the figures (never a pass/fail test).

    .venv/bin/python bench/run.py [--rounds N]

Starts the app on a free loopback port, drives Debian's headless Chromium through Selenium, and
times server-side work in process. Budgets are printed beside each figure.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHROMIUM_FLAGS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--window-size=1400,1000", "--lang=en-GB",
)


def report(name: str, value: float, unit: str, budget: float) -> None:
    verdict = "within" if value <= budget else "OVER"
    print(f"{name:<48} {value:10.1f} {unit:<3} (budget {budget:g} {unit}: {verdict})")


def import_and_load() -> None:
    code = (
        "import sys, time; t = time.perf_counter(); from dashboard.app import create_app; create_app(); "
        "print(time.perf_counter() - t, 'geopandas' in sys.modules)"
    )
    runs = []
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
        seconds, geopandas = out.stdout.split()
        runs.append(float(seconds))
    report("import app + load data (median of 3)", statistics.median(runs) * 1000, "ms", 1500)
    print(f"{'geopandas imported at runtime':<48} {geopandas}")


def server_side(rounds: int) -> None:
    from plotly.utils import PlotlyJSONEncoder

    from dashboard import data, views
    from dashboard.state import ViewState, Vocabulary

    dataset = data.load()
    vocab, base = Vocabulary.of(dataset), "http://127.0.0.1:8050/"
    themes = list(dataset.themes)
    states = [ViewState(), ViewState(territory="MTQ"), ViewState(actors=("national",)),
              ViewState(themes=(themes[0],)), ViewState(q="prévention"), ViewState(lang="fr", territory="FRA"),
              ViewState(report=2, themes=(themes[1], themes[2]))]
    timings = []
    for i in range(rounds):
        state = states[i % len(states)]
        t = time.perf_counter()
        json.dumps(views.render(dataset, state, vocab, base), cls=PlotlyJSONEncoder)
        json.dumps(views.render_map(dataset, state), cls=PlotlyJSONEncoder)
        timings.append(time.perf_counter() - t)
    report(f"filter callbacks (panel + map) + JSON (median of {rounds})", statistics.median(timings) * 1000, "ms", 20)
    page = json.dumps(views.page(dataset, ViewState(), {}, vocab, base), cls=PlotlyJSONEncoder).encode()
    report("initial page JSON (layout + figure), gzipped", len(gzip.compress(page)) / 1024, "KB", 300)
    boundaries = (dataset.data_dir / "boundaries.geojson").read_bytes()
    report("boundaries download, gzipped", len(gzip.compress(boundaries, 9)) / 1024, "KB", 250)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def browser(rounds: int) -> None:
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options

    port = _free_port()
    env = dict(os.environ, HOST="127.0.0.1", PORT=str(port))
    server = subprocess.Popen([sys.executable, "-m", "dashboard"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    profile = tempfile.mkdtemp(prefix="atlas-bench-")
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        options = Options()
        for flag in CHROMIUM_FLAGS:
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={profile}")
        if shutil.which("chromium"):
            options.binary_location = shutil.which("chromium")
        driver = webdriver.Chrome(options=options)
        driver.set_script_timeout(30)
        try:
            loads, clicks, filters = [], [], []
            for _ in range(rounds):
                driver.get("about:blank")
                driver.get(url)
                loads.append(driver.execute_async_script(_WAIT_PAINTED))
                time.sleep(1)  # let the page settle, as a person would before the first click
                clicks.append(driver.execute_async_script(_CLICK_TO_PANEL, "MTQ"))
                clicks.append(driver.execute_async_script(_CLICK_TO_PANEL, "FRA"))
                filters.append(driver.execute_async_script(_FILTER_TO_MAP, 0))
                filters.append(driver.execute_async_script(_FILTER_TO_MAP, 1))
            report(f"page load to painted map (median of {rounds})", statistics.median(loads), "ms", 2000)
            report(f"click on a territory to its panel (median of {len(clicks)})", statistics.median(clicks), "ms", 300)
            report(f"filter change to updated map (median of {len(filters)})", statistics.median(filters), "ms", 300)
        finally:
            driver.quit()
    finally:
        server.terminate()
        server.wait(10)
        shutil.rmtree(profile, ignore_errors=True)


# Each script resolves with milliseconds measured inside the page.
_WAIT_PAINTED = """
const done = arguments[arguments.length - 1];
(function poll() {
  if (document.querySelectorAll('#map .choroplethlocation').length > 200) {
    done(performance.now());
  } else { requestAnimationFrame(poll); }
})();
"""

_CLICK_TO_PANEL = """
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

_FILTER_TO_MAP = """
const index = arguments[0], done = arguments[arguments.length - 1];
const graph = document.querySelector('#map .js-plotly-plot');
const before = JSON.stringify(graph.data.find(t => t.name === 'counts').z);
const start = performance.now();
document.querySelectorAll('#theme-filter input')[index].click();
(function poll() {
  const now = JSON.stringify(graph.data.find(t => t.name === 'counts').z);
  if (now !== before) { requestAnimationFrame(() => done(performance.now() - start)); }
  else { requestAnimationFrame(poll); }
})();
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    import_and_load()
    server_side(max(args.rounds * 20, 50))
    browser(args.rounds)


if __name__ == "__main__":
    main()
