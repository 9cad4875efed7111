"""The `mapapp` command: serve or check a dataset, geocode its sites, import a spreadsheet."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from .errors import DataError
from .settings import DEFAULTS, PROJECT_ROOT, resolve

DEFAULT_REGIONS = PROJECT_ROOT / "geodata" / "regions.geojson"


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
               f"{sum(len(e.claims) for e in data.events)} claims, {len(data.lessons)} lessons, "
               f"{data.first_day} to {data.last_day}")


def nominatim_options(command):
    """--nominatim-url, --user-agent, --timeout, --offline: shared by geocode and import."""
    options = [
        click.option("--nominatim-url", default=None, metavar="URL",
                     help="Nominatim server [setting NOMINATIM_URL, env MAPAPP_NOMINATIM_URL]."),
        click.option("--user-agent", default=None,
                     help="User-Agent naming you, e.g. 'class-map (you@school.example)' "
                          "[setting USER_AGENT, env MAPAPP_USER_AGENT]."),
        click.option("--timeout", default=10.0, show_default=True, type=click.FloatRange(0.1, 120),
                     help="Seconds to wait for one answer."),
        click.option("--offline", is_flag=True, help="Use only answers already in geocode-cache.json."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def run_geocode(folder: Path, nominatim_url: str | None, user_agent: str | None,
                timeout: float, offline: bool) -> bool:
    """Geocode a dataset folder, printing progress and problems; True when every site has coordinates."""
    from .geocode import NominatimClient, geocode_folder
    settings = resolve()
    client = None
    if not offline:
        agent = user_agent or settings["USER_AGENT"]
        if agent == DEFAULTS["USER_AGENT"]:
            click.echo("note: set --user-agent or MAPAPP_USER_AGENT to name you (Nominatim's policy)", err=True)
        try:
            client = NominatimClient(nominatim_url or settings["NOMINATIM_URL"], agent, timeout=timeout)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--nominatim-url") from exc
    progress = lambda line: click.echo(line, err=True)
    try:
        report = geocode_folder(folder, client, progress)
    except DataError as exc:
        click.echo(exc.report(), err=True)
        return False
    except KeyboardInterrupt:
        click.echo("interrupted: answers so far are kept in geocode-cache.json; run again to go on",
                   err=True)
        sys.exit(130)
    click.echo(f"geocode: {report.filled} sites filled ({report.asked} asked, "
               f"{report.from_cache} from the cache), {len(report.problems)} still without coordinates",
               err=True)
    for problem in report.problems:
        click.echo(f"  {problem}", err=True)
    return not report.problems


@main.command()
@click.argument("data_dir", type=click.Path(file_okay=False, exists=True, path_type=Path))
@nominatim_options
def geocode(data_dir: Path, nominatim_url: str | None, user_agent: str | None, timeout: float,
            offline: bool) -> None:
    """Fill empty lat/lon in DATA_DIR/sites.csv from the place names (Nominatim, 1 request/s, cached)."""
    if not run_geocode(data_dir, nominatim_url, user_agent, timeout, offline):
        sys.exit(1)


@main.command("import")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Dataset folder to create.")
@click.option("--force", is_flag=True, help="Replace the dataset files of a non-empty --out folder.")
@click.option("--title", default=None, help="The map's title (default: the file name).")
@click.option("--regions", default=str(DEFAULT_REGIONS), show_default=True,
              help="regions.geojson the places must lie in; 'none' for anywhere.")
@nominatim_options
def import_csv(csv_file: Path, out: Path, force: bool, title: str | None, regions: str,
               nominatim_url: str | None, user_agent: str | None, timeout: float, offline: bool) -> None:
    """Turn a spreadsheet (date, place, title, description, source ...) into a dataset folder."""
    from .errors import Problems
    from .geodata import load_dataset
    from .importer import out_folder_problem, plan_import, write_meta, write_plan
    problems = Problems()
    plan = plan_import(csv_file, None if regions == "none" else Path(regions), title, problems)
    if problems:
        click.echo(DataError(problems.items).report(), err=True)
        click.echo(f"Nothing was written. Fix the lines of {csv_file.name} above and run again.", err=True)
        sys.exit(1)
    if why := out_folder_problem(out, force):
        raise click.UsageError(why)
    write_plan(plan, out)
    click.echo(f"{out}: {len(plan.sites)} sites, {len(plan.events)} events, {len(plan.sources)} sources",
               err=True)
    if any(not site["lat"] for site in plan.sites.values()):
        run_geocode(out, nominatim_url, user_agent, timeout, offline)
        write_meta(out, plan.title)
    try:
        load_dataset(out)
    except DataError as exc:
        click.echo(exc.report(), err=True)
        sys.exit(1)
    click.echo(f"{out}: ready. Serve it with: mapapp serve --data {out}")


@main.command()
@click.argument("outdir", type=click.Path(path_type=Path))
@click.option("--data", "data_dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
              default=DEFAULTS["DATA_DIR"], show_default=True, help="Dataset folder to export.")
@click.option("--base-url", default=None, metavar="URL",
              help="Where the folder will be published, e.g. https://school.example/1956/ "
                   "(absolute links in the pages point there).")
@click.option("--force", is_flag=True, help="Replace a non-empty OUTDIR that is not a previous export.")
def export(outdir: Path, data_dir: Path, base_url: str | None, force: bool) -> None:
    """Write the map as a static folder (map, embed, sources, data, assets) that works from file://."""
    from . import create_app
    from .export import ExportError, export_site
    if base_url is not None:
        if not base_url.startswith(("http://", "https://")):
            raise click.BadParameter("expected an http:// or https:// address", param_hint="--base-url")
        base_url = base_url if base_url.endswith("/") else base_url + "/"
    try:
        app = create_app({"DATA_DIR": str(data_dir), **({"PUBLIC_URL": base_url} if base_url else {})})
    except DataError as exc:
        click.echo(exc.report(), err=True)
        click.echo("Nothing was exported. Fix the lines above, then run `mapapp check`.", err=True)
        sys.exit(1)
    try:
        report = export_site(app, outdir, base_url=base_url, force=force)
    except ExportError as exc:
        raise click.UsageError(str(exc)) from exc
    click.echo(f"{outdir}: {len(report.files)} files. Open {outdir / 'index.html'} in a browser, "
               "or copy the folder to any web host.")


if __name__ == "__main__":
    main()
