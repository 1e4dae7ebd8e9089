"""Lay a `Brief` out as Markdown, HTML or PDF with Jinja2 templates — no generated prose.

Every statement links to the web app's article view at the fact's span
(``{base_url}/articles/{id}?hl={start}-{end}#s{start}``), so a reader with `sitroom serve`
running can click from any line to the highlighted sentence. The charts are the same SVG drawings
(`sitroom.present.charts`) in every format: inline in HTML and PDF, beside the file in Markdown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape

from sitroom.nlp.estimative import ICD203_BANDS
from sitroom.present import charts
from sitroom.present.brief.model import Brief, SourceRef

FORMATS = ("md", "html", "pdf")
DEFAULT_BASE_URL = "http://127.0.0.1:8000"

#: ICD 203 expressions of likelihood with their probability ranges, for the forecasts legend
ICD203 = [(name, f"{round(lo * 100)}–{round(hi * 100)} %") for name, lo, hi in ICD203_BANDS]


class PdfUnavailable(RuntimeError):
    """WeasyPrint (or the Pango library it needs) is missing."""


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def md_escape(value: object) -> str:
    """Article text as inert Markdown: one line, Markdown and HTML punctuation backslash-escaped."""
    text = " ".join(str(value if value is not None else "").split())
    return _MD_SPECIAL.sub(r"\\\1", text)


def pct(low: float | None, high: float | None) -> str:
    if low is None or high is None:
        return ""
    lo, hi = round(low * 100), round(high * 100)
    return f"{lo} %" if lo == hi else f"{lo}–{hi} %"


@dataclass
class Links:
    """How the brief links to the web app (absolute for files, relative inside the app)."""

    base_url: str = DEFAULT_BASE_URL

    def ref(self, ref: SourceRef) -> str:
        return self.base_url.rstrip("/") + ref.anchor

    def actor(self, actor_id: int | None) -> str | None:
        return None if actor_id is None else f"{self.base_url.rstrip('/')}/actors/{actor_id}"

    def article(self, article_id: int) -> str:
        return f"{self.base_url.rstrip('/')}/articles/{article_id}"


def environment(extra_loader=None) -> Environment:  # noqa: ANN001
    loaders = [PackageLoader("sitroom.present.brief", "templates")]
    if extra_loader is not None:
        loaders.insert(0, extra_loader)
    env = Environment(loader=ChoiceLoader(loaders), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["md"] = md_escape
    env.filters["pct"] = pct
    return env


def brief_charts(brief: Brief, links: Links) -> dict[str, str]:
    """The three drawings of a brief as SVG strings: map, timeline, network."""
    points = [charts.Point(lat=p.latitude, lon=p.longitude, count=p.count,
                           label=f"{p.name} — {p.count} event(s): {', '.join(p.types)}",
                           href=links.ref(p.refs[0]) if p.refs else None) for p in brief.places]
    marks = []
    for t in brief.timeline:
        if t.date is None:
            continue
        who = " → ".join(x.name for x in (t.actor, t.target) if x)
        label = f"{t.date} {t.type}" + (f": {who}" if who else "") + (f" at {t.place}" if t.place else "")
        marks.append(charts.Mark(date=t.date, lane=t.type, label=f"{label} — {t.sentence}", href=links.ref(t.refs[0]),
                                 hollow=t.status in ("planned", "threatened", "hypothetical"), weight=len(t.refs)))
    nodes, edges = charts.network_from_relations(brief.relations, links.actor)
    return {"map": charts.map_svg(points), "timeline": charts.timeline_svg(marks),
            "network": charts.network_svg(nodes, edges)}


def render_markdown(brief: Brief, links: Links | None = None, assets_dir: Path | None = None,
                    assets_prefix: str = "") -> str:
    """Markdown; with `assets_dir` the charts are written there as SVG files and shown as images."""
    links = links or Links()
    images: dict[str, str] = {}
    if assets_dir is not None:
        assets_dir.mkdir(parents=True, exist_ok=True)
        for name, svg in brief_charts(brief, links).items():
            (assets_dir / f"{name}.svg").write_text(svg, encoding="utf-8")
            images[name] = f"{assets_prefix}{name}.svg"
    return environment().get_template("brief.md").render(brief=brief, links=links, images=images, icd203=ICD203)


def render_html(brief: Brief, links: Links | None = None, *, for_print: bool = False) -> str:
    """A standalone HTML page (styles inline, charts inline as SVG, no script)."""
    links = links or Links()
    return environment().get_template("brief.html").render(brief=brief, links=links, svgs=brief_charts(brief, links),
                                                           icd203=ICD203, for_print=for_print)


def render_pdf(brief: Brief, links: Links | None = None) -> bytes:
    """The HTML brief typeset by WeasyPrint (needs the Pango library: Debian's libpango-1.0-0)."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:
        raise PdfUnavailable(f"PDF output needs WeasyPrint and the Pango library ({exc}); "
                             "on Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0") from None
    return HTML(string=render_html(brief, links, for_print=True)).write_pdf()
