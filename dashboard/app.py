"""The Dash app: routes, thin callbacks and the WSGI `server` for gunicorn."""
from __future__ import annotations

import gc
import os
import threading
from functools import lru_cache
from pathlib import Path

import flask
import numpy as np
from dash import ClientsideFunction, Dash, Input, Output, State, dcc, html, no_update
from dash.exceptions import PreventUpdate

from . import actions, data, first, follow, islands, mapframe, queries, views
from .markup import to_html
from .figures import BOUNDARIES_URL
from .i18n import preferred_lang
from .share import public_base
from .state import CONTROLS, ParsedQuery, ViewState, Vocabulary, control_values, parse_query, to_query
from . import policy, routes
from .components import plain
from .guard import split_output_key

ROOT = Path(__file__).resolve().parent.parent
# plotly.js with only the geo traces (bin/vendor-assets): the page loads it when the map is first drawn,
# never as one of its own scripts, and never plotly's full bundle (assets/atlas/plotly.js).
PLOTLY_GEO = "plotly-geo-*.min.js"
# Dash's scripts that no page of the Atlas uses (see _Atlas._generate_scripts_html).
UNUSED_SCRIPTS = ("/dash_table/bundle.", "/deps/polyfill@")
# The chunk of Dash's graph that it loads when the map is first drawn: preloaded with the page.
GRAPH_CHUNK = "async-graph.js"
PHONE_PX = 768  # below this width the page is laid out for a phone (assets/atlas/atlas.css, phone.js)


# Dash's own page, with the language on <html> (screen readers pick their voice from it) and a plain
# <div> where Dash puts a second <footer> landmark around its scripts.
INDEX = """<!DOCTYPE html>
<html lang="{%lang%}">
    <head>
        {%metas%}
        <title>{%title%}</title>
        <link rel="icon" href="data:,">
        {%css%}
    </head>
    <body>
        {%app_entry%}
        <div>
            {%config%}
            {%scripts%}
            {%renderer%}
        </div>
    </body>
</html>"""


class _Atlas(Dash):
    vocab: Vocabulary
    make_validation_layout = None  # made on the first page's config (the server warms it up as it starts)
    _validation_lock = threading.Lock()

    def validation(self):
        """The validation layout, made once, on first need."""
        if self.validation_layout is None and self.make_validation_layout is not None:
            with self._validation_lock:
                if self.validation_layout is None:
                    self.validation_layout = self.make_validation_layout()
        return self.validation_layout

    def _config(self):
        """The page's config, without the versions of Python, Dash and plotly unless in debug mode
        (the dev tools compare them): a page announces no software version."""
        self.validation()
        config = super()._config()
        if not self._dev_tools.ui:
            for key in ("dash_version", "python_version", "dash_version_url", "ddk_version", "plotly_version"):
                config.pop(key, None)
        return config

    def _generate_scripts_html(self) -> str:
        """Dash's scripts but those the page never needs: the data table's bundle (no table here) and
        Babel's polyfill of old browsers' missing features (every browser of the last years has them)."""
        return "\n".join(line for line in super()._generate_scripts_html().split("\n")
                         if not any(unused in line for unused in UNUSED_SCRIPTS))

    def interpolate_index(self, **kwargs) -> str:
        """The page with the link's view drawn in it, in its language, and the layout and callbacks Dash
        would otherwise ask for next (dashboard/first.py)."""
        parsed = _parse(flask.request.args.to_dict(), self.vocab)
        state = parsed.state
        page = views.page(self.dataset, state, parsed.invalid, self.vocab, public_base(flask.request.host_url))
        layout = _layout(page, _view_query(self.dataset, state, replace=True))
        drawn = islands.of_page(page)
        static = to_html(layout, drawn)
        islands.leave_to_static(page)  # React's page takes the static copy's islands (first.js): not sent twice
        entry = first.shell(static, first.layout_json(layout), self._dependencies_json(), sorted(drawn))
        head = kwargs.get("css", "") + first.preloads(first.scripts_of(kwargs.get("scripts", "")) + self.preload) + first.STYLE
        return super().interpolate_index(**kwargs | {"app_entry": entry, "css": head}).replace("{%lang%}", state.lang, 1)

    def _dependencies_json(self) -> str:
        if getattr(self, "_dependencies_cache", None) is None:
            self._dependencies_cache = first.dependencies_json(self)
        return self._dependencies_cache


