"""Browser set-up for dash_duo: Debian's headless Chromium, no network chatter, a fresh profile."""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def pytest_configure(config):
    """Under pytest-xdist, each worker serves its test apps on ports of its own."""
    from dash.testing.application_runners import BaseDashRunner

    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    base = int(os.environ.get("ATLAS_TEST_PORT_BASE", "8050"))  # several suites may run side by side
    BaseDashRunner._next_port = base + 1000 * int(worker.removeprefix("gw") or 0)

CHROMIUM_FLAGS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--window-size=1400,1000", "--lang=en-GB",
)


def pytest_setup_options():
    from selenium.webdriver.chrome.options import Options

    options = Options()
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tempfile.mkdtemp(prefix='atlas-chromium-')}")
    options.add_experimental_option("prefs", {"intl.accept_languages": "en-GB,en"})
    chromium = shutil.which("chromium")
    if chromium:
        options.binary_location = chromium
    return options
