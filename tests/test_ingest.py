"""`python -m dashboard ingest`: the committed dataset, re-imports, a new document and bad input."""
from __future__ import annotations

import filecmp
import os
import stat
import subprocess
import sys

import pytest

from dashboard import tables
from dashboard.domain import recommendation_id
from dashboard.ingest import IngestError, ingest, nearest_curated, suggest_themes
from helpers import DATA, FIXTURES, ROOT, SEED, copy_data_dir

DATASET_FILES = (tables.RECOMMENDATIONS, tables.REPORTS, tables.THEME_TAGS, tables.SIMILAR)


def run_cli(*args: str):
    return subprocess.run([sys.executable, "-m", "dashboard", *args], cwd=ROOT, capture_output=True, text=True)


def test_source_is_committed_unchanged():
    shared_seed = ROOT.parent / "shared" / "seeds" / "recommendations.txt"
    if shared_seed.exists():
        assert SEED.read_bytes() == shared_seed.read_bytes()
    assert SEED.read_text(encoding="utf-8").count("Recommendations") == 3


def test_reingesting_the_seed_reproduces_the_committed_dataset(tmp_path):
    data_dir = copy_data_dir(tmp_path / "data")
    result = run_cli("ingest", str(SEED), "--data-dir", str(data_dir))
    assert result.returncode == 0, result.stderr
    assert "report 1 (recommendations.txt): international 11, FRA 18, MTQ 14, ITA 13, GUY 4, private 11; total 71" in result.stdout
    assert "report 2 (recommendations.txt): international 3, MEX+ARG 9, private 4; total 16" in result.stdout
    for name in DATASET_FILES:
        assert filecmp.cmp(data_dir / name, DATA / name, shallow=False), f"{name} drifted from the source"


def test_ingest_into_an_empty_dataset_suggests_themes(tmp_path):
    data_dir = copy_data_dir(tmp_path / "data", with_dataset=False)
    result = ingest(SEED, data_dir)
    assert len(result.suggested) == 87
    rows = [row for _, row in tables.read_rows(data_dir / tables.THEME_TAGS)]
    assert rows and {row["origin"] for row in rows} == {"suggested"}
    recs = [row for _, row in tables.read_rows(data_dir / tables.RECOMMENDATIONS)]
    assert [r["id"] for r in recs][:2] == ["r1-int-1", "r1-int-2"]
    assert {r["id"]: r for r in recs}["r1-fra-17"]["text_en"].startswith("Accelerate proceedings against perpetrators")


def test_a_second_document_adds_a_report_with_new_territories(tmp_path):
    data_dir = copy_data_dir(tmp_path / "data")
    source = tmp_path / "mediterranean.txt"
    source.write_bytes((FIXTURES / "second_report.txt").read_bytes())
    first = ingest(source, data_dir)
    assert [n for n, _ in first.reports] == [3]
    recs = {row["id"]: row for _, row in tables.read_rows(data_dir / tables.RECOMMENDATIONS)}
    assert len(recs) == 87 + 8
    assert recs["r3-reu-2"]["territories"] == "REU" and recs["r3-reu-2"]["shared"] == "false"
    assert recs["r3-mar-tun-1"]["territories"] == "MAR;TUN"
    assert recs["r3-int-1"]["territories"] == "ESP;REU;MAR;TUN" and recs["r3-int-1"]["shared"] == "true"
    tags = [row for _, row in tables.read_rows(data_dir / tables.THEME_TAGS) if row["recommendation_id"].startswith("r3-")]
    assert tags and all(t["origin"] == "suggested" for t in tags)
    # no keyword matches "harmonise the definition of trafficking…": it borrows the themes of the closest curated one;
    # "audit seasonal recruitment agencies" is close to nothing, and is reported as untagged rather than guessed
    assert first.borrowed == {"r3-int-1": "r1-ita-1"}
    assert first.suggested["r3-int-1"] == ["governance_cooperation"] and first.suggested["r3-pri-1"] == []
    # the seed's curated tags are untouched
    curated_before = [r for _, r in tables.read_rows(DATA / tables.THEME_TAGS)]
    curated_after = [r for _, r in tables.read_rows(data_dir / tables.THEME_TAGS) if not r["recommendation_id"].startswith("r3-")]
    assert curated_after == curated_before
    # importing the same source again replaces it instead of adding report 4
    again = ingest(source, data_dir)
    assert [n for n, _ in again.reports] == [3] and not again.suggested
    assert len(tables.read_rows(data_dir / tables.RECOMMENDATIONS)) == 95
    assert [row["report"] for _, row in tables.read_rows(data_dir / tables.REPORTS)] == ["1", "2", "3"]
    check = run_cli("check", "--data-dir", str(data_dir))
    assert check.returncode == 0, check.stderr


