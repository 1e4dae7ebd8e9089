"""The situation brief: `assemble` (store → `Brief`), then `render_*` (md, html, pdf).

    brief = assemble(store, topic="ceasefire", since=date(2024, 11, 1))
    open("brief.md", "w").write(render_markdown(brief))
"""

from sitroom.present.brief.assemble import Limits, assemble
from sitroom.present.brief.model import Brief
from sitroom.present.brief.render import (
    FORMATS,
    Links,
    PdfUnavailable,
    brief_charts,
    render_html,
    render_markdown,
    render_pdf,
)

__all__ = ["FORMATS", "Brief", "Limits", "Links", "PdfUnavailable", "assemble", "brief_charts", "render_html",
           "render_markdown", "render_pdf"]
