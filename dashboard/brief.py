"""A printable brief of a territory (shown only by the print stylesheet): its counts, a map of where it is,
every matching recommendation and where they come from."""
from __future__ import annotations

from babel.lists import format_list
from dash import html
from dash.development.base_component import Component

from .components import rec_label
from .data import Dataset
from .domain import ACTOR_LABELS, PANEL_ORDER
from .i18n import number, translations
from .locator import locator_uri
from .queries import Summary
from .text import french_spacing

# Body text in points, from the length of what the brief lists: never under 10 pt, and as large as the pages
# it needs allow, so that a short brief fills its page and a long one its second page. The estimate of the
# height (in A4 pages at 10 pt, with the stylesheet's columns) was measured on the six territories' briefs.
SIZES = (12.0, 11.5, 11.0, 10.5, 10.0)
FIXED, PER_CHARACTER = 0.49, 0.00024  # the head, counts and source; the recommendations' text
FULL = (0.93, 1.8)  # how much of one page, or of two, a brief may fill before it needs another


def text_size(characters: int) -> float:
    """The body size in points of a brief whose recommendations hold `characters` characters."""
    height = FIXED + PER_CHARACTER * characters  # at 10 pt; it grows with the square of the size
    room = next((full for full in FULL if height <= full), FULL[-1])
    return next((size for size in SIZES if height * (size / 10) ** 2 <= room), SIZES[-1])


def _actor_group(dataset: Dataset, ids: tuple[str, ...], actor: str, lang: str) -> list:
    """A heading and the recommendations of one actor (nothing when it has none)."""
    _ = translations(lang).gettext
    if not ids:
        return []
    return [
        html.H3(f"{_(ACTOR_LABELS[actor])} ({number(len(ids), lang)})"),
        html.Ul(className="brief-recs", children=[
            html.Li([html.Strong(rec_label(rec, lang) + " "), rec.text(lang)], **{"data-rec-id": rec.id})
            for rec in map(dataset.by_id.__getitem__, ids)
        ]),
    ]


def _filters(dataset: Dataset, state):
    """A line naming the filters in force, so that a printed page never passes for the whole picture."""
    lang = state.lang
    _ = translations(lang).gettext
    parts = []
    if state.actors:
        parts.append(format_list([_(ACTOR_LABELS[a]) for a in state.actors], style="or", locale=lang))
    if state.themes:
        parts.append(format_list([dataset.themes[t].label(lang) for t in state.themes], style="or", locale=lang))
    if state.report is not None:
        parts.append(_("Report %(n)s") % {"n": state.report})
    if state.q:
        parts.append(_("search “%(q)s”") % {"q": state.q})
    if not parts:
        return None
    return html.P(className="brief-filters", children=[html.Strong(_("Filtered by:")), " ", "; ".join(parts)])


def _counts(title: str, rows: list[tuple[str, int]], lang: str, class_name: str) -> html.Div:
    """A heading and a list of "label: count" rows, laid out by the stylesheet in a grid, so that no two
    columns run into each other."""
    return html.Div(className=class_name, children=[
        html.H2(title),
        html.Ul(className="brief-count-list", children=[
            html.Li([html.Span(f"{label}:\u00a0"), html.Strong(number(n, lang))]) for label, n in rows]),  # no count alone on a line
    ])


def _sources(dataset: Dataset, reports, lang: str) -> list[str]:
    """Each report by its number and the partners' territories, as the recommendations' labels name it."""
    _ = translations(lang).gettext
    return [_("Report %(n)s: partner report (%(territories)s)") % {"n": r, "territories": format_list(
        [dataset.territories[c].name(lang) for c in dataset.partners[r]], locale=lang)} for r in reports]


def typeset(node, lang: str):
    """A component tree with its text set in the language's typography: in French, a narrow no-break space
    before : ; ! and ?."""
    if lang != "fr":
        return node
    if isinstance(node, str):
        return french_spacing(node)
    if isinstance(node, (list, tuple)):
        return [typeset(child, lang) for child in node]
    if isinstance(node, Component) and getattr(node, "children", None) is not None:
        node.children = typeset(node.children, lang)
    return node


def brief(dataset: Dataset, state, facts: Summary, url: str, qr_src: str) -> html.Section:
    """The brief lists every match: `facts` must be a summary whose limit reaches its total."""
    if facts.shown < facts.total:
        raise ValueError("a brief lists every match: make its summary with a limit of at least the total")
    lang = state.lang
    tr = translations(lang)
    _ = tr.gettext
    territory = dataset.territories[state.territory]
    name = territory.name(lang)
    by_actor, by_theme = facts.matching_actor_counts, facts.matching_theme_counts
    groups = [part for actor in PANEL_ORDER for part in _actor_group(dataset, facts.ids_by_actor[actor], actor, lang)]
    characters = sum(len(dataset.by_id[i].text(lang)) for actor in PANEL_ORDER for i in facts.ids_by_actor[actor])
    map_src = locator_uri(dataset.data_dir, state.territory)
    section = html.Section(id="brief", className="brief", lang=lang, style={"--brief-size": f"{text_size(characters)}pt"}, children=[
        html.Div(className="brief-head", children=[
            html.Div(className="brief-title", children=[
                html.H1(_("%(territory)s: recommendations against human trafficking and sexual exploitation")
                        % {"territory": name}),
                html.P(tr.ngettext("%(n)s recommendation matches", "%(n)s recommendations match", facts.total)
                       % {"n": number(facts.total, lang)}, className="brief-total"),
                _filters(dataset, state),
                _counts(_("By actor"), [(_(ACTOR_LABELS[a]), by_actor[a]) for a in PANEL_ORDER], lang, "brief-by-actor"),
            ]),
            html.Img(src=map_src, className="brief-map", alt=_("Map of %(territory)s and its surroundings") % {
                "territory": name}) if map_src else None,
        ]),
        _counts(_("By theme"), [(dataset.themes[tid].label(lang), n) for tid, n in by_theme.items() if n], lang,
                "brief-by-theme"),
        html.H2(_("Recommendations")),
        *groups,
        html.Div(className="brief-foot", children=[
            html.Div(className="brief-source", children=[
                html.H2(_("Source")), html.Ul([html.Li(s) for s in _sources(dataset, facts.matching_reports, lang)])]),
            html.Div(className="brief-link", children=[
                html.Img(src=qr_src, alt="", className="brief-qr") if qr_src else None,  # none for a URL too long for a QR code
                html.P([_("This view online:"), " ", html.Span(url, className="brief-url")]),
            ]),
        ]),
    ])
    return typeset(section, lang)
