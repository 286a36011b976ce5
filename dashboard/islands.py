"""Parts of the page that the browser draws as HTML, not as React components: islands.

A territory's panel is hundreds of elements (its cards). As Dash components, the server would send them
as JSON trees and React would build them one by one, on every click and on a phone's first page. As
islands, each part is HTML made once (dashboard/markup.py, kept by views.py for the views a room asks
for again), sent as one string, and drawn with `innerHTML` by assets/atlas/islands.js.

The page holds each island as an empty element of its id, which React draws and never fills, and one
store, `islands`, with the HTML of every island the page or the last answer drew. Nothing inside an
island is a Dash component: its buttons and links act through data-action attributes
(assets/atlas/actions.js) and plain event handlers.
"""
from __future__ import annotations

import json
from functools import lru_cache
from html import escape

import orjson
from dash import dcc
from plotly.io import json as pio_json

from .markup import Markup, to_html

STORE_ID = "islands"
DRAWN_ID = "islands-drawn"  # how many times the islands were drawn (assets/atlas/islands.js)

# views.render's parts drawn as islands: the element each one fills.
ISLANDS = {
    "panel": "side-panel-wrap", "list": "territory-list", "share": "share-box", "tour": "tour-box",
    "analysis": "analysis-wrap", "table": "territory-table", "tour_position": "tour-position-wrap",
    "sheet_summary": "sheet-summary", "filter_count": "filters-count", "brief": "brief-wrap",
}


# views.render's parts that are many small islands: text by the id of its element (the filters' counts).
TEXTS = {"counts"}


def drawn(parts: dict) -> dict[str, str]:
    """The HTML of the islands among `parts` (views.render's, by name), by the id of their element."""
    found = {ISLANDS[name]: html(part) for name, part in parts.items() if name in ISLANDS}
    for name in TEXTS & parts.keys():
        found.update({element: escape(text) for element, text in parts[name].items()})
    return found


def answer(parts: dict) -> orjson.Fragment | dict | None:
    """The islands among `parts` as a callback answers them: the JSON of `drawn`, each island's HTML
    encoded once (`encoded`) for every answer that sends it. None when no island is among them.

    Dash writes an answer with plotly's writer, orjson (a dependency of the Atlas), which copies a
    fragment as it is, then escapes every <, > and / of the whole text: for a territory's 62 KB answer,
    mostly the islands' tags, that took 0.24 ms of its ~1.2 ms. With the islands written already it takes
    0.09 ms. A writer told to use Python's json (plotly.io.json.config) gets `drawn` itself."""
    found = drawn(parts)
    if not found:
        return None
    if pio_json.config.default_engine not in ("auto", "orjson"):  # "auto" is orjson, which is installed
        return found
    return orjson.Fragment(b"{" + b",".join(encoded(element) + b":" + encoded(text)
                                            for element, text in found.items()) + b"}")


# How Dash writes a string in an answer (plotly.io.json.to_json_plotly): with <, > and / escaped, so that
# the JSON is safe inside HTML. Here also in ASCII (\u escapes, as JSON allows): one character beyond
# Latin-1 (a typographic apostrophe) makes Python hold the whole answer at 2 bytes a character, which
# escaping the rest of the answer then reads 2.5 times slower.
_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "/": "\\u002f"})
LONG = 1024  # characters: an island's HTML, not an element's id or a count


def encoded(text: str) -> bytes:
    """A string as JSON in a callback's answer, as plotly's writer would escape it (and in ASCII): the
    HTML of the islands a room asks for again is escaped once, not on every answer. Short strings (ids,
    counts) are kept apart, so that they never push a panel out."""
    return (_encoded_long if len(text) >= LONG else _encoded_short)(text)


def _encode(text: str) -> bytes:
    return json.dumps(text).translate(_SAFE).encode("ascii")


# The last 256 islands' HTML (the keys, kept alive here too) and their JSON: a panel of 200 cards at
# 100,000 recommendations is ~250 KB of each, so at most ~130 MB; a territory's panel from the seed, ~50 KB.
_encoded_long = lru_cache(maxsize=256)(_encode)
_encoded_short = lru_cache(maxsize=4096)(_encode)


def html(part) -> Markup:
    """A part as the HTML of its island: made once, and kept as it is when it is HTML already."""
    return part if isinstance(part, Markup) else Markup(to_html(part))


def stores(parts: dict) -> list[dcc.Store]:
    """The page's store of its islands' HTML, from every part of its view, and the count of draws."""
    return [dcc.Store(id=STORE_ID, data=drawn(parts)), dcc.Store(id=DRAWN_ID, data=0)]


def of_page(page) -> dict[str, str]:
    """The islands' HTML that a page (views.page) holds in its store."""
    store = _store_of(page)
    return store.data if store is not None else {}


def leave_to_static(page) -> None:
    """Empty a page's store of islands: its islands are in the first answer's static copy already, whose
    elements assets/atlas/first.js moves into React's page."""
    store = _store_of(page)
    if store is not None:
        store.data = {}


def _store_of(page):
    return next((child for child in page.children if getattr(child, "id", None) == STORE_ID), None)
