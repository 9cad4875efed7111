"""Error responses: JSON for the API and oEmbed, an HTML page with the security headers elsewhere.

The handler must never fail itself: it runs for requests that are broken in any way (a Host that
is not trusted, so no URL can be built; query bytes that are not UTF-8 ...).
"""
from __future__ import annotations

from typing import Any

from flask import Response, abort, current_app, json, render_template, request, url_for
from werkzeug.exceptions import HTTPException, SecurityError

from .security import harden
from .strings import ui

JSON_PATHS = ("/api/", "/oembed")
UNTRUSTED_HOST = ("This server does not answer to that host name. "
                  "Use the map's own address (settings PUBLIC_URL, TRUSTED_HOSTS).")


def _url(endpoint: str, fallback: str, **values: Any) -> str:
    try:
        return url_for(endpoint, **values)
    except Exception:  # no URL adapter: the request's Host was refused
        return fallback


def _lang() -> str:
    try:
        lang = request.args.get("lang", "en")
    except Exception:  # a query string that cannot be decoded
        return "en"
    return lang if lang in ("en", "hu") else "en"


def readable_query() -> None:
    """before_request: a query string that is not UTF-8 is a 400 (werkzeug would raise later)."""
    try:
        request.args  # noqa: B018  # parsed once, cached for the view
    except UnicodeDecodeError:
        abort(400, description="The address's query string is not UTF-8 text.")


def http_error(exc: HTTPException) -> Response:
    """The error as JSON or HTML, keeping the exception's own headers (Allow on a 405)."""
    code = exc.code or 500
    message = UNTRUSTED_HOST if isinstance(exc, SecurityError) else (exc.description or "")
    if request.path.startswith(JSON_PATHS):
        response = Response(json.dumps({"error": message, "status": code}, ensure_ascii=False),
                            status=code, mimetype="application/json")
        response.headers["Access-Control-Allow-Origin"] = "*"
    else:
        lang = _lang()
        html = render_template("error.html", code=code, message=message, lang=lang, t=ui(lang),
                               asset_base=_url("static", "/static/", filename=""),
                               links={"map": _url("pages.index", "/")})
        response = harden(Response(html, status=code, mimetype="text/html"),
                          tiles_url=current_app.config["TILES_URL"])
    for name, value in exc.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response
