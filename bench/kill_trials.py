"""kill -9 during `sitroom ingest`, at random points, again and again: is the store always whole?

Each trial ingests the same invented corpus (every input format, exact duplicates, bad inputs)
into a fresh store and SIGKILLs the whole process group (the writer and its analysis workers) at
a random moment — at a random time since start (model loading, migrations, reading, writing) or
right after the k-th article was committed. Then:

1. ``sitroom check`` must pass on the killed store (foreign keys, offsets in range, stored text at
   its offsets, no orphan rows, duplicate links, counts, FTS index in sync);
2. in half of the trials the resumed run is killed again, and checked again;
3. a final rerun must complete, pass ``sitroom check``, hold every source exactly once, and end in
   the same state as an uninterrupted reference run (articles, duplicates, sources, failures,
   actors, quotes, events).

    .venv/bin/python bench/kill_trials.py --trials 20             # SQLite, 1 or 2 workers
    .venv/bin/python bench/kill_trials.py --trials 20 --json out.json

`run_trials` is also what ``tests/test_faults.py`` calls, with fewer trials.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def sitroom_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("sitroom")
    return [str(exe)] if exe.exists() else [sys.executable, "-c", "from sitroom.present.cli import main; main()"]


def build_corpus(root: Path, articles: int = 24) -> None:
    """Every input format (from the ingest tests' fixtures), more plain articles, exact copies, bad inputs."""
    from tests.corpus_fixtures import invented_article, mixed_folder

    mixed_folder(root)
    more = root / "wire"
    more.mkdir()
    for i in range(articles):
        (more / f"w{i:03d}.txt").write_text(invented_article(700 + i), encoding="utf-8")
    for i in range(3):  # exact copies under other names: stored once, each source recorded
        shutil.copy(more / f"w{i:03d}.txt", more / f"copy-of-w{i:03d}.txt")
    rows = [json.dumps({"text": invented_article(800 + i), "url": f"https://news.example/j{i}"}) for i in range(8)]
    (root / "lines.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")


def ingest_cmd(corpus: Path, db: str, workers: int) -> list[str]:
    return [*sitroom_cmd(), "ingest", str(corpus), "--db", db, "--workers", str(workers), "--no-progress"]


def check(db: str) -> tuple[bool, str]:
    proc = subprocess.run([*sitroom_cmd(), "check", "--db", db], capture_output=True, text=True, timeout=600)
    return proc.returncode == 0, (proc.stdout + proc.stderr).strip()[-600:]


def state(db_path: Path) -> dict:
    """What an ingest leaves behind, in terms that do not depend on ids or timings."""
    con = sqlite3.connect(db_path)
    q = lambda sql: con.execute(sql).fetchall()  # noqa: E731
    out = {
        "articles": q("SELECT count(*) FROM articles")[0][0],
        "duplicates": q("SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL")[0][0],
        "actors": q("SELECT count(*) FROM actors")[0][0],
        "quotes": q("SELECT count(*) FROM quotes")[0][0],
        "events": q("SELECT count(*) FROM events")[0][0],
        "sources": sorted(r[0] for r in q("SELECT source FROM article_sources")),
        "failures": sorted(r[0] for r in q("SELECT source FROM failures")),
        "sources_twice": [r[0] for r in q("SELECT source FROM article_sources GROUP BY source HAVING count(*) > 1")],
    }
    con.close()
    return out


def stored_articles(db_path: Path) -> int:
    try:
        con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=1)
        try:
            return con.execute("SELECT count(*) FROM articles").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0


@dataclass
class Kill:
    mode: str  # timed | after-k
    at_seconds: float
    target: float  # the random time, or k
    stored_at_kill: int
    check_ok: bool
    check_output: str = ""


@dataclass
class Trial:
    n: int
    workers: int
    kills: list[Kill] = field(default_factory=list)
    resumed_ok: bool = False
    final_check_ok: bool = False
    exactly_once: bool = False
    same_as_reference: bool = False
    differences: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return (all(k.check_ok for k in self.kills) and self.resumed_ok and self.final_check_ok
                and self.exactly_once and self.same_as_reference)


