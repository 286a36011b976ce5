"""What each user action does to a view state, and replaying queued actions (dashboard.actions)."""
from __future__ import annotations

import json

import pytest

from dashboard import data
from dashboard.actions import apply, apply_pending, data_action, seq_of
from dashboard.state import MAX_MORE, MAX_TOUR_STEPS, ViewState, Vocabulary, tour_entry
from helpers import DATA

DATASET = data.load(DATA)
VOCAB = Vocabulary.of(DATASET)
FIRST, SECOND, LAST = VOCAB.themes[0], VOCAB.themes[1], VOCAB.themes[-1]
DEFAULT_PAIR = tuple(DATASET.mapped_codes[:2])
TOUR = ("territory=FRA", "territory=ITA", "territory=MTQ&theme=" + FIRST)


def _step(i: int, **extra) -> ViewState:
    """The view of step i of TOUR, with the tour running; step 3 is its end, on the last step's view."""
    code = ("FRA", "ITA", "MTQ", "MTQ")[i]
    return ViewState(territory=code, themes=(FIRST,) if i >= 2 else (), tour=TOUR, step=i, **extra)


@pytest.mark.parametrize("state, action, expected", [
    # a territory (map click or list button) toggles; unknown or malformed codes change nothing
    (ViewState(), {"kind": "territory", "code": "FRA"}, ViewState(territory="FRA")),
    (ViewState(territory="FRA"), {"kind": "territory", "code": "FRA"}, ViewState()),
    (ViewState(territory="FRA"), {"kind": "territory", "code": "MTQ"}, ViewState(territory="MTQ")),
    (ViewState(), {"kind": "territory", "code": "XXX"}, ViewState()),
    (ViewState(), {"kind": "territory", "code": ["FRA"]}, ViewState()),
    (ViewState(), {"kind": "territory"}, ViewState()),
    (ViewState(territory="FRA", q="x"), {"kind": "clear"}, ViewState(q="x")),
    # a theme chip toggles its filter, keeping the taxonomy's order
    (ViewState(), {"kind": "theme", "theme": SECOND}, ViewState(themes=(SECOND,))),
    (ViewState(themes=(SECOND,)), {"kind": "theme", "theme": FIRST}, ViewState(themes=(FIRST, SECOND))),
    (ViewState(themes=(FIRST, SECOND)), {"kind": "theme", "theme": FIRST}, ViewState(themes=(SECOND,))),
    (ViewState(), {"kind": "theme", "theme": "nope"}, ViewState()),
    # a matrix cell: exactly that territory and theme
    (ViewState(themes=(FIRST, SECOND)), {"kind": "cell", "theme": LAST, "code": "ITA"},
     ViewState(territory="ITA", themes=(LAST,))),
    (ViewState(), {"kind": "cell", "theme": LAST, "code": "XXX"}, ViewState()),
    # T: one theme after another, then every theme
    (ViewState(), {"kind": "next-theme"}, ViewState(themes=(FIRST,))),
    (ViewState(themes=(FIRST,)), {"kind": "next-theme"}, ViewState(themes=(SECOND,))),
    (ViewState(themes=(LAST,)), {"kind": "next-theme"}, ViewState()),
    (ViewState(themes=(FIRST, SECOND)), {"kind": "next-theme"}, ViewState(themes=(FIRST,))),
    # map reset, presenter mode, language
    (ViewState(region="europe", territory="FRA", q="x"), {"kind": "map-reset"}, ViewState(q="x")),
    (ViewState(), {"kind": "present"}, ViewState(present=True)),
    (ViewState(present=True), {"kind": "present"}, ViewState()),
    (ViewState(present=True), {"kind": "present", "on": False}, ViewState()),
    (ViewState(), {"kind": "present", "on": False}, ViewState()),
    (ViewState(), {"kind": "present", "on": True}, ViewState(present=True)),
    (ViewState(), {"kind": "present", "on": "yes"}, ViewState(present=True)),  # not a bool: the button's toggle
    (ViewState(territory="FRA"), {"kind": "lang"}, ViewState(territory="FRA", lang="fr")),
    (ViewState(lang="fr"), {"kind": "lang"}, ViewState()),
    # reset all keeps the language, presenter mode and the tour
    (ViewState(lang="fr", territory="FRA", actors=("national",), themes=(FIRST,), report=1, q="x", region="europe",
               tab="matrix", compare=("FRA", "ITA"), present=True, tour=TOUR, step=1),
     {"kind": "reset"}, ViewState(lang="fr", present=True, tour=TOUR)),
    # the tour
    (ViewState(territory="FRA"), {"kind": "tour-add"}, ViewState(territory="FRA", tour=("territory=FRA",))),
    (ViewState(territory="FRA", tour=("territory=FRA",)), {"kind": "tour-add"},
     ViewState(territory="FRA", tour=("territory=FRA",))),  # the same view twice in a row is kept once
    (ViewState(), {"kind": "tour-add"}, ViewState(tour=("region=world",))),
    (_step(1), {"kind": "tour-clear"}, ViewState(territory="ITA")),
    (ViewState(tour=TOUR), {"kind": "tour-step", "delta": 1}, _step(0)),
    (_step(0), {"kind": "tour-step", "delta": 1}, _step(1)),
    (_step(0), {"kind": "tour-step", "delta": -1}, _step(0)),
    (_step(2), {"kind": "tour-step", "delta": 1}, _step(3)),  # past the last step: the end of the tour
    (_step(3), {"kind": "tour-step", "delta": 1}, _step(3)),
    (_step(3), {"kind": "tour-step", "delta": -1}, _step(2)),
    (ViewState(), {"kind": "tour-step", "delta": 1}, ViewState()),
    (_step(0), {"kind": "tour-step", "delta": 2}, _step(0)),
    (_step(0), {"kind": "tour-step", "delta": True}, _step(0)),
    # ← →: the tour once it has steps, in its own order, from its first step even before it runs
    (ViewState(tour=TOUR, present=True), {"kind": "next", "delta": 1}, _step(0, present=True)),
    (ViewState(territory="MEX", tour=TOUR), {"kind": "next", "delta": 1}, _step(0)),
    (ViewState(tour=TOUR), {"kind": "next", "delta": -1}, _step(0)),
    (_step(0), {"kind": "next", "delta": 1}, _step(1)),
    (_step(1), {"kind": "next", "delta": 1}, _step(2)),
    (_step(1, present=True), {"kind": "next", "delta": -1}, _step(0, present=True)),
    (_step(0), {"kind": "next", "delta": -1}, _step(0)),
    (_step(2, present=True), {"kind": "next", "delta": 1}, _step(3, present=True)),  # → on the last step: the end
    (_step(3), {"kind": "next", "delta": 1}, _step(3)),
    (_step(3), {"kind": "next", "delta": -1}, _step(2)),
    # a view moved away from its step: the arrows go on from the step
    (_step(1).but(territory="ARG"), {"kind": "next", "delta": 1}, _step(2)),
    (ViewState(tour=("territory=MTQ",)), {"kind": "next", "delta": 1}, ViewState(territory="MTQ", tour=("territory=MTQ",), step=0)),
    (ViewState(territory="MTQ", tour=("territory=MTQ",), step=0), {"kind": "next", "delta": 1},
     ViewState(territory="MTQ", tour=("territory=MTQ",), step=1)),
    # ... else the territory list (Argentina … Mexico by name), going round
    (ViewState(), {"kind": "next", "delta": 1}, ViewState(territory="ARG")),
    (ViewState(), {"kind": "next", "delta": -1}, ViewState(territory="MEX")),
    (ViewState(territory="ARG"), {"kind": "next", "delta": 1}, ViewState(territory="FRA")),
    (ViewState(territory="ARG"), {"kind": "next", "delta": -1}, ViewState(territory="MEX")),
    (ViewState(territory="MEX"), {"kind": "next", "delta": 1}, ViewState(territory="ARG")),
    (ViewState(tour=()), {"kind": "next", "delta": 1}, ViewState(territory="ARG")),  # a cleared tour
    # ... under the filters; a list that holds only the selected territory keeps it
    (ViewState(q="airbnb", territory="FRA"), {"kind": "next", "delta": 1}, ViewState(q="airbnb", territory="ITA")),
    (ViewState(q="martinique", territory="MTQ"), {"kind": "next", "delta": 1}, ViewState(q="martinique", territory="MTQ")),
    (ViewState(q="martinique"), {"kind": "next", "delta": -1}, ViewState(q="martinique", territory="MTQ")),
    (ViewState(q="no such words"), {"kind": "next", "delta": 1}, ViewState(q="no such words")),
    # a filter control, checked as its URL parameter would be
    (ViewState(), {"kind": "set", "name": "themes", "value": [SECOND, FIRST]}, ViewState(themes=(FIRST, SECOND))),
    (ViewState(themes=(FIRST,)), {"kind": "set", "name": "themes", "value": []}, ViewState()),
    (ViewState(), {"kind": "set", "name": "themes", "value": [FIRST, "nope"]}, ViewState()),
    (ViewState(), {"kind": "set", "name": "actors", "value": ["national"]}, ViewState(actors=("national",))),
    (ViewState(), {"kind": "set", "name": "actors", "value": "national"}, ViewState()),
    (ViewState(), {"kind": "set", "name": "actors", "value": [1]}, ViewState()),
    (ViewState(), {"kind": "set", "name": "report", "value": "1"}, ViewState(report=1)),
    (ViewState(report=1), {"kind": "set", "name": "report", "value": "all"}, ViewState()),
    (ViewState(report=1), {"kind": "set", "name": "report", "value": "9"}, ViewState(report=1)),
    (ViewState(), {"kind": "set", "name": "report", "value": 1}, ViewState()),
    (ViewState(), {"kind": "set", "name": "q", "value": "  prévention  "}, ViewState(q="prévention")),
    (ViewState(q="x"), {"kind": "set", "name": "q", "value": ""}, ViewState()),
    (ViewState(), {"kind": "set", "name": "q", "value": "x" * 201}, ViewState()),
    (ViewState(), {"kind": "set", "name": "region", "value": "europe"}, ViewState(region="europe")),
    (ViewState(), {"kind": "set", "name": "region", "value": "mars"}, ViewState()),
    (ViewState(), {"kind": "set", "name": "tab", "value": "matrix"}, ViewState(tab="matrix")),
    (ViewState(), {"kind": "set", "name": "territory", "value": "FRA"}, ViewState()),
    (ViewState(), {"kind": "set", "value": "FRA"}, ViewState()),
    # one box of a checklist, whatever the other boxes showed when it was ticked
    (ViewState(themes=(SECOND,)), {"kind": "tick", "name": "themes", "value": FIRST, "on": True},
     ViewState(themes=(FIRST, SECOND))),
    (ViewState(themes=(FIRST, SECOND)), {"kind": "tick", "name": "themes", "value": FIRST, "on": False},
     ViewState(themes=(SECOND,))),
    (ViewState(themes=(SECOND,)), {"kind": "tick", "name": "themes", "value": FIRST, "on": False}, ViewState(themes=(SECOND,))),
    (ViewState(actors=("national",)), {"kind": "tick", "name": "actors", "value": "private", "on": True},
     ViewState(actors=("national", "private"))),
    (ViewState(), {"kind": "tick", "name": "actors", "value": "martians", "on": True}, ViewState()),
    (ViewState(), {"kind": "tick", "name": "actors", "value": "national", "on": "yes"}, ViewState()),
    (ViewState(), {"kind": "tick", "name": "region", "value": "europe", "on": True}, ViewState()),
    (ViewState(), {"kind": "tick", "name": "actors", "value": ["national"], "on": True}, ViewState()),
    # Back, Forward or a link: the URL's whole view, in the browser's language unless it names one
    (ViewState(territory="FRA", themes=(FIRST,), present=True), {"kind": "url", "query": "territory=MTQ&lang=fr"},
     ViewState(territory="MTQ", lang="fr")),
    (ViewState(lang="fr", browser_lang="fr", territory="FRA"), {"kind": "url", "query": ""},
     ViewState(lang="fr", browser_lang="fr")),
    (ViewState(territory="FRA"), {"kind": "url", "query": "territory=ZZZ&tour=territory=ITA&step=0"},
     ViewState(tour=("territory=ITA",), step=0)),
    (ViewState(territory="FRA"), {"kind": "url", "query": 5}, ViewState(territory="FRA")),
    # a link inside the page that names only a view keeps presenter mode, the tour and its place in it
    (_step(0, present=True), {"kind": "link", "query": "territory=ITA"},
     ViewState(territory="ITA", present=True, tour=TOUR, step=0)),
    (_step(0), {"kind": "link", "query": "lang=fr&territory=ITA"}, ViewState(lang="fr", territory="ITA", tour=TOUR, step=0)),
    # ... and one that names them (a tour step) is followed as it is; Back is not a link
    (_step(0, present=True), {"kind": "link", "query": "territory=ITA&tour=territory%3DITA&step=0"},
     ViewState(territory="ITA", tour=("territory=ITA",), step=0)),
    (_step(0, present=True), {"kind": "url", "query": "territory=ITA"}, ViewState(territory="ITA")),
    (ViewState(territory="FRA"), {"kind": "link", "query": ["territory=ITA"]}, ViewState(territory="FRA")),
    # a pick in the comparison's lists; the pair on screen is the state's, else the first two territories
    (ViewState(compare=("FRA", "ITA")), {"kind": "compare", "side": "b", "code": "MEX"}, ViewState(compare=("FRA", "MEX"))),
    (ViewState(compare=("FRA", "ITA")), {"kind": "compare", "side": "a", "code": "MEX"}, ViewState(compare=("MEX", "ITA"))),
    (ViewState(compare=("FRA", "ITA")), {"kind": "compare", "side": "a", "code": "FRA"}, ViewState(compare=("FRA", "ITA"))),
    # the other side's territory: the sides swap
    (ViewState(compare=("FRA", "ITA")), {"kind": "compare", "side": "b", "code": "FRA"}, ViewState(compare=("ITA", "FRA"))),
    (ViewState(), {"kind": "compare", "side": "a", "code": DEFAULT_PAIR[1]}, ViewState(compare=DEFAULT_PAIR[::-1])),
    (ViewState(), {"kind": "compare", "side": "b", "code": DEFAULT_PAIR[1]}, ViewState()),  # what it shows already
    (ViewState(), {"kind": "compare", "side": "b", "code": "ESP"}, ViewState()),  # no recommendation to compare
    (ViewState(), {"kind": "compare", "side": "b", "code": "ZZZ"}, ViewState()),
    (ViewState(), {"kind": "compare", "side": "c", "code": "FRA"}, ViewState()),
    (ViewState(), {"kind": "compare", "side": "a", "code": ["FRA"]}, ViewState()),
    # "Show more" adds a page of cards, up to the hard cap; a new territory or filter starts the list again,
    # but not the language, the tab or the map's region; a URL says itself how many it shows
    (ViewState(themes=(FIRST,)), {"kind": "more"}, ViewState(themes=(FIRST,), more=1)),
    (ViewState(territory="FRA", more=1), {"kind": "more"}, ViewState(territory="FRA", more=2)),
    (ViewState(more=MAX_MORE - 1), {"kind": "more"}, ViewState(more=MAX_MORE)),
    (ViewState(more=MAX_MORE), {"kind": "more"}, ViewState(more=MAX_MORE)),
    (ViewState(territory="FRA", more=2), {"kind": "territory", "code": "ITA"}, ViewState(territory="ITA")),
    (ViewState(territory="FRA", more=2), {"kind": "clear"}, ViewState()),
    (ViewState(more=2), {"kind": "theme", "theme": FIRST}, ViewState(themes=(FIRST,))),
    (ViewState(more=2), {"kind": "tick", "name": "actors", "value": "national", "on": True},
     ViewState(actors=("national",))),
    (ViewState(more=2), {"kind": "set", "name": "q", "value": "abus"}, ViewState(q="abus")),
    (ViewState(more=2), {"kind": "set", "name": "report", "value": "2"}, ViewState(report=2)),
    (ViewState(more=2), {"kind": "cell", "theme": FIRST, "code": "FRA"}, ViewState(territory="FRA", themes=(FIRST,))),
    (ViewState(more=2), {"kind": "reset"}, ViewState()),
    (ViewState(more=2), {"kind": "lang"}, ViewState(lang="fr", more=2)),
    (ViewState(more=2), {"kind": "set", "name": "tab", "value": "matrix"}, ViewState(tab="matrix", more=2)),
    (ViewState(more=2), {"kind": "set", "name": "region", "value": "europe"}, ViewState(region="europe", more=2)),
    (ViewState(more=2), {"kind": "set", "name": "q", "value": "bad\ud800"}, ViewState(more=2)),  # nothing changed
    (ViewState(territory="FRA"), {"kind": "url", "query": "territory=ITA&more=3"}, ViewState(territory="ITA", more=3)),
    (ViewState(more=3), {"kind": "url", "query": "territory=ITA"}, ViewState(territory="ITA")),
    (ViewState(more=3), {"kind": "link", "query": "territory=ITA"}, ViewState(territory="ITA")),
    # anything else
    (ViewState(), {"kind": "explode"}, ViewState()),
    (ViewState(), {"kind": 3}, ViewState()),
    (ViewState(), {}, ViewState()),
])
def test_apply(state, action, expected):
    assert apply(DATASET, VOCAB, state, action) == expected


