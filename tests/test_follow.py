"""Two browsers: a presenter at 1280 × 720 and a phone at 375 × 812 that opens the presenter's QR code.
The phone follows each change through its stream (it never polls), stops when its owner taps, catches up
on "Follow the presenter", and keeps the last view when the presentation ends; with the SQLite store and
with a real Redis server. Served by waitress, a follower's polls (the fallback) keep one connection."""
from __future__ import annotations

import io
import time
from types import SimpleNamespace
from urllib.parse import parse_qs, urlparse

import pytest
import zxingcpp
from PIL import Image
from selenium.webdriver.common.keys import Keys

from helpers import console_problems, panel_territory, press_keys, wait_until

PROJECTOR = (1280, 720)
FOLLOW_SECONDS = 2  # the promise: each change on the phone within 2 s of the presenter's page


def _projector(duo):
    driver = duo.driver
    extra_w, extra_h = driver.execute_script("return [outerWidth - innerWidth, outerHeight - innerHeight];")
    driver.set_window_size(PROJECTOR[0] + extra_w, PROJECTOR[1] + extra_h)


def _qr_text(duo) -> str | None:
    """The QR code as a phone's camera reads it: the image as drawn, decoded."""
    element = duo.find_element("#qr-code")
    duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", element)
    codes = zxingcpp.read_barcodes(Image.open(io.BytesIO(element.screenshot_as_png)))
    return codes[0].text if len(codes) == 1 else None


def _status(phone) -> dict:
    return phone.driver.execute_script("""
        const s = document.getElementById('follow-status'), a = document.getElementById('follow-again');
        const bar = document.getElementById('follow-bar');
        return s && {following: s.dataset.following, text: s.textContent, state: bar.dataset.state,
                     barShown: !bar.hidden && bar.checkVisibility(), againShown: !a.hidden && a.checkVisibility(),
                     lang: document.documentElement.lang};""")


def _next_territory(duo, code: str) -> str:
    order = duo.driver.execute_script(
        "return [...document.querySelectorAll('#territory-list button.territory-item')].map(b => b.dataset.code);")
    return order[(order.index(code) + 1) % len(order)]


def _polls(browser) -> list[str]:
    """The polls the page made (GET /follow/room/...): none while its stream brings the changes."""
    return [name for name in browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name);") if "/follow/room/" in name]


def _phone_shows(phone, code: str, timeout: float, message: str) -> float:
    """Wait until the phone's panel shows the territory; the seconds it took."""
    start = time.monotonic()
    wait_until(phone, lambda: panel_territory(phone) == code, timeout=timeout, message=message)
    return time.monotonic() - start


def _press_next(presenter, code: str) -> str:
    """→ on the presenter's page; the territory it moved to, once its page shows it."""
    following = _next_territory(presenter, code)
    press_keys(presenter, Keys.ARROW_RIGHT)
    wait_until(presenter, lambda: panel_territory(presenter) == following, message=f"the presenter at {following}")
    return following


