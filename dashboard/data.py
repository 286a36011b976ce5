"""Load the dataset once, validating every file; problems come out as `file:line: message`."""
from __future__ import annotations

import gc
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from functools import cached_property
from pathlib import Path

import pandas as pd

from . import tables
from .domain import ACTORS, in_lang, recommendation_id
from .geojson import read_features
from .index import RecIndex, of as index_of
from .text import is_whole_number

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"
MAX_CURATED_THEMES = 4
_CODE = re.compile(r"^[A-Z]{3}$")
_THEME_ID = re.compile(r"^[a-z][a-z0-9_]*$")


class DataError(ValueError):
    """The dataset is invalid; `problems` lists every `file:line: message`."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Territory:
    code: str
    name_en: str
    name_fr: str
    parent: str
    label_lon: float
    label_lat: float
    area_km2: int

    def name(self, lang: str) -> str:
        return in_lang(self, "name", lang)


@dataclass(frozen=True)
class Theme:
    id: str
    label_en: str
    label_fr: str
    definition_en: str
    definition_fr: str

    def label(self, lang: str) -> str:
        return in_lang(self, "label", lang)

    def definition(self, lang: str) -> str:
        return in_lang(self, "definition", lang)


@dataclass(frozen=True)
class Recommendation:
    """One recommendation as the page shows it (a row of `Dataset.recommendations`)."""
    id: str
    report: int
    actor: str
    territories: tuple[str, ...]
    shared: bool
    number: int
    text_en: str
    text_fr: str
    themes: tuple[str, ...]
    themes_suggested: bool
    note_en: str  # translation note, "" when there is none
    note_fr: str

    def text(self, lang: str) -> str:
        return in_lang(self, "text", lang)

    def note(self, lang: str) -> str:
        return in_lang(self, "note", lang)


@dataclass(frozen=True, eq=False)  # hashed by identity, so functions of a dataset can be cached
class Dataset:
    recommendations: pd.DataFrame  # one row per recommendation, in document order, indexed by id
    themes: dict[str, Theme]  # in taxonomy order
    territories: dict[str, Territory]
    reports: dict[int, str]  # report number -> source file name
    similar: dict[str, tuple[str, ...]]  # recommendation id -> near-identical ones elsewhere, best first
    boundary_codes: frozenset[str]
    data_dir: Path

    @cached_property
    def index(self) -> RecIndex:
        """The arrays the queries filter and count with (see index.py)."""
        return index_of(self.recommendations)

    @cached_property
    def partners(self) -> dict[int, tuple[str, ...]]:
        """Each report's partner territories, in document order."""
        reports = self.index.report
        return {int(r): self.index.first_codes(reports == r) for r in dict.fromkeys(reports.tolist())}

    @cached_property
    def by_id(self) -> Mapping[str, Recommendation]:
        """Each recommendation as a record, by id."""
        return _Records(self.recommendations)

    @cached_property
    def mapped_codes(self) -> tuple[str, ...]:
        """Every territory that has at least one recommendation, sorted."""
        return tuple(sorted(self.index.code_names))

    def counts(self) -> dict[str, int]:
        return {
            "recommendations": len(self.recommendations),
            "reports": len(self.reports),
            "themes": len(self.themes),
            "theme_tags": int(self.recommendations["themes"].map(len).sum()),
            "translation_notes": int((self.recommendations["note_en"] != "").sum()),
            "similar_pairs": sum(len(v) for v in self.similar.values()) // 2,
            "territories": len(self.territories),
            "boundaries": len(self.boundary_codes),
        }


class _Records(Mapping):
    """The rows of a recommendations frame as records, by id, each made when first asked for:
    a page shows a few of 100,000."""

    def __init__(self, frame: pd.DataFrame):
        self._positions = {rec_id: i for i, rec_id in enumerate(frame["id"].tolist())}
        self._columns = [frame[field.name].tolist() for field in fields(Recommendation)]
        self._type = Recommendation
        self._made: dict = {}

    def __getitem__(self, rec_id: str):
        rec = self._made.get(rec_id)
        if rec is None:
            i = self._positions[rec_id]
            rec = self._made[rec_id] = self._type(*(column[i] for column in self._columns))
        return rec

    def __iter__(self):
        return iter(self._positions)

    def __len__(self) -> int:
        return len(self._positions)


