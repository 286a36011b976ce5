"""Shared test helpers: the project's paths, a small gazetteer, and the browser helpers of the dash_duo tests.

The fixtures that start the Atlas in a browser live in conftest.py; these are plain functions of a running
`dash_duo` (a page of the Atlas in headless Chromium).
"""
from __future__ import annotations

import inspect
import re
import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from selenium.common.exceptions import (
    JavascriptException, NoSuchElementException, StaleElementReferenceException, TimeoutException)
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.support.ui import Select, WebDriverWait

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


# --- waiting ------------------------------------------------------------------------------------------

WAIT_TIMEOUT = 20  # seconds: room for a machine busy with other test runs; only a failing wait takes this long
# Dash re-renders parts of the page under the test: an element read while it is replaced, not yet drawn or
# gone (a script then throws) is "not yet", and the wait polls again.
RE_RENDERED = (StaleElementReferenceException, NoSuchElementException, JavascriptException)


def wait_until(duo, condition, timeout: float = WAIT_TIMEOUT, message: str = "condition", ignoring: tuple = ()):
    """Selenium's WebDriverWait until a condition holds, and its value: `condition` is an expected condition
    (a function of the driver, from selenium.webdriver.support.expected_conditions) or a function of no
    argument. A timeout fails the test, saying what was awaited and where the page was."""
    predicate = condition if _takes_an_argument(condition) else (lambda _driver: condition())
    wait = WebDriverWait(duo.driver, timeout, poll_frequency=0.05, ignored_exceptions=RE_RENDERED + tuple(ignoring))
    try:
        return wait.until(predicate)
    except TimeoutException:
        try:
            where = f"at {duo.driver.current_url}, panel {panel_territory(duo)!r}"
        except Exception as error:  # the browser itself is gone: say so rather than hide the timeout
            where = f"the page could not be read: {error.__class__.__name__}"
        raise AssertionError(f"timed out after {timeout} s waiting for {message} ({where})") from None


def _takes_an_argument(function) -> bool:
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return any(p.kind == inspect.Parameter.VAR_POSITIONAL or (p.kind in positional and p.default is p.empty)
               for p in inspect.signature(function).parameters.values())


def wait_for_map(duo):
    """The map is drawn and the side panel is there."""
    duo.wait_for_element("#map .choroplethlocation", timeout=WAIT_TIMEOUT)
    duo.wait_for_element("#side-panel", timeout=10)


def settle(duo, quiet_ms: int = 400):
    """Wait until no callback is pending and nothing in the page has changed for `quiet_ms`."""
    duo.driver.execute_script("""
        window.__atlasLastChange = performance.now();
        if (!window.__atlasWatcher) {
            window.__atlasWatcher = new MutationObserver(() => { window.__atlasLastChange = performance.now(); });
            window.__atlasWatcher.observe(document.documentElement,
                {subtree: true, childList: true, attributes: true, characterData: true});
        }""")
    wait_until(duo, lambda: duo.redux_state_rqs == [] and duo.driver.execute_script(
        "return performance.now() - window.__atlasLastChange;") > quiet_ms, message="the page to settle")


# --- where the page is --------------------------------------------------------------------------------

def view_url(duo, query: str = "") -> str:
    """The address of a view on the running server."""
    return duo.server.url.rstrip("/") + "/" + (f"?{query.lstrip('?')}" if query else "")


def visit(duo, query: str = ""):
    """Open another view on the running server, as a typed address or a bookmark would, and wait for its map."""
    duo.driver.get(view_url(duo, query))
    wait_for_map(duo)


def url_params(duo) -> dict[str, str]:
    """The view's parameters in the address bar."""
    return {k: v[0] for k, v in parse_qs(urlparse(duo.driver.current_url).query).items()}


# --- reading the page ---------------------------------------------------------------------------------

def elements(duo, selector: str) -> list:
    """The elements a selector matches now: find_elements would first wait 2 s for a match that may never come."""
    return duo.driver.execute_script("return [...document.querySelectorAll(arguments[0])];", selector)


def panel_territory(duo) -> str | None:
    # read in one script call, so a re-render between two webdriver calls cannot leave a stale element
    return duo.driver.execute_script("const p = document.querySelector('#side-panel'); return p && p.dataset.territory;")


def card_ids(duo) -> list[str]:
    return duo.driver.execute_script(
        "return [...document.querySelectorAll('#side-panel .rec-card')].map(c => c.dataset.recId);")


def map_counts(duo) -> dict[str, int]:
    """The map's coloured territories and their counts, read from the drawn figure."""
    data = duo.driver.execute_script(
        "const g = document.querySelector('#map .js-plotly-plot');"
        "const t = g.data.find(t => t.name === 'counts'); return [t.locations, t.z];")
    return dict(zip(data[0], data[1]))


# --- acting as a user ---------------------------------------------------------------------------------

def tick(duo, filter_id: str, value: str):
    """Click the label of a checklist option, as a user would."""
    box = duo.find_element(f'#{filter_id} input[value="{value}"]')
    duo.find_element(f'#{filter_id} label[for="{box.get_attribute("id")}"]').click()
    return box


def emulate(duo, metrics: dict, query: str = ""):
    """Give the browser a screen (CDP device metrics: width, height, deviceScaleFactor, mobile), then open
    the view afresh at that size, as that device would, and wait for the page to settle."""
    duo.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    visit(duo, query)
    wait_until(duo, lambda: duo.driver.execute_script("return innerWidth;") == metrics["width"],
               message=f"a {metrics['width']} px wide window")
    settle(duo)
    return duo


def click(duo, selector: str):
    """Click the element a selector finds, as a user clicks whatever is on screen: an element replaced by a
    re-render between finding it and clicking it is found again (a stale element was not clicked)."""
    wait_until(duo, lambda: duo.find_element(selector).click() or True, message=f"a click on {selector}")


