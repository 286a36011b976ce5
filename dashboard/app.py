"""The Dash app: routes, thin callbacks and the WSGI `server` for gunicorn."""
from __future__ import annotations

import os
from pathlib import Path

import flask
from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from . import actions, analysis, data, queries, views
from .i18n import preferred_lang
from .share import public_base
from .state import ParsedQuery, Vocabulary, parse_query, to_query
from . import policy, routes

ROOT = Path(__file__).resolve().parent.parent


# Dash's own page, with the language on <html> (screen readers pick their voice from it) and a plain
# <div> where Dash puts a second <footer> landmark around its scripts.
INDEX = """<!DOCTYPE html>
<html lang="{%lang%}">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
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

    def interpolate_index(self, **kwargs) -> str:
        lang = _parse(flask.request.args.to_dict(), self.vocab).state.lang
        return super().interpolate_index(**kwargs).replace("{%lang%}", lang, 1)


def create_app(data_dir: Path | None = None) -> Dash:
    """Load the dataset (refusing invalid data) and build the app."""
    data_dir = Path(data_dir or os.environ.get("ATLAS_DATA_DIR") or data.DEFAULT_DATA_DIR)
    dataset = data.load(data_dir)
    vocab = Vocabulary.of(dataset)
    app = _Atlas(
        __name__, title="Atlas", update_title=None, assets_folder=str(ROOT / "assets"),
        suppress_callback_exceptions=True, serve_locally=True, index_string=INDEX,
        compress=True,  # a territory's panel is ~130 KB of JSON, ~15 KB compressed: it matters on a shared Wi-Fi
    )
    app.vocab = vocab
    app.layout = html.Div([
        dcc.Location(id="url", refresh="callback-nav"),
        dcc.Store(id="view-query"),
        dcc.Store(id="actions"),  # the user's actions, numbered, that the page may not show yet
        html.Div(id="page"),
    ])
    routes.install(app, dataset, vocab)  # health, API, CSV, static files and the callback endpoint's gate
    _add_callbacks(app, dataset, vocab)
    policy.install(app)  # after the callbacks: the CSP hashes their inline scripts
    return app


def _parse(query, vocab: Vocabulary) -> ParsedQuery:
    """A URL query parsed for this request: with no `lang`, the browser's language wins."""
    return parse_query(query, vocab, preferred_lang(flask.request.headers.get("Accept-Language")))


# The filter controls, by the names of views.control_values.
_CONTROLS = {"actors": "actor-filter", "themes": "theme-filter", "report": "report-filter", "q": "search",
             "region": "region", "tab": "tab"}


