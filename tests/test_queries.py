"""The pure query layer on the committed dataset: filters, counts, search folding and highlighting."""
from __future__ import annotations

import pytest

from dashboard import queries
from dashboard.state import ViewState
from dashboard.text import fold



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


# --- theme × territory matrix ---------------------------------------------------------------------

@pytest.mark.parametrize("state, theme, code, count", [
    (ViewState(), "children_youth", "FRA", 10),
    (ViewState(), "children_youth", "MTQ", 5),
    (ViewState(), "corporate_responsibility", "FRA", 12),  # shared international and private ones count for France
    (ViewState(), "corporate_responsibility", "MEX", 3),
    (ViewState(), "legislation_regulation", "GUY", 3),
    (ViewState(), "tourism", "ITA", 6),
    (ViewState(actors=("national",)), "tourism", "ITA", 2),
    (ViewState(actors=("national",)), "corporate_responsibility", "FRA", 0),
    (ViewState(actors=("national",)), "justice_law_enforcement", "MTQ", 0),
    (ViewState(report=2), "awareness_raising", "ARG", 7),
    (ViewState(report=1), "awareness_raising", "ARG", 0),
    (ViewState(q="airbnb"), "online_digital", "FRA", 1),
    (ViewState(q="airbnb"), "children_youth", "MTQ", 0),
    # the selected territory and themes do not hide the other cells: the matrix is where one chooses them
    (ViewState(territory="MTQ", themes=("health",)), "children_youth", "FRA", 10),
    (ViewState(territory="MTQ", themes=("health",), actors=("national",)), "tourism", "ITA", 2),
])
def test_matrix_counts(dataset, recs, state, theme, code, count):
    counts = queries.matrix_counts(recs, state, dataset.themes, dataset.mapped_codes)
    assert counts[(theme, code)] == count


def test_matrix_counts_cover_every_cell_and_every_tag(dataset, recs):
    counts = queries.matrix_counts(recs, ViewState(), dataset.themes, dataset.mapped_codes)
    assert list(counts) == [(t, c) for t in dataset.themes for c in dataset.mapped_codes]
    # each theme tag counts once per territory its recommendation is addressed to
    assert sum(counts.values()) == sum(len(t) * len(c) for t, c in zip(recs["themes"], recs["territories"]))
    for code in dataset.mapped_codes:  # a territory's column holds exactly its recommendations' tags
        mine = queries.matching(recs, ViewState(territory=code))
        assert sum(counts[(t, code)] for t in dataset.themes) == mine["themes"].map(len).sum()


def test_matrix_cell_counts_what_selecting_it_shows(dataset, recs):
    """A cell's number is the number of recommendations the panel shows once the cell is chosen."""
    for state in (ViewState(), ViewState(actors=("private",)), ViewState(report=1, q="minors")):
        counts = queries.matrix_counts(recs, state, dataset.themes, dataset.mapped_codes)
        for (theme, code), n in counts.items():
            assert len(queries.matching(recs, state.but(territory=code, themes=(theme,)))) == n, (state, theme, code)


def test_matrix_counts_of_unmapped_codes_and_empty_searches_are_zero(dataset, recs):
    counts = queries.matrix_counts(recs, ViewState(), dataset.themes, ("ESP", "FRA"))
    assert all(counts[(t, "ESP")] == 0 for t in dataset.themes) and counts[("children_youth", "FRA")] == 10
    empty = queries.matrix_counts(recs, ViewState(q="zzzz"), dataset.themes, dataset.mapped_codes)
    assert set(empty.values()) == {0}


# --- comparing two territories --------------------------------------------------------------------

SHARED_1 = tuple(f"r1-int-{n}" for n in range(1, 12)) + tuple(f"r1-pri-{n}" for n in range(1, 12))
FRA_ITA_ALIKE = (("r1-fra-1", "r1-ita-1"), ("r1-fra-3", "r1-ita-3"), ("r1-fra-4", "r1-ita-4"),
                 ("r1-fra-5", "r1-ita-5"), ("r1-fra-6", "r1-ita-6"), ("r1-fra-8", "r1-ita-8"),
                 ("r1-fra-12", "r1-ita-7"), ("r1-fra-15", "r1-ita-9"), ("r1-fra-16", "r1-ita-10"),
                 ("r1-fra-17", "r1-ita-11"), ("r1-fra-18", "r1-ita-12"))
FRA_ONLY = ("r1-fra-2", "r1-fra-7", "r1-fra-9", "r1-fra-10", "r1-fra-11", "r1-fra-13", "r1-fra-14")


def _ids(prefix: str, numbers) -> tuple[str, ...]:
    return tuple(f"{prefix}-{n}" for n in numbers)


