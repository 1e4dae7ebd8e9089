"""Attribution throughput: what the quotes component adds to the spaCy parse it runs on.

Parses N articles (default: the first 100 of ../shared/gold/polnear-train, plus polnear-dev when
more are asked for) with the spaCy model once, then runs the attribution stage
(`sitroom.nlp.quotes.extract`: quote marks, candidates, model, speakers — without the actors
component, so the figure is attribution's own) over the parsed docs, and prints both times and
the ratio. The issue's budget: attribution adds at most 15% to the parse.

    python bench/bench_attribution.py [GOLD_DIR ...] [-n 100] [--repeat 3]

Times are CPU seconds of this process (`time.process_time`), best of `--repeat` runs, so other
work on a shared machine disturbs them less than wall-clock time would.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import spacy

from sitroom.nlp.extensions import register_extensions
from sitroom.nlp.pipeline import DEFAULT_MODEL
from sitroom.nlp.quotes import extract

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT.parent / "shared" / "gold"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dirs", nargs="*", type=Path, default=[GOLD / "polnear-train", GOLD / "polnear-dev"])
    ap.add_argument("-n", type=int, default=100, help="number of articles (at least 100 for the figure)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    files = [f for d in args.dirs for f in sorted(d.glob("*.txt"))][: args.n]
    if not files:
        raise SystemExit(f"no *.txt articles in {[str(d) for d in args.dirs]}")
    texts = [f.read_text(encoding="utf-8") for f in files]
    register_extensions()
    nlp = spacy.load(DEFAULT_MODEL)
    best_parse = best_attr = float("inf")
    docs = []
    for _ in range(args.repeat):
        t0 = time.process_time()
        docs = list(nlp.pipe(texts, batch_size=32))
        best_parse = min(best_parse, time.process_time() - t0)
        t0 = time.process_time()
        n_quotes = sum(len(extract(doc)[0]) for doc in docs)
        best_attr = min(best_attr, time.process_time() - t0)
    tokens = sum(len(d) for d in docs)
    print(f"articles {len(docs)}  tokens {tokens}  quotes {n_quotes}")
    print(f"spaCy parse      {best_parse:7.2f} s  ({tokens / best_parse:,.0f} tokens/s)")
    print(f"attribution      {best_attr:7.2f} s  ({tokens / best_attr:,.0f} tokens/s)")
    print(f"attribution adds {100 * best_attr / best_parse:5.1f}% to the parse (budget: 15%)")


if __name__ == "__main__":
    main()
