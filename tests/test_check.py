"""`python -m dashboard check`: the committed dataset is valid, and each kind of problem is reported at its line."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

from dashboard import data, tables
from helpers import DATA, ROOT, copy_data_dir


def run_check(data_dir):
    return subprocess.run([sys.executable, "-m", "dashboard", "check", "--data-dir", str(data_dir)],
                          cwd=ROOT, capture_output=True, text=True)


def test_committed_dataset_is_valid():
    result = run_check(DATA)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK: 87 recommendations, 2 reports, ")
    dataset = data.load(DATA)
    counts = dataset.counts()
    assert 10 <= counts["themes"] <= 16
    assert dataset.recommendations.loc["r1-mtq-4", "note_en"]
    assert dataset.partners == {1: ("FRA", "MTQ", "ITA", "GUY"), 2: ("MEX", "ARG")}


def test_curated_tags_cover_every_recommendation_and_theme():
    dataset = data.load(DATA)
    themes_per_rec = dataset.recommendations["themes"].map(len)
    assert themes_per_rec.between(1, 4).all()
    assert not dataset.recommendations["themes_suggested"].any()
    uses = dataset.recommendations["themes"].explode().value_counts()
    assert set(uses.index) == set(dataset.themes) and uses.min() >= 2


def _edit(path, old: str, new: str, count: int = 1):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _line(path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


# (file, old text, new text, line locator in the edited file, expected message)
BROKEN = [
    (tables.RECOMMENDATIONS, "r1-int-2,1,international", "r1-int-1,1,international", "r1-int-1,1,international,FRA;MTQ;ITA;GUY,true,2",
     "duplicate 'r1-int-1'"),
    (tables.RECOMMENDATIONS, "r1-fra-3,1,national", "r1-fra-3,1,regional", "r1-fra-3,", "unknown actor 'regional'"),
    (tables.RECOMMENDATIONS, "r1-ita-2,1,national,ITA", "r1-ita-2,1,national,ATL", "r1-ita-2,", "unknown territory 'ATL'"),
    (tables.RECOMMENDATIONS, "r1-guy-1,1,national,GUY,false", "r1-guy-1,1,national,GUY,true", "r1-guy-1,",
     "shared must be 'false' for a national recommendation"),
    (tables.RECOMMENDATIONS, "r2-pri-4,2,private,MEX;ARG,true,4,", "r2-pri-4,2,private,MEX;ARG,true,4,,", "r2-pri-4,",
     "more fields than the header has"),
    (tables.RECOMMENDATIONS, "r1-fra-1,1,national,FRA,false,1", "r1-fra-1,1,national,FRA,false,2", "r1-fra-1,",
     "id 'r1-fra-1' does not match its report, actor, territories and number (expected 'r1-fra-2')"),
    (tables.THEME_TAGS, "r1-int-1,", "r9-int-1,", "r9-int-1,", "unknown recommendation 'r9-int-1'"),
    (tables.TRANSLATION_NOTES, "r1-mtq-4,", "r1-mtq-99,", "r1-mtq-99,", "unknown recommendation 'r1-mtq-99'"),
    (tables.TERRITORIES, "MTQ,Martinique,Martinique,FRA", "MTQ,Martinique,,FRA", "MTQ,", "empty name_fr"),
    (tables.TERRITORIES, "MTQ,Martinique,Martinique,FRA", "MTQ,Martinique,Martinique,XYZ", "MTQ,", "unknown parent 'XYZ'"),
    (tables.REPORTS, "report,source", "report,origin", "report,origin", "missing column(s) source"),
    (tables.REPORTS, "2,recommendations.txt", '2,"recommendations.txt"x', '2,"recommendations.txt"x', "',' expected after '\"'"),
    (tables.RECOMMENDATIONS, "r1-fra-1,1,national,FRA,false,1,", "r1-fra-1,1,national,FRA,false,\u00b2,", "r1-fra-1,",
     "number '²' is not a positive whole number"),
]


@pytest.mark.parametrize("name, old, new, locator, message", BROKEN, ids=[b[4][:40] for b in BROKEN])
def test_each_problem_is_reported_with_file_and_line(tmp_path, name, old, new, locator, message):
    data_dir = copy_data_dir(tmp_path / "data")
    path = data_dir / name
    _edit(path, old, new)
    result = run_check(data_dir)
    assert result.returncode == 1
    expected = f"{path}:{_line(path, locator)}: {message}"
    assert any(line.startswith(expected) for line in result.stderr.splitlines()), result.stderr


def test_unknown_theme_in_tags(tmp_path):
    data_dir = copy_data_dir(tmp_path / "data")
    path = data_dir / tables.THEME_TAGS
    first_theme = path.read_text(encoding="utf-8").splitlines()[1].split(",")[1]
    _edit(path, f"r1-int-1,{first_theme},", "r1-int-1,no_such_theme,")
    result = run_check(data_dir)
    assert f"{path}:2: unknown theme 'no_such_theme'" in result.stderr


def test_territory_without_boundary(tmp_path):
    data_dir = copy_data_dir(tmp_path / "data")
    path = data_dir / tables.BOUNDARIES
    _edit(path, '"id":"MTQ"', '"id":"XXX"')
    result = run_check(data_dir)
    recs = data_dir / tables.RECOMMENDATIONS
    assert f"{recs}:{_line(recs, 'r1-mtq-1,')}: territory 'MTQ' has no boundary in boundaries.geojson" in result.stderr


def test_every_problem_is_listed_not_just_the_first(tmp_path):
    data_dir = copy_data_dir(tmp_path / "data")
    _edit(data_dir / tables.RECOMMENDATIONS, ",national,", ",regional,", count=3)
    result = run_check(data_dir)
    assert result.stderr.count("unknown actor 'regional'") == 3
    assert result.stderr.strip().endswith(f"3 problem(s) in {data_dir}")


@pytest.mark.parametrize("missing", [tables.THEMES, tables.BOUNDARIES])
def test_missing_file(tmp_path, missing):
    data_dir = copy_data_dir(tmp_path / "data")
    (data_dir / missing).unlink()
    result = run_check(data_dir)
    assert result.returncode == 1 and f"{data_dir / missing}: file is missing" in result.stderr


def test_app_refuses_to_start_on_invalid_data(tmp_path):
    data_dir = copy_data_dir(tmp_path / "data")
    _edit(data_dir / tables.RECOMMENDATIONS, "r1-fra-3,1,national", "r1-fra-3,1,regional")
    result = subprocess.run([sys.executable, "-m", "dashboard"], cwd=ROOT, capture_output=True, text=True,
                            env={"ATLAS_DATA_DIR": str(data_dir), "PATH": "/usr/bin:/bin", "PORT": "0"}, timeout=60)
    assert result.returncode == 1
    assert "The Atlas cannot start: the dataset is invalid." in result.stderr
    assert "unknown actor 'regional'" in result.stderr


def _first_problem(data_dir) -> str:
    result = run_check(data_dir)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    return result.stderr.splitlines()[0]


def test_a_row_after_a_blank_line_is_reported_at_its_own_line(tmp_path):
    data_dir = copy_data_dir(tmp_path / "data")
    path = data_dir / tables.RECOMMENDATIONS
    _edit(path, "r1-fra-3,1,national", "\nr1-fra-3,1,regional")
    assert _first_problem(data_dir) == f"{path}:{_line(path, 'r1-fra-3,')}: unknown actor 'regional' (expected one of international, national, private)"


def test_a_spreadsheet_bom_is_not_part_of_the_first_column(tmp_path):
    data_dir = copy_data_dir(tmp_path / "data")
    path = data_dir / tables.RECOMMENDATIONS
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert run_check(data_dir).returncode == 0


@pytest.mark.parametrize("damage, message", [
    (lambda d: (d / tables.BOUNDARIES).write_bytes((d / tables.BOUNDARIES).read_bytes().replace(b'"MTQ"', b'"MT\xff"', 1)),
     f"{tables.BOUNDARIES}:1: not valid UTF-8"),
    (lambda d: ((d / tables.THEME_TAGS).unlink(), (d / tables.THEME_TAGS).mkdir()), f"{tables.THEME_TAGS}: cannot be read"),
    (lambda d: _edit(d / tables.TERRITORIES, "MTQ,Martinique,Martinique,FRA,-61.06,14.71,1061", "MTQ,Martinique,Martinique,FRA,-61.06,14.71,\u00b2"),
     "area_km2 '\u00b2' is not a whole number"),
])
def test_damaged_files_are_reported_not_raised(tmp_path, damage, message):
    data_dir = copy_data_dir(tmp_path / "data")
    damage(data_dir)
    assert message in _first_problem(data_dir)


def test_a_data_dir_that_is_a_file(tmp_path):
    target = tmp_path / "data"
    target.write_text("not a folder")
    assert f"{target / tables.RECOMMENDATIONS}: cannot be read" in _first_problem(target)


# --- corrupt data: every case is a message at its file and line, never a hang or a traceback ---------

def _set(path, needle: str, old: str, new: str) -> int:
    """Replace old by new on the first line holding needle; return that line's number."""
    lines = path.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines) if needle in line)
    assert old in lines[number], (old, lines[number])
    lines[number] = lines[number].replace(old, new, 1)
    path.write_text("\n".join(lines), encoding="utf-8")
    return number + 1


