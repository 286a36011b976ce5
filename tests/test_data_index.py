"""The arrays built at load, queries.summary against a plain re-count of the rows, and text folding."""
from __future__ import annotations

import sys
import unicodedata
from collections import Counter

import numpy as np
import pytest

from dashboard import index, queries
from dashboard.parse import ACTORS
from dashboard.state import ViewState
from dashboard.text import COMBINING_RANGES, fold, fold_many



@pytest.fixture(scope="module")
def rows(dataset):
    return list(dataset.recommendations.itertuples(index=False))


def _passes(rec, state: ViewState, ignore=()) -> bool:
    """The filters written out plainly, one recommendation at a time."""
    text = fold(rec.text_en + "\n" + rec.text_fr)
    return ((not state.territory or "territory" in ignore or state.territory in rec.territories)
            and (not state.actors or "actors" in ignore or rec.actor in state.actors)
            and (not state.themes or "themes" in ignore or bool(set(state.themes) & set(rec.themes)))
            and (state.report is None or "report" in ignore or rec.report == state.report)
            and ("q" in ignore or all(term in text for term in fold(state.q).split())))


STATES = [
    ViewState(),
    ViewState(territory="MTQ"),
    ViewState(territory="ESP"),  # a territory without recommendations
    ViewState(territory="ZZZ"),  # not a territory at all
    ViewState(actors=("national",)),
    ViewState(actors=("international", "private")),
    ViewState(themes=("tourism",)),
    ViewState(themes=("tourism", "health")),
    ViewState(themes=("no_such_theme",)),
    ViewState(report=2),
    ViewState(report=9),
    ViewState(q="prévention"),
    ViewState(q="AIRBNB cyber"),
    ViewState(q="zzzz"),
    ViewState(territory="FRA", actors=("national",), themes=("children_youth",)),
    ViewState(territory="ARG", report=2, q="víctimas victims"),
    ViewState(themes=("tourism",), tab="matrix"),
    ViewState(actors=("private",), q="minors", tab="matrix", territory="ITA"),
]


@pytest.mark.parametrize("state", STATES, ids=lambda s: "&".join(f"{k}={v}" for k, v in vars(s).items()
                                                                  if v != getattr(ViewState(), k)) or "default")
@pytest.mark.parametrize("limit", [200, 3])
def test_summary_counts_what_a_plain_count_of_the_rows_gives(dataset, rows, state, limit):
    result = queries.summary(dataset, state, limit=limit)
    matches = [r for r in rows if _passes(r, state)]
    assert result.total == len(matches) and result.limit == limit
    assert result.ids == tuple(r.id for r in matches[:limit])
    assert result.shown == min(limit, len(matches)) and result.more == len(matches) - result.shown
    assert dict(result.ids_by_actor) == {a: tuple(r.id for r in matches if r.actor == a)[:limit] for a in ACTORS}
    assert dict(result.territory_counts) == dict(Counter(c for r in rows if _passes(r, state, ("territory",))
                                                         for c in r.territories))
    assert dict(result.actor_counts) == {a: sum(r.actor == a for r in rows if _passes(r, state, ("actors",)))
                                         for a in ACTORS}
    assert dict(result.theme_counts) == {t: sum(t in r.themes for r in rows if _passes(r, state, ("themes",)))
                                         for t in dataset.themes}
    assert list(result.theme_counts) == list(dataset.themes)
    assert dict(result.report_counts) == {n: sum(r.report == n for r in rows if _passes(r, state, ("report",)))
                                          for n in dataset.reports}
    assert dict(result.matching_actor_counts) == {a: sum(r.actor == a for r in matches) for a in ACTORS}
    assert dict(result.matching_theme_counts) == {t: sum(t in r.themes for r in matches) for t in dataset.themes}
    assert result.matching_reports == tuple(sorted({r.report for r in matches}))
    if state.tab == "matrix":
        kept = [r for r in rows if _passes(r, state, ("territory", "themes"))]
        assert dict(result.matrix) == {(t, c): sum(t in r.themes and c in r.territories for r in kept)
                                       for t in dataset.themes for c in dataset.mapped_codes}
    else:
        assert result.matrix is None


@pytest.mark.parametrize("state", STATES[:12])
def test_the_older_query_functions_agree_with_summary(dataset, state):
    recs, result = dataset.recommendations, queries.summary(dataset, state, limit=10_000)
    assert tuple(queries.matching(recs, state)["id"]) == result.ids
    assert queries.territory_counts(recs, state) == dict(result.territory_counts)
    assert queries.actor_counts(recs, state) == dict(result.actor_counts)
    assert queries.theme_counts(recs, state, dataset.themes) == dict(result.theme_counts)
    assert queries.report_counts(recs, state, dataset.reports) == dict(result.report_counts)
    assert list(queries.mask(recs, state)) == [i in set(result.ids) for i in recs["id"]]


def test_a_summary_cannot_be_changed(dataset):
    result = queries.summary(dataset, ViewState())
    with pytest.raises(TypeError):
        result.actor_counts["national"] = 0
    with pytest.raises(AttributeError):
        result.total = 0


# --- the index ------------------------------------------------------------------------------------

def test_the_index_is_built_at_load_and_found_from_the_frame(dataset):
    assert "index" in vars(dataset)  # built by load, not by the first request
    assert index.of(dataset.recommendations) is dataset.index
    copy = dataset.recommendations.copy()
    assert index.of(copy) is not dataset.index and index.of(copy) is index.of(copy)


