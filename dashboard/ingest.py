"""`ingest SOURCE`: add the reports of a source document to the dataset, replacing any earlier import."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import tables
from .parse import ParseError, Report, parse_document
from .similarity import similar_pairs, similarity_matrix
from .territory_names import TerritoryNames
from .text import matches_prefix, words


class IngestError(ValueError):
    """Input that cannot be ingested; the message names the file and line."""


@dataclass(frozen=True)
class IngestResult:
    reports: list[tuple[int, Report]]  # dataset report number, parsed report
    suggested: dict[str, list[str]]  # new recommendation id -> suggested theme ids (maybe none)
    dropped_tags: list[str]  # tags of recommendations that no longer exist
    borrowed: dict[str, str]  # new recommendation id -> the curated one whose themes it borrowed


def recommendation_id(report: int, actor: str, codes: tuple[str, ...], number: int) -> str:
    section = {"international": "int", "private": "pri"}.get(actor) or "-".join(c.lower() for c in codes)
    return f"r{report}-{section}-{number}"


# A new recommendation that no keyword matches borrows the curated themes of its most similar
# curated recommendation, when that one scores at least this (see similarity.py). Left out one at
# a time, each of the 87 curated recommendations would borrow at least one right theme 82% of the
# time at this floor (67% of the borrowed themes right), against 76% with no floor.
NEIGHBOUR_FLOOR = 0.15


def suggest_themes(text_en: str, text_fr: str, themes: list[dict[str, str]]) -> list[str]:
    """Themes whose English keywords match the English text or French keywords the French text."""
    en, fr = words(text_en), words(text_fr)
    found = []
    for theme in themes:
        keywords = [(en, k) for k in theme["keywords_en"].split(";")] + [(fr, k) for k in theme["keywords_fr"].split(";")]
        if any(matches_prefix(text, k) for text, k in keywords if k.strip()):
            found.append(theme["id"])
    return found


def ingest(source: Path, data_dir: Path) -> IngestResult:
    """Parse SOURCE and write its reports into DATA_DIR; raise IngestError and write nothing on bad input."""
    text = _read_source(source)
    try:
        territory_rows = [row for _, row in tables.read_rows(data_dir / tables.TERRITORIES)]
        themes = [row for _, row in tables.read_rows(data_dir / tables.THEMES)]
        old_recs = tables.read_rows(data_dir / tables.RECOMMENDATIONS) if (data_dir / tables.RECOMMENDATIONS).exists() else []
        old_reports = tables.read_rows(data_dir / tables.REPORTS) if (data_dir / tables.REPORTS).exists() else []
        old_tags = tables.read_rows(data_dir / tables.THEME_TAGS) if (data_dir / tables.THEME_TAGS).exists() else []
    except tables.TableError as exc:
        raise IngestError(str(exc)) from None
    names = TerritoryNames(territory_rows)
    try:
        parsed = parse_document(text, str(source), names.resolve)
    except ParseError as exc:
        raise IngestError(str(exc)) from None

    numbers = _report_numbers(source.name, [row for _, row in old_reports], len(parsed))
    replaced = {str(n) for n in numbers} | {row["report"] for _, row in old_reports if row["source"] == source.name}
    reports = [row for _, row in old_reports if row["report"] not in replaced]
    reports += [{"report": str(n), "source": source.name} for n in numbers]
    reports.sort(key=lambda r: int(r["report"]))

    recs = [row for _, row in old_recs if row["report"] not in replaced]
    for number, report in zip(numbers, parsed):
        for rec in report.recommendations:
            recs.append({
                "id": recommendation_id(number, rec.actor, rec.codes, rec.number),
                "report": str(number),
                "actor": rec.actor,
                "territories": ";".join(rec.codes or report.partners),
                "shared": "false" if rec.codes else "true",
                "number": str(rec.number),
                "text_en": rec.text_en,
                "text_fr": rec.text_fr,
            })
    recs.sort(key=lambda r: int(r["report"]))  # stable: keeps document order within a report

    ids = {r["id"] for r in recs}
    new_ids = ids - {row["id"] for _, row in old_recs}
    tags = [row for _, row in old_tags if row["recommendation_id"] in ids]
    dropped = sorted({row["recommendation_id"] for _, row in old_tags} - ids)
    tagged = {t["recommendation_id"] for t in tags}
    suggested: dict[str, list[str]] = {}
    for rec in recs:
        if rec["id"] in new_ids and rec["id"] not in tagged:
            suggested[rec["id"]] = suggest_themes(rec["text_en"], rec["text_fr"], themes)
    curated = {t["recommendation_id"] for t in tags if t["origin"] == "curated"}
    borrowed = nearest_curated(recs, [i for i, themes in suggested.items() if not themes], curated)
    for rec_id, source_id in borrowed.items():
        suggested[rec_id] = [t["theme"] for t in tags if t["recommendation_id"] == source_id]
    for rec_id, theme_ids in suggested.items():
        tags += [{"recommendation_id": rec_id, "theme": t, "origin": "suggested"} for t in theme_ids]
    order = {r["id"]: i for i, r in enumerate(recs)}
    theme_order = {t["id"]: i for i, t in enumerate(themes)}
    tags.sort(key=lambda t: (order[t["recommendation_id"]], theme_order.get(t["theme"], len(theme_order))))

    tables.write_files_atomically({
        data_dir / name: tables.render_csv(tables.COLUMNS[name], rows)
        for name, rows in ((tables.RECOMMENDATIONS, recs), (tables.REPORTS, reports), (tables.THEME_TAGS, tags),
                           (tables.SIMILAR, similar_pairs(recs)))
    })
    return IngestResult(list(zip(numbers, parsed)), suggested, dropped, borrowed)


def nearest_curated(recs: list[dict], wanting: list[str], curated: set[str]) -> dict[str, str]:
    """For each id in `wanting`, the most similar curated recommendation at or above NEIGHBOUR_FLOOR."""
    if not wanting or not curated:
        return {}
    scores = similarity_matrix(recs)
    index = {r["id"]: i for i, r in enumerate(recs)}
    candidates = [index[c] for c in curated if c in index]
    found = {}
    for rec_id in wanting:
        best = max(candidates, key=lambda j: (scores[index[rec_id], j], -j))
        if scores[index[rec_id], best] >= NEIGHBOUR_FLOOR:
            found[rec_id] = recs[best]["id"]
    return found


def _read_source(source: Path) -> str:
    try:
        data = source.read_bytes()
    except FileNotFoundError:
        raise IngestError(f"{source}: no such file") from None
    except IsADirectoryError:
        raise IngestError(f"{source}: is a directory, not a file") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise IngestError(f"{source}:{line}: not valid UTF-8 text") from None


def _report_numbers(source_name: str, old_reports: list[dict[str, str]], count: int) -> list[int]:
    """Reuse the numbers of an earlier import of the same source; number new reports after the rest."""
    reused = sorted(int(r["report"]) for r in old_reports if r["source"] == source_name)[:count]
    others = [int(r["report"]) for r in old_reports if r["source"] != source_name]
    next_number = max(others + reused + [0]) + 1
    while len(reused) < count:
        reused.append(next_number)
        next_number += 1
    return reused
