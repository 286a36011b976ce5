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


# --- Callback requests as the page sends them, built from the app at test time ---

def _walk(tree, found: dict) -> None:
    """Every component of a serialised Dash layout, by its id (a dict id as Dash stringifies it)."""
    if isinstance(tree, list):
        for item in tree:
            _walk(item, found)
    elif isinstance(tree, dict) and "props" in tree and "type" in tree:
        props = tree["props"]
        if "id" in props:
            found[_id_key(props["id"])] = props
        for value in props.values():
            _walk(value, found)


def _id_key(component_id) -> str:
    import json
    if isinstance(component_id, dict):
        return json.dumps(component_id, sort_keys=True, separators=(",", ":"))
    return component_id


def page_components(app, search: str = "") -> dict[str, dict]:
    """The props of every component of the app's layout and of the first page drawn for `search`."""
    client = app.server.test_client()
    found: dict[str, dict] = {}
    _walk(client.get("/_dash-layout").json, found)
    found.setdefault("url", {})["search"] = search  # the browser fills it in
    for envelope in callback_envelopes(app, found, only=lambda key: key.startswith("..page.children...")):
        answer = client.post("/_dash-update-component", json=envelope).json["response"]
        for outputs in answer.values():
            _walk(list(outputs.values()), found)
    return found


def callback_envelopes(app, components: dict[str, dict], only=None) -> list[dict]:
    """A request for each server-side callback, with the values the components hold."""
    import json
    envelopes = []
    for key, spec in app.callback_map.items():
        if "callback" not in spec or (only and not only(key)):
            continue
        if key.startswith(".."):
            outputs = []
            for piece in key[2:-2].split("..."):
                component, prop = piece.rsplit(".", 1)
                outputs.append({"id": component, "property": prop.split("@")[0]})
        else:
            component, prop = key.rsplit(".", 1)
            outputs = {"id": component, "property": prop}

        def entries(specs):
            items = []
            for item in specs:
                if item["id"].startswith("{"):
                    pattern = json.loads(item["id"])
                    fixed = {k: v for k, v in pattern.items() if not isinstance(v, list)}
                    matches = [json.loads(cid) for cid in components if cid.startswith("{")
                               and set(json.loads(cid)) == set(pattern)
                               and all(json.loads(cid)[k] == v for k, v in fixed.items())]
                    items.append([{"id": m, "property": item["property"],
                                   "value": components[_id_key(m)].get(item["property"])} for m in matches])
                else:
                    items.append({"id": item["id"], "property": item["property"],
                                  "value": components.get(item["id"], {}).get(item["property"])})
            return items

        inputs = entries(spec["inputs"])
        envelopes.append({"output": key, "outputs": outputs, "inputs": inputs, "state": entries(spec["state"]),
                          "changedPropIds": [f"{i['id']}.{i['property']}" for i in inputs if isinstance(i, dict)][:1]})
    return envelopes


def page_actions(components: dict[str, dict]) -> list[dict]:
    """The actions the page's buttons and links send (their data-action attributes)."""
    import json
    return [json.loads(props["data-action"]) for props in components.values() if "data-action" in props]


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
