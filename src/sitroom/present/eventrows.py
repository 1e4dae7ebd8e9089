"""Events for people and spreadsheets: timeline order, readable dates, GDELT/ACLED-like rows.

`Event.when` holds a TIMEX3/ISO 8601 value — a day, an interval, or a vague interval such as
``PXD/2022-01-06`` ("some days up to 6 January"). A timeline needs them in order and a reader needs
them in words; a spreadsheet needs one flat row per event with the actor's country, the place's
coordinates and the sentence it came from.
"""

from __future__ import annotations

import datetime as dt
import re

from dateutil.relativedelta import relativedelta

from sitroom.model import Analysis, Event

#: one row per event; column names follow ACLED/GDELT usage where they have one
CSV_COLUMNS = [
    "event_date", "date_label", "event_type", "mode", "status",
    "actor", "actor_country", "actor_sector", "co_actors", "target", "target_country", "target_sector",
    "location", "location_country", "latitude", "longitude",
    "quantities", "source", "trigger", "event_text", "sentence", "start", "end", "event_id", "article",
    "actor_implied", "target_implied",  # "yes" where a coding rule supplied the argument (appended: keeps positions)
    "group",  # the first event id of the events coded from one mention (compound actor/target), else empty
    "issue",  # what a protest is about when that is not an actor ("the closure of the harbour")
]

_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
_DURATION = re.compile(r"P(X|\d+)(D|W|M|Y|DE)")
_UNITS = {"D": ("day", relativedelta(days=1)), "W": ("week", relativedelta(weeks=1)),
          "M": ("month", relativedelta(months=1)), "Y": ("year", relativedelta(years=1)),
          "DE": ("decade", relativedelta(years=10))}


def _date(text: str) -> dt.date | None:
    parts = [int(p) for p in text.split("-")]
    try:
        return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except (ValueError, IndexError):
        return None


def when_bounds(when: str | None) -> tuple[dt.date | None, dt.date | None]:
    """Earliest and latest day an event `when` value allows (None where open or unknown)."""
    if not when:
        return None, None
    if "/" not in when:
        m = _DATE.fullmatch(when)
        if not m:
            return None, None
        lo = _date(when)
        if lo is None:
            return None, None
        if len(when) == 4:
            return lo, dt.date(lo.year, 12, 31)
        if len(when) == 7:
            return lo, lo + relativedelta(months=1) - relativedelta(days=1)
        return lo, lo
    a, b = when.split("/", 1)
    lo = _date(a) if _DATE.fullmatch(a) else None
    hi = _date(b) if _DATE.fullmatch(b) else None
    da, db = _DURATION.fullmatch(a), _DURATION.fullmatch(b)
    if hi is not None and da is not None:  # PXM/2022-01-06: some months up to the date
        n = 2 if da.group(1) == "X" else int(da.group(1))
        lo = hi - n * _UNITS[da.group(2)][1]
    if lo is not None and db is not None:  # 2022-01-06/PXD: some days from the date
        n = 2 if db.group(1) == "X" else int(db.group(1))
        hi = lo + n * _UNITS[db.group(2)][1]
    return lo, hi


def when_sort_key(event: Event) -> tuple:
    """Timeline order: by the earliest possible day (else the latest), undated last, then by position."""
    lo, hi = when_bounds(event.when)
    day = lo or hi
    return (day is None, day or dt.date.max, event.start)


def when_label(when: str | None) -> str:
    """`PXD/2022-01-06` -> "days up to 2022-01-06"; `../2022-01-06` -> "by 2022-01-06"."""
    if not when:
        return "undated"
    if "/" not in when:
        return when
    a, b = when.split("/", 1)
    if a == "..":
        return f"by {b}"
    if b == "..":
        return f"from {a}"
    da, db = _DURATION.fullmatch(a), _DURATION.fullmatch(b)
    if da is not None:
        unit = _UNITS[da.group(2)][0]
        n = "some" if da.group(1) == "X" else da.group(1)
        return f"{n} {unit}s up to {b}" if n != "1" else f"the {unit} up to {b}"
    if db is not None:
        unit = _UNITS[db.group(2)][0]
        n = "some" if db.group(1) == "X" else db.group(1)
        return f"{n} {unit}s from {a}" if n != "1" else f"the {unit} from {a}"
    return f"{a} to {b}"


