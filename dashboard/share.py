"""Links and QR codes for sharing a view; the QR code is made here, offline, with no web service."""
from __future__ import annotations

import os
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

import segno

from .state import ViewState, to_query

PUBLIC_URL_ENV = "ATLAS_PUBLIC_URL"


def public_base(request_root: str) -> str:
    """The public address of the Atlas: ATLAS_PUBLIC_URL when set (a projector laptop's own address
    means nothing to a phone), else the address the page was requested at."""
    base = (os.environ.get(PUBLIC_URL_ENV) or "").strip() or request_root.strip()
    if "://" not in base:
        base = "http://" + base  # "192.168.1.5:8050" is what people type; a phone needs the scheme to open it
    parts = urlsplit(base)  # a query or fragment in the setting would swallow the view's own query
    return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/") + "/", "", ""))


def view_url(state: ViewState, base: str) -> str:
    """The URL an audience opens: the view, without presenter mode or the tour."""
    query = to_query(state, view_only=True)
    return base + (f"?{query}" if query else "")


@lru_cache(maxsize=512)
def qr_data_uri(url: str) -> str:
    """A PNG QR code of the URL as a data: URI (error correction M survives a projector's glare)."""
    return segno.make(url, error="m").png_data_uri(scale=8, border=4)
