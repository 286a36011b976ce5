"""Read and write the dataset's CSV files: rows keep their line numbers, writes are atomic."""
from __future__ import annotations

import csv
import io
import os
import tempfile
from pathlib import Path

# File names inside a data directory.
RECOMMENDATIONS = "recommendations.csv"
REPORTS = "reports.csv"
THEMES = "themes.csv"
THEME_TAGS = "theme_tags.csv"
TRANSLATION_NOTES = "translation_notes.csv"
TERRITORIES = "territories.csv"
SIMILAR = "similar.csv"
BOUNDARIES = "boundaries.geojson"

COLUMNS = {
    RECOMMENDATIONS: ["id", "report", "actor", "territories", "shared", "number", "text_en", "text_fr"],
    REPORTS: ["report", "source"],
    THEMES: ["id", "label_en", "label_fr", "definition_en", "definition_fr", "keywords_en", "keywords_fr"],
    THEME_TAGS: ["recommendation_id", "theme", "origin"],
    TRANSLATION_NOTES: ["recommendation_id", "note_en", "note_fr"],
    TERRITORIES: ["code", "name_en", "name_fr", "parent", "label_lon", "label_lat", "area_km2"],
    SIMILAR: ["recommendation_id", "similar_id", "score"],
}


class TableError(ValueError):
    """A file that cannot be read as the table it should be."""


def read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) pairs of a CSV file whose header holds the expected columns."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TableError(f"{path}: file is missing") from None
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise TableError(f"{path}:{line}: not valid UTF-8") from None
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    try:
        header = reader.fieldnames or []
        missing = [c for c in COLUMNS.get(path.name, []) if c not in header]
        if missing:
            raise TableError(f"{path}:1: missing column(s) {', '.join(missing)}")
        rows = []
        start = 2
        for row in reader:
            if None in row:
                raise TableError(f"{path}:{start}: more fields than the header has")
            if any(value is None for value in row.values()):
                raise TableError(f"{path}:{start}: fewer fields than the header has")
            rows.append((start, {k: v.strip() for k, v in row.items()}))
            start = reader.line_num + 1
        return rows
    except csv.Error as exc:
        raise TableError(f"{path}:{reader.line_num}: {exc}") from None


def render_csv(columns: list[str], rows: list[dict]) -> str:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n", extrasaction="raise")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def write_files_atomically(files: dict[Path, str]) -> None:
    """Write every file to a temporary sibling first, then move them all into place."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, content in files.items():
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
            staged.append((tmp, path))
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                handle.write(content)
    except BaseException:
        for tmp, _ in staged:
            os.unlink(tmp)
        raise
    for tmp, path in staged:
        os.replace(tmp, path)
