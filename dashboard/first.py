"""The first answer to a page request: the view already drawn in the HTML, and what Dash would ask next.

A phone on a slow network would otherwise show nothing until Dash's scripts have arrived and run, asked
for the layout and the callbacks, and then asked the server for the view: three round trips after the
scripts. Instead, the HTML answer holds:

- the page of the link's view as static HTML (markup.py, in `#atlas-first`), in the page's language: the
  header, the map's frame and the panel's cards show as soon as the HTML and its styles have arrived;
- the same page as Dash's layout, and the app's callbacks, as JSON data blocks that
  assets/atlas/first.js hands to Dash's renderer instead of fetching them. React draws that layout in
  `#react-entry-point`, the islands (islands.py: the panel, the lists) are filled with their HTML, and
  first.js then removes the static copy (they match, so nothing moves);
- `<link rel=preload>`, at high priority, for the page's scripts first, then what the map needs: Dash's graph
  chunk, plotly's geo bundle (assets/atlas/plotly.js runs it as soon as it has come) and the boundaries,
  which plotly fetches when it draws.

Data blocks are `<script type="application/json">`: the browser never runs them, so the page's Content
Security Policy stays as strict. Their JSON escapes `<`, `>` and `&`, so no text of a view ends them.
"""
from __future__ import annotations

import json
import re
from html import escape

LAYOUT_ID = "atlas-layout"
DEPENDENCIES_ID = "atlas-dependencies"
STATIC_ID = "atlas-first"

# Dash's "Loading..." while React waits for the layout: the static page is on screen meanwhile.
STYLE = "<style>._dash-loading{display:none}</style>"


def json_block(element_id: str, data: str) -> str:
    """A JSON data block: never run, and no text inside can close it."""
    safe = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/json" id="{element_id}">{safe}</script>'


def layout_json(layout) -> str:
    from dash._utils import to_json

    return to_json(layout)


def dependencies_json(app) -> str:
    """The app's callbacks as Dash's `_dash-dependencies` answers them (the same for every page)."""
    from dash._utils import to_json

    return to_json(app._callback_list)


def shell(static_html: str, layout: str, dependencies: str, islands: list[str] = ()) -> str:
    """What goes where Dash puts its app entry: the static page (with the ids of its islands, whose
    elements React's page takes), React's mount point, the data blocks."""
    named = escape(json.dumps(list(islands), separators=(",", ":")))
    return (f'<div id="{STATIC_ID}" data-islands="{named}">{static_html}</div>\n'
            '<div id="react-entry-point"></div>\n'
            + json_block(LAYOUT_ID, layout) + json_block(DEPENDENCIES_ID, dependencies))


def scripts_of(scripts: str) -> list[tuple[str, str]]:
    """The page's scripts (Dash's bundles and assets/), in their order, to preload from the head: the
    browser then asks for them before the map's files, which it would otherwise ask for first."""
    return [(url, "script") for url in re.findall(r'<script src="([^"]+)"', scripts)]


def preloads(urls: list[tuple]) -> str:
    """<link rel=preload> for (url, as, and optionally a media query): the page's scripts and what the map
    fetches once they run, at high priority: on a slow network the map waits for the last of them, and
    the cards are already in the HTML."""
    return "".join(f'<link rel="preload" href="{escape(url)}" as="{kind}" fetchpriority="high"'
                   + (f' media="{escape(media[0])}"' if media else "")
                   + (' crossorigin="anonymous"' if kind == "fetch" else "") + ">" for url, kind, *media in urls)
