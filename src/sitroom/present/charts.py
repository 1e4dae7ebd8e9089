"""Charts as plain SVG: the events map, the timeline, the actor network.

Why hand-made SVG rather than matplotlib: one drawing serves the web app, the HTML file, the
PDF and the Markdown brief; points and nodes are real links (to the article span, to the actor
page) with hover titles; and the markup uses presentation attributes only, no `style`
attributes or `<style>` blocks, so the web app's Content-Security-Policy can forbid inline
styles and scripts. Every piece of text drawn comes from articles and is escaped.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import escape

from sitroom.present.geo import countries

PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
           "#bab0ac", "#1f77b4", "#8c564b"]
RELATION_COLOURS = {"acts_on": "#d62728", "speaks_about": "#1f77b4", "speaks_to": "#2ca02c", "named_with": "#8c8c8c"}
UNDIRECTED = {"named_with"}
GRAVITY = 0.3
FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"


def _svg_open(width: int, height: int, label: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
            f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
            f'aria-label="{escape(label)}" font-family="{FONT}" font-size="11">')


def _halo_text(x: float, y: float, text: str, anchor: str = "start") -> str:
    """A label readable over lines and shapes: a white outline drawn first, then the text."""
    t = escape(text)
    common = f'x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"'
    return (f'<text {common} fill="#fff" stroke="#fff" stroke-width="3" stroke-linejoin="round">{t}</text>'
            f'<text {common} fill="#222">{t}</text>')


def _link(href: str | None, inner: str) -> str:
    if not href:
        return inner
    return f'<a href="{escape(href)}" xlink:href="{escape(href)}" target="_top">{inner}</a>'


# --------------------------------------------------------------------------- map

@dataclass
class Point:
    lat: float
    lon: float
    label: str
    count: int = 1
    href: str | None = None


def _view(points: Sequence[Point], aspect: float) -> tuple[float, float, float, float]:
    """(lon0, lat0, lon1, lat1): the points' box padded, widened to the drawing's aspect; the world without points."""
    if not points:
        return -180.0, -60.0, 180.0, 85.0
    lons, lats = [p.lon for p in points], [p.lat for p in points]
    lo0, lo1, la0, la1 = min(lons), max(lons), min(lats), max(lats)
    pad = max(4.0, 0.25 * max(lo1 - lo0, la1 - la0))
    lo0, lo1, la0, la1 = lo0 - pad, lo1 + pad, max(-85.0, la0 - pad), min(85.0, la1 + pad)
    k = math.cos(math.radians((la0 + la1) / 2)) or 1.0
    w, h = (lo1 - lo0) * k, la1 - la0
    if w / h < aspect:
        grow = (h * aspect / k - (lo1 - lo0)) / 2
        lo0, lo1 = lo0 - grow, lo1 + grow
    else:
        grow = ((lo1 - lo0) * k / aspect - h) / 2
        la0, la1 = la0 - grow, la1 + grow
    return lo0, la0, lo1, la1


def map_svg(points: Sequence[Point], width: int = 760, height: int = 420, title: str = "Event locations") -> str:
    """Country outlines (Natural Earth 110m) with one circle per place, sized by its number of events."""
    lon0, lat0, lon1, lat1 = _view(points, width / height)
    sx, sy = width / (lon1 - lon0), height / (lat1 - lat0)

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return (lon - lon0) * sx, (lat1 - lat) * sy

    parts = [_svg_open(width, height, title), f'<rect width="{width}" height="{height}" fill="#dbe9f4"/>',
             f'<clipPath id="mapclip"><rect width="{width}" height="{height}"/></clipPath>'
             '<g clip-path="url(#mapclip)">']
    for name, polys in countries():
        d = []
        for poly in polys:
            xs = [x for ring in poly for x, _ in ring]
            ys = [y for ring in poly for _, y in ring]
            if max(xs) < lon0 or min(xs) > lon1 or max(ys) < lat0 or min(ys) > lat1:
                continue
            for ring in poly:
                pts = [xy(x, y) for x, y in ring]
                d.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in pts) + "Z")
        if d:
            parts.append(f'<path d="{"".join(d)}" fill="#f4f1ea" stroke="#a9a39a" stroke-width="0.6">'
                         f'<title>{escape(name)}</title></path>')
    biggest = max((p.count for p in points), default=1)
    for p in sorted(points, key=lambda p: -p.count):
        x, y = xy(p.lon, p.lat)
        r = 4 + 10 * math.sqrt(p.count / biggest)
        circle = (f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="#d62728" fill-opacity="0.7" stroke="#fff" '
                  f'stroke-width="1"><title>{escape(p.label)}</title></circle>')
        parts.append(_link(p.href, circle))
    for p in sorted(points, key=lambda p: -p.count)[:12]:
        x, y = xy(p.lon, p.lat)
        parts.append(_halo_text(x + 9, y - 7, p.label.split(" — ")[0]))
    parts.append("</g>")
    parts.append(f'<text x="{width - 6}" y="{height - 6}" text-anchor="end" fill="#666" font-size="9">'
                 "Outline: Natural Earth (public domain)</text></svg>")
    return "".join(parts)


# --------------------------------------------------------------------------- timeline

@dataclass
class Mark:
    date: dt.date
    lane: str
    label: str
    href: str | None = None
    hollow: bool = False  # planned, threatened, hypothetical
    weight: int = 1  # how many sources report it


def _ticks(d0: dt.date, d1: dt.date, n: int = 6) -> list[dt.date]:
    span = (d1 - d0).days
    step = max(1, round(span / n))
    return [d0 + dt.timedelta(days=i) for i in range(0, span + 1, step)]


def timeline_svg(marks: Sequence[Mark], width: int = 760, title: str = "Timeline of events") -> str:
    """One lane per event type, one dot per event on its date (hollow: planned or threatened)."""
    marks = [m for m in marks if m.date is not None]
    lanes = list(dict.fromkeys(m.lane for m in sorted(marks, key=lambda m: m.date)))[:14]
    marks = [m for m in marks if m.lane in lanes]
    left, right, top, lane_h = 130, 40, 12, 26
    height = top + lane_h * max(1, len(lanes)) + 34
    parts = [_svg_open(width, height, title), f'<rect width="{width}" height="{height}" fill="#fff"/>']
    if not marks:
        parts.append(f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" fill="#777">'
                     "no dated events</text></svg>")
        return "".join(parts)
    d0, d1 = min(m.date for m in marks), max(m.date for m in marks)
    if (d1 - d0).days < 6:
        pad = (6 - (d1 - d0).days) // 2 + 1
        d0, d1 = d0 - dt.timedelta(days=pad), d1 + dt.timedelta(days=pad)
    span = max(1, (d1 - d0).days)

    def x(d: dt.date) -> float:
        return left + (width - left - right) * (d - d0).days / span

    for i, lane in enumerate(lanes):
        y = top + lane_h * i + lane_h / 2
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y}" y2="{y}" stroke="#eee"/>')
        parts.append(f'<text x="{left - 8}" y="{y + 4}" text-anchor="end" fill="#333">{escape(lane)}</text>')
    axis_y = top + lane_h * len(lanes) + 6
    parts.append(f'<line x1="{left}" x2="{width - right}" y1="{axis_y}" y2="{axis_y}" stroke="#999"/>')
    for d in _ticks(d0, d1):
        parts.append(f'<line x1="{x(d):.1f}" x2="{x(d):.1f}" y1="{axis_y}" y2="{axis_y + 4}" stroke="#999"/>'
                     f'<text x="{x(d):.1f}" y="{axis_y + 16}" text-anchor="middle" fill="#555" font-size="10">'
                     f"{d.isoformat()}</text>")
    colour = {lane: PALETTE[i % len(PALETTE)] for i, lane in enumerate(lanes)}
    for m in marks:
        y = top + lane_h * lanes.index(m.lane) + lane_h / 2
        r = 4 + min(4, m.weight - 1) * 1.2
        fill = "#fff" if m.hollow else colour[m.lane]
        dot = (f'<circle cx="{x(m.date):.1f}" cy="{y}" r="{r:.1f}" fill="{fill}" stroke="{colour[m.lane]}" '
               f'stroke-width="2"><title>{escape(m.label)}</title></circle>')
        parts.append(_link(m.href, dot))
    parts.append("</svg>")
    return "".join(parts)


# --------------------------------------------------------------------------- network

@dataclass
class Node:
    key: str
    label: str
    href: str | None = None
    weight: float = 1.0


@dataclass
class Edge:
    source: str
    target: str
    kind: str
    weight: int = 1
    label: str = ""


def force_layout(keys: Sequence[str], edges: Sequence[tuple[str, str]], iterations: int = 300,
                 ) -> dict[str, tuple[float, float]]:
    """Fruchterman–Reingold in the unit square, from a circle (deterministic: same graph, same picture)."""
    n = len(keys)
    if n == 0:
        return {}
    pos = {k: [0.5 + 0.4 * math.cos(2 * math.pi * i / n), 0.5 + 0.4 * math.sin(2 * math.pi * i / n)]
           for i, k in enumerate(keys)}
    if n == 1:
        return {keys[0]: (0.5, 0.5)}
    k = math.sqrt(1.0 / n)
    temp = 0.1
    for _ in range(iterations):
        disp = {key: [0.0, 0.0] for key in keys}
        for i, a in enumerate(keys):
            for b in keys[i + 1:]:
                dx, dy = pos[a][0] - pos[b][0], pos[a][1] - pos[b][1]
                d = math.hypot(dx, dy) or 1e-4
                f = k * k / d
                disp[a][0] += dx / d * f
                disp[a][1] += dy / d * f
                disp[b][0] -= dx / d * f
                disp[b][1] -= dy / d * f
        for a, b in edges:
            if a == b or a not in pos or b not in pos:
                continue
            dx, dy = pos[a][0] - pos[b][0], pos[a][1] - pos[b][1]
            d = math.hypot(dx, dy) or 1e-4
            f = d * d / k
            disp[a][0] -= dx / d * f
            disp[a][1] -= dy / d * f
            disp[b][0] += dx / d * f
            disp[b][1] += dy / d * f
        for key in keys:  # gravity: a weak pull to the centre keeps unconnected parts in the picture
            disp[key][0] -= GRAVITY * (pos[key][0] - 0.5) / k
            disp[key][1] -= GRAVITY * (pos[key][1] - 0.5) / k
        for key in keys:
            dx, dy = disp[key]
            d = math.hypot(dx, dy) or 1e-4
            pos[key][0] += dx / d * min(d, temp)
            pos[key][1] += dy / d * min(d, temp)
        temp = max(0.005, temp * 0.98)
    # stretch the drawing to the unit square (an unconnected node is otherwise pushed far out)
    xs, ys = [p[0] for p in pos.values()], [p[1] for p in pos.values()]
    w, h = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    return {key: ((p[0] - min(xs)) / w, (p[1] - min(ys)) / h) for key, p in pos.items()}


def _place_labels(items: Sequence[tuple[str, float, float, float, str]]) -> dict[str, tuple[float, float]]:
    """Label positions that do not overlap: above the dot, else below, else to the right.

    `items` are (key, x, y, radius, label); text width is estimated from its length (11 px font).
    """
    boxes: list[tuple[float, float, float, float]] = []
    out: dict[str, tuple[float, float]] = {}

    def free(b: tuple[float, float, float, float]) -> bool:
        return all(b[2] <= o[0] or o[2] <= b[0] or b[3] <= o[1] or o[3] <= b[1] for o in boxes)

    for key, x, y, r, label in sorted(items, key=lambda t: (t[2], t[1])):
        w = 6.3 * len(label) + 4
        options = [(x, y - r - 4), (x, y + r + 12), (x + r + 4 + w / 2, y + 4), (x - r - 4 - w / 2, y + 4)]
        best = options[0]
        for ox, oy in options:
            box = (ox - w / 2, oy - 11, ox + w / 2, oy + 2)
            if free(box):
                best = (ox, oy)
                break
        boxes.append((best[0] - w / 2, best[1] - 11, best[0] + w / 2, best[1] + 2))
        out[key] = best
    return out


def network_svg(nodes: Sequence[Node], edges: Sequence[Edge], width: int = 760, height: int | None = None,
                title: str = "Actor network") -> str:
    """Actors as labelled dots, relations as arrows coloured by kind (acts on, speaks about, speaks to)."""
    height = height or min(480, 200 + 20 * len(nodes))
    parts = [_svg_open(width, height, title), f'<rect width="{width}" height="{height}" fill="#fff"/>', "<defs>"]
    for kind, colour in RELATION_COLOURS.items():
        parts.append(f'<marker id="arrow-{kind}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="9" '
                     f'markerHeight="9" markerUnits="userSpaceOnUse" orient="auto-start-reverse">'
                     f'<path d="M0,0L10,5L0,10z" fill="{colour}"/></marker>')
    parts.append("</defs>")
    if not nodes:
        parts.append(f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" fill="#777">'
                     "no relations between actors</text></svg>")
        return "".join(parts)
    pos = force_layout([n.key for n in nodes], [(e.source, e.target) for e in edges])
    margin = 90

    def xy(key: str) -> tuple[float, float]:
        x, y = pos[key]
        return margin + x * (width - 2 * margin), 28 + y * (height - 64)

    biggest = max(n.weight for n in nodes) or 1
    radius = {n.key: 5 + 9 * math.sqrt(max(n.weight, 0) / biggest) for n in nodes}
    top = max((e.weight for e in edges), default=1)
    for e in edges:
        if e.source not in pos or e.target not in pos:
            continue
        (x1, y1), (x2, y2) = xy(e.source), xy(e.target)
        d = math.hypot(x2 - x1, y2 - y1) or 1
        ux, uy = (x2 - x1) / d, (y2 - y1) / d
        # a little sideways offset so that A→B and B→A do not overlap
        ox, oy = -uy * 3, ux * 3
        x1, y1 = x1 + ux * radius[e.source] + ox, y1 + uy * radius[e.source] + oy
        x2, y2 = x2 - ux * (radius[e.target] + 2) + ox, y2 - uy * (radius[e.target] + 2) + oy
        colour = RELATION_COLOURS.get(e.kind, "#777")
        w = 1 + 3 * e.weight / top
        arrow = "" if e.kind in UNDIRECTED else f' marker-end="url(#arrow-{escape(e.kind)})"'
        parts.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{colour}" '
                     f'stroke-width="{w:.1f}" stroke-opacity="0.75"{arrow}>'
                     f"<title>{escape(e.label)}</title></line>")
    labels = _place_labels([(n.key, *xy(n.key), radius[n.key], n.label) for n in nodes])
    for n in nodes:
        x, y = xy(n.key)
        inner = (f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius[n.key]:.1f}" fill="#4e79a7" stroke="#fff" '
                 f'stroke-width="1.5"><title>{escape(n.label)}</title></circle>'
                 + _halo_text(*labels[n.key], n.label, anchor="middle"))
        parts.append(_link(n.href, inner))
    ly = height - 10
    shown = [k for k in RELATION_COLOURS if any(e.kind == k for e in edges)]
    for i, (kind, colour) in enumerate((k, RELATION_COLOURS[k]) for k in shown):
        lx = 10 + i * 120
        parts.append(f'<line x1="{lx}" x2="{lx + 22}" y1="{ly - 4}" y2="{ly - 4}" stroke="{colour}" '
                     f'stroke-width="2"/><text x="{lx + 27}" y="{ly}" fill="#444" font-size="10">'
                     f'{kind.replace("_", " ")}</text>')
    parts.append("</svg>")
    return "".join(parts)


def network_from_relations(relations: Sequence, actor_href: Callable[[int], str] | None = None,
                           max_nodes: int = 30) -> tuple[list[Node], list[Edge]]:
    """Nodes and edges for `network_svg` from the brief's `Relation`s (the most connected actors)."""
    degree: dict[str, float] = {}
    labels: dict[str, tuple[str, int | None]] = {}
    for r in relations:
        for a in (r.source, r.target):
            key = f"#{a.id}" if a.id is not None else "name:" + a.name.lower()
            degree[key] = degree.get(key, 0) + r.count
            labels[key] = (a.name, a.id)
    keep = sorted(degree, key=lambda k: (-degree[k], labels[k][0]))[:max_nodes]
    nodes = [Node(key=k, label=labels[k][0], weight=degree[k],
                  href=actor_href(labels[k][1]) if actor_href and labels[k][1] is not None else None) for k in keep]
    keys = set(keep)
    edges = []
    for r in relations:
        s = f"#{r.source.id}" if r.source.id is not None else "name:" + r.source.name.lower()
        t = f"#{r.target.id}" if r.target.id is not None else "name:" + r.target.name.lower()
        if s in keys and t in keys:
            what = ", ".join(r.types) if r.types else r.kind.replace("_", " ")
            edges.append(Edge(source=s, target=t, kind=r.kind, weight=r.count,
                              label=f"{r.source.name} → {r.target.name}: {what} ({r.count})"))
    return nodes, edges