def load(data_dir: Path = DEFAULT_DATA_DIR) -> Dataset:
    """The validated dataset; raise DataError listing every problem."""
    # Loading makes millions of objects and no garbage cycle: the cycle collector would only scan them
    # again and again (a fifth of the time at 100,000 recommendations).
    collecting = gc.isenabled()
    gc.disable()
    try:
        raw, problems = _read(Path(data_dir))
        if not problems:
            problems = _validate(raw, Path(data_dir))
        if problems:
            raise DataError(problems)
        dataset = _build(raw, Path(data_dir))
        dataset.index  # built now, so that no request waits for it
        return dataset
    finally:
        if collecting:
            gc.enable()


def check(data_dir: Path = DEFAULT_DATA_DIR) -> tuple[Dataset | None, list[str]]:
    try:
        return load(data_dir), []
    except DataError as exc:
        return None, exc.problems


def _read(data_dir: Path) -> tuple[dict, list[str]]:
    raw: dict = {}
    problems: list[str] = []
    for name in tables.COLUMNS:
        try:
            raw[name] = tables.read_table(data_dir / name)
        except tables.TableError as exc:
            problems.append(str(exc))
    raw[tables.BOUNDARIES], raw["feature_problems"] = read_features(data_dir / tables.BOUNDARIES)
    if not raw[tables.BOUNDARIES]:  # unreadable, or no usable feature: nothing else can be checked against it
        problems += raw["feature_problems"]
    return raw, problems


