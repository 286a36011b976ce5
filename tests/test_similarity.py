"""Similar recommendations: hand-checked pairs and non-pairs on the real data, and hand-built rows."""
from __future__ import annotations

import csv

import pytest

from dashboard.similarity import THRESHOLD, similar_pairs, similarity_matrix
from helpers import DATA

# Recommendations that ask for the same thing in (almost) the same words, in another section.
KNOWN_PAIRS = [
    ("r1-fra-17", "r1-ita-11"),  # accelerate proceedings, cyber-pimping, Airbnb: word for word
    ("r1-mtq-2", "r1-ita-13"),  # education workshops on emotional and sexual life: identical
    ("r1-fra-15", "r1-ita-9"),  # support/accommodation system in each department (+ "or trafficking")
    ("r1-fra-3", "r1-ita-3"),  # "Improving" / "Improvement of" detection of sexual exploitation of minors
    ("r1-fra-1", "r1-ita-1"),  # national and territorial governance framework
    ("r1-fra-18", "r1-ita-12"),  # raise awareness ... through large-scale campaigns
    ("r1-fra-6", "r1-ita-6"),  # "Strengthening" / "Reinforcement of" protection online
    ("r1-fra-5", "r1-ita-5"),  # interdisciplinary training for all professionals
    ("r1-fra-4", "r1-ita-4"),  # judicial treatment and educational support of minors
    ("r1-fra-12", "r1-ita-7"),  # procedures for identifying, moderating and reporting
    ("r1-fra-16", "r1-ita-10"),  # personalised care pathway for minor victims of prostitution
    ("r1-int-2", "r2-mex-arg-3"),  # prevention information at borders, public places, administrations
    ("r1-fra-8", "r1-ita-8"),  # research to better understand the phenomenon (lowest true pair, 0.58)
]

# Other-section pairs that share words or a topic but ask for different things.
KNOWN_NON_PAIRS = [
    # Highest non-pair (0.50): the same "large-scale campaigns on human trafficking, sexual
    # exploitation and sex tourism", but to promote gender-equality policies and women's rights.
    ("r1-ita-12", "r1-pri-10"),
    ("r1-fra-18", "r1-pri-11"),  # awareness of sex tourism, but training employees and expatriates
    ("r1-fra-18", "r1-pri-10"),  # as r1-ita-12 / r1-pri-10
    ("r1-ita-12", "r1-pri-11"),  # as r1-fra-18 / r1-pri-11
    ("r1-mtq-1", "r1-ita-2"),  # the abolitionist law: strengthen it versus adopt it
    ("r1-int-11", "r1-pri-11"),  # territories prone to sex tourism: company responsibility vs staff training
    ("r1-mtq-6", "r1-ita-6"),  # social networks: training professionals vs protecting minors
    ("r1-int-3", "r1-fra-5"),  # training for professionals: peer training on trafficking vs interdisciplinary
    ("r1-int-5", "r1-guy-4"),  # only "human trafficking and sexual exploitation ... national level"
    ("r1-int-1", "r2-mex-arg-1"),  # only "gender-based violence and sexual exploitation"
    ("r1-int-8", "r2-pri-4"),  # only "avoid/prevent ... sexual exploitation"
    ("r1-fra-3", "r1-ita-4"),  # the Italian twin of a neighbouring French recommendation
]


