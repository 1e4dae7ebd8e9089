"""Locate extracted text in the raw HTML it came from (best effort).

trafilatura gives back text without positions. To let a user go from a body paragraph to the
markup it was read from, we index the page's visible text — tags, comments, scripts and styles
skipped, entities decoded, whitespace collapsed — keeping for every indexed character its offset
in the HTML source, and search each paragraph in that index, in reading order.
"""

from __future__ import annotations

import html as htmllib
import re

_TOKEN = re.compile(r"<!--.*?-->|<(script|style|noscript|template)\b[^>]*>.*?</\1\s*>|<[^>]*>|&#?\w+;|[^<&]+|[<&]",
                    re.S | re.I)
_BLOCK_TAGS = re.compile(r"<\s*/?\s*(?:p|div|br|li|h[1-6]|tr|td|th|section|article|header|footer|blockquote|"
                         r"figcaption|ul|ol|table|main|aside|nav)\b", re.I)


def _norm_char(ch: str) -> str:
    return " " if ch.isspace() else ch


class SourceIndex:
    """The visible text of an HTML page, whitespace-collapsed, with each character's source offset."""

    def __init__(self, source: str) -> None:
        chars: list[str] = []
        offsets: list[int] = []
        ends: list[int] = []

        def push(ch: str, at: int, until: int) -> None:
            ch = _norm_char(ch)
            if ch == " " and (not chars or chars[-1] == " "):
                return
            chars.append(ch)
            offsets.append(at)
            ends.append(until)

        for m in _TOKEN.finditer(source):
            tok = m.group(0)
            if tok.startswith("<"):
                if len(tok) > 1 and _BLOCK_TAGS.match(tok):
                    push(" ", m.start(), m.end())
                continue
            if tok.startswith("&") and tok.endswith(";") and len(tok) > 2:
                for ch in htmllib.unescape(tok):
                    push(ch, m.start(), m.end())
                continue
            base = m.start()
            for k, ch in enumerate(tok):
                push(ch, base + k, base + k + 1)
        self.text = "".join(chars)
        self.offsets = offsets
        self.ends = ends
        self._cursor = 0

    def locate(self, fragment: str) -> tuple[int, int] | None:
        """(start, end) in the HTML source of `fragment`, searched after the previous hit first."""
        needle = " ".join(fragment.split())
        if not needle:
            return None
        for probe_start, probe_end in ((needle, needle), (needle[:60], needle[-60:])):
            pos = self.text.find(probe_start, self._cursor)
            if pos < 0:
                pos = self.text.find(probe_start)
            if pos < 0:
                continue
            if probe_end is probe_start:
                end = pos + len(needle)
            else:
                tail = self.text.find(probe_end, pos)
                if tail < 0 or tail - pos > 4 * len(needle) + 200:
                    continue
                end = tail + len(probe_end)
            self._cursor = end
            return self.offsets[pos], self.ends[end - 1]
        return None


def visible_text(source: str) -> str:
    """The page as a scraper would flatten it: one line per block element, scripts and styles gone."""
    out: list[str] = []
    for m in _TOKEN.finditer(source):
        tok = m.group(0)
        if tok.startswith("<"):
            if len(tok) > 1 and _BLOCK_TAGS.match(tok):
                out.append("\n")
            continue
        out.append(htmllib.unescape(tok) if tok.startswith("&") else tok)
    lines = (" ".join(line.split()) for line in "".join(out).split("\n"))
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
