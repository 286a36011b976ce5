"""In a browser, with a dataset too big for one list: 200 cards, the total, and "Show more" for the next 200."""
from __future__ import annotations

import sys
import time
from urllib.parse import parse_qs, urlparse

import pytest

from dashboard import data, queries
from dashboard.app import create_app
from dashboard.state import ViewState
from helpers import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from synthetic import write_dataset  # noqa: E402


@pytest.fixture(scope="module")
def big_dir(tmp_path_factory):
    return write_dataset(tmp_path_factory.mktemp("cards"), 1_500)


def _read(duo) -> tuple[int, str, bool]:
    """The cards in the panel, the "Showing … of …" line and whether "Show more" is there, in one script call."""
    return tuple(duo.driver.execute_script(
        "const p = document.querySelector('#side-panel'); if (!p) { return [0, '', false]; }"
        "const line = p.querySelector('.cards-shown');"
        "return [p.querySelectorAll('.rec-card').length, line ? line.textContent : '', Boolean(p.querySelector('#show-more'))];"))


def _wait(duo, expected, timeout=20):
    end, seen = time.time() + timeout, None
    while time.time() < end:
        seen = _read(duo)
        if seen == expected:
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {expected}; the panel shows {seen}")


def test_show_more_adds_the_next_200_cards(dash_duo, big_dir):
    dataset = data.load(big_dir)
    total = queries.summary(dataset, ViewState(actors=("national",))).total
    assert total > 2 * queries.CARD_LIMIT
    dash_duo.start_server(create_app(big_dir))
    dash_duo.wait_for_page(f"{dash_duo.server_url}/?actor=national", timeout=20)
    _wait(dash_duo, (200, f"Showing 200 of {total:,} recommendations", True))
    assert dash_duo.find_element("#show-more").text == "Show 200 more"

    dash_duo.find_element("#show-more").click()
    _wait(dash_duo, (400, f"Showing 400 of {total:,} recommendations", True))
    assert parse_qs(urlparse(dash_duo.driver.current_url).query)["more"] == ["1"]  # a reload keeps them

    # a new filter starts the list again at its first page
    box = dash_duo.find_element('#actor-filter input[value="private"]')
    dash_duo.find_element(f'#actor-filter label[for="{box.get_attribute("id")}"]').click()
    both = queries.summary(dataset, ViewState(actors=("national", "private"))).total
    _wait(dash_duo, (200, f"Showing 200 of {both:,} recommendations", True))
    assert "more" not in parse_qs(urlparse(dash_duo.driver.current_url).query)
    assert dash_duo.get_logs() == []
