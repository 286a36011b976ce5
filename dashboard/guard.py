"""The callback endpoint's gate: a request Dash could not dispatch is refused with 400 or 413 before
Dash sees it, so a forged or damaged request never becomes a server error.

The envelope is checked against the app's `callback_map` at request time, so the check follows
whatever callbacks exist: `output` names a callback, `outputs` match its outputs, and `inputs` and
`state` hold one entry per declared input and state, each an object with the declared id and property
(a list of such objects for a pattern-matching id).
"""
from __future__ import annotations

import json

import flask
import orjson
from werkzeug.exceptions import RequestEntityTooLarge

MAX_BODY = 1_000_000  # bytes: the largest real callback request is a few kilobytes
MAX_DEPTH = 64  # nesting of the JSON: Dash and the callbacks walk values recursively
UPDATE_PATH = "_dash-update-component"
WILDCARDS = ("ALL", "MATCH", "ALLSMALLER")


class Refused(Exception):
    """A request the endpoint refuses: its status and one short sentence."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message, self.status = message, status


def read_body(request: flask.Request, limit: int = MAX_BODY) -> bytes:
    """The request body, refused (413) when over the limit: by its Content-Length, unread, or, for
    a chunked body, as soon as more than the limit has arrived."""
    too_large = Refused(f"The request body is over the limit of {limit:,} bytes.", 413)
    if request.content_length is not None and request.content_length > limit:
        raise too_large
    chunks, size = [], 0
    try:
        while chunk := request.stream.read(65536):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise too_large
    except RequestEntityTooLarge:  # Werkzeug's own cap on a chunked body (MAX_CONTENT_LENGTH)
        raise too_large from None
    return b"".join(chunks)


def parse_body(data: bytes, content_type: str | None) -> dict:
    if not (content_type or "").split(";")[0].strip().lower() == "application/json":
        raise Refused("A callback request must be sent as application/json.")
    try:
        body = orjson.loads(data)  # a few times quicker than json's: every click's request is read here
    except orjson.JSONDecodeError as error:
        if "depth limit" in str(error):  # nesting beyond what the parser follows
            raise Refused(f"The request body is nested deeper than {MAX_DEPTH} levels.") from None
        body = _loads_leniently(data)  # what orjson refuses that JSON allows: a lone surrogate in a string
    # a body with fewer brackets than the limit cannot nest deeper: only the others are walked
    if data.count(b"[") + data.count(b"{") > MAX_DEPTH and depth(body) > MAX_DEPTH:
        raise Refused(f"The request body is nested deeper than {MAX_DEPTH} levels.")
    if not isinstance(body, dict):
        raise Refused("The request body must be a JSON object.")
    return body


def _loads_leniently(data: bytes):
    """The body as Python's own parser reads it, which takes escapes of lone surrogates ("\\ud800")."""
    try:
        return json.loads(data)
    except RecursionError:  # nesting beyond what the parser follows
        raise Refused(f"The request body is nested deeper than {MAX_DEPTH} levels.") from None
    except ValueError:
        raise Refused("The request body is not valid JSON.") from None


def depth(value) -> int:
    """How deeply lists and objects nest in a parsed JSON value (without recursion)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, (list, dict)):
            deepest = max(deepest, level)
            if level > MAX_DEPTH:
                return level
            stack.extend((child, level + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def split_output_key(key: str) -> list[tuple[str, str]] | None:
    """The (id, property) outputs a callback_map key names; None for a callback with no output."""
    if key.startswith("..") and key.endswith(".."):
        pieces = key[2:-2].split("...")
    elif "." in key:
        pieces = [key]
    else:
        return None  # a no-output callback is keyed by a hash
    outputs = []
    for piece in pieces:
        component, _, prop = piece.rpartition(".")
        outputs.append((component, prop.split("@")[0]))  # allow_duplicate outputs carry a hash
    return outputs


def _spec_id(spec_id: str):
    """A declared id: a string, or a pattern (dict) when Dash stored it as JSON."""
    if spec_id.startswith("{"):
        try:
            return json.loads(spec_id)
        except ValueError:
            return spec_id
    return spec_id


def _is_multi(pattern) -> bool:
    return isinstance(pattern, dict) and any(value in (["ALL"], ["ALLSMALLER"]) for value in pattern.values())


def _id_matches(pattern, given) -> bool:
    if not isinstance(pattern, dict):
        return isinstance(given, str) and given == pattern
    if not isinstance(given, dict) or set(given) != set(pattern):
        return False
    for key, wanted in pattern.items():
        value = given[key]
        if not isinstance(value, (str, int, float, bool)):
            return False
        if isinstance(wanted, list) and wanted and wanted[0] in WILDCARDS:
            continue
        if value != wanted or type(value) is not type(wanted):
            return False
    return True


def _entry_ok(entry, pattern, prop: str, *, with_value: bool) -> bool:
    if not isinstance(entry, dict):
        return False
    given = entry.get("property")
    if given != prop and not (isinstance(given, str) and given.split("@")[0] == prop):
        return False
    if not (entry.get("id") == pattern and isinstance(pattern, str) or _id_matches(pattern, entry.get("id"))):
        return False
    # id and property are there: anything else may only be the value
    return not with_value or len(entry) == 2 or (len(entry) == 3 and "value" in entry)


def _expected(specs: list[dict]) -> list[tuple]:
    """A callback's declared entries as the check reads them: (id as declared, pattern, property, multi)."""
    expected = []
    for spec in specs:
        pattern = _spec_id(spec["id"])
        expected.append((spec["id"], pattern, spec["property"], _is_multi(pattern)))
    return expected