def create_app(data_dir: Path | None = None) -> Dash:
    """Load the dataset (refusing invalid data) and build the app."""
    data_dir = Path(data_dir or os.environ.get("ATLAS_DATA_DIR") or data.DEFAULT_DATA_DIR)
    dataset = data.load(data_dir)
    vocab = Vocabulary.of(dataset)
    plotly_js = next((ROOT / "assets" / "plotly").glob(PLOTLY_GEO))
    plotly_url = f"/assets/plotly/{plotly_js.name}?m={plotly_js.stat().st_mtime_ns}"
    app = _Atlas(
        __name__, title="Atlas", update_title=None, assets_folder=str(ROOT / "assets"),
        serve_locally=True, index_string=INDEX, assets_ignore=PLOTLY_GEO.replace(".", r"\.").replace("*", ".*"),
        meta_tags=[{"name": "atlas-plotly-js", "content": plotly_url},
                   # assets/atlas/plotly.js: a phone's map draws these boundaries in place of the map's own
                   {"name": "atlas-boundaries", "content": f"{BOUNDARIES_URL} {routes.LIGHT_BOUNDARIES_URL}"}],
        compress=True,  # a territory's answer is ~60 KB of JSON, ~9 KB compressed: it matters on a shared Wi-Fi
    )
    # Answers are compressed afresh each time, so quickly: Dash asks for gzip at level 6 alone, which
    # takes ~0.7 ms of a territory's ~68 KB answer (~4.6 ms of a page). Brotli at quality 1 takes ~0.1 ms of
    # it for 9.3 KB (quality 2: ~0.2 ms for 9.6 KB; a page: 0.25 ms for 27.8 KB against 0.6 ms for 26.3 KB),
    # and gzip at level 1 (what browsers get over plain HTTP, which has no brotli) ~0.25 ms for 10.1 KB.
    app.server.config.update(COMPRESS_ALGORITHM=["br", "gzip"], COMPRESS_BR_LEVEL=1, COMPRESS_LEVEL=1)
    app.vocab, app.dataset = vocab, dataset
    # what the map fetches once drawn: Dash's graph, plotly's geo bundle, the boundaries
    import dash.dcc
    graph = [(f"/_dash-component-suites/dash/dcc/{GRAPH_CHUNK}", "script")] \
        if (Path(dash.dcc.__file__).parent / GRAPH_CHUNK).is_file() else []
    app.preload = [*graph, (plotly_url, "script"), (BOUNDARIES_URL, "fetch", f"(min-width: {PHONE_PX}px)"),
                   (routes.LIGHT_BOUNDARIES_URL, "fetch", f"(max-width: {PHONE_PX - 0.02}px)")]
    app.layout = _layout()
    routes.install(app, dataset, vocab)  # health, API, CSV, static files and the callback endpoint's gate
    _add_callbacks(app, dataset, vocab)
    follow.install(app, vocab)  # rooms: the presenter publishes each view, phones follow it
    # Every component a callback names, for Dash to check the callbacks against: the page of a territory
    # (its panel has the print button) with the comparison open (its dropdowns), each component bare.
    # Only a page's config carries it, so it is made for the first page, not at start-up.
    app.make_validation_layout = lambda: html.Div(_bare(
        [app.layout, views.page(dataset, _sample_state(dataset), {}, vocab, "http://localhost/")], _callback_ids(app)))
    policy.install(app)  # after the callbacks: the CSP hashes their inline scripts
    dataset.index.fold_in_background()  # searches read the folded texts: made while the first pages load
    return app