@pytest.fixture(scope="module")
def rows():
    with open(DATA / "recommendations.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def scores(rows):
    index = {row["id"]: i for i, row in enumerate(rows)}
    matrix = similarity_matrix(rows)
    return lambda a, b: float(matrix[index[a], index[b]])


@pytest.fixture(scope="module")
def found(rows):
    return {(p["recommendation_id"], p["similar_id"]): p["score"] for p in similar_pairs(rows)}


@pytest.mark.parametrize("a, b", KNOWN_PAIRS)
def test_known_pair_is_found_both_ways(found, a, b):
    assert (a, b) in found
    assert (b, a) in found
    assert found[a, b] == found[b, a]


@pytest.mark.parametrize("a, b", KNOWN_NON_PAIRS)
def test_known_non_pair_is_not_found(found, scores, a, b):
    assert (a, b) not in found
    assert (b, a) not in found
    assert scores(a, b) < THRESHOLD


def test_threshold_sits_in_the_gap_between_pairs_and_non_pairs(scores):
    lowest_pair = min(scores(a, b) for a, b in KNOWN_PAIRS)
    highest_non_pair = max(scores(a, b) for a, b in KNOWN_NON_PAIRS)
    assert highest_non_pair + 0.03 < THRESHOLD < lowest_pair - 0.03


def test_real_data_yields_exactly_the_known_pairs(found):
    expected = {(a, b) for a, b in KNOWN_PAIRS} | {(b, a) for a, b in KNOWN_PAIRS}
    assert set(found) == expected


def test_same_section_pair_above_threshold_is_excluded(found, scores):
    # Two international recommendations of report 1 share "international", "sexual exploitation"
    # and "human trafficking" and score above the threshold; they are in one section, so not listed.
    assert scores("r1-int-3", "r1-int-5") >= THRESHOLD
    assert ("r1-int-3", "r1-int-5") not in found


def test_real_output_order(rows):
    position = {row["id"]: i for i, row in enumerate(rows)}
    keys = [(position[p["recommendation_id"]], -float(p["score"])) for p in similar_pairs(rows)]
    assert keys == sorted(keys)


def test_committed_csv_matches(rows):
    with open(DATA / "similar.csv", encoding="utf-8", newline="") as f:
        assert f.read().endswith("\n")
        f.seek(0)
        assert list(csv.DictReader(f)) == similar_pairs(rows)


# Hand-built rows.

def rec(id_, en, fr=None, *, report="1", actor="national", territories="FRA"):
    return {"id": id_, "text_en": en, "text_fr": en if fr is None else fr,
            "report": report, "actor": actor, "territories": territories}


TEXT = "Accelerate proceedings against perpetrators of cyber-pimping."
TEXT_FR = "Accélérer les poursuites contre les auteurs de cyberproxénétisme."
RESEARCH = "Deploy research on the phenomenon."
RESEARCH_FR = "Déployer la recherche sur le phénomène."


def test_identical_texts_score_one():
    rows = [rec("a", TEXT, TEXT_FR), rec("b", TEXT, TEXT_FR, territories="ITA")]
    assert similarity_matrix(rows)[0, 1] == pytest.approx(1.0)
    assert similar_pairs(rows) == [
        {"recommendation_id": "a", "similar_id": "b", "score": "1.00"},
        {"recommendation_id": "b", "similar_id": "a", "score": "1.00"},
    ]


def test_disjoint_texts_are_not_similar():
    rows = [rec("a", RESEARCH),
            rec("b", "Emergency housing for victims.", territories="ITA")]
    assert similarity_matrix(rows)[0, 1] == 0.0
    assert similar_pairs(rows) == []


def test_accents_and_case_are_ignored():
    shouted_fr = "ACCELERER LES POURSUITES CONTRE LES AUTEURS DE CYBERPROXENETISME."
    rows = [rec("a", TEXT, TEXT_FR), rec("b", TEXT.upper(), shouted_fr, territories="ITA")]
    assert similarity_matrix(rows)[0, 1] == pytest.approx(1.0)


@pytest.mark.parametrize("other", [
    {"territories": "ITA"},
    {"report": "2"},
    {"actor": "private"},
])
def test_any_section_difference_counts_as_elsewhere(other):
    rows = [rec("a", TEXT, TEXT_FR), rec("b", TEXT, TEXT_FR, **other)]
    assert len(similar_pairs(rows)) == 2


def test_same_section_pairs_are_excluded():
    rows = [rec("a", TEXT, TEXT_FR), rec("b", TEXT, TEXT_FR)]
    assert similar_pairs(rows) == []


def test_output_is_symmetric_and_sorted():
    rows = [
        rec("a", TEXT, TEXT_FR),
        rec("b", RESEARCH, RESEARCH_FR),
        rec("c", TEXT, TEXT_FR, territories="ITA"),
        rec("d", TEXT + " Urgent investigations.", TEXT_FR + " Enquêtes urgentes.", territories="MTQ"),
        rec("e", RESEARCH, RESEARCH_FR, report="2"),
    ]
    pairs = similar_pairs(rows)
    as_set = {(p["recommendation_id"], p["similar_id"], p["score"]) for p in pairs}
    assert as_set == {(b, a, s) for a, b, s in as_set}
    assert [p["recommendation_id"] for p in pairs] == sorted(p["recommendation_id"] for p in pairs)
    assert [p["similar_id"] for p in pairs if p["recommendation_id"] == "a"] == ["c", "d"]  # c: 1.00, then d
    assert {(p["recommendation_id"], p["similar_id"]) for p in pairs} >= {("b", "e"), ("e", "b")}


def test_deterministic_and_independent_of_row_order(rows):
    first = similar_pairs(rows)
    assert similar_pairs(rows) == first
    reversed_rows = similar_pairs(rows[::-1])
    assert sorted(tuple(p.values()) for p in reversed_rows) == sorted(tuple(p.values()) for p in first)


def test_scores_have_two_decimals_and_empty_input():
    assert similar_pairs([]) == []
    rows = [rec("a", TEXT, TEXT_FR), rec("b", "", "", territories="ITA")]
    assert similar_pairs(rows) == []
    rows = [rec("a", TEXT, TEXT_FR), rec("b", TEXT, TEXT_FR, territories="ITA")]
    assert all(len(p["score"].split(".")[1]) == 2 for p in similar_pairs(rows))