def _set_bytes(path, needle: str, raw: bytes) -> int:
    """Put raw bytes at the start of the first line holding needle; return that line's number."""
    lines = path.read_bytes().split(b"\n")
    number = next(i for i, line in enumerate(lines) if needle.encode() in line)
    lines[number] = lines[number].replace(needle.encode(), raw + needle.encode(), 1)
    path.write_bytes(b"\n".join(lines))
    return number + 1


def _features(d):
    return json.loads((d / tables.BOUNDARIES).read_text(encoding="utf-8"))


def _write_features(d, collection, *, one_per_line: bool = False) -> None:
    if one_per_line:  # feature n on line n + 1
        features = ",\n".join(json.dumps(f, separators=(",", ":")) for f in collection["features"])
        text = '{"type":"FeatureCollection","features":[\n' + features + "\n]}\n"
    else:
        text = json.dumps(collection, separators=(",", ":"))
    (d / tables.BOUNDARIES).write_text(text, encoding="utf-8")


def _feature(collection, code: str) -> tuple[int, dict]:
    """(1-based number, feature) of a territory's feature."""
    return next((n, f) for n, f in enumerate(collection["features"], 1) if f["id"] == code)


def _edit_feature(code: str, change, *, one_per_line: bool = False):
    def damage(d):
        collection = _features(d)
        number, feature = _feature(collection, code)
        change(feature)
        _write_features(d, collection, one_per_line=one_per_line)
        return tables.BOUNDARIES, number + 1 if one_per_line else 1
    return damage


