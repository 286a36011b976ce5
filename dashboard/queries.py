"""Pure filtering, counting and searching over the recommendations for one view state (no Dash)."""
from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

import numpy as np
import pandas as pd

from .data import Dataset
from .index import of as index_of
from .domain import ACTORS
from .state import FILTERS, ViewState
from .text import fold

# Filters a count may leave out, so that each filter shows counts under the others.
_FILTERS = FILTERS


def search_terms(q: str) -> list[str]:
    """The folded words of a search; every one must occur in a matching text."""
    return [term for term in fold(q).split() if term]


def filter_masks(recs: pd.DataFrame, state: ViewState) -> dict[str, np.ndarray]:
    """One boolean array per active filter of the state, by the filter's name in `_FILTERS`."""
    index = index_of(recs)
    masks: dict[str, np.ndarray] = {}
    if state.territory:
        masks["territory"] = index.territory_mask(state.territory)
    if state.actors:
        masks["actors"] = index.actor_mask(state.actors)
    if state.themes:
        masks["themes"] = index.theme_mask(state.themes)
    if state.report is not None:
        masks["report"] = index.report_mask(state.report)
    terms = tuple(search_terms(state.q)) if state.q else ()
    if terms:
        masks["q"] = index.search_mask(terms)
    return masks


def _combine(n: int, masks: dict[str, np.ndarray], ignore: tuple[str, ...] = ()) -> np.ndarray:
    keep = np.ones(n, dtype=bool)
    for name, one in masks.items():
        if name not in ignore:
            keep &= one
    return keep


def mask(recs: pd.DataFrame, state: ViewState, *, ignore: tuple[str, ...] = ()) -> pd.Series:
    """Which recommendations pass every filter of the state, except those named in `ignore`."""
    return pd.Series(_combine(len(recs), filter_masks(recs, state), ignore), index=recs.index)


def matching(recs: pd.DataFrame, state: ViewState) -> pd.DataFrame:
    return recs[_combine(len(recs), filter_masks(recs, state))]


def territory_counts(recs: pd.DataFrame, state: ViewState) -> dict[str, int]:
    """Recommendations per territory under every filter but the selected territory."""
    return index_of(recs).territory_counts(_combine(len(recs), filter_masks(recs, state), ("territory",)))


def listed_territories(dataset: Dataset, state: ViewState, counts: dict[str, int] | None = None) -> list[str]:
    """The territories the list under the map offers, by name: those with matches, and the selected one."""
    if counts is None:
        counts = territory_counts(dataset.recommendations, state)
    codes = {c for c, n in counts.items() if n > 0} | ({state.territory} if state.territory else set())
    return sorted(codes, key=lambda c: dataset.territories[c].name(state.lang))


def actor_counts(recs: pd.DataFrame, state: ViewState) -> dict[str, int]:
    """Recommendations per actor under every other filter."""
    found = index_of(recs).actor_counts(_combine(len(recs), filter_masks(recs, state), ("actors",)))
    return {actor: found.get(actor, 0) for actor in ACTORS}


def theme_counts(recs: pd.DataFrame, state: ViewState, themes) -> dict[str, int]:
    """Recommendations per theme under every other filter, in taxonomy order."""
    found = index_of(recs).theme_counts(_combine(len(recs), filter_masks(recs, state), ("themes",)))
    return {theme: found.get(theme, 0) for theme in themes}


def report_counts(recs: pd.DataFrame, state: ViewState, reports) -> dict[int, int]:
    found = index_of(recs).report_counts(_combine(len(recs), filter_masks(recs, state), ("report",)))
    return {report: found.get(report, 0) for report in reports}


CARD_LIMIT = 200  # the most recommendations a list sends at once; the rest wait for "show more"


