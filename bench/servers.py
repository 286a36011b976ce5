"""Start the Atlas and the floor the way the README says, and read their CPU and memory from /proc."""
from __future__ import annotations

import os
import shlex
import statistics
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUN_SCRIPT = ROOT / "bin" / "run"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


_next_port = int(os.environ["ATLAS_TEST_PORT_BASE"]) + 800 if os.environ.get("ATLAS_TEST_PORT_BASE") else 0


def free_port() -> int:
    """A free loopback port: with ATLAS_TEST_PORT_BASE set (as the tests set it), the first free one
    from that base + 800, so that the benchmark stays in the ports of the suite that runs it."""
    global _next_port
    while True:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", _next_port))
            except OSError:
                _next_port += 1
                continue
            port = s.getsockname()[1]
        if _next_port:
            _next_port = port + 1
        return port


def run_line() -> str:
    """`bin/run`'s `exec` line, as written."""
    lines = [line.strip() for line in RUN_SCRIPT.read_text(encoding="utf-8").splitlines()]
    execs = [line for line in lines if line.startswith("exec ")]
    if not execs:
        raise RuntimeError(f"{RUN_SCRIPT}: no `exec` line to take the run command from")
    return execs[-1]


def run_command() -> list[str]:
    """The command `bin/run` ends with (its `exec` line), with the project's virtualenv standing for
    this interpreter's: the README's run command without the set-up step."""
    bindir = Path(sys.executable).parent
    words = []
    for word in shlex.split(run_line())[1:]:
        if word == "$@":
            continue
        if word.startswith(".venv/bin/"):
            word = str(bindir / word.removeprefix(".venv/bin/"))
        words.append(word)
    return words


def floor_command(command: list[str]) -> list[str]:
    """The same command serving the floor instead of the Atlas."""
    out, swapped = [], False
    for i, word in enumerate(command):
        if word == "dashboard" and i and command[i - 1] == "-m":
            word, swapped = "bench.floor", True
        elif "dashboard.app:" in word:
            word, swapped = word.replace("dashboard.app:", "bench.floor:"), True
        out.append(word)
    if not swapped:
        raise RuntimeError(f"cannot tell where the Atlas is named in the run command: {shlex.join(command)}")
    return out


IMPORT_ATLAS = ("import sys, time; t = time.perf_counter(); from dashboard.app import create_app; create_app(); "
                "print(time.perf_counter() - t, 'geopandas' in sys.modules)")
IMPORT_FLOOR = ("import sys, time; t = time.perf_counter(); from bench.floor import create_app; create_app(); "
                "print(time.perf_counter() - t, 'geopandas' in sys.modules)")


def import_seconds(code: str, runs: int, env: dict | None = None) -> tuple[float, bool]:
    """Median wall time of importing and creating an app in a fresh interpreter."""
    environment = dict(os.environ, **(env or {}))
    environment["PYTHONPATH"] = str(ROOT)
    times, geopandas = [], False
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True,
                             text=True, timeout=600)
        if out.returncode:
            raise RuntimeError(out.stderr[-2000:])
        seconds, flag = out.stdout.split()[-2:]
        times.append(float(seconds))
        geopandas = flag == "True"
    return statistics.median(times), geopandas


def threads_cpu_seconds(pids: list[int]) -> float:
    """The CPU time of these processes' live threads so far, by the scheduler's own count in nanoseconds
    (/proc's stat counts in clock ticks of 10 ms); threads that ended are not counted."""
    total = 0
    for pid in pids:
        try:
            tasks = list(Path(f"/proc/{pid}/task").iterdir())
        except OSError:
            continue
        for task in tasks:
            try:
                total += int((task / "schedstat").read_text().split()[0])
            except (OSError, ValueError, IndexError):
                continue
    return total / 1e9


class Server:
    """A server process (and its workers) on a loopback port, in a process group of its own."""

    def __init__(self, command: list[str], *, port: int | None = None, env: dict | None = None,
                 ready_timeout: float = 120.0):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.command = command
        environment = dict(os.environ, HOST="127.0.0.1", PORT=str(self.port), **(env or {}))
        environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), environment.get("PYTHONPATH")]))
        command = [os.path.expandvars(word.replace("$PORT", str(self.port)).replace("$HOST", "127.0.0.1"))
                   for word in command]
        self.started = time.perf_counter()
        self.log = tempfile.TemporaryFile()  # a pipe would fill up with the request log and stall the server
        self.process = subprocess.Popen(command, cwd=ROOT, env=environment, start_new_session=True,
                                        stdout=self.log, stderr=subprocess.STDOUT)
        self.ready_seconds = self._wait_ready(ready_timeout)

    def _wait_ready(self, timeout: float) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.log.seek(0)
                raise RuntimeError(f"{shlex.join(self.command)} exited with {self.process.returncode}:\n"
                                   + self.log.read().decode(errors="replace")[-2000:])
            try:
                with urllib.request.urlopen(self.url + "/", timeout=2) as response:
                    response.read()
                    return time.perf_counter() - self.started
            except OSError:
                time.sleep(0.1)
        raise TimeoutError(f"{shlex.join(self.command)} did not answer within {timeout:g} s")

    def pids(self) -> list[int]:
        """The server process and every descendant (workers, threads are inside their process)."""
        parents: dict[int, int] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
        tree, frontier = [self.process.pid], [self.process.pid]
        while frontier:
            children = [pid for pid, ppid in parents.items() if ppid in frontier]
            tree += children
            frontier = children
        return tree

    def cpu_seconds(self) -> float:
        """User + system CPU of the tree so far, reaped workers included (by their parent's counts)."""
        total = 0
        for pid in self.pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += sum(int(fields[i]) for i in (11, 12, 13, 14))  # utime stime cutime cstime
        return total / CLOCK_TICKS

    def cpu_seconds_exact(self) -> float:
        """The CPU time of the tree's live threads so far, to the nanosecond (threads_cpu_seconds)."""
        return threads_cpu_seconds(self.pids())

    def rss_bytes(self) -> int:
        total = 0
        for pid in self.pids():
            try:
                total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_SIZE
            except OSError:
                continue
        return total

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
        self.log.close()

    def __enter__(self) -> "Server":
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()


def atlas(env: dict | None = None, **kwargs) -> Server:
    return Server(run_command(), env=env, **kwargs)


def floor(**kwargs) -> Server:
    return Server(floor_command(run_command()), **kwargs)
