"""Load the dataset once, validating every file; problems come out as `file:line: message`."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, fields
from functools import cached_property
from pathlib import Path

import pandas as pd

from . import tables
from .domain import ACTORS, in_lang, recommendation_id
from .text import fold, is_whole_number

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
    def partners(self) -> dict[int, tuple[str, ...]]:
        """Each report's partner territories, in document order."""
        out: dict[int, list[str]] = {}
        for report, codes in zip(self.recommendations["report"], self.recommendations["territories"]):
            seen = out.setdefault(int(report), [])
            seen += [c for c in codes if c not in seen]
        return {k: tuple(v) for k, v in out.items()}

    @cached_property
    def by_id(self) -> dict[str, Recommendation]:
        """Each recommendation as a record, by id."""
        columns = [f.name for f in fields(Recommendation)]
        return {row[0]: Recommendation(*row) for row in self.recommendations[columns].itertuples(index=False, name=None)}

    @cached_property
    def mapped_codes(self) -> tuple[str, ...]:
        """Every territory that has at least one recommendation, sorted."""
        return tuple(sorted({c for codes in self.recommendations["territories"] for c in codes}))

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


def load(data_dir: Path = DEFAULT_DATA_DIR) -> Dataset:
    """The validated dataset; raise DataError listing every problem."""
    raw, problems = _read(Path(data_dir))
    if not problems:
        problems = _validate(raw, Path(data_dir))
    if problems:
        raise DataError(problems)
    return _build(raw, Path(data_dir))


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
            raw[name] = tables.read_rows(data_dir / name)
        except tables.TableError as exc:
            problems.append(str(exc))
    path = data_dir / tables.BOUNDARIES
    try:
        collection = json.loads(path.read_text(encoding="utf-8"))
        raw[tables.BOUNDARIES] = {str(f.get("id") or f.get("properties", {}).get("code")) for f in collection["features"]}
    except FileNotFoundError:
        problems.append(f"{path}: file is missing")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        problems.append(f"{path}:{line}: not valid UTF-8")
    except OSError as exc:
        problems.append(f"{path}: cannot be read: {exc.strerror or exc}")
    except json.JSONDecodeError as exc:
        problems.append(f"{path}:{exc.lineno}: invalid JSON: {exc.msg}")
    except (KeyError, TypeError, AttributeError):
        problems.append(f"{path}:1: not a GeoJSON FeatureCollection with a 'features' list")
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
        seen: dict = {}
        for line, row in rows:
            k = key(row)
            if k in seen:
                problems.append(f"{where(name, line)}: duplicate {k!r} (first at line {seen[k]})")
            else:
                seen[k] = line
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
    recs = unique(name, raw[name], lambda r: r["id"])
    boundaries = raw[tables.BOUNDARIES]
    for line, row in raw[name]:
        require(name, line, row, ["id", "text_en", "text_fr"])
        if row["report"] not in reports:
            problems.append(f"{where(name, line)}: report {row['report']!r} is not in {tables.REPORTS}")
        if row["actor"] not in ACTORS:
            problems.append(f"{where(name, line)}: unknown actor {row['actor']!r} (expected one of {', '.join(ACTORS)})")
        codes = [c for c in row["territories"].split(";") if c]
        if not codes:
            problems.append(f"{where(name, line)}: empty territories")
        for code in codes:
            if code not in territories:
                problems.append(f"{where(name, line)}: unknown territory {code!r}")
            elif code not in boundaries:
                problems.append(f"{where(name, line)}: territory {code!r} has no boundary in {tables.BOUNDARIES}")
        expected_shared = "false" if row["actor"] == "national" else "true"
        if row["actor"] in ACTORS and row["shared"] != expected_shared:
            problems.append(f"{where(name, line)}: shared must be {expected_shared!r} for a {row['actor']} recommendation")
        if not is_whole_number(row["number"]) or int(row["number"]) < 1:
            problems.append(f"{where(name, line)}: number {row['number']!r} is not a positive whole number")
        elif is_whole_number(row["report"]) and row["actor"] in ACTORS:
            expected = recommendation_id(int(row["report"]), row["actor"], tuple(codes), int(row["number"]))
            if row["id"] != expected:
                problems.append(f"{where(name, line)}: id {row['id']!r} does not match its report, actor, territories and number (expected {expected!r})")
    used_reports = {row["report"] for _, row in raw[name]}
    for report, line in reports.items():
        if report not in used_reports:
            problems.append(f"{where(tables.REPORTS, line)}: report {report} has no recommendation")

    name = tables.THEME_TAGS
    unique(name, raw[name], lambda r: (r["recommendation_id"], r["theme"]))
    curated: dict[str, int] = {}
    for line, row in raw[name]:
        if row["recommendation_id"] not in recs:
            problems.append(f"{where(name, line)}: unknown recommendation {row['recommendation_id']!r}")
        if row["theme"] not in themes:
            problems.append(f"{where(name, line)}: unknown theme {row['theme']!r}")
        if row["origin"] not in ("curated", "suggested"):
            problems.append(f"{where(name, line)}: origin {row['origin']!r} must be 'curated' or 'suggested'")
        if row["origin"] == "curated":
            curated[row["recommendation_id"]] = curated.get(row["recommendation_id"], 0) + 1
            if curated[row["recommendation_id"]] == MAX_CURATED_THEMES + 1:
                problems.append(f"{where(name, line)}: {row['recommendation_id']!r} has more than {MAX_CURATED_THEMES} curated themes")

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


def _is_number(text: str, low: float, high: float) -> bool:
    try:
        return low <= float(text) <= high
    except ValueError:
        return False


def _build(raw: dict, data_dir: Path) -> Dataset:
    tags: dict[str, list[str]] = {}
    suggested: set[str] = set()
    for _, row in raw[tables.THEME_TAGS]:
        tags.setdefault(row["recommendation_id"], []).append(row["theme"])
        if row["origin"] == "suggested":
            suggested.add(row["recommendation_id"])
    notes = {row["recommendation_id"]: row for _, row in raw[tables.TRANSLATION_NOTES]}
    records = []
    for _, row in raw[tables.RECOMMENDATIONS]:
        note = notes.get(row["id"], {})
        records.append({
            "id": row["id"],
            "report": int(row["report"]),
            "actor": row["actor"],
            "territories": tuple(row["territories"].split(";")),
            "shared": row["shared"] == "true",
            "number": int(row["number"]),
            "text_en": row["text_en"],
            "text_fr": row["text_fr"],
            "themes": tuple(tags.get(row["id"], ())),
            "themes_suggested": row["id"] in suggested,
            "note_en": note.get("note_en", ""),
            "note_fr": note.get("note_fr", ""),
            "folded": fold(row["text_en"] + "\n" + row["text_fr"]),
        })
    frame = pd.DataFrame.from_records(records).set_index("id", drop=False)
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