def _add_callbacks(app: Dash, dataset: data.Dataset, vocab: Vocabulary) -> None:
    def base() -> str:
        return public_base(flask.request.host_url)

    @app.callback(
        Output("page", "children"), Output("view-query", "data"),
        Input("url", "search"), State("view-query", "data"),
    )
    def route(search, current):
        if current:
            raise PreventUpdate  # the page is up: Back, Forward and links come as actions (actions.js)
        parsed = _parse(search or "", vocab)
        return (views.page(dataset, parsed.state, parsed.invalid, vocab, base()),
                _view_query(parsed.state, replace=True))

    # One round trip turns the queued actions into the new state and the panel; the map follows in its
    # own callback, so the panel need not wait for the map to redraw. The filter controls are outputs,
    # so that they always show the state (after a tour step, a map reset or a chip), and states, so
    # that a control already showing its value is left alone (a box being typed in keeps its text).
    @app.callback(
        Output("applied", "data"), Output("view-state", "data"),
        *[Output(component, "value") for component in _CONTROLS.values()],
        Output("side-panel-wrap", "children"), Output("territory-list", "children"),
        Output("actor-filter", "options"), Output("theme-filter", "options"), Output("report-filter", "options"),
        Output("lang", "href"), Output("reset", "href"), Output("download-view", "href"),
        Output("share-box", "children"), Output("tour-box", "children"), Output("analysis-wrap", "children"),
        Output("map-section", "className"), Output("present-toggle", "children"),
        Output("present-toggle", "aria-pressed"), Output("territory-table", "children"),
        Output("view-query", "data", allow_duplicate=True), Output("page", "children", allow_duplicate=True),
        Input("actions", "data"), Input({"type": "compare-select", "side": ALL}, "value"),
        State("view-state", "data"), State("applied", "data"),
        *[State(component, "value") for component in _CONTROLS.values()],
        prevent_initial_call=True,
    )
    def update(queued, pair, current, applied, *shown):
        before = views.state_from_store(current)
        if before is None:
            raise PreventUpdate
        applied = actions.seq_of(applied)
        state = compare_pick(before, pair)
        state, seq = actions.apply_pending(dataset, vocab, state, applied,
                                           queued.get("items") if isinstance(queued, dict) else None)
        shown = dict(zip(_CONTROLS, shown))
        synced = [value if value != shown[name] else no_update for name, value in views.control_values(state).items()]
        rest = len(ctx.outputs_list) - 2 - len(synced)
        if state == before:  # count the actions, and put back a control that shows something else
            if seq == applied and all(value is no_update for value in synced):
                raise PreventUpdate
            return (seq, no_update, *synced, *[no_update] * rest)
        view_query = _view_query(state, replace=False)
        if state.lang != before.lang:  # every word on the page changes: draw it anew
            return (*[no_update] * (len(ctx.outputs_list) - 2), view_query, views.page(dataset, state, {}, vocab, base(), seq))
        parts = views.render(dataset, state, vocab, base())
        return (seq, views.state_to_store(state), *synced, parts["panel"], parts["list"], parts["actor_options"],
                parts["theme_options"], parts["report_options"], parts["lang_href"], parts["reset_href"],
                parts["download_href"], parts["share"], parts["tour"], parts["analysis"], parts["map_class"],
                parts["present_toggle"], "true" if state.present else "false", parts["table"], view_query, no_update)

    def _view_query(state, *, replace: bool) -> dict:
        """What the browser's address bar, <html lang>, tab title and body class must follow."""
        return {"query": to_query(state), "replace": replace, "present": state.present, "lang": state.lang,
                "title": views.page_title(dataset, state)}

    def compare_pick(state, pair: list):
        """The state after a pick in the comparison's dropdowns; they are sent with every request, so
        that a pick overtaken by a later action still counts."""
        shown = analysis.compare_pair(dataset, state)
        pair = tuple(pair)
        if len(pair) != 2 or not all(isinstance(c, str) and c in vocab.comparable for c in pair) or pair == shown:
            return state  # dropdowns drawn with what the page shows: nothing was picked
        if pair[0] == pair[1]:
            return state.but(compare=shown[::-1])  # the other side's territory: swap sides
        return state.but(compare=pair)

    @app.callback(Output("map", "figure"), Input("view-state", "data"), prevent_initial_call=True)
    def render_map(store):
        return views.render_map(dataset, views.state_from_store(store))

    # The URL follows the view (replaced after a route, pushed after a user action), and presenter
    # mode styles the whole body, which the keys in assets/ also read; <html lang> and the title follow.
    app.clientside_callback(
        """
        function (view) {
            if (!view) { return window.dash_clientside.no_update; }
            if (window.atlasActions) { window.atlasActions.showing(view.query); }
            document.documentElement.lang = view.lang;
            document.title = view.title;
            if (document.body.classList.contains("presenting") !== Boolean(view.present)) {
                document.body.classList.toggle("presenting", Boolean(view.present));
                window.dispatchEvent(new Event("resize"));  // plotly refits the map to its new frame
            }
            const target = view.query ? "?" + view.query : window.location.pathname;
            if ((view.query ? "?" + view.query : "") !== window.location.search) {
                if (view.replace) { window.history.replaceState({}, "", target); }
                else { window.history.pushState({}, "", target); }
                window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
            }
            return window.dash_clientside.no_update;
        }
        """,
        Output("url", "hash"),
        Input("view-query", "data"),
    )

    # A map click is a queued action like any other (assets/atlas/actions.js); clearing clickData lets
    # the same territory be clicked again.
    app.clientside_callback(
        """
        function (click) {
            const point = click && click.points && click.points[0];
            const code = point && (point.location || point.customdata);
            if (typeof code === "string") { window.atlasActions.queue({kind: "territory", code: code}); }
            return null;
        }
        """,
        Output("map", "clickData"),
        Input("map", "clickData"),
        prevent_initial_call=True,
    )

    # The queue learns which actions the page holds; what waits for them (the CSV link, ↓) may then run.
    app.clientside_callback(
        """
        function (n) {
            if (window.atlasActions) { window.atlasActions.shown(n); }
        }
        """,
        Input("applied", "data"),
    )

    app.clientside_callback(
        """
        function (n) {
            if (n) { window.atlasActions.whenSettled(() => window.print()); }
            return window.dash_clientside.no_update;
        }
        """,
        Output("print-brief", "title"),
        Input("print-brief", "n_clicks"),
        prevent_initial_call=True,
    )

    app.clientside_callback(
        """
        function (n) {
            const graph = document.querySelector('#map .js-plotly-plot');
            if (n && graph) {
                window.Plotly.downloadImage(graph, {format: 'png', width: 1920, height: 1080, filename: 'atlas-map'});
            }
            return window.dash_clientside.no_update;
        }
        """,
        Output("export-png", "title"),
        Input("export-png", "n_clicks"),
        prevent_initial_call=True,
    )


_app: Dash | None = None


def __getattr__(name: str):
    """`app` and `server` are built on first use, so importing this module never loads data by accident."""
    global _app
    if name in ("app", "server"):
        if _app is None:
            _app = create_app()
        return _app if name == "app" else _app.server
    raise AttributeError(name)
