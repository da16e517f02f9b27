"""Maps drawn with folium inside our own pages: the buurtcirkels (``portal/circles/map.py``)
and a meedenken traject with its inbreng (``portal/meedenken/map.py``).

No iframe and nothing from a CDN: folium's default scripts and styles (jQuery, Bootstrap,
Font Awesome, Leaflet from jsDelivr) are replaced by the vendored Leaflet, and only folium's
map ``<div>`` and its script are used. The template (the ``folium_map`` macro in
``_map.html``) loads the assets and gives the script the CSP nonce; the size of the map comes
from portal.css (folium's ``<style>`` blocks and its ``user-scalable=no`` viewport are left
out on purpose).
"""

from dataclasses import dataclass

import folium
from branca.element import MacroElement
from flask import current_app, url_for
from jinja2 import Template
from markupsafe import Markup

LEAFLET = "vendor/leaflet-1.9.4/"
CENTRE = (52.1035, 5.0150)  # Vleuten-De Meern, for a map with nothing on it


class Bound(MacroElement):
    """A popup or a tooltip with a little plain HTML (``bindPopup``/``bindTooltip``). folium's
    own ``Popup`` needs jQuery and writes ``style`` attributes, which the CSP refuses; its
    ``Tooltip`` writes the text into the script unescaped."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "{{ this._parent.get_name() }}.{{ this.method }}({{ this.html|tojson }}, {{ this.options|tojson }});"
        "{% endmacro %}"
    )

    def __init__(self, method: str, html: str, **options):
        super().__init__()
        self._name = "Bound"
        self.method, self.html, self.options = method, str(html), options


@dataclass
class MapParts:
    """What a page needs of a folium map: its ``<div>``, its script, and the vendored assets.
    ``name`` is the script's variable of the Leaflet map (for a page's own few lines)."""

    html: Markup
    script: Markup
    css: list[str]
    js: list[str]
    name: str = ""


def new_map(location: tuple[float, float] = CENTRE, zoom: int = 14) -> folium.Map:
    """An empty map with the vendored Leaflet and the configured tiles."""
    config = current_app.config
    fmap = folium.Map(location=location, zoom_start=zoom, tiles=None)
    fmap.default_css = [("leaflet_css", url_for("static", filename=LEAFLET + "leaflet.css"))]
    fmap.default_js = [("leaflet", url_for("static", filename=LEAFLET + "leaflet.js"))]
    folium.TileLayer(
        tiles=config["TILE_URL"], attr=config["TILE_ATTRIBUTION"], max_zoom=19, max_native_zoom=19
    ).add_to(fmap)
    return fmap


def fit(fmap: folium.Map, bounds: list[list[float]], max_zoom: int = 16) -> None:
    """Show everything at once: no zoom animation on load."""
    fitted = folium.FitBounds(bounds, max_zoom=max_zoom)
    fitted.options["animate"] = False
    fmap.add_child(fitted)


def parts(fmap: folium.Map) -> MapParts:
    root = fmap.get_root()
    root.render()  # lets every element put its parts into the figure's html and script
    return MapParts(
        # folium's own output, built from our escaped values and JSON: safe to insert as is.
        html=Markup(root.html.render()),  # noqa: S704
        script=Markup(root.script.render()),  # noqa: S704
        css=[url for _name, url in fmap.default_css],
        js=[url for _name, url in fmap.default_js],
        name=fmap.get_name(),
    )
