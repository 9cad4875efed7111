"""Response headers: Content-Security-Policy built from a page's script hashes, and the rest."""
from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from flask import Response, request
from markupsafe import escape


def tile_origin(tiles_url: str | None) -> str | None:
    """'https://*.tile.example.org' for 'https://{s}.tile.example.org/{z}/{x}/{y}.png'."""
    if not tiles_url or tiles_url == "none":
        return None
    parts = urlsplit(tiles_url)
    if not parts.scheme or not parts.netloc:
        return None
    host = parts.netloc.replace("{s}", "*")
    if "{" in host:
        host = "*." + host.split(".", 1)[1] if "." in host else host
    return f"{parts.scheme}://{host}"


PERMISSIONS_POLICY = "geolocation=(), camera=(), microphone=(), payment=(), usb=()"


def content_security_policy(script_hashes: tuple[str, ...], frame_ancestors: str | None,
                            tiles_url: str | None) -> str:
    """The policy of a page; `frame_ancestors` None leaves that directive out (a `<meta>` CSP
    cannot carry it, so the static export's pages go without)."""
    tiles = tile_origin(tiles_url)
    directives = {
        "default-src": "'self'",
        "script-src": " ".join(["'self'", *script_hashes]),
        "style-src": "'self'",
        "img-src": " ".join(x for x in ("'self'", "data:", tiles) if x),
        "connect-src": "'self'",
        "font-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'none'",
        "form-action": "'self'",
        "frame-ancestors": frame_ancestors,
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items() if value)


def csp_meta(script_hashes: tuple[str, ...], tiles_url: str | None) -> str:
    """The CSP as a `<meta http-equiv>` tag, for pages served by hosts we do not configure.

    `file:` joins every 'self': opened from the disk, a browser may give each file its own opaque
    origin (Firefox does), and 'self' would then refuse the copy's own scripts. A page on a web
    host cannot load file: URLs at all, so this allows nothing more there."""
    policy = content_security_policy(script_hashes, None, tiles_url).replace("'self'", "'self' file:")
    policy = policy.replace("form-action 'self' file:", "form-action 'self'")
    return f'<meta http-equiv="Content-Security-Policy" content="{escape(policy)}">'


def harden(response: Response, script_hashes: tuple[str, ...] = (), frame_ancestors: str = "'self'",
           tiles_url: str | None = None) -> Response:
    response.headers["Content-Security-Policy"] = content_security_policy(
        script_hashes, frame_ancestors, tiles_url)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    response.headers["Permissions-Policy"] = PERMISSIONS_POLICY
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if frame_ancestors == "'self'":
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


def every_response(response: Response) -> Response:
    """after_request for the whole app (static files, JSON and redirects included): no MIME
    sniffing, and a redirect's Location without the request's Host (it is relative)."""
    response.headers["X-Content-Type-Options"] = "nosniff"
    location = response.headers.get("Location")
    if location and (parts := urlsplit(location)).netloc:
        try:
            host = request.host
        except Exception:  # an untrusted Host (answered 400 already)
            host = None
        if parts.netloc == host:
            response.headers["Location"] = urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment))
    return response
