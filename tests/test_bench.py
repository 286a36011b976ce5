"""The benchmark keeps running as the app changes. It reports figures; budgets are never asserted here."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time

from helpers import ROOT

# Every figure the benchmark prints, by the start of its line.
SEED = (
    "import app + load data", "geopandas imported at runtime", "page load to painted map",
    "click on a territory to its panel", "filter change to updated map", "territory click, server ms",
    "biggest JS bundle to a phone", "initial page: HTML, layout and callbacks, on the wire",
    "first load, every request, on the wire", "boundaries download, on the wire",
)
PER_ACTION = tuple(f"{action}: {what}" for action in ("territory click", "theme tick", "tab change", "presenter toggle",
                                                      "floor: echo click")
                   for what in ("bytes on the wire / decoded", "server ms, replayed / in Chromium"))
ROOM = (
    "room: requests per phone", "room: errors", "room: first load p50",
    "room: first load p95", "room: requests per second", "room: server CPU, % of one core",
    "room: the phones' own CPU (this process), % of one core",
    "room: wall time for every phone", "room: wire bytes per phone",
)
SCALE = (
    "scale: synthetic data written in", "scale: import app + load data", "scale: server answering after",
    "scale: server RSS after start", "scale: page load to painted map", "scale: theme tick to updated map",
    "scale: theme tick, server ms", "scale: theme tick, bytes on the wire / decoded",
    "scale: theme tick, cards the browser receives", "scale: server RSS after the tick",
    "scale: /api/recommendations", "scale: CSV download",
)
NUMBER = re.compile(r"\s(\d+(\.\d+)?|False|True)\b")


def test_the_benchmark_reports_every_figure():
    # The room and the scale runs, made tiny: 3 phones within a second, 300 recommendations.
    command = [sys.executable, "bench/run.py", "--quick", "--room", "--phones", "3", "--seconds", "1", "--scale", "300"]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.splitlines()
    for name in SEED + PER_ACTION + ROOM + SCALE:
        line = next((line for line in lines if line.startswith(name)), None)
        assert line is not None, f"no figure for {name!r} in:\n{result.stdout}"
        assert "not measured" not in line and NUMBER.search(line[len(name):]), line
    assert any(line.startswith("room: server command (bin/run)") for line in lines), result.stdout
    floors = [line for line in lines if "| floor" in line]
    assert len(floors) >= 8, f"figures lack the floor's value:\n{result.stdout}"
    assert re.search(r"room: errors \(budget 0\)\s+0\s", result.stdout), result.stdout


def test_requests_compared_are_timed_in_turns():
    """bench/wire.interleaved_ms: each side's requests in blocks, one side after the other, so that a busy
    moment of the machine weighs on both; one warm-up each, then `repeat` timings of each request."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from bench import wire

    arrivals: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            arrivals.append(self.path)
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    servers = [ThreadingHTTPServer(("127.0.0.1", 0), Handler) for _ in range(2)]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = [f"http://127.0.0.1:{server.server_address[1]}" for server in servers]
        sides = [[(base[0], "POST", "/a1", b"{}", None), (base[0], "POST", "/a2", b"{}", None)],
                 [(base[1], "POST", "/b", b"{}", None)]]
        medians = wire.interleaved_ms(sides, repeat=25, block=10)
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
    assert [len(side) for side in medians] == [2, 1] and all(ms > 0 for side in medians for ms in side)
    turns = ["/a1", "/a2", "/b"] + (["/a1", "/a2"] * 10 + ["/b"] * 10) * 2 + ["/a1", "/a2"] * 5 + ["/b"] * 5
    assert arrivals == turns


CHILD = """
import sys, threading, time

def burn(seconds):
    end = time.thread_time() + seconds
    while time.thread_time() < end:
        pass

release = threading.Event()

def work():
    burn(0.05)
    print("burnt", flush=True)
    release.wait(30)

print("ready", flush=True)
sys.stdin.readline()
worker = threading.Thread(target=work)
worker.start()
sys.stdin.readline()
release.set()
worker.join()
print("joined", flush=True)
sys.stdin.readline()
burn(0.003)  # finer than a clock tick
print("done", flush=True)
sys.stdin.readline()
"""


def test_threads_cpu_counts_every_live_thread_finely():
    """bench/servers.threads_cpu_seconds: the CPU of a process's threads, a worker's included, read
    finer than /proc's clock ticks; a process that is gone counts nothing. The process measured is a
    child of the test's with no thread but its own, so that no other thread ends in between."""
    from bench.servers import threads_cpu_seconds

    child = subprocess.Popen([sys.executable, "-c", CHILD], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    cpu = lambda: threads_cpu_seconds([child.pid])  # noqa: E731

    def told(line: str | None, expected: str) -> None:
        if line is not None:
            child.stdin.write(line + "\n")
            child.stdin.flush()
        assert child.stdout.readline().strip() == expected

    try:
        told(None, "ready")
        before = cpu()
        told("go", "burnt")
        spent = cpu() - before  # the worker is still alive: its time counts
        assert 0.05 <= spent < 5
        told("release", "joined")
        # a joined thread can still be listed for a moment, with its time: wait until it is gone
        deadline = time.monotonic() + 10
        while len(os.listdir(f"/proc/{child.pid}/task")) > 1 and time.monotonic() < deadline:
            time.sleep(0.01)
        here = cpu()
        told("burn", "done")
        assert cpu() - here >= 0.003
        child.stdin.write("end\n")
        child.stdin.flush()
        assert child.wait(timeout=10) == 0
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert cpu() == 0  # the process is gone