def test_malformed_source_exits_nonzero_and_writes_nothing(tmp_path):
    data_dir = copy_data_dir(tmp_path / "data")
    before = {p.name: p.read_bytes() for p in data_dir.iterdir()}
    bad = tmp_path / "bad.txt"
    bad.write_text((FIXTURES / "second_report.txt").read_text(encoding="utf-8").replace("2. Open shelters", "3. Open shelters"),
                   encoding="utf-8")
    result = run_cli("ingest", str(bad), "--data-dir", str(data_dir))
    assert result.returncode == 1
    line = next(i for i, text in enumerate(bad.read_text(encoding="utf-8").splitlines(), 1) if text.startswith("3. Open"))
    assert result.stderr.strip() == f"{bad}:{line}: expected item 2 of 'SPAIN', found 3 (a gap in the numbering)"
    assert {p.name: p.read_bytes() for p in data_dir.iterdir()} == before


@pytest.mark.parametrize("content, message", [
    (b"Recommendations\n\nENG\n\n\xff\xfe broken\n", ":5: not valid UTF-8 text"),
    (None, ": no such file"),
])
def test_unreadable_source(tmp_path, content, message):
    data_dir = copy_data_dir(tmp_path / "data")
    source = tmp_path / "src.txt"
    if content is not None:
        source.write_bytes(content)
    result = run_cli("ingest", str(source), "--data-dir", str(data_dir))
    assert result.returncode == 1 and result.stderr.strip() == f"{source}{message}"


THEMES = [
    {"id": "training", "keywords_en": "train;capacity building", "keywords_fr": "form"},
    {"id": "online", "keywords_en": "internet;social network", "keywords_fr": "réseaux sociaux;numériqu"},
]


@pytest.mark.parametrize("en, fr, expected", [
    ("Train teachers.", "Former les enseignants.", ["training"]),
    ("Protect minors on the Internet.", "Protéger les mineurs sur internet.", ["online"]),
    ("Capacity building on social networks.", "", ["training", "online"]),
    ("", "Espaces NUMÉRIQUES sûrs.", ["online"]),
    ("Strain on budgets.", "Information.", []),  # prefixes match word starts only
])
def test_suggest_themes(en, fr, expected):
    assert suggest_themes(en, fr, THEMES) == expected


def _rec(rec_id: str, en: str, fr: str) -> dict:
    return {"id": rec_id, "text_en": en, "text_fr": fr}


RECS = [
    _rec("a", "Train police officers to detect victims of trafficking.", "Former les policiers à détecter les victimes de la traite."),
    _rec("b", "Fund shelters for victims in every region.", "Financer des foyers pour les victimes dans chaque région."),
    _rec("c", "Training for police officers so they detect trafficking victims.", "Formation des policiers pour détecter les victimes de traite."),
    _rec("d", "Plant olive groves.", "Planter des oliveraies."),
    _rec("e", "Open shelters for victims in each region.", "Ouvrir des foyers pour les victimes dans chaque région."),
]


@pytest.mark.parametrize("wanting, curated, expected", [
    (["c"], {"a", "b"}, {"c": "a"}),
    (["e"], {"a", "b"}, {"e": "b"}),
    (["c", "e"], {"a", "b"}, {"c": "a", "e": "b"}),
    (["d"], {"a", "b"}, {}),  # nothing near enough: no guess
    (["c"], set(), {}),
    ([], {"a"}, {}),
    (["c"], {"e"}, {}),  # the only curated one is about something else
])
def test_a_recommendation_no_keyword_matches_borrows_from_its_nearest_curated_one(wanting, curated, expected):
    assert nearest_curated(RECS, wanting, curated) == expected


@pytest.mark.parametrize("report, actor, codes, number, expected", [
    (1, "international", (), 2, "r1-int-2"),
    (1, "private", (), 3, "r1-pri-3"),
    (1, "national", ("FRA",), 17, "r1-fra-17"),
    (2, "national", ("MEX", "ARG"), 1, "r2-mex-arg-1"),
    (3, "national", ("PRI",), 1, "r3-nat-pri-1"),  # Puerto Rico next to the private sector
    (3, "national", ("PRI", "DOM"), 1, "r3-pri-dom-1"),
])
def test_recommendation_ids_never_collide(report, actor, codes, number, expected):
    assert recommendation_id(report, actor, codes, number) == expected


def _ingest_seed_renaming_guyana(tmp_path, english: str, french: str):
    """Ingest the seed with Guyana's heading renamed in each block, under the seed's own name so that it
    replaces reports 1 and 2; the dataset must still pass `check`."""
    text = SEED.read_text(encoding="utf-8").replace("\nGUYANA\n", f"\n{english}\n", 1)
    source = tmp_path / "recommendations.txt"
    source.write_text(text.replace("\nGUYANA\n", f"\n{french}\n", 1), encoding="utf-8")
    data_dir = copy_data_dir(tmp_path / "data")
    result = run_cli("ingest", str(source), "--data-dir", str(data_dir))
    assert result.returncode == 0, result.stderr
    assert run_cli("check", "--data-dir", str(data_dir)).returncode == 0
    return data_dir, result


