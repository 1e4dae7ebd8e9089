"""Pair quotation marks into quoted spans, whatever the style and however broken.

Scraped news uses every convention at once: straight ``"`` and curly ``“ ”`` doubles, British
``‘ ’`` singles, ``«guillemets»``, typewriter ``''doubled apostrophes''`` — and, often enough, the
wrong glyph (a story that opens its quotes with ``”`` and once closes one with ``“``). So a mark's
*role* is read from where it stands, not from its glyph: a mark with a space (or nothing) before it
and a letter after it opens; a mark with a letter or punctuation before it and a space, punctuation
or the end of the line after it closes. The glyph only breaks ties.

Marks pair within a paragraph (a line). The news convention for a quotation that runs over several
paragraphs is to leave each paragraph but the last unclosed and to open the next paragraph with a
mark; a span left open at a paragraph end therefore *continues* into the next paragraph when that
one opens with a mark (both spans get the same `unit`), and is closed at the paragraph end
otherwise (flagged `unclosed`). Nothing here raises on any input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Double-quote glyphs (one family: they pair with each other, whatever the glyph).
DOUBLE = frozenset('"“”„‟«»')
#: Single-quote glyphs; ' and ’ are also apostrophes, told apart by context.
SINGLE = frozenset("‘’‚‛'‹›")
_PREFER_OPEN = frozenset("“„‟«‘‚‛‹")
_PREFER_CLOSE = frozenset("”»’›")
_OPEN_BEFORE = frozenset("([{—–-/")  # a mark after these may open
_CLOSE_AFTER = frozenset(".,;:!?)]}—–-…/")  # a mark before these may close
_MARK_RE = re.compile(r"''|``|[\"“”„‟«»‘’‚‛'‹›]")


@dataclass(slots=True)
class QuotedSpan:
    """One run of quoted text inside one paragraph.

    `start`/`end` delimit the content (marks excluded); `open_at`/`close_at` are the offsets of
    the marks (None for a side without a mark). `unit` numbers the quotation the span belongs to:
    spans of a quotation continued over paragraphs share it.
    """

    start: int
    end: int
    open_at: int | None
    close_at: int | None
    depth: int = 0
    unit: int = 0
    unclosed: bool = False
    double: bool = True

    @property
    def outer_start(self) -> int:
        return self.open_at if self.open_at is not None else self.start

    @property
    def outer_end(self) -> int:
        if self.close_at is None:
            return self.end
        return self.close_at + 1


@dataclass(slots=True)
class _Mark:
    at: int
    length: int
    glyph: str
    double: bool
    can_open: bool
    can_close: bool


def _is_word(ch: str) -> bool:
    return ch.isalnum()


def _classify(text: str, at: int, length: int, lo: int, hi: int) -> _Mark | None:
    glyph = text[at:at + length]
    double = length == 2 or glyph in DOUBLE
    prev = text[at - 1] if at > lo else ""
    nxt = text[at + length] if at + length < hi else ""
    prev_space = prev == "" or prev.isspace()
    next_space = nxt == "" or nxt.isspace()
    prev_is_mark = prev in DOUBLE or prev in SINGLE
    next_is_mark = nxt in DOUBLE or nxt in SINGLE
    can_open = not next_space and (prev_space or prev in _OPEN_BEFORE or prev_is_mark)
    can_close = not prev_space and (next_space or nxt in _CLOSE_AFTER or next_is_mark)
    if not double:
        if glyph in "'’" and _is_word(prev) and _is_word(nxt):
            return None  # an apostrophe inside a word: don't, Russia’s
        if glyph in "'’" and prev_space and nxt.isdigit():
            return None  # ’90s
    if glyph == "``":
        can_open, can_close = True, False
    return _Mark(at, length, glyph, double, can_open, can_close)


def _marks(text: str, lo: int, hi: int) -> list[_Mark]:
    out = []
    for m in _MARK_RE.finditer(text, lo, hi):
        mark = _classify(text, m.start(), m.end() - m.start(), lo, hi)
        if mark is not None:
            out.append(mark)
    return out


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _paragraph_ranges(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _opens_with_mark(text: str, lo: int, hi: int) -> bool:
    a, _ = _trim(text, lo, hi)
    if a >= hi:
        return False
    m = _MARK_RE.match(text, a)
    return bool(m) and (m.group() in DOUBLE or m.group() in ("''", "``", "‘", "«"))


def find_quoted(text: str, paragraphs: list[tuple[int, int]] | None = None) -> list[QuotedSpan]:
    """Every quoted span in `text`, in order; `paragraphs` are (start, end) ranges (default: lines)."""
    paras = sorted(paragraphs) if paragraphs is not None else _paragraph_ranges(text)
    spans: list[QuotedSpan] = []
    counter = 0
    carry: int | None = None  # the unit of a quotation the previous paragraph left open
    for pi, (lo, hi) in enumerate(paras):
        stack: list[tuple[_Mark, int]] = []  # (opening mark, unit)
        marks = _marks(text, lo, hi)
        if carry is not None and not (marks and _opens_with_mark(text, lo, hi)):
            carry = None
        for mi, mark in enumerate(marks):
            if mark.double:
                family_open = [k for k, (m, _) in enumerate(stack) if m.double]
            else:
                family_open = [k for k, (m, _) in enumerate(stack) if not m.double]
            opens, closes = mark.can_open, mark.can_close
            if opens and closes:  # word"word: close when something is open, else open
                if family_open:
                    opens = False
                else:
                    closes = False
            if not opens and not closes:  # a free-standing mark
                if family_open and (mark.double or mark.glyph in _PREFER_CLOSE):
                    closes = True
                elif mark.glyph in _PREFER_OPEN and not family_open:
                    opens = True
                else:
                    continue
            if closes:
                if not family_open:
                    continue  # a stray closer (or a trailing apostrophe: voters’)
                k = family_open[-1]
                # close anything opened inside it first (unclosed nested quotes)
                while len(stack) > k + 1:
                    inner, u = stack.pop()
                    a, b = _trim(text, inner.at + inner.length, mark.at)
                    spans.append(QuotedSpan(a, b, inner.at, None, len(stack), u, True, inner.double))
                opener, u = stack.pop()
                a, b = _trim(text, opener.at + opener.length, mark.at)
                spans.append(QuotedSpan(a, b, opener.at, mark.at + mark.length - 1, len(stack), u,
                                        False, opener.double))
                continue
            # an opener
            if not mark.double and not stack and not any(m.can_close for m in marks[mi + 1:]):
                continue  # a lone single mark that nothing closes: not a quote
            if family_open and stack[family_open[-1]][0].glyph == mark.glyph:
                # same glyph opening again: the earlier quote was never closed
                k = family_open[-1]
                while len(stack) > k:
                    inner, u = stack.pop()
                    a, b = _trim(text, inner.at + inner.length, mark.at)
                    spans.append(QuotedSpan(a, b, inner.at, None, len(stack), u, True, inner.double))
            if not stack and carry is not None and mark.double:
                u = carry  # continues the quotation of the previous paragraph
            else:
                counter += 1
                u = counter
            carry = None
            stack.append((mark, u))
        carry = None
        # the paragraph ends: whatever is still open is closed here
        next_opens = pi + 1 < len(paras) and _opens_with_mark(text, *paras[pi + 1])
        while stack:
            opener, u = stack.pop()
            a, b = _trim(text, opener.at + opener.length, hi)
            continues = not stack and opener.double and next_opens
            spans.append(QuotedSpan(a, b, opener.at, None, len(stack), u, not continues, opener.double))
            if continues:
                carry = u
    spans = [s for s in spans if s.end > s.start]
    spans.sort(key=lambda s: (s.start, -s.end))
    return spans
