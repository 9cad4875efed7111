"""Hooks for gunicorn (deploy/gunicorn.conf.py): the dataset is loaded once in the master (and its
data files compressed there, pagedata.warm).

With `preload_app`, workers are forked from the master's app, so a worker that restarts (killed,
timed out, out of memory) never reads the files again: a broken file on disk cannot stop a running
server. A reload (HUP) loads and checks the dataset again in the master; when it has problems, the
master logs them (file:line: field: ...) and the new workers are forked from the app it already
had, so the site keeps serving the dataset it had.
"""
from __future__ import annotations

import sys
from typing import Any

from flask import Flask

from .errors import DataError
from .settings import SettingError


def application() -> Flask:
    """gunicorn's app (`wsgi_app = "mapapp.serving:application()"`): create_app, or the dataset's
    `file:line: field:` report and exit status 1, with no traceback to read through."""
    from . import create_app
    from .pagedata import warm
    try:
        app = create_app()
        warm(app)
        return app
    except (DataError, SettingError) as exc:
        print(exc.report() if isinstance(exc, DataError) else exc, file=sys.stderr)
        print("The map was not started. Fix the lines above (`mapapp check`), then start it again.",
              file=sys.stderr, flush=True)
        sys.exit(1)


def reload_app(arbiter: Any) -> None:
    """gunicorn's on_reload: swap in a freshly loaded app, or keep the old one and say why."""
    from . import create_app
    from .pagedata import warm
    try:
        app = create_app()
        warm(app)
    except (DataError, SettingError) as exc:
        report = exc.report() if isinstance(exc, DataError) else str(exc)
        arbiter.log.error("%s\nThe dataset was NOT reloaded: the server keeps serving the one it had. "
                          "Fix the lines above (`mapapp check`), then reload again.", report)
        return
    arbiter.app.callable = app
    data = app.extensions["mapapp.dataset"]
    arbiter.log.info("dataset reloaded from %s: %d events, %d sites", app.config["DATA_DIR"],
                     len(data.events), len(data.sites))
