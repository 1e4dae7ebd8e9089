"""Time and memory each hostile input costs, one by one, under the per-article limits.

Generates the bad-input corpus (`tests/bad_inputs/make_bad_inputs.py`), then reads and analyses
every article of every input in this process — set up like an ingest worker (memory cap, the
per-article time limit) — and measures for each: wall time, peak resident memory *during that
input* (the kernel's high-water mark is reset before each one via /proc/self/clear_refs), and what
became of it (analysed, or the failure reason).

    .venv/bin/python bench/bad_inputs_bench.py                    # table + summary
    SITROOM_ARTICLE_TIMEOUT=10 .venv/bin/python bench/bad_inputs_bench.py --json out.json
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--json")
    ap.add_argument("--light", action="store_true", help="skip the multi-megabyte cases")
    args = ap.parse_args()

    from tests.bad_inputs.make_bad_inputs import build

    from sitroom.analysis import Analyzer
    from sitroom.ingest import limits
    from sitroom.ingest.sources import iter_items, plan

    limits.apply_worker_limits(watchdog=False)
    analyzer = Analyzer()
    analyzer.analyze("Warm-up. The minister said on Monday that talks would resume.")
    baseline = _status_kb("VmRSS")
    work = Path(tempfile.mkdtemp(prefix="sitroom-bad-bench-"))
    cases = build(work, heavy=not args.light, good=True)
    names = [c.name for c in cases] + ["good-bridge.txt", "good-recount.txt", "good-drought.txt"]
    inputs = {Path(i.spec).name: i for i in plan([str(work)])}
    rows = []
    for name in names:
        inp = inputs.get(name)
        if inp is None:
            continue
        can_reset = _reset_peak()
        t0 = time.perf_counter()
        outcomes = []
        for item in iter_items([inp]):
            if not item.ok:
                outcomes.append(("failed", item.error or ""))
                continue
            try:
                a = analyzer.analyze_raw(item.raw, published=item.published)
                outcomes.append(("analysed", f"{len(a.text):,} chars, {len(a.quotes)} quotes") if a.text.strip()
                                else ("failed", "no article text found"))
            except Exception as exc:  # noqa: BLE001 - what ingest records as the failure
                outcomes.append(("failed", limits.describe_failure(exc)))
        seconds = time.perf_counter() - t0
        peak = _status_kb("VmHWM") if can_reset else 0
        rows.append({"input": name, "seconds": round(seconds, 3), "peak_rss_mb": round(peak / 1024, 1),
                     "articles": len(outcomes), "analysed": sum(o[0] == "analysed" for o in outcomes),
                     "failed": sum(o[0] == "failed" for o in outcomes),
                     "first": (outcomes[0][1] if outcomes else "").replace(f"{work}/", "")[:110]})
    rows.sort(key=lambda r: -r["seconds"])
    print(f"{'input':34} {'s':>7} {'peak MB':>8}  outcome")
    for r in rows:
        print(f"{r['input'][:34]:34} {r['seconds']:7.2f} {r['peak_rss_mb']:8.0f}  "
              f"{r['analysed']} analysed / {r['failed']} failed: {r['first']}")
    summary = {"inputs": len(rows), "articles": sum(r["articles"] for r in rows),
               "analysed": sum(r["analysed"] for r in rows), "failed": sum(r["failed"] for r in rows),
               "max_seconds": max(r["seconds"] for r in rows),
               "total_seconds": round(sum(r["seconds"] for r in rows), 1),
               "max_peak_rss_mb": max(r["peak_rss_mb"] for r in rows), "baseline_rss_mb": round(baseline / 1024, 1),
               "time_limit_s": limits.article_seconds(), "max_text_chars": limits.max_text_chars()}
    print(json.dumps(summary, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps({"summary": summary, "rows": rows}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
