"""`mapapp export`: the map as a static folder that works opened from disk (file://) or from any
static host, with no server.

The pages are built by the server's own code (views.build_map_page, views.build_sources_page) in a
request context, with relative links; the map's data is inside each page, so nothing is fetched.
Only the tiles come from outside; without network the markers, slider, list and details work.

    index.html  embed.html  sources.html                 English
    index.hu.html  embed.hu.html  sources.hu.html        Hungarian
    data/{sites,routes,events}[.hu].geojson              the API's GeoJSON (all events)
    data/lessons[.hu].json                                the lessons, when the dataset has any
    static/                                               the assets the pages use
    .mapapp-export.json                                   marks the folder as an export

The folder is written next to OUTDIR first and then renamed into place, so a reader never sees a
half-written copy.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from flask import Flask

from . import views
from .records import LANGS

MARKER = ".mapapp-export.json"
ASSET_BASE = "static/"
ASSET_REF = re.compile(r'\b(?:src|href)="static/([^"?#]+)"')
DATA_FILES = ("sites", "routes", "events")


class ExportError(Exception):
    """OUTDIR cannot be written; the message says why and what to do."""


@dataclass(frozen=True)
class ExportReport:
    outdir: Path
    files: tuple[str, ...]


def page_name(kind: str, lang: str) -> str:
    """'index.html' for English, 'index.hu.html' for Hungarian: one folder, one asset path."""
    return f"{kind}.html" if lang == "en" else f"{kind}.{lang}.html"


def build_pages(app: Flask, base_url: str) -> dict[str, str]:
    """Every page, built as the server builds it, with links between the exported files."""
    pages: dict[str, str] = {}
    with app.test_request_context("/", base_url=base_url):
        for lang in LANGS:
            other = "hu" if lang == "en" else "en"
            for kind, embed in (("index", False), ("embed", True)):
                links = {"sources": page_name("sources", lang), "other_lang": page_name(kind, other),
                         "full": page_name("index", lang)}
                pages[page_name(kind, lang)] = views.build_map_page(
                    lang, embed=embed, links=links, asset_base=ASSET_BASE)
            pages[page_name("sources", lang)] = views.build_sources_page(
                lang, links={"map": page_name("index", lang), "other_lang": page_name("sources", other)},
                asset_base=ASSET_BASE)
    return pages


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


def asset_paths(pages: dict[str, str], static_dir: Path) -> list[Path]:
    """The files under static/ the pages link to; a vendored package is taken whole (its CSS
    refers to its own images)."""
    wanted: set[Path] = set()
    for html in pages.values():
        for ref in ASSET_REF.findall(html):
            parts = Path(ref).parts
            wanted.add(Path(*parts[:2]) if parts[0] == "vendor" and len(parts) > 2 else Path(ref))
    missing = [str(p) for p in wanted if not (static_dir / p).exists()]
    if missing:
        raise ExportError(f"the pages use assets missing from {static_dir}: {', '.join(sorted(missing))}")
    return sorted(wanted)


def outdir_problem(outdir: Path, force: bool, keep: list[Path]) -> str | None:
    """Why OUTDIR must not be replaced, or None. `keep`: folders that must survive (data, assets)."""
    target = outdir.resolve()
    for kept in keep:
        path = Path(kept).resolve()
        if target == path or target in path.parents:
            return f"{outdir} holds {path}; choose another OUTDIR"
    if not outdir.exists():
        return None
    if not outdir.is_dir():
        return f"{outdir} is a file; choose a folder name"
    if force or (outdir / MARKER).is_file() or not any(outdir.iterdir()):
        return None
    return f"{outdir} is not empty and is not a previous export; choose another folder or add --force"


def export_site(app: Flask, outdir: Path, base_url: str | None = None, force: bool = False) -> ExportReport:
    """Write the static copy of `app`'s map to `outdir` (see the module docstring)."""
    static_dir = Path(app.config["STATIC_DIR"])
    problem = outdir_problem(outdir, force, [Path(app.config["DATA_DIR"]), static_dir, Path.cwd(), Path.home()])
    if problem:
        raise ExportError(problem)
    pages = build_pages(app, base_url or "http://localhost/")
    files: dict[str, bytes] = {name: html.encode("utf-8") for name, html in pages.items()}
    files.update(build_data(app))
    assets = asset_paths(pages, static_dir)
    listing = sorted([*files, *(_asset_files(static_dir, assets))])
    files[MARKER] = json.dumps({"generator": "mapapp export", "base_url": base_url, "files": listing},
                               indent=1, ensure_ascii=False).encode("utf-8") + b"\n"
    outdir.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{outdir.name}.", suffix=".tmp", dir=outdir.parent))
    try:
        for name, body in files.items():
            (work / name).parent.mkdir(parents=True, exist_ok=True)
            (work / name).write_bytes(body)
        for asset in assets:
            source, target = static_dir / asset, work / "static" / asset
            if source.is_dir():
                shutil.copytree(source, target)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)
        os.chmod(work, 0o755)  # mkdtemp's 0700 would hide the folder from a web server
        _replace(work, outdir)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return ExportReport(outdir=outdir, files=tuple(listing))


def _asset_files(static_dir: Path, assets: list[Path]) -> list[str]:
    names = []
    for asset in assets:
        source = static_dir / asset
        found = [p for p in source.rglob("*") if p.is_file()] if source.is_dir() else [source]
        names += [f"static/{p.relative_to(static_dir).as_posix()}" for p in found]
    return names


def _replace(work: Path, outdir: Path) -> None:
    """Put the finished folder in place: the old one moves aside first and is removed last."""
    if not outdir.exists():
        work.rename(outdir)
        return
    old = outdir.with_name(f".{outdir.name}.old-{os.getpid()}")
    outdir.rename(old)
    try:
        work.rename(outdir)
    except OSError:
        old.rename(outdir)
        raise
    shutil.rmtree(old)
