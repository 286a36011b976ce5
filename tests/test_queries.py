"""The pure query layer on the committed dataset: filters, counts, search folding and highlighting."""
from __future__ import annotations

import pytest

from dashboard import data, queries
from dashboard.state import ViewState
from dashboard.text import fold
from helpers import DATA


@pytest.fixture(scope="module")
def dataset():
    return data.load(DATA)


@pytest.fixture(scope="module")
def recs(dataset):
    return dataset.recommendations


@pytest.mark.parametrize("state, count", [
    (ViewState(), 87),
    (ViewState(territory="MTQ"), 14 + 11 + 11),
    (ViewState(territory="FRA"), 18 + 11 + 11),
    (ViewState(territory="GUY"), 4 + 11 + 11),
    (ViewState(territory="MEX"), 9 + 3 + 4),
    (ViewState(territory="ARG"), 9 + 3 + 4),
    (ViewState(territory="ESP"), 0),
    (ViewState(actors=("national",)), 18 + 14 + 13 + 4 + 9),
    (ViewState(actors=("international", "private")), 11 + 11 + 3 + 4),
    (ViewState(report=2), 16),
    (ViewState(report=1, actors=("private",)), 11),
    (ViewState(territory="MTQ", actors=("national",)), 14),
    (ViewState(q="Airbnb"), 2),
    (ViewState(q="airbnb"), 2),
    (ViewState(q="AIRBNB cyber"), 2),
    (ViewState(q="Airbnb Guyana"), 0),
    (ViewState(q="zzzz"), 0),
])
def test_filter_counts(recs, state, count):
    assert len(queries.matching(recs, state)) == count


@pytest.mark.parametrize("q", ["prevention", "prévention", "PRÉVENTION", "Prevention"])
def test_search_ignores_case_and_accents(recs, q):
    found = queries.matching(recs, ViewState(q=q))
    assert list(found["id"]) == ["r1-int-2", "r1-fra-2", "r2-mex-arg-1", "r2-mex-arg-2"]
    assert all("prevention" in fold(t_en + " " + t_fr) for t_en, t_fr in zip(found["text_en"], found["text_fr"]))


def test_search_reaches_both_languages(recs):
    # "maraudes" only occurs in the French text of France 12
    assert list(queries.matching(recs, ViewState(q="maraudes"))["id"]) == ["r1-fra-12"]
    # "marauding" only in the English text
    assert list(queries.matching(recs, ViewState(q="marauding"))["id"]) == ["r1-fra-12"]


def test_theme_filter_is_any_of_the_chosen_themes(dataset, recs):
    first, second = list(dataset.themes)[:2]
    one = set(queries.matching(recs, ViewState(themes=(first,)))["id"])
    two = set(queries.matching(recs, ViewState(themes=(second,)))["id"])
    both = set(queries.matching(recs, ViewState(themes=(first, second)))["id"])
    assert one and two and both == one | two


def test_territory_counts_ignore_the_selected_territory(recs):
    counts = queries.territory_counts(recs, ViewState(territory="MTQ"))
    assert counts == {"FRA": 40, "MTQ": 36, "ITA": 35, "GUY": 26, "MEX": 16, "ARG": 16}
    national = queries.territory_counts(recs, ViewState(actors=("national",)))
    assert national == {"FRA": 18, "MTQ": 14, "ITA": 13, "GUY": 4, "MEX": 9, "ARG": 9}


@pytest.mark.parametrize("state, expected", [
    (ViewState(), {"international": 14, "national": 58, "private": 15}),
    (ViewState(actors=("private",)), {"international": 14, "national": 58, "private": 15}),
    (ViewState(territory="MTQ"), {"international": 11, "national": 14, "private": 11}),
    (ViewState(report=2), {"international": 3, "national": 9, "private": 4}),
])
def test_actor_counts_are_under_the_other_filters(recs, state, expected):
    assert queries.actor_counts(recs, state) == expected


def test_theme_counts_are_under_the_other_filters(dataset, recs):
    everything = queries.theme_counts(recs, ViewState(), dataset.themes)
    assert list(everything) == list(dataset.themes)
    assert sum(everything.values()) == dataset.counts()["theme_tags"]
    theme = next(iter(dataset.themes))
    assert queries.theme_counts(recs, ViewState(themes=(theme,)), dataset.themes) == everything
    guyana = queries.theme_counts(recs, ViewState(territory="GUY", actors=("national",)), dataset.themes)
    assert sum(guyana.values()) == sum(len(t) for t in recs.loc[[f"r1-guy-{i}" for i in range(1, 5)], "themes"])


@pytest.mark.parametrize("text, q, expected", [
    ("Prévention des mineurs", "prevention", [("Prévention", True), (" des mineurs", False)]),
    ("Strengthen prevention.", "PRÉVENTION", [("Strengthen ", False), ("prevention", True), (".", False)]),
    ("Mise en œuvre", "oeuvre", [("Mise en ", False), ("œuvre", True)]),
    ("abc abc", "b", [("a", False), ("b", True), ("c a", False), ("b", True), ("c", False)]),
    ("Training and trafficking", "tra fick", [("Tra", True), ("ining and ", False), ("tra", True), ("f", False), ("fick", True), ("ing", False)]),
    ("Nothing here", "", [("Nothing here", False)]),
    ("Nothing here", "zzz", [("Nothing here", False)]),
])
def test_highlight(text, q, expected):
    runs = queries.highlight(text, q)
    assert "".join(piece for piece, _ in runs) == text
    merged = []
    for piece, hit in expected:
        if merged and merged[-1][1] == hit:
            merged[-1] = (merged[-1][0] + piece, hit)
        else:
            merged.append((piece, hit))
    assert runs == merged


def test_records_carry_both_languages_and_themes(dataset, recs):
    rows = queries.records(dataset, queries.matching(recs, ViewState(territory="MTQ", actors=("national",))))
    assert len(rows) == 14
    first = rows[0]
    assert first["id"] == "r1-mtq-1" and first["territory_names_fr"] == ["Martinique"]
    assert first["text_fr"].startswith("Renforcement de la loi abolitionniste en Martinique")
    assert first["translation_note_en"] and first["themes"] and len(first["theme_labels_fr"]) == len(first["themes"])
    csv_text = queries.to_csv(rows)
    assert csv_text.splitlines()[0].startswith("id,report,actor,territories,")
    assert len(csv_text.splitlines()) == 15
