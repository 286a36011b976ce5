"""The view state and its URL: round trips, defaults out of the URL, garbage ignored."""
from __future__ import annotations

import pytest

from dashboard.i18n import preferred_lang
from dashboard.state import ViewState, Vocabulary, href, parse_query, to_query

VOCAB = Vocabulary(
    territories=frozenset({"FRA", "MTQ", "ITA", "GUY", "MEX", "ARG", "ESP"}),
    themes=("prevention", "training", "online"),
    reports=frozenset({1, 2}),
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