def _layout(page=None, view: dict | None = None) -> html.Div:
    """Dash's layout: the page (drawn by the route callback when not given) and its view."""
    return html.Div([
        dcc.Location(id="url", refresh="callback-nav"),
        dcc.Store(id="view-query", data=view),
        dcc.Store(id="actions"),  # the user's actions, numbered, that the page may not show yet
        html.Div(id="page", children=page),
    ])


def _view_query(dataset: data.Dataset, state: ViewState, *, replace: bool, seq: int = 0) -> dict:
    """What the browser's address bar, <html lang>, tab title and body class must follow."""
    return {"query": to_query(state), "replace": replace, "present": state.present, "lang": state.lang,
            "title": views.page_title(dataset, state), "applied": seq}


def _parse(query, vocab: Vocabulary) -> ParsedQuery:
    """A URL query parsed for this request: with no `lang`, the browser's language wins."""
    return parse_query(query, vocab, preferred_lang(flask.request.headers.get("Accept-Language")))


# A map query longer than any a page writes is read for its answer alone, not kept.
MAX_KEPT_QUERY = 2_000

# What the update callback sends as Dash props, by the names of views.render's parts: (component id,
# property). The other parts are islands (islands.py): their HTML goes in one output.
_PARTS = {
    "lang_href": ("lang", "href"), "reset_href": ("reset", "href"),
    "download_href": ("download-view", "href"), "map_class": ("map-section", "className"),
    "present_toggle": ("present-toggle", "children"), "present_pressed": ("present-toggle", "aria-pressed"),
}


