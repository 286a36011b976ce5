"""A synthetic dataset of any size, for measuring the Atlas at scale.

    python bench/synthetic.py TARGET N [--seed S] [--measure]

copies the project's data/ into TARGET and replaces its recommendations with N synthetic ones, spread over
234 territories that have boundaries, with all three actors, both reports, curated theme tags, translation
notes and near-identical pairs, so that `python -m dashboard check --data-dir TARGET` passes. The texts are
made of the seed's own words, in both languages, with the seed's text lengths, so that searching and
folding cost what they would on real data. The same N and seed always give the same files.
"""
from __future__ import annotations

import argparse
import csv
import random
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard import tables  # noqa: E402
from dashboard.ingest import recommendation_id  # noqa: E402

DATA = ROOT / "data"
TERRITORY_COUNT = 234
ACTOR_WEIGHTS = {"international": 0.15, "national": 0.7, "private": 0.15}
NOTE_SHARE = 0.02  # recommendations with a translation note
SIMILAR_SHARE = 0.05  # recommendations in a near-identical pair


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _write(path: Path, columns: list[str], rows) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _text(rng: random.Random, vocabulary: list[str], lengths: list[int]) -> str:
    """A sentence of seed words as long (in words) as a random seed text."""
    words = rng.choices(vocabulary, k=rng.choice(lengths))
    text = "".join(w + ("," if rng.random() < 0.08 else "") + " " for w in words).rstrip(", ")
    return text.capitalize() + "."


def write_dataset(target: Path, n: int, seed: int = 0) -> Path:
    """Copy data/ into target and write n synthetic recommendations there; return target."""
    target = Path(target)
    target.mkdir(parents=True, exist_ok=True)
    for path in DATA.iterdir():
        if path.is_file():
            shutil.copy(path, target / path.name)
    rng = random.Random(seed)
    seed_recs = _rows(DATA / tables.RECOMMENDATIONS)
    vocab = {lang: sorted({w.strip(".,;:()«»“”\"") for r in seed_recs for w in r[f"text_{lang}"].split()} - {""})
             for lang in ("en", "fr")}
    lengths = {lang: [len(r[f"text_{lang}"].split()) for r in seed_recs] for lang in ("en", "fr")}
    themes = [row["id"] for row in _rows(DATA / tables.THEMES)]
    codes = sorted(row["code"] for row in _rows(DATA / tables.TERRITORIES))
    codes = sorted(rng.sample(codes, min(TERRITORY_COUNT, len(codes))))
    # Each report has partner territories; shared (international, private) recommendations go to all of them.
    partners = {1: sorted(rng.sample(codes, 6)), 2: sorted(rng.sample(codes, 4))}
    numbers: dict[tuple[int, str], int] = {}
    recs, tags, notes = [], [], []
    actors, weights = list(ACTOR_WEIGHTS), list(ACTOR_WEIGHTS.values())
    for _ in range(n):
        report = rng.choice((1, 2))
        actor = rng.choices(actors, weights)[0]
        if actor == "national":
            rec_codes = tuple(rng.sample(codes, rng.choice((1, 1, 1, 2))))
        else:
            rec_codes = tuple(partners[report])
        section = recommendation_id(report, actor, rec_codes, 0)
        number = numbers[(report, section)] = numbers.get((report, section), 0) + 1
        rec_id = recommendation_id(report, actor, rec_codes, number)
        recs.append({"id": rec_id, "report": report, "actor": actor, "territories": ";".join(rec_codes),
                     "shared": "false" if actor == "national" else "true", "number": number,
                     "text_en": _text(rng, vocab["en"], lengths["en"]), "text_fr": _text(rng, vocab["fr"], lengths["fr"])})
        tags += [{"recommendation_id": rec_id, "theme": t, "origin": "curated"}
                 for t in rng.sample(themes, rng.choice((1, 2, 2, 3, 4)))]
        if rng.random() < NOTE_SHARE:
            notes.append({"recommendation_id": rec_id, "note_en": _text(rng, vocab["en"], lengths["en"]),
                          "note_fr": _text(rng, vocab["fr"], lengths["fr"])})
    similar = []
    ids = [r["id"] for r in recs]
    for _ in range(int(n * SIMILAR_SHARE / 2)):
        a, b = rng.sample(ids, 2)
        score = f"{rng.uniform(0.5, 0.95):.2f}"
        similar += [{"recommendation_id": a, "similar_id": b, "score": score},
                    {"recommendation_id": b, "similar_id": a, "score": score}]
    similar = list({(row["recommendation_id"], row["similar_id"]): row for row in similar}.values())
    _write(target / tables.RECOMMENDATIONS, tables.COLUMNS[tables.RECOMMENDATIONS], recs)
    _write(target / tables.THEME_TAGS, tables.COLUMNS[tables.THEME_TAGS], tags)
    _write(target / tables.TRANSLATION_NOTES, tables.COLUMNS[tables.TRANSLATION_NOTES], notes)
    _write(target / tables.SIMILAR, tables.COLUMNS[tables.SIMILAR], similar)
    used = {r["report"] for r in recs}
    _write(target / tables.REPORTS, tables.COLUMNS[tables.REPORTS],
           [row for row in _rows(DATA / tables.REPORTS) if int(row["report"]) in used])
    return target


