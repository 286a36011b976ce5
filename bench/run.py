"""Measure the Atlas's speed budgets against a minimal Dash app (the floor) and print the figures.

    .venv/bin/python bench/run.py [--rounds N] [--quick] [--scale N] [--room] [--phone] [--followers] [--no-seed]

Both apps are served by the README's run command (`bin/run`'s `exec` line), each in its own process on
a free loopback port; Debian's headless Chromium drives them, and the DevTools log counts the bytes of
every callback request. Each figure is printed beside the floor's and with its budget; nothing here
passes or fails. `--scale N` adds the figures for N synthetic recommendations, `--room` the load test of
200 phones opening the page within a minute, `--phone` a phone's first load under DevTools' Slow 4G and a
4× slower CPU (bench/phone.py), `--followers` the CPU cost of 200 phones following a presenter
(bench/followers.py).
"""
from __future__ import annotations

import argparse
import statistics
import sys
from contextlib import nullcontext
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if sys.path[0] == str(Path(__file__).resolve().parent):
    sys.path.pop(0)  # bench/ itself must not shadow the standard library
sys.path.insert(0, str(ROOT))

from bench import browser, servers, wire  # noqa: E402
from bench.report import fact, figure, heading, missing  # noqa: E402


def biggest_script(capture) -> str | None:
    scripts = [r for r in capture.requests.values() if r.method == "GET" and r.url.split("?")[0].endswith(".js")]
    return max(scripts, key=lambda r: r.body_bytes).url if scripts else None


def callback_name(body: str) -> str:
    """Which callback a request body calls: the map figure's, or the main update (the page's parts)."""
    import json

    try:
        output = json.loads(body).get("output", "")
    except (ValueError, AttributeError):
        return "?"
    return "map figure" if output.startswith("map.figure") else "update" if "side-panel-wrap" in output else output[:30]


def load_wire_kb(capture, *, json_only: bool) -> float:
    def is_json(r):  # the page itself counts: the Atlas's first answer carries its layout and callbacks
        path = wire.path_of(r.url.split("?")[0])
        return path in ("", "/") or path.endswith(("/_dash-layout", "/_dash-dependencies", "/_dash-update-component"))
    return sum(r.wire_bytes for r in capture.requests.values() if is_json(r) or not json_only) / 1024


def imports(runs: int) -> None:
    heading("seed data: the Atlas against the floor (same server, same settings, same run)")
    atlas_s, geopandas = servers.import_seconds(servers.IMPORT_ATLAS, runs)
    floor_s, _ = servers.import_seconds(servers.IMPORT_FLOOR, runs)
    figure(f"import app + load data (median of {runs})", atlas_s * 1000, "ms", floor=floor_s * 1000, budget=1500)
    fact("geopandas imported at runtime", geopandas)


def seed(driver, atlas: servers.Server, floor: servers.Server, rounds: int, repeat: int):
    """The seed figures; the two runs, whose first page loads tell the room what a phone fetches."""
    a = browser.atlas(driver, atlas.url, rounds)
    f = browser.floor(driver, floor.url, rounds)
    figure(f"page load to painted map (median of {rounds})", statistics.median(a.loads), "ms",
           floor=statistics.median(f.loads), budget=2000)
    figure(f"click on a territory to its panel (median of {len(a.clicks)})", statistics.median(a.clicks), "ms",
           floor=statistics.median(f.clicks), ratio_budget=2.5, budget=300)
    figure(f"filter change to updated map (median of {len(a.filters)})", statistics.median(a.filters), "ms",
           budget=300)

    # the click's requests and the echo's in turns, so that a busy moment of the machine weighs on both
    click = wire.callback_requests(atlas.url, a.bodies["territory click"])
    echo = wire.callback_requests(floor.url, f.bodies["echo"])
    turns = 3 * repeat
    click_ms, echo_times = wire.interleaved_ms([click, echo], repeat=turns)
    per_request = [(callback_name(body), ms) for (_url, body), ms in zip(a.bodies["territory click"], click_ms)]
    echo_ms = sum(echo_times)
    figure(f"territory click, server ms (replayed in turns with the echo, median of {turns})",
           sum(ms for _, ms in per_request), "ms",
           floor=echo_ms, ratio_budget=3,
           note=f"({len(per_request)} request(s) vs the echo's 1: "
                + " + ".join(f"{name} {ms:.1f} ms ({ms / echo_ms:.1f}x)" for name, ms in per_request) + ")")

    # what the server's processes spend on it: CPU time leaves out the waits of a busy machine
    rounds_cpu = 20 * repeat
    click_cpu, echo_cpu = wire.cpu_ms([(atlas.cpu_seconds_exact, click), (floor.cpu_seconds_exact, echo)],
                                      repeat=rounds_cpu)
    figure(f"territory click, server CPU ms (replayed {rounds_cpu} times in turns with the echo)", click_cpu, "ms",
           floor=echo_cpu, ratio_budget=3)

    script, floor_script = biggest_script(a.load), biggest_script(f.load)
    if script and floor_script:
        ms, answer = wire.median_ms(atlas.url, "GET", wire.path_of(script), repeat=repeat)
        floor_ms, floor_answer = wire.median_ms(floor.url, "GET", wire.path_of(floor_script), repeat=repeat)
        figure(f"biggest JS bundle to a phone (median of {repeat})", ms, "ms", floor=floor_ms, ratio_budget=1.5,
               note=f"{script.split('?')[0].rsplit('/', 1)[-1]}: {answer.wire_bytes / 1024:.0f} KB {answer.encoding}"
                    f" vs {floor_answer.wire_bytes / 1024:.0f} KB {floor_answer.encoding}")
    else:
        missing("biggest JS bundle to a phone", "no script seen in the page load")

    figure("initial page: HTML, layout and callbacks, on the wire", load_wire_kb(a.load, json_only=True), "KB",
           floor=load_wire_kb(f.load, json_only=True), budget=300)
    figure("first load, every request, on the wire", load_wire_kb(a.load, json_only=False), "KB",
           floor=load_wire_kb(f.load, json_only=False),
           note=f"({len(a.load.requests)} requests vs {len(f.load.requests)})")
    boundaries = [r for r in a.load.requests.values() if "boundaries" in r.url]
    if boundaries:
        figure("boundaries download, on the wire", boundaries[0].wire_bytes / 1024, "KB", budget=250,
               note=f"({boundaries[0].body_bytes / 1024:.0f} KB decoded)")
    else:
        missing("boundaries download, on the wire", "the page load fetched no boundaries")

    heading("bytes and server ms per action (callback requests in Chromium's DevTools log)")
    for name in browser.ACTIONS:
        action(atlas.url, name, a, repeat)
    action(floor.url, "echo", f, repeat, label="floor: echo click")
    return a, f


