"""The view state and its URL: round trips, defaults out of the URL, garbage ignored."""
from __future__ import annotations

import json

import pytest

from dashboard.i18n import preferred_lang
from dashboard.state import (CONTROLS, MAX_LIST, MAX_STEP_LENGTH, MAX_TOTAL_LENGTH, PARAMS, ViewState, Vocabulary,
                             control_values, href, parse_query, reset, set_control, to_query, tour_entry, tour_over,
                             tour_step)

VOCAB = Vocabulary(
    territories=frozenset({"FRA", "MTQ", "ITA", "GUY", "MEX", "ARG", "ESP"}),
    themes=("prevention", "training", "online"),
    reports=frozenset({1, 2}),
    comparable=frozenset({"FRA", "MTQ", "ITA", "GUY", "MEX", "ARG"}),
)

ROUND_TRIPS = [
    ViewState(),
    ViewState(lang="fr"),
    ViewState(territory="MTQ"),
    ViewState(actors=("international", "private")),
    ViewState(themes=("prevention", "online")),
    ViewState(report=2),
    ViewState(q="prévention des mineurs"),
    ViewState(region="caribbean"),
    ViewState(lang="fr", territory="MEX", actors=("national",), themes=("training",), report=2, q="a&b=c,d", region="americas"),
]


@pytest.mark.parametrize("state", ROUND_TRIPS, ids=lambda s: to_query(s) or "default")
def test_state_query_state_round_trip(state):
    parsed = parse_query(to_query(state), VOCAB)
    assert parsed.state == state and parsed.invalid == {}


@pytest.mark.parametrize("state, query", [
    (ViewState(), ""),
    (ViewState(lang="en", region="world"), ""),
    (ViewState(lang="fr"), "lang=fr"),
    (ViewState(actors=("international", "private")), "actor=international,private"),
    (ViewState(q="prévention"), "q=pr%C3%A9vention"),
    (ViewState(territory="MTQ", report=1), "territory=MTQ&report=1"),
])
def test_defaults_stay_out_of_the_url(state, query):
    assert to_query(state) == query
    assert href(state) == (f"?{query}" if query else "/")


@pytest.mark.parametrize("query, expected, invalid", [
    ("lang=de", ViewState(), {"lang"}),
    ("territory=ZZZ", ViewState(), {"territory"}),
    ("territory=mtq", ViewState(territory="MTQ"), set()),
    ("actor=martians", ViewState(), {"actor"}),
    ("actor=private,martians,international", ViewState(actors=("international", "private")), {"actor"}),
    ("actor=national,national", ViewState(actors=("national",)), set()),
    ("theme=nope", ViewState(), {"theme"}),
    ("theme=online,training", ViewState(themes=("training", "online")), set()),
    ("report=3", ViewState(), {"report"}),
    ("report=one", ViewState(), {"report"}),
    ("report=-1", ViewState(), {"report"}),
    ("region=mars", ViewState(), {"region"}),
    ("q=" + "x" * 201, ViewState(), {"q"}),
    ("q=%20%20two%20%20words%20", ViewState(q="two words"), set()),
    ("unknown=1&another", ViewState(), set()),
    ("%%%&&==&lang", ViewState(), set()),
    ("actor=&theme=", ViewState(), set()),
    ("lang=fr&lang=en", ViewState(lang="fr"), set()),
    # "Show more" presses: a whole number up to the hard cap
    ("more=3", ViewState(more=3), set()),
    ("more=%20%209%20", ViewState(more=9), set()),
    ("more=0", ViewState(), set()),
    ("more=10", ViewState(), {"more"}),
    ("more=-1", ViewState(), {"more"}),
    ("more=1.5", ViewState(), {"more"}),
    ("more=²", ViewState(), {"more"}),
    ("more=" + "9" * 5000, ViewState(), {"more"}),
])
def test_garbage_parameters_fall_back_to_defaults(query, expected, invalid):
    parsed = parse_query(query, VOCAB)
    assert parsed.state == expected
    assert set(parsed.invalid) == invalid


@pytest.mark.parametrize("query, browser, lang", [
    ("", "fr", "fr"),
    ("", "en", "en"),
    ("lang=en", "fr", "en"),
    ("lang=xx", "fr", "fr"),
])
def test_browser_language_is_the_default_until_the_url_says(query, browser, lang):
    assert parse_query(query, VOCAB, default_lang=browser).state.lang == lang


