"""Small pieces that the panel, the filters, the brief and the comparison all show the same way."""
from __future__ import annotations

from dash import html
from dash.development.base_component import Component

from .domain import ACTOR_LABELS
from .i18n import number, translations


def count_badge(count: int, lang: str) -> html.Span:
    """A count in a pill after a label: a filter option, a territory button, an actor or theme total."""
    return html.Span(number(count, lang), className="badge rounded-pill count-badge")


def rec_label(rec, lang: str) -> str:
    """A recommendation's number and report, e.g. "No. 17 · Report 1": only where its actor is named beside
    it (a card's badge, the brief's actor headings), since numbers start again in each actor's section."""
    _ = translations(lang).gettext
    return _("No. %(number)s · Report %(report)s") % {"number": rec.number, "report": rec.report}


def rec_name(rec, lang: str) -> str:
    """What names a recommendation in a list that mixes actors: who must act, its number and its report,
    e.g. "National and local institutions No. 17 · Report 1"."""
    _ = translations(lang).gettext
    return _("%(actor)s No. %(number)s · Report %(report)s") % {
        "actor": _(ACTOR_LABELS[rec.actor]), "number": rec.number, "report": rec.report}


def plain(node):
    """A component tree as the nested dicts Dash sends to the browser: what a cache keeps, so that a
    piece repeated across answers is built once."""
    if isinstance(node, Component):
        data = node.to_plotly_json()
        data["props"] = {key: plain(value) for key, value in data["props"].items()}
        return data
    if isinstance(node, (list, tuple)):
        return [plain(child) for child in node]
    return node
