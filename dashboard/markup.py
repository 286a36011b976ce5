"""Dash component trees as the HTML React draws for them: the first answer's static page, and the parts
of the page that the browser draws as HTML (islands, dashboard/islands.py) rather than as React components.

Text and attribute values are escaped; a `raw` mapping gives, by element id, HTML already made this way
that goes inside that element (an island in a page)."""
from __future__ import annotations

import re
from html import escape

from dash.development.base_component import Component

# Elements with no closing tag.
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Props of Dash's html components that are not attributes.
NOT_ATTRIBUTES = {"children", "n_clicks", "n_clicks_timestamp", "disable_n_clicks", "loading_state", "key",
                  "setProps", "persistence", "persisted_props", "persistence_type"}
# React's names of attributes whose HTML name differs other than by case.
RENAMED = {"className": "class", "htmlFor": "for", "html_for": "for"}
BOOLEAN = {"hidden", "disabled", "checked", "open", "readOnly", "required", "multiple", "autoFocus", "selected"}
UNITLESS = {"opacity", "zIndex", "flex", "flexGrow", "flexShrink", "fontWeight", "lineHeight", "order", "zoom"}
TAGS = {"MapEl": "map", "ObjectEl": "object"}
# dcc components with no element of their own on the page.
INVISIBLE = {"Store", "Location", "Interval", "Download"}


class Markup(str):
    """HTML made by `to_html`: written as it is where a tree holds it, never escaped again."""

    __slots__ = ()


class _Out(list):
    """The HTML being written, in pieces, and the islands' HTML to put inside their elements."""

    def __init__(self, raw: dict[str, str] | None):
        super().__init__()
        self.raw = raw or {}


def to_html(node, raw: dict[str, str] | None = None) -> str:
    """A tree of Dash components as the HTML React renders for it (the dcc and dbc components this app
    uses drawn as their elements; the map's graph as its empty frame, which plotly fills later).
    `raw`: HTML, by element id, for elements of the tree that have no children of their own."""
    out = _Out(raw)
    _render(node, out)
    return "".join(out)


def _render(node, out: list[str]) -> None:
    if node is None or isinstance(node, bool):
        return
    if isinstance(node, (list, tuple)):
        for child in node:
            _render(child, out)
        return
    if isinstance(node, Markup):
        out.append(node)
        return
    if isinstance(node, Component):
        described = node.to_plotly_json()  # its props, data-* and aria-* included
    elif isinstance(node, dict) and "type" in node and "props" in node:
        described = node  # a component already in Dash's JSON form (as cached parts of the page are)
    else:
        out.append(escape(str(node), quote=False))
        return
    props = {name: value for name, value in described["props"].items() if value is not None}
    namespace, kind = described["namespace"], described["type"]
    if namespace == "dash_html_components":
        children = props.get("children")
        if kind == "Select" and props.get("data-value") is not None:
            children = _chosen(children, props["data-value"])
        _element(TAGS.get(kind, kind.lower()), props, children, out)
    elif namespace == "dash_core_components":
        _core(kind, props, out)
    elif namespace == "dash_bootstrap_components":
        _bootstrap(kind, props, out)


def _chosen(options, value) -> list:
    """A list's options, the one of `value` marked selected: the static page shows the choice that
    assets/atlas/actions.js gives the list React draws (from its data-value)."""
    marked = []
    for option in options if isinstance(options, (list, tuple)) else [options]:
        described = option.to_plotly_json() if isinstance(option, Component) else option
        if isinstance(described, dict) and described.get("props", {}).get("value") == value:
            described = {**described, "props": {**described["props"], "selected": True}}
        marked.append(described)
    return marked


def _attributes(props: dict) -> str:
    parts = []
    for name, value in props.items():
        if name in NOT_ATTRIBUTES or value is None or value is False:
            continue
        attribute = RENAMED.get(name) or (name if "-" in name else name.lower())
        if name == "style" and isinstance(value, dict):
            value = _style(value)
        elif value is True:
            value = "" if name in BOOLEAN else "true"
        elif not isinstance(value, (str, int, float)):
            continue
        text = str(value)
        # a value with a double quote and no single one (JSON in a data-action, or any text) goes in single
        # quotes, which spares a &quot; for each "; other values are escaped whole, in double quotes
        if '"' in text and "'" not in text:
            parts.append(f" {attribute}='{escape(text, quote=False)}'")
        else:
            parts.append(f' {attribute}="{escape(text)}"')
    return "".join(parts)