@pytest.mark.parametrize("browser, lang, query", [
    ("en", "en", ""),  # the one case a reload can recover without the URL's help
    ("en", "fr", "lang=fr"),
    ("fr", "fr", "lang=fr"),  # so that the link opens in French for anyone it is sent to
    ("fr", "en", "lang=en"),  # else a French browser would turn the page back to French on reload
])
def test_the_url_names_the_language_unless_english_is_what_the_browser_asks_for(browser, lang, query):
    state = parse_query(f"lang={lang}&territory=MTQ", VOCAB, default_lang=browser).state
    assert to_query(state) == "&".join(p for p in (query, "territory=MTQ") if p)
    # a reload in the same browser restores the same language, and the choice survives every change of view
    assert parse_query(to_query(state), VOCAB, default_lang=browser).state == state
    assert parse_query(to_query(state.but(territory=None, q="x")), VOCAB, default_lang=browser).state.lang == lang
    steps = (tour_entry(state), tour_entry(state.but(territory="ITA")))
    stepped = tour_step(state.but(tour=steps), 1, VOCAB)
    assert stepped.lang == lang and parse_query(to_query(stepped), VOCAB, default_lang=browser).state == stepped


@pytest.mark.parametrize("header, lang", [
    (None, "en"),
    ("", "en"),
    ("fr-FR,fr;q=0.9,en;q=0.8", "fr"),
    ("en-US,en;q=0.9,fr;q=0.8", "en"),
    ("de-DE,de;q=0.9,fr;q=0.5", "fr"),
    ("de,es", "en"),
    ("en;q=0.2,fr;q=0.7", "fr"),
    ("fr;q=0,en;q=0.1", "en"),
    ("fr;q=abc", "en"),
])
def test_preferred_lang(header, lang):
    assert preferred_lang(header) == lang


# Tabs, comparison, presenter mode and tours

TOUR = ("territory=MTQ", "territory=ITA&theme=prevention", "q=a%26b")

PRESENTER_ROUND_TRIPS = [
    ViewState(tab="matrix"),
    ViewState(tab="compare", compare=("ITA", "FRA")),
    ViewState(present=True),
    ViewState(tour=TOUR),
    ViewState(tour=TOUR, step=2),
    ViewState(lang="fr", territory="GUY", present=True, tour=TOUR[:1], step=0),
    ViewState(q="a&b", tour=TOUR, step=3),  # the end of the tour
    ViewState(tour=TOUR[:1], step=1),
]


@pytest.mark.parametrize("state", PRESENTER_ROUND_TRIPS, ids=lambda s: to_query(s))
def test_presenter_state_round_trip(state):
    parsed = parse_query(to_query(state), VOCAB)
    assert parsed.state == state and parsed.invalid == {}


@pytest.mark.parametrize("state, step, expected, over", [
    (ViewState(tour=TOUR), 0, ViewState(territory="MTQ", tour=TOUR, step=0), False),
    (ViewState(tour=TOUR, present=True), 2, ViewState(q="a&b", tour=TOUR, step=2, present=True), False),
    # past the last step: the end of the tour, which keeps the last view; never beyond it, nor before the first
    (ViewState(tour=TOUR), 3, ViewState(q="a&b", tour=TOUR, step=3), True),
    (ViewState(tour=TOUR), 9, ViewState(q="a&b", tour=TOUR, step=3), True),
    (ViewState(tour=TOUR), -1, ViewState(territory="MTQ", tour=TOUR, step=0), False),
    (ViewState(lang="fr", tour=TOUR[:1]), 1, ViewState(lang="fr", territory="MTQ", tour=TOUR[:1], step=1), True),
])
def test_tour_steps_and_the_end_of_the_tour(state, step, expected, over):
    stepped = tour_step(state, step, VOCAB)
    assert stepped == expected and tour_over(stepped) is over


@pytest.mark.parametrize("state", [ViewState(), ViewState(tour=TOUR), ViewState(tour=TOUR, step=2), ViewState(step=0)])
def test_a_tour_is_over_only_past_its_last_step(state):
    assert tour_over(state) is False


@pytest.mark.parametrize("state, query, view", [
    (ViewState(tab="map", present=False), "", ""),
    (ViewState(tab="matrix"), "tab=matrix", "tab=matrix"),
    (ViewState(compare=("FRA", "ITA")), "compare=FRA,ITA", "compare=FRA,ITA"),
    (ViewState(territory="MTQ", present=True), "territory=MTQ&present=1", "territory=MTQ"),
    # the cards shown are the page's, not the view's: a shared link and a tour step open the first page
    (ViewState(territory="MTQ", more=2), "territory=MTQ&more=2", "territory=MTQ"),
    (ViewState(present=True, tour=TOUR[:2], step=1),
     "present=1&tour=territory%3DMTQ|territory%3DITA%26theme%3Dprevention&region=world&step=1", ""),
    (ViewState(territory="ITA", themes=("prevention",), present=True, tour=TOUR[:2], step=1),
     "territory=ITA&theme=prevention&present=1&tour=territory%3DMTQ|territory%3DITA%26theme%3Dprevention&step=1",
     "territory=ITA&theme=prevention"),
])
def test_presenter_mode_and_tour_stay_out_of_the_view_link(state, query, view):
    assert to_query(state) == query
    assert to_query(state, view_only=True) == view
    assert href(state, view_only=True) == (f"?{view}" if view else "/")


