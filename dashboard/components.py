"""Small pieces that the panel, the filters, the brief and the comparison all show the same way."""
from __future__ import annotations

from dash import html

from .i18n import number, translations


def count_badge(count: int, lang: str) -> html.Span:
    """A count in a pill after a label: a filter option, a territory button, an actor or theme total."""
    return html.Span(number(count, lang), className="badge rounded-pill count-badge")


def rec_label(rec, lang: str) -> str:
    """What names a recommendation in any list: its number and its report, e.g. "No. 17 · Report 1"."""
    _ = translations(lang).gettext
    return _("No. %(number)s · Report %(report)s") % {"number": rec.number, "report": rec.report}
