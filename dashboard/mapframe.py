"""The map on the page: its frame (the graph, the zoom buttons, and what the graph was last drawn for)
and its update, a patch of the selection when only the selected territory changed."""
from __future__ import annotations

from dash import Patch, dcc, html, no_update

from . import figures, queries
from .data import Dataset
from .i18n import translations
from .state import ViewState

# The map's part of the last answer (update, as_data), which assets/atlas/map.js gives the graph.
ANSWER_ID = "map-answer"

# topojsonURL: plotly's geo subplot loads a base map from a CDN unless told to use our own copy.
MAP_CONFIG = {"displayModeBar": False, "scrollZoom": False, "doubleClick": False, "responsive": True,
              "topojsonURL": "/assets/topojson/"}


def render_map(dataset: Dataset, state: ViewState, facts: queries.Summary | None = None) -> dict:
    """The map figure; from the request's summary when there is one, else from the territory counts alone."""
    counts = facts.territory_counts if facts is not None else queries.territory_counts(dataset.recommendations, state)
    return figures.map_figure(dataset, counts, state.lang, state.territory, state.region, present=state.present,
                              caption=figures.export_caption(dataset, state))


def map_frame(state: ViewState, figure: dict, drawn: str) -> html.Div:
    """The map's box, shaped like its region (map.css), with the +/- zoom buttons over its corner.
    `drawn` is the map query the figure was made for (see update)."""
    _ = translations(state.lang).gettext
    return html.Div(className="map-frame", children=[
        dcc.Store(id="map-drawn", data=drawn),
        dcc.Store(id=ANSWER_ID),
        html.Div(role="img", className="map-canvas", **{"aria-label": _(
            "World map of recommendations; use the territory list below to select with a keyboard.")}, children=dcc.Graph(
            id="map", figure=figure, config=MAP_CONFIG, className="atlas-map",
            style=figures.map_style(state.region, state.present))),
        # plain buttons: assets/atlas/map.js zooms the drawn map, with no round trip to the server
        html.Div(className="map-zoom", role="group", **{"aria-label": _("Zoom")}, children=[
            html.Button(html.Span("+", **{"aria-hidden": "true"}), id="zoom-in", type="button",
                        className="btn btn-light map-zoom-button", title=_("Zoom in"), **{"aria-label": _("Zoom in")}),
            html.Button(html.Span("−", **{"aria-hidden": "true"}), id="zoom-out", type="button",
                        className="btn btn-light map-zoom-button", title=_("Zoom out"), **{"aria-label": _("Zoom out")}),
        ]),
    ])


def update(dataset: Dataset, state: ViewState, drawn: ViewState | None) -> dict:
    """The map callback's answer for a new map query, given the one the graph was drawn for: when only the
    selected territory differs, a patch of the outline, the bubbles' rims and which one is hidden, the view
    and the caption (no counting); otherwise a new figure, and the box's shape when the region or presenter mode changed."""
    if drawn is not None and state.but(territory=None) == drawn.but(territory=None):
        patch = Patch()
        for path, value in figures.selection_changes(
                dataset, state.territory, state.region, figures.export_caption(dataset, state)).items():
            target = patch
            for key in path[:-1]:
                target = target[key]
            target[path[-1]] = value
        return {"figure": patch, "style": no_update}
    style = figures.map_style(state.region, state.present)
    same_box = drawn is not None and style == figures.map_style(drawn.region, drawn.present)
    return {"figure": render_map(dataset, state), "style": no_update if same_box else style}


def as_data(answer: dict) -> dict:
    """An update's answer as the graph's new props, in Dash's JSON form (a patch as Dash sends one)."""
    figure = answer["figure"]
    return {"figure": figure.to_plotly_json() if isinstance(figure, Patch) else figure,
            **({} if answer["style"] is no_update else {"style": answer["style"]})}
