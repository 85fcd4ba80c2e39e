"""Build ``static/geo/europe.geojson``: simplified country outlines for the dashboard's map.

Source: Natural Earth 1:50m admin-0 countries (public domain, https://www.naturalearthdata.com),
as the TopoJSON ``countries-50m.json`` of the npm package ``world-atlas`` 2.0.2 (ISC licence,
data public domain). Not run at run time; rebuild with::

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python -m natofutures.service._geo_build package/countries-50m.json

Polygons are decoded from TopoJSON, those wholly outside the map's box (overseas territories,
Svalbard, Russia east of 60°E) dropped, the rest clipped to the box (Sutherland-Hodgman),
simplified (Douglas-Peucker, 0.04°) and rounded to 0.01°. Feature ids are ISO3 codes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

#: ISO 3166-1 numeric -> alpha-3, for the countries drawn (allies, adversaries, neighbours).
NUMERIC_TO_ISO3 = {
    "826": "GBR", "250": "FRA", "056": "BEL", "528": "NLD", "442": "LUX", "578": "NOR",
    "208": "DNK", "352": "ISL", "380": "ITA", "620": "PRT", "300": "GRC", "792": "TUR",
    "276": "DEU", "724": "ESP", "203": "CZE", "348": "HUN", "616": "POL", "100": "BGR",
    "233": "EST", "428": "LVA", "440": "LTU", "642": "ROU", "703": "SVK", "705": "SVN",
    "008": "ALB", "191": "HRV", "499": "MNE", "807": "MKD", "246": "FIN", "752": "SWE",
    "643": "RUS", "112": "BLR", "804": "UKR", "498": "MDA", "756": "CHE", "040": "AUT",
    "372": "IRL", "688": "SRB", "070": "BIH", "268": "GEO", "051": "ARM", "031": "AZE",
    "196": "CYP", "470": "MLT", "438": "LIE", "492": "MCO", "674": "SMR", "020": "AND",
    "012": "DZA", "788": "TUN", "504": "MAR", "434": "LBY", "818": "EGY", "760": "SYR",
    "368": "IRQ", "364": "IRN", "400": "JOR", "422": "LBN", "376": "ISR", "398": "KAZ",
    "304": "GRL",
}
BOX = (-25.0, 34.0, 60.0, 71.5)  # lon_min, lat_min, lon_max, lat_max
TOLERANCE = 0.04


def _arcs(topo: dict[str, Any]) -> list[list[tuple[float, float]]]:
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    out = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        out.append(pts)
    return out


def _ring(indices: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    ring: list[tuple[float, float]] = []
    for i in indices:
        pts = arcs[i] if i >= 0 else arcs[~i][::-1]
        ring.extend(pts if not ring else pts[1:])
    return ring


def _rdp(pts: list[tuple[float, float]], eps: float) -> list[tuple[float, float]]:
    if len(pts) < 3:
        return pts
    (x1, y1), (x2, y2) = pts[0], pts[-1]
    dx, dy = x2 - x1, y2 - y1
    norm = (dx * dx + dy * dy) ** 0.5
    best, index = 0.0, 0
    for k in range(1, len(pts) - 1):
        px, py = pts[k]
        if norm == 0:
            d = ((px - x1) ** 2 + (py - y1) ** 2) ** 0.5
        else:
            d = abs(dy * px - dx * py + x2 * y1 - y2 * x1) / norm
        if d > best:
            best, index = d, k
    if best <= eps:
        return [pts[0], pts[-1]]
    return _rdp(pts[: index + 1], eps)[:-1] + _rdp(pts[index:], eps)


def _inside(ring: list[tuple[float, float]]) -> bool:
    x0, y0, x1, y1 = BOX
    return any(x0 <= x <= x1 and y0 <= y <= y1 for x, y in ring)


def _clip(ring: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Sutherland-Hodgman clipping of a ring to :data:`BOX`."""
    x0, y0, x1, y1 = BOX
    edges = [
        (lambda p: p[0] >= x0, lambda p, q: _cut_x(p, q, x0)),
        (lambda p: p[0] <= x1, lambda p, q: _cut_x(p, q, x1)),
        (lambda p: p[1] >= y0, lambda p, q: _cut_y(p, q, y0)),
        (lambda p: p[1] <= y1, lambda p, q: _cut_y(p, q, y1)),
    ]
    out = list(ring)
    for inside, cut in edges:
        if not out:
            break
        src, out = out, []
        prev = src[-1]
        for cur in src:
            if inside(cur):
                if not inside(prev):
                    out.append(cut(prev, cur))
                out.append(cur)
            elif inside(prev):
                out.append(cut(prev, cur))
            prev = cur
    return out


def _cut_x(p: tuple[float, float], q: tuple[float, float], x: float) -> tuple[float, float]:
    t = (x - p[0]) / (q[0] - p[0])
    return (x, p[1] + t * (q[1] - p[1]))


def _cut_y(p: tuple[float, float], q: tuple[float, float], y: float) -> tuple[float, float]:
    t = (y - p[1]) / (q[1] - p[1])
    return (p[0] + t * (q[0] - p[0]), y)


def _clean(ring: list[tuple[float, float]]) -> list[list[float]]:
    clipped = _clip(ring)
    if len(clipped) < 3:
        return []
    simple = _rdp([*clipped, clipped[0]], TOLERANCE)
    out: list[list[float]] = []
    for x, y in simple:
        p = [round(x, 2), round(y, 2)]
        if not out or out[-1] != p:
            out.append(p)
    if len(out) >= 3 and out[0] != out[-1]:
        out.append(out[0])
    return out


def build(topojson_path: Path) -> dict[str, Any]:
    """The FeatureCollection of the countries in :data:`NUMERIC_TO_ISO3`, clipped to the box."""
    topo = json.loads(topojson_path.read_text(encoding="utf-8"))
    arcs = _arcs(topo)
    features = []
    for geom in topo["objects"]["countries"]["geometries"]:
        iso3 = NUMERIC_TO_ISO3.get(str(geom.get("id")))
        if iso3 is None:
            continue
        polys = geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]]
        kept = []
        for poly in polys:
            outer = _ring(poly[0], arcs)
            if iso3 == "RUS":  # Chukotka lies across the antimeridian: unwrap it eastwards
                outer = [(x + 360.0 if x < -100.0 else x, y) for x, y in outer]
            if not _inside(outer):
                continue
            rings = [_clean(outer)]  # holes are not drawn
            if len(rings[0]) >= 4:
                kept.append(rings)
        if kept:
            features.append(
                {
                    "type": "Feature",
                    "id": iso3,
                    "properties": {"iso3": iso3, "name": geom["properties"]["name"]},
                    "geometry": {"type": "MultiPolygon", "coordinates": kept},
                }
            )
    return {
        "type": "FeatureCollection",
        "source": "Natural Earth 1:50m admin-0 countries (public domain) via world-atlas 2.0.2; "
        "simplified, clipped to Europe",
        "features": sorted(features, key=lambda f: f["id"]),
    }


if __name__ == "__main__":  # pragma: no cover - build tool
    fc = build(Path(sys.argv[1]))
    target = Path(__file__).with_name("static") / "geo" / "europe.geojson"
    target.write_text(json.dumps(fc, separators=(",", ":")), encoding="utf-8")
    print(f"wrote {target} ({target.stat().st_size} bytes, {len(fc['features'])} countries)")