@pytest.mark.parametrize("a, b, state, common, alike, only_a, only_b, themes_a, themes_b", [
    ("FRA", "ITA", ViewState(), SHARED_1, FRA_ITA_ALIKE, FRA_ONLY, ("r1-ita-2", "r1-ita-13"), (), ()),
    ("ITA", "FRA", ViewState(), SHARED_1, tuple((j, i) for i, j in sorted(
        FRA_ITA_ALIKE, key=lambda p: int(p[1].rsplit("-", 1)[1]))), ("r1-ita-2", "r1-ita-13"), FRA_ONLY, (), ()),
    ("FRA", "MTQ", ViewState(), SHARED_1, (), _ids("r1-fra", range(1, 19)), _ids("r1-mtq", range(1, 15)),
     ("justice_law_enforcement",), ()),
    ("MTQ", "ITA", ViewState(), SHARED_1, (("r1-mtq-2", "r1-ita-13"),),
     _ids("r1-mtq", [1] + list(range(3, 15))), _ids("r1-ita", range(1, 13)), (), ("justice_law_enforcement",)),
    ("MEX", "ARG", ViewState(), ("r2-int-1", "r2-int-2", "r2-int-3") + _ids("r2-mex-arg", range(1, 10))
     + _ids("r2-pri", range(1, 5)), (), (), (), (), ()),
    # different reports: nothing in common, and the one paraphrased pair across reports is alike
    ("FRA", "MEX", ViewState(), (), (("r1-int-2", "r2-mex-arg-3"),),
     _ids("r1-int", [1] + list(range(3, 12))) + _ids("r1-fra", range(1, 19)) + _ids("r1-pri", range(1, 12)),
     _ids("r2-int", range(1, 4)) + _ids("r2-mex-arg", [1, 2] + list(range(4, 10))) + _ids("r2-pri", range(1, 5)), (), ()),
    ("FRA", "MEX", ViewState(actors=("international",)), (), (),  # the alike one of Mexico is national
     _ids("r1-int", range(1, 12)), _ids("r2-int", range(1, 4)),
     ("prevention_education", "awareness_raising", "professional_training", "detection_reporting", "victim_support",
      "economic_inclusion", "gender_equality", "tourism", "corporate_responsibility"),
     ("justice_law_enforcement", "research_data")),
    ("FRA", "ITA", ViewState(actors=("national",)), (), FRA_ITA_ALIKE, FRA_ONLY, ("r1-ita-2", "r1-ita-13"), (),
     ("legislation_regulation",)),
    ("GUY", "ITA", ViewState(actors=("national",)), (), (), _ids("r1-guy", range(1, 5)), _ids("r1-ita", range(1, 14)),
     ("economic_inclusion", "gender_equality"),
     ("prevention_education", "awareness_raising", "professional_training", "detection_reporting", "victim_support",
      "children_youth", "health", "online_digital", "tourism", "research_data")),
    # a theme filter narrows both sides; a selected territory is replaced by the compared ones
    ("FRA", "ITA", ViewState(territory="MTQ", themes=("tourism",), actors=("national",)), (),
     (("r1-fra-17", "r1-ita-11"), ("r1-fra-18", "r1-ita-12")), ("r1-fra-11",), (),
     ("detection_reporting", "children_youth"), ()),  # the other themes of the recommendations compared
    ("FRA", "ITA", ViewState(q="zzzz"), (), (), (), (), (), ()),
])
def test_compare(dataset, recs, a, b, state, common, alike, only_a, only_b, themes_a, themes_b):
    result = queries.compare(recs, dataset.similar, state, a, b, dataset.themes)
    assert result.common == common
    assert result.alike == alike
    assert result.only_a == only_a
    assert result.only_b == only_b
    assert result.themes_only_a == themes_a
    assert result.themes_only_b == themes_b


@pytest.mark.parametrize("a, b", [("FRA", "ITA"), ("MTQ", "GUY"), ("ITA", "MEX"), ("ARG", "FRA")])
def test_compare_accounts_for_every_recommendation_once(dataset, recs, a, b):
    result = queries.compare(recs, dataset.similar, ViewState(), a, b, dataset.themes)
    side_a = set(queries.matching(recs, ViewState(territory=a))["id"])
    side_b = set(queries.matching(recs, ViewState(territory=b))["id"])
    alike_a, alike_b = [i for i, _ in result.alike], [j for _, j in result.alike]
    assert sorted(result.common + result.only_a + tuple(alike_a)) == sorted(side_a)
    assert sorted(result.common + result.only_b + tuple(alike_b)) == sorted(side_b)
    assert all(j in dataset.similar[i] for i, j in result.alike)
    swapped = queries.compare(recs, dataset.similar, ViewState(), b, a, dataset.themes)
    assert set(swapped.alike) == {(j, i) for i, j in result.alike}
    assert (swapped.only_a, swapped.only_b) == (result.only_b, result.only_a)


# Every filter of the registry has its test in filter_masks, and nothing else does: a filter added to the
# registry without its mask (or the reverse) fails here.
SAMPLE_FILTER_VALUES = {"territory": "MTQ", "actors": ("national",), "themes": ("prevention_education",), "report": 1,
                        "q": "prévention"}


def test_every_registry_filter_has_its_mask(dataset):
    from dashboard.state import FILTERS

    assert set(SAMPLE_FILTER_VALUES) == set(FILTERS)
    for name in FILTERS:
        masks = queries.filter_masks(dataset.recommendations, ViewState().but(**{name: SAMPLE_FILTER_VALUES[name]}))
        assert list(masks) == [name]
        assert 0 < masks[name].sum() < len(dataset.recommendations)
    assert queries.filter_masks(dataset.recommendations, ViewState()) == {}