def _check_list(name: str, given, expected: list[tuple], *, with_value: bool) -> None:
    if not isinstance(given, list) or len(given) != len(expected):
        raise Refused(f"`{name}` must be a list of {len(expected)} entries for this callback.")
    for entry, (declared, pattern, prop, multi) in zip(given, expected):
        if multi:
            if not isinstance(entry, list) or not all(_entry_ok(e, pattern, prop, with_value=with_value) for e in entry):
                raise Refused(f"`{name}` does not match the callback's {prop} of {declared}.")
        elif not _entry_ok(entry, pattern, prop, with_value=with_value):
            raise Refused(f"`{name}` does not match the callback's {prop} of {declared}.")


def _declared(key: str, spec: dict) -> tuple:
    """What a callback declares, as the check reads it: its inputs, its state, and its outputs (None for
    a callback with no output)."""
    outputs = split_output_key(key)
    return (_expected(spec.get("inputs", [])), _expected(spec.get("state", [])),
            None if outputs is None or spec.get("no_output")
            else _expected([{"id": component, "property": prop} for component, prop in outputs]))


def check_envelope(body: dict, callback_map: dict, declared: dict | None = None) -> None:
    """Refuse an envelope that does not describe a call of one of the app's callbacks. `declared` keeps
    what each callback declares, read once (by key and spec, as callbacks may be added later)."""
    key = body.get("output")
    if not isinstance(key, str) or key not in callback_map:
        raise Refused("`output` does not name a callback of this page.")
    spec = callback_map[key]
    if "callback" not in spec:
        raise Refused("`output` names a callback that runs in the browser.")
    found = declared.get(key) if declared is not None else None
    if found is None or found[0] is not spec:
        found = (spec, _declared(key, spec))
        if declared is not None:
            declared[key] = found
    inputs, state, outputs = found[1]
    _check_list("inputs", body.get("inputs"), inputs, with_value=True)
    _check_list("state", body.get("state", []), state, with_value=True)
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(item, str) for item in changed):
        raise Refused("`changedPropIds` must be a list of strings.")
    if outputs is None:
        return
    given = body.get("outputs")
    _check_list("outputs", given if key.startswith("..") else [given], outputs, with_value=False)


def install(app) -> None:
    """Check every callback request before Dash dispatches it; cap every other body too."""
    server = app.server
    server.config["MAX_CONTENT_LENGTH"] = MAX_BODY + 1  # Werkzeug's cap, for every route: a body of the limit passes
    update_path = app.config.routes_pathname_prefix + UPDATE_PATH
    declared: dict = {}  # callback key -> (its spec, what it declares), read on its first request

    @server.before_request
    def gate_callbacks():
        request = flask.request
        if request.path != update_path or request.method != "POST":
            return None
        try:
            data = read_body(request)
            body = parse_body(data, request.content_type)
            check_envelope(body, app.callback_map, declared)
        except Refused as refused:
            return refusal(refused)
        request._cached_json = (body, body)  # Dash reads the body already checked, not the stream again
        return None

    @server.errorhandler(RequestEntityTooLarge)
    def too_large(_error):
        return refusal(Refused(f"The request body is over the limit of {MAX_BODY:,} bytes.", 413))


def refusal(refused: Refused) -> flask.Response:
    response = flask.Response(refused.message + "\n", status=refused.status, mimetype="text/plain")
    if refused.status == 413:
        response.headers["Connection"] = "close"  # the unread rest of the body is not waited for
    return response
