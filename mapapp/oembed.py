"""oEmbed 1.0 provider: paste a link to the map into a CMS and get the iframe back."""
from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit

from flask import Blueprint, Response, abort, current_app, json, request, url_for
from markupsafe import escape

from .api import BadParameter, bad_parameter
from .views import public_base

bp = Blueprint("oembed", __name__)

DEFAULT_SIZE = (960, 640)
MIN_SIZE = (200, 150)
EMBED_PARAMETERS = ("date", "mode", "lang", "layers", "controls", "center", "zoom", "tiles")


def _size(name: str) -> int | None:
    raw = request.args.get(name)
    if raw is None:
        return None
    if not raw.isdigit() or int(raw) < 1:
        raise BadParameter(name, f"{raw!r} is not a size in pixels", "a positive whole number")
    return int(raw)


def fit(max_width: int | None, max_height: int | None) -> tuple[int, int]:
    """The default size scaled down (keeping its shape) to fit the consumer's maxima."""
    width, height = DEFAULT_SIZE
    scale = min(1.0, (max_width or width) / width, (max_height or height) / height)
    return max(MIN_SIZE[0], int(width * scale)), max(MIN_SIZE[1], int(height * scale))


def our_page(url: str) -> dict[str, str] | None:
    """The embed parameters of a URL of our map or embed page; None for any other URL."""
    parts = urlsplit(url)
    base = urlsplit(public_base())
    if parts.scheme not in ("http", "https") or parts.netloc != base.netloc:
        return None
    if parts.path not in (url_for("pages.index"), url_for("pages.embed")):
        return None
    return {k: v for k, v in parse_qsl(parts.query) if k in EMBED_PARAMETERS}


@bp.get("/oembed")
def oembed() -> Response:
    try:
        fmt = request.args.get("format", "json")
        if fmt == "xml":
            abort(501, description="Only format=json is provided.")
        if fmt != "json":
            raise BadParameter("format", f"{fmt!r} is not supported", "json")
        url = request.args.get("url")
        if not url:
            raise BadParameter("url", "is missing", "the address of a page of this map")
        width, height = fit(_size("maxwidth"), _size("maxheight"))
    except BadParameter as exc:
        return bad_parameter(exc)
    params = our_page(url)
    if params is None:
        abort(404, description="That URL is not a page of this map.")
    lang = params.get("lang") if params.get("lang") in ("en", "hu") else "en"
    title = current_app.extensions["mapapp.dataset"].title.get(lang)
    src = public_base() + url_for("pages.embed").lstrip("/") + (f"?{urlencode(params)}" if params else "")
    html = (f'<iframe src="{escape(src)}" title="{escape(title)}" width="{width}" height="{height}" '
            f'style="border:0;max-width:100%" loading="lazy" allowfullscreen></iframe>')
    body = {"version": "1.0", "type": "rich", "provider_name": "Budapest 1956",
            "provider_url": public_base(), "title": title, "html": html,
            "width": width, "height": height, "cache_age": 86400}
    response = Response(json.dumps(body, ensure_ascii=False), mimetype="application/json")
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
