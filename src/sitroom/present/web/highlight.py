"""The article text with every extracted fact highlighted in place, like displaCy — built from offsets.

Facts overlap (a name inside a quote inside a claim), and HTML elements must nest, so the text is
cut at every fact boundary into flat segments; each segment carries the classes of all the facts
covering it. A segment inside a mention is a link to the actor page. Every character of the text is
escaped: article text is untrusted input.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup, escape

from sitroom.model import Analysis

SPEAKER_COLOURS = 10  # CSS classes q0 … q9


@dataclass
class Layer:
    start: int
    end: int
    classes: tuple[str, ...]
    title: str = ""
    href: str | None = None


@dataclass
class Highlighted:
    html: Markup
    speakers: list[tuple[str, int]] = field(default_factory=list)  # (speaker name, colour index) legend
    quote_colours: dict[str, int] = field(default_factory=dict)  # quote id -> colour index


def _clip(a: Analysis, start: int | None, end: int | None) -> tuple[int, int] | None:
    if start is None or end is None:
        return None
    start, end = max(0, start), min(len(a.text), end)
    return (start, end) if end > start else None


def layers(a: Analysis, actor_href: dict[str, str] | None = None,
           ) -> tuple[list[Layer], list[tuple[str, int]], dict[str, int]]:
    """Every fact of the analysis as a layer; the speaker colour legend; each quote's colour."""
    actor_href = actor_href or {}
    out: list[Layer] = []

    def add(start: int | None, end: int | None, classes: tuple[str, ...], title: str = "",
            href: str | None = None) -> None:
        span = _clip(a, start, end)
        if span:
            out.append(Layer(span[0], span[1], classes, title, href))

    art = a.article
    for kind in ("headline", "dek", "kicker", "section", "byline", "dateline"):
        span = getattr(art, kind)
        if span is not None:
            add(span.start, span.end, ("part", f"part-{kind}"), kind)
    for f in art.furniture:
        add(f.start, f.end, ("furn",), f"page furniture: {f.kind}" + (f" ({f.reason})" if f.reason else ""))
    for e in a.entities:
        roles = "; ".join(dict.fromkeys(r.text for r in e.roles))
        title = f"{e.name} · {e.type}" + (f" · {roles}" if roles else "")
        for m in e.mentions:
            add(m.start, m.end, ("m", f"m-{e.type}"), title, actor_href.get(e.id))
        for r in e.roles:
            add(r.start, r.end, ("role",), f"role of {e.name}")
    colours: dict[str, int] = {}
    legend: list[tuple[str, int]] = []
    quote_colours: dict[str, int] = {}
    for q in a.quotes:
        who = "unattributed"
        if q.speaker is not None:
            ent = a.entity(q.speaker.actor_id)
            who = ent.name if ent else q.speaker.name
        if who not in colours:
            colours[who] = len(colours) % SPEAKER_COLOURS
            legend.append((who, colours[who]))
        quote_colours[q.id] = colours[who]
        title = f"{q.id} {q.kind} quote · {who}" + (" · belief" if q.belief else "")
        spans = [(f.start, f.end) for f in q.fragments] or [(q.start, q.end)]
        for s, e in spans:
            add(s, e, ("q", f"q{colours[who]}", f"q-{q.kind}"), title)
        if q.cue is not None:
            add(q.cue.start, q.cue.end, ("cue",), f"cue of {q.id}")
        if q.speaker is not None and q.speaker.start is not None:
            add(q.speaker.start, q.speaker.end, ("speaker", f"q{colours[who]}"), f"speaker of {q.id}")
    for t in a.times:
        add(t.start, t.end, ("t",), f"{t.id} {t.type} = {t.value or '?'}")
    for n in a.quantities:
        val = n.value if n.value is not None else f"{n.value_low}–{n.value_high}"
        add(n.start, n.end, ("n",), f"{n.id} {val} {n.unit or ''}".strip() + (" (approx.)" if n.approx else ""))
    for ev in a.events:
        who = " → ".join(x.name for x in (ev.actor, ev.target) if x is not None)
        where = f" at {ev.location.name}" if ev.location else ""
        title = f"{ev.id} {ev.type}" + (f"/{ev.mode}" if ev.mode else "") + f" ({ev.status})" + \
            (f": {who}" if who else "") + where + (f" · {ev.when}" if ev.when else "")
        add(ev.trigger.start, ev.trigger.end, ("ev",), title)
    for c in a.claims:
        lk = c.likelihood
        title = f"{c.id} {'forecast' if c.forecast else 'assessment'}" + \
            (f" · {lk.phrase} ({lk.band})" if lk else "") + (" · negated" if c.polarity == "negative" else "")
        add(c.start, c.end, ("c",), title)
        if lk is not None and lk.start is not None:
            add(lk.start, lk.end, ("lk",), f"likelihood: {lk.band or lk.phrase}")
    return out, legend, quote_colours


def highlight(a: Analysis, actor_href: dict[str, str] | None = None,
              target: tuple[int, int] | None = None) -> Highlighted:
    """The whole text as HTML; `target` (start, end) is marked. Each fact's first segment is anchored ``#s{start}``."""
    ls, legend, quote_colours = layers(a, actor_href)
    tspan = _clip(a, *target) if target else None
    if tspan:
        ls.append(Layer(tspan[0], tspan[1], ("hl",), "linked span"))
    cuts = sorted({0, len(a.text), *(x.start for x in ls), *(x.end for x in ls)})
    starts: dict[int, list[Layer]] = {}
    for x in ls:
        starts.setdefault(x.start, []).append(x)
    active: list[Layer] = []
    parts: list[str] = []
    for a0, a1 in zip(cuts, cuts[1:], strict=False):
        active = [x for x in active if x.end > a0] + starts.get(a0, [])
        text = escape(a.text[a0:a1])
        anchor = f' id="s{a0}"' if a0 in starts else ""
        if not active:
            parts.append(f"<span{anchor}>{text}</span>" if anchor else str(text))
            continue
        classes = " ".join(dict.fromkeys(c for x in active for c in x.classes))
        title = " | ".join(dict.fromkeys(x.title for x in active if x.title))
        href = next((x.href for x in active if x.href), None)
        attrs = f'{anchor} class="{escape(classes)}" title="{escape(title)}" data-s="{a0}" data-e="{a1}"'
        if href:
            parts.append(f'<a href="{escape(href)}"{attrs}>{text}</a>')
        else:
            parts.append(f"<span{attrs}>{text}</span>")
    return Highlighted(html=Markup("".join(parts)), speakers=legend, quote_colours=quote_colours)
