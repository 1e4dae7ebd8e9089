"""Forecast horizons: the stretch of time a claim is about ("over the next few months").

The times component normalises dates in general; a forecast needs one more thing from them — the
*window* the holder talks about, including the vague ones forecasters use most ("for the time
being", "in the coming days", "in the long run"). This module finds those phrases in a sentence
and turns them into a `TimeExpr` interval anchored on the publication date. When the times
component already produced a `TimeExpr` for the same words, the claims component reuses that one.

Vague counts are read conservatively and flagged ``vague``: "a few" = 3, "several" = 5, "a couple of" = 2,
a bare plural = a week of days, three weeks, months or years.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sitroom.model import TimeExpr

_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "eighteen": 18, "twenty": 20,
    "thirty": 30, "few": 3, "a few": 3, "several": 5, "couple": 2, "a couple of": 2, "couple of": 2,
}
_VAGUE_COUNTS = {"few", "a few", "several", "couple", "a couple of", "couple of"}
_BARE_PLURAL = {"day": 7, "week": 3, "month": 3, "year": 3, "decade": 1}
_COUNT = r"(?P<n>\d+|a few|a couple of|couple of|few|several|an?|one|two|three|four|five|six|seven|eight|nine|ten|" \
         r"eleven|twelve|eighteen|twenty|thirty)"
_UNIT = r"(?P<unit>day|week|month|year|decade)s?"


@dataclass(frozen=True)
class _Pattern:
    regex: re.Pattern[str]
    kind: str


_PATTERNS: tuple[_Pattern, ...] = tuple(
    _Pattern(re.compile(rx, re.IGNORECASE), kind)
    for rx, kind in (
        (r"\b(?:at least )?for the time being\b", "present"),
        (r"\b(?:at least )?for now\b", "present"),
        (r"\b(?:for|in) the foreseeable future\b", "future_open"),
        (r"\bin the (?:near|short) (?:term|run)\b", "near"),
        (r"\bin the (?:long|longer|medium) (?:term|run)\b", "future_open"),
        (r"\b(?:in|over|during|within|for) the (?:next|coming|following) " + _COUNT + r"?\s*" + _UNIT + r"\b", "next"),
        (r"\bin the (?:days|weeks|months|years) (?:ahead|to come)\b", "next_plain"),
        (r"\b(?:in|within) (?:the space of )?" + _COUNT + r" " + _UNIT + r"\b", "within"),
        (r"\b(?:by|before) the end of (?:the|this) (?P<unit>week|month|year)\b", "end_of_this"),
        (r"\b(?:by|before) the end of next (?P<unit>week|month|year)\b", "end_of_next"),
        (r"\b(?:by|before|in|until|through) (?:the end of )?(?P<year>(?:19|20)\d\d)\b", "year"),
        (r"\bnext (?P<unit>week|month|year)\b", "next_calendar"),
        (r"\b(?:later|later on) this (?P<unit>week|month|year)\b", "rest_of_this"),
        (r"\b(?:soon|shortly|imminently|before long)\b(?! (?:after|before|afterwards?|thereafter))", "near"),
    )
)


@dataclass(frozen=True)
class Horizon:
    """A horizon phrase found at [start, end) of the text, with its normalised interval."""

    start: int
    end: int
    text: str
    value: str
    earliest: dt.date | None
    latest: dt.date | None
    vague: bool
    direction: str  # "present" | "future"

    def as_time(self, id: str, anchor: dt.date | None) -> TimeExpr:
        return TimeExpr(id=id, start=self.start, end=self.end, text=self.text,
                        type="INTERVAL" if self.earliest or self.latest else "DURATION",
                        value=self.value, earliest=self.earliest, latest=self.latest, vague=self.vague,
                        direction=self.direction, anchor=anchor)  # type: ignore[arg-type]


def _add_months(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def _shift(day: dt.date, n: int, unit: str) -> dt.date:
    """`day` plus n units (calendar months and years; the day is clipped to the month's end)."""
    unit = unit.lower().rstrip("s")
    if unit == "day":
        return day + dt.timedelta(days=n)
    if unit == "week":
        return day + dt.timedelta(weeks=n)
    if unit == "month":
        return _add_months(day, n)
    if unit == "decade":
        return _add_months(day, 120 * n)
    return _add_months(day, 12 * n)


def _iso(d: dt.date | None) -> str:
    return d.isoformat() if d else ".."


def _end_of(unit: str, day: dt.date) -> dt.date:
    if unit == "week":
        return day + dt.timedelta(days=6 - day.weekday())
    if unit == "month":
        return _add_months(day.replace(day=1), 1) - dt.timedelta(days=1)
    return dt.date(day.year, 12, 31)


_Interval = tuple[str, dt.date | None, dt.date | None, bool, str]


def _interval(kind: str, m: re.Match[str], pub: dt.date | None) -> _Interval:
    """value, earliest, latest, vague, direction for one match."""
    gd = m.groupdict()
    if kind == "present":
        return ("PRESENT_REF" if pub is None else f"{pub.isoformat()}/..", pub, None, True, "present")
    if kind == "future_open":
        return ("FUTURE_REF" if pub is None else f"{pub.isoformat()}/..", pub, None, True, "future")
    if kind == "near":
        if pub is None:
            return "FUTURE_REF", None, None, True, "future"
        latest = _add_months(pub, 3)
        return f"{pub.isoformat()}/{latest.isoformat()}", pub, latest, True, "future"
    if kind in ("next", "within", "next_plain"):
        raw = (gd.get("n") or "").lower()
        unit = gd.get("unit") or m.group(0).split()[2]
        vague = not raw.isdigit() and (raw in _VAGUE_COUNTS or raw == "")
        if raw.isdigit():
            n = int(raw)
        elif raw:
            n = _NUMBERS.get(raw, 3)
        else:  # a bare plural: "in the coming days" ~ a week, "in the coming months" ~ three
            n = _BARE_PLURAL.get(unit.lower().rstrip("s"), 3)
        if pub is None:
            return f"P{n}{unit[0].upper()}", None, None, vague, "future"
        start = pub + dt.timedelta(days=1) if kind != "within" else pub
        latest = _shift(pub, n, unit)
        return f"{start.isoformat()}/{latest.isoformat()}", start, latest, vague, "future"
    if kind in ("end_of_this", "end_of_next", "next_calendar", "rest_of_this"):
        unit = gd["unit"].lower()
        if pub is None:
            return "FUTURE_REF", None, None, True, "future"
        if kind in ("end_of_this", "rest_of_this"):
            return f"{pub.isoformat()}/{_end_of(unit, pub).isoformat()}", pub, _end_of(unit, pub), False, "future"
        if kind == "end_of_next":
            nxt = _end_of(unit, pub) + dt.timedelta(days=1)
            return f"{pub.isoformat()}/{_end_of(unit, nxt).isoformat()}", pub, _end_of(unit, nxt), False, "future"
        first = _end_of(unit, pub) + dt.timedelta(days=1)
        return f"{first.isoformat()}/{_end_of(unit, first).isoformat()}", first, _end_of(unit, first), False, "future"
    if kind == "year":
        year = int(gd["year"])
        by = m.group(0).lower().startswith(("by", "before", "until", "through"))
        if (pub is not None and year < pub.year) or (pub is None and not by):
            return "", None, None, False, "past"  # "in 2012" with no publication date: likely the past
        start = pub if pub is not None and (by or pub.year == year) else dt.date(year, 1, 1)
        return f"{_iso(start)}/{year}-12-31", start, dt.date(year, 12, 31), False, "future"
    return "FUTURE_REF", None, None, True, "future"


def find_horizons(text: str, offset: int, published: dt.date | None) -> list[Horizon]:
    """Horizon phrases in `text` (which starts at `offset` in the document), non-overlapping, leftmost-longest."""
    found: list[Horizon] = []
    for pat in _PATTERNS:
        for m in pat.regex.finditer(text):
            value, earliest, latest, vague, direction = _interval(pat.kind, m, published)
            if direction == "past":
                continue
            found.append(Horizon(offset + m.start(), offset + m.end(), m.group(0), value, earliest, latest,
                                 vague, direction))
    found.sort(key=lambda h: (h.start, -(h.end - h.start)))
    out: list[Horizon] = []
    for h in found:
        if out and h.start < out[-1].end:
            continue
        out.append(h)
    return out
