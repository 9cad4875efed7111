"""Response headers: Content-Security-Policy built from a page's script hashes, and the rest."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Response


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


def content_security_policy(script_hashes: tuple[str, ...], frame_ancestors: str,
                            tiles_url: str | None) -> str:
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
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def harden(response: Response, script_hashes: tuple[str, ...] = (), frame_ancestors: str = "'self'",
           tiles_url: str | None = None) -> Response:
    response.headers["Content-Security-Policy"] = content_security_policy(
        script_hashes, frame_ancestors, tiles_url)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    if frame_ancestors == "'self'":
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response
