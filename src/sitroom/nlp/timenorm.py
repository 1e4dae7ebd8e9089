"""Normalise one time expression against the publication date (TIMEX3-like values).

News dates things relative to the day the story runs: "on Wednesday", "in the last day",
"in the coming days". The anchor is the publication date; the tense of the clause picks the
direction where the words do not ("On Wednesday, X announced" is the Wednesday before).
Values follow TIMEX3 and ISO 8601: ``2022-01-05`` (day), ``2022-01`` (month), ``2022-W01`` (week),
``2022-W01-WE`` (weekend), ``197`` (decade), ``P3M``/``PXM`` (a duration; ``X`` = unstated number),
``2022-01-05/2022-01-06`` (interval), ``PXD/2022-01-06`` and ``2022-01-06/PXD`` (vague intervals
ending or starting at the anchor), ``P3D`` for a SET (``once every three days``).

The rules cover what news writes most; `dateparser` (with the publication date as its relative
base) reads explicit calendar dates in other shapes.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

from dateutil.relativedelta import relativedelta

Tense = str  # "past" | "perfect" (has/have + participle) | "present" | "future"

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
    "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}
SEASONS = {"spring": ("SP", 3), "summer": ("SU", 6), "autumn": ("FA", 9), "fall": ("FA", 9), "winter": ("WI", 12)}
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "hundred": 100, "a couple of": 2, "couple of": 2,
}
VAGUE_NUMBERS = {"few", "a few", "several", "many", "some", "the", ""}
UNIT_CODES = {"second": "TS", "minute": "TM", "hour": "TH", "day": "D", "night": "D", "week": "W",
              "weekend": "WE", "month": "M", "year": "Y", "decade": "DE", "century": "CE"}

WD = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
MON = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
       r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
UNIT = r"(?:seconds?|minutes?|hours?|days?|nights?|weeks?|weekends?|months?|years?|decades?|centur(?:y|ies))"
NUM = (r"(?:\d+(?:\.\d+)?|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
       r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|hundred|"
       r"a few|few|several|many|a couple of|couple of)")
MOD = (r"(?:more than|less than|fewer than|nearly|almost|about|around|roughly|some|at least|over|up to|"
       r"just over|just under)")


@dataclass
class Norm:
    """The normalised reading of a time expression (the fields of `model.TimeExpr`)."""

    type: str = "DATE"
    value: str | None = None
    earliest: dt.date | None = None
    latest: dt.date | None = None
    vague: bool = False
    direction: str | None = None
    anchor: dt.date | None = None
    extra: dict = field(default_factory=dict)


# --------------------------------------------------------------------------- small helpers

def _unit(word: str) -> str:
    w = word.lower().rstrip("s")
    return "century" if w.startswith("centur") else w


def _count(word: str | None) -> int | None:
    """A count from digits or number words; None for vague counts ("few", "several", none)."""
    if word is None:
        return None
    w = word.lower().strip()
    if w in VAGUE_NUMBERS:
        return None
    if re.fullmatch(r"\d+(?:\.\d+)?", w):
        return int(float(w))
    return NUMBER_WORDS.get(w)


def duration_value(n: int | None, unit: str) -> str:
    code = UNIT_CODES.get(unit, "D")
    num = "X" if n is None else str(n)
    if code.startswith("T"):
        return f"PT{num}{code[1]}"
    return f"P{num}{code}"


def _delta(n: int, unit: str) -> relativedelta:
    return {
        "second": relativedelta(), "minute": relativedelta(), "hour": relativedelta(hours=n),
        "day": relativedelta(days=n), "night": relativedelta(days=n), "week": relativedelta(weeks=n),
        "weekend": relativedelta(weeks=n), "month": relativedelta(months=n), "year": relativedelta(years=n),
        "decade": relativedelta(years=10 * n), "century": relativedelta(years=100 * n),
    }.get(unit, relativedelta(days=n))


def _iso_week(d: dt.date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def _month_value(d: dt.date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def _month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    first = dt.date(year, month, 1)
    return first, first + relativedelta(months=1) - relativedelta(days=1)


def _day(d: dt.date, anchor: dt.date | None, direction: str | None = None) -> Norm:
    return Norm("DATE", d.isoformat(), d, d, anchor=anchor, direction=direction or _direction(d, anchor))


def _direction(d: dt.date | None, anchor: dt.date | None) -> str | None:
    if d is None or anchor is None:
        return None
    return "past" if d < anchor else "future" if d > anchor else "present"


def resolve_weekday(weekday: int, pub: dt.date, tense: Tense) -> dt.date:
    """The weekday the text means: past tense looks back (the same day counts), future forward."""
    back = (pub.weekday() - weekday) % 7
    ahead = (weekday - pub.weekday()) % 7 or 7
    if tense == "future":
        return pub + dt.timedelta(days=ahead)
    if tense == "present" and ahead < back:
        return pub + dt.timedelta(days=ahead)
    return pub - dt.timedelta(days=back)


def _resolve_month_day(month: int, day: int, pub: dt.date, tense: Tense) -> dt.date | None:
    for year in (pub.year, pub.year - 1, pub.year + 1):
        try:
            dt.date(year, month, day)
        except ValueError:
            return None
    this = dt.date(pub.year, month, day)
    if tense == "future":
        return this if this >= pub else dt.date(pub.year + 1, month, day)
    return this if this <= pub else dt.date(pub.year - 1, month, day)


def _resolve_month(month: int, pub: dt.date, tense: Tense, strict: bool = False) -> tuple[int, int]:
    if tense == "future":
        year = pub.year if (month > pub.month or (month == pub.month and not strict)) else pub.year + 1
    else:
        year = pub.year if (month < pub.month or (month == pub.month and not strict)) else pub.year - 1
    return year, month


def _month_norm(year: int | None, month: int, anchor: dt.date | None, part: str | None = None) -> Norm:
    if year is None:
        return Norm("DATE", f"XXXX-{month:02d}", anchor=anchor, vague=part is not None)
    lo, hi = _month_bounds(year, month)
    if part in ("early", "beginning"):
        hi = lo + dt.timedelta(days=9)
    elif part in ("mid", "middle"):
        lo, hi = lo + dt.timedelta(days=10), lo + dt.timedelta(days=19)
    elif part in ("late", "end"):
        lo = lo + dt.timedelta(days=20)
    return Norm("DATE", f"{year:04d}-{month:02d}", lo, hi, vague=part is not None, anchor=anchor,
                direction=_span_direction(lo, hi, anchor))


# --------------------------------------------------------------------------- the rules

def normalize(text: str, prep: str | None, tense: Tense, pub: dt.date | None) -> Norm:
    """Read `text` (without its preposition `prep`) in a clause of `tense`, published `pub`."""
    t = " ".join(text.lower().replace("’", "'").split())
    t = re.sub(r"^(?:the|this past|this coming)\s+(?=(?:" + WD + r"|weekend)\b)", "", t)
    prep = (prep or "").lower() or None
    for rule in _RULES:
        norm = rule(t, prep, tense, pub)
        if norm is not None:
            if norm.anchor is None:
                norm.anchor = pub
            return norm
    return _dateparser_rule(t, tense, pub)


def _rule_duration_for(t: str, prep: str | None, tense: Tense, pub: dt.date | None) -> Norm | None:
    """`for months now`, `for three years`, `for more than three hours`: how long, not when."""
    if prep not in ("for", "over", "within", "during") and not t.startswith(("for ", "over ", "within ")):
        return None
    m = re.fullmatch(rf"(?:(?:for|over|within|during)\s+)?(?:{MOD}\s+)?(?:the\s+)?(?:({NUM})\s+)?({UNIT})"
                     r"(?:\s+(now|already|straight|running))?", t)
    if not m or (m.group(1) is None and not m.group(2).endswith("s")):
        return None
    if t.startswith("the ") or " the " in t:
        return None  # "over the weekend": a date, not a duration
    n, unit = _count(m.group(1)), _unit(m.group(2))
    norm = Norm("DURATION", duration_value(n, unit), vague=n is None, anchor=pub)
    if prep == "within" or t.startswith("within"):
        norm.direction = "future"
        if pub is not None:
            norm.earliest = pub
            norm.latest = pub + _delta(n, unit) if n is not None else None
    elif m.group(3) or tense == "perfect":
        norm.direction, norm.latest = "past", pub
    return norm


def _rule_relative_span(t: str, prep: str | None, tense: Tense, pub: dt.date | None) -> Norm | None:
    """`the last day`, `the past three weeks`, `the coming days`, `the next few months`."""
    m = re.fullmatch(rf"(?:the\s+)?(last|past|previous|recent|coming|next|following|upcoming)\s+"
                     rf"(?:({NUM})\s+)?({UNIT})", t)
    if not m:
        m2 = re.fullmatch(rf"recent\s+({UNIT})", t)
        if not m2:
            return None
        m_word, n_word, unit_word = "recent", None, m2.group(1)
    else:
        m_word, n_word, unit_word = m.group(1), m.group(2), m.group(3)
        if not t.startswith("the ") and m_word in ("last", "next", "coming", "past") and n_word is None \
                and not unit_word.endswith("s"):
            return None  # "last week", "next month": calendar units, see _rule_calendar
    plural = unit_word.endswith("s")
    unit = _unit(unit_word)
    n = _count(n_word) if n_word else (None if plural else 1)
    vague = n is None
    past = m_word in ("last", "past", "previous", "recent")
    norm = Norm("INTERVAL" if not vague else "INTERVAL", vague=vague, anchor=pub,
                direction="past" if past else "future")
    if pub is None:
        norm.value = ("PAST_REF" if past else "FUTURE_REF")
        return norm
    dur = duration_value(n, unit)
    if past:
        norm.latest = pub
        if n is not None:
            norm.earliest = pub - _delta(n, unit)
            norm.value = f"{norm.earliest.isoformat()}/{pub.isoformat()}"
        else:
            norm.value = f"{dur}/{pub.isoformat()}"
    else:
        norm.earliest = pub
        if n is not None:
            norm.latest = pub + _delta(n, unit)
            norm.value = f"{pub.isoformat()}/{norm.latest.isoformat()}"
        else:
            norm.value = f"{pub.isoformat()}/{dur}"
    return norm


def _rule_deictic(t: str, prep: str | None, tense: Tense, pub: dt.date | None) -> Norm | None:
    """today, tonight, yesterday, tomorrow (with a part of day)."""
    m = re.fullmatch(r"(today|tonight|yesterday|tomorrow|now|currently|right now)"
                     r"(?:\s+(morning|afternoon|evening|night))?'?s?", t)
    if not m:
        return None
    word = m.group(1)
    if pub is None:
        return Norm("DATE", "PRESENT_REF" if word in ("today", "tonight", "now", "currently", "right now") else None)
    offset = {"yesterday": -1, "tomorrow": 1}.get(word, 0)
    return _day(pub + dt.timedelta(days=offset), pub)


def _rule_calendar(t: str, prep: str | None, tense: Tense, pub: dt.date | None) -> Norm | None:
    """this/last/next week, month, year, weekend, season; earlier/later this month."""
    m = re.fullmatch(r"(?:(earlier|later|early|late|mid)[\s-]+(?:on\s+)?)?(this|last|next|past)?\s*"
                     r"(week|weekend|month|year|spring|summer|autumn|fall|winter)", t)
    if not m or (m.group(2) is None and m.group(3) != "weekend"):
        return None
    part, which, unit = m.group(1), m.group(2) or "this", m.group(3)
    if pub is None:
        return Norm("DATE", None, vague=True)
    step = {"last": -1, "past": -1, "next": 1}.get(which, 0)
    norm: Norm
    if unit == "week":
        d = pub + dt.timedelta(weeks=step)
        mon = d - dt.timedelta(days=d.weekday())
        norm = Norm("DATE", _iso_week(d), mon, mon + dt.timedelta(days=6), anchor=pub)
    elif unit == "weekend":
        if which == "this" and step == 0:
            if tense == "future":
                sat = pub + dt.timedelta(days=(5 - pub.weekday()) % 7)
            else:
                sat = pub - dt.timedelta(days=(pub.weekday() - 5) % 7)
        else:
            sat = pub + dt.timedelta(days=(5 - pub.weekday()) % 7) + dt.timedelta(weeks=step)
            if step < 0 and sat + dt.timedelta(weeks=1) <= pub:
                sat = sat
        norm = Norm("DATE", _iso_week(sat) + "-WE", sat, sat + dt.timedelta(days=1), anchor=pub)
    elif unit == "month":
        d = pub + relativedelta(months=step)
        lo, hi = _month_bounds(d.year, d.month)
        norm = Norm("DATE", _month_value(d), lo, hi, anchor=pub)
    elif unit == "year":
        y = pub.year + step
        norm = Norm("DATE", f"{y:04d}", dt.date(y, 1, 1), dt.date(y, 12, 31), anchor=pub)
    else:
        code, start_month = SEASONS[unit]
        y = pub.year + step
        if which == "last" and start_month > pub.month:
            y = pub.year - 1
        lo = dt.date(y, start_month, 1)
        hi = lo + relativedelta(months=3) - relativedelta(days=1)
        norm = Norm("DATE", f"{y:04d}-{code}", lo, hi, anchor=pub)
    if part in ("earlier",) and step == 0:
        norm.latest, norm.direction = pub, "past"
    elif part in ("later",) and step == 0:
        norm.earliest, norm.direction = pub, "future"
    else:
        norm.direction = _span_direction(norm.earliest, norm.latest, pub)
    return norm


def _span_direction(lo: dt.date | None, hi: dt.date | None, pub: dt.date | None) -> str | None:
    if lo is None or hi is None or pub is None:
        return None
    if hi < pub:
        return "past"
    if lo > pub:
        return "future"
    return "present"


def _rule_ago(t: str, prep: str | None, tense: Tense, pub: dt.date | None) -> Norm | None:
    """`two weeks ago`, `three days earlier`, `a month later`."""
    m = re.fullmatch(rf"(?:{MOD}\s+)?({NUM})\s+({UNIT})\s+(ago|earlier|before|later|after|from now)", t)
    if not m:
        return None
    n, unit = _count(m.group(1)), _unit(m.group(2))
    if m.group(3) in ("before", "after"):
        return Norm("DURATION", duration_value(n, unit), vague=n is None, anchor=pub)
    if pub is None or n is None:
        return Norm("DATE", None, vague=True, direction="past" if m.group(3) in ("ago", "earlier") else "future")
    sign = -1 if m.group(3) in ("ago", "earlier") else 1
    d = pub + sign * _delta(n, unit)
    if isinstance(d, dt.datetime):  # date + relativedelta(hours=…) is a datetime
        # "2 hours ago" against a publication *day* is that day, not the day before midnight
        d = pub if unit in ("hour", "minute", "second") and n < 24 else d.date()
    if unit in ("month",):
        lo, hi = _month_bounds(d.year, d.month)
        return Norm("DATE", _month_value(d), lo, hi, anchor=pub, direction=_span_direction(lo, hi, pub))
    if unit in ("year", "decade", "century"):
        return Norm("DATE", f"{d.year:04d}", dt.date(d.year, 1, 1), dt.date(d.year, 12, 31), anchor=pub,
                    direction="past" if sign < 0 else "future")
    return _day(d, pub)


def _rule_weekday(t: str, prep: str | None, tense: Tense, pub: dt.date | None) -> Norm | None:
    """`Wednesday`, `late on Friday`, `last Sunday`, `Monday night`, `next Tuesday`."""
    m = re.fullmatch(rf"(?:(early|late|earlier|later)\s+(?:on\s+)?)?(?:(last|next|this|past|coming)\s+)?({WD})"
                     r"(?:'s)?(?:\s+(morning|afternoon|evening|night))?", t)
    if not m:
        return None
    wd = WEEKDAYS.index(m.group(3))
    if pub is None:
        return Norm("DATE", f"XXXX-WXX-{wd + 1}")
    which = m.group(2)
    if which in ("last", "past"):
        back = (pub.weekday() - wd) % 7 or 7
        d = pub - dt.timedelta(days=back)
    elif which in ("next", "coming"):
        d = pub + dt.timedelta(days=(wd - pub.weekday()) % 7 or 7)
    else:
        d = resolve_weekday(wd, pub, tense)
    return _day(d, pub)


def _rule_month_day(t: str, prep: str | None, tense: Tense, pub: dt.date | None) -> Norm | None:
    """`September 29`, `Oct. 16, 2021`, `29 September 2021`, `January 2022`, `mid-August`, `last March`."""
    t2 = re.sub(r"(\d)(?:st|nd|rd|th)\b", r"\1", t)
    m = re.fullmatch(rf"(?:(?:on|the)\s+)?({MON})\s+(\d{{1,2}})(?:,?\s+(\d{{4}}))?", t2) or None
    day_first = re.fullmatch(rf"(?:the\s+)?(\d{{1,2}})\s+(?:of\s+)?({MON})(?:,?\s+(\d{{4}}))?", t2)
    if m or day_first:
        if m:
            month, day, year = MONTHS[m.group(1).rstrip(".")], int(m.group(2)), m.group(3)
        else:
            month, day, year = MONTHS[day_first.group(2).rstrip(".")], int(day_first.group(1)), day_first.group(3)
        if year:
            try:
                return _day(dt.date(int(year), month, day), pub)
            except ValueError:
                return None
        if pub is None:
            return Norm("DATE", f"XXXX-{month:02d}-{day:02d}")
        d = _resolve_month_day(month, day, pub, tense)
        return _day(d, pub) if d else None
    m = re.fullmatch(rf"(?:(early|mid|late|the end of|the beginning of|the middle of)[\s-]+)?"
                     rf"(?:(last|next|this)\s+)?({MON})"
                     r"(?:,?\s+(\d{4}))?", t2)
    if m and not (m.group(3) == "may" and not (m.group(1) or m.group(2) or m.group(4))):
        part = (m.group(1) or "").replace("the ", "").replace(" of", "") or None
        month = MONTHS[m.group(3).rstrip(".")]
        if m.group(4):
            return _month_norm(int(m.group(4)), month, pub, part)
        if pub is None:
            return _month_norm(None, month, pub, part)
        which = m.group(2)
        if which == "last":
            year, month = _resolve_month(month, pub, "past", strict=True)
        elif which == "next":
            year, month = _resolve_month(month, pub, "future", strict=True)
        elif which == "this":
            year = pub.year
        else:
            year, month = _resolve_month(month, pub, tense)
        return _month_norm(year, month, pub, part)
    return None


def _rule_year(t: str, prep: str | None, tense: Tense, pub: dt.date | None) -> Norm | None:
    """`1988`, `the 1970s`, `1991-1995`, `2021-22`."""
    m = re.fullmatch(r"(?:the\s+)?(?:early\s+|mid-?|late\s+)?((?:1[5-9]|20)\d)0'?s", t)
    if m:
        lo = dt.date(int(m.group(1)) * 10, 1, 1)
        return Norm("DATE", m.group(1), lo, dt.date(lo.year + 9, 12, 31), anchor=pub,
                    direction=_span_direction(lo, dt.date(lo.year + 9, 12, 31), pub))
    m = re.fullmatch(r"(?:the\s+)?((?:1[5-9]|20)\d\d)\s*[-–]\s*((?:1[5-9]|20)?\d\d)", t)
    if m:
        a, b = m.group(1), m.group(2)
        b = a[:2] + b if len(b) == 2 else b
        lo, hi = dt.date(int(a), 1, 1), dt.date(int(b), 12, 31)
        return Norm("INTERVAL", f"{a}/{b}", lo, hi, anchor=pub, direction=_span_direction(lo, hi, pub))
    m = re.fullmatch(r"(?:the\s+(?:year\s+)?|fiscal\s+(?:year\s+)?)?((?:1[5-9]|20)\d\d)", t)
    if m:
        y = int(m.group(1))
        lo, hi = dt.date(y, 1, 1), dt.date(y, 12, 31)
        return Norm("DATE", m.group(1), lo, hi, anchor=pub, direction=_span_direction(lo, hi, pub))
    return None


def _rule_hyphen_duration(t: str, prep: str | None, tense: Tense, pub: dt.date | None) -> Norm | None:
    """`six-month`, `48-hour`, `28-month-old`, `day-old`, `a decade-long`."""
    m = re.fullmatch(rf"(?:an?\s+)?(?:({NUM})[\s-])?(second|minute|hour|day|night|week|month|year|decade|century)"
                     r"(?:[\s-](old|long))?", t)
    if not m or (m.group(1) is None and m.group(3) is None):
        return None
    n = _count(m.group(1)) if m.group(1) else 1
    return Norm("DURATION", duration_value(n, m.group(2)), anchor=pub)


def _rule_plain_duration(t: str, prep: str | None, tense: Tense, pub: dt.date | None) -> Norm | None:
    """`four years`, `two weeks`, `more than three hours`, `months` (after `after`, `since` ...)."""
    m = re.fullmatch(rf"(?:{MOD}\s+)?(?:({NUM})\s+)?({UNIT})", t)
    if not m or (m.group(1) is None and not m.group(2).endswith("s")):
        return None
    n = _count(m.group(1))
    return Norm("DURATION", duration_value(n, _unit(m.group(2))), vague=n is None, anchor=pub)


def _rule_set(t: str, prep: str | None, tense: Tense, pub: dt.date | None) -> Norm | None:
    """`once every three days`, `every day`, `daily`, `each week`, `twice a month`."""
    simple = {"daily": "P1D", "nightly": "P1D", "weekly": "P1W", "monthly": "P1M", "yearly": "P1Y", "annually": "P1Y"}
    if t in simple:
        return Norm("SET", simple[t], anchor=pub)
    m = re.fullmatch(rf"(?:(?:once|twice|\w+ times)\s+)?(?:every|each|a|per)\s+(?:({NUM})\s+)?({UNIT})", t)
    if not m:
        return None
    n = _count(m.group(1)) if m.group(1) else 1
    return Norm("SET", duration_value(n, _unit(m.group(2))), anchor=pub)


def _rule_clock(t: str, prep: str | None, tense: Tense, pub: dt.date | None) -> Norm | None:
    """`2 p.m.`, `10:30 am`, `noon`, `midnight`: a time of day (the day itself comes from context)."""
    if t in ("noon", "midday", "midnight"):
        return Norm("TIME", "T12:00" if t != "midnight" else "T00:00", anchor=pub)
    m = re.fullmatch(r"(?:at\s+)?(?:about\s+|around\s+)?(\d{1,2})(?::(\d{2}))?\s*(a\.?m\.?|p\.?m\.?)?"
                     r"(?:\s*\(?\d{4} gmt\)?|\s+(?:local time|gmt|utc))?", t)
    if not m or (m.group(2) is None and m.group(3) is None):
        return None
    hour, minute = int(m.group(1)), int(m.group(2) or 0)
    if m.group(3) and m.group(3).startswith("p") and hour < 12:
        hour += 12
    if hour > 23 or minute > 59:
        return None
    return Norm("TIME", f"T{hour:02d}:{minute:02d}", anchor=pub)


_RULES = (_rule_clock, _rule_deictic, _rule_relative_span, _rule_duration_for, _rule_calendar, _rule_ago, _rule_weekday,
          _rule_month_day, _rule_year, _rule_set, _rule_hyphen_duration, _rule_plain_duration)


# --------------------------------------------------------------------------- dateparser fallback

@lru_cache(maxsize=1)
def _dateparser():
    import dateparser

    return dateparser


def warm_up() -> None:
    """Load dateparser's English data now (its first call costs ~0.1 s), not inside an analysis."""
    _dateparser().parse("5 January 2022", languages=["en"])


