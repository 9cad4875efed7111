"""DaySlider: a folium plugin that steps a Leaflet map through the days of a dataset.

folium's TimestampedGeoJson cannot show dates before 1970 and its Timeline slider is continuous;
this plugin has one step per day, a day/cumulative mode and an accessible range input. The data
reaches the page once, as JSON: from the language's data file (`data_url`, pagedata.py: one
cached file for every day and mode) or, for a page built on the spot (/make's preview), inline.
The JS files build every element with textContent.
"""
from __future__ import annotations

from typing import Any

from branca.element import MacroElement
from folium.template import Template

from .assets import asset_path
from .mapbuild import DeferredAssets
from .scriptjson import script_json

SCRIPTS = ("dom", "eventlist", "controls", "details", "urlstate", "dayslider")


class DaySlider(DeferredAssets, MacroElement):
    """Adds the day controls, markers, event list and details panel to its parent map.

    It also adds the tile layer (`tiles`: url, attribution, maxZoom), after reading the page's
    URL, so that `tiles=none` makes no tile request at all.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = Budapest1956.daySlider(
            {{ this._parent.get_name() }},
            {{ this.options_json }},
            {% if this.data_json %}{{ this.data_json }}{% else %}Budapest1956.pageData.slider{% endif %}
        );
        {% endmacro %}
        """
    )

    def __init__(self, data: dict[str, Any] | None, *, data_url: str | None = None, asset_base: str = "/static/",
                 mode: str = "day", initial_day: int = 0, controls_id: str = "day-controls",
                 list_id: str = "event-list", details_id: str = "event-details", status_id: str = "status",
                 legend_id: str | None = "legend", sources_url: str | None = None,
                 renderer: str = "auto", play_interval_ms: int = 1500,
                 tiles: dict[str, Any] | None = None):
        super().__init__()
        if (data is None) == (data_url is None):
            raise ValueError("DaySlider takes its data inline (data) or from a data file (data_url)")
        self._name = "DaySlider"
        self.data = data
        self.options = {
            "mode": mode, "initialDay": initial_day, "controlsId": controls_id, "listId": list_id,
            "detailsId": details_id, "statusId": status_id, "legendId": legend_id,
            "sourcesUrl": sources_url, "renderer": renderer, "playIntervalMs": play_interval_ms,
            "tiles": tiles,
        }
        self.data_json = script_json(data) if data is not None else ""
        self.options_json = script_json(self.options)
        self.default_js = [(name, asset_base + asset_path(f"js/{name}.js")) for name in SCRIPTS]
        if data_url:
            self.default_js.append(("pagedata", data_url))
        self.default_css = []