def timeline(analysis: Analysis) -> list[Event]:
    return sorted(analysis.events, key=when_sort_key)


def who_label(e: Event) -> str:
    """"protesters → Kazakhstan (government, implied) over “fuel prices”": actor, co-actors, target and the
    issue of a protest in words."""
    who = e.actor.name if e.actor else "?"
    if e.actor_implied:
        who += " (implied)"
    if e.co_actors:
        who += " with " + ", ".join(c.name for c in e.co_actors)
    if e.target is not None:
        note = ", ".join(x for x in (e.target.sector if e.target_implied else None,
                                     "implied" if e.target_implied else None) if x)
        who += f" → {e.target.name}" + (f" ({note})" if note else "")
    if e.issue is not None:
        who += f" over “{e.issue.text}”"
    return who


def timeline_rows(analysis: Analysis) -> list[dict[str, str | int]]:
    """The dated timeline as the terminal, Markdown, HTML and web views show it: one row per event."""
    rows: list[dict[str, str | int]] = []
    for e in timeline(analysis):
        rows.append({"id": e.id, "when": when_label(e.when), "when_value": e.when or "",
                     "type": e.type + ("/" + e.mode if e.mode else ""), "event_type": e.type, "mode": e.mode or "",
                     "who": who_label(e),
                     "where": e.location.name if e.location else "", "status": e.status, "text": e.text,
                     "start": e.start, "end": e.end, "trigger_start": e.trigger.start, "trigger_end": e.trigger.end,
                     "group": e.group or ""})
    return rows


def event_rows(analysis: Analysis, article: str | None = None) -> list[dict[str, str]]:
    """One flat row per event (CSV_COLUMNS), in timeline order."""
    quantities = {q.id: q for q in analysis.quantities}
    name = article or analysis.source.path or analysis.source.url or ""
    rows = []
    for e in timeline(analysis):
        lo, _ = when_bounds(e.when)
        geo = e.location.geo if e.location is not None else None
        qs = []
        for qid in e.quantity_ids:
            q = quantities.get(qid)
            if q is None:
                continue
            amount = _amount(q.value, q.value_low, q.value_high, q.approx)
            qs.append(f"{amount} {q.unit or ''}".strip())
        rows.append({
            "event_date": lo.isoformat() if lo else "",
            "date_label": when_label(e.when),
            "event_type": e.type,
            "mode": e.mode or "",
            "status": e.status,
            "actor": e.actor.name if e.actor else "",
            "actor_country": (e.actor.country or "") if e.actor else "",
            "actor_sector": (e.actor.sector or "") if e.actor else "",
            "co_actors": "; ".join(c.name for c in e.co_actors),
            "target": e.target.name if e.target else "",
            "target_country": (e.target.country or "") if e.target else "",
            "target_sector": (e.target.sector or "") if e.target else "",
            "location": e.location.name if e.location else "",
            "location_country": (geo.country_code or "") if geo else "",
            "latitude": "" if geo is None or geo.latitude is None else f"{geo.latitude:.5f}",
            "longitude": "" if geo is None or geo.longitude is None else f"{geo.longitude:.5f}",
            "quantities": "; ".join(qs),
            "source": e.source.name if e.source else "article",
            "trigger": e.trigger.text,
            "event_text": e.text,
            "sentence": e.sentence.text if e.sentence else "",
            "start": str(e.start),
            "end": str(e.end),
            "event_id": e.id,
            "article": name,
            "actor_implied": "yes" if e.actor_implied else "",
            "target_implied": "yes" if e.target_implied else "",
            "group": e.group or "",
            "issue": e.issue.text if e.issue else "",
        })
    return rows


def _amount(value: float | None, low: float | None, high: float | None, approx: bool) -> str:
    def num(x: float) -> str:
        return f"{x:,.0f}" if x == int(x) else f"{x:,.2f}"

    if value is not None:
        return ("~" if approx else "") + num(value)
    if low is not None and high is not None:
        return f"{num(low)}-{num(high)}"
    if low is not None:
        return f">={num(low)}"
    if high is not None:
        return f"<={num(high)}"
    return "?"