def _add_callbacks(app: Dash, dataset: data.Dataset, vocab: Vocabulary) -> None:
    def base() -> str:
        return public_base(flask.request.host_url)

    def stored(query) -> ViewState:
        """The view a page holds, read from its stored query as a link is, in this request's language."""
        return parse_query(query if isinstance(query, str) else "", vocab, _browser_lang()).state

    @app.callback(
        output=dict(page=Output("page", "children"), view=Output("view-query", "data")),
        # the path, not the query: the query changes with every view the page pushes to the address bar,
        # and this callback would be asked for nothing each time
        inputs=dict(path=Input("url", "pathname")),
        state=dict(search=State("url", "search"), current=State("view-query", "data")),
    )
    def route(path, search, current):
        if current:
            raise PreventUpdate  # the page is up: Back, Forward and links come as actions (actions.js)
        parsed = _parse(search if isinstance(search, str) else "", vocab)
        return dict(page=views.page(dataset, parsed.state, parsed.invalid, vocab, base()),
                    view=_view_query(dataset, parsed.state, replace=True))

    # One round trip turns the queued actions into the new state and sends the parts of the page that
    # changed: the islands' HTML, the map's patch or figure when what it shows changed, and a few props.
    # The filter controls are outputs, so that they always show the state (after a tour step, a map
    # reset or a chip), and states, so that a control already showing its value is left alone (a box
    # being typed in keeps its text).
    unchanged = dict(applied=no_update, query=no_update, controls={c: no_update for c in CONTROLS},
                     parts={name: no_update for name in _PARTS}, islands=no_update,
                     map={"answer": no_update, "drawn": no_update}, view=no_update, page=no_update)

    @app.callback(
        output=dict(applied=Output("applied", "data"), query=Output("view-state", "data"),
                    controls={c: Output(c, "value") for c in CONTROLS},
                    parts={name: Output(*target) for name, target in _PARTS.items()},
                    islands=Output(islands.STORE_ID, "data"),
                    map=dict(answer=Output(mapframe.ANSWER_ID, "data"), drawn=Output("map-drawn", "data")),
                    view=Output("view-query", "data", allow_duplicate=True),
                    page=Output("page", "children", allow_duplicate=True)),
        inputs=dict(queued=Input("actions", "data")),
        state=dict(current=State("view-state", "data"), applied=State("applied", "data"),
                   shown={c: State(c, "value") for c in CONTROLS}, drawn=State("map-drawn", "data")),
        prevent_initial_call=True,
    )
    def update(queued, current, applied, shown, drawn):
        before = stored(current)
        applied = actions.seq_of(applied)
        state, seq = actions.apply_pending(dataset, vocab, before, applied,
                                           queued.get("items") if isinstance(queued, dict) else None)
        if current != to_query(before) or state.lang != before.lang:
            # a stored view that is not what the server wrote (a tampered page), or every word of the
            # page changes: draw the page anew
            return unchanged | dict(view=_view_query(dataset, state, replace=False, seq=seq),
                                    page=views.page(dataset, state, {}, vocab, base(), seq))
        controls = {c: value if value != shown.get(c) else no_update for c, value in control_values(state).items()}
        if state == before:  # count the actions, and put back a control that shows something else
            if seq == applied and all(value is no_update for value in controls.values()):
                raise PreventUpdate
            return unchanged | dict(applied=seq, controls=controls)
        parts = views.render(dataset, state, vocab, base(), since=before)
        drawn_islands = islands.answer(parts)
        return unchanged | dict(applied=seq, query=to_query(state), controls=controls,
                                parts={name: parts.get(name, no_update) for name in _PARTS},
                                islands=drawn_islands or no_update, map=_map_answer(state, drawn),
                                view=_view_query(dataset, state, replace=False, seq=seq))

    def _map_answer(state: ViewState, drawn) -> dict:
        """The map's part of an answer: nothing when what it shows is what it was drawn for; a patch of
        the outline and the view when only the selected territory changed (mapframe.update), which plotly's
        figure takes without a new figure being sent or built; else a new figure. The page gives it to the
        graph once the rest of the answer is on screen (assets/atlas/map.js), so the panel does not wait
        for the map to be drawn again."""
        query = views.map_query(state)
        if query == drawn:
            return unchanged["map"]
        drawn = drawn if isinstance(drawn, str) else None
        if drawn is not None and len(drawn) > MAX_KEPT_QUERY:  # not worth keeping: made for this answer alone
            return {"answer": map_answer.__wrapped__(query, drawn, _browser_lang()), "drawn": query}
        return {"answer": map_answer(query, drawn, _browser_lang()), "drawn": query}

    @lru_cache(maxsize=1024)
    def map_answer(query: str, drawn: str | None, lang: str) -> dict:
        """The map's answer from the view it was drawn for to another: the same few come back all the time."""
        def read(text: str) -> ViewState:
            return parse_query(text, vocab, lang).state

        return mapframe.as_data(mapframe.update(dataset, read(query), read(drawn) if drawn is not None else None))

    # The print brief is built only to print: once the page shows every queued action (callbacks.js),
    # then printed once drawn (islands.js).
    @app.callback(Output(islands.STORE_ID, "data", allow_duplicate=True), Input("print-request", "data"),
                  State("view-state", "data"), prevent_initial_call=True)
    def print_brief(_request, query):
        return islands.drawn({"brief": views.render_brief(dataset, stored(query), base())})

    # What an answer changed, in one call of the browser's (assets/atlas/callbacks.js `answered`): the URL
    # follows the view (replaced after a route, pushed after a user action), presenter mode styles the
    # whole body, <html lang> and the title follow, and the room hears the presenter's view (follow.js);
    # the map's part goes to the graph once the panel is on screen (map.js); the queue learns which
    # actions the page holds, so what waits for them (the CSV link, ↓, printing) may run; the islands'
    # HTML is drawn (islands.js), which prints a brief once drawn. Each callback Dash runs for an answer
    # costs the page ~6 updates of its store, ~1.3 ms each: five of them took ~40 of a click's ~100 ms.
    # (islands-drawn, a store beside the islands in the page, makes Dash call it for a page drawn anew too)
    app.clientside_callback(ClientsideFunction("atlas", "answered"),
                            Output(islands.DRAWN_ID, "data"),
                            Input("view-query", "data"), Input(islands.STORE_ID, "data"), Input("applied", "data"),
                            Input(mapframe.ANSWER_ID, "data"))
    # A map click is a queued action like any other; clearing clickData lets the same territory be clicked again.
    app.clientside_callback(ClientsideFunction("atlas", "mapClick"), Output("map", "clickData"),
                            Input("map", "clickData"), prevent_initial_call=True)
    app.clientside_callback(ClientsideFunction("atlas", "exportPng"), Input("export-png", "n_clicks"),
                            prevent_initial_call=True)


