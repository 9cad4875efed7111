"""The `mapapp` command: serve or check a dataset, geocode its sites, import a spreadsheet, export
a static copy, collect the static assets for a web server.

Every default comes from settings.resolve(), as in create_app: `MAPAPP_DATA_DIR=... mapapp check`
checks that folder, and an installed wheel finds its own shipped dataset and assets.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from .errors import DataError
from .settings import DEFAULTS, SettingError, bundled, resolve

DEFAULT_REGIONS = bundled("geodata") / "regions.geojson"


def settings(**overrides: Any) -> dict[str, Any]:
    """resolve() with the options given on the command line; a bad setting ends the command."""
    try:
        return resolve({k: v for k, v in overrides.items() if v is not None})
    except SettingError as exc:
        raise click.UsageError(str(exc)) from exc


def make_app(**overrides: Any):
    """create_app on the resolved settings; None after printing the dataset's problems."""
    from . import create_app
    try:
        return create_app(settings(**overrides))
    except SettingError as exc:
        raise click.UsageError(str(exc)) from exc
    except DataError as exc:
        click.echo(exc.report(), err=True)
        return None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="mapapp", prog_name="mapapp")
def main() -> None:
    """Budapest 1956: a day-by-day map of the Hungarian Revolution."""


@main.command()
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Dataset folder to serve [setting DATA_DIR; default: the shipped dataset].")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--debug/--no-debug", default=False)
def serve(data_dir: Path | None, host: str, port: int, debug: bool) -> None:
    """Serve the map (development server; see deploy/ for production)."""
    app = make_app(DATA_DIR=str(data_dir) if data_dir else None)
    if app is None:
        click.echo("The map was not started. Fix the lines above, then run `mapapp check`.", err=True)
        sys.exit(1)
    click.echo(f"Budapest 1956: serving {app.config['DATA_DIR']} on http://{host}:{port}/")
    if host not in ("127.0.0.1", "localhost") and not app.config["PUBLIC_URL"]:
        trusted = ", ".join(app.config["TRUSTED_HOSTS"] or ["any"])
        click.echo(f"note: only these host names are answered: {trusted}. For visitors on other machines, "
                   "set MAPAPP_PUBLIC_URL to the address they type (e.g. http://192.168.1.20:5000/).", err=True)
    app.run(host=host, port=port, debug=debug, use_reloader=False)


@main.command()
@click.argument("data_dir", type=click.Path(path_type=Path), required=False)
def check(data_dir: Path | None) -> None:
    """Validate a dataset folder (default: setting DATA_DIR) and print every problem as
    file:line: field: problem."""
    from .geodata import load_dataset
    data_dir = data_dir or Path(settings()["DATA_DIR"])
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
    values = settings()
    client = None
    if not offline:
        agent = user_agent or values["USER_AGENT"]
        if agent == DEFAULTS["USER_AGENT"]:
            click.echo("note: set --user-agent or MAPAPP_USER_AGENT to name you (Nominatim's policy)", err=True)
        try:
            client = NominatimClient(nominatim_url or values["NOMINATIM_URL"], agent, timeout=timeout)
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
@click.argument("csv_file", metavar="SPREADSHEET", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Dataset folder to create.")
@click.option("--force", is_flag=True, help="Replace the dataset of a non-empty --out folder (as a whole).")
@click.option("--title", default=None, help="The map's title (default: the file name).")
@click.option("--regions", default=None, metavar="FILE",
              help="regions.geojson the places must lie in; 'none' for anywhere "
                   "[default: the shipped regions: Budapest, Hungary, eastern Austria].")
@nominatim_options
def import_csv(csv_file: Path, out: Path, force: bool, title: str | None, regions: str | None,
               nominatim_url: str | None, user_agent: str | None, timeout: float, offline: bool) -> None:
    """Turn a spreadsheet (.xlsx, .ods, CSV or TSV: date, place, title, description, source ...)
    into a dataset folder."""
    from .errors import Problems
    from .geodata import load_dataset
    from .importer import out_folder_problem, plan_table, read_spreadsheet, write_meta, write_plan
    problems = Problems()
    table = read_spreadsheet(csv_file, problems)
    if table is not None:
        click.echo(f"{csv_file.name}: {table.describe()}, {len(table.rows)} rows", err=True)
    regions_path = None if regions == "none" else Path(regions) if regions else DEFAULT_REGIONS
    plan = plan_table(table, regions_path, title or csv_file.stem, problems)
    if problems:
        count = len(problems.items)
        # a problem elsewhere (e.g. the --regions file) is not blamed on the spreadsheet
        where = csv_file.name if all(p.file == csv_file.name for p in problems.items) else ""
        click.echo(f"{count} problem{'s' if count != 1 else ''}{' in ' + where if where else ''}:", err=True)
        for problem in problems.items:
            click.echo(f"  {problem}", err=True)
        fix = f"the rows of {where}" if where else "the problems"
        click.echo(f"Nothing was written. Fix {fix} above and run again.", err=True)
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
              default=None, help="Dataset folder to export [setting DATA_DIR; default: the shipped dataset].")
@click.option("--base-url", default=None, metavar="URL",
              help="Where the folder will be published, e.g. https://school.example/1956/ "
                   "(absolute links in the pages point there).")
@click.option("--force", is_flag=True, help="Overwrite files of a previous export that were changed since "
                                             "(files it did not write are never touched).")
def export(outdir: Path, data_dir: Path | None, base_url: str | None, force: bool) -> None:
    """Write the map as a static folder (map, embed, sources, data, assets) that works from file://."""
    from .export import ExportError, export_site
    if base_url is not None:
        if not base_url.startswith(("http://", "https://")):
            raise click.BadParameter("expected an http:// or https:// address", param_hint="--base-url")
        base_url = base_url if base_url.endswith("/") else base_url + "/"
    app = make_app(DATA_DIR=str(data_dir) if data_dir else None, PUBLIC_URL=base_url)
    if app is None:
        click.echo("Nothing was exported. Fix the lines above, then run `mapapp check`.", err=True)
        sys.exit(1)
    try:
        report = export_site(app, outdir, base_url=base_url, force=force)
    except ExportError as exc:
        raise click.UsageError(str(exc)) from exc
    if report.kept:
        click.echo(f"note: files that appeared in {outdir} during the export are kept in {report.kept}", err=True)
    click.echo(f"{outdir}: {len(report.files)} files. Open {outdir / 'index.html'} in a browser, "
               "or copy the folder to any web host.")


@main.command("collect-static")
@click.argument("outdir", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite files of a previous run that were changed since.")
def collect_static(outdir: Path, force: bool) -> None:
    """Copy the assets (setting STATIC_DIR) under their content-hashed names, with .gz and .br
    copies, into OUTDIR for a web server's /static/ (see deploy/nginx.conf)."""
    from .export import ExportError, write_site
    from .staticfiles import collected_files, stable_mtime
    values = settings()
    static_dir = Path(values["STATIC_DIR"])
    try:
        write_site(collected_files(static_dir), outdir, force,
                   keep=(static_dir, Path(values["DATA_DIR"])), mtime=stable_mtime)
    except ExportError as exc:
        raise click.UsageError(str(exc)) from exc
    click.echo(f"{outdir}: the assets of {static_dir} under their hashed names, with .gz and .br copies")


if __name__ == "__main__":
    main()