@pytest.mark.parametrize("query, expected, invalid", [
    ("tab=matrix", ViewState(tab="matrix"), set()),
    ("tab=table", ViewState(), {"tab"}),
    ("tab=", ViewState(), set()),
    ("compare=fra,%20ita", ViewState(compare=("FRA", "ITA")), set()),
    ("compare=FRA", ViewState(), {"compare"}),
    ("compare=FRA,FRA", ViewState(), {"compare"}),
    ("compare=FRA,ZZZ", ViewState(), {"compare"}),
    ("compare=FRA,ESP", ViewState(), {"compare"}),  # a territory with no recommendation has nothing to compare
    ("compare=FRA,ITA,MTQ", ViewState(), {"compare"}),
    ("compare=,,", ViewState(), {"compare"}),
    ("present=1", ViewState(present=True), set()),
    ("present=0", ViewState(), set()),
    ("present=yes", ViewState(), {"present"}),
    ("present=1&present=0", ViewState(present=True), set()),
    ("step=0", ViewState(), {"step"}),  # no tour
    # a step with no view of its own in the link opens the step's view
    ("tour=territory%3DMTQ&step=0", ViewState(territory="MTQ", tour=("territory=MTQ",), step=0), set()),
    ("tour=territory%3DMTQ&step=0&region=world", ViewState(tour=("territory=MTQ",), step=0), set()),
    ("tour=territory%3DMTQ&step=0&q=x", ViewState(q="x", tour=("territory=MTQ",), step=0), set()),
    ("tour=foo|territory%3DMTQ|bar%3Dbaz", ViewState(tour=("territory=MTQ",)), {"tour"}),
    ("tour=territory%3DMTQ&step=2", ViewState(tour=("territory=MTQ",)), {"step"}),
    # one past the last step: the tour is over, on its last view
    ("tour=territory%3DMTQ&step=1", ViewState(territory="MTQ", tour=("territory=MTQ",), step=1), set()),
    ("tour=territory%3DMTQ|territory%3DITA&step=2&territory=ITA",
     ViewState(territory="ITA", tour=("territory=MTQ", "territory=ITA"), step=2), set()),
    # a territory's code alone is a step of that territory
    ("present=1&tour=MTQ|ITA|arg", ViewState(present=True, tour=("territory=MTQ", "territory=ITA", "territory=ARG")), set()),
    ("tour=MTQ|ZZZ|territory%3DITA", ViewState(tour=("territory=MTQ", "territory=ITA")), {"tour"}),
    ("tour=%20mtq%20&step=0", ViewState(territory="MTQ", tour=("territory=MTQ",), step=0), set()),
    ("tour=territory%3DMTQ&step=-1", ViewState(tour=("territory=MTQ",)), {"step"}),
    ("tour=territory%3DMTQ&step=one", ViewState(tour=("territory=MTQ",)), {"step"}),
    ("tour=territory%3DMTQ&step=%200%20", ViewState(territory="MTQ", tour=("territory=MTQ",), step=0), set()),
    ("tour=%7C%7C&step=0", ViewState(), {"step"}),
    # a step is kept as its normalised view: no language, presenter mode or nested tour; garbage cleaned away, and said
    ("tour=lang%3Dfr%26territory%3Dmtq%26present%3D1%26actor%3Dmartians", ViewState(tour=("territory=MTQ",)), {"tour"}),
    ("tour=lang%3Dfr%26territory%3Dmtq%26present%3D1", ViewState(tour=("territory=MTQ",)), set()),
    ("tour=theme%3Donline%2Cprevention|territory%3DITA", ViewState(tour=("theme=prevention,online", "territory=ITA")), set()),
    ("tour=" + "|".join(["territory%3DMTQ"] * 31), ViewState(tour=("territory=MTQ",) * 30), {"tour"}),
    ("present=1&tour=territory%3DMTQ|territory%3DITA&step=1&lang=fr",
     ViewState(lang="fr", territory="ITA", present=True, tour=("territory=MTQ", "territory=ITA"), step=1), set()),
])
def test_presenter_garbage_falls_back_to_defaults(query, expected, invalid):
    parsed = parse_query(query, VOCAB)
    assert parsed.state == expected
    assert set(parsed.invalid) == invalid