def _validate(raw: dict, data_dir: Path) -> list[str]:
    problems: list[str] = []

    def where(name: str, line: int) -> str:
        return f"{data_dir / name}:{line}"

    def require(name: str, line: int, row: dict, columns: list[str]) -> None:
        for column in columns:
            if not row[column]:
                problems.append(f"{where(name, line)}: empty {column}")

    def unique(name: str, rows, key) -> dict:
        return unique_keys(name, [line for line, _ in rows], [key(row) for _, row in rows])

    def unique_keys(name: str, lines: list[int], keys: list) -> dict:
        seen = dict(zip(reversed(keys), reversed(lines)))  # each key's first line
        if len(seen) < len(keys):
            for line, k in zip(lines, keys):
                if seen[k] != line:
                    problems.append(f"{where(name, line)}: duplicate {k!r} (first at line {seen[k]})")
        return seen

    name = tables.TERRITORIES
    territories = unique(name, raw[name], lambda r: r["code"])
    for line, row in raw[name]:
        require(name, line, row, ["name_en", "name_fr"])
        if not _CODE.match(row["code"]):
            problems.append(f"{where(name, line)}: code {row['code']!r} is not an ISO alpha-3 code (three capital letters)")
        if row["parent"] and row["parent"] not in territories:
            problems.append(f"{where(name, line)}: unknown parent {row['parent']!r}")
        for column, low, high in (("label_lon", -180, 180), ("label_lat", -90, 90)):
            if not _is_number(row[column], low, high):
                problems.append(f"{where(name, line)}: {column} {row[column]!r} is not a number from {low} to {high}")
        if not is_whole_number(row["area_km2"]):
            problems.append(f"{where(name, line)}: area_km2 {row['area_km2']!r} is not a whole number")

    problems += raw["feature_problems"]
    for code, line in raw[tables.BOUNDARIES].items():
        if code not in territories:
            problems.append(f"{where(tables.BOUNDARIES, line)}: feature {code!r} is not a territory in {tables.TERRITORIES}")

    name = tables.REPORTS
    reports = unique(name, raw[name], lambda r: r["report"])
    for line, row in raw[name]:
        require(name, line, row, ["source"])
        if not is_whole_number(row["report"]):
            problems.append(f"{where(name, line)}: report {row['report']!r} is not a whole number")

    name = tables.THEMES
    themes = unique(name, raw[name], lambda r: r["id"])
    for line, row in raw[name]:
        require(name, line, row, tables.COLUMNS[name])
        if not _THEME_ID.match(row["id"]):
            problems.append(f"{where(name, line)}: theme id {row['id']!r} must be lower-case letters, digits and _")

    name = tables.RECOMMENDATIONS
    columns = raw[name].columns
    recs = unique_keys(name, raw[name].lines, columns["id"])
    boundaries = raw[tables.BOUNDARIES]
    # Each distinct territory list, section and number is checked once: 100,000 rows hold far fewer.
    listed_problems: dict[str, list[str]] = {}
    prefixes: dict[tuple[str, str, str], str] = {}  # the id up to its number, by report, actor and territories
    positive = {n: is_whole_number(n) and int(n) >= 1 for n in set(columns["number"])}
    whole_reports = {r for r in set(columns["report"]) if is_whole_number(r)}
    for line, rec_id, report, actor, listed, shared, number, text_en, text_fr in zip(
            raw[name].lines, *(columns[c] for c in tables.COLUMNS[name])):
        if not (rec_id and text_en and text_fr):
            require(name, line, {"id": rec_id, "text_en": text_en, "text_fr": text_fr}, ["id", "text_en", "text_fr"])
        if report not in reports:
            problems.append(f"{where(name, line)}: report {report!r} is not in {tables.REPORTS}")
        if actor not in ACTORS:
            problems.append(f"{where(name, line)}: unknown actor {actor!r} (expected one of {', '.join(ACTORS)})")
        if listed not in listed_problems:
            listed_problems[listed] = _territory_problems(listed, territories, boundaries)
        for problem in listed_problems[listed]:
            problems.append(f"{where(name, line)}: {problem}")
        expected_shared = "false" if actor == "national" else "true"
        if actor in ACTORS and shared != expected_shared:
            problems.append(f"{where(name, line)}: shared must be {expected_shared!r} for a {actor} recommendation")
        if not positive[number]:
            problems.append(f"{where(name, line)}: number {number!r} is not a positive whole number")
        elif actor in ACTORS and report in whole_reports:
            section = (report, actor, listed)
            if section not in prefixes:
                codes = tuple(c for c in listed.split(";") if c)
                prefixes[section] = recommendation_id(int(report), actor, codes, 0)[:-1]
            expected = prefixes[section] + str(int(number))
            if rec_id != expected:
                problems.append(f"{where(name, line)}: id {rec_id!r} does not match its report, actor, territories and number (expected {expected!r})")
    used_reports = set(columns["report"])
    for report, line in reports.items():
        if report not in used_reports:
            problems.append(f"{where(tables.REPORTS, line)}: report {report} has no recommendation")

    name = tables.THEME_TAGS
    lines, columns = raw[name].lines, raw[name].columns
    unique_keys(name, lines, list(zip(columns["recommendation_id"], columns["theme"])))
    curated: dict[str, int] = {}
    for line, rec_id, theme, origin in zip(lines, columns["recommendation_id"], columns["theme"], columns["origin"]):
        if rec_id not in recs:
            problems.append(f"{where(name, line)}: unknown recommendation {rec_id!r}")
        if theme not in themes:
            problems.append(f"{where(name, line)}: unknown theme {theme!r}")
        if origin == "curated":
            curated[rec_id] = curated.get(rec_id, 0) + 1
            if curated[rec_id] == MAX_CURATED_THEMES + 1:
                problems.append(f"{where(name, line)}: {rec_id!r} has more than {MAX_CURATED_THEMES} curated themes")
        elif origin != "suggested":
            problems.append(f"{where(name, line)}: origin {origin!r} must be 'curated' or 'suggested'")

    name = tables.SIMILAR
    unique(name, raw[name], lambda r: (r["recommendation_id"], r["similar_id"]))
    for line, row in raw[name]:
        for column in ("recommendation_id", "similar_id"):
            if row[column] not in recs:
                problems.append(f"{where(name, line)}: unknown recommendation {row[column]!r}")
        if row["recommendation_id"] == row["similar_id"]:
            problems.append(f"{where(name, line)}: a recommendation cannot be similar to itself")
        if not _is_number(row["score"], 0, 1):
            problems.append(f"{where(name, line)}: score {row['score']!r} is not a number from 0 to 1")

    name = tables.TRANSLATION_NOTES
    unique(name, raw[name], lambda r: r["recommendation_id"])
    for line, row in raw[name]:
        require(name, line, row, tables.COLUMNS[name])
        if row["recommendation_id"] not in recs:
            problems.append(f"{where(name, line)}: unknown recommendation {row['recommendation_id']!r}")
    return problems


