"""The map of the circles: folium builds it, our own page shows it.

No iframe and nothing from a CDN: folium's default scripts and styles (jQuery, Bootstrap,
Font Awesome, Leaflet from jsDelivr) are replaced by the vendored Leaflet, and only folium's
map ``<div>`` and its script are used. The template loads the assets, gives the script the
CSP nonce, and the size of the map comes from portal.css (folium's ``<style>`` blocks and its
``user-scalable=no`` viewport are left out on purpose).

Every circle carries its number and name on the map, always shown (a permanent Leaflet
tooltip, no tap needed), as a link to its page; the list beside the map has the same numbers
and links. A label is put on the side away from the nearest other circle, so two circles close
together keep their labels apart. The circle of the person who looks stands out.
"""

import math
from dataclasses import dataclass

import folium
from branca.element import MacroElement
from flask import current_app, url_for
from jinja2 import Template
from markupsafe import Markup, escape

from portal.circles.service import CircleSummary
from portal.models import Circle

LEAFLET = "vendor/leaflet-1.9.4/"
CENTRE = (52.1035, 5.0150)  # Vleuten-De Meern, for a map without circles
METRES_PER_DEGREE = 111_320
CIRCLE_STYLE = {"color": "#0b4a8b", "weight": 3, "fill": True, "fill_color": "#0b4a8b", "fill_opacity": 0.2}
MY_CIRCLE_STYLE = {**CIRCLE_STYLE, "color": "#0f4c2a", "weight": 6, "fill_color": "#0f4c2a",
                   "fill_opacity": 0.35}  # the viewer's own circle: the portal's green, thicker


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


def _label_html(number: int, summary: CircleSummary, mine: bool) -> Markup:
    """The label on the map: the circle's number in the list and its name, a link to its page."""
    return Markup('<a href="{}"><span class="map-number">{}</span> {}{}</a>').format(
        url_for("circles.show", slug=summary.circle.slug), number, summary.circle.name,
        Markup(' <span class="map-mine">(uw buurtcirkel)</span>') if mine else "",
    )


def _label_sides(summaries: list[CircleSummary]) -> list[str]:
    """For each circle, "left" or "right": away from the nearest other circle."""
    places = [(s.circle.latitude, s.circle.longitude * math.cos(math.radians(s.circle.latitude)))
              for s in summaries]
    sides = []
    for i, (lat, lon) in enumerate(places):
        others = [place for j, place in enumerate(places) if j != i]
        if not others:
            sides.append("right")
            continue
        _near_lat, near_lon = min(others, key=lambda p: (p[0] - lat) ** 2 + (p[1] - lon) ** 2)
        sides.append("left" if near_lon >= lon else "right")
    return sides


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


def circle_map(summaries: list[CircleSummary], mine: Circle | None = None) -> MapParts:
    """One folium.Circle per buurtcirkel, numbered as ``summaries``, each with a label and a
    popup that link to its page; ``mine`` (the viewer's own circle) stands out."""
    config = current_app.config
    fmap = folium.Map(location=CENTRE, zoom_start=14, tiles=None)
    fmap.default_css = [("leaflet_css", url_for("static", filename=LEAFLET + "leaflet.css"))]
    fmap.default_js = [("leaflet", url_for("static", filename=LEAFLET + "leaflet.js"))]
    folium.TileLayer(
        tiles=config["TILE_URL"], attr=config["TILE_ATTRIBUTION"], max_zoom=19, max_native_zoom=19
    ).add_to(fmap)
    for number, (summary, side) in enumerate(zip(summaries, _label_sides(summaries), strict=True), 1):
        is_mine = mine is not None and summary.circle.id == mine.id
        circle = folium.Circle(
            location=(summary.circle.latitude, summary.circle.longitude),
            radius=summary.circle.radius_m,
            **(MY_CIRCLE_STYLE if is_mine else CIRCLE_STYLE),
        )
        circle.add_child(Bound("bindPopup", _popup_html(summary)))
        circle.add_child(Bound(
            "bindTooltip", _label_html(number, summary, is_mine), permanent=True, interactive=True,
            direction=side, className="map-label is-mine" if is_mine else "map-label",
        ))
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
