"""The offline world outline: Natural Earth 110m countries (shipped as TopoJSON) as polygons or GeoJSON.

TopoJSON stores shared borders once as quantised, delta-encoded arcs; decoding it is a few lines
(the format is a published spec), so sitroom reads it directly instead of shipping a 4× larger
GeoJSON copy or depending on a GIS stack for one outline.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib.resources import files

Ring = list[tuple[float, float]]  # (lon, lat)

WORLD_FILE = "countries-110m.topo.json"


def _decode_arcs(topo: dict) -> list[Ring]:
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        ring = []
        for dx, dy in arc:
            x += dx
            y += dy
            ring.append((x * sx + tx, y * sy + ty))
        arcs.append(ring)
    return arcs


def _ring(indices: list[int], arcs: list[Ring]) -> Ring:
    out: Ring = []
    for i in indices:
        pts = arcs[i] if i >= 0 else arcs[~i][::-1]
        out.extend(pts[1:] if out else pts)  # consecutive arcs share their joining point
    return out


def _unwrap(ring: Ring) -> Ring:
    """Make a ring that crosses the antimeridian continuous (179° → 181°, not 179° → −179°).

    Drawn as stored, such a ring (Russia, Fiji) streaks a line across the whole map. A ring that
    winds around a pole (Antarctica) cannot be unwrapped and is left as it is.
    """
    out = [ring[0]]
    offset = 0.0
    for (x0, _), (x, y) in zip(ring, ring[1:], strict=False):
        if x - x0 > 180:
            offset -= 360
        elif x - x0 < -180:
            offset += 360
        out.append((x + offset, y))
    return ring if abs(out[-1][0] - out[0][0]) > 180 else out


@lru_cache(maxsize=1)
def countries() -> list[tuple[str, list[list[Ring]]]]:
    """(country name, polygons); each polygon is a list of rings, the first one the outer boundary."""
    topo = json.loads(files("sitroom.data").joinpath(WORLD_FILE).read_text(encoding="utf-8"))
    arcs = _decode_arcs(topo)
    out = []
    for g in topo["objects"]["countries"]["geometries"]:
        name = (g.get("properties") or {}).get("name", "")
        if g["type"] == "Polygon":
            polys = [g["arcs"]]
        elif g["type"] == "MultiPolygon":
            polys = g["arcs"]
        else:
            continue
        out.append((name, [[_unwrap(_ring(r, arcs)) for r in poly] for poly in polys]))
    return out


@lru_cache(maxsize=1)
def world_geojson() -> str:
    """The outline as a GeoJSON FeatureCollection (for the web map when offline), serialised once."""
    feats = []
    for name, polys in countries():
        coords = [[[[round(x, 3), round(y, 3)] for x, y in ring] for ring in poly] for poly in polys]
        feats.append({"type": "Feature", "properties": {"name": name},
                      "geometry": {"type": "MultiPolygon", "coordinates": coords}})
    return json.dumps({"type": "FeatureCollection", "features": feats}, separators=(",", ":"))