@pytest.mark.parametrize("query, name", [("report=%C2%B2", "report"), ("tour=territory%3DMTQ&step=%C2%B2", "step")])
def test_non_ascii_digits_are_invalid_not_a_crash(query, name):
    assert name in parse_query(query, VOCAB).invalid


def test_a_tour_may_start_with_the_world_view():
    state = ViewState(tour=(tour_entry(ViewState()), tour_entry(ViewState(territory="MTQ"))), step=1)
    parsed = parse_query(to_query(state), VOCAB)
    assert parsed.state == state and parsed.invalid == {}


def test_a_tour_step_may_search_for_a_vertical_bar():
    state = ViewState(tour=(tour_entry(ViewState(q="a|b")), tour_entry(ViewState(territory="MTQ"))))
    parsed = parse_query(to_query(state), VOCAB)
    assert parsed.state == state and parsed.invalid == {}


def test_a_tour_step_holds_no_tour_of_its_own():
    """Steps are read as views, so a tour nested 400 deep is a step that names no view, not a recursion."""
    from urllib.parse import quote
    nested = "territory=MTQ"
    for _ in range(400):
        nested = "tour=" + quote(nested, safe="")
    parsed = parse_query("tour=" + quote(nested, safe="") + "|territory%3DITA%26present%3D1%26step%3D0", VOCAB)
    assert parsed.state.tour == ("territory=ITA",) and set(parsed.invalid) == {"tour"}


@pytest.mark.parametrize("query, tour, reason", [
    # a step with nothing understood is left out; a step with something understood keeps it
    ("tour=territory%3DXXX", (), "steps that name no view were left out"),
    ("tour=territory%3DXXX%26theme%3Dprevention|territory%3DITA", ("theme=prevention", "territory=ITA"),
     "unknown values in some steps were left out"),
    ("tour=region%3Dworld", ("region=world",), None),
])
def test_tour_steps_with_unknown_values(query, tour, reason):
    parsed = parse_query(query, VOCAB)
    assert parsed.state.tour == tour
    assert parsed.invalid.get("tour") == reason


@pytest.mark.parametrize("query, name, english, french", [
    ("territory=XXX", "territory", "unknown territory code", "code de territoire inconnu"),
    ("region=asie", "region", "expected one of world, europe, caribbean, americas",
     "une valeur parmi world, europe, caribbean, americas attendue"),
    ("actor=x,y", "actor", "unknown value(s): x, y", "valeur(s) inconnue(s) : x, y"),
    ("q=" + "x" * 201, "q", "longer than 200 characters", "plus de 200 caractères"),
])
def test_a_reason_reads_in_english_and_translates(query, name, english, french):
    from dashboard.i18n import translations
    reason = parse_query(query, VOCAB).invalid[name]
    assert reason == english and json.loads(json.dumps(reason)) == english  # as the JSON API gives it
    assert reason.translated(translations("fr").gettext) == french


# The registry of view parameters, and what follows from it

FULL = ViewState(lang="fr", territory="MTQ", actors=("national",), themes=("online",), report=2, q="x", region="europe",
                 tab="compare", compare=("FRA", "ITA"), more=2, present=True, tour=TOUR, step=1)


def test_each_parameter_round_trips_alone_and_its_default_stays_out_of_the_url():
    for param in PARAMS:
        value = getattr(FULL, param.name)
        alone = ViewState(**{param.name: value}, **({"tour": TOUR} if param.name == "step" else {}))
        assert parse_query(to_query(alone), VOCAB).state == alone, param.key
        assert param.key in to_query(alone), param.key
        assert getattr(ViewState(), param.name) == param.default


def test_reset_keeps_the_language_presenter_mode_and_tour():
    assert reset(FULL) == ViewState(lang="fr", present=True, tour=TOUR)
    assert reset(FULL.but(browser_lang="fr")).browser_lang == "fr"


def test_controls_show_the_state_and_the_browser_gets_their_map():
    assert CONTROLS == {"actor-filter": "actors", "theme-filter": "themes", "report-filter": "report", "search": "q",
                        "region": "region", "tab": "tab"}
    assert control_values(FULL) == {"actor-filter": ["national"], "theme-filter": ["online"], "report-filter": "2",
                                    "search": "x", "region": "europe", "tab": "compare"}
    assert control_values(ViewState())["report-filter"] == "all"


