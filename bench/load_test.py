"""Load test of `sitroom serve`: search and article pages over a store of ≥ 5,000 articles, on loopback.

1. ``build`` — a store of invented articles: a few hundred are analysed for real (the same
   pipeline as ``sitroom ingest``), then each analysis is copied into variants whose names and
   numbers are replaced by invented ones of the same length, so every offset stays exact and every
   variant is a distinct article (not an exact or near duplicate of another). ``sitroom check``
   passes on the result.
2. ``run`` — starts ``sitroom serve`` on 127.0.0.1 and drives it with ``wrk`` (C, light on the
   CPU it shares with the server), one run per page kind and concurrency: random article pages
   (``/articles/{id}``) and random searches (``/search?q=…``), at 10 and 50 concurrent
   connections. Reports requests/s, p50/p99 latency and errors (socket errors + non-2xx).

    .venv/bin/python bench/load_test.py build --db /tmp/load.db --articles 5000
    .venv/bin/python bench/load_test.py run --db /tmp/load.db --seconds 30 --json out.json

Everything stays on loopback and is bounded in time; ``wrk`` comes from Debian (``apt-get install wrk``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

QUERIES = ["troops", "border", "grain", "ambassador", "sanctions", "inflation", "ferry", "strike", "storm", "emergency",
           "miners", "embassy", "protesters", "parliament", "central bank", "teachers", "ceasefire", "drought",
           "shipment", "talks", "satellite images", "power cuts", "aid package", "customs", "tunnel collapse"]


# --------------------------------------------------------------------------- build

_CAP = re.compile(r"\b[A-Z][a-z]+\b")
_DIGIT = re.compile(r"\d")


def _pseudo(word: str, rng: random.Random) -> str:
    consonants, vowels = "bcdfghklmnprstvz", "aeiou"
    out = [rng.choice(consonants if i % 2 == 0 else vowels) for i in range(len(word))]
    return "".join(out).capitalize()


def variant(analysis, k: int, rng: random.Random):  # noqa: ANN001, ANN201
    """A copy of `analysis` with its names and digits replaced, every offset unchanged."""
    from pydantic import BaseModel

    names = set()
    for e in analysis.entities:
        names |= set(_CAP.findall(e.name))
        for m in e.mentions:
            names |= set(_CAP.findall(m.text))
    mapping = {w: _pseudo(w, rng) for w in sorted(names)}
    digits = list("0123456789")
    rng.shuffle(digits)

    def swap(s: str, with_digits: bool) -> str:
        s = _CAP.sub(lambda m: mapping.get(m.group(), m.group()), s)
        return _DIGIT.sub(lambda m: digits[int(m.group())], s) if with_digits else s

    text = swap(analysis.text, True)
    assert len(text) == len(analysis.text)
    new = analysis.model_copy(deep=True)
    new.text = text

    def walk(obj: object) -> None:
        if isinstance(obj, BaseModel):
            start, end = getattr(obj, "start", None), getattr(obj, "end", None)
            for name in type(obj).model_fields:
                value = getattr(obj, name)
                if isinstance(value, str):
                    if name == "text" and start is not None and end is not None:
                        setattr(obj, name, text[start:end])
                    elif name in ("name", "phrase", "label", "role"):
                        setattr(obj, name, swap(value, False))
                elif isinstance(value, list) and value and isinstance(value[0], str) and name == "aliases":
                    setattr(obj, name, [swap(v, False) for v in value])
                else:
                    walk(value)
        elif isinstance(obj, list):
            for v in obj:
                walk(v)

    walk(new)
    new.source.path = f"load/variant-{k:05d}.txt"
    new.source.sha256 = hashlib.sha256(text.encode()).hexdigest()
    return new


def build(db: Path, articles: int, base: int, seed: int = 3) -> dict:
    from tests.corpus_fixtures import invented_article

    from sitroom.analysis import Analyzer
    from sitroom.ingest.reader import from_bytes
    from sitroom.store import Store

    t0 = time.monotonic()
    analyzer = Analyzer()
    raws = [from_bytes(invented_article(5000 + i).encode(), f"base{i}") for i in range(base)]
    analyses = list(analyzer.analyze_many(raws))
    t_analyse = time.monotonic() - t0
    rng = random.Random(seed)
    store = Store(str(db))
    t1 = time.monotonic()
    statuses: dict[str, int] = {}
    for k in range(articles):
        a = analyses[k % base] if k < base else variant(analyses[k % base], k, rng)
        if k < base:
            a.source.path = f"load/base-{k:05d}.txt"
        a.article.published = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(366))
        a.article.published_source = "metadata"
        res = store.add(a, source=a.source.path, sha256=a.source.sha256)
        statuses[res.status] = statuses.get(res.status, 0) + 1
        if k and k % 1000 == 0:
            print(f"  {k} stored ({time.monotonic() - t1:.0f} s)", flush=True)
    t_store = time.monotonic() - t1
    problems = store.check()
    stats = store.stats()
    store.close()
    return {"articles": articles, "base_analysed": base, "analyse_seconds": round(t_analyse, 1),
            "store_seconds": round(t_store, 1), "statuses": statuses, "check_problems": len(problems),
            "stats": stats.model_dump() if hasattr(stats, "model_dump") else str(stats)}


# --------------------------------------------------------------------------- run

LUA_ARTICLES = """
local ids = {%s}
math.randomseed(%d)
request = function()
  return wrk.format("GET", "/articles/" .. ids[math.random(#ids)], {["Accept"] = "text/html"})
end
"""

LUA_SEARCH = """
local qs = {%s}
math.randomseed(%d)
request = function()
  local q = qs[math.random(#qs)]
  return wrk.format("GET", "/search?q=" .. q, {["Accept"] = "text/html"})
end
"""

LUA_DONE = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("JSON {\\"requests\\": %d, \\"seconds\\": %.3f, \\"p50_ms\\": %.2f, \\"p90_ms\\": %.2f, "
    .. "\\"p99_ms\\": %.2f, \\"max_ms\\": %.2f, \\"mean_ms\\": %.2f, \\"connect\\": %d, \\"read\\": %d, "
    .. "\\"write\\": %d, \\"timeout\\": %d, \\"status\\": %d}\\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3, latency:percentile(90) / 1e3,
    latency:percentile(99) / 1e3, latency.max / 1e3, latency.mean / 1e3, e.connect, e.read, e.write, e.timeout,
    e.status))
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(port: int, timeout: float = 120) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/stats", timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("the server did not come up")


def wrk(port: int, script: str, connections: int, seconds: int, threads: int = 2) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(script + LUA_DONE)
        path = fh.name
    try:
        proc = subprocess.run(["wrk", "-t", str(min(threads, connections)), "-c", str(connections), "-d", f"{seconds}s",
                               "--timeout", "10s", "-s", path, f"http://127.0.0.1:{port}"],
                              capture_output=True, text=True, timeout=seconds + 120)
    finally:
        os.unlink(path)
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("JSON ")), None)
    if line is None:
        raise SystemExit(f"wrk failed:\n{proc.stdout}\n{proc.stderr}")
    r = json.loads(line[5:])
    r["errors"] = r["connect"] + r["read"] + r["write"] + r["timeout"] + r["status"]
    r["rps"] = round(r["requests"] / r["seconds"], 1)
    return r


def run(db: Path, seconds: int, concurrencies: list[int], seed: int = 5) -> list[dict]:
    con = sqlite3.connect(db)
    ids = [r[0] for r in con.execute("SELECT id FROM articles")]
    con.close()
    rng = random.Random(seed)
    sample = ",".join(str(i) for i in rng.sample(ids, min(2000, len(ids))))
    queries = ",".join(json.dumps(q.replace(" ", "+")) for q in QUERIES)
    port = free_port()
    server = subprocess.Popen([*_sitroom(), "serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
                              env={**os.environ, "SITROOM_TOKEN": ""})
    results = []
    try:
        wait_up(port)
        for kind, script in (("article", LUA_ARTICLES % (sample, seed)), ("search", LUA_SEARCH % (queries, seed))):
            wrk(port, script, 4, 3)  # warm-up: templates compiled, caches and pages in memory
            for c in concurrencies:
                r = wrk(port, script, c, seconds)
                r.update(page=kind, connections=c)
                results.append(r)
                print(f"{kind:8} c={c:3}  {r['rps']:8.1f} req/s  p50 {r['p50_ms']:7.1f} ms  p99 {r['p99_ms']:7.1f} ms  "
                      f"max {r['max_ms']:7.1f} ms  errors {r['errors']}  ({r['requests']} requests)", flush=True)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
    return results


def _sitroom() -> list[str]:
    exe = Path(sys.executable).with_name("sitroom")
    return [str(exe)] if exe.exists() else [sys.executable, "-c", "from sitroom.present.cli import main; main()"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build")
    b.add_argument("--db", required=True)
    b.add_argument("--articles", type=int, default=5000)
    b.add_argument("--base", type=int, default=250, help="articles analysed for real; the rest are variants")
    r = sub.add_parser("run")
    r.add_argument("--db", required=True)
    r.add_argument("--seconds", type=int, default=30)
    r.add_argument("--connections", default="10,50")
    r.add_argument("--json")
    args = ap.parse_args()
    if args.cmd == "build":
        if Path(args.db).exists():
            raise SystemExit(f"{args.db} exists; build into a new file")
        print(json.dumps(build(Path(args.db), args.articles, args.base), indent=2, default=str))
        return 0
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    results = run(Path(args.db), args.seconds, [int(c) for c in args.connections.split(",")])
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    bad = [x for x in results if x["errors"]]
    slow = [x for x in results if x["page"] == "article" and x["connections"] == 10 and x["p99_ms"] >= 500]
    return 1 if bad or slow else 0


if __name__ == "__main__":
    sys.exit(main())