def _snapshot(data_dir):
    return {p.name: (p.read_bytes(), stat.S_IMODE(p.stat().st_mode)) for p in data_dir.iterdir() if p.is_file()}


def test_a_renamed_section_takes_its_tags_and_notes_along(tmp_path):
    data_dir, result = _ingest_seed_renaming_guyana(tmp_path, "SPAIN", "ESPAGNE")
    assert "removed 4 recommendation(s) no longer in the source" in result.stderr and "r1-guy-2" in result.stderr
    notes = (data_dir / tables.TRANSLATION_NOTES).read_text(encoding="utf-8")
    assert "r1-guy-" not in notes and "r1-mtq-4," in notes


def test_puerto_rico_gets_ids_of_its_own(tmp_path):
    data_dir, _ = _ingest_seed_renaming_guyana(tmp_path, "PUERTO RICO", "PORTO RICO")
    recs = (data_dir / tables.RECOMMENDATIONS).read_text(encoding="utf-8")
    assert "r1-nat-pri-4,1,national,PRI," in recs and "r1-pri-11,1,private," in recs


def test_a_failed_write_changes_no_file(tmp_path):
    data_dir = copy_data_dir(tmp_path / "data")
    (data_dir / tables.SIMILAR).unlink()
    (data_dir / tables.SIMILAR).mkdir()  # the last file written cannot be replaced
    before = _snapshot(data_dir)
    result = run_cli("ingest", str(FIXTURES / "second_report.txt"), "--data-dir", str(data_dir))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{data_dir / tables.SIMILAR}: cannot be read: Is a directory" in result.stderr
    assert _snapshot(data_dir) == before and sorted(os.listdir(data_dir)) == sorted([*before, tables.SIMILAR])


def test_a_move_that_fails_midway_puts_back_the_files_already_moved(tmp_path, monkeypatch):
    data_dir = copy_data_dir(tmp_path / "data")
    before = _snapshot(data_dir)
    real_replace = os.replace
    moves = []

    def flaky_replace(src, dst):
        if str(src).endswith(".tmp") or os.path.basename(str(src)).startswith("."):
            moves.append(dst)
            if len(moves) == 3:
                raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", flaky_replace)
    with pytest.raises(IngestError, match="cannot be written: No space left on device; no file was changed"):
        ingest(FIXTURES / "second_report.txt", data_dir)
    monkeypatch.setattr(os, "replace", real_replace)
    assert _snapshot(data_dir) == before and sorted(os.listdir(data_dir)) == sorted(before)


def test_ingest_keeps_file_modes_and_added_columns(tmp_path):
    data_dir = copy_data_dir(tmp_path / "data")
    recs = data_dir / tables.RECOMMENDATIONS
    os.chmod(recs, 0o644)
    lines = recs.read_text(encoding="utf-8").split("\n")
    lines[0] += ",comment"
    lines[1] += ",checked by the partners"
    lines[2:] = [line + "," if line else line for line in lines[2:]]
    recs.write_text("\n".join(lines), encoding="utf-8")
    result = run_cli("ingest", str(FIXTURES / "second_report.txt"), "--data-dir", str(data_dir))
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(recs.stat().st_mode) == 0o644
    text = recs.read_text(encoding="utf-8").split("\n")
    assert text[0].endswith(",comment") and text[1].endswith(",checked by the partners")
    assert text[-2].startswith("r3-pri-1,") and text[-2].endswith(",")


def test_ingest_refuses_to_write_a_dataset_that_check_rejects(tmp_path):
    data_dir = copy_data_dir(tmp_path / "data")
    tags = data_dir / tables.THEME_TAGS
    first_theme = tags.read_text(encoding="utf-8").splitlines()[1].split(",")[1]
    tags.write_text(tags.read_text(encoding="utf-8").replace(f"r1-int-1,{first_theme},", "r1-int-1,no_such_theme,", 1),
                    encoding="utf-8")
    before = _snapshot(data_dir)
    result = run_cli("ingest", str(FIXTURES / "second_report.txt"), "--data-dir", str(data_dir))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "nothing was written" in result.stderr and f"{tags}:2: unknown theme 'no_such_theme'" in result.stderr
    assert _snapshot(data_dir) == before


def test_a_bad_report_number_in_the_dataset_is_named(tmp_path):
    data_dir = copy_data_dir(tmp_path / "data")
    (data_dir / tables.REPORTS).write_text("report,source\nabc,recommendations.txt\n", encoding="utf-8")
    result = run_cli("ingest", str(FIXTURES / "second_report.txt"), "--data-dir", str(data_dir))
    assert result.returncode == 1
    assert f"\n{data_dir / tables.REPORTS}:2: report 'abc' is not a whole number\n" in result.stderr
