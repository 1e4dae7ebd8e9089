"""Small helpers over article text: the sentence around a span, for context in the brief and the app.

The analysis gives events their sentence; quantities, claims and quotes carry only their own span.
To show a reader the words around a number, the renderer widens the span to the sentence the
text puts it in: up to the nearest sentence end (., !, ? followed by a space) or line break on
either side. It is presentation only — the link still points at the fact's own offsets.
"""

from __future__ import annotations

import re

_END = re.compile(r"[.!?][\"'\u201d\u2019)]*\s|\n")


def sentence_bounds(text: str, start: int, end: int, max_chars: int = 600) -> tuple[int, int]:
    """(start, end) of the sentence(s) around [start, end), clipped to `max_chars` either side."""
    lo = max(0, start - max_chars)
    s = lo
    for m in _END.finditer(text, lo, start):
        s = m.end()
    if s == lo and lo > 0:
        s = start
    m = _END.search(text, end, min(len(text), end + max_chars))
    if m is None:
        e = min(len(text), end + max_chars)
    else:
        e = m.start() if text[m.start()] == "\n" else m.end() - 1
    while s < start and text[s].isspace():
        s += 1
    return s, max(e, end)


def sentence_around(text: str, start: int, end: int) -> str:
    s, e = sentence_bounds(text, start, end)
    return " ".join(text[s:e].split())
