"""Dispatch a raw document to the plain-text or HTML page parser."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sitroom.ingest.reader import RawDocument
from sitroom.model import Article


@dataclass
class ParsedPage:
    """The text to analyse (offsets refer to it) and the article read from it."""

    text: str
    article: Article
    warnings: list[str] = field(default_factory=list)


def parse_page(raw: RawDocument, published: dt.date | None = None) -> ParsedPage:
    if raw.kind == "html":
        from sitroom.page.html import parse_html

        page = parse_html(raw.text, url=raw.url)
    else:
        from sitroom.page.text import parse_text

        page = parse_text(raw.text, url=raw.url, published=raw.published)
    if raw.url and not page.article.url:
        page.article.url = raw.url
    if published is not None:
        page.article.published = published
        page.article.published_source = "override"
    page.warnings = raw.warnings + page.warnings
    return page
