"""Whatever a client sends back, the server answers 200 with a valid view: a tampered stored view or
action falls back to its default exactly as in a link, never reaches a file path, and the answer stays small."""
from __future__ import annotations

import pytest

from dashboard import i18n
from dashboard.app import create_app
from dashboard.state import MAX_TOUR_STEPS, ViewState, to_query
from helpers import callback_body

# A page with a default view stores "", and its controls show their defaults.
SHOWN = {"actor-filter.value": [], "theme-filter.value": [], "report-filter.value": "all", "search.value": "",
         "region.value": "world", "tab.value": "map"}
MAX_ANSWER = 400_000  # bytes: a whole page with its map; a 110 MB answer was the bug
CUT_TOUR = to_query(ViewState(tour=("territory=MTQ",) * MAX_TOUR_STEPS))
SURROGATE = "\ud800"


def _tour_of(steps: int) -> str:
    return "tour=" + "|".join(["territory%3DMTQ"] * steps)


@pytest.fixture(scope="module")
def atlas():
    return create_app()


@pytest.fixture(autouse=True)
def only_known_catalogs(monkeypatch):
    """No client value may name a catalog file."""
    real = i18n.catalog_path

    def guarded(lang):
        assert lang in i18n.LANGS, lang
        return real(lang)
    monkeypatch.setattr(i18n, "catalog_path", guarded)


def _post(atlas, trigger: str, values: dict, headers: dict | None = None):
    response = atlas.server.test_client().post("/_dash-update-component", json=callback_body(atlas, trigger, values),
                                               headers=headers or {})
    assert response.status_code == 200, response.data[:300]
    assert len(response.data) < MAX_ANSWER
    return response.json["response"]


def _stored(page) -> str:
    """The view query a redrawn page stores."""
    def find(node):
        if isinstance(node, list):
            return next((found for item in node if (found := find(item)) is not None), None)
        if isinstance(node, dict):
            props = node.get("props", {})
            return props["data"] if props.get("id") == "view-state" else find(props.get("children"))
        return None
    return find(page)


# The page's stored view, as a tampering client may send it back with an action: the server reads it
# as a link and, since it is not what the server wrote, draws the page it means anew.
@pytest.mark.parametrize("stored, expected", [
    ("territory=ZZZ", ""),
    ("lang=de", ""),
    ("lang=/etc", ""),
    ("lang=%2Fetc", ""),
    ("lang=..%2F..%2F..%2Fetc", ""),
    ("theme=nope", ""),
    ("actor=martians", ""),
    ("compare=FRA", ""),
    ("compare=FRA,ITA,MTQ", ""),
    ("q=" + SURROGATE, ""),
    ("territory=" + SURROGATE, ""),
    (SURROGATE, ""),
    ("q=" + "x" * 201, ""),
    ("report=" + "9" * 5000, ""),
    ("step=" + "9" * 5000, ""),
    ("actor=" + ",".join(["national"] * 10_000), ""),
    ("a=1&" * 5000, ""),  # too many parameters
    ("q=" + "x" * 900_000, ""),  # a huge string, just under the 1 MB request limit
    (_tour_of(2_000), CUT_TOUR),  # as in a link: the first 30 steps
    (_tour_of(5_000), CUT_TOUR),
    ("tour=" + "territory%3DMTQ%26q%3D" + "x" * 5000, ""),  # a step too long to be a view
    # wrong types: nothing a client sends but a string is a view
    (None, ""), (5, ""), (True, ""), ([], ""), (["territory=MTQ"], ""), ({}, ""),
    ({"territory": "ZZZ", "lang": "/etc", "themes": ["nope"], "q": 5, "tour": ["territory=MTQ"] * 2000}, ""),
])
def test_a_tampered_stored_view_falls_back_as_in_a_link(atlas, stored, expected):
    answer = _post(atlas, "actions.data", {"actions.data": {"items": [{"kind": "lang-none", "seq": 1}]},
                                           "view-state.data": stored, "applied.data": 0, **SHOWN})
    assert _stored(answer["page"]["children"]) == expected
    assert answer["view-query"]["data"]["query"] == expected