def test_a_full_tour_takes_no_more_views():
    tour = tuple(f"q=w{i}" for i in range(MAX_TOUR_STEPS))
    state = ViewState(territory="FRA", tour=tour)
    assert apply(DATASET, VOCAB, state, {"kind": "tour-add"}) == state
    assert tour_entry(ViewState(territory="FRA")) == "territory=FRA"


def _queued(*actions) -> list[dict]:
    return [dict(a, seq=i) for i, a in enumerate(actions, start=1)]


@pytest.mark.parametrize("applied, items, expected, last", [
    # a request that overtook the earlier ones replays them all: three presses, three steps
    (0, _queued(*[{"kind": "next", "delta": 1}] * 3), ViewState(territory="GUY"), 3),
    # the page already holds the first two
    (2, _queued(*[{"kind": "next", "delta": 1}] * 3), ViewState(territory="ARG"), 3),
    # a click, then a chip of the panel that was on screen
    (0, _queued({"kind": "territory", "code": "FRA"}, {"kind": "theme", "theme": FIRST}),
     ViewState(territory="FRA", themes=(FIRST,)), 2),
    # a click, "add this view", another click, "add this view"
    (0, _queued({"kind": "territory", "code": "FRA"}, {"kind": "tour-add"},
                {"kind": "territory", "code": "ITA"}, {"kind": "tour-add"}),
     ViewState(territory="ITA", tour=("territory=FRA", "territory=ITA")), 4),
    # in the order of their numbers, whatever the list's order
    (0, [{"kind": "territory", "code": "ITA", "seq": 2}, {"kind": "territory", "code": "FRA", "seq": 1}],
     ViewState(territory="ITA"), 2),
    # a reset, then a box ticked while the old filters were still on screen
    (0, _queued({"kind": "reset"}, {"kind": "tick", "name": "actors", "value": "international", "on": True}),
     ViewState(actors=("international",)), 2),
    # a chip, then a box ticked before the chip's theme showed in the filter
    (0, _queued({"kind": "theme", "theme": FIRST}, {"kind": "tick", "name": "themes", "value": LAST, "on": True}),
     ViewState(themes=(FIRST, LAST)), 2),
    # a reset, then a tick made before the reset was on screen
    (0, _queued({"kind": "territory", "code": "ITA"}, {"kind": "reset"}, {"kind": "set", "name": "themes", "value": [LAST]}),
     ViewState(themes=(LAST,)), 3),
    # a link followed, then a click on the new page
    (0, _queued({"kind": "url", "query": "territory=ITA"}, {"kind": "theme", "theme": FIRST}),
     ViewState(territory="ITA", themes=(FIRST,)), 2),
    # no more than a person can queue in one round trip: the first 100, 6 territories round
    (0, _queued(*[{"kind": "next", "delta": 1}] * 150), ViewState(territory="ITA"), 100),
    # nothing new
    (5, _queued({"kind": "territory", "code": "FRA"}), ViewState(), 5),
    (0, [], ViewState(), 0),
    (0, None, ViewState(), 0),
    # what a client should never send is dropped
    (0, [{"kind": "territory", "code": "FRA"}, {"kind": "territory", "code": "ITA", "seq": "2"},
         {"kind": "territory", "code": "MEX", "seq": True}, {"kind": "territory", "code": "GUY", "seq": -3},
         {"kind": "territory", "code": "ARG", "seq": 2.0}, "junk", 7], ViewState(), 0),
    (0, {"items": _queued({"kind": "territory", "code": "FRA"})}, ViewState(), 0),
    (0, "junk", ViewState(), 0),
    (0, 42, ViewState(), 0),
])
def test_apply_pending(applied, items, expected, last):
    assert apply_pending(DATASET, VOCAB, ViewState(), applied, items) == (expected, last)


def test_data_action_is_the_json_that_actions_js_reads():
    assert data_action("territory", code="MTQ") == {"data-action": '{"kind":"territory","code":"MTQ"}'}
    assert json.loads(data_action("tour-step", delta=-1)["data-action"]) == {"kind": "tour-step", "delta": -1}


@pytest.mark.parametrize("value, seq", [(3, 3), (0, 0), (-1, 0), (True, 0), (2.0, 0), ("3", 0), (None, 0), ([3], 0)])
def test_seq_of(value, seq):
    assert seq_of(value) == seq
