"""The floor: the smallest Dash app that does what the Atlas's figures are compared with.

A store, a button, an echo callback and a graph (so that it serves the same plotly bundle), with the
Atlas's Dash settings (served locally, compressed responses) and its static-file serving. `python -m bench.floor` serves it through
the Atlas's own command line, so both run on the same server with the same settings; `bench.floor:server`
is the WSGI app for a server command that names `dashboard.app:server`.
"""
from __future__ import annotations

import sys
from pathlib import Path

from dash import Dash, Input, Output, State, dcc, html

HERE = Path(__file__).resolve().parent


def create_app(*_args, **_kwargs) -> Dash:
    """The floor app; it takes (and ignores) the Atlas factory's arguments so either can stand in."""
    app = Dash(__name__, title="Floor", update_title=None, assets_folder=str(HERE / "floor_assets"),
               serve_locally=True, compress=True)
    app.layout = html.Div([
        dcc.Store(id="store", data={"greeting": "echo"}),
        html.Button("Echo", id="button", n_clicks=0),
        html.Div(id="echo", children="0"),
        dcc.Graph(id="graph", figure={"data": [{"type": "bar", "x": [1, 2], "y": [1, 2]}]},
                  config={"displayModeBar": False}),
    ])

    @app.callback(Output("echo", "children"), Input("button", "n_clicks"), State("store", "data"),
                  prevent_initial_call=True)
    def echo(n_clicks, store):
        return f"{store['greeting']} {n_clicks}"

    _serve_static_like_the_atlas(app)

    @app.server.get("/healthz")
    def healthz():
        return {"status": "ok"}

    return app


def _serve_static_like_the_atlas(app: Dash) -> None:
    """Serve bundles and assets as the Atlas does: through its static-file cache when it has one
    (`dashboard.serving.install`), else as Dash does, compressing each response afresh."""
    import dashboard

    try:
        from dashboard import serving
    except ImportError:
        return
    if Path(serving.__file__).parent != Path(dashboard.__file__).parent:
        return  # a module of another copy of the package (an editable install's), not this Atlas's
    install = getattr(serving, "install", None)
    if install is not None:
        install(app)


_app: Dash | None = None


def __getattr__(name: str):
    global _app
    if name in ("app", "server"):
        if _app is None:
            _app = create_app()
        return _app if name == "app" else _app.server
    raise AttributeError(name)


def main(argv: list[str]) -> int:
    """Serve the floor exactly as `python -m dashboard` serves the Atlas: the Atlas's serve command,
    with this app's factory in place of the Atlas's."""
    import dashboard.__main__ as cli
    import dashboard.app

    dashboard.app.create_app = create_app
    if hasattr(cli, "create_app"):
        cli.create_app = create_app
    return cli.main(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
