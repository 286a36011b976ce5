"""`python -m dashboard check`: the committed dataset is valid, and each kind of problem is reported at its line."""
from __future__ import annotations

import subprocess
import sys

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