@dataclass(frozen=True)
class Summary:
    """Everything one request shows, computed once: the matches, capped, and every count beside the filters.

    Count mappings are read-only. A filter's own counts leave that filter out, so that each box shows what
    ticking it would give under the others; `matching_*` count the matches themselves."""

    total: int  # recommendations matching every filter
    ids: tuple[str, ...]  # the first `limit` of them, in document order
    ids_by_actor: Mapping[str, tuple[str, ...]]  # the first `limit` of each actor's matches, every actor
    limit: int
    territory_counts: Mapping[str, int]  # territories with matches under every filter but the territory
    actor_counts: Mapping[str, int]  # every actor, under every filter but the actors
    theme_counts: Mapping[str, int]  # every theme in taxonomy order, under every filter but the themes
    report_counts: Mapping[int, int]  # every report, under every filter but the report
    matching_actor_counts: Mapping[str, int]  # every actor, among the matches
    matching_theme_counts: Mapping[str, int]  # every theme in taxonomy order, among the matches
    matching_reports: tuple[int, ...]  # reports with matches, ascending
    matrix: Mapping[tuple[str, str], int] | None  # (theme, territory) counts when the matrix tab shows, else None

    @property
    def shown(self) -> int:
        return len(self.ids)

    @property
    def more(self) -> int:
        """Matches not in `ids`."""
        return self.total - len(self.ids)


def summary(dataset: Dataset, state: ViewState, limit: int = CARD_LIMIT) -> Summary:
    """The matches and every count of the page for one state, from one pass over the filters."""
    recs = dataset.recommendations
    index = index_of(recs)
    masks = filter_masks(recs, state)
    keep = _combine(len(recs), masks)
    rows = np.flatnonzero(keep)
    positions, row_actors = {name: i for i, name in enumerate(index.actor_names)}, index.actor[rows]
    by_actor = {a: tuple(index.ids[rows[row_actors == positions[a]][:limit]]) if a in positions else () for a in ACTORS}
    themes, reports = list(dataset.themes), list(dataset.reports)
    actors = index.actor_counts(_combine(len(recs), masks, ("actors",)))
    tagged = index.theme_counts(_combine(len(recs), masks, ("themes",)))
    reported = index.report_counts(_combine(len(recs), masks, ("report",)))
    matched_actors = index.actor_counts(keep)
    matched_themes = index.theme_counts(keep)
    matrix = None
    if state.tab == "matrix":
        matrix = MappingProxyType(_cells(index, _combine(len(recs), masks, ("territory", "themes")), themes,
                                         dataset.mapped_codes))
    return Summary(
        total=len(rows), ids=tuple(index.ids[rows[:limit]]), ids_by_actor=MappingProxyType(by_actor), limit=limit,
        territory_counts=MappingProxyType(index.territory_counts(_combine(len(recs), masks, ("territory",)))),
        actor_counts=MappingProxyType({a: actors.get(a, 0) for a in ACTORS}),
        theme_counts=MappingProxyType({t: tagged.get(t, 0) for t in themes}),
        report_counts=MappingProxyType({r: reported.get(r, 0) for r in reports}),
        matching_actor_counts=MappingProxyType({a: matched_actors.get(a, 0) for a in ACTORS}),
        matching_theme_counts=MappingProxyType({t: matched_themes.get(t, 0) for t in themes}),
        matching_reports=tuple(sorted(index.report_counts(keep))),
        matrix=matrix,
    )


def _cells(index, keep: np.ndarray, themes, codes) -> dict[tuple[str, str], int]:
    table = index.crosstab(keep)
    rows = {t: table[i] for i, t in enumerate(index.theme_names)}
    columns = {c: k for k, c in enumerate(index.code_names)}
    return {(theme, code): int(rows[theme][columns[code]]) if theme in rows and code in columns else 0
            for theme in themes for code in codes}


def highlight(text: str, q: str) -> list[tuple[str, bool]]:
    """The text cut into (piece, is_match) runs for every search term, ignoring case and accents."""
    terms = search_terms(q)
    if not terms:
        return [(text, False)]
    # Fold character by character so that positions in the folded text map back to the original.
    folded, origin = [], []
    for i, char in enumerate(text):
        for f in fold(char):
            folded.append(f)
            origin.append(i)
    folded_text = "".join(folded)
    marked = [False] * len(text)
    for term in terms:
        start = folded_text.find(term)
        while start != -1:
            for k in range(start, start + len(term)):
                marked[origin[k]] = True
            start = folded_text.find(term, start + 1)
    runs: list[tuple[str, bool]] = []
    for char, is_match in zip(text, marked):
        if runs and runs[-1][1] == is_match:
            runs[-1] = (runs[-1][0] + char, is_match)
        else:
            runs.append((char, is_match))
    return runs


RECORD_COLUMNS = (
    "id", "report", "actor", "territories", "territory_names_en", "territory_names_fr", "shared", "number",
    "text_en", "text_fr", "themes", "theme_labels_en", "theme_labels_fr", "themes_suggested",
    "translation_note_en", "translation_note_fr",
)


