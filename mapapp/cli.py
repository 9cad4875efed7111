"""The `mapapp` command: serve a dataset, check one, and (see geocode/import/export) build one."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from .errors import DataError
from .settings import DEFAULTS


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Budapest 1956: a day-by-day map of the Hungarian Revolution."""


@main.command()
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path),
              default=DEFAULTS["DATA_DIR"], show_default=True, help="Dataset folder to serve.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--debug/--no-debug", default=False)
def serve(data_dir: Path, host: str, port: int, debug: bool) -> None:
    """Serve the map (development server; use gunicorn in production)."""
    from . import create_app
    try:
        app = create_app({"DATA_DIR": str(data_dir)})
    except DataError as exc:
        click.echo(exc.report(), err=True)
        click.echo("The map was not started. Fix the lines above, then run `mapapp check`.", err=True)
        sys.exit(1)
    click.echo(f"Budapest 1956: serving {data_dir} on http://{host}:{port}/")
    app.run(host=host, port=port, debug=debug, use_reloader=False)


@main.command()
@click.argument("data_dir", type=click.Path(path_type=Path), default=DEFAULTS["DATA_DIR"])
def check(data_dir: Path) -> None:
    """Validate a dataset folder and print every problem as file:line: field: problem."""
    from .geodata import load_dataset
    try:
        data = load_dataset(data_dir)
    except DataError as exc:
        click.echo(exc.report(), err=True)
        sys.exit(1)
    click.echo(f"{data_dir}: OK: {len(data.sites)} sites, {len(data.events)} events, "
               f"{len(data.sources)} sources, {len(data.routes)} routes, "
               f"{sum(len(e.claims) for e in data.events)} claims, "
               f"{data.first_day} to {data.last_day}")


if __name__ == "__main__":
    main()