def measure(data_dir: Path, rounds: int = 5) -> None:
    """Print the load time, the peak memory and the CPU time of each query path for a theme tick with no
    territory (the heaviest common view), median of `rounds`."""
    import resource
    import statistics
    import time

    import json

    from plotly.utils import PlotlyJSONEncoder

    from dashboard import data, queries, views
    from dashboard.state import ViewState, Vocabulary

    start = time.perf_counter()
    dataset = data.load(data_dir)
    print(f"{'load + validate':<44} {(time.perf_counter() - start) * 1000:8.0f} ms")
    recs, state = dataset.recommendations, ViewState(themes=(next(iter(dataset.themes)),))
    paths = {
        "summary": lambda: queries.summary(dataset, state),
        "matching": lambda: queries.matching(recs, state),
        "territory_counts": lambda: queries.territory_counts(recs, state),
        "actor, theme and report counts": lambda: (queries.actor_counts(recs, state),
                                                   queries.theme_counts(recs, state, dataset.themes),
                                                   queries.report_counts(recs, state, dataset.reports)),
        "matrix_counts": lambda: queries.matrix_counts(recs, state, dataset.themes, dataset.mapped_codes),
        # what the callback does: the parts that change from the default view, as JSON
        "views.render + JSON": lambda: json.dumps(views.render(dataset, state, Vocabulary.of(dataset), "http://localhost/",
                                                               since=ViewState()), cls=PlotlyJSONEncoder),
    }
    for name, path in paths.items():
        times = []
        for _ in range(rounds):
            start = time.process_time()
            path()
            times.append(time.process_time() - start)
        print(f"{name + ' (theme tick)':<44} {statistics.median(times) * 1000:8.1f} ms")
    answer = paths["views.render + JSON"]()
    print(f"{'cards sent for the theme tick':<44} {answer.count(chr(34) + 'data-rec-id' + chr(34)):8d}")
    print(f"{'bytes of that answer (before compression)':<44} {len(answer.encode()):8d}")
    print(f"{'peak memory':<44} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:8.0f} MB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python bench/synthetic.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("target", type=Path, help="the data directory to write (created if missing)")
    parser.add_argument("n", type=int, help="how many recommendations")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--measure", action="store_true", help="then load it and time the query paths")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("N must be at least 1")
    write_dataset(args.target, args.n, args.seed)
    print(f"wrote {args.n} recommendations to {args.target}")
    if args.measure:
        measure(args.target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