# Tampered actions on a default page: nothing changes, and the answer only counts them.
@pytest.mark.parametrize("action", [
    {"kind": "territory", "code": "ZZZ"},
    {"kind": "territory", "code": SURROGATE},
    {"kind": "territory", "code": ["MTQ"]},
    {"kind": "set", "name": "q", "value": 5},
    {"kind": "set", "name": "q", "value": SURROGATE},
    {"kind": "set", "name": "q", "value": "x" * 900_000},
    {"kind": "set", "name": "q", "value": None},
    {"kind": "set", "name": "themes", "value": ["nope"]},
    {"kind": "set", "name": "themes", "value": "prevention"},
    {"kind": "set", "name": "actors", "value": ["national"] * 60_000},
    {"kind": "set", "name": "actors", "value": [{"a": 1}]},
    {"kind": "set", "name": "lang", "value": "/etc"},
    {"kind": "set", "name": "tour", "value": "territory%3DMTQ"},
    {"kind": "set", "name": {"x": 1}, "value": "x"},
    {"kind": "set", "name": "report", "value": 1},
    {"kind": "set", "name": "region", "value": ["europe"]},
    {"kind": "tick", "name": "themes", "value": "nope", "on": True},
    {"kind": "tick", "name": "themes", "value": ["prevention"], "on": True},
    {"kind": "tick", "name": "q", "value": "x", "on": True},
    {"kind": "compare", "side": "a", "code": "ZZZ"},
    {"kind": "compare", "side": "c", "code": "ITA"},
    {"kind": "compare", "side": ["a"], "code": "ITA"},
    {"kind": "url", "query": "lang=/etc&territory=ZZZ&theme=nope&compare=FRA&q=" + SURROGATE},
    {"kind": "url", "query": 5},
    {"kind": "cell", "theme": "nope", "code": "FRA"},
    {"kind": "next", "delta": 10 ** 40},
    {"kind": "tour-step", "delta": "1"},
    {"kind": None}, {}, {"kind": "x" * 900_000},
])
def test_a_tampered_action_changes_nothing(atlas, action):
    answer = _post(atlas, "actions.data", {"actions.data": {"items": [dict(action, seq=1)]},
                                           "view-state.data": "", "applied.data": 0, **SHOWN})
    assert answer == {"applied": {"data": 1}}


@pytest.mark.parametrize("queued", [None, 5, "junk", [], {"items": None}, {"items": [1, "a", None, [1]]},
                                    {"items": [{"kind": "territory", "code": "MTQ", "seq": s} for s in (0, -1, 1.5, "2", None, True)]}])
@pytest.mark.parametrize("applied", [0, None, "7", -1, [], 10 ** 40])
def test_a_mangled_queue_changes_nothing(atlas, queued, applied):
    response = atlas.server.test_client().post("/_dash-update-component", json=callback_body(
        atlas, "actions.data", {"actions.data": queued, "view-state.data": "", "applied.data": applied, **SHOWN}))
    assert response.status_code in (200, 204)
    if response.status_code == 200:
        assert set(response.json["response"]) == {"applied"}


@pytest.mark.parametrize("header", ["/etc", "de", "../../etc;q=1", "fr;q=abc", "x" * 10_000, "", "*"])
def test_the_browser_language_comes_from_the_request_and_is_checked(atlas, header):
    answer = _post(atlas, "actions.data", {"actions.data": {"items": [{"kind": "territory", "code": "MTQ", "seq": 1}]},
                                           "view-state.data": "", "applied.data": 0, **SHOWN},
                   headers={"Accept-Language": header})
    assert answer["view-state"]["data"] in ("territory=MTQ", "lang=fr&territory=MTQ") or \
        _stored(answer["page"]["children"]) == "territory=MTQ"


# The first screen, the map and the print brief read what the client sends the same way.
@pytest.mark.parametrize("search", [None, 5, ["?lang=/etc"], {"a": 1}, "?lang=/etc&territory=ZZZ&theme=nope",
                                    "?" + SURROGATE, "?q=" + "x" * 900_000])
def test_a_tampered_first_url_opens_the_default_view(atlas, search):
    answer = _post(atlas, "url.pathname", {"url.pathname": "/", "url.search": search, "view-query.data": None})
    assert _stored(answer["page"]["children"]) == "" and answer["view-query"]["data"]["query"] == ""


@pytest.mark.parametrize("query", [None, 5, [], {"lang": "/etc"}, "lang=/etc&territory=ZZZ", SURROGATE, "x" * 900_000])
def test_a_tampered_map_drawn_still_draws_the_selected_map(atlas, query):
    """What the page says its map was drawn for is read as a link is: garbage gets a new figure, or the
    patch of a map drawn for the default view, never an error."""
    def answer(drawn):
        return _post(atlas, "actions.data", {"actions.data": {"items": [{"seq": 1, "kind": "territory", "code": "MTQ"}]},
                                             "view-state.data": "", "map-drawn.data": drawn})

    found = answer(query)
    assert found["map-drawn"]["data"] == "territory=MTQ"
    figure = found["map-answer"]["data"]["figure"]
    assert figure in (answer(None)["map-answer"]["data"]["figure"], answer("")["map-answer"]["data"]["figure"])


@pytest.mark.parametrize("query", [None, 5, {"territory": "MTQ"}, "territory=ZZZ", "lang=/etc&territory=" + SURROGATE])
def test_a_tampered_print_request_prints_no_brief(atlas, query):
    answer = _post(atlas, "print-request.data", {"print-request.data": 1, "view-state.data": query})
    assert answer["islands"]["data"] == {"brief-wrap": ""}
