"""What the reports are about, shared by the data, the importer and the page: who must act, and how a
recommendation is named."""
from __future__ import annotations

from .i18n import N_

# The three sections of every report, in the reports' own order.
ACTORS = ("international", "national", "private")
ACTOR_LABELS = {
    "international": N_("International authorities"),
    "national": N_("National and local institutions"),
    "private": N_("Companies and private sector"),
}
ACTOR_ICONS = {"international": "bi-globe2", "national": "bi-bank", "private": "bi-building"}
# The order of a territory's panel and brief: what its own institutions must do comes first.
PANEL_ORDER = ("national", "international", "private")


def in_lang(record, field: str, lang: str) -> str:
    """A bilingual record's `<field>_fr` in French and its `<field>_en` in any other language."""
    return getattr(record, f"{field}_fr" if lang == "fr" else f"{field}_en")


def recommendation_id(report: int, actor: str, codes: tuple[str, ...], number: int) -> str:
    """The stable id of a recommendation, e.g. `r1-fra-17`, `r2-int-3`, `r1-nat-pri-2`."""
    section = {"international": "int", "private": "pri"}.get(actor) or "-".join(c.lower() for c in codes)
    if actor == "national" and section in ("int", "pri"):
        section = "nat-" + section  # Puerto Rico (PRI) must not take the private sector's ids
    return f"r{report}-{section}-{number}"
