"""Build the folium map for a dataset and render it into the parts a page template places."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import folium
from branca.element import CssLink, Figure, JavascriptLink
from folium.elements import JSCSSMixin
from folium.template import Template

from .assets import asset_path
from .payload import page_payload
from .records import Dataset

LEAFLET_VERSION = "1.9.4"
DEFAULT_CENTER = (47.4990, 19.0600)


LEAFLET_DIR = f"vendor/leaflet-{LEAFLET_VERSION}/"


class DeferredScript(JavascriptLink):
    """A script the parser does not wait for: deferred scripts run in document order once the page
    is parsed, so none of them blocks the first paint."""

    _template = Template('<script defer src="{{ this.url }}"></script>')


class DeferredAssets(JSCSSMixin):
    """folium's JSCSSMixin with deferred scripts: an element's `default_js` and `default_css`."""

    def render(self, **kwargs: Any) -> Any:
        figure: Any = self.get_root()
        for name, url in self.default_js:
            figure.header.add_child(DeferredScript(url), name=name)
        for name, url in self.default_css:
            figure.header.add_child(CssLink(url), name=name)
        return super(JSCSSMixin, self).render(**kwargs)  # past JSCSSMixin (and folium.Map): no blocking links


class LeafletMap(DeferredAssets, folium.Map):
    """folium.Map with our assets only: no CDN, no jQuery/Bootstrap, no inline styles. Its script
    runs once the deferred scripts have (see render_map); the map stays a global (window.map_0)."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}{% endmacro %}
        {% macro html(this, kwargs) %}
            <div class="folium-map" id={{ this.get_name()|tojson }}></div>
        {% endmacro %}
        {% macro script(this, kwargs) %}
            window.{{ this.get_name() }} = L.map({{ this.get_name()|tojson }}, {{ this.leaflet_options|tojson }});
            L.control.scale({ imperial: false }).addTo({{ this.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, *, asset_base: str, center: tuple[float, float], zoom: int, **kwargs: Any):
        super().__init__(location=list(center), zoom_start=zoom, tiles=None, **kwargs)
        self.leaflet_options = {"center": list(center), "zoom": zoom, "zoomControl": True}
        self.default_js = [("leaflet", asset_base + asset_path(LEAFLET_DIR + "leaflet.js"))]
        self.default_css = [("leaflet_css", asset_base + asset_path(LEAFLET_DIR + "leaflet.css"))]


@dataclass(frozen=True)
class MapOptions:
    lang: str = "en"
    asset_base: str = "/static/"
    tiles_url: str | None = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    tiles_attribution: str = ""
    tiles_max_zoom: int = 19
    sources_url: str | None = "/sources"
    center: tuple[float, float] | None = None
    zoom: int | None = None
    renderer: str = "auto"
    data_url: str | None = None   # the data file (pagedata.py); None: the data goes inline


@dataclass(frozen=True)
class RenderedMap:
    """The three pieces folium renders: header links, the map's div, and one script body, which
    waits for DOMContentLoaded: every script it calls is deferred, and deferred scripts run
    before that event (an inline script would run before them)."""

    header: str
    html: str
    script: str


def tile_options(url: str | None, attribution: str, max_zoom: int) -> dict[str, Any] | None:
    """The tile layer as the page scripts take it; None when tiles are off (url empty or 'none')."""
    if not url or url == "none":
        return None
    return {"url": url, "attribution": attribution, "maxZoom": int(max_zoom)}


def build_map(dataset: Dataset, options: MapOptions) -> folium.Map:
    """The folium map of a dataset: our Leaflet, optional tiles, and the day slider."""
    center = options.center or dataset.center or DEFAULT_CENTER
    zoom = options.zoom or dataset.zoom or 13
    fmap = LeafletMap(asset_base=options.asset_base, center=center, zoom=zoom)
    tiles = tile_options(options.tiles_url, options.tiles_attribution, options.tiles_max_zoom)
    from .dayslider import DaySlider
    data = None if options.data_url else page_payload(dataset, options.lang)
    DaySlider(data, data_url=options.data_url, asset_base=options.asset_base,
              sources_url=options.sources_url, renderer=options.renderer, tiles=tiles).add_to(fmap)
    return fmap


def render_map(fmap: folium.Map) -> RenderedMap:
    """Render once (a second render would add the tile layer again); keep the parts apart.

    branca's Figure adds `<meta http-equiv="content-type">` to the header; our template already
    has `<meta charset>`, and a page may carry only one of the two (HTML spec, W3C checker).
    """
    figure = Figure()
    figure.header._children.pop("meta_http", None)
    fmap.add_to(figure)
    _stable_ids(fmap)
    figure.render()
    script = figure.script.render()
    return RenderedMap(header=figure.header.render(), html=figure.html.render(),
                       script=f"document.addEventListener('DOMContentLoaded', function () {{{script}}});")


def _stable_ids(element: Any, path: str = "0") -> None:
    """Name elements by their place in the tree, so every build of the same data is byte-identical
    (and so has the same ETag in every worker process)."""
    element._id = path
    for number, child in enumerate(element._children.values()):
        _stable_ids(child, f"{path}_{number}")
