"""DaySlider: a folium plugin that steps a Leaflet map through the days of a dataset.

folium's TimestampedGeoJson cannot show dates before 1970 and its Timeline slider is continuous;
this plugin has one step per day, a day/cumulative mode and an accessible range input. The data
reaches the page once, as JSON, and the JS file builds every element with textContent.
"""
from __future__ import annotations

from typing import Any

from branca.element import MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template

from .scriptjson import script_json

VERSION = "1.0.0"


class DaySlider(JSCSSMixin, MacroElement):
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
            {{ this.data_json }}
        );
        {% endmacro %}
        """
    )

    def __init__(self, data: dict[str, Any], *, asset_base: str = "/static/", mode: str = "day",
                 initial_day: int = 0, controls_id: str = "day-controls", list_id: str = "event-list",
                 details_id: str = "event-details", status_id: str = "status",
                 legend_id: str | None = "legend", sources_url: str | None = None,
                 renderer: str = "auto", play_interval_ms: int = 1500,
                 tiles: dict[str, Any] | None = None):
        super().__init__()
        self._name = "DaySlider"
        self.data = data
        self.options = {
            "mode": mode, "initialDay": initial_day, "controlsId": controls_id, "listId": list_id,
            "detailsId": details_id, "statusId": status_id, "legendId": legend_id,
            "sourcesUrl": sources_url, "renderer": renderer, "playIntervalMs": play_interval_ms,
            "tiles": tiles,
        }
        self.data_json = script_json(data)
        self.options_json = script_json(self.options)
        self.default_js = [(name, f"{asset_base}js/{name}-{VERSION}.js")
                           for name in ("dom", "eventlist", "controls", "details", "urlstate", "dayslider")]
        self.default_css = []
