"""Contradictions: the same quantity, the same event or the same proposition reported differently.

Three kinds, each found by comparing sourced observations, never by judging which is right:

- **quantity** — numbers counting the same thing (the quantity's normalised unit: troops,
  deaths …) about the same actor (the event's actor, else the most salient actor named in the
  sentence), from different sources, whose ranges do not overlap. An approximate figure
  ("around 2,500") is read as ±5 %. Reports more than `WINDOW` apart are not compared: a death
  toll that rises over a week is an update, not a contradiction.
- **date** — the same event (PLOVER type, actor, target or place) dated by the text to
  disjoint days by different sources. An event that one article itself reports on several
  dates recurs, and is left out.
- **claim** — two holders about the same proposition (most of their content words shared, or
  the same linked event) with opposite polarity, or with probabilities on opposite sides of even
  odds.

A *source* is who vouches for the figure: the quoted speaker when it sits in a quote, else the
outlet (else the article). One source changing its figure is not a contradiction between sources.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from itertools import combinations

from spacy.lang.en.stop_words import STOP_WORDS

from sitroom.present.brief.model import Contradiction, ContradictionItem, SourceRef

WINDOW = dt.timedelta(days=7)
APPROX = 0.05
#: units too generic to compare without an event saying what the number is about
GENERIC_UNITS = {"", "people", "%", "percent", "times", "number", "units"}
MIN_OVERLAP = 0.5  # Jaccard of content words for two claims to be "the same proposition"
_NEGATIONS = {"not", "no", "never", "n't", "nor", "neither", "without", "unlikely", "likely", "probably",
              "possibly", "almost", "certainly", "may", "might", "could", "would", "will", "expect", "expects",
              "said", "says", "believe", "believes", "think", "thinks"}
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)?", re.UNICODE)


@dataclass
class QuantityObs:
    unit: str
    about: str  # actor key
    about_name: str
    event_type: str | None
    value: str
    low: float
    high: float
    source: str  # source identity key
    source_name: str
    context: str
    ref: SourceRef
    published: dt.date | None


@dataclass
class EventObs:
    key: tuple[str, str, str]  # type, actor key, target/place key
    label: str
    value: str
    earliest: dt.date
    latest: dt.date
    source: str
    source_name: str
    context: str
    ref: SourceRef
    published: dt.date | None


@dataclass
class ClaimObs:
    text: str
    holder: str
    holder_name: str
    polarity: str
    low: float | None
    high: float | None
    phrase: str | None
    events: set[tuple[str, str, str]] = field(default_factory=set)
    ref: SourceRef | None = None
    words: frozenset[str] = frozenset()


def quantity_range(value: float | None, low: float | None, high: float | None,
                   approx: bool) -> tuple[float, float] | None:
    lo = low if low is not None else value
    hi = high if high is not None else value
    if lo is None or hi is None:
        return None
    if lo > hi:
        lo, hi = hi, lo
    if approx:
        lo, hi = lo * (1 - APPROX), hi * (1 + APPROX)
    return lo, hi


def _close(a: dt.date | None, b: dt.date | None) -> bool:
    return a is None or b is None or abs(a - b) <= WINDOW


def _disjoint(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[1] < b[0] or b[1] < a[0]


def quantity_contradictions(obs: list[QuantityObs]) -> list[Contradiction]:
    groups: dict[tuple, list[QuantityObs]] = {}
    for o in obs:
        unit = o.unit.strip().lower()
        if unit in GENERIC_UNITS and not o.event_type:
            continue
        key = (unit, o.about, o.event_type if unit in GENERIC_UNITS else None)
        groups.setdefault(key, []).append(o)
    out: list[Contradiction] = []
    for (unit, _about, etype), items in groups.items():
        clash = any(a.source != b.source and _close(a.published, b.published)
                    and _disjoint((a.low, a.high), (b.low, b.high)) for a, b in combinations(items, 2))
        if not clash:
            continue
        seen: set[tuple[str, int, float, float]] = set()
        rows = []
        for o in sorted(items, key=lambda o: (o.low, o.high, o.ref.article_id, o.ref.start)):
            k = (o.source, o.ref.article_id, o.low, o.high)
            if k in seen:
                continue
            seen.add(k)
            rows.append(ContradictionItem(value=o.value, low=o.low, high=o.high, source=o.source_name,
                                          context=o.context, ref=o.ref))
        subject = f"{unit} ({items[0].about_name})" + (f", {etype}" if etype else "")
        out.append(Contradiction(kind="quantity", subject=subject, items=rows))
    return out


def date_contradictions(obs: list[EventObs]) -> list[Contradiction]:
    groups: dict[tuple, list[EventObs]] = {}
    for o in obs:
        groups.setdefault(o.key, []).append(o)
    out: list[Contradiction] = []
    for items in groups.values():
        per_article: dict[int, set[tuple[dt.date, dt.date]]] = {}
        for o in items:
            per_article.setdefault(o.ref.article_id, set()).add((o.earliest, o.latest))
        if any(len(v) > 1 for v in per_article.values()):
            continue  # one article dates it twice: a recurring event
        clash = any(a.source != b.source and _close(a.published, b.published)
                    and (a.latest < b.earliest or b.latest < a.earliest) for a, b in combinations(items, 2))
        if not clash:
            continue
        rows = [ContradictionItem(value=o.value, source=o.source_name, context=o.context, ref=o.ref)
                for o in sorted(items, key=lambda o: (o.earliest, o.ref.article_id))]
        out.append(Contradiction(kind="date", subject=items[0].label, items=rows))
    return out


def content_words(text: str, extra_stop: set[str] | None = None) -> frozenset[str]:
    """Lower-case content words of a claim, without stop words, hedges and negations."""
    stop = STOP_WORDS | _NEGATIONS | (extra_stop or set())
    return frozenset(w for w in (m.group().lower().replace("\u2019", "'") for m in _WORD.finditer(text))
                     if w not in stop and len(w) > 2)


def _side(c: ClaimObs) -> int:
    """+1 the holder expects it, -1 expects it not, 0 no stated side (even odds, unknown)."""
    sign = 1 if c.polarity != "negative" else -1
    if c.low is not None and c.high is not None:
        if c.high <= 0.45:
            return -sign
        if c.low >= 0.55:
            return sign
        return 0
    return sign


def claim_contradictions(obs: list[ClaimObs], limit: int = 400) -> list[Contradiction]:
    obs = obs[:limit]
    out: list[Contradiction] = []
    for a, b in combinations(obs, 2):
        if a.holder == b.holder:
            continue
        union = a.words | b.words
        same = bool(a.events & b.events) or (bool(union) and len(a.words & b.words) / len(union) >= MIN_OVERLAP)
        if not same:
            continue
        sa, sb = _side(a), _side(b)
        if sa == 0 or sb == 0 or sa == sb:
            continue
        items = [ContradictionItem(value=_claim_value(c), low=c.low, high=c.high, source=c.holder_name,
                                   context=c.text, ref=c.ref) for c in (a, b) if c.ref is not None]
        subject = min((a.text, b.text), key=len)
        subject = subject if len(subject) <= 140 else subject[:139].rstrip() + "…"
        out.append(Contradiction(kind="claim", subject=subject, items=items))
    return out


def _claim_value(c: ClaimObs) -> str:
    bits = []
    if c.phrase:
        bits.append(c.phrase)
    if c.polarity == "negative":
        bits.append("(negated)")
    if c.low is not None and c.high is not None:
        lo, hi = round(c.low * 100), round(c.high * 100)
        bits.append(f"({lo} %)" if lo == hi else f"({lo}–{hi} %)")
    return " ".join(bits) or "asserted"
