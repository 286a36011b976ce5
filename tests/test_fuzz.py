"""Seeded fuzzing of the callback endpoint: mutated copies of the page's real requests never get a 5xx.

The seeds are built at test time from the app's callback map and the pages it draws, so the test
follows the callbacks as they change. ATLAS_FUZZ_CASES sets the number of cases (default 1,000,
about 15 s) and ATLAS_FUZZ_SEED the seed.
"""
from __future__ import annotations

import copy
import json
import os
import random
import traceback

import flask
import pytest

from dashboard.app import create_app
from helpers import callback_envelopes, page_actions, page_components

CASES = int(os.environ.get("ATLAS_FUZZ_CASES", "1000"))
SEED = int(os.environ.get("ATLAS_FUZZ_SEED", "20261202"))
PAGES = ("", "?territory=MTQ&actor=national", "?tab=compare&compare=FRA,ITA&lang=fr", "?tab=matrix&theme=health",
         "?present=1&tour=territory%3DMTQ|q%3Dsant%C3%A9&step=1")


def seeds(atlas) -> list[dict]:
    """Real requests: each server callback as each page would send it, and the main callback carrying
    the actions the page's buttons send."""
    found = []
    for search in PAGES:
        components = page_components(atlas, search)
        envelopes = callback_envelopes(atlas, components)
        found += envelopes
        actions = page_actions(components)
        for envelope in envelopes:
            for entry in envelope["inputs"]:
                if isinstance(entry, dict) and entry["id"] == "actions":
                    for start in range(0, len(actions), 7):
                        queued = [a | {"seq": n + 1} for n, a in enumerate(actions[start:start + 7])]
                        found.append(_with_input(envelope, "actions", {"items": queued}))
    return found


def _with_input(envelope: dict, component: str, value) -> dict:
    envelope = copy.deepcopy(envelope)
    for entry in envelope["inputs"]:
        if isinstance(entry, dict) and entry["id"] == component:
            entry["value"] = value
    return envelope


def junk(rng: random.Random, depth: int = 0):
    choices = [None, True, False, 0, -1, 2 ** 31, 10 ** 40, 1.5, -0.0, 1e308, "", "x", "ZZZ", "\ud800", "é" * 50,
               "../../etc/passwd", "<script>", "x" * rng.choice((100, 3000, 20000)), [], {}]
    if depth < 3 and rng.random() < 0.3:
        return rng.choice([[junk(rng, depth + 1) for _ in range(rng.randint(1, 4))],
                           {rng.choice(("id", "property", "value", "items", "kind", "seq", "x")): junk(rng, depth + 1)
                            for _ in range(rng.randint(1, 3))}])
    if rng.random() < 0.02:
        nested = []
        for _ in range(rng.choice((30, 70, 200))):
            nested = [nested]
        return nested
    return rng.choice(choices)