def _territory_problems(listed: str, territories, boundaries) -> list[str]:
    """What is wrong with a recommendation's `territories` cell."""
    codes = [c for c in listed.split(";") if c]
    if not codes:
        return ["empty territories"]
    return [f"unknown territory {code!r}" if code not in territories else
            f"territory {code!r} has no boundary in {tables.BOUNDARIES}"
            for code in codes if code not in territories or code not in boundaries]


def _is_number(text: str, low: float, high: float) -> bool:
    try:
        return low <= float(text) <= high
    except ValueError:
        return False


def _split_each(cells: list[str]) -> list[tuple[str, ...]]:
    """Each `;`-separated cell as a tuple; equal cells share one tuple."""
    split = {cell: tuple(cell.split(";")) for cell in set(cells)}
    return [split[cell] for cell in cells]


def _build(raw: dict, data_dir: Path) -> Dataset:
    tags: dict[str, list[str]] = {}
    columns = raw[tables.THEME_TAGS].columns
    for rec_id, theme in zip(columns["recommendation_id"], columns["theme"]):
        if rec_id in tags:
            tags[rec_id].append(theme)
        else:
            tags[rec_id] = [theme]
    suggested = {i for i, origin in zip(columns["recommendation_id"], columns["origin"]) if origin == "suggested"}
    notes = {row["recommendation_id"]: row for _, row in raw[tables.TRANSLATION_NOTES]}
    columns = raw[tables.RECOMMENDATIONS].columns
    ids, text_en, text_fr = columns["id"], columns["text_en"], columns["text_fr"]
    frame = pd.DataFrame({
        "id": ids,
        "report": list(map(int, columns["report"])),
        "actor": columns["actor"],
        "territories": _split_each(columns["territories"]),
        "shared": [shared == "true" for shared in columns["shared"]],
        "number": list(map(int, columns["number"])),
        "text_en": text_en,
        "text_fr": text_fr,
        "themes": [tuple(tags.get(i, ())) for i in ids],
        "themes_suggested": [i in suggested for i in ids],
        "note_en": [notes[i]["note_en"] if i in notes else "" for i in ids],
        "note_fr": [notes[i]["note_fr"] if i in notes else "" for i in ids],
    }).set_index("id", drop=False)
    themes = {row["id"]: Theme(row["id"], row["label_en"], row["label_fr"], row["definition_en"], row["definition_fr"])
              for _, row in raw[tables.THEMES]}
    territories = {
        row["code"]: Territory(row["code"], row["name_en"], row["name_fr"], row["parent"],
                               float(row["label_lon"]), float(row["label_lat"]), int(row["area_km2"]))
        for _, row in raw[tables.TERRITORIES]
    }
    reports = {int(row["report"]): row["source"] for _, row in raw[tables.REPORTS]}
    similar: dict[str, list[str]] = {}
    for _, row in raw[tables.SIMILAR]:
        similar.setdefault(row["recommendation_id"], []).append(row["similar_id"])
    return Dataset(frame, themes, territories, reports, {k: tuple(v) for k, v in similar.items()},
                   frozenset(raw[tables.BOUNDARIES]), data_dir)
