"""Browser set-up for dash_duo (Debian's headless Chromium, no network chatter, a fresh profile), the fixture
that serves the Atlas to it, and the clean-console check that ends every browser test."""
from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

import flask
import pytest

TESTS = Path(__file__).resolve().parent
sys.path[:0] = [str(TESTS), str(TESTS.parent)]  # helpers.py, and the project (dashboard/, bench/)

pytest.register_assert_rewrite("helpers")  # its asserts explain themselves like a test's

from bench.chromium import chrome_options  # noqa: E402  (the one copy of the Chromium flags)
from dashboard.app import create_app  # noqa: E402
from helpers import assert_clean_page, free_port, settle, view_url, wait_for_map, wait_until  # noqa: E402

CALL_FAILED = pytest.StashKey[bool]()


def pytest_configure(config):
    """Under pytest-xdist, each worker serves its test apps on ports of its own."""
    from dash.testing.application_runners import BaseDashRunner

    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    base = int(os.environ.get("ATLAS_TEST_PORT_BASE", "8050"))  # several suites may run side by side
    BaseDashRunner._next_port = base + 1000 * int(worker.removeprefix("gw") or 0)
    config.addinivalue_line(
        "markers", "console_errors(*patterns): the browser test expects SEVERE console entries matching each "
                   "regular expression (and no other); without it, any console error fails the test")


def pytest_setup_options():
    return chrome_options()


# --- one Chromium per test worker, reset between tests ----------------------------------------------------
# Starting and quitting Chromium costs 1.5-2.5 s; a browser test takes about as long again. dash_duo's browser
# is therefore kept for the next test of the same worker and reset in between: a blank page, no cookies or cache,
# no emulation left over, the default window, an empty console log and the new test's download folder. Each test
# serves its app on a port of its own, so nothing a page stored (localStorage, sessionStorage) is seen again.
# After a failed test, or if the reset fails, the browser is quit and the next test starts a fresh one.

_SHARED = {"driver": None, "discard": False}
_RESET = (
    ("Emulation.clearDeviceMetricsOverride", {}),
    ("Emulation.setCPUThrottlingRate", {"rate": 1}),
    ("Emulation.setTouchEmulationEnabled", {"enabled": False}),
    ("Emulation.setEmulatedMedia", {"media": "", "features": []}),
    ("Network.clearBrowserCookies", {}),
    ("Network.clearBrowserCache", {}),
)


def _reset_browser(driver, download_path: str) -> None:
    handles = driver.window_handles
    for handle in handles[1:]:
        driver.switch_to.window(handle)
        driver.close()
    driver.switch_to.window(handles[0])
    driver.get("about:blank")
    for command, params in _RESET:
        driver.execute_cdp_cmd(command, params)
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": download_path})
    driver.set_window_size(*WINDOW)
    driver.get_log("browser")  # what the last page logged is not this test's


def _shared_webdriver(browser):
    driver, _SHARED["driver"] = _SHARED["driver"], None
    if driver is not None and not _SHARED["discard"]:
        try:
            _reset_browser(driver, browser.download_path)
            _SHARED["driver"] = driver
            return driver
        except Exception:  # noqa: BLE001  (a browser that cannot be reset is replaced, below)
            pass
    if driver is not None:
        _quit(driver)
    _SHARED["discard"] = False
    _SHARED["driver"] = _NEW_WEBDRIVER(browser)
    return _SHARED["driver"]


def _keep_webdriver(browser, *exc_info):
    if not _SHARED["discard"] and browser.driver is _SHARED["driver"]:
        try:
            browser.driver.get("about:blank")  # the page stops asking its server, which stops next
            return
        except Exception:  # noqa: BLE001  (a browser that cannot leave its page is not kept)
            pass
    _quit(browser.driver)
    if browser.driver is _SHARED["driver"]:
        _SHARED["driver"] = None


def _quit(driver) -> None:
    try:
        driver.quit()
    except Exception:  # noqa: BLE001  (already gone)
        pass


def pytest_unconfigure(config):
    if _SHARED["driver"] is not None:
        _quit(_SHARED["driver"])
        _SHARED["driver"] = None


from dash.testing.browser import Browser  # noqa: E402
from werkzeug.serving import ThreadedWSGIServer  # noqa: E402

# A test's server stops while the kept browser still holds idle keep-alive connections to it. Stopping joins the
# threads that serve connections, and those wait for a request that never comes: serve them from daemon threads.
ThreadedWSGIServer.daemon_threads = True

WINDOW = (1400, 1000)  # --window-size in bench/chromium.py
_NEW_WEBDRIVER = Browser.get_webdriver
Browser.get_webdriver = _shared_webdriver
Browser.__exit__ = _keep_webdriver


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.stash[CALL_FAILED] = report.failed
    return report


