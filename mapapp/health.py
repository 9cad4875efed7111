"""`/healthz`: for load balancers and monitoring; answers from the loaded dataset, builds no page."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, json

from .records import Dataset

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> Response:
    from . import __version__
    data: Dataset = current_app.extensions["mapapp.dataset"]
    body = {"status": "ok", "version": __version__,
            "dataset": {"title": data.title.en, "sites": len(data.sites), "events": len(data.events),
                        "sources": len(data.sources), "routes": len(data.routes),
                        "claims": sum(len(e.claims) for e in data.events),
                        "first_day": data.first_day.isoformat(), "last_day": data.last_day.isoformat()}}
    response = Response(json.dumps(body, ensure_ascii=False), mimetype="application/json")
    response.headers["Cache-Control"] = "no-store"
    return response