@pytest.mark.parametrize("name, value, expected", [
    ("actors", ["private", "national"], ViewState(actors=("national", "private"))),
    ("actors", [], ViewState()),
    ("actors", ["martians"], ViewState(territory="MTQ")),  # a bad value changes nothing
    ("actors", "national", ViewState(territory="MTQ")),
    ("actors", ["national"] * (MAX_LIST + 1), ViewState(territory="MTQ")),
    ("themes", ["online", "prevention"], ViewState(themes=("prevention", "online"))),
    ("report", "2", ViewState(report=2)),
    ("report", "all", ViewState()),
    ("report", "", ViewState()),
    ("report", 2, ViewState(territory="MTQ")),
    ("q", "  a   b ", ViewState(q="a b")),
    ("q", "", ViewState()),
    ("q", "x" * 201, ViewState(territory="MTQ")),
    ("q", "\ud800", ViewState(territory="MTQ")),
    ("region", "europe", ViewState(region="europe")),
    ("region", "mars", ViewState(territory="MTQ")),
    ("tab", "matrix", ViewState(tab="matrix")),
    ("lang", "fr", ViewState(territory="MTQ")),  # no control sets the language
    ("tour", "territory=MTQ", ViewState(territory="MTQ")),
    ("nope", "x", ViewState(territory="MTQ")),
    (None, "x", ViewState(territory="MTQ")),
])
def test_set_control_reads_a_value_as_its_url_parameter(name, value, expected):
    start = ViewState(territory="MTQ")
    assert set_control(start, name, value, VOCAB) == (expected.but(territory="MTQ") if expected != start else start)


@pytest.mark.parametrize("query, invalid", [
    ("actor=" + ",".join(["national"] * (MAX_LIST + 1)), {"actor"}),
    ("q=" + "x" * (MAX_TOTAL_LENGTH + 1), {"query"}),
    ("a=1&" * 51, {"query"}),
    ("q=\ud800", {"q"}),
    ("territory=\ud800", {"territory"}),
    ("report=" + "1" * 5000, {"report"}),
    ("step=" + "0" * 5000, {"step"}),
    ("tour=" + "territory%3DMTQ%26q%3D" + "x" * MAX_STEP_LENGTH, {"tour"}),  # a step too long to be a view
])
def test_limits_are_enforced_at_parse_time(query, invalid):
    parsed = parse_query(query, VOCAB)
    assert parsed.state == ViewState() and set(parsed.invalid) == invalid


@pytest.mark.parametrize("steps", [31, 2_000, 5_000])
def test_a_long_tour_is_cut_to_its_first_steps(steps):
    parsed = parse_query("tour=" + "|".join(f"q%3Dw{i}" for i in range(steps)), VOCAB)
    assert parsed.state.tour == tuple(f"q=w{i}" for i in range(30)) and set(parsed.invalid) == {"tour"}


@pytest.mark.parametrize("query", [None, 5, ["lang=fr"], {"lang": ["fr"]}, {"lang": 5}, {5: "fr"}])
def test_what_is_not_a_query_string_is_read_as_far_as_it_is_one(query):
    expected = ViewState(lang="fr") if query == {"lang": ["fr"]} else ViewState()
    assert parse_query(query, VOCAB).state == expected


# A tour is read a bounded number of steps: after 60 (twice the longest tour), the rest is never parsed,
# so 90,000 unreadable steps cost no more than 60.
@pytest.mark.parametrize("raw, steps, reason", [
    ("|".join(["x"] * 90_000), 0, "steps that name no view were left out"),
    ("|".join([""] * 150_000), 0, "more than 30 steps"),
    ("|".join(["territory%3DMTQ"] * 10_000), 30, "more than 30 steps"),
    ("|".join(["x"] * 59 + ["territory%3DMTQ"]), 1, "steps that name no view were left out"),
    ("|".join(["x"] * 60 + ["territory%3DMTQ"]), 0, "steps that name no view were left out"),
])
def test_a_tour_is_read_a_bounded_number_of_steps(raw, steps, reason):
    parsed = parse_query("tour=" + raw, VOCAB)
    assert len(parsed.state.tour) == steps and parsed.invalid["tour"] == reason


@pytest.mark.parametrize("query, name", [
    ("theme=" + "x" * 190_000, "theme"),
    ("theme=" + "," * 190_000, "theme"),
    ("actor=" + "y" * 5_000, "actor"),
])
def test_a_notice_never_echoes_a_huge_value(query, name):
    reason = parse_query(query, VOCAB).invalid[name]
    assert len(reason) < 200 and reason.endswith("…")
