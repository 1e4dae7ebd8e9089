"""HTML page parser: trafilatura finds the body and the metadata.

The analysed text is rebuilt from trafilatura's output (headline, then body paragraphs separated
by blank lines); offsets refer to that text, and each paragraph records where it sits in the HTML
source when it can be found there.
"""

from __future__ import annotations

import datetime as dt

import trafilatura

from sitroom.model import Article, Paragraph, TextSpan
from sitroom.page.parse import ParsedPage


def parse_html(html: str, url: str | None = None) -> ParsedPage:
    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                      include_tables=False, favor_precision=False)
    warnings: list[str] = []
    if doc is None:
        return ParsedPage(text="", article=Article(url=url), warnings=["no article text found in the HTML"])
    meta = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    parts: list[str] = []
    article = Article(url=meta.get("url") or url, outlet=meta.get("sitename"), language=meta.get("language"))
    pos = 0

    def add(chunk: str) -> tuple[int, int]:
        nonlocal pos
        if parts:
            parts.append("\n\n")
            pos += 2
        start = pos
        parts.append(chunk)
        pos += len(chunk)
        return start, pos

    title = (meta.get("title") or "").strip()
    if title:
        s, e = add(title)
        article.headline = TextSpan(start=s, end=e, text=title)
    for para in (meta.get("text") or "").split("\n"):
        para = para.strip()
        if para:
            s, e = add(para)
            article.body.append(Paragraph(start=s, end=e, text=para))
    date = meta.get("date")
    if date:
        try:
            article.published = dt.date.fromisoformat(str(date)[:10])
            article.published_source = "metadata"
        except ValueError:
            warnings.append(f"unreadable publication date {date!r}")
    return ParsedPage(text="".join(parts), article=article, warnings=warnings)
