"""What the panel says when a view matches nothing: a territory that no recommendation is addressed to,
or the filters that leave nothing, each with a button that removes it (the same queued action as
emptying its control)."""
from __future__ import annotations

from babel.lists import format_list
from dash import html

from . import queries
from .actions import data_action
from .data import Dataset
from .domain import ACTOR_LABELS
from .i18n import N_, number, translations
from .state import BY_NAME, ViewState

# What names each filter of the registry (state.FILTERS) in the sentence that blames it.
FILTER_LABELS = {"territory": N_("Territory"), "actors": N_("Who must act"), "themes": N_("Theme"),
                 "report": N_("Report"), "q": N_("Search")}


def empty_state(dataset: Dataset, state: ViewState) -> html.Div:
    """The panel's message for a view with no match (`.empty-state`). A territory with no recommendation
    at all says exactly that, whatever the filters; otherwise the filters that leave nothing are named
    (queries.blamed), each with a button that removes it and what it would then show."""
    lang = state.lang
    tr = translations(lang)
    _ = tr.gettext
    if state.territory and state.territory not in dataset.mapped_codes:
        name = dataset.territories[state.territory].name(lang)
        return html.Div(id="empty-state", className="empty-state", **{"data-empty": "territory"}, children=[
            html.P(_("No recommendation is addressed to %(name)s.") % {"name": name}, className="fw-semibold mb-1"),
            html.P(_("The reports address recommendations to:"), className="small mb-1"),
            html.Ul(className="list-unstyled d-flex flex-wrap gap-2 mb-0", children=[
                html.Li(html.Button(dataset.territories[c].name(lang), type="button",
                                    className="btn btn-sm btn-outline-primary", **data_action("territory", code=c)))
                for c in sorted(dataset.mapped_codes, key=lambda c: dataset.territories[c].name(lang))]),
        ])
    without = queries.without_each_filter(dataset.recommendations, state)  # one filtering pass per filter
    blamed = queries.blamed(without)
    if state.territory:
        title = _("No recommendation addressed to %(name)s matches these filters.") % {
            "name": dataset.territories[state.territory].name(lang)}
    else:
        title = _("No recommendation matches these filters.")
    children = [html.P(title, className="fw-semibold mb-1")]
    if blamed:
        alone = any(without[name] for name in blamed)
        children.append(html.P(_("Remove one of these filters to see recommendations again:") if alone else
                               _("Together these filters leave nothing; remove several of them:"), className="small mb-1"))
        children.append(html.Ul(className="list-unstyled mb-2 empty-filters", children=[
            _blamed_filter(dataset, state, name, without[name]) for name in blamed]))
    if not state.territory and len(without) > 1:
        children.append(html.Button([html.I(className="bi bi-arrow-counterclockwise me-1", **{"aria-hidden": "true"}),
                                     _("Reset all")], id="empty-reset", type="button",
                                    className="btn btn-sm btn-outline-secondary", **data_action("reset")))
    return html.Div(id="empty-state", className="empty-state", **{"data-empty": "filters"}, children=children)


def filter_value(dataset: Dataset, state: ViewState, name: str) -> str:
    """What an active filter holds, in words: "Companies and private sector", "Children or Health", "“abc”"."""
    lang = state.lang
    _ = translations(lang).gettext
    value = getattr(state, name)
    if name == "actors":
        return format_list([_(ACTOR_LABELS[a]) for a in value], style="or", locale=lang)
    if name == "themes":
        return format_list([dataset.themes[t].label(lang) for t in value], style="or", locale=lang)
    if name == "report":
        return _("Report %(n)s") % {"n": value}
    if name == "q":
        return _("“%(q)s”") % {"q": value}
    if name == "territory":
        return dataset.territories[value].name(lang)
    return str(value)


def remove_action(name: str) -> dict:
    """The attribute of a button that removes one filter: what emptying its control sends, or, for the
    territory, what "Clear" sends."""
    param = BY_NAME[name]
    if param.control is None:
        return data_action("clear") if name == "territory" else {}
    return data_action("set", name=name, value=param.shown(param.default))


def _blamed_filter(dataset: Dataset, state: ViewState, name: str, without: int) -> html.Li:
    lang = state.lang
    tr = translations(lang)
    _ = tr.gettext
    label = _(FILTER_LABELS.get(name, name))
    value = filter_value(dataset, state, name)
    described = _("%(filter)s: %(value)s") % {"filter": label, "value": value}
    return html.Li(className="d-flex flex-wrap align-items-center gap-2 mb-1", **{"data-filter": name}, children=[
        html.Span(described, className="fw-semibold"),
        html.Span(tr.ngettext("without it: %(n)s recommendation", "without it: %(n)s recommendations", without)
                  % {"n": number(without, lang)}, className="small text-body-secondary"),
        html.Button([html.I(className="bi bi-x-lg me-1", **{"aria-hidden": "true"}), _("Remove")],
                    id=f"remove-filter-{name}", type="button", className="btn btn-sm btn-primary",
                    title=_("Remove the filter %(filter)s") % {"filter": described},
                    **{"aria-label": _("Remove the filter %(filter)s") % {"filter": described}}, **remove_action(name)),
    ])