def kill_run(corpus: Path, db_path: Path, workers: int, rng: random.Random, ref_seconds: float,
             n_articles: int) -> Kill:
    """Start an ingest and SIGKILL its process group at a random point."""
    base = stored_articles(db_path) if db_path.exists() else 0  # a resumed run starts from what is stored
    # else after the k-th newly committed article: most kills land mid-batch
    timed = rng.random() < 0.4 or base >= n_articles - 1
    target = (rng.uniform(0.2, ref_seconds * 0.95) if timed
              else float(base + rng.randint(1, max(1, n_articles - base - 1))))
    proc = subprocess.Popen(ingest_cmd(corpus, str(db_path), workers), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    t0 = time.monotonic()
    stored = 0
    try:
        while proc.poll() is None:
            elapsed = time.monotonic() - t0
            if timed and elapsed >= target:
                break
            if not timed:
                stored = stored_articles(db_path)
                if stored >= target:
                    time.sleep(rng.uniform(0, 0.3))  # somewhere inside the next article's work or write
                    break
            if elapsed > 20 * ref_seconds + 120:
                break
            time.sleep(0.01 if timed else 0.02)
    finally:
        at = time.monotonic() - t0
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    stored = stored_articles(db_path)
    ok, output = check(str(db_path)) if db_path.exists() else (True, "no database file yet")
    return Kill("timed" if timed else "after-k", round(at, 2), round(target, 2), stored, ok, output if not ok else "")


def run_trials(trials: int = 20, workers: tuple[int, ...] = (1, 2), seed: int = 7, articles: int = 24,
               workdir: Path | None = None, log=print) -> dict:  # noqa: ANN001
    rng = random.Random(seed)
    work = Path(workdir or tempfile.mkdtemp(prefix="sitroom-kill-"))
    corpus = work / "corpus"
    build_corpus(corpus, articles)
    ref_db = work / "reference.db"
    t0 = time.monotonic()
    proc = subprocess.run(ingest_cmd(corpus, str(ref_db), max(workers)), capture_output=True, text=True, timeout=1800)
    ref_seconds = time.monotonic() - t0
    if proc.returncode != 0:
        raise SystemExit(f"reference run failed:\n{proc.stderr[-2000:]}")
    reference = state(ref_db)
    ok, out = check(str(ref_db))
    if not ok:
        raise SystemExit(f"the reference store fails its check:\n{out}")
    log(f"reference: {reference['articles']} articles ({reference['duplicates']} duplicates), "
        f"{len(reference['sources'])} sources, {len(reference['failures'])} failures, {ref_seconds:.1f} s")
    results: list[Trial] = []
    for n in range(1, trials + 1):
        w = workers[(n - 1) % len(workers)]
        trial = Trial(n=n, workers=w)
        db = work / f"trial{n:02d}.db"
        started = time.monotonic()
        trial.kills.append(kill_run(corpus, db, w, rng, ref_seconds, reference["articles"]))
        if rng.random() < 0.5:  # kill the resumed run too
            trial.kills.append(kill_run(corpus, db, w, rng, ref_seconds, reference["articles"]))
        final = subprocess.run(ingest_cmd(corpus, str(db), w), capture_output=True, text=True, timeout=1800)
        trial.resumed_ok = final.returncode == 0 and "Traceback" not in final.stderr
        trial.final_check_ok, out = check(str(db))
        got = state(db)
        trial.exactly_once = not got["sources_twice"]
        for key in ("articles", "duplicates", "actors", "quotes", "events", "sources", "failures"):
            if got[key] != reference[key]:
                a, b = got[key], reference[key]
                detail = (f"{sorted(set(a) ^ set(b))[:5]}" if isinstance(a, list) else f"{a} vs {b}")
                trial.differences.append(f"{key}: {detail}")
        trial.same_as_reference = not trial.differences
        trial.seconds = round(time.monotonic() - started, 1)
        results.append(trial)
        kills = "; ".join(f"{k.mode} {k.target:g} → killed at {k.at_seconds:.2f} s with {k.stored_at_kill} stored, "
                          f"check {'ok' if k.check_ok else 'FAILED'}" for k in trial.kills)
        log(f"trial {n:2d} ({w} worker{'s' if w > 1 else ''}): {kills}; rerun "
            f"{'ok' if trial.resumed_ok else 'FAILED'}, check {'ok' if trial.final_check_ok else 'FAILED: ' + out}, "
            f"exactly once {trial.exactly_once}, same as reference {trial.same_as_reference} "
            f"{' '.join(trial.differences)} [{trial.seconds} s]")
    kills = [k for t in results for k in t.kills]
    summary = {
        "trials": len(results), "kills": len(kills),
        "kills_mid_write": sum(1 for k in kills if 0 < k.stored_at_kill < reference["articles"]),
        "kills_before_first_article": sum(1 for k in kills if k.stored_at_kill == 0),
        "checks_passed_after_kill": sum(k.check_ok for k in kills),
        "reruns_completed": sum(t.resumed_ok for t in results),
        "final_checks_passed": sum(t.final_check_ok for t in results),
        "exactly_once": sum(t.exactly_once for t in results),
        "same_as_reference": sum(t.same_as_reference for t in results),
        "all_ok": all(t.ok for t in results),
        "reference": {k: (len(v) if isinstance(v, list) else v) for k, v in reference.items()},
        "reference_seconds": round(ref_seconds, 1),
        "results": [asdict(t) | {"ok": t.ok} for t in results],
    }
    if workdir is None:
        shutil.rmtree(work, ignore_errors=True)
    return summary


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--trials", type=int, default=20)
    ap.add_argument("--workers", default="1,2", help="worker counts to alternate between trials")
    ap.add_argument("--articles", type=int, default=24, help="plain articles added to the mixed-format corpus")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--json", help="write the results here")
    args = ap.parse_args()
    summary = run_trials(args.trials, tuple(int(w) for w in args.workers.split(",")), args.seed, args.articles)
    print(json.dumps({k: v for k, v in summary.items() if k != "results"}, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(summary, indent=2))
    return 0 if summary["all_ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
