"""The Atlas with N synthetic recommendations (`bench.synthetic.write_dataset`): start-up, memory,
a theme tick with no territory selected, the JSON API and the CSV download."""
from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from . import browser, servers, wire
from .report import fact, figure, heading, missing

CARDS_BUDGET = 200
CALLBACK_BUDGET_MS = 150


def run(driver, n: int, repeat: int) -> None:
    heading(f"scale: {n:,} synthetic recommendations")
    try:
        from bench.synthetic import write_dataset
    except ImportError as exc:
        missing(f"scale ({n:,} recommendations)", f"no synthetic data writer ({exc})")
        return
    work = Path(tempfile.mkdtemp(prefix="atlas-bench-scale-"))
    try:
        start = time.perf_counter()
        data_dir = Path(write_dataset(work / "data", n))
        fact("scale: synthetic data written in", f"{time.perf_counter() - start:.1f} s")
        _measure(driver, data_dir, repeat)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _measure(driver, data_dir: Path, repeat: int) -> None:
    env = {"ATLAS_DATA_DIR": str(data_dir)}
    seconds, _ = servers.import_seconds(servers.IMPORT_ATLAS, 1, env)
    figure("scale: import app + load data", seconds * 1000, "ms", budget=3000)
    with servers.atlas(env=env, ready_timeout=600) as server:
        fact("scale: server answering after", f"{server.ready_seconds:.1f} s")
        figure("scale: server RSS after start", server.rss_bytes() / 2**20, "MB")
        _tick(driver, server, repeat)
        figure("scale: server RSS after the tick", server.rss_bytes() / 2**20, "MB")
        for name, path in (("/api/recommendations", "/api/recommendations"),
                           ("CSV download", "/download/recommendations.csv")):
            try:
                ms, answer = wire.median_ms(server.url, "GET", path, repeat=repeat)
            except (OSError, RuntimeError) as exc:
                missing(f"scale: {name}", str(exc))
                continue
            figure(f"scale: {name} (median of {repeat})", ms, "ms",
                   note=f"{answer.wire_bytes / 2**20:.2f} MB on the wire ({answer.encoding or 'identity'})")


def _tick(driver, server: servers.Server, repeat: int) -> None:
    name = "scale: theme tick (no territory selected)"
    try:
        run = browser.theme_tick(driver, server.url, timeout=600)
    except Exception as exc:  # a browser that gives up is a figure we could not take, not a crash
        missing(name, f"{type(exc).__name__}: {str(exc)[:200]}")
        return
    figure("scale: page load to painted map", run.loads[0], "ms")
    cost = run.actions["theme tick"][0]
    figure("scale: theme tick to updated map, in Chromium", run.filters[0], "ms")
    bodies = run.bodies["theme tick"]
    per_request = [wire.replay_ms(server.url, [body], repeat) for body in bodies]
    figure(f"scale: theme tick, server ms (replayed, median of {repeat})", sum(per_request), "ms",
           note=f"({len(bodies)} request(s); slowest {max(per_request, default=0):.0f} ms, "
                f"budget {CALLBACK_BUDGET_MS} ms each: "
                f"{'within' if max(per_request, default=0) <= CALLBACK_BUDGET_MS else 'OVER'})")
    fact("scale: theme tick, bytes on the wire / decoded",
         f"{cost.wire_bytes / 1024:.1f} KB / {cost.body_bytes / 1024:.1f} KB in {cost.requests} request(s)")
    figure("scale: theme tick, cards the browser receives", float(run.cards or 0), "n", budget=CARDS_BUDGET)

