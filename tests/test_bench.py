"""The benchmark script keeps running as the app changes. It reports figures; budgets are never asserted here."""
from __future__ import annotations

import re
import subprocess
import sys

from helpers import ROOT

FIGURES = (
    "import app + load data", "geopandas imported at runtime", "filter callbacks (panel + map) + JSON",
    "initial page JSON (layout + figure), gzipped", "boundaries download, gzipped", "page load to painted map",
    "click on a territory to its panel", "filter change to updated map",
)


def test_the_benchmark_reports_every_figure():
    result = subprocess.run([sys.executable, "bench/run.py", "--rounds", "1"], cwd=ROOT, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    for name in FIGURES:
        line = next((line for line in lines if line.startswith(name)), None)
        assert line is not None, f"no figure for {name!r} in:\n{result.stdout}"
        assert re.search(r"\s(\d+\.\d|False)\b", line), line