def _replace_file(name: str, make):
    def damage(d):
        (d / name).unlink()
        make(d / name)
        return name, None
    return damage


def _in_file(name: str, needle: str, old: str, new: str):
    return lambda d: (name, _set(d / name, needle, old, new))


def _bytes_in_file(name: str, needle: str, raw: bytes):
    return lambda d: (name, _set_bytes(d / name, needle, raw))


def _truncate(name: str, keep: float):
    def damage(d):
        data = (d / name).read_bytes()
        (d / name).write_bytes(data[: int(len(data) * keep)])
        return name, (d / name).read_bytes().count(b"\n") + 1
    return damage


def _cut_after(name: str, needle: str):
    def damage(d):
        text = (d / name).read_text(encoding="utf-8")
        (d / name).write_text(text[: text.index(needle) + len(needle)], encoding="utf-8")
        return name, text[: text.index(needle)].count("\n") + 1
    return damage


def _empty(name: str, text: str = ""):
    def damage(d):
        (d / name).write_text(text, encoding="utf-8")
        return name, 1
    return damage


def _duplicate_line(name: str, needle: str):
    def damage(d):
        lines = (d / name).read_text(encoding="utf-8").split("\n")
        number = next(i for i, line in enumerate(lines) if needle in line)
        lines.insert(number + 1, lines[number])
        (d / name).write_text("\n".join(lines), encoding="utf-8")
        return name, number + 2
    return damage


