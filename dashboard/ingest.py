"""`ingest SOURCE`: add the reports of a source document to the dataset, replacing any earlier import."""
from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import tables
from .data import check
from .domain import recommendation_id
from .parse import ParseError, Report, parse_document
from .similarity import similar_pairs, similarity_matrix
from .territory_names import TerritoryNames
from .text import is_whole_number, matches_prefix, words


class IngestError(ValueError):
    """Input that cannot be ingested; the message names the file and line."""


@dataclass(frozen=True)
class IngestResult:
    reports: list[tuple[int, Report]]  # dataset report number, parsed report
    suggested: dict[str, list[str]]  # new recommendation id -> suggested theme ids (maybe none)
    dropped: list[str]  # recommendations no longer in the source, whose tags and notes went with them
    borrowed: dict[str, str]  # new recommendation id -> the curated one whose themes it borrowed


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
    _check_existing(data_dir)
    try:
        territory_rows = [row for _, row in tables.read_rows(data_dir / tables.TERRITORIES)]
        themes = [row for _, row in tables.read_rows(data_dir / tables.THEMES)]
        old_recs = _rows_if_present(data_dir / tables.RECOMMENDATIONS)
        old_reports = _rows_if_present(data_dir / tables.REPORTS)
        old_tags = _rows_if_present(data_dir / tables.THEME_TAGS)
        old_notes = _rows_if_present(data_dir / tables.TRANSLATION_NOTES)
    except tables.TableError as exc:
        raise IngestError(str(exc)) from None
    for line, row in old_reports:
        if not is_whole_number(row["report"]):
            raise IngestError(f"{data_dir / tables.REPORTS}:{line}: report {row['report']!r} is not a whole number")
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
    notes = [row for _, row in old_notes if row["recommendation_id"] in ids]
    dropped = sorted({row["id"] for _, row in old_recs} - ids)
    tagged = {t["recommendation_id"] for t in tags}
    suggested: dict[str, list[str]] = {}
    for rec in recs:
        if rec["id"] in new_ids and rec["id"] not in tagged:
            suggested[rec["id"]] = suggest_themes(rec["text_en"], rec["text_fr"], themes)
    curated = {t["recommendation_id"] for t in tags if t["origin"] == "curated"}
    scores = similarity_matrix(recs)
    borrowed = nearest_curated(recs, [i for i, themes in suggested.items() if not themes], curated, scores)
    for rec_id, source_id in borrowed.items():
        suggested[rec_id] = [t["theme"] for t in tags if t["recommendation_id"] == source_id]
    for rec_id, theme_ids in suggested.items():
        tags += [{"recommendation_id": rec_id, "theme": t, "origin": "suggested"} for t in theme_ids]
    order = {r["id"]: i for i, r in enumerate(recs)}
    theme_order = {t["id"]: i for i, t in enumerate(themes)}
    tags.sort(key=lambda t: (order[t["recommendation_id"]], theme_order.get(t["theme"], len(theme_order))))

    contents = {
        name: tables.render_csv(tables.COLUMNS[name], rows)
        for name, rows in ((tables.RECOMMENDATIONS, recs), (tables.REPORTS, reports), (tables.THEME_TAGS, tags),
                           (tables.TRANSLATION_NOTES, notes), (tables.SIMILAR, similar_pairs(recs, scores)))
    }
    _check_before_writing(data_dir, contents)
    try:
        tables.write_files_atomically({data_dir / name: text for name, text in contents.items()})
    except tables.TableError as exc:
        raise IngestError(str(exc)) from None
    return IngestResult(list(zip(numbers, parsed)), suggested, dropped, borrowed)


def _rows_if_present(path: Path) -> list[tuple[int, dict[str, str]]]:
    return tables.read_rows(path) if path.exists() else []


def _check_existing(data_dir: Path) -> None:
    """An existing dataset must pass `check` first, so that its problems are named at their own lines."""
    if (data_dir / tables.RECOMMENDATIONS).exists():
        _, problems = check(data_dir)
        if problems:
            raise IngestError(f"the dataset in {data_dir} does not pass `check`; fix it first, nothing was written:\n"
                              + "\n".join(problems))


def _check_before_writing(data_dir: Path, contents: dict[str, str]) -> None:
    """Validate the dataset as it would be after the write, beside the files that stay as they are;
    raise IngestError with check's messages (naming the files in DATA_DIR) if it would not pass."""
    with tempfile.TemporaryDirectory(prefix="atlas-ingest-") as staging:
        staged = Path(staging)
        for name in [*tables.COLUMNS, tables.BOUNDARIES]:
            if name in contents:
                (staged / name).write_text(contents[name], encoding="utf-8", newline="")
            elif (data_dir / name).exists():
                (staged / name).symlink_to((data_dir / name).resolve())
        _, problems = check(staged)
    if problems:
        real = [problem.replace(str(staged), str(data_dir)) for problem in problems]
        raise IngestError("the dataset would not pass `check` after this import, so nothing was written:\n"
                          + "\n".join(real))


def nearest_curated(recs: list[dict], wanting: list[str], curated: set[str], scores=None) -> dict[str, str]:
    """For each id in `wanting`, the most similar curated recommendation at or above NEIGHBOUR_FLOOR.

    `scores` is similarity_matrix(recs), when the caller has it already."""
    if not wanting or not curated:
        return {}
    if scores is None:
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
