"""District boundaries for the dashboard map, as GeoJSON decoded from the TopoJSON the product ships
(`core/data/districts.topojson`), so that the browser needs no TopoJSON library and nothing is fetched from outside.
"""

from __future__ import annotations

import json
from functools import cache

from suragh.core.reference import DISTRICTS_FILE

# Two decimals of a degree is about 1 km: enough for a national choropleth of districts, at a small fraction of the
# boundaries' size.
PLACES = 2


def _decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    scale_x, scale_y = topology["transform"]["scale"]
    shift_x, shift_y = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((round(x * scale_x + shift_x, PLACES), round(y * scale_y + shift_y, PLACES)))
        arcs.append(points)
    return arcs


def _ring(arcs: list[list[tuple[float, float]]], indexes: list[int]) -> list[tuple[float, float]]:
    ring: list[tuple[float, float]] = []
    for index in indexes:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        for point in points[1:] if ring else points:
            if not ring or ring[-1] != point:
                ring.append(point)
    return ring


@cache
def districts_geojson() -> bytes:
    """A FeatureCollection of the 160 districts, each with its P-code, name and province."""
    topology = json.loads(DISTRICTS_FILE.read_text(encoding="utf-8"))
    arcs = _decode_arcs(topology)
    features = []
    for collection in topology["objects"].values():
        for geometry in collection["geometries"]:
            props = geometry["properties"]
            if geometry["type"] == "Polygon":
                coordinates = [_ring(arcs, ring) for ring in geometry["arcs"]]
            else:
                coordinates = [[_ring(arcs, ring) for ring in polygon] for polygon in geometry["arcs"]]
            features.append(
                {
                    "type": "Feature",
                    "properties": {
                        "pcode": props["ADM2_PCODE"],
                        "name": props["ADM2_EN"],
                        "province": props["ADM1_EN"],
                    },
                    "geometry": {"type": geometry["type"], "coordinates": coordinates},
                }
            )
    return json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")).encode()