def _header_only_reports(d):
    (d / tables.REPORTS).write_text("report,source\n", encoding="utf-8")
    return tables.RECOMMENDATIONS, 2


def _missing_dir(d):
    shutil.rmtree(d)
    return tables.RECOMMENDATIONS, None


# (damage(data_dir) -> (file name, line or None), message, also through the command line)
CORRUPT = [
    pytest.param(_edit_feature("ABW", lambda f: f.pop("id")), "feature 1 has no id, so the map cannot draw it", True,
                 id="feature-without-id"),
    pytest.param(_edit_feature("MTQ", lambda f: f.pop("id"), one_per_line=True), "has no id, so the map cannot draw it", False,
                 id="feature-without-id-on-its-line"),
    pytest.param(_edit_feature("ABW", lambda f: f.update(id="", properties={"code": ""})), "feature 1 has no id", False,
                 id="feature-with-empty-id"),
    pytest.param(_edit_feature("ABW", lambda f: f.update(id="QQQ", properties={"code": "QQQ"})),
                 "feature 'QQQ' is not a territory in territories.csv", True, id="feature-id-not-a-territory"),
    pytest.param(_edit_feature("AFG", lambda f: f.update(id="ABW", properties={"code": "ABW"}), one_per_line=True),
                 "feature 2: duplicate id 'ABW' (first is feature 1)", False, id="duplicate-feature-id"),
    pytest.param(_edit_feature("ABW", lambda f: f.update(id="abw")), "id 'abw' is not an ISO alpha-3 code", False,
                 id="feature-id-not-a-code"),
    pytest.param(_edit_feature("ABW", lambda f: f.update(properties={"code": "ARG"})), "id 'ABW' but properties.code 'ARG'",
                 False, id="feature-code-disagrees"),
    pytest.param(_edit_feature("ABW", lambda f: f.update(geometry=None)), "has no Polygon or MultiPolygon geometry", False,
                 id="feature-without-geometry"),
    pytest.param(_truncate(tables.BOUNDARIES, 0.5), "invalid JSON", True, id="truncated-geojson"),
    pytest.param(_empty(tables.BOUNDARIES, "[]"), "not a GeoJSON FeatureCollection", False, id="geojson-not-a-collection"),
    pytest.param(_empty(tables.BOUNDARIES), "invalid JSON", False, id="empty-geojson"),
    pytest.param(_replace_file(tables.BOUNDARIES, os.mkfifo), "cannot be read: it is a FIFO (named pipe), not a file", True,
                 id="geojson-fifo"),
    pytest.param(_replace_file(tables.RECOMMENDATIONS, os.mkfifo), "cannot be read: it is a FIFO (named pipe), not a file",
                 True, id="csv-fifo"),
    pytest.param(_replace_file(tables.THEMES, lambda p: p.mkdir()), "cannot be read: Is a directory", False,
                 id="directory"),
    pytest.param(_replace_file(tables.TERRITORIES, lambda p: p.symlink_to("/dev/zero")),
                 "cannot be read: it is a special file, not a file", True, id="device"),
    pytest.param(_bytes_in_file(tables.RECOMMENDATIONS, "Strengthen information on prevention", b"\x00"),
                 "control character U+0000 in the text", True, id="nul-in-cell"),
    pytest.param(_in_file(tables.THEMES, "tourism,", "tourism,", "tourism,\x07"), "control character U+0007", False,
                 id="bell-in-cell"),
    pytest.param(_in_file(tables.TERRITORIES, "MTQ,", "Martinique,", "Marti\x1bnique,"), "control character U+001B", False,
                 id="escape-in-cell"),
    pytest.param(_in_file(tables.TRANSLATION_NOTES, "r1-mtq-4,", "r1-mtq-4,", "r1-mtq-4,\x85"), "control character U+0085",
                 False, id="c1-control-in-cell"),
    pytest.param(_bytes_in_file(tables.RECOMMENDATIONS, "r1-ita-3,", b"\xc3\x28"), "not valid UTF-8", True,
                 id="broken-utf8-csv"),
    pytest.param(_in_file(tables.TERRITORIES, "ITA,", "ITA,", "FRA,"), "duplicate 'FRA' (first at line", False,
                 id="duplicate-territory"),
    pytest.param(_in_file(tables.THEMES, "tourism,", "tourism,", "health,"), "duplicate 'health' (first at line", False,
                 id="duplicate-theme"),
    pytest.param(_in_file(tables.THEME_TAGS, "r1-fra-2,", "r1-fra-2,", "r1-fra-2,x"), "unknown theme 'x", False,
                 id="unknown-theme"),
    pytest.param(_duplicate_line(tables.THEME_TAGS, "r1-fra-2,"), "duplicate ('r1-fra-2', ", False,
                 id="duplicate-theme-tag"),
    pytest.param(_duplicate_line(tables.RECOMMENDATIONS, "r1-fra-2,"), "duplicate 'r1-fra-2' (first at line", True,
                 id="duplicate-recommendation"),
    pytest.param(_in_file(tables.THEME_TAGS, "r1-fra-2,", "r1-fra-2,", "r1-fra-2,nonexistent_theme,x"),
                 "fields than the header has", False, id="theme-tag-with-extra-field"),
    pytest.param(lambda d: (tables.THEME_TAGS, _set(d / tables.THEME_TAGS, "r1-fra-2,", ",curated", ",nope")),
                 "origin 'nope' must be 'curated' or 'suggested'", False, id="bad-origin"),
    pytest.param(_in_file(tables.RECOMMENDATIONS, "r1-int-3,", "FRA;MTQ;ITA;GUY", "FRA;MTQ;ITA;ZZZ"),
                 "unknown territory 'ZZZ'", True, id="unknown-territory"),
    pytest.param(_in_file(tables.THEMES, "id,", "label_fr", "label_french"), "missing column(s) label_fr", False,
                 id="missing-column"),
    pytest.param(_in_file(tables.TERRITORIES, "MTQ,", "14.71", "95"), "label_lat '95' is not a number from -90 to 90",
                 False, id="number-out-of-range"),
    pytest.param(_in_file(tables.SIMILAR, "r1-fra-1,", "0.82", "high"), "score 'high' is not a number from 0 to 1", False,
                 id="score-not-a-number"),
    pytest.param(_in_file(tables.RECOMMENDATIONS, "r1-fra-4,", "false,4,", "false,0,"),
                 "number '0' is not a positive whole number", False, id="number-zero"),
    pytest.param(_in_file(tables.SIMILAR, "r1-fra-1,", "r1-ita-1", "r1-fra-1"), "a recommendation cannot be similar to itself",
                 False, id="similar-to-itself"),
    pytest.param(_empty(tables.RECOMMENDATIONS), "missing column(s) id, report, actor", True, id="empty-csv"),
    pytest.param(_header_only_reports, "report '1' is not in reports.csv", False, id="reports-header-only"),
    pytest.param(_cut_after(tables.RECOMMENDATIONS, "r1-ita-5,"), "fewer fields than the header has", False,
                 id="truncated-csv"),
    pytest.param(lambda d: (tables.RECOMMENDATIONS, _set(d / tables.RECOMMENDATIONS, "r2-pri-4,", ",Promote", ',"Promote')),
                 "unexpected end of data", False, id="unclosed-quote"),
    pytest.param(_missing_dir, "file is missing", False, id="no-data-dir"),
]


