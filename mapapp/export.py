"""`mapapp export`: the map as a static folder that works opened from disk (file://) or from any
static host, with no server.

The pages are built by the server's own code (views.build_map_page, views.build_sources_page) in a
request context, with relative links. The map's data (and its lessons) is one plain script per
language, `data/map.LANG.HASH.js`, as on the server (pagedata.py), so nothing is fetched. The
assets keep the content-hashed names the server gives them (assets.py).
Only the tiles come from outside; without network the markers, slider, list and details work.
Each page carries its Content-Security-Policy as a `<meta>` tag, since a static host sends none.

    index.html  embed.html  sources.html                 English
    index.hu.html  embed.hu.html  sources.hu.html        Hungarian
    data/map.{en,hu}.HASH.js                              the map's data and lessons, per language
    data/{sites,routes,events}[.hu].geojson              the API's GeoJSON (all events)
    data/LICENSE.md                                       the dataset's licence, when it has one
    data/lessons[.hu].json                                the lessons, when the dataset has any
    static/                                               the assets the pages use (hashed names)
    .mapapp-export.json                                   what was written, with checksums

`site_files()` builds every file in memory (name -> bytes); `write_site()` puts such a set on disk
as a whole (folders.py: a new folder, then one atomic swap). A folder is replaced only when it
holds nothing but files an export wrote; the export never deletes any other file.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask import Flask

from . import folders, views
from .assets import Assets
from .pagedata import build as build_data_file
from .pages import script_hashes
from .records import LANGS
from .security import csp_meta

MARKER = ".mapapp-export.json"
ASSET_BASE = "static/"
ASSET_REF = re.compile(r'\b(?:src|href)="static/([^"?#]+)"')
DATA_FILES = ("sites", "routes", "events")
CHARSET_META = '<meta charset="utf-8">'
SHOWN_NAMES = 8


class ExportError(Exception):
    """OUTDIR cannot be written; the message says why and what to do."""


@dataclass(frozen=True)
class ExportReport:
    outdir: Path
    files: tuple[str, ...]
    kept: Path | None = None  # where files someone added during the export were left, if any


def page_name(kind: str, lang: str) -> str:
    """'index.html' for English, 'index.hu.html' for Hungarian: one folder, one asset path."""
    return f"{kind}.html" if lang == "en" else f"{kind}.{lang}.html"


def with_csp_meta(html: str, tiles_url: str | None) -> str:
    """The page with its CSP (script hashes included) as the first tag after the charset."""
    tag = csp_meta(script_hashes(html), tiles_url)
    return html.replace(CHARSET_META, f"{CHARSET_META}\n  {tag}", 1)


def build_pages(app: Flask, base_url: str) -> tuple[dict[str, str], dict[str, bytes]]:
    """Every page, built as the server builds it, with links between the exported files; and the
    data files they load (data/map.LANG.HASH.js: no worksheet or walk links, the copy has neither)."""
    pages: dict[str, str] = {}
    data_files: dict[str, bytes] = {}
    with app.test_request_context("/", base_url=base_url):
        for lang in LANGS:
            other = "hu" if lang == "en" else "en"
            data_file = build_data_file(app.extensions["mapapp.dataset"], lang, server=False)
            data_files[f"data/{data_file.name}"] = data_file.entity.body
            for kind, embed in (("index", False), ("embed", True)):
                links = {"sources": page_name("sources", lang), "other_lang": page_name(kind, other),
                         "full": page_name("index", lang)}
                pages[page_name(kind, lang)] = views.build_map_page(
                    lang, embed=embed, links=links, asset_base=ASSET_BASE, page_data=f"data/{data_file.name}")
            pages[page_name("sources", lang)] = views.build_sources_page(
                lang, links={"map": page_name("index", lang), "other_lang": page_name("sources", other)},
                asset_base=ASSET_BASE)
    return {name: with_csp_meta(html, app.config["TILES_URL"]) for name, html in pages.items()}, data_files


def build_data(app: Flask) -> dict[str, bytes]:
    """The API's own GeoJSON (all events, no date), one file per language."""
    client = app.test_client()
    files = {}
    for name in DATA_FILES:
        for lang in LANGS:
            response = client.get(f"/api/{name}.geojson?lang={lang}")
            if response.status_code != 200:
                raise ExportError(f"/api/{name}.geojson answered {response.status_code}")
            files[f"data/{name}{'' if lang == 'en' else '.' + lang}.geojson"] = response.data
    if app.extensions["mapapp.dataset"].lessons:  # the pages carry them too; this is the API's copy
        for lang in LANGS:
            response = client.get(f"/api/lessons.json?lang={lang}")
            files[f"data/lessons{'' if lang == 'en' else '.' + lang}.json"] = response.data
    return files


def asset_files(pages: dict[str, str], assets: Assets) -> dict[str, bytes]:
    """static/NAME -> bytes for every asset the pages link to, under the served (hashed) names; a
    vendored package is taken whole (its CSS refers to its own images, and its licence travels
    with it)."""
    wanted: set[str] = set()
    for html in pages.values():
        for ref in ASSET_REF.findall(html):
            if ref not in assets.by_served:
                raise ExportError(f"the pages use an asset missing from {assets.static_dir}: {ref}")
            parts = ref.split("/")
            package = "/".join(parts[:2]) + "/" if parts[0] == "vendor" and len(parts) > 2 else None
            wanted.update(a.served for a in assets.by_name.values()
                          if a.served == ref or (package and a.name.startswith(package)))
    return {f"static/{name}": assets.by_served[name].entity.body for name in sorted(wanted)}


