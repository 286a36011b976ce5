"""bench/synthetic.py writes datasets of any size that `check` accepts, the same for the same seed."""
from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from dashboard import data, tables
from dashboard.parse import ACTORS
from helpers import ROOT

_spec = importlib.util.spec_from_file_location("synthetic", ROOT / "bench" / "synthetic.py")
synthetic = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(synthetic)


@pytest.mark.parametrize("n, seed", [(1, 0), (40, 3), (600, 0)])
def test_a_synthetic_dataset_passes_check(tmp_path, n, seed):
    target = synthetic.write_dataset(tmp_path / "data", n, seed)
    dataset, problems = data.check(target)
    assert problems == []
    recs = dataset.recommendations
    assert len(recs) == n and recs["themes"].map(len).min() >= 1
    assert len(dataset.mapped_codes) <= synthetic.TERRITORY_COUNT
    if n >= 600:
        assert set(recs["actor"]) == set(ACTORS) and set(recs["report"]) == {1, 2}
        assert dataset.similar and (recs["note_en"] != "").any()
        assert len(dataset.mapped_codes) > 200
        seed_lengths = data.load().recommendations["text_fr"].str.len()
        assert seed_lengths.min() / 2 <= recs["text_fr"].str.len().median() <= seed_lengths.max()


def test_the_same_seed_gives_the_same_files(tmp_path):
    one = synthetic.write_dataset(tmp_path / "one", 200, 7)
    two = synthetic.write_dataset(tmp_path / "two", 200, 7)
    other = synthetic.write_dataset(tmp_path / "other", 200, 8)
    for name in tables.COLUMNS:
        assert (one / name).read_bytes() == (two / name).read_bytes()
    assert (one / tables.RECOMMENDATIONS).read_bytes() != (other / tables.RECOMMENDATIONS).read_bytes()


def test_the_command_line(tmp_path):
    result = subprocess.run([sys.executable, "bench/synthetic.py", str(tmp_path / "data"), "50"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    check = subprocess.run([sys.executable, "-m", "dashboard", "check", "--data-dir", str(tmp_path / "data")], cwd=ROOT,
                           capture_output=True, text=True, timeout=120)
    assert check.returncode == 0 and check.stdout.startswith("OK: 50 recommendations"), check.stderr
