"""Read the story's header — section, headline, kicker, dek, byline, dateline — from the lines
just above its main text.

The header is recognised by layout, as a reader does: the headline is the nearest line above the
body that has the length and case of a title and does not end like a sentence (or the line that
repeats the page title, when the page starts with one); a short label standing alone above the
headline is the section; a short label just under it is the kicker; a sentence or two between the
headline and the body, set apart from the body by a photo, a byline or a date, is the dek.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sitroom.page.body import LineClass
from sitroom.page.dates import find_date
from sitroom.page.furniture import is_timestamp
from sitroom.page.lines import Line

HEADER_WINDOW = 15  # lines above the body searched for the headline
MAX_LABEL_WORDS = 5
_TITLE_SEP = re.compile(r"\s+(?:[-|–—:·•»]|::)\s+")
_BYLINE = re.compile(r"^(?:by|written by|words by|story by|reporting by)\b[:\s]*(?P<names>.*)$", re.I)
# "MADRID — ", "BUFFALO, N.Y. — ", "NEW DELHI: ", "LONDON (Reuters) - "
_PLACE_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'’\- ]{1,40}[A-Z.](?:,\s+[A-Z][\w.' ]{1,25})?(?:\s+\([A-Za-z. ]{2,30}\))?)"
    r"\s*(?:[—–]|-{1,2}|:)\s+(?=\S)")
_BY_NAME = re.compile(r"\b[Bb]y:?\s+(?P<names>[A-Z][\w.'’-]+(?:\s+(?:[A-Z][\w.'’-]+|and|&|,)){1,8})")
_IMAGE_KINDS = {"image_slug", "photo_credit", "caption"}
_LEAD_BREAK_KINDS = _IMAGE_KINDS | {"byline", "dateline"}


@dataclass
class Header:
    section: Line | None = None
    headline: Line | None = None
    kicker: Line | None = None
    dek: Line | None = None
    byline: Line | None = None
    timestamp: Line | None = None
    title: Line | None = None  # the page title on the first line, when the page starts with one
    outlet: str | None = None
    place_dateline: tuple[int, int] | None = None  # offsets of "MADRID" in "MADRID — …"
    claimed: set[int] = field(default_factory=set)  # line indices used by the header


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def is_label(line: Line) -> bool:
    """A short label: a section name or a kicker (one to five words, no sentence punctuation)."""
    return 1 <= line.words <= MAX_LABEL_WORDS and not line.terminal and line.length <= 40


def is_title_shaped(line: Line) -> bool:
    """Headline shape: a few to ~30 words, not ending with a full stop."""
    t = line.text.rstrip()
    return 3 <= line.words <= 30 and not t.endswith((".", ",", ";", ":")) and line.length <= 250


def _first_line_title(line: Line) -> bool:
    """The page's first line, alone in its block, shaped like a title even with a full stop
    ("Hold Officials to the Same Standard.") — some archives end every headline with one."""
    t = line.text.rstrip()
    return (line.idx == 0 and line.last_in_block and 3 <= line.words <= 25 and line.sentences <= 1
            and not t.endswith((",", ";", ":")))


def _page_title(lines: list[Line]) -> tuple[str | None, str | None]:
    """The main part of a "Headline - Site" first line, and the site."""
    if not lines:
        return None, None
    parts = _TITLE_SEP.split(lines[0].text)
    if len(parts) < 2:
        return None, None
    main = max(parts, key=len)
    rest = [p for p in parts if p is not main]
    outlet = rest[-1].strip() if rest and len(rest[-1].split()) <= 5 else None
    return main.strip(), outlet


def split_lead(classes: list[LineClass], first: int, last: int, headline: int | None) -> int:
    """Where the story's text really starts inside the run [first, last].

    A run may begin with the dek: one or two sentences straight under the headline, cut off from
    the paragraphs by a photo (slug, credit, caption), a byline or a date line. Returns the index
    of the first body line (== `first` when there is no such lead-in).
    """
    if headline is None or first - headline > 4:
        return first
    prose_seen = 0
    for i in range(first, min(last, first + 5) + 1):
        c = classes[i]
        if c.furniture is not None and c.furniture.kind in _LEAD_BREAK_KINDS:
            if prose_seen == 0:
                return first
            # the lead-in ends here; the body starts at the next non-furniture line
            j = i
            while j <= last and classes[j].furniture is not None:
                j += 1
            return j if j <= last and any(x.prose for x in classes[j:last + 1]) else first
        if c.furniture is None:
            if not c.prose or prose_seen >= 2:
                return first
            prose_seen += 1
    return first


def read_header(classes: list[LineClass], body_start: int) -> Header:
    """Find the header fields among the lines above `body_start` (an index into `classes`)."""
    lines = [c.line for c in classes]
    h = Header()
    title_main, h.outlet = _page_title(lines)
    if title_main:
        h.title = lines[0]
    lo = max(0, body_start - HEADER_WINDOW)
    window = classes[lo:body_start]

    # -- headline
    def candidate(c: LineClass) -> bool:
        return (c.furniture is None or c.furniture.kind == "other") and is_title_shaped(c.line) \
            and not is_timestamp(c.line.text) and not _BYLINE.match(c.line.text)

    cands = [c for c in window if candidate(c) and not (title_main and c.line.idx == 0)]
    head: LineClass | None = None
    if title_main:
        key = _norm(title_main)
        matching = [c for c in cands if _norm(c.line.text) and (key.startswith(_norm(c.line.text))
                                                                  or _norm(c.line.text).startswith(key))]
        head = matching[-1] if matching else None
    if head is None:
        # nearest title-shaped line above the body with at least four words
        for c in reversed(cands):
            if c.line.words >= 4:
                head = c
                break
    if head is None and lines and (title_main or _first_line_title(lines[0])):
        head = classes[0]
    if head is None:
        return h
    h.headline = head.line
    hi = head.line.idx
    h.claimed.add(hi)

    # -- section: a label standing alone just above the headline
    for c in reversed(classes[max(0, hi - 3):hi]):
        ln = c.line
        if c.furniture is not None:
            if c.furniture.kind in _IMAGE_KINDS:
                continue
            break
        if is_label(ln) and ln.first_in_block and ln.last_in_block:
            h.section = ln
            h.claimed.add(ln.idx)
        break

    # -- kicker, dek, byline, timestamp: between the headline and the body
    for c in classes[hi + 1:body_start]:
        ln = c.line
        if c.furniture is not None:
            if c.furniture.kind == "byline" and h.byline is None:
                h.byline = ln
                h.claimed.add(ln.idx)
            elif c.furniture.kind == "dateline" and h.timestamp is None:
                h.timestamp = ln
            continue
        if h.byline is None and ln.words <= 15 and (_BYLINE.match(ln.text) or _BY_NAME.search(ln.text)):
            h.byline = ln
            if h.timestamp is None and find_date(ln.text):
                h.timestamp = ln
        elif h.timestamp is None and ln.words <= 15 and find_date(ln.text):
            h.timestamp = ln
        elif h.kicker is None and h.dek is None and is_label(ln) and not is_timestamp(ln.text):
            h.kicker = ln
        elif h.dek is None and ln.words >= 6 and (ln.terminal or ln.sentences) and ln.words <= 80:
            h.dek = ln
        else:
            continue
        h.claimed.add(ln.idx)
    if h.timestamp is None:
        for c in classes[lo:body_start]:
            if c.furniture is not None and c.furniture.kind == "dateline":
                h.timestamp = c.line
    return h


def place_dateline(text: str) -> tuple[int, int] | None:
    """(start, end) of the place in a wire-style opening ("MADRID — Rafael Nadal …"), relative to `text`."""
    m = _PLACE_DATELINE.match(text)
    if not m:
        return None
    place = m.group("place").rstrip()
    letters = [ch for ch in place.split(",")[0] if ch.isalpha()]
    if len(letters) < 3 or not all(ch.isupper() for ch in letters):
        return None
    return m.start("place"), m.start("place") + len(place)


def byline_names(text: str) -> list[str]:
    """The people a byline names: "By Ann Lee and Bo Chan" → ["Ann Lee", "Bo Chan"]."""
    m = _BYLINE.match(text)
    names = m.group("names") if m else None
    if names is None:
        m2 = _BY_NAME.search(text)
        names = m2.group("names") if m2 else ""
    parts = re.split(r"\s*(?:,|\band\b|&|\|)\s*", names)
    return [p.strip() for p in parts if len(p.split()) >= 2 and p.strip()[0].isupper()]
