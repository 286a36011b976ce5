"""Pure filtering, counting and searching over the recommendations for one view state (no Dash)."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import pandas as pd

from .data import Dataset
from .parse import ACTORS
from .state import ViewState
from .text import fold

# Filters a count may leave out, so that each filter shows counts under the others.
_FILTERS = ("territory", "actors", "themes", "report", "q")


def search_terms(q: str) -> list[str]:
    """The folded words of a search; every one must occur in a matching text."""
    return [term for term in fold(q).split() if term]


def mask(recs: pd.DataFrame, state: ViewState, *, ignore: tuple[str, ...] = ()) -> pd.Series:
    """Which recommendations pass every filter of the state, except those named in `ignore`."""
    keep = pd.Series(True, index=recs.index)
    if state.territory and "territory" not in ignore:
        keep &= recs["territories"].map(lambda codes: state.territory in codes)
    if state.actors and "actors" not in ignore:
        keep &= recs["actor"].isin(state.actors)
    if state.themes and "themes" not in ignore:
        wanted = set(state.themes)
        keep &= recs["themes"].map(lambda themes: not wanted.isdisjoint(themes))
    if state.report is not None and "report" not in ignore:
        keep &= recs["report"] == state.report
    if state.q and "q" not in ignore:
        for term in search_terms(state.q):
            keep &= recs["folded"].str.contains(term, regex=False)
    return keep


def matching(recs: pd.DataFrame, state: ViewState) -> pd.DataFrame:
    return recs[mask(recs, state)]


def territory_counts(recs: pd.DataFrame, state: ViewState) -> dict[str, int]:
    """Recommendations per territory under every filter but the selected territory."""
    counts: dict[str, int] = {}
    for codes in recs.loc[mask(recs, state, ignore=("territory",)), "territories"]:
        for code in codes:
            counts[code] = counts.get(code, 0) + 1
    return counts


def listed_territories(dataset: Dataset, state: ViewState, counts: dict[str, int] | None = None) -> list[str]:
    """The territories the list under the map offers, by name: those with matches, and the selected one."""
    if counts is None:
        counts = territory_counts(dataset.recommendations, state)
    codes = {c for c, n in counts.items() if n > 0} | ({state.territory} if state.territory else set())
    return sorted(codes, key=lambda c: dataset.territories[c].name(state.lang))


def actor_counts(recs: pd.DataFrame, state: ViewState) -> dict[str, int]:
    """Recommendations per actor under every other filter."""
    found = recs.loc[mask(recs, state, ignore=("actors",)), "actor"].value_counts()
    return {actor: int(found.get(actor, 0)) for actor in ACTORS}


def theme_counts(recs: pd.DataFrame, state: ViewState, themes) -> dict[str, int]:
    """Recommendations per theme under every other filter, in taxonomy order."""
    found = recs.loc[mask(recs, state, ignore=("themes",)), "themes"].explode().value_counts()
    return {theme: int(found.get(theme, 0)) for theme in themes}


def report_counts(recs: pd.DataFrame, state: ViewState, reports) -> dict[int, int]:
    found = recs.loc[mask(recs, state, ignore=("report",)), "report"].value_counts()
    return {report: int(found.get(report, 0)) for report in reports}


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


def to_csv(rows: list[dict]) -> str:
    """CSV text with list fields joined by '; '."""
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=RECORD_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "; ".join(v) if isinstance(v, list) else v for k, v in row.items()})
    return out.getvalue()


def matrix_counts(recs: pd.DataFrame, state: ViewState, themes, codes) -> dict[tuple[str, str], int]:
    """Recommendations per (theme, territory) under the actor, report and search filters."""
    counts = {(theme, code): 0 for theme in themes for code in codes}
    kept = recs[mask(recs, state, ignore=("territory", "themes"))]
    for rec_themes, rec_codes in zip(kept["themes"], kept["territories"]):
        for theme in rec_themes:
            for code in rec_codes:
                if (theme, code) in counts:
                    counts[(theme, code)] += 1
    return counts


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