def action(base: str, name: str, run: browser.Run, repeat: int, label: str | None = None) -> None:
    label = label or name
    costs = run.actions.get(name)
    if not costs:
        missing(f"{label}: bytes", "the action was not made")
        return
    last = costs[-1]
    browser_ms = statistics.median(c.server_ms for c in costs)
    replayed = wire.replay_ms(base, run.bodies[name], repeat) if run.bodies[name] else 0.0
    fact(f"{label}: bytes on the wire / decoded",
         f"{last.wire_bytes / 1024:8.1f} KB / {last.body_bytes / 1024:8.1f} KB in {last.requests} request(s)")
    fact(f"{label}: server ms, replayed / in Chromium",
         f"{replayed:8.1f} ms / {browser_ms:8.1f} ms (medians of {repeat} / {len(costs)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="page loads in Chromium per app")
    parser.add_argument("--quick", action="store_true", help="one round and few repeats: checks that it runs")
    parser.add_argument("--scale", type=int, metavar="N", help="also measure N synthetic recommendations")
    parser.add_argument("--room", action="store_true", help="also load-test 200 phones' first loads")
    parser.add_argument("--phones", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60.0, help="the room's phones arrive over this time")
    parser.add_argument("--phone", action="store_true",
                        help="also measure a phone's throttled first load (bytes, first card, map drawn)")
    parser.add_argument("--followers", action="store_true", help="also measure 200 phones following a presenter")
    parser.add_argument("--follow-seconds", type=float, default=30.0, help="how long the followers follow")
    parser.add_argument("--no-seed", action="store_true", help="skip the seed-data figures")
    args = parser.parse_args()
    rounds, repeat, import_runs = (1, 5, 1) if args.quick else (args.rounds, 30, 3)
    load_average("at the start")
    if not args.no_seed:
        imports(import_runs)
    needs_browser = not args.no_seed or args.room or args.phone or args.scale
    with (browser.chromium(script_timeout=600) if needs_browser else nullcontext()) as driver:
        if not args.no_seed or args.room:
            with servers.atlas() as atlas, servers.floor() as floor:
                loads = (None, None)
                if not args.no_seed:
                    a, f = seed(driver, atlas, floor, rounds, repeat)
                    loads = (a.load, f.load)
                if args.room:
                    from bench import room
                    room.run(driver, atlas, floor, loads, args.phones, args.seconds)
        if args.phone:
            from bench import phone
            with servers.atlas() as atlas:
                phone.run(driver, atlas.url, rounds=1 if args.quick else 3)
        if args.scale:
            from bench import scale
            scale.run(driver, args.scale, repeat=3 if args.quick else 5)
    if args.followers:
        from bench import followers
        followers.run(args.phones, 10.0 if args.quick else args.follow_seconds)
    load_average("at the end")


def load_average(when: str) -> None:
    """Other work on the machine slows every figure: say how busy it was."""
    import os

    fact(f"machine: load average (1, 5, 15 min) {when}",
         ", ".join(f"{x:.1f}" for x in os.getloadavg()) + f" on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
