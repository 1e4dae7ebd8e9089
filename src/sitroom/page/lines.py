"""Lines and blocks of a flattened page, with the shape features the page rules read.

A page scraped to text keeps one visual element per line (a paragraph, a menu entry, a caption)
and blank lines between groups. Every rule in `sitroom.page` works on these lines: their length,
punctuation, share of function words and case say whether a line is running prose, a headline, a
menu entry or a label — without knowing which site the page came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(r"\w+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Sentence-final punctuation, possibly followed by closing quotes/brackets.
_TERMINAL = re.compile(r"[.!?。！？…:;](?:[\"'”’»)\]]*)$|[\"”’»]$")
_INNER_SENT = re.compile(r"[.!?。！？](?:[\"”’»)]*)\s+[\"“‘«(]?[A-ZÀ-Ý\u0400-\u042f]")


@dataclass
class Line:
    """One non-empty line: offsets into the page (whitespace trimmed) and its shape."""

    idx: int  # position among non-empty lines
    start: int
    end: int
    text: str
    block: int  # index of the blank-line-separated block it belongs to
    first_in_block: bool = False
    last_in_block: bool = False
    words: float = 0.0  # word count (a CJK character counts as half a word)
    tokens: tuple[str, ...] = ()
    stop_ratio: float = 0.0
    terminal: bool = False  # ends like a sentence
    sentences: int = 0  # sentence breaks inside the line (+1 if terminal)
    caps_ratio: float = 0.0  # share of words starting with a capital
    digit_ratio: float = 0.0

    @property
    def length(self) -> int:
        return self.end - self.start


def split_lines(text: str, stopwords: frozenset[str] = frozenset()) -> list[Line]:
    """The page's non-empty lines, in order, with offsets and shape features."""
    lines: list[Line] = []
    block = 0
    blank = True
    pos = 0
    for raw in text.split("\n"):
        s, e = pos, pos + len(raw)
        pos = e + 1
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e <= s:
            if not blank:
                block += 1
            blank = True
            continue
        line = Line(idx=len(lines), start=s, end=e, text=text[s:e], block=block, first_in_block=blank)
        _features(line, stopwords)
        if lines and blank:
            lines[-1].last_in_block = True
        lines.append(line)
        blank = False
    if lines:
        lines[-1].last_in_block = True
    return lines


def _features(line: Line, stopwords: frozenset[str]) -> None:
    t = line.text
    toks = _TOKEN.findall(t)
    cjk = len(_CJK.findall(t))
    words = len(toks) + (cjk / 2 - sum(1 for tok in toks if _CJK.search(tok)) if cjk else 0)
    line.words = max(words, float(len(toks) and 1))
    line.tokens = tuple(tok.lower() for tok in toks)
    if toks and stopwords:
        line.stop_ratio = sum(1 for tok in line.tokens if tok in stopwords) / len(toks)
    line.terminal = bool(_TERMINAL.search(t))
    line.sentences = len(_INNER_SENT.findall(t)) + (1 if line.terminal else 0)
    alpha = [tok for tok in toks if tok[0].isalpha()]
    if alpha:
        line.caps_ratio = sum(1 for tok in alpha if tok[0].isupper()) / len(alpha)
    if toks:
        line.digit_ratio = sum(1 for tok in toks if tok[0].isdigit()) / len(toks)
