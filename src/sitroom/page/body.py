"""Find the story's main text in a flattened page.

A news page scraped to text is mostly not the story: menus, teasers for other stories, share
buttons, footers. The story is the one long run of *prose* — lines with sentences, function words
and end punctuation — that may be broken by a few short lines (subheads, an ad label, a photo
credit) but not by long runs of menu entries.

So every line gets a weight: prose counts for its length, furniture and short label-like lines
count against, and the main text is the run of lines with the highest total (the maximum-sum
segment, as in Finn et al.'s "body text extraction"). Labels that close a story (a comments
header, "Related articles", a copyright line) cut the page into zones the run cannot cross. Lines
inside the run that look like furniture are then set aside, so an ad slot or a photo credit never
enters the body.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sitroom.page.furniture import FurnitureMatch, classify
from sitroom.page.lines import Line

# Weights, in characters of prose. A prose line is worth its length beyond PROSE_OFFSET (short
# one-sentence teasers are worth little); a short non-prose line costs a little (menus are long
# lists of them), a sentence-case list item less; furniture costs more. A prose line with no prose
# neighbour (a teaser between a headline and a timestamp) costs ISOLATED_COST more. On the dev
# pages F1 moves by at most 0.02 when any one of these is halved or doubled.
PROSE_OFFSET = 70.0
SHORT_COST = 12.0
LIST_ITEM_COST = 3.0
FURNITURE_COST = 40.0
ISOLATED_COST = 60.0
MIN_PROSE_WORDS = 7
# Zones: a run after a comments header is weighted down; a strong run in a neighbouring zone (at
# least MERGE_RATIO of the winner's score, within MERGE_GAP lines) is joined to the winner.
COMMENTS_DISCOUNT = 0.3
MERGE_GAP = 12
MERGE_RATIO = 0.25
MAX_TAIL_LINES = 2  # closing short sentences taken in after the run
MAX_HEADER_WORDS = 6  # a list header: "Related", "More from Local News", "Share this:"
_LIST_HEAD_KINDS = {"related_link"}


@dataclass
class LineClass:
    line: Line
    prose: bool
    furniture: FurnitureMatch | None
    weight: float


def is_prose(line: Line, has_stoplist: bool) -> bool:
    """Running text: enough words, ends like a sentence (or is long), not a list of capitalised names."""
    if line.words < MIN_PROSE_WORDS:
        return False
    if has_stoplist and line.stop_ratio < 0.12 and line.words < 40:
        return False
    if line.caps_ratio > 0.8 and line.words < 25:
        return False
    return line.terminal or line.words >= 15 or line.sentences >= 1


def _short_cost(line: Line, has_stoplist: bool) -> float:
    """What a short non-prose line costs: menu-like labels more than sentence-case list items."""
    if has_stoplist and line.words >= 3 and line.stop_ratio >= 0.25 and line.caps_ratio < 0.6:
        return LIST_ITEM_COST
    return SHORT_COST


def classify_lines(lines: list[Line], has_stoplist: bool) -> list[LineClass]:
    out = []
    seen = Counter(line.text for line in lines if line.length >= 20)
    for line in lines:
        furniture = classify(line.text)
        # Text printed twice on a page (tickers, teaser lists, menus) is page furniture, not story.
        prose = furniture is None and seen[line.text] < 2 and is_prose(line, has_stoplist)
        if furniture is not None:
            weight = -FURNITURE_COST
        elif prose:
            weight = max(float(line.length) - PROSE_OFFSET, 0.0)
        else:
            weight = -_short_cost(line, has_stoplist)
        out.append(LineClass(line, prose, furniture, weight))
    _inherit_list_headers(out)
    # A prose line alone between labels is a teaser (headline, summary, time), not a paragraph.
    for i, c in enumerate(out):
        if not c.prose:
            continue
        prev = next((o for o in reversed(out[max(0, i - 2):i]) if o.furniture is None), None)
        nxt = next((o for o in out[i + 1:i + 3] if o.furniture is None), None)
        if not (prev and prev.prose) and not (nxt and nxt.prose):
            c.weight -= ISOLATED_COST
    return out


def _inherit_list_headers(classes: list[LineClass]) -> None:
    """Short lines listed under a furniture header ("Related", "Share", "More from …") are that furniture.

    The header either heads its own block (the list follows in it) or stands alone (the list is
    the next block); the list ends at the first prose line or at the end of its block.
    """
    for i, c in enumerate(classes):
        f = c.furniture
        if f is None or f.kind not in _LIST_HEAD_KINDS or c.line.words > MAX_HEADER_WORDS:
            continue
        if ":" in c.line.text.rstrip().rstrip(":"):
            continue  # "Related: Some headline" is a link, not the head of a list
        j = i + 1
        if c.line.last_in_block:
            if j >= len(classes) or classes[j].line.block != c.line.block + 1:
                continue
        block = classes[j].line.block if j < len(classes) else -1
        while j < len(classes) and classes[j].line.block == block:
            nxt = classes[j]
            if nxt.prose or nxt.line.terminal:
                break
            if nxt.furniture is None:
                nxt.furniture = FurnitureMatch(f.kind, f"listed under {c.line.text.strip()!r}")
                nxt.weight = -FURNITURE_COST
            j += 1


def best_segment(weights: list[float]) -> tuple[int, int] | None:
    """(first, last) indices of the maximum-sum run (Kadane); None when nothing is positive."""
    best, best_span = 0.0, None
    cur, cur_start = 0.0, 0
    for i, w in enumerate(weights):
        if cur <= 0:
            cur, cur_start = w, i
        else:
            cur += w
        if cur > best:
            best, best_span = cur, (cur_start, i)
    return best_span


@dataclass
class _Zone:
    start: int  # first line index of the zone
    end: int  # one past its last line
    after_comments: bool  # the zone follows a comments header
    closed_by_comments: bool  # the zone ends at a comments header
    span: tuple[int, int] | None = None
    score: float = 0.0


def _zones(classes: list[LineClass]) -> list[_Zone]:
    """Split the page at labels that close a story; find each zone's best run."""
    zones: list[_Zone] = []
    zone_start, after_comments = 0, False
    for i in range(len(classes) + 1):
        c = classes[i] if i < len(classes) else None
        if c is not None and not (c.furniture and c.furniture.end):
            continue
        zone = _Zone(zone_start, i, after_comments, bool(c and c.furniture.comments))
        span = best_segment([x.weight for x in classes[zone_start:i]])
        if span is not None:
            zone.span = (span[0] + zone_start, span[1] + zone_start)
            zone.score = sum(x.weight for x in classes[zone.span[0]:zone.span[1] + 1])
        zones.append(zone)
        if c is not None:
            zone_start = i + 1
            after_comments = after_comments or c.furniture.comments
    return zones


