"""Response headers and error pages: a strict CSP and its companions, HSTS over HTTPS only, no
server version, and a 404 page in the reader's language instead of the app for unknown paths."""
from __future__ import annotations

import os
from html import escape

import flask
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from .i18n import LANGS, N_, preferred_lang, translations

TRUST_PROXY_ENV = "ATLAS_TRUST_PROXY"  # how many proxies in front set X-Forwarded-Proto/-For (default none)
SERVER_NAME = "Atlas"
HSTS = "max-age=31536000"
# Fullscreen stays ours (presenter mode's F key); nothing else the page never uses may be asked for.
PERMISSIONS = ", ".join(f"{feature}=()" for feature in (
    "accelerometer", "autoplay", "camera", "display-capture", "geolocation", "gyroscope", "magnetometer",
    "microphone", "midi", "payment", "publickey-credentials-get", "usb", "xr-spatial-tracking",
)) + ", fullscreen=(self)"

NOT_FOUND_TITLE = N_("Page not found")
NOT_FOUND_TEXT = N_("There is nothing at this address. The Atlas itself is one click away.")
NOT_FOUND_LINK = N_("Back to the Atlas")
SERVER_ERROR = "The Atlas hit an unexpected error. Please reload the page."


def content_security_policy(app) -> str:
    """Nothing from outside this origin, and only our own inline scripts (by hash)."""
    return "; ".join([
        "default-src 'self'",
        "script-src 'self' " + " ".join(app.csp_hashes()),
        "style-src 'self' 'unsafe-inline'",  # plotly and React set inline styles
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'self'",
    ])


def install(app) -> None:
    server = app.server
    policy = content_security_policy(app)
    proxies = _proxy_count()
    if proxies:  # only then are X-Forwarded-* headers believed: anyone can send them
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=proxies, x_proto=proxies)

    every = (("Content-Security-Policy", policy), ("X-Content-Type-Options", "nosniff"),
             ("Referrer-Policy", "same-origin"),
             ("X-Frame-Options", "SAMEORIGIN"),  # as frame-ancestors 'self', for older browsers
             ("Permissions-Policy", PERMISSIONS))
    secure = (*every, ("Strict-Transport-Security", HSTS))

    @server.after_request
    def security_headers(response: flask.Response) -> flask.Response:
        """Each header, unless the response set its own (one look at the headers it has)."""
        headers = response.headers
        present = {name.lower() for name, _value in headers.items()}
        headers.extend([(name, value) for name, value in (secure if flask.request.is_secure else every)
                        if name.lower() not in present])
        return response

    # Dash answers every unknown path with the app; an unknown path is a mistyped link, so say so.
    catchall = app.config.routes_pathname_prefix + "<path:path>"
    if catchall in server.view_functions:
        server.view_functions[catchall] = lambda path: not_found_page(404)

    @server.errorhandler(404)
    def not_found(_error):
        return not_found_page(404)

    @server.errorhandler(500)
    def server_error(_error):
        return flask.Response(SERVER_ERROR, status=500, mimetype="text/plain")

    @server.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code == 404:
            return not_found_page(404)
        # one sentence, never Werkzeug's page naming its internals
        return flask.Response(f"{error.code} {error.name}.\n", status=error.code or 400, mimetype="text/plain",
                              headers=dict(error.get_headers()) | {"Content-Type": "text/plain; charset=utf-8"})


def _proxy_count() -> int:
    value = (os.environ.get(TRUST_PROXY_ENV) or "").strip()
    return int(value) if value.isdigit() else 0


def page_lang(request: flask.Request) -> str:
    """The `lang` parameter when it names a language of the Atlas, else the browser's choice."""
    asked = request.args.get("lang", "")
    if asked in LANGS:
        return asked
    return preferred_lang(request.headers.get("Accept-Language"))  # as the app itself negotiates


def not_found_page(status: int) -> flask.Response:
    lang = page_lang(flask.request)
    _ = translations(lang).gettext
    home = flask.request.script_root + "/" + ("?lang=fr" if lang == "fr" else "")
    page = (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head><meta charset="utf-8"><link rel="icon" href="data:,">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(_(NOT_FOUND_TITLE))} · Atlas</title>"
            '<link rel="stylesheet" href="/assets/bootstrap.min.css"></head>\n'
            '<body><main class="container py-5">'
            f"<h1>{escape(_(NOT_FOUND_TITLE))}</h1><p>{escape(_(NOT_FOUND_TEXT))}</p>"
            f'<p><a class="btn btn-primary" href="{escape(home)}">{escape(_(NOT_FOUND_LINK))}</a></p>'
            "</main></body>\n</html>\n")
    return flask.Response(page, status=status, mimetype="text/html")