def _style(style: dict) -> str:
    def css(name: str) -> str:
        return re.sub(r"[A-Z]", lambda m: "-" + m.group(0).lower(), name)

    return " ".join(f"{css(k)}: {v if isinstance(v, str) or k in UNITLESS else f'{v}px'};"
                    for k, v in style.items())


def _element(tag: str, props: dict, children, out: list[str]) -> None:
    out.append(f"<{tag}{_attributes(props)}>")
    if tag in VOID:
        return
    if children is None and props.get("id") in out.raw:
        out.append(out.raw[props["id"]])
    _render(children, out)
    out.append(f"</{tag}>")


def _classes(*names) -> str | None:
    return " ".join(n for n in names if n) or None


def _core(kind: str, props: dict, out: list[str]) -> None:
    if kind in INVISIBLE:
        return
    if kind == "Graph":  # its frame, at its size: plotly draws inside once its bundle has come
        _element("div", {"id": props.get("id"), "className": _classes("dash-graph", props.get("className")),
                         "style": props.get("style")}, None, out)
    elif kind == "Link":  # data-link: followed inside the page as dcc.Link is (assets/atlas/islands.js)
        _element("a", {"id": props.get("id"), "className": props.get("className"), "href": props.get("href"),
                       "title": props.get("title"), "data-link": ""}, props.get("children"), out)
    else:  # any other: an empty box of its class, drawn by React
        _element("div", {"id": props.get("id"), "className": _classes(f"dash-{kind.lower()}", props.get("className"))},
                 None, out)


def _bootstrap(kind: str, props: dict, out: list[str]) -> None:
    own = {k: v for k, v in props.items() if k.startswith(("aria-", "data-")) or k in ("id", "style", "title")}
    if kind == "Row":
        _element("div", own | {"className": _classes(props.get("className"), "row")}, props.get("children"), out)
    elif kind == "Col":
        sizes = [f"col-{size}-{props[size]}" for size in ("xxl", "xl", "lg", "md", "sm") if props.get(size)]
        width = [f"col-{props['width']}" if props.get("width") else None]
        _element("div", own | {"className": _classes(props.get("className"), *sizes, *width,
                                                      None if sizes or width[0] else "col")},
                 props.get("children"), out)
    elif kind == "Label":
        _element("label", own | {"className": _classes(props.get("className"), "form-label"),
                                 "htmlFor": props.get("html_for")}, props.get("children"), out)
    elif kind == "Input":
        _element("input", own | {"type": props.get("type"), "className": _classes(props.get("className"), "form-control"),
                                 "placeholder": props.get("placeholder"), "maxLength": props.get("maxLength"),
                                 "value": props.get("value") or None}, None, out)
    elif kind in ("Checklist", "RadioItems"):
        _choices(kind, props, own, out)
    elif kind == "Alert":
        colour = props.get("color") or "success"
        classes = _classes(props.get("className"), "alert", f"alert-{colour}",
                           "alert-dismissible" if props.get("dismissable") else None, "fade show")
        out.append(f"<div{_attributes(own | {'role': 'alert', 'className': classes})}>")
        _render(props.get("children"), out)
        if props.get("dismissable"):
            out.append('<button type="button" class="btn-close" aria-label="Close"></button>')
        out.append("</div>")
    else:
        _element("div", own | {"className": props.get("className")}, props.get("children"), out)


def _choices(kind: str, props: dict, own: dict, out: list[str]) -> None:
    """dbc's tick boxes and radio buttons: a row per option, the input then its label."""
    radio = kind == "RadioItems"
    value = props.get("value")
    chosen = (lambda v: v == value) if radio else (lambda v: v in (value or []))
    prefix = f"_dbcprivate_{'radioitems' if radio else 'checklist'}_{props.get('id')}_input_"
    out.append(f"<div{_attributes(own | {'className': props.get('className')})}>")
    for option in props.get("options") or []:
        if not isinstance(option, dict):
            option = {"label": option, "value": option}
        checked = chosen(option.get("value"))
        input_id = f"{prefix}{option.get('value')}"
        row = _classes("form-check", "form-check-inline" if props.get("inline") else None)
        out.append(f'<div class="{escape(row)}">')
        _element("input", {"id": input_id, "name": props.get("name") if radio else None,
                           "className": _classes("form-check-input", props.get("inputClassName")),
                           "type": "radio" if radio else "checkbox", "value": str(option.get("value")),
                           "checked": checked or None, "disabled": option.get("disabled") or None}, None, out)
        _element("label", {"className": _classes("form-check-label", props.get("labelClassName"),
                                                 props.get("labelCheckedClassName") if checked else None),
                           "htmlFor": input_id}, option.get("label"), out)
        out.append("</div>")
    out.append("</div>")