@pytest.mark.parametrize("code", ["FRA", "MTQ", "GUY", "ARG", "ESP", "ZZZ"])
def test_territory_rows(dataset, rows, code):
    expected = [code in r.territories for r in rows]
    assert list(dataset.index.territory_mask(code)) == expected


def test_theme_matrix_and_actor_codes(dataset, rows):
    ix = dataset.index
    for i, r in enumerate(rows):
        assert {ix.theme_names[k] for k in np.flatnonzero(ix.theme_matrix[i])} == set(r.themes)
        assert ix.actor_names[ix.actor[i]] == r.actor and ix.report[i] == r.report
    assert sorted(ix.code_names) == list(dataset.mapped_codes)


@pytest.mark.parametrize("state", [ViewState(), ViewState(actors=("national",)), ViewState(report=1, q="minors")])
def test_crosstab_is_the_count_of_each_theme_and_territory(dataset, rows, state):
    ix = dataset.index
    keep = np.array([_passes(r, state) for r in rows])
    table = ix.crosstab(keep)
    for t, theme in enumerate(ix.theme_names):
        for k, code in enumerate(ix.code_names):
            assert table[t, k] == sum(keep[i] and theme in r.themes and code in r.territories for i, r in enumerate(rows))


@pytest.mark.parametrize("terms", [("prevention",), ("airbnb", "cyber"), ("zzzz",), ("e",)])
def test_search_mask_and_its_cache(dataset, rows, terms):
    ix = dataset.index
    first = ix.search_mask(terms)
    assert list(first) == [all(t in fold(r.text_en + "\n" + r.text_fr) for t in terms) for r in rows]
    assert ix.search_mask(terms) is first and not first.flags.writeable


def test_queries_on_a_part_of_the_frame(dataset):
    half = dataset.recommendations.iloc[::2]
    found = queries.matching(half, ViewState(territory="FRA"))
    assert list(found["id"]) == [i for i, codes in zip(half["id"], half["territories"]) if "FRA" in codes]


def test_partners_and_mapped_codes(dataset):
    assert dataset.partners == {1: ("FRA", "MTQ", "ITA", "GUY"), 2: ("MEX", "ARG")}
    assert dataset.mapped_codes == ("ARG", "FRA", "GUY", "ITA", "MEX", "MTQ")


# --- folding --------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, folded", [
    ("", ""),
    ("Plain ASCII, 123!", "plain ascii, 123!"),
    ("Prévention", "prevention"),
    ("PRÉVENTION", "prevention"),
    ("Mise en œuvre", "mise en oeuvre"),
    ("ŒUVRE Æ æ", "oeuvre ae ae"),
    ("l’enfance ‘x’", "l'enfance 'x'"),
    ("Straße", "strasse"),
    ("ﬁnancement", "financement"),  # a ligature splits under NFKD
    ("e\u0301te\u0301", "ete"),  # combining accents written separately
    ("İstanbul", "istanbul"),
    ("ΣΊΣΥΦΟΣ", "σισυφοσ"),
    ("a\u00a0b", "a b"),  # no-break space
    ("víctimas", "victimas"),
])
def test_fold(text, folded):
    assert fold(text) == folded
    assert fold_many([text]) == [folded]


@pytest.mark.parametrize("texts", [
    [],
    ["Prévention", "", "Mise en œuvre"],
    ["a\x00b", "É"],  # a text holding the separator is folded on its own
    [f"Texte n° {i} — été" for i in range(5000)],  # more than one chunk
])
def test_fold_many_is_fold_of_each(texts):
    assert fold_many(texts) == [fold(t) for t in texts]


def test_fold_is_the_fold_of_each_character():
    text = "Ça, c'est l’été à Zürich: ŒUVRE ﬁnie, Straße İ Σ e\u0301\u0327"
    assert fold(text) == "".join(fold(c) for c in text)


def test_every_combining_mark_is_in_the_ranges_looked_up():
    outside = [c for c in range(sys.maxunicode + 1)
               if unicodedata.combining(chr(c)) and not any(c in r for r in COMBINING_RANGES)]
    assert outside == []


def test_by_id_gives_each_row_as_a_record(dataset):
    from dataclasses import astuple, fields

    from dashboard.data import Recommendation

    names = [f.name for f in fields(Recommendation)]
    expected = {rec.id: rec for rec in dataset.recommendations[names].itertuples(index=False)}
    assert list(dataset.by_id) == list(expected) and len(dataset.by_id) == len(expected)
    for rec_id, rec in expected.items():
        record = dataset.by_id[rec_id]
        assert isinstance(record, Recommendation) and astuple(record) == tuple(rec)
        assert record.text("fr") == rec.text_fr and record.text("en") == rec.text_en

def test_the_texts_are_folded_once_on_first_need_or_in_the_background(dataset):
    recs = dataset.recommendations
    expected = fold_many([en + "\n" + fr for en, fr in zip(recs["text_en"], recs["text_fr"])])
    searched = index.RecIndex.build(recs)
    assert not searched._folded  # loading folds nothing
    assert searched.search_mask(("prevention",)).any()
    assert searched._folded == [expected] and searched.folded is searched.folded
    warmed = index.RecIndex.build(recs)
    warmed.fold_in_background().join(10)
    assert warmed._folded == [expected]