@pytest.mark.parametrize("store", ["sqlite", "redis"])
def test_a_phone_follows_the_presenter(start_atlas, dash_duo, phone_browser, tmp_path, store, request):
    env = ({"ATLAS_REDIS_URL": request.getfixturevalue("redis_url")} if store == "redis"
           else {"ATLAS_ROOM_DIR": str(tmp_path / "rooms"), "ATLAS_REDIS_URL": ""})
    dash_duo.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {
        "features": [{"name": "prefers-reduced-motion", "value": "reduce"}]})
    _projector(dash_duo)
    presenter = start_atlas("present=1&territory=MTQ", env=env)
    wait_until(presenter, lambda: _qr_text(presenter) is not None, message="a QR code")

    # the QR code opens the view with the room's code, and never the secret the presenter's browser holds
    url = _qr_text(presenter)
    params = parse_qs(urlparse(url).query)
    assert params["territory"] == ["MTQ"] and "present" not in params and len(params["room"][0]) == 7, url
    secret = next(c["value"] for c in presenter.driver.get_cookies() if c["name"] == "atlas_presenter")
    assert secret.split(":", 1)[1] not in url and secret.split(":", 1)[1] not in presenter.driver.page_source
    short = presenter.find_element("#follow-link").get_attribute("href")
    assert urlparse(short).query == f"room={params['room'][0]}"

    # the phone opens it (in French for the Redis run: a follower keeps its own language)
    lang = "fr" if store == "redis" else "en"
    phone = SimpleNamespace(driver=phone_browser, server=dash_duo.server)
    # every request of the page stays in its resource timings (not only the first 250)
    phone_browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument",
                                  {"source": "performance.setResourceTimingBufferSize(100000);"})
    phone_browser.get(url + ("&lang=fr" if lang == "fr" else ""))
    wait_until(phone, lambda: panel_territory(phone) == "MTQ", message="the phone at the QR code's view")
    wait_until(phone, lambda: (_status(phone) or {}).get("following") == "true", message="the phone following")
    assert _status(phone)["barShown"] and not _status(phone)["againShown"]

    # → twice: the phone follows each new territory
    code, latencies, from_key = "MTQ", [], []
    for _ in range(2):
        pressed = time.monotonic()
        code = _press_next(presenter, code)
        latencies.append(_phone_shows(phone, code, FOLLOW_SECONDS, f"the phone following to {code}"))
        from_key.append(time.monotonic() - pressed)
    status = _status(phone)
    assert status["following"] == "true" and status["lang"] == lang
    assert _polls(phone_browser) == [], "the phone polled: its stream should bring each change"
    print(f"phone followed in {', '.join(f'{s:.2f}' for s in latencies)} s after the presenter's page, "
          f"{', '.join(f'{s:.2f}' for s in from_key)} s after the key")

    # the phone's owner taps another territory: following stops, and the presenter no longer moves the phone
    mine = next(c for c in phone_browser.execute_script(
        "return [...document.querySelectorAll('#territory-list button.territory-item')].map(b => b.dataset.code);")
        if c not in (code, _next_territory(presenter, code)))
    button = phone_browser.find_element("css selector", f'#territory-list button[data-code="{mine}"]')
    # at the top of the screen: on a phone the bottom sheet covers the lower half
    phone_browser.execute_script("arguments[0].scrollIntoView({block: 'start', behavior: 'instant'});", button)
    button.click()
    wait_until(phone, lambda: panel_territory(phone) == mine, message="the phone at its own territory")
    wait_until(phone, lambda: _status(phone)["following"] == "false" and _status(phone)["againShown"],
               message="following off, and the button to follow again")
    code = _press_next(presenter, code)
    time.sleep(FOLLOW_SECONDS + 0.5)
    assert panel_territory(phone) == mine, "the presenter moved a phone that stopped following"

    # "Follow the presenter" catches up
    phone_browser.find_element("css selector", "#follow-again").click()
    _phone_shows(phone, code, FOLLOW_SECONDS, "the phone caught up")
    wait_until(phone, lambda: _status(phone)["following"] == "true" and not _status(phone)["againShown"],
               message="following again")
    assert _status(phone)["lang"] == lang

    # a reload keeps following (the address bar no longer names the room)
    phone_browser.refresh()
    wait_until(phone, lambda: panel_territory(phone) == code and (_status(phone) or {}).get("following") == "true",
               message="the reloaded phone following")

    # Esc: the presentation ends; the phone keeps the last view and says so
    press_keys(presenter, Keys.ESCAPE)
    wait_until(presenter, lambda: "present=1" not in presenter.driver.current_url, message="presenter mode left")
    wait_until(phone, lambda: _status(phone)["state"] == "ended", timeout=FOLLOW_SECONDS,
               message="the phone told that the presentation ended")
    ended = _status(phone)
    assert ended["following"] == "false" and ended["text"] and not ended["againShown"]
    assert ("terminée" if lang == "fr" else "ended") in ended["text"]
    assert panel_territory(phone) == code
    assert _polls(phone_browser) == []

    # the phone's page stayed clean, and loaded nothing from elsewhere (the presenter's is checked after the test)
    assert console_problems(phone_browser.get_log("browser")) == []
    origin = urlparse(dash_duo.server.url).netloc
    loaded = phone_browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name);")
    assert [r for r in loaded if urlparse(r).netloc not in (origin, "")] == []


@pytest.mark.parametrize("room, state, words", [
    ("ABC2345", "unknown", "unknown or has expired"),
    ("%3Cscript%3E", "invalid", "not valid"),
])
def test_a_bad_room_code_says_so_and_shows_the_view(start_atlas, tmp_path, room, state, words):
    duo = start_atlas(f"territory=MTQ&room={room}", env={"ATLAS_ROOM_DIR": str(tmp_path / "rooms"), "ATLAS_REDIS_URL": ""})
    wait_until(duo, lambda: (_status(duo) or {}).get("state") == state, message=f"the {state} room message")
    status = _status(duo)
    assert status["following"] == "false" and status["barShown"] and words in status["text"]
    assert not status["againShown"] and panel_territory(duo) == "MTQ"


def test_a_follower_s_polls_keep_one_connection(tmp_path, monkeypatch):
    """Served by waitress as `bin/run` serves: a follower asks an unchanged room on one connection
    (waitress closes it after a 304, so the poll names its ETag in `seen=` and gets an empty 200), and
    a change comes on that same connection."""
    import http.client
    import os
    import threading

    import waitress

    from dashboard import follow
    from dashboard.__main__ import WAITRESS
    from dashboard.app import create_app
    from helpers import free_port

    monkeypatch.setenv("ATLAS_ROOM_DIR", str(tmp_path))
    monkeypatch.setenv("ATLAS_REDIS_URL", "")
    app = create_app()
    store = app.server.config[follow.STORE_KEY]
    code, secret = store.create()
    store.publish(code, secret, "territory=MTQ", True)
    base = int(os.environ.get("ATLAS_TEST_PORT_BASE", "8050"))
    port = free_port(base + 90, base + 99)
    server = waitress.create_server(app.server, host="127.0.0.1", port=port, **WAITRESS)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)

        def poll(seen: str | None = None):
            connection.request("GET", follow.POLL_PREFIX + code + (f"?seen={seen}" if seen else ""))
            answer = connection.getresponse()
            return answer, answer.read()

        first, body = poll()
        assert first.status == 200 and b'"territory=MTQ"' in body
        etag, sock = first.getheader("ETag"), connection.sock
        for _ in range(3):
            same, body = poll(etag)
            assert (same.status, body, same.getheader("ETag")) == (200, b"", etag)
            assert not same.will_close and connection.sock is sock, "the server closed the follower's connection"
        presenter = app.server.test_client()
        presenter.set_cookie(follow.COOKIE, f"{code}:{secret}")
        assert presenter.post(follow.PUBLISH_PATH, json={"live": True, "query": "territory=ITA"}).status_code == 200
        moved, body = poll(etag)
        assert moved.status == 200 and b'"territory=ITA"' in body and moved.getheader("ETag") != etag
        assert connection.sock is sock
        connection.close()
    finally:
        server.close()
        thread.join(timeout=5)
