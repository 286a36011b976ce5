"""Shared test helpers."""
from __future__ import annotations

import shutil
from pathlib import Path

from dashboard.territory_names import TerritoryNames

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SEED = DATA / "source" / "recommendations.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# A small gazetteer for parser tests, independent of the built territories file.
NAMES = TerritoryNames([
    {"code": c, "name_en": en, "name_fr": fr, "parent": p}
    for c, en, fr, p in [
        ("ARG", "Argentina", "Argentine", ""), ("FRA", "France", "France", ""),
        ("GUY", "Guyana", "Guyana", ""), ("GUF", "French Guiana", "Guyane française", "FRA"),
        ("ITA", "Italy", "Italie", ""), ("MEX", "Mexico", "Mexique", ""),
        ("MTQ", "Martinique", "Martinique", "FRA"), ("REU", "Réunion", "La Réunion", "FRA"),
        ("ESP", "Spain", "Espagne", ""), ("MAR", "Morocco", "Maroc", ""),
        ("TUN", "Tunisia", "Tunisie", ""), ("GLP", "Guadeloupe", "Guadeloupe", "FRA"),
        ("TTO", "Trinidad and Tobago", "Trinité-et-Tobago", ""), ("BIH", "Bosnia and Herzegovina", "Bosnie-Herzégovine", ""),
    ]
])


def copy_data_dir(target: Path, *, with_dataset: bool = True) -> Path:
    """A writable copy of the project's data/ (without the source folder)."""
    target.mkdir(parents=True, exist_ok=True)
    for path in DATA.iterdir():
        if path.is_file() and (with_dataset or path.name in {"territories.csv", "themes.csv", "boundaries.geojson"}):
            shutil.copy(path, target / path.name)
    return target


def callback_body(app, trigger: str, values: dict) -> dict:
    """The body a browser posts to /_dash-update-component for the server callback that `trigger`
    ("id.property") fires, built from the app's own callback map, so that it follows the callback's
    signature. `values` gives inputs and states by "id.property"; the others are sent as None."""
    key, spec = next((key, spec) for key, spec in app.callback_map.items() if not spec.get("no_output")
                     and any(f"{i['id']}.{i['property']}" == trigger for i in spec["inputs"]))
    outputs = []
    for piece in key.strip(".").split("..."):
        component, prop = piece.rsplit(".", 1)
        outputs.append({"id": component, "property": prop.split("@")[0]})  # allow_duplicate outputs carry a hash

    def filled(items):
        return [dict(item, value=values.get(f"{item['id']}.{item['property']}")) for item in items]

    return {"output": key, "outputs": outputs if len(outputs) > 1 else outputs[0],
            "inputs": filled(spec["inputs"]), "state": filled(spec["state"]), "changedPropIds": [trigger]}