def marker(files: dict[str, bytes], generator: str, **extra: object) -> bytes:
    """The marker: which files were written, with their sha256 (so a later run knows its own)."""
    doc = {"generator": generator, **extra, "files": sorted(files),
           "sha256": {name: hashlib.sha256(body).hexdigest() for name, body in sorted(files.items())}}
    return json.dumps(doc, indent=1, ensure_ascii=False).encode("utf-8") + b"\n"


def site_files(app: Flask, base_url: str | None = None) -> dict[str, bytes]:
    """Every file of the static copy of `app`'s map, marker included, as name -> bytes."""
    pages, data_files = build_pages(app, base_url or "http://localhost/")
    files: dict[str, bytes] = {name: html.encode("utf-8") for name, html in pages.items()}
    files.update(data_files)
    files.update(build_data(app))
    licence = Path(app.config["DATA_DIR"]) / "LICENSE.md"
    if licence.is_file():  # the dataset's terms travel with its copy
        files["data/LICENSE.md"] = licence.read_bytes()
    files.update(asset_files(pages, app.extensions["mapapp.assets"]))
    files[MARKER] = marker(files, "mapapp export", base_url=base_url)
    return files


def _listing(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if p.is_file() or p.is_symlink() or not p.is_dir())


def previous_export(folder: Path) -> dict[str, str | None]:
    """name -> sha256 (None when the marker predates checksums) of what an earlier run wrote."""
    try:
        doc = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(doc, dict) or not isinstance(doc.get("files"), list):
        return {}
    sums = doc.get("sha256")
    sums = sums if isinstance(sums, dict) else {}
    return {**{str(name): sums.get(name) for name in doc["files"]}, MARKER: None}


def _names(names: list[str]) -> str:
    shown = ", ".join(names[:SHOWN_NAMES])
    return shown + (f" and {len(names) - SHOWN_NAMES} more" if len(names) > SHOWN_NAMES else "")


def outdir_problem(outdir: Path, force: bool, keep: list[Path]) -> str | None:
    """Why OUTDIR must not be replaced, or None. `keep`: folders that must survive (data, assets).

    Files the previous export did not write are never replaced (not even with --force); files it
    wrote but someone has changed since are replaced only with --force."""
    target = outdir.resolve()
    for kept in keep:
        path = Path(kept).resolve()
        if target == path or target in path.parents:
            return f"{outdir} holds {path}; choose another OUTDIR"
    if not outdir.exists():
        return None
    if not outdir.is_dir():
        return f"{outdir} is a file; choose a folder name"
    ours = previous_export(outdir)
    present = _listing(outdir)
    foreign = [name for name in present if name not in ours]
    if foreign:
        what = "is not a previous export" if not ours else "holds files the export did not write"
        return (f"{outdir} {what}: {_names(foreign)}. Nothing was changed: move those files "
                "elsewhere or choose another folder (the export never deletes a file it did not write)")
    changed = [name for name in present if ours.get(name) and _sha256(outdir / name) != ours[name]]
    if changed and not force:
        return (f"{outdir}: files of the previous export were changed since: {_names(changed)}. "
                "Add --force to overwrite them, or choose another folder")
    return None


def _sha256(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def remove_written(folder: Path, name: str) -> Path | None:
    """Delete what an export wrote in `folder` (its marker says what). Anything else stays: the
    folder is then renamed NAME.kept-PID beside it, and that path is returned."""
    for written in previous_export(folder):
        (folder / written).unlink(missing_ok=True)
    for sub, _dirs, _files in sorted(os.walk(folder), key=lambda entry: -len(entry[0])):
        if not os.listdir(sub):
            os.rmdir(sub)
    if not folder.exists():
        return None
    kept = folder.with_name(f"{name}.kept-{os.getpid()}")
    folder.rename(kept)
    return kept


def check_outdir(outdir: Path, force: bool, keep: tuple[Path, ...] = ()) -> Path:
    """The folder to write (a symlink's target), after undoing what a killed run left there;
    ExportError when it must not be replaced."""
    target = folders.real_target(outdir)
    folders.clean_leftovers(target, remove=lambda old: remove_written(old, target.name))
    if problem := outdir_problem(outdir, force, [*keep, Path.cwd(), Path.home()]):
        raise ExportError(problem)
    return target


def write_site(files: dict[str, bytes], outdir: Path, force: bool = False,
               keep: tuple[Path, ...] = (), mtime: Callable[[bytes], float] | None = None) -> Path | None:
    """Put `files` at `outdir` as a whole (see the module docstring); returns where files that
    appeared in OUTDIR during the run were kept, if any."""
    target = check_outdir(outdir, force, keep)
    work = folders.new_folder(target)
    try:
        folders.write_files(work, files, mtime)
        old = folders.swap_in(work, target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return remove_written(old, target.name) if old is not None else None


def export_site(app: Flask, outdir: Path, base_url: str | None = None, force: bool = False) -> ExportReport:
    """Write the static copy of `app`'s map to `outdir` (see the module docstring)."""
    keep = (Path(app.config["DATA_DIR"]), Path(app.config["STATIC_DIR"]))
    check_outdir(outdir, force, keep)  # before the build: a refusal costs nothing
    files = site_files(app, base_url)
    kept = write_site(files, outdir, force, keep)
    return ExportReport(outdir=outdir, files=tuple(name for name in sorted(files) if name != MARKER), kept=kept)
