"""Find a publication date on a page: in a dateline or timestamp line, a URL, or a dated file slug.

These are the places a date hides when a page gives no metadata: ``Nov. 19, 2019 8:03 am ET``
under the headline, ``/2019/11/19/`` in the URL, ``220106-…`` (YYMMDD) at the start of an image
file name that the CMS named on the day it was uploaded. Written by hand because the shapes are
few and fixed, and because a full date parser (dateparser) is slow on every line of a page.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
    "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}
_MON = r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|" \
       r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_PATTERNS = [
    # 2022-01-06, 2022/01/06, 2022.01.06 (optionally followed by a time: ISO timestamps)
    re.compile(r"(?<![\d/])(?P<y>(?:19|20)\d\d)([-/.])(?P<m>\d{1,2})\2(?P<d>\d{1,2})(?![\d/])"),
    # January 6, 2022 / Jan. 6 2022 / Jan 6th, 2022
    re.compile(rf"\b{_MON}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)\b", re.I),
    # 6 January 2022 / 6 Jan. 2022 / 6th of January, 2022
    re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MON},?\s+(?P<y>(?:19|20)\d\d)\b", re.I),
    # 06.01.2022 / 6/1/2022 (day-first unless that is impossible)
    re.compile(r"(?<![\d/.])(?P<a>\d{1,2})([./])(?P<b>\d{1,2})\2(?P<y>(?:19|20)\d\d)(?![\d/])"),
]
_URL_DATE = re.compile(r"/(?P<y>(?:19|20)\d\d)[/-](?P<m>[01]?\d)[/-](?P<d>[0-3]?\d)(?=[/-])"
                       r"|/(?P<y2>(?:19|20)\d\d)(?P<m2>[01]\d)(?P<d2>[0-3]\d)(?=/)")
_SLUG_DATE = re.compile(r"^(?P<y>(?:19|20)?\d\d)(?P<m>[01]\d)(?P<d>[0-3]\d)(?=[-_])|"
                        r"(?:^|[-_])(?P<y2>(?:19|20)\d\d)[-_]?(?P<m2>[01]\d)[-_]?(?P<d2>[0-3]\d)(?=[-_.]|$)")


@dataclass(frozen=True)
class FoundDate:
    date: dt.date
    start: int
    end: int


def _make(y: int, m: int, d: int) -> dt.date | None:
    if y < 100:
        y += 2000
    if not 1990 <= y <= dt.date.today().year + 1:
        return None
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def find_dates(text: str) -> list[FoundDate]:
    """All explicit calendar dates in `text`, in order."""
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []
    for i, pat in enumerate(_PATTERNS):
        for m in pat.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            g = m.groupdict()
            y = int(g["y"])
            if i == 0:
                date = _make(y, int(g["m"]), int(g["d"]))
            elif i in (1, 2):
                date = _make(y, _MONTHS[g["mon"].lower().rstrip(".")], int(g["d"]))
            else:
                a, b = int(g["a"]), int(g["b"])
                sep = m.group(2)
                # dots are day-first (European); slashes are month-first unless impossible
                date = _make(y, b, a) if sep == "." or a > 12 else _make(y, a, b)
            if date:
                found.append(FoundDate(date, m.start(), m.end()))
                taken.append((m.start(), m.end()))
    return sorted(found, key=lambda f: f.start)


def find_date(text: str) -> FoundDate | None:
    """The first explicit calendar date in `text`."""
    dates = find_dates(text)
    return dates[0] if dates else None


def date_from_url(url: str | None) -> dt.date | None:
    """``/2019/11/19/``, ``/2019-11-19-``, ``/20191119/`` in a URL path."""
    if not url:
        return None
    m = _URL_DATE.search(url)
    if not m:
        return None
    y, mo, d = (m["y"], m["m"], m["d"]) if m["y"] else (m["y2"], m["m2"], m["d2"])
    return _make(int(y), int(mo), int(d))


def date_from_slug(slug: str) -> dt.date | None:
    """A date a CMS put in a file name: ``220106-Vavra-Putin-tease`` (YYMMDD), ``photo_2021-03-04.jpg``."""
    m = _SLUG_DATE.search(slug.strip())
    if not m:
        return None
    y, mo, d = (m["y"], m["m"], m["d"]) if m["y"] else (m["y2"], m["m2"], m["d2"])
    return _make(int(y), int(mo), int(d))
