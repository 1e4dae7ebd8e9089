"""Plain-text page parser.

FIRST VERSION: every blank-line-separated block is a body paragraph. The page-model work of
issue 2 replaces it with headline/dek/kicker/section/byline recognition and furniture rules.
"""

from __future__ import annotations

import re

from sitroom.model import Article, Paragraph
from sitroom.page.parse import ParsedPage

_BLOCK = re.compile(r"[^\n]+(?:\n[^\n]+)*")


def split_blocks(text: str) -> list[tuple[int, int]]:
    """(start, end) of each blank-line-separated block, surrounding whitespace trimmed."""
    out = []
    for m in _BLOCK.finditer(text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def parse_text(text: str, url: str | None = None) -> ParsedPage:
    body = [Paragraph(start=s, end=e, text=text[s:e]) for s, e in split_blocks(text)]
    return ParsedPage(text=text, article=Article(body=body, url=url))
