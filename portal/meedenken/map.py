"""A traject on the map (drawn as every map is: ``portal/maps.py``): the plan's place, and each
contribution that has one, numbered as the list below the map. A label is a link to the
contribution, with its number and theme, always shown (no tap needed)."""

import folium
from flask import url_for
from markupsafe import Markup

from portal.circles import service as circle_service
from portal.maps import CENTRE, Bound, MapParts, fit, new_map, parts
from portal.meedenken.words import theme_label
from portal.models import Inbreng, Traject

PLAN_STYLE = {"color": "#0f4c2a", "weight": 4, "fill": True, "fill_color": "#0f4c2a", "fill_opacity": 0.5}
INBRENG_STYLE = {"color": "#0b4a8b", "weight": 3, "fill": True, "fill_color": "#0b4a8b", "fill_opacity": 0.4}
MARGIN = 0.002  # degrees around the points, so none sits on the edge


def _label(number: int, traject: Traject, item: Inbreng) -> Markup:
    return Markup('<a href="{}"><span class="map-number">{}</span> {}</a>').format(
        url_for("meedenken.inbreng", slug=traject.slug, inbreng_id=item.id), number, theme_label(item.theme))


def traject_map(traject: Traject, items: list[Inbreng]) -> MapParts:
    """The plan's place (if set) and ``items`` numbered from 1; without any point, the middle
    of the wijk's buurtcirkels, where a resident can still tap a place."""
    points = [point for point in (traject.point, *(item.point for item in items)) if point]
    fmap = new_map(points[0] if points else circle_service.centre() or CENTRE, zoom=16 if points else 14)
    if traject.point:
        plan = folium.CircleMarker(location=traject.point, radius=14, **PLAN_STYLE)
        plan.add_child(Bound("bindTooltip", Markup("<strong>Het plan</strong>"), permanent=True,
                             direction="left", className="map-label map-plan"))
        plan.add_to(fmap)
    for number, item in enumerate(items, 1):
        marker = folium.CircleMarker(location=item.point, radius=10, **INBRENG_STYLE)
        marker.add_child(Bound("bindTooltip", _label(number, traject, item), permanent=True, interactive=True,
                               direction="right", className="map-label"))
        marker.add_to(fmap)
    if len(points) > 1:
        fit(fmap, [[min(p[0] for p in points) - MARGIN, min(p[1] for p in points) - MARGIN],
                   [max(p[0] for p in points) + MARGIN, max(p[1] for p in points) + MARGIN]], max_zoom=17)
    return parts(fmap)
