"""The lists the page repeats after most actions: the filter options (drawn once per language) and their
counts, the territory buttons under the map and the screen readers' table of the map. The options are
cached as the plain data Dash sends; views.py keeps the counts, the buttons and the table as their
islands' HTML, since the same few come back on every request."""
from __future__ import annotations

from functools import lru_cache

from babel.lists import format_list
from dash import html

from . import queries
from .actions import data_action
from .components import count_badge, plain
from .data import Dataset
from .domain import ACTOR_LABELS, ACTORS
from .i18n import number, translations
from .state import ViewState


def territory_table(dataset: Dataset, counts: dict[str, int], lang: str) -> html.Table:
    """The map's information as a table, for screen readers: the territories with a recommendation.
    (views.py keeps its HTML by the filters it counts under.)"""
    _ = translations(lang).gettext
    codes = sorted((c for c, n in counts.items() if n), key=lambda c: dataset.territories[c].name(lang))
    return html.Table(className="visually-hidden", children=[
        html.Caption(_("Recommendations per territory under the current filters")),
        html.Thead(html.Tr([html.Th(_("Territory"), scope="col"), html.Th(_("Recommendations"), scope="col")])),
        html.Tbody([html.Tr([html.Th(dataset.territories[c].name(lang), scope="row"), html.Td(number(counts[c], lang))])
                    for c in codes]),
    ])


@lru_cache(maxsize=16)
def actor_options(lang: str) -> list[dict]:
    """The actors' boxes, each with the place of its count (counts)."""
    _ = translations(lang).gettext
    return [{"label": _labelled(_(ACTOR_LABELS[a]), count_id("actors", a)), "value": a} for a in ACTORS]


@lru_cache(maxsize=16)
def theme_options(dataset: Dataset, lang: str) -> list[dict]:
    return [{"label": _labelled(theme.label(lang), count_id("themes", tid), title=theme.definition(lang)), "value": tid}
            for tid, theme in dataset.themes.items()]


@lru_cache(maxsize=16)
def report_options(dataset: Dataset, lang: str) -> list[dict]:
    _ = translations(lang).gettext
    options = [{"label": _("All reports"), "value": "all"}]
    for report in dataset.reports:
        names = format_list([dataset.territories[c].name(lang) for c in dataset.partners[report]], locale=lang)
        label = _("Report %(n)s: %(partners)s") % {"n": report, "partners": names}
        options.append({"label": _labelled(label, count_id("report", report)), "value": str(report)})
    return options


def count_id(name: str, value) -> str:
    """The id of the badge that shows how many recommendations a filter's option would give."""
    return f"count-{name}-{value}"


def counts(facts: queries.Summary, lang: str) -> dict[str, str]:
    """The filter options' counts under the other filters, by the id of their badge: the options stay
    as they are drawn, and only these numbers change (drawn as islands, islands.py)."""
    return {**{count_id("actors", a): number(n, lang) for a, n in facts.actor_counts.items()},
            **{count_id("themes", t): number(n, lang) for t, n in facts.theme_counts.items()},
            **{count_id("report", r): number(n, lang) for r, n in facts.report_counts.items()}}


def _labelled(label: str, badge_id: str, title: str | None = None) -> dict:
    """A label and the badge of its count, which is filled in the browser."""
    return plain(html.Span(title=title, children=[label, " ", html.Span(id=badge_id, className="badge rounded-pill count-badge")]))


def theme_note(lang: str) -> html.P:
    """Under the theme boxes: how ticked themes combine, and what their numbers count, which is not what the
    overview's "By theme" counts (the themes among the matches)."""
    _ = translations(lang).gettext
    return html.P(_("Ticked themes combine as “any of”. The number beside a theme counts its recommendations "
                    "under the other filters, not among the matches."),
                  id="theme-filter-note", className="small text-body-secondary mb-0 mt-1")


def territory_list(dataset: Dataset, state: ViewState, counts: dict[str, int]) -> html.Ul:
    """Buttons that do what a map click does, for keyboards and screen readers."""
    lang = state.lang
    tr = translations(lang)
    items = []
    for code in queries.listed_territories(dataset, state, counts):
        items.append(_territory_item(dataset, code, counts.get(code, 0), code == state.territory, lang))
    if not items:
        return html.P(tr.gettext("No territory matches these filters."), className="text-body-secondary")
    return html.Ul(items, className="list-unstyled d-flex flex-wrap gap-2 mb-0")


@lru_cache(maxsize=8192)
def _territory_item(dataset: Dataset, code: str, n: int, selected: bool, lang: str) -> dict:
    """One button of the territory list, as plain JSON-ready data: the list is sent again after most
    actions, with mostly the same buttons."""
    tr = translations(lang)
    return plain(html.Li(html.Button(
        id=f"territory-{code}",
        className="btn btn-sm territory-item " + ("btn-primary" if selected else "btn-outline-primary"),
        **{"aria-pressed": "true" if selected else "false", "data-code": code}, **data_action("territory", code=code),
        title=tr.ngettext("%(n)s recommendation", "%(n)s recommendations", n) % {"n": number(n, lang)},
        children=[dataset.territories[code].name(lang), " ", count_badge(n, lang)],
    )))