@lru_cache(maxsize=2048)
def _parse_cached(text: str, base: dt.date | None, prefer: str) -> dt.datetime | None:
    settings = {"PREFER_DATES_FROM": prefer, "RETURN_AS_TIMEZONE_AWARE": False}
    if base is not None:
        settings["RELATIVE_BASE"] = dt.datetime.combine(base, dt.time())
    try:
        return _dateparser().parse(text, languages=["en"], settings=settings)
    except Exception:  # dateparser raises assorted errors on odd strings; treat as unreadable
        return None


def _dateparser_rule(t: str, tense: Tense, pub: dt.date | None) -> Norm:
    """What the rules did not read: hand it to dateparser, keep only the granularity the text has."""
    if not re.search(rf"\d|{MON}\b|{WD}|\b(?:ago|yesterday|tomorrow|today)\b", t):
        return Norm("DATE", None, anchor=pub)
    prefer = "future" if tense == "future" else "past"
    got = _parse_cached(t, pub, prefer)
    if got is None:
        return Norm("DATE", None, anchor=pub)
    d = got.date()
    has_day = bool(re.search(r"\b\d{1,2}(?:st|nd|rd|th)?\b(?!\d)", re.sub(r"\b\d{4}\b", "", t))) or bool(
        re.search(WD, t)) or "ago" in t or "yesterday" in t or "tomorrow" in t or "today" in t
    has_month = bool(re.search(rf"{MON}\b", t)) or has_day
    if has_day:
        return _day(d, pub)
    if has_month:
        lo, hi = _month_bounds(d.year, d.month)
        return Norm("DATE", _month_value(d), lo, hi, anchor=pub, direction=_span_direction(lo, hi, pub))
    return Norm("DATE", f"{d.year:04d}", dt.date(d.year, 1, 1), dt.date(d.year, 12, 31), anchor=pub)
