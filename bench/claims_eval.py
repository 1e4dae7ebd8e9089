"""Claims against a gold file's ``claims``: found / holder / forecast flag / estimative label, and the extras.

    python bench/claims_eval.py [GOLD.txt] [--analysis ANALYSIS.json]

Default: ``../shared/gold/kazakhstan-two-fronts.txt`` (its gold is the ``.json`` beside it). Without
``--analysis`` the text is analysed here. A gold claim is found when a predicted claim covers at least
half of the shorter of the two spans. The label matches when the gold estimative is an ICD 203 band
and the band is equal; "less likely"/"more likely" need a comparative in that direction; "unchanged
risk" a comparative with direction "same"; "could"/"may"/"might" a possibility with that word;
"believes" a belief. Extras are printed for judging by hand: the gold need not list every assessment.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ICD = {"almost no chance", "very unlikely", "unlikely", "roughly even chance", "likely", "very likely",
       "almost certain"}


def holder_name(analysis: dict, claim: dict) -> str:
    h = claim.get("holder")
    if not h:
        return "article"
    ent = next((e for e in analysis["entities"] if e["id"] == h.get("actor_id")), None)
    return ent["name"] if ent else h["name"]


def label_ok(est: str, lk: dict) -> bool:
    if est in ICD:
        return lk.get("band") == est
    if est in ("less likely", "more likely"):
        return lk["kind"] == "comparative" and lk.get("direction") == est.split()[0]
    if est == "unchanged risk":
        return lk["kind"] == "comparative" and lk.get("direction") == "same"
    if est in ("could", "may", "might"):
        return lk["kind"] == "possibility" and est in lk["phrase"].lower()
    if est in ("believes", "belief"):
        return lk["kind"] == "belief"
    if est in ("willing", "volition", "capability"):
        return lk["kind"] in ("volition", "capability")
    return False


def holder_ok(gold: str, pred: str) -> bool:
    g, p = gold.lower(), pred.lower()
    if g == "article" or p == "article":
        return g == p
    return g in p or p in g or g.split()[-1] in p.split()


def match(gold_claims: list[dict], analysis: dict) -> dict:
    preds = analysis["claims"]
    rows, used = [], set()
    for g in gold_claims:
        gs, ge = g["span"]
        best, ratio = None, 0.0
        for c in preds:
            ov = min(ge, c["end"]) - max(gs, c["start"])
            r = ov / max(1, min(ge - gs, c["end"] - c["start"])) if ov > 0 else 0.0
            if r > ratio:
                best, ratio = c, r
        if best is None or ratio < 0.5:
            rows.append({"gold": g, "pred": None})
            continue
        used.add(best["id"])
        rows.append({"gold": g, "pred": best, "holder": holder_ok(g["holder"], holder_name(analysis, best)),
                     "forecast": best["forecast"] == g["forecast"],
                     "label": label_ok(g["estimative"], best["likelihood"])})
    extras = [c for c in preds if c["id"] not in used]
    return {"rows": rows, "extras": extras}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold_text", nargs="?", default=str(ROOT.parent / "shared/gold/kazakhstan-two-fronts.txt"))
    ap.add_argument("--analysis", help="an analysis JSON of the same text (default: analyse it now)")
    args = ap.parse_args()
    txt = Path(args.gold_text)
    gold = json.loads(txt.with_suffix(".json").read_text(encoding="utf-8"))
    if args.analysis:
        analysis = json.loads(Path(args.analysis).read_text(encoding="utf-8"))
    else:
        from sitroom.analysis import Analyzer
        from sitroom.ingest import read_path

        analysis = json.loads(Analyzer().analyze_raw(read_path(txt)).model_dump_json())
    res = match(gold["claims"], analysis)
    full = 0
    for r in res["rows"]:
        g, c = r["gold"], r["pred"]
        if c is None:
            print(f"MISSING  {g['holder']}: {g['text']}")
            continue
        ok = r["holder"] and r["forecast"] and r["label"]
        full += ok
        lk = c["likelihood"]
        direction = "/" + lk["direction"] if lk.get("direction") else ""
        print(f"{'OK ' if ok else 'BAD'} {c['id']:>4}  holder {holder_name(analysis, c)!r}{'' if r['holder'] else ' ✗'}"
              f" | forecast {c['forecast']}{'' if r['forecast'] else ' ✗'}"
              f" | {lk['phrase']!r} → {lk.get('band') or lk['kind']}{direction}"
              f"{'' if r['label'] else ' ✗ (gold ' + g['estimative'] + ')'}")
    found = sum(r["pred"] is not None for r in res["rows"])
    print(f"\ngold {len(res['rows'])}: found {found}, fully right {full}; predicted {len(analysis['claims'])}, "
          f"extra {len(res['extras'])} (judge by hand):")
    for c in res["extras"]:
        lk = c["likelihood"]
        print(f"  {c['id']:>4}  {holder_name(analysis, c)!r} forecast={c['forecast']} {lk['phrase']!r} → "
              f"{lk.get('band') or lk['kind']}: {c['text'][:100]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
