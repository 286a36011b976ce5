"""Presenter mode: its toggle, the on-screen key legend, the QR share box and the tour controls."""
from __future__ import annotations

from dash import dcc, html

from .actions import data_action
from .data import Dataset
from .i18n import N_, number, translations
from .state import MAX_TOUR_STEPS, ViewState, href, tour_entry, tour_step

KEYS = (
    ("← →", N_("previous / next territory, or tour step")),
    ("↑ ↓", N_("previous / next recommendation")),
    ("L", N_("switch language")),
    ("T", N_("next theme")),
    ("0", N_("reset")),
    ("F", N_("full screen")),
    ("Esc", N_("leave presenter mode")),
    ("?", N_("hide this legend")),
)


def present_toggle(state: ViewState) -> html.Button:
    _ = translations(state.lang).gettext
    label = _("Leave presenter mode") if state.present else _("Presenter mode")
    icon = "bi-x-lg" if state.present else "bi-easel"  # on the projector, a corner button with the label for screen readers
    return html.Button([html.I(className=f"bi {icon} me-1", **{"aria-hidden": "true"}),
                        html.Span(label, className="present-label")],
                       id="present-toggle", className="btn btn-outline-primary", **data_action("present"),
                       **{"aria-pressed": "true" if state.present else "false"})


def key_legend(lang: str) -> html.Aside:
    _ = translations(lang).gettext
    return html.Aside(id="key-legend", className="key-legend", **{"aria-label": _("Keyboard shortcuts")}, children=[
        html.Dl([item for key, what in KEYS for item in (html.Dt(html.Kbd(key)), html.Dd(_(what)))]),
    ])


def share_box(state: ViewState, url: str, qr_src: str, short: str | None = None) -> list:
    """The QR code and the link of the view; a view too long for a QR code keeps its link, and says so.
    In presenter mode the link also names the room, so that phones follow the presenter, and a short
    link to the room (easy to type) is printed under it."""
    _ = translations(state.lang).gettext
    code = (html.Img(id="qr-code", src=qr_src, alt=_("QR code of this view: %(url)s") % {"url": url}, className="qr-code")
            if qr_src else html.P(_("This view is too long for a QR code: share the link instead."),
                                  id="qr-too-long", className="qr-too-long small mb-1"))
    return [
        code,
        html.Div(className="share-text", children=[
            html.P(_("Follow on your phone"), className="mb-1 fw-semibold"),
            html.A(short, href=short, id="follow-link", className="follow-link text-break d-block") if short else None,
            html.A(url, href=url, id="share-link", className="share-link small text-break"),
        ]),
    ]


def tour_box(dataset: Dataset, state: ViewState, vocab) -> list:
    """The tour: the saved views in order, with buttons to add, step through and clear them."""
    lang = state.lang
    tr = translations(lang)
    _ = tr.gettext
    steps = []
    for index in range(len(state.tour)):
        view = tour_step(state, index, vocab)
        current = state.step == index and tour_entry(state) == state.tour[index]  # not once the view has moved on
        # dcc.Link takes no aria-* attribute, so the list item carries aria-current
        steps.append(html.Li(className="tour-step" + (" current" if current else ""), children=dcc.Link(
            describe(dataset, view), href=href(view)),
            **({"aria-current": "step"} if current else {})))
    # the link opens the tour at its first view, in presenter mode
    tour_link = href(tour_step(state.but(present=True), 0, vocab)) if state.tour else ""
    return [
        html.H2(_("Tour"), className="h6"),
        html.P(tr.ngettext("%(n)s saved view", "%(n)s saved views", len(state.tour)) % {"n": number(len(state.tour), lang)},
               className="small mb-1 tour-count"),
        html.Ol(steps, className="small tour-steps") if steps else None,
        html.P(_("A tour holds at most %(n)s views.") % {"n": number(MAX_TOUR_STEPS, lang)}, className="small mb-1 tour-full")
        if len(state.tour) >= MAX_TOUR_STEPS else None,
        html.Div(className="d-flex flex-wrap gap-1", children=[
            html.Button(_("Add this view"), id="tour-add", **data_action("tour-add"), className="btn btn-sm btn-outline-primary",
                        disabled=len(state.tour) >= MAX_TOUR_STEPS),
            html.Button(_("Previous step"), id="tour-prev", **data_action("tour-step", delta=-1), className="btn btn-sm btn-outline-secondary",
                        disabled=not state.tour),
            html.Button(_("Next step"), id="tour-next", **data_action("tour-step", delta=1), className="btn btn-sm btn-outline-secondary",
                        disabled=not state.tour),
            html.Button(_("Clear the tour"), id="tour-clear", **data_action("tour-clear"), className="btn btn-sm btn-link",
                        disabled=not state.tour),
        ]),
        html.A(_("Link to this tour"), href=tour_link, id="tour-link", className="small") if tour_link else None,
    ]


def describe(dataset: Dataset, view: ViewState) -> str:
    """A short name for a view, for the list of tour steps."""
    lang = view.lang
    _ = translations(lang).gettext
    parts = [dataset.territories[view.territory].name(lang) if view.territory else _("World")]
    parts += [dataset.themes[t].label(lang) for t in view.themes]
    if view.q:
        parts.append(f"“{view.q}”")
    if view.tab != "map":
        parts.append(_("matrix") if view.tab == "matrix" else _("comparison"))
    return " · ".join(parts)
