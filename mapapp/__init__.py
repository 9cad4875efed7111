"""Budapest 1956: a day-by-day map of the Hungarian Revolution, as a small Flask app."""
from __future__ import annotations

from typing import Any

from flask import Flask, Response, render_template, request, url_for
from werkzeug.exceptions import HTTPException

from .errors import DataError
from .geodata import load_dataset
from .pages import PageCache
from .security import harden
from .settings import resolve
from .strings import ui

__all__ = ["DataError", "create_app"]


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Application factory: settings, then the dataset (loaded and validated once), then routes.

    A dataset with problems raises DataError here, so a server never starts on half a map.
    """
    settings = resolve(config)
    app = Flask(__name__, static_folder=settings["STATIC_DIR"], static_url_path="/static")
    app.config.update(settings)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]  # DefaultJSONProvider's setting
    app.extensions["mapapp.dataset"] = load_dataset(app.config["DATA_DIR"])
    app.extensions["mapapp.pages"] = PageCache()

    from . import api, lessonviews, oembed, printview, views, walkviews
    for blueprint in (views.bp, api.bp, printview.bp, oembed.bp, lessonviews.bp, walkviews.bp):
        app.register_blueprint(blueprint)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if request.path.startswith(("/api/", "/oembed")):
            return {"error": exc.description, "status": exc.code}, exc.code
        lang = request.args.get("lang", "en")
        lang = lang if lang in ("en", "hu") else "en"
        html = render_template("error.html", code=exc.code, message=exc.description, lang=lang,
                               t=ui(lang), asset_base=url_for("static", filename=""),
                               css_version=views.CSS_VERSION,
                               links={"map": url_for("pages.index")})
        return harden(Response(html, status=exc.code, mimetype="text/html"),
                      tiles_url=app.config["TILES_URL"])
    return app
