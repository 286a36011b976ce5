"""The Dash app: routes, thin callbacks and the WSGI `server` for gunicorn."""
from __future__ import annotations

import gzip
import os
from pathlib import Path

import flask
from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from . import data, queries, views
from .i18n import preferred_lang
from .share import public_base
from .state import MAX_TOUR_STEPS, ParsedQuery, Vocabulary, parse_query, to_query, tour_entry, tour_step
from .tables import BOUNDARIES

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
        html.Div(id="page"),
    ])
    _add_routes(app.server, dataset, vocab)
    _add_callbacks(app, dataset, vocab)
    _add_security_headers(app)
    return app


def _add_security_headers(app: Dash) -> None:
    """A strict CSP: nothing from outside this origin, and only our own inline scripts (by hash)."""
    policy = "; ".join([
        "default-src 'self'",
        "script-src 'self' " + " ".join(app.csp_hashes()),
        "style-src 'self' 'unsafe-inline'",  # plotly and React set inline styles
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'self'",
    ])

    @app.server.after_request
    def security_headers(response: flask.Response) -> flask.Response:
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response


def _parse(query, vocab: Vocabulary) -> ParsedQuery:
    """A URL query parsed for this request: with no `lang`, the browser's language wins."""
    return parse_query(query, vocab, preferred_lang(flask.request.headers.get("Accept-Language")))


def _add_routes(server: flask.Flask, dataset: data.Dataset, vocab: Vocabulary) -> None:
    boundaries = (dataset.data_dir / BOUNDARIES).read_bytes()
    boundaries_gz = gzip.compress(boundaries, compresslevel=9, mtime=0)

    @server.get("/healthz")
    def healthz():
        return flask.jsonify(status="ok", **dataset.counts())

    @server.get("/geo/boundaries.geojson")
    def geo_boundaries():
        gzipped = "gzip" in flask.request.headers.get("Accept-Encoding", "")
        response = flask.Response(boundaries_gz if gzipped else boundaries, mimetype="application/geo+json")
        if gzipped:
            response.headers["Content-Encoding"] = "gzip"
        response.headers["Vary"] = "Accept-Encoding"
        response.headers["Cache-Control"] = "public, max-age=86400"
        return response

    @server.get("/api/recommendations")
    def api_recommendations():
        parsed = _parse(flask.request.args.to_dict(), vocab)
        recs = queries.matching(dataset.recommendations, parsed.state)
        return flask.jsonify(query=to_query(parsed.state), invalid=parsed.invalid, count=len(recs),
                             recommendations=queries.records(dataset, recs))

    @server.get("/download/recommendations.csv")
    def download_csv():
        parsed = _parse(flask.request.args.to_dict(), vocab)
        recs = queries.matching(dataset.recommendations, parsed.state)
        body = "\ufeff" + queries.to_csv(queries.records(dataset, recs))  # the BOM lets spreadsheets see UTF-8
        everything = len(recs) == len(dataset.recommendations)
        name = "atlas-all-recommendations.csv" if everything else "atlas-recommendations.csv"
        return flask.Response(body.encode("utf-8"), mimetype="text/csv",  # Flask adds the charset
                              headers={"Content-Disposition": f'attachment; filename="{name}"'})

    @server.errorhandler(500)
    def server_error(_error):
        return flask.Response("The Atlas hit an unexpected error. Please reload the page.", status=500, mimetype="text/plain")


