"""The map of the circles (drawn as every map is: ``portal/maps.py``).

Every circle carries its number and name on the map, always shown (a permanent Leaflet
tooltip, no tap needed), as a link to its page; the list beside the map has the same numbers
and links. A label is put on the side away from the nearest other circle, so two circles close
together keep their labels apart. The circle of the person who looks stands out.
"""

import math

import folium
from flask import url_for
from markupsafe import Markup, escape

from portal.circles.service import CircleSummary
from portal.maps import Bound, MapParts, fit, new_map, parts
from portal.models import Circle

METRES_PER_DEGREE = 111_320
CIRCLE_STYLE = {"color": "#0b4a8b", "weight": 3, "fill": True, "fill_color": "#0b4a8b", "fill_opacity": 0.2}
MY_CIRCLE_STYLE = {**CIRCLE_STYLE, "color": "#0f4c2a", "weight": 6, "fill_color": "#0f4c2a",
                   "fill_opacity": 0.35}  # the viewer's own circle: the portal's green, thicker


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
    fmap = new_map()
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
        fit(fmap, _bounds(summaries))
    return parts(fmap)