def _nodes(value, path=()):
    """Every position inside a JSON value, as a path of keys and indexes."""
    yield path
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _nodes(child, path + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _nodes(child, path + (index,))


def _replace(value, path, new):
    if not path:
        return new
    parent = value
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = new
    return value


def mutate(rng: random.Random, envelope: dict, keys: list[str]) -> tuple[str, object]:
    """One mutation of a real request: the name of the mutation and the new body (any JSON)."""
    body = copy.deepcopy(envelope)
    kind = rng.choice(("value", "value", "value", "entry", "list", "top", "output", "swap-values"))
    if kind == "value":  # somewhere inside a value the page sends
        lists = [e for part in ("inputs", "state") for e in body.get(part, [])]
        entries = [e for item in lists for e in (item if isinstance(item, list) else [item])]
        if entries:
            entry = rng.choice(entries)
            path = rng.choice(list(_nodes(entry.get("value"))))
            entry["value"] = _replace(entry.get("value"), path, junk(rng))
    elif kind == "entry":  # the id, property or shape of one input, state or output
        part = rng.choice(("inputs", "state", "outputs"))
        items = body.get(part)
        if isinstance(items, dict):
            items = [items]
        if items:
            entry = rng.choice(items)
            if isinstance(entry, list) and entry:
                entry = rng.choice(entry)
            if isinstance(entry, dict):
                field = rng.choice(("id", "property", "value", "drop-id", "drop-property", "extra"))
                if field.startswith("drop-"):
                    entry.pop(field[5:], None)
                elif field == "extra":
                    entry[rng.choice(("x", "id2", "__proto__"))] = junk(rng)
                else:
                    entry[field] = junk(rng)
    elif kind == "list":  # entries dropped, repeated, reordered or replaced
        part = rng.choice(("inputs", "state", "outputs"))
        items = body.get(part)
        if isinstance(items, list) and items:
            action = rng.choice(("drop", "dup", "shuffle", "replace", "wrap"))
            index = rng.randrange(len(items))
            if action == "drop":
                items.pop(index)
            elif action == "dup":
                items.insert(index, copy.deepcopy(items[index]))
            elif action == "shuffle":
                rng.shuffle(items)
            elif action == "replace":
                items[index] = junk(rng)
            else:
                items[index] = [items[index]]
        else:
            body[part] = junk(rng)
    elif kind == "top":
        key = rng.choice(("output", "outputs", "inputs", "state", "changedPropIds"))
        if rng.random() < 0.5:
            body.pop(key, None)
        else:
            body[key] = junk(rng)
    elif kind == "output":  # another callback's outputs, or nonsense
        body["output"] = rng.choice(keys + ["", "x.y", "..a.b...c.d..", "map.figure@1"])
    else:  # the values of two entries exchanged: each is well formed, just not where it belongs
        entries = [e for part in ("inputs", "state") for e in body.get(part, []) if isinstance(e, dict)]
        if len(entries) > 1:
            a, b = rng.sample(entries, 2)
            a["value"], b["value"] = b.get("value"), a.get("value")
    return kind, body


def encode(rng: random.Random, body) -> tuple[bytes, str]:
    """The body as sent: JSON, sometimes cut short or with a byte changed, sometimes mislabelled."""
    data = json.dumps(body).encode()
    roll = rng.random()
    if roll < 0.03:
        data = data[:rng.randrange(len(data) + 1)]
    elif roll < 0.06 and data:
        index = rng.randrange(len(data))
        data = data[:index] + bytes([rng.randrange(256)]) + data[index + 1:]
    content_type = "application/json" if rng.random() > 0.03 else rng.choice(("text/plain", "application/jsonx", ""))
    return data, content_type


@pytest.fixture(scope="module")
def atlas():
    return create_app()


def test_mutated_callback_requests_never_get_a_server_error(atlas):
    rng = random.Random(SEED)
    real = seeds(atlas)
    keys = [key for key, spec in atlas.callback_map.items() if "callback" in spec]
    client = atlas.server.test_client()
    errors: list[str] = []

    def record(sender, exception, **extra):
        frames = traceback.extract_tb(exception.__traceback__)
        ours = [f for f in frames if "/dashboard/" in f.filename] or frames
        where = f"{ours[-1].filename.rsplit('/', 2)[-2]}/{ours[-1].filename.rsplit('/', 1)[-1]}:{ours[-1].lineno}"
        errors.append(f"{type(exception).__name__} at {where}: {str(exception)[:80]}")

    flask.got_request_exception.connect(record, atlas.server)
    statuses: dict[int, int] = {}
    failures = []
    try:
        for case in range(CASES):
            kind, body = mutate(rng, rng.choice(real), keys)
            data, content_type = encode(rng, body)
            before = len(errors)
            response = client.post("/_dash-update-component", data=data, content_type=content_type)
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            assert b"Traceback" not in response.data
            if response.status_code >= 500:
                failures.append(f"case {case} ({kind}): {errors[before] if len(errors) > before else response.status_code}")
    finally:
        flask.got_request_exception.disconnect(record, atlas.server)
    print(f"{CASES} cases, seed {SEED}: statuses {dict(sorted(statuses.items()))}")
    distinct = sorted({f.split(": ", 1)[1] for f in failures})
    assert not failures, f"{len(failures)} server errors of {CASES} cases; distinct causes:\n" + "\n".join(distinct)
    assert statuses.get(200, 0) > CASES // 10, "the mutations should leave many requests valid"