def _sample_state(dataset: data.Dataset) -> ViewState:
    """A view with every component a callback names: a territory's panel (the print button),
    narrowed to a few recommendations (the territory with the fewest, one
    actor, one theme) so that its page is quick to build however large the dataset: it is drawn only
    for the ids of its components."""
    index = dataset.index
    sizes = dict(zip(index.code_names, np.diff(index.code_ptr).tolist()))
    mapped = [c for c in dataset.mapped_codes if sizes.get(c)]
    if not mapped:  # no territory has a recommendation: any territory's page has the same components
        return ViewState(territory=dataset.mapped_codes[0], tab="compare")
    code = min(mapped, key=lambda c: (sizes[c], c))
    first = dataset.by_id[index.ids[index.code_rows[index.code_ptr[index.code_names.index(code)]]]]
    other = next((c for c in mapped if c != code), code)
    return ViewState(territory=code, tab="compare", actors=(first.actor,), themes=tuple(first.themes[:1]),
                     compare=(code, other) if other != code else ())


def _callback_ids(app: Dash) -> set[str]:
    """The ids that the app's callbacks name, as inputs, states or outputs."""
    ids = set()
    for key, spec in app.callback_map.items():
        ids.update(str(item["id"]) for item in [*spec.get("inputs", []), *spec.get("state", [])])
        ids.update(component for component, _ in (split_output_key(key) or []))
    return ids


def _bare(tree: list, named: set[str]) -> list:
    """The components of a tree whose id is in `named`, each with its id alone: what Dash needs to check
    the callbacks, without the page's content (the config of every page carries it). The tree is read
    as the data Dash sends."""
    found = {}
    stack = [plain(root) for root in reversed(tree)]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(reversed(node))
        elif isinstance(node, dict) and "namespace" in node and isinstance(node.get("props"), dict):
            props = node["props"]
            if str(props.get("id")) in named:
                found.setdefault(str(props["id"]), {"props": {"id": props["id"]}, "type": node["type"],
                                                    "namespace": node["namespace"]})
            stack.extend(reversed([value for value in props.values() if isinstance(value, (list, dict))]))
    return list(found.values())


def _browser_lang() -> str:
    """The language this request's browser asks for: read on every request, never from the page."""
    return preferred_lang(flask.request.headers.get("Accept-Language"))


_app: Dash | None = None


def settle() -> None:
    """Once the app a server serves is built: what start-up made lives as long as the server, so Python's
    collector stops walking it. A full collection walked ~105,000 objects in ~60 ms, in the middle of
    whichever request triggered it (the first clicks, as the caches fill); now it walks what requests made.
    Start-up's own garbage is collected first."""
    gc.collect()
    gc.freeze()


def __getattr__(name: str):
    """`app` and `server` are built on first use, so importing this module never loads data by accident.
    (A server command that names `dashboard.app:server` serves the one built here.)"""
    global _app
    if name in ("app", "server"):
        if _app is None:
            _app = create_app()
            settle()
        return _app if name == "app" else _app.server
    raise AttributeError(name)
