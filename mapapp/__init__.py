"""Budapest 1956: a day-by-day map of the Hungarian Revolution, as a small Flask app."""
from __future__ import annotations

from importlib import metadata
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from .assets import asset, load_assets, serve_static
from .errors import DataError
from .fields import web_url
from .geodata import load_dataset
from .pages import PageCache
from .settings import SettingError, resolve, trusted_hosts

__all__ = ["DataError", "SettingError", "__version__", "create_app"]

try:
    __version__ = metadata.version("mapapp")
except metadata.PackageNotFoundError:  # a checkout used without installing it
    __version__ = "0+unknown"


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Application factory: settings, then the dataset (loaded and validated once), then routes.

    A dataset with problems raises DataError here, so a server never starts on half a map; a
    setting it cannot run with raises SettingError.
    """
    settings = resolve(config)
    app = Flask(__name__, static_folder=None)  # assets.py serves /static/ under hashed names
    app.config.update(settings)
    app.config["TRUSTED_HOSTS"] = trusted_hosts(settings)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]  # DefaultJSONProvider's setting
    if proxies := int(settings["PROXY_COUNT"]):
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies, x_prefix=proxies)
    app.extensions["mapapp.dataset"] = load_dataset(app.config["DATA_DIR"])
    app.extensions["mapapp.pages"] = PageCache(int(settings["PAGE_CACHE_BYTES"]))
    app.extensions["mapapp.assets"] = load_assets(Path(settings["STATIC_DIR"]))
    app.add_url_rule("/static/<path:filename>", endpoint="static", view_func=serve_static)

    from . import api, health, httperrors, lessonviews, make, oembed, pagedata, printview, security, views, walkviews
    for blueprint in (views.bp, api.bp, printview.bp, oembed.bp, health.bp, make.bp, lessonviews.bp, walkviews.bp,
                      pagedata.bp):
        app.register_blueprint(blueprint)
    app.add_template_filter(web_url, "web_url")
    app.add_template_global(asset, "asset")
    app.register_error_handler(HTTPException, httperrors.http_error)
    app.before_request(httperrors.readable_query)
    app.after_request(security.every_response)
    return app