def locate_body(lines: list[Line], has_stoplist: bool) -> tuple[list[LineClass], tuple[int, int] | None]:
    """Classify the lines and find the main text run (indices into `lines`, inclusive).

    Labels that close a story (a comments header, "Related articles", a copyright line) split the
    page into zones. The zone with the strongest run wins — a zone after a comments header is
    readers' text and must be much stronger. A story broken by an inline module ("Trending news"
    and five headlines) continues across it: a strong run that starts or ends within a few lines
    of the winning one, on the other side of a non-comments label, is joined to it.
    """
    classes = classify_lines(lines, has_stoplist)
    zones = _zones(classes)
    best: tuple[float, tuple[int, int]] | None = None
    for k, zone in enumerate(zones):
        if zone.span is None:
            continue
        seed = zone.score * (COMMENTS_DISCOUNT if zone.after_comments else 1.0)
        (first, last), total = zone.span, seed
        lo = hi = k
        while lo > 0:
            prev = zones[lo - 1]
            if (prev.span is None or prev.closed_by_comments or first - prev.span[1] > MERGE_GAP
                    or prev.score < MERGE_RATIO * seed):
                break
            lo, first, total = lo - 1, prev.span[0], total + prev.score
        while hi + 1 < len(zones):
            nxt = zones[hi + 1]
            if (nxt.span is None or zones[hi].closed_by_comments or nxt.span[0] - last > MERGE_GAP
                    or nxt.score < MERGE_RATIO * seed):
                break
            hi, last, total = hi + 1, nxt.span[1], total + nxt.score
        if best is None or total > best[0]:
            best = (total, (first, last))
    if best is None:
        return classes, None
    first, last = best[1]
    return classes, (first, _extend_tail(classes, last, has_stoplist))


def _extend_tail(classes: list[LineClass], last: int, has_stoplist: bool) -> int:
    """Take in short closing sentences ("No new talks have been scheduled.") after the run.

    A run never ends on a line that costs, and a one-line sentence under the prose threshold
    costs a little; a full sentence right after the last paragraph still belongs to the story.
    """
    for _ in range(MAX_TAIL_LINES):
        j = last + 1
        if j >= len(classes):
            break
        c = classes[j]
        ln = c.line
        if (c.furniture is not None or not ln.terminal or ln.words < 3 or not ln.text[:1].isupper()
                or (has_stoplist and ln.stop_ratio < 0.2) or ln.block > classes[last].line.block + 1):
            break
        last = j
    return last