def _expected(data_dir, name: str, line: int | None) -> str:
    return f"{data_dir / name}:{line}: " if line else f"{data_dir / name}: "


def _check_in_thread(data_dir, seconds: float = 60) -> list[str]:
    """data.check's problems; fails (rather than waits) if reading blocks, as on a FIFO."""
    result: list = []
    worker = threading.Thread(target=lambda: result.append(data.check(data_dir)), daemon=True)
    worker.start()
    worker.join(seconds)
    assert result, f"data.check did not finish within {seconds} s"
    dataset, problems = result[0]
    assert dataset is None
    return problems


@pytest.mark.parametrize("damage, message, cli", CORRUPT)
def test_corrupt_data_is_reported_at_its_file_and_line(tmp_path, damage, message, cli):
    data_dir = copy_data_dir(tmp_path / "data")
    name, line = damage(data_dir)
    expected = _expected(data_dir, name, line)
    problems = _check_in_thread(data_dir)
    assert any(p.startswith(expected) and message in p for p in problems), (expected, message, problems)
    if cli:
        result = subprocess.run([sys.executable, "-m", "dashboard", "check", "--data-dir", str(data_dir)], cwd=ROOT,
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert any(p.startswith(expected) and message in p for p in result.stderr.splitlines()), result.stderr


def test_the_corrupt_data_table_is_large_enough():
    assert len(CORRUPT) >= 25


@pytest.mark.parametrize("damage, message", [
    (_edit_feature("ABW", lambda f: f.pop("id")), "feature 1 has no id"),
    (_replace_file(tables.RECOMMENDATIONS, os.mkfifo), "it is a FIFO (named pipe), not a file"),
    (_bytes_in_file(tables.RECOMMENDATIONS, "Strengthen information on prevention", b"\x00"), "control character U+0000"),
], ids=["feature-without-id", "fifo", "nul"])
def test_the_app_refuses_to_start_on_corrupt_data(tmp_path, damage, message):
    data_dir = copy_data_dir(tmp_path / "data")
    name, line = damage(data_dir)
    result = subprocess.run([sys.executable, "-m", "dashboard"], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env={"ATLAS_DATA_DIR": str(data_dir), "PATH": "/usr/bin:/bin", "PORT": "0"})
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "The Atlas cannot start: the dataset is invalid." in result.stderr
    expected = _expected(data_dir, name, line)
    assert any(p.startswith(expected) and message in p for p in result.stderr.splitlines()), result.stderr


def test_an_unreadable_file_is_reported(tmp_path):
    """chmod 000 does not stop root, so as root the check runs with the effective user id of nobody."""
    as_root = os.geteuid() == 0
    base = Path(tempfile.mkdtemp(prefix="atlas-unreadable-")) if as_root else tmp_path
    try:
        if as_root:
            os.chmod(base, 0o755)  # nobody may enter it, as every file but one may be read
        data_dir = copy_data_dir(base / "data")
        os.chmod(data_dir, 0o755)
        (data_dir / tables.THEMES).chmod(0o000)
        if as_root:
            os.seteuid(65534)
        try:
            problems = _check_in_thread(data_dir)
        finally:
            if as_root:
                os.seteuid(0)
        assert f"{data_dir / tables.THEMES}: cannot be read: Permission denied" in problems, problems
    finally:
        if as_root:
            shutil.rmtree(base)


@pytest.mark.parametrize("text, fast", [
    ("a,b\n1,2\n3,4\n", True),
    ("a,b\n1,2\n3,4", True),  # no newline at the end
    ("a , b\n 1,2 \n3,\n", True),  # spaces are stripped, an empty last cell kept
    ("a,b\n1,2\n\n3,4\n", False),  # a blank line: csv reads it (and skips it)
    ("a,b\n1,2,3\n", False),  # the wrong width: csv reads it and says where
    ("a,b\n1\n", False),
    ('a,b\n"1,5",2\n', False),  # quotes
    ("a,b\r\n1,2\r\n", False),  # carriage returns
    ("a,b\n", False),  # a header alone
])
def test_plain_csv_is_split_at_once_as_csv_would(text, fast):
    import csv
    import io

    from dashboard import tables

    assert (tables._unquoted(text) is not None) is fast
    if fast:
        rows = list(csv.reader(io.StringIO(text, newline="")))
        assert tables._unquoted(text) == ([h.strip() for h in rows[0]], list(range(2, len(rows) + 1)),
                                          [[row[i].strip() for row in rows[1:]] for i in range(len(rows[0]))])
