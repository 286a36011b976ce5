"""Arrays built once per dataset so that each filter and count is a few vectorised operations.

Rows are positions in the recommendations frame (document order). A recommendation addressed to several
territories or tagged with several themes appears once per territory or theme in the exploded arrays."""
from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass, field
from itertools import chain

import numpy as np
import pandas as pd

from .text import fold_many

_SEARCH_CACHE_SIZE = 32


def _explode(column: pd.Series) -> tuple[np.ndarray, np.ndarray, tuple[str, ...], np.ndarray]:
    """(row of each item, code of each item, the codes in first-seen order, items per row) of a tuple column."""
    values = column.tolist()
    lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
    rows = np.repeat(np.arange(len(values), dtype=np.int64), lengths)
    codes, names = pd.factorize(np.array(list(chain.from_iterable(values)), dtype=object))
    return rows, codes.astype(np.int64), tuple(names), lengths


@dataclass(frozen=True, eq=False)
class RecIndex:
    """Positional arrays over one recommendations frame."""

    n: int
    ids: np.ndarray  # object array of ids
    actor: np.ndarray  # code of each row's actor in `actor_names`
    actor_names: tuple[str, ...]
    report: np.ndarray  # int64 report number of each row
    report_code: np.ndarray  # position of each row's report in `report_names`
    report_names: tuple[int, ...]
    theme_names: tuple[str, ...]
    theme_matrix: np.ndarray  # bool (rows × themes): row is tagged with the theme
    tag_row: np.ndarray  # one (row, theme) pair per theme of each recommendation
    tag_theme: np.ndarray
    code_names: tuple[str, ...]  # territories with at least one recommendation, first-seen order
    pair_row: np.ndarray  # one (row, territory) pair per territory of each recommendation
    pair_code: np.ndarray
    code_ptr: np.ndarray  # rows of territory k are code_rows[code_ptr[k]:code_ptr[k + 1]]
    code_rows: np.ndarray
    cell_row: np.ndarray  # one (row, theme × territory cell) per theme and territory of each recommendation
    cell_key: np.ndarray  # theme position * len(code_names) + territory position
    texts: tuple[list[str], list[str]]  # each row's English and French text
    _searches: OrderedDict = field(default_factory=OrderedDict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _folded: list = field(default_factory=list, repr=False)  # [the folded texts] once made
    _fold_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def folded(self) -> list[str]:
        """Each row's folded English and French text, made on first need: folding is a fifth of loading
        100,000 recommendations, and only a search reads it (the app folds them in the background as it
        starts, `fold_in_background`)."""
        if not self._folded:
            with self._fold_lock:
                if not self._folded:
                    english, french = self.texts
                    self._folded.append(fold_many([en + "\n" + fr for en, fr in zip(english, french)]))
        return self._folded[0]

    def fold_in_background(self) -> threading.Thread:
        thread = threading.Thread(target=lambda: self.folded, name="atlas-fold", daemon=True)
        thread.start()
        return thread

    @classmethod
    def build(cls, recs: pd.DataFrame) -> "RecIndex":
        n = len(recs)
        actor, actor_names = pd.factorize(recs["actor"].astype(object))
        tag_row, tag_theme, theme_names, tag_lengths = _explode(recs["themes"])
        theme_matrix = np.zeros((n, len(theme_names)), dtype=bool)
        theme_matrix[tag_row, tag_theme] = True
        pair_row, pair_code, code_names, _ = _explode(recs["territories"])
        order = np.argsort(pair_code, kind="stable")
        code_ptr = np.searchsorted(pair_code[order], np.arange(len(code_names) + 1))
        # every (theme, territory) cell of each recommendation: each territory pair repeated per theme of its row
        per_pair = tag_lengths[pair_row]
        repeat = np.repeat(np.arange(len(pair_row)), per_pair)
        tag_start = np.concatenate(([0], np.cumsum(tag_lengths)))[pair_row]
        offset = np.arange(len(repeat)) - np.repeat(np.cumsum(per_pair) - per_pair, per_pair)
        cell_theme = tag_theme[tag_start[repeat] + offset] if len(repeat) else np.zeros(0, dtype=np.int64)
        cell_key = cell_theme * max(len(code_names), 1) + pair_code[repeat]
        report = recs["report"].to_numpy(dtype=np.int64)
        report_code, report_names = pd.factorize(report)
        return cls(n=n, ids=recs["id"].to_numpy(dtype=object), actor=actor.astype(np.int8),
                   actor_names=tuple(actor_names), report=report, report_code=report_code,
                   report_names=tuple(int(r) for r in report_names),
                   theme_names=theme_names, theme_matrix=theme_matrix, tag_row=tag_row, tag_theme=tag_theme,
                   code_names=code_names,
                   pair_row=pair_row, pair_code=pair_code, code_ptr=code_ptr, code_rows=pair_row[order],
                   cell_row=pair_row[repeat], cell_key=cell_key,
                   texts=(recs["text_en"].tolist(), recs["text_fr"].tolist()))

    # --- one boolean array per filter -------------------------------------------------------------

    def territory_mask(self, code: str) -> np.ndarray:
        keep = np.zeros(self.n, dtype=bool)
        if code in self._code_pos:
            k = self._code_pos[code]
            keep[self.code_rows[self.code_ptr[k]:self.code_ptr[k + 1]]] = True
        return keep

    def actor_mask(self, actors) -> np.ndarray:
        wanted = [i for i, name in enumerate(self.actor_names) if name in set(actors)]
        return np.isin(self.actor, wanted)

    def theme_mask(self, themes) -> np.ndarray:
        columns = [self._theme_pos[t] for t in themes if t in self._theme_pos]
        return self.theme_matrix[:, columns].any(axis=1)

    def report_mask(self, report: int) -> np.ndarray:
        return self.report == report

    def search_mask(self, terms: tuple[str, ...]) -> np.ndarray:
        """Rows whose folded text holds every (folded) term; the latest searches are kept."""
        with self._lock:
            if terms in self._searches:
                self._searches.move_to_end(terms)
                return self._searches[terms]
        rows = range(self.n)
        for term in sorted(set(terms), key=len, reverse=True):  # the longest term usually narrows most
            folded = self.folded
            rows = [i for i in rows if term in folded[i]]
        keep = np.zeros(self.n, dtype=bool)
        keep[np.fromiter(rows, dtype=np.int64)] = True
        keep.flags.writeable = False
        with self._lock:
            self._searches[terms] = keep
            if len(self._searches) > _SEARCH_CACHE_SIZE:
                self._searches.popitem(last=False)
        return keep

    # --- counts under a mask -----------------------------------------------------------------------

    def territory_counts(self, keep: np.ndarray) -> dict[str, int]:
        """Matching recommendations per territory, for territories with at least one, by code."""
        found = np.bincount(self.pair_code[keep[self.pair_row]], minlength=len(self.code_names))
        return {self.code_names[k]: int(found[k]) for k in np.flatnonzero(found)}

    def actor_counts(self, keep: np.ndarray) -> dict[str, int]:
        found = np.bincount(self.actor[keep], minlength=len(self.actor_names))
        return {name: int(found[i]) for i, name in enumerate(self.actor_names)}

    def theme_counts(self, keep: np.ndarray) -> dict[str, int]:
        found = np.bincount(self.tag_theme[keep[self.tag_row]], minlength=len(self.theme_names))
        return {name: int(found[i]) for i, name in enumerate(self.theme_names)}

    def report_counts(self, keep: np.ndarray) -> dict[int, int]:
        """Matching recommendations per report, for reports with at least one."""
        found = np.bincount(self.report_code[keep], minlength=len(self.report_names))
        return {self.report_names[k]: int(found[k]) for k in np.flatnonzero(found)}

    def crosstab(self, keep: np.ndarray) -> np.ndarray:
        """Matching recommendations per (theme, territory), as a themes × territories array."""
        shape = (len(self.theme_names), len(self.code_names))
        return np.bincount(self.cell_key[keep[self.cell_row]], minlength=shape[0] * shape[1]).reshape(shape)

    def first_codes(self, keep: np.ndarray) -> tuple[str, ...]:
        """Territories of the matching recommendations, in the order they first appear."""
        codes = self.pair_code[keep[self.pair_row]]
        _, first = np.unique(codes, return_index=True)
        return tuple(self.code_names[codes[i]] for i in sorted(first))

    @property
    def _code_pos(self) -> dict[str, int]:
        return self._positions("code_names")

    @property
    def _theme_pos(self) -> dict[str, int]:
        return self._positions("theme_names")

    def _positions(self, name: str) -> dict[str, int]:
        cache = self.__dict__.setdefault("_position_cache", {})
        if name not in cache:
            cache[name] = {value: i for i, value in enumerate(getattr(self, name))}
        return cache[name]


# The index of each frame a query has seen, so that functions taking only a frame find the index built at load.
_BY_FRAME: dict[int, tuple[weakref.ref, RecIndex]] = {}


def of(recs: pd.DataFrame) -> RecIndex:
    """The index of a recommendations frame, built on first use and kept while the frame lives.

    A frame is read-only once queried: change a copy instead (as pandas' copy-on-write does anyway)."""
    key = id(recs)
    entry = _BY_FRAME.get(key)
    if entry is not None and entry[0]() is recs:
        return entry[1]
    index = RecIndex.build(recs)
    _BY_FRAME[key] = (weakref.ref(recs, lambda _, key=key: _BY_FRAME.pop(key, None)), index)
    return index
