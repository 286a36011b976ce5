"""Presenter mode: its toggle, the on-screen key legend, the QR share box, the tour controls and where the
tour stands, and the chips of the filters on."""
from __future__ import annotations

from urllib.parse import urlsplit

from dash import dcc, html

from . import share
from .actions import data_action
from .data import Dataset
from .domain import ACTOR_LABELS
from .empty import filter_value, remove_action
from .i18n import N_, number, translations
from .state import BY_NAME, MAX_TOUR_STEPS, ViewState, href, to_query, tour_entry, tour_over, tour_step

KEYS = (
    ("← →", N_("previous / next territory, or tour step")),
    ("↑ ↓", N_("previous / next recommendation")),
    ("L", N_("switch language")),
    ("T", N_("next theme")),
    ("0", N_("reset")),
    ("F", N_("full screen")),
    ("Q", N_("enlarge the QR code")),
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
            public_addresses(state, url),
        ]),
    ]


def public_addresses(state: ViewState, url: str, found: tuple[str, ...] | None = None):
    """Under a link that only this machine can open (127.0.0.1, localhost): this machine's addresses on
    its networks (`found`, else read from its interfaces) to use instead, or that phones cannot reach it.
    When the server listens on every interface, each address opens this page there; else it is what to
    give ATLAS_PUBLIC_URL on the next start. None for any other link."""
    if not share.is_loopback(url):
        return None
    _ = translations(state.lang).gettext
    offered = share.offered_bases(url, found)
    host = urlsplit(url).hostname
    if not offered:
        return html.Div(id="public-addresses", className="public-addresses", role="note", children=html.P(
            _("Phones cannot reach this laptop: it has no address on a network."), className="mb-0"))
    query = to_query(state)
    if share.listens_everywhere():
        how = _("Open the Atlas at one of this machine's addresses, or set ATLAS_PUBLIC_URL to it:")
        items = [html.Li(html.A(base, href=base + (f"?{query}" if query else ""))) for base in offered]
    else:
        how = _("Start the Atlas again with HOST=0.0.0.0 and ATLAS_PUBLIC_URL set to one of this machine's addresses:")
        items = [html.Li(html.Code(base)) for base in offered]
    return html.Div(id="public-addresses", className="public-addresses", role="note", children=[
        # on the projector, the addresses alone: how to use them is for the presenter's own screen and log
        html.P([_("Phones cannot open %(host)s.") % {"host": host}, " ",
                html.Span(how, className="public-addresses-how")], className="mb-0"),
        html.Ul(items, className="list-unstyled mb-0")])


def tour_position(state: ViewState):
    """Where the tour stands, e.g. "Step 2 / 3", and on the step after the last that the tour is over;
    before its first step, in presenter mode, that → starts it. None with no tour running."""
    if not state.tour or (state.step is None and not state.present):
        return None
    lang = state.lang
    tr = translations(lang)
    _ = tr.gettext
    count = number(len(state.tour), lang)
    if state.step is None:
        text = tr.ngettext("Tour of %(n)s step: → starts it", "Tour of %(n)s steps: → starts it", len(state.tour)) % {"n": count}
    elif tour_over(state):
        text = _("Step %(step)s / %(n)s · The tour is over") % {"step": count, "n": count}
    else:
        text = _("Step %(step)s / %(n)s") % {"step": number(state.step + 1, lang), "n": count}
    return html.P(text, id="tour-position", className="tour-position" + (" tour-over" if tour_over(state) else ""),
                  **{"data-step": "" if state.step is None else str(state.step), "data-steps": str(len(state.tour))})


def active_filters(dataset: Dataset, state: ViewState):
    """The filters on, as chips under the panel's title (theme, actor, report, search), with their count;
    each chip turns its filter off. None with no filter on."""
    lang = state.lang
    tr = translations(lang)
    _ = tr.gettext
    chips = [(dataset.themes[t].label(lang), data_action("theme", theme=t)) for t in state.themes]
    chips += [(_(ACTOR_LABELS[a]), data_action("tick", name="actors", value=a, on=False)) for a in state.actors]
    # one value each: worded, and removed, as the empty view's list does (empty.py)
    chips += [(filter_value(dataset, state, name), remove_action(name)) for name in ("report", "q")
              if getattr(state, name) != BY_NAME[name].default]
    if not chips:
        return None
    label = tr.ngettext("%(n)s filter on", "%(n)s filters on", len(chips)) % {"n": number(len(chips), lang)}
    return html.Div(id="active-filters", className="active-filters", role="group", **{"aria-label": label}, children=[
        html.Span(label, className="active-filters-count"),
        *(html.Button([text, html.I(className="bi bi-x-lg ms-1", **{"aria-hidden": "true"})], type="button",
                      className="filter-chip", title=_("Remove this filter"), **action)
          for text, action in chips),
    ])


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
                        disabled=not state.tour or tour_over(state)),
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
        parts.append(_("“%(q)s”") % {"q": view.q})
    if view.tab != "map":
        parts.append(_("matrix") if view.tab == "matrix" else _("comparison"))
    return " · ".join(parts)
