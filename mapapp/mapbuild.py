"""Build the folium map for a dataset and render it into the parts a page template places."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import folium
from branca.element import Figure
from folium.template import Template

from .dayslider import DaySlider
from .payload import page_payload
from .records import Dataset

LEAFLET_VERSION = "1.9.4"
DEFAULT_CENTER = (47.4990, 19.0600)


class LeafletMap(folium.Map):
    """folium.Map with our assets only: no CDN, no jQuery/Bootstrap, no inline styles."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}{% endmacro %}
        {% macro html(this, kwargs) %}
            <div class="folium-map" id={{ this.get_name()|tojson }}></div>
        {% endmacro %}
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.map({{ this.get_name()|tojson }}, {{ this.leaflet_options|tojson }});
            L.control.scale({ imperial: false }).addTo({{ this.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, *, asset_base: str, center: tuple[float, float], zoom: int, **kwargs: Any):
        super().__init__(location=list(center), zoom_start=zoom, tiles=None, **kwargs)
        self.leaflet_options = {"center": list(center), "zoom": zoom, "zoomControl": True}
        leaflet = f"{asset_base}vendor/leaflet-{LEAFLET_VERSION}/"
        self.default_js = [("leaflet", leaflet + "leaflet.js")]
        self.default_css = [("leaflet_css", leaflet + "leaflet.css")]


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


@dataclass(frozen=True)
class RenderedMap:
    """The three pieces folium renders: header links, the map's div, and one script body."""

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
    DaySlider(page_payload(dataset, options.lang), asset_base=options.asset_base,
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
    return RenderedMap(header=figure.header.render(), html=figure.html.render(),
                       script=figure.script.render())


def _stable_ids(element: Any, path: str = "0") -> None:
    """Name elements by their place in the tree, so every build of the same data is byte-identical
    (and so has the same ETag in every worker process)."""
    element._id = path
    for number, child in enumerate(element._children.values()):
        _stable_ids(child, f"{path}_{number}")
