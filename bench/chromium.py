"""Debian's headless Chromium as the tests and the benchmark start it: one copy of the flags."""
from __future__ import annotations

import shutil
import tempfile

# No network chatter (the machine may have no internet), no first-run or sync, a fixed window.
CHROMIUM_FLAGS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--window-size=1400,1000", "--lang=en-GB",
)


def chrome_options(*extra: str):
    """Selenium options for a fresh, headless Chromium profile that asks for English."""
    from selenium.webdriver.chrome.options import Options

    options = Options()
    for flag in (*CHROMIUM_FLAGS, *extra):
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tempfile.mkdtemp(prefix='atlas-chromium-')}")
    options.add_experimental_option("prefs", {"intl.accept_languages": "en-GB,en"})
    chromium = shutil.which("chromium")
    if chromium:
        options.binary_location = chromium
    return options