def records(dataset: Dataset, recs: pd.DataFrame) -> list[dict]:
    """Plain rows for CSV and JSON: both languages, territory names and theme labels."""
    themes, territories = dataset.themes, dataset.territories
    rows = []
    for rec in recs.itertuples(index=False):
        rows.append({
            "id": rec.id,
            "report": rec.report,
            "actor": rec.actor,
            "territories": list(rec.territories),
            "territory_names_en": [territories[c].name_en for c in rec.territories],
            "territory_names_fr": [territories[c].name_fr for c in rec.territories],
            "shared": bool(rec.shared),
            "number": rec.number,
            "text_en": rec.text_en,
            "text_fr": rec.text_fr,
            "themes": list(rec.themes),
            "theme_labels_en": [themes[t].label_en for t in rec.themes],
            "theme_labels_fr": [themes[t].label_fr for t in rec.themes],
            "themes_suggested": bool(rec.themes_suggested),
            "translation_note_en": rec.note_en,
            "translation_note_fr": rec.note_fr,
        })
    return rows


def matrix_counts(recs: pd.DataFrame, state: ViewState, themes, codes) -> dict[tuple[str, str], int]:
    """Recommendations per (theme, territory) under the actor, report and search filters: one crosstab."""
    keep = _combine(len(recs), filter_masks(recs, state), ("territory", "themes"))
    return _cells(index_of(recs), keep, themes, codes)


@dataclass(frozen=True)
class Comparison:
    """Two territories side by side: what they share, what is alike, what only one has."""

    common: tuple[str, ...]  # recommendations addressed to both (shared by one report)
    alike: tuple[tuple[str, str], ...]  # (id in a, similar id in b)
    only_a: tuple[str, ...]
    only_b: tuple[str, ...]
    themes_only_a: tuple[str, ...]
    themes_only_b: tuple[str, ...]


def compare(recs: pd.DataFrame, similar: dict[str, tuple[str, ...]], state: ViewState, a: str, b: str, themes) -> Comparison:
    """Compare the recommendations of territories a and b under the state's other filters."""
    side_a = list(recs[mask(recs, state.but(territory=a))]["id"])
    side_b = list(recs[mask(recs, state.but(territory=b))]["id"])
    in_b = set(side_b)
    common = tuple(i for i in side_a if i in in_b)
    own_a = [i for i in side_a if i not in in_b]
    own_b = [i for i in side_b if i not in set(side_a)]
    alike = tuple((i, j) for i in own_a for j in similar.get(i, ()) if j in own_b)
    matched_a = {i for i, _ in alike}
    matched_b = {j for _, j in alike}
    theme_sets = [set().union(*recs.loc[ids, "themes"]) if ids else set() for ids in (side_a, side_b)]
    return Comparison(
        common=common, alike=alike,
        only_a=tuple(i for i in own_a if i not in matched_a),
        only_b=tuple(i for i in own_b if i not in matched_b),
        themes_only_a=tuple(t for t in themes if t in theme_sets[0] - theme_sets[1]),
        themes_only_b=tuple(t for t in themes if t in theme_sets[1] - theme_sets[0]),
    )


def without_each_filter(recs: pd.DataFrame, state: ViewState, *, keep: tuple[str, ...] = ("territory",)) -> dict[str, int]:
    """For each active filter of the state but those in `keep`, how many recommendations match once that
    filter alone is removed (the others kept), by filter name in the registry's order."""
    masks = filter_masks(recs, state)
    return {name: int(_combine(len(recs), masks, (name,)).sum()) for name in FILTERS
            if name in masks and name not in keep}


def excluding_filters(recs: pd.DataFrame, state: ViewState, *, keep: tuple[str, ...] = ("territory",)) -> tuple[str, ...]:
    """The filters that exclude everything, in the registry's order: () when the state has matches; else the
    active filters (but those in `keep`) whose removal alone gives matches; when no single one does, every
    active filter but those in `keep`, since only together do they leave nothing."""
    if _combine(len(recs), filter_masks(recs, state)).any():
        return ()
    return blamed(without_each_filter(recs, state, keep=keep))


def blamed(without: Mapping[str, int]) -> tuple[str, ...]:
    """From `without_each_filter` of a view with no match: the filters whose removal alone gives matches,
    else all of them."""
    return tuple(name for name, n in without.items() if n) or tuple(without)