def _add_callbacks(app: Dash, dataset: data.Dataset, vocab: Vocabulary) -> None:
    def base() -> str:
        return public_base(flask.request.host_url)

    @app.callback(
        Output("page", "children"), Output("view-query", "data"),
        Input("url", "search"), State("view-query", "data"),
    )
    def route(search, current):
        parsed = _parse(search or "", vocab)
        query = to_query(parsed.state)
        if current and current.get("query") == query:
            raise PreventUpdate  # the URL only caught up with the page
        return (views.page(dataset, parsed.state, parsed.invalid, vocab, base()),
                _view_query(parsed.state, query, replace=True))

    # One round trip turns a control into the new state and the panel; the map follows in its own
    # callback, so the panel need not wait for the map to redraw. The controls are outputs too, so that
    # they always show the state (after a tour step, a map reset or a theme chip).
    @app.callback(
        Output("view-state", "data"), Output("map", "clickData"),
        Output("actor-filter", "value"), Output("theme-filter", "value"), Output("report-filter", "value"),
        Output("search", "value"), Output("region", "value"), Output("tab", "value"),
        Output("side-panel-wrap", "children"), Output("territory-list", "children"),
        Output("actor-filter", "options"), Output("theme-filter", "options"), Output("report-filter", "options"),
        Output("lang", "href"), Output("reset", "href"), Output("download-view", "href"),
        Output("share-box", "children"), Output("tour-box", "children"), Output("analysis-wrap", "children"),
        Output("map-section", "className"), Output("present-toggle", "children"),
        Output("present-toggle", "aria-pressed"), Output("territory-table", "children"),
        Output("view-query", "data", allow_duplicate=True),
        Input("actor-filter", "value"), Input("theme-filter", "value"), Input("report-filter", "value"),
        Input("search", "value"), Input("region", "value"), Input("tab", "value"),
        Input("map", "clickData"), Input("map-reset", "n_clicks"), Input("present-toggle", "n_clicks"),
        Input("tour-add", "n_clicks"), Input("tour-prev", "n_clicks"), Input("tour-next", "n_clicks"),
        Input("tour-clear", "n_clicks"),
        Input({"type": "territory-item", "code": ALL}, "n_clicks"),
        Input({"type": "clear-territory", "code": ALL}, "n_clicks"),
        Input({"type": "theme-chip", "theme": ALL, "rec": ALL}, "n_clicks"),
        Input({"type": "matrix-cell", "theme": ALL, "code": ALL}, "n_clicks"),
        Input({"type": "compare-select", "side": ALL}, "value"),
        State("view-state", "data"),
        prevent_initial_call=True,
    )
    def update(actors, themes, report, q, region, tab, click, *_clicks_and_current):
        current = _clicks_and_current[-1]
        controls = {"actors": actors, "themes": themes, "report": report, "q": q, "region": region, "tab": tab}
        # A search box that loses focus to a click sends both changes in one request: apply every one.
        state = with_controls(views.state_from_store(current), controls)
        for trigger in ctx.triggered:
            state = after_action(state, ctx.triggered_prop_ids[trigger["prop_id"]], trigger["value"], click)
        new = views.state_to_store(state)
        if new == current:
            raise PreventUpdate
        parts = views.render(dataset, state, vocab, base())
        synced = [value if value != controls[name] else no_update for name, value in views.control_values(state).items()]
        return (new, None, *synced, parts["panel"], parts["list"], parts["actor_options"], parts["theme_options"],
                parts["report_options"], parts["lang_href"], parts["reset_href"], parts["download_href"],
                parts["share"], parts["tour"], parts["analysis"], parts["map_class"], parts["present_toggle"],
                "true" if state.present else "false", parts["table"],
                _view_query(state, to_query(state), replace=False))

    def _view_query(state, query: str, *, replace: bool) -> dict:
        """What the browser's address bar, <html lang>, tab title and body class must follow."""
        return {"query": query, "replace": replace, "present": state.present, "lang": state.lang,
                "title": views.page_title(dataset, state)}

    def with_controls(state, controls):
        """The state with what the filter controls show (bad values ignored, as in a URL)."""
        view = parse_query({
            "actor": ",".join(controls["actors"] or []), "theme": ",".join(controls["themes"] or []),
            "report": "" if controls["report"] in (None, "all") else str(controls["report"]),
            "q": controls["q"] or "", "region": controls["region"] or "world", "tab": controls["tab"] or "map",
        }, vocab).state
        return state.but(actors=view.actors, themes=view.themes, report=view.report, q=view.q,
                         region=view.region, tab=view.tab)

    def after_action(state, trigger, value, click):
        """The state after one pressed button, map click or dropdown pick; controls are already applied."""
        if isinstance(trigger, dict):
            kind = trigger["type"]
            if kind == "compare-select":
                pair = tuple(item["value"] for item in ctx.inputs_list[-1])
                if len(pair) == 2 and pair[0] != pair[1] and all(pair):
                    return state.but(compare=pair)
                if len(pair) == 2 and pair[0] == pair[1] and len(state.compare) == 2:
                    return state.but(compare=state.compare[::-1])  # the other side's territory: swap sides
                return state
            if not value:
                return state  # a new button appeared; nothing was pressed
            if kind == "territory-item":
                return state.but(territory=None if trigger["code"] == state.territory else trigger["code"])
            if kind == "clear-territory":
                return state.but(territory=None)
            if kind == "theme-chip":  # a chip turns its theme's filter on, or off again
                wanted = set(state.themes) ^ {trigger["theme"]}
                return state.but(themes=tuple(t for t in dataset.themes if t in wanted))
            if kind == "matrix-cell":
                return state.but(territory=trigger["code"], themes=(trigger["theme"],))
            return state
        if trigger in _BUTTONS and not value:
            return state  # re-rendered, not pressed
        if trigger == "map":
            code = _clicked_code(click)
            return state if code is None else state.but(territory=None if code == state.territory else code)
        if trigger == "map-reset":
            return state.but(region="world", territory=None)
        if trigger == "present-toggle":
            return state.but(present=not state.present)
        if trigger == "tour-add":
            entry = tour_entry(state)
            if (state.tour and state.tour[-1] == entry) or len(state.tour) >= MAX_TOUR_STEPS:
                return state
            return state.but(tour=state.tour + (entry,))
        if trigger == "tour-clear":
            return state.but(tour=(), step=None)
        if trigger in ("tour-prev", "tour-next"):
            if not state.tour:
                return state
            if state.step is None:
                step = 0
            else:
                step = max(0, min(len(state.tour) - 1, state.step + (1 if trigger == "tour-next" else -1)))
            return tour_step(state, step, vocab)
        return state  # a filter control: already applied

    @app.callback(Output("map", "figure"), Input("view-state", "data"), prevent_initial_call=True)
    def render_map(store):
        return views.render_map(dataset, views.state_from_store(store))

    # The URL follows the view (replaced after a route, pushed after a user action), and presenter
    # mode styles the whole body, which the keys in assets/ also read; <html lang> and the title follow.
    app.clientside_callback(
        """
        function (view) {
            if (!view) { return window.dash_clientside.no_update; }
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

    app.clientside_callback(
        """
        function (n) {
            if (n) { window.print(); }
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


_BUTTONS = {"map-reset", "present-toggle", "tour-add", "tour-prev", "tour-next", "tour-clear"}


def _clicked_code(click) -> str | None:
    try:
        point = click["points"][0]
    except (TypeError, KeyError, IndexError):
        return None
    code = point.get("location") or point.get("customdata")
    return code if isinstance(code, str) else None


_app: Dash | None = None


def __getattr__(name: str):
    """`app` and `server` are built on first use, so importing this module never loads data by accident."""
    global _app
    if name in ("app", "server"):
        if _app is None:
            _app = create_app()
        return _app if name == "app" else _app.server
    raise AttributeError(name)
