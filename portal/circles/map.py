"""The map of the circles: folium builds it, our own page shows it.

No iframe and nothing from a CDN: folium's default scripts and styles (jQuery, Bootstrap,
Font Awesome, Leaflet from jsDelivr) are replaced by the vendored Leaflet, and only folium's
map ``<div>`` and its script are used. The template loads the assets, gives the script the
CSP nonce, and the size of the map comes from portal.css (folium's ``<style>`` blocks and its
``user-scalable=no`` viewport are left out on purpose).
"""

from dataclasses import dataclass

import folium
from branca.element import MacroElement
from flask import current_app, url_for
from jinja2 import Template
from markupsafe import Markup, escape

from portal.circles.service import CircleSummary

LEAFLET = "vendor/leaflet-1.9.4/"
CENTRE = (52.1035, 5.0150)  # Vleuten-De Meern, for a map without circles
METRES_PER_DEGREE = 111_320
CIRCLE_STYLE = {"color": "#0b4a8b", "weight": 3, "fill": True, "fill_color": "#0b4a8b", "fill_opacity": 0.2}


class LinkPopup(MacroElement):
    """A popup with a little plain HTML. folium's own ``Popup`` needs jQuery and writes
    ``style`` attributes, which the CSP refuses."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "{{ this._parent.get_name() }}.bindPopup({{ this.html|tojson }});"
        "{% endmacro %}"
    )

    def __init__(self, html: str):
        super().__init__()
        self._name = "LinkPopup"
        self.html = str(html)


@dataclass
class MapParts:
    html: Markup
    script: Markup
    css: list[str]
    js: list[str]


def _popup_html(summary: CircleSummary) -> Markup:
    circle = summary.circle
    members = "1 lid" if summary.member_count == 1 else f"{summary.member_count} leden"
    return Markup('<a href="{}">{}</a><br>{}').format(
        url_for("circles.show", slug=circle.slug), circle.name, escape(members)
    )


def _bounds(summaries: list[CircleSummary]) -> list[list[float]]:
    """South-west and north-east corners around every circle (radius included)."""
    margins = [s.circle.radius_m / METRES_PER_DEGREE for s in summaries]
    lats = [s.circle.latitude for s in summaries]
    lons = [s.circle.longitude for s in summaries]
    return [
        [min(lat - m for lat, m in zip(lats, margins, strict=True)),
         min(lon - 1.6 * m for lon, m in zip(lons, margins, strict=True))],
        [max(lat + m for lat, m in zip(lats, margins, strict=True)),
         max(lon + 1.6 * m for lon, m in zip(lons, margins, strict=True))],
    ]


def circle_map(summaries: list[CircleSummary]) -> MapParts:
    """One folium.Circle per buurtcirkel, each with a popup that links to its page."""
    config = current_app.config
    fmap = folium.Map(location=CENTRE, zoom_start=14, tiles=None)
    fmap.default_css = [("leaflet_css", url_for("static", filename=LEAFLET + "leaflet.css"))]
    fmap.default_js = [("leaflet", url_for("static", filename=LEAFLET + "leaflet.js"))]
    folium.TileLayer(
        tiles=config["TILE_URL"], attr=config["TILE_ATTRIBUTION"], max_zoom=19, max_native_zoom=19
    ).add_to(fmap)
    for summary in summaries:
        circle = folium.Circle(
            location=(summary.circle.latitude, summary.circle.longitude),
            radius=summary.circle.radius_m,
            **CIRCLE_STYLE,
        )
        circle.add_child(LinkPopup(_popup_html(summary)))
        circle.add_to(fmap)
    if summaries:
        fit = folium.FitBounds(_bounds(summaries), max_zoom=16)
        fit.options["animate"] = False  # show the circles at once: no zoom animation on load
        fmap.add_child(fit)
    root = fmap.get_root()
    root.render()  # lets every element put its parts into the figure's html and script
    return MapParts(
        # folium's own output, built from our escaped values and JSON: safe to insert as is.
        html=Markup(root.html.render()),  # noqa: S704
        script=Markup(root.script.render()),  # noqa: S704
        css=[url for _name, url in fmap.default_css],
        js=[url for _name, url in fmap.default_js],
    )