def click_centered(duo, element):
    """Scroll the element into view at once, then click it: Bootstrap's smooth scrolling can leave
    an element under the bottom edge when webdriver clicks."""
    duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", element)
    element.click()


def press_keys(duo, *keys):
    """Keys as a user types them, one after the other, to whatever has the focus."""
    for key in keys:
        ActionChains(duo.driver).send_keys(key).perform()


COMPARE_SIDES = "ab"


def compare_lists(duo) -> list:
    """The comparison's two lists of territories (native <select>s), side a then side b."""
    found = [duo.driver.find_element("css selector", f"#compare-{side}") for side in COMPARE_SIDES]
    assert all(e.tag_name == "select" for e in found), "the comparison's lists are not native lists"
    return found


def compare_list_names(duo) -> list[str]:
    """The territory each comparison list shows, side a then side b."""
    return [Select(e).first_selected_option.text for e in compare_lists(duo)]


def choose_compare(duo, side: str, code: str):
    """Choose a territory in a comparison list ("a" or "b"), as a user would: click the list, then its option."""
    element = compare_lists(duo)[COMPARE_SIDES.index(side)]
    duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", element)
    Select(element).select_by_value(code)


# --- a clean page ---------------------------------------------------------------------------------------

def console_problems(entries: list[dict], expected: tuple[str, ...] = ()) -> list[str]:
    """What is wrong with a browser log: each SEVERE entry that no expected pattern (a regular expression)
    matches, and each expected pattern that no SEVERE entry matched."""
    severe = [e for e in entries if e.get("level") == "SEVERE"]
    problems = [f"console error: {e.get('message')}" for e in severe
                if not any(re.search(p, e.get("message", "")) for p in expected)]
    problems += [f"expected console error never logged: {p!r}" for p in expected
                 if not any(re.search(p, e.get("message", "")) for e in severe)]
    return problems


def foreign_requests(duo) -> list[str]:
    """What the page loaded from outside its own origin (the page's address included)."""
    origin = urlparse(duo.server.url).netloc
    resources = duo.driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name).concat([location.href]);")
    return [r for r in resources if urlparse(r).netloc not in (origin, "")]


def assert_clean_page(duo, expected_errors: tuple[str, ...] = ()):
    """No console error (but those expected) and nothing loaded from another origin. Reading the log empties it."""
    problems = console_problems(duo.get_logs(), expected_errors)
    assert not problems, "\n".join(problems)
    foreign = foreign_requests(duo)
    assert not foreign, f"loaded from another origin: {foreign}"


def copy_data_dir(target: Path, *, with_dataset: bool = True) -> Path:
    """A writable copy of the project's data/ (without the source folder)."""
    target.mkdir(parents=True, exist_ok=True)
    for path in DATA.iterdir():
        if path.is_file() and (with_dataset or path.name in {"territories.csv", "themes.csv", "boundaries.geojson"}):
            shutil.copy(path, target / path.name)
    return target


# --- Callback requests as the page sends them, built from the app at test time ---

def walk_components(node):
    """Every component of a Dash tree (a component, a list of them, a string), depth first."""
    from dash.development.base_component import Component
    if isinstance(node, Component):
        yield node
        yield from walk_components(getattr(node, "children", None))
    elif isinstance(node, (list, tuple)):
        for child in node:
            yield from walk_components(child)


def component_text(node, sep: str = "", skip: str = "") -> str:
    """The words of a Dash tree joined by `sep`, without the subtree whose id is `skip`."""
    from dash.development.base_component import Component
    if isinstance(node, Component):
        if skip and getattr(node, "id", None) == skip:
            return ""
        return component_text(getattr(node, "children", None), sep, skip)
    if isinstance(node, (list, tuple)):
        return sep.join(component_text(c, sep, skip) for c in node)
    return "" if node is None else str(node)


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
    drawn: dict[str, dict] = {}
    for markup in ((found.get("islands") or {}).get("data") or {}).values():  # parts drawn as HTML
        _walk(html_tree(markup), drawn)
    return drawn | found


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


def free_port(first: int, last: int) -> int:
    """The first port from `first` to `last` that is free now on the loopback."""
    import socket

    for port in range(first, last + 1):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port from {first} to {last}")


def html_tree(markup: str) -> list:
    """HTML read back as the plain JSON of Dash components: each element {"type": its tag, "props": its
    attributes (class as className) and its children}, text unescaped."""
    from html.parser import HTMLParser

    from dashboard.markup import VOID

    root = {"type": None, "props": {"children": []}}
    stack = [root]

    class Reader(HTMLParser):
        def handle_starttag(self, tag, attrs):
            props = {("className" if name == "class" else name): value or "" for name, value in attrs}
            node = {"type": tag, "props": props | {"children": []}}
            stack[-1]["props"]["children"].append(node)
            if tag not in VOID:
                stack.append(node)

        def handle_endtag(self, tag):
            if len(stack) > 1 and stack[-1]["type"] == tag:
                stack.pop()

        def handle_data(self, data):
            stack[-1]["props"]["children"].append(data)

    Reader(convert_charrefs=True).feed(markup)
    return root["props"]["children"]


def with_islands(page) -> dict:
    """A page (a component tree) as plain JSON with each island's HTML read back into its element, as
    the browser draws it (dashboard/islands.py)."""
    from dashboard.components import plain

    tree = plain(page)
    found: dict[str, dict] = {}
    _walk(tree, found)  # the props of every element with an id, as held in the tree
    for element, markup in ((found.get("islands") or {}).get("data") or {}).items():
        props = found.get(element)
        if props is not None and props.get("children") is None:
            props["children"] = html_tree(markup)
    return tree