@pytest.fixture(autouse=True)
def _clean_console(request):
    """Every browser test ends with a clean page: no console error and nothing loaded from another origin.
    A test that expects console errors says so with @pytest.mark.console_errors("pattern", ...)."""
    if "dash_duo" not in request.fixturenames:
        yield
        return
    duo = request.getfixturevalue("dash_duo")  # set up first, so that the browser is still open at the end
    yield
    if request.node.stash.get(CALL_FAILED, True):
        _SHARED["discard"] = True  # the next test starts a fresh browser
    if not getattr(duo.server, "started", False) or request.node.stash.get(CALL_FAILED, True):
        return  # no page was served, or the test already failed and says why
    marker = request.node.get_closest_marker("console_errors")
    assert_clean_page(duo, tuple(marker.args) if marker else ())


@pytest.fixture
def start_atlas(dash_duo, monkeypatch):
    """Serve a fresh Atlas and open it at a view, in one page load; returns dash_duo once the map is drawn.

        start_atlas(query="", *, data_dir=None, env=None, latency=0.0, debug=False)

    `query` is the view's URL query ("territory=MTQ&lang=fr"); `data_dir` the data folder to load (the
    project's by default); `env` environment variables set for the test (e.g. the public address);
    `latency` seconds by which each callback answers late, as on a busy conference Wi-Fi: the start then
    waits for the first page's callbacks, and the end of the test for the answers still on their way, so
    that stopping the server does not cut a request short. `debug` turns on Dash's dev tools, which check
    every callback against the layout and count what they find in `.test-devtools-error-count`."""
    in_flight, lock = [0], threading.Lock()

    def start(query: str = "", *, data_dir: Path | None = None, env: dict[str, str] | None = None,
              latency: float = 0.0, debug: bool = False):
        for name, value in (env or {}).items():
            monkeypatch.setenv(name, value)
        app = create_app(data_dir)
        if latency:
            _answer_late(app, latency, in_flight, lock)
        extra = {"debug": True, "use_reloader": False, "dev_tools_hot_reload": False} if debug else {}
        dash_duo.start_server(app, navigate=False, **extra)
        dash_duo.server_url = view_url(dash_duo, query)  # loads the page, and waits for Dash to be there
        wait_for_map(dash_duo)
        if latency:
            settle(dash_duo, quiet_ms=int(2000 * latency))  # the first page's callbacks have landed
        return dash_duo

    yield start
    wait_until(dash_duo, lambda: in_flight[0] == 0, timeout=10, message="the last answers")


def _answer_late(app, latency: float, in_flight: list[int], lock: threading.Lock):
    @app.server.before_request
    def slow_callbacks():
        if flask.request.path.startswith("/_dash-update-component"):
            with lock:
                in_flight[0] += 1
            flask.g.counted = True
            time.sleep(latency)

    @app.server.teardown_request
    def answered(_error):
        if flask.g.pop("counted", False):
            with lock:
                in_flight[0] -= 1


@pytest.fixture(scope="session")
def dataset():
    """The project's data, loaded once."""
    from dashboard import data
    return data.load()


@pytest.fixture
def atlas(start_atlas):
    """The Atlas at its default view, map drawn."""
    return start_atlas()


# --- following the presenter: a real Redis server and the phone's browser -------------------------------

@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """Debian's redis-server, started for this test run on a free port (the last hundred of the run's
    range), with no persistence; its URL. `bash bin/setup --test` installs it."""
    import shutil
    import socket
    import subprocess

    exe = shutil.which("redis-server")
    if exe is None:
        pytest.fail("redis-server is not installed: `bash bin/setup --test` installs Debian's redis-server")
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    first = int(os.environ.get("ATLAS_TEST_PORT_BASE", "8050")) + 1000 * worker + 900
    port = free_port(first, first + 99)
    folder = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen([exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                                "--dir", str(folder), "--logfile", str(folder / "redis.log")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as connection:
                connection.sendall(b"PING\r\n")
                if connection.recv(16).startswith(b"+PONG"):
                    break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"redis-server did not start on port {port}: see {folder / 'redis.log'}")
        time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def phone_browser():
    """A second, independent Chromium as a phone: 375 × 812 CSS pixels, mobile, touch; its console log kept."""
    from selenium import webdriver

    options = chrome_options("--window-size=375,812")
    options.set_capability("goog:loggingPrefs", {"browser": "SEVERE"})
    driver = webdriver.Chrome(options=options)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 375, "height": 812, "deviceScaleFactor": 2, "mobile": True})
    driver.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 5})
    yield driver
    driver.quit()
