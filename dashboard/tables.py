"""Read and write the dataset's CSV files: rows keep their line numbers, writes are atomic."""
from __future__ import annotations

import csv
import io
import os
import re
import shutil
import stat
import tempfile
from itertools import repeat
from operator import itemgetter
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
LIGHT_BOUNDARIES = "boundaries-light.geojson"  # optional: the same shapes simplified for phones (geo/light.py)

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


# C0 and C1 control characters other than tab and line ends: never typed in a cell, and a NUL cuts
# the text short in other tools.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_C0_BYTES = bytes([*range(0x00, 0x09), 0x0b, 0x0c, *range(0x0e, 0x20), 0x7f])
_C1_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")


def _has_control(data: bytes) -> bool:
    """What _CONTROL finds, on the UTF-8 bytes: far quicker than a regular expression over the text."""
    return len(data.translate(None, _C0_BYTES)) != len(data) or _C1_UTF8.search(data) is not None


def read_text(path: Path) -> str:
    """The UTF-8 text of a data file, or TableError: only a regular file is opened, so a FIFO or a device
    in its place is reported instead of waited on."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise TableError(f"{path}: file is missing") from None
    except OSError as exc:
        raise TableError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    if stat.S_ISDIR(mode):
        raise TableError(f"{path}: cannot be read: Is a directory")  # as the system says it
    if not stat.S_ISREG(mode):
        kind = "a FIFO (named pipe)" if stat.S_ISFIFO(mode) else "a special file"
        raise TableError(f"{path}: cannot be read: it is {kind}, not a file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TableError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8-sig")  # spreadsheets save UTF-8 with a BOM
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise TableError(f"{path}:{line}: not valid UTF-8") from None
    control = _CONTROL.search(text) if _has_control(data) else None
    if control:
        line = text.count("\n", 0, control.start()) + 1
        raise TableError(f"{path}:{line}: control character U+{ord(control.group()):04X} in the text")
    return text


class Table:
    """The records of a CSV file by column, each value stripped, with the line each record starts on."""

    def __init__(self, lines: list[int], columns: dict[str, list[str]]):
        self.lines = lines
        self.columns = columns

    def __len__(self) -> int:
        return len(self.lines)

    def __iter__(self):
        """(line number, row) pairs."""
        names = list(self.columns)
        for line, values in zip(self.lines, zip(*self.columns.values())):
            yield line, dict(zip(names, values))


def read_table(path: Path) -> Table:
    """The records of a CSV file whose header holds the expected columns."""
    text = read_text(path)
    plain = _unquoted(text)
    if plain is not None:
        header, lines, columns = plain
        missing = [c for c in COLUMNS.get(path.name, []) if c not in header]
        if missing:
            raise TableError(f"{path}:1: missing column(s) {', '.join(missing)}")
        return Table(lines, dict(zip(header, columns)))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [name.strip() for name in next(reader, [])]
        missing = [c for c in COLUMNS.get(path.name, []) if c not in header]
        if missing:
            raise TableError(f"{path}:1: missing column(s) {', '.join(missing)}")
        width, first = len(header), reader.line_num + 1
        records = list(reader)
        lengths = set(map(len, records))
        if reader.line_num == first - 1 + len(records) and lengths <= {width, 0}:  # one line per record
            lines = [line for line, fields in enumerate(records, first) if fields]
            if 0 in lengths:
                records = [fields for fields in records if fields]
        else:  # a record over several lines, or a record of the wrong width: read again, record by record
            records, lines = _records(path, text, width)
    except csv.Error as exc:
        raise TableError(f"{path}:{reader.line_num}: {exc}") from None
    strip = str.strip
    return Table(lines, {name: list(map(strip, map(itemgetter(i), records))) for i, name in enumerate(header)})


def _unquoted(text: str) -> tuple[list[str], list[int], list[list[str]]] | None:
    """The header, line numbers and stripped columns of a CSV text with no quote, no carriage return and
    no blank line, each line as wide as the header: split all at once, as csv would split it (the
    300,000 theme tags of 100,000 recommendations in a tenth of the time). None for any other text."""
    if '"' in text or "\r" in text:
        return None
    rows = (text[:-1] if text.endswith("\n") else text).split("\n")
    width = rows[0].count(",") + 1
    if len(rows) < 2 or set(map(str.count, rows, repeat(","))) != {width - 1}:
        return None
    cells = ",".join(rows[1:]).split(",")
    header = [name.strip() for name in rows[0].split(",")]
    return header, list(range(2, len(rows) + 1)), [list(map(str.strip, cells[i::width])) for i in range(width)]


def _records(path: Path, text: str, width: int) -> tuple[list[list[str]], list[int]]:
    """The records after the header and the line each starts on; TableError at the first of the wrong width."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    next(reader)
    records, lines = [], []
    start = reader.line_num + 1  # a record starts on the line after the last one read
    for fields in reader:
        if len(fields) != width:
            if fields:  # else a blank line
                more = "more" if len(fields) > width else "fewer"
                raise TableError(f"{path}:{start}: {more} fields than the header has")
        else:
            records.append(fields)
            lines.append(start)
        start = reader.line_num + 1
    return records, lines


def read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) pairs of a CSV file whose header holds the expected columns."""
    return list(read_table(path))


def render_csv(columns: list[str], rows: list[dict]) -> str:
    """CSV text of the rows: the given columns first, then any column a person added, kept as it was."""
    extra = list(dict.fromkeys(k for row in rows for k in row if k not in columns))
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=columns + extra, lineterminator="\n", restval="")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def write_files_atomically(files: dict[Path, str]) -> None:
    """Write every file, or none: each goes to a temporary sibling first, then all are moved into place,
    and a move that fails puts back the files already moved. Raise TableError naming the path."""
    for path in files:
        if path.is_dir():
            raise TableError(f"{path}: is a directory, not a file")
    staged: list[tuple[str, Path]] = []
    moves: list[list] = []  # [target, backup of the file it replaces or None, moved yet]
    current = None
    try:
        for path, content in files.items():
            current = path
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
            staged.append((tmp, path))
            os.chmod(tmp, _mode_for(path))  # mkstemp makes 0600 files that a web server's user cannot read
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                handle.write(content)
        for tmp, path in staged:
            current = path
            move = [path, None, False]
            moves.append(move)
            if path.exists():
                move[1] = _backup(path)
            os.replace(tmp, path)
            move[2] = True
    except BaseException as exc:
        _undo(moves)
        _remove(tmp for tmp, _ in staged)
        if isinstance(exc, OSError):
            raise TableError(f"{current}: cannot be written: {exc.strerror or exc}; no file was changed") from None
        raise
    _remove(backup for _, backup, _ in moves)


def _backup(path: Path) -> str:
    """A hard link (or, failing that, a copy) of the file beside it."""
    backup = str(path.with_name(f".{path.name}.{os.getpid()}.bak"))
    _remove([backup])
    try:
        os.link(path, backup)
    except OSError:  # a file system without hard links
        shutil.copy2(path, backup)
    return backup


def _undo(moves: list[list]) -> None:
    for path, backup, moved in reversed(moves):
        if moved:
            if backup:
                os.replace(backup, path)
            else:
                os.unlink(path)
        elif backup:
            os.unlink(backup)


def _remove(paths) -> None:
    for path in paths:
        if path and os.path.lexists(path):
            os.unlink(path)


def _mode_for(path: Path) -> int:
    """The mode of the file being replaced, or what the umask gives a new file."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
