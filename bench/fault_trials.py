"""Faults under `sitroom ingest`: the disk fills up, the database turns read-only, PostgreSQL restarts.

Scenarios (each on the invented corpus of `bench/kill_trials.py`, compared with an uninterrupted
reference run):

* ``disk-full``     — the SQLite store sits on a tmpfs too small for the batch: the run must stop with
                      a clear one-line error (no traceback), the store must pass ``sitroom check``,
                      and after the disk is enlarged a rerun must complete to the reference state.
* ``disk-fills``    — the tmpfs is shrunk to what is used while the batch runs (the disk fills
                      *mid-batch*): same expectations.
* ``read-only``     — the store is opened read-only (SQLite ``mode=ro``) after a first partial run:
                      clear error, nothing changed, a normal rerun completes.
* ``pg-restart``    — PostgreSQL is restarted while the batch writes: the run retries and completes.
* ``pg-down``       — PostgreSQL is stopped for longer than the retry window: the run stops with a
                      clear error; once the server is back, a rerun completes.

The tmpfs scenarios need root (``mount``); the PostgreSQL ones restart the local server — run them
only with ``--pg`` on a machine where nothing else depends on it at that moment; the server is
always started again at the end.

    sudo .venv/bin/python bench/fault_trials.py                 # disk-full, disk-fills, read-only
    sudo .venv/bin/python bench/fault_trials.py --pg            # + pg-restart, pg-down
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from kill_trials import build_corpus, check, ingest_cmd, sitroom_cmd  # noqa: E402

PG_ADMIN_URL = os.environ.get("SITROOM_FAULTS_PG_ADMIN", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
PG_DB = "sitroom_faults"


# --------------------------------------------------------------------------- store state

def state(url: str) -> dict:
    from sqlalchemy import create_engine, text

    if "://" not in url:
        url = f"sqlite:///{Path(url).resolve()}"
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            one = lambda sql: conn.execute(text(sql)).scalar_one()  # noqa: E731
            return {
                "articles": one("SELECT count(*) FROM articles"),
                "quotes": one("SELECT count(*) FROM quotes"),
                "sources": sorted(r[0] for r in conn.execute(text("SELECT source FROM article_sources"))),
                "failures": sorted(r[0] for r in conn.execute(text("SELECT source FROM failures"))),
                "sources_twice": [r[0] for r in conn.execute(text(
                    "SELECT source FROM article_sources GROUP BY source HAVING count(*) > 1"))],
            }
    finally:
        engine.dispose()


def stored(url: str) -> int:
    try:
        return state(url)["articles"]
    except Exception:  # noqa: BLE001 - not created yet
        return 0


def compare(got: dict, ref: dict) -> list[str]:
    out = []
    for key in ("articles", "quotes", "sources", "failures"):
        if got[key] != ref[key]:
            a, b = got[key], ref[key]
            out.append(f"{key}: {sorted(set(a) ^ set(b))[:4]}" if isinstance(a, list) else f"{key}: {a} vs {b}")
    if got["sources_twice"]:
        out.append(f"sources twice: {got['sources_twice'][:4]}")
    return out


def run(cmd: list[str], env: dict | None = None, timeout: float = 1800) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env={**os.environ, **(env or {})})


def last_line(text: str) -> str:
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    return lines[-1][:400] if lines else ""


def clean_error(proc: subprocess.CompletedProcess, *words: str) -> bool:
    """Exit code ≠ 0, no traceback, and the message names the problem."""
    text = (proc.stdout + proc.stderr).lower()
    return proc.returncode != 0 and "traceback" not in text and all(w in text for w in words)


# --------------------------------------------------------------------------- tmpfs

def mount_tmpfs(path: Path, size: str) -> None:
    path.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], check=True)


def resize_tmpfs(path: Path, size: str) -> subprocess.CompletedProcess:
    return subprocess.run(["mount", "-o", f"remount,size={size}", str(path)], capture_output=True, text=True)


def umount(path: Path) -> None:
    subprocess.run(["umount", "-l", str(path)], capture_output=True)


def used_kb(path: Path) -> int:
    st = os.statvfs(path)
    return (st.f_blocks - st.f_bfree) * st.f_frsize // 1024


# --------------------------------------------------------------------------- scenarios

def disk_full(corpus: Path, work: Path, ref: dict) -> dict:
    mnt = work / "small"
    mount_tmpfs(mnt, "1800k")
    db = mnt / "full.db"
    try:
        first = run(ingest_cmd(corpus, str(db), 1))
        partial = stored(str(db))
        check_ok, check_out = check(str(db))
        resize_tmpfs(mnt, "64m")
        second = run(ingest_cmd(corpus, str(db), 1))
        final_ok, final_out = check(str(db))
        diff = compare(state(str(db)), ref)
    finally:
        umount(mnt)
    return {"scenario": "disk-full", "stopped_cleanly": clean_error(first, "cannot be written", "full"),
            "message": last_line(first.stderr), "stored_before_stop": partial, "check_after_stop": check_ok,
            "rerun_ok": second.returncode == 0, "final_check": final_ok, "differences": diff,
            "ok": clean_error(first, "cannot be written", "full") and check_ok and second.returncode == 0
            and final_ok and not diff and 0 < partial < ref["articles"]}


def disk_fills(corpus: Path, work: Path, ref: dict, after: int = 6) -> dict:
    mnt = work / "fills"
    mount_tmpfs(mnt, "64m")
    db = mnt / "fills.db"
    try:
        proc = subprocess.Popen(ingest_cmd(corpus, str(db), 2), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        while proc.poll() is None and stored(str(db)) < after:
            time.sleep(0.05)
        for margin in (16, 64, 256, 1024, 4096):  # the writer keeps writing: retry with a little more room
            shrunk = resize_tmpfs(mnt, f"{used_kb(mnt) + margin}k")
            if shrunk.returncode == 0:
                break
        out, err = proc.communicate(timeout=1800)
        first = subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
        partial = stored(str(db))
        check_ok, _ = check(str(db))
        resize_tmpfs(mnt, "64m")
        second = run(ingest_cmd(corpus, str(db), 2))
        final_ok, _ = check(str(db))
        diff = compare(state(str(db)), ref)
    finally:
        umount(mnt)
    ok = (shrunk.returncode == 0 and clean_error(first, "cannot be written") and check_ok and second.returncode == 0
          and final_ok and not diff)
    return {"scenario": "disk-fills", "shrunk_at_articles": after,
            "filled": not (first.returncode == 0 and partial == ref["articles"]),  # else the batch outran the shrink
            "first_returncode": first.returncode, "traceback": "traceback" in (first.stdout + first.stderr).lower(),
            "shrink": shrunk.returncode == 0 or shrunk.stderr.strip(),
            "stopped_cleanly": clean_error(first, "cannot be written"), "message": last_line(first.stderr),
            "stored_before_stop": partial, "check_after_stop": check_ok, "rerun_ok": second.returncode == 0,
            "final_check": final_ok, "differences": diff, "ok": ok}


def read_only(corpus: Path, work: Path, ref: dict) -> dict:
    db = work / "ro.db"
    half = work / "half"
    half.mkdir()
    for p in sorted((corpus / "wire").glob("w00*.txt")):
        shutil.copy(p, half / p.name)
    run(ingest_cmd(half, str(db), 1))
    before = state(str(db))
    ro_url = f"sqlite:///file:{db.resolve()}?mode=ro&uri=true"
    first = run(ingest_cmd(corpus, ro_url, 1))
    after = state(str(db))
    second = run(ingest_cmd(corpus, str(db), 1))
    final_ok, _ = check(str(db))
    got = state(str(db))
    # the half-corpus sources are stored under their own (other) paths: compare the full corpus's part
    got = {**got, "sources": [s for s in got["sources"] if not s.startswith(str(half.resolve()))]}
    diff = compare(got, ref)
    ok = (clean_error(first, "cannot be written") and before == after and second.returncode == 0 and final_ok
          and not diff)
    return {"scenario": "read-only", "stopped_cleanly": clean_error(first, "cannot be written"),
            "message": last_line(first.stderr), "unchanged": before == after, "rerun_ok": second.returncode == 0,
            "final_check": final_ok, "differences": diff, "ok": ok}


# --------------------------------------------------------------------------- PostgreSQL

def pg_cluster() -> tuple[str, str]:
    versions = sorted(os.listdir("/etc/postgresql"))
    return versions[-1], "main"


def pg_ctl(action: str) -> subprocess.CompletedProcess:
    version, name = pg_cluster()
    return subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, name, action],
                          capture_output=True, text=True, timeout=120)


def pg_wait_up(timeout: float = 60) -> bool:
    from sqlalchemy import create_engine, text

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        engine = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 2})
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return True
        except Exception:  # noqa: BLE001
            time.sleep(0.5)
        finally:
            engine.dispose()
    return False


def pg_fresh_db() -> str:
    from sqlalchemy import create_engine, text

    engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)"))
        conn.execute(text(f"CREATE DATABASE {PG_DB}"))
    engine.dispose()
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{PG_DB}"


def pg_restart(corpus: Path, ref: dict, after: int = 5) -> dict:
    url = pg_fresh_db()
    proc = subprocess.Popen(ingest_cmd(corpus, url, 2), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        while proc.poll() is None and stored(url) < after:
            time.sleep(0.1)
        at = stored(url)
        t0 = time.monotonic()
        restarted = pg_ctl("restart")
        restart_seconds = time.monotonic() - t0
        out, err = proc.communicate(timeout=1800)
    finally:
        if pg_ctl("status").returncode != 0:
            pg_ctl("start")
        pg_wait_up()
    final_ok, _ = check(url)
    diff = compare(state(url), ref)
    ok = restarted.returncode == 0 and proc.returncode == 0 and "traceback" not in err.lower() and final_ok and not diff
    return {"scenario": "pg-restart", "restarted_at_articles": at, "restart_seconds": round(restart_seconds, 1),
            "restart_ok": restarted.returncode == 0, "run_completed": proc.returncode == 0,
            "retries_logged": err.count("retrying in"),
            "message": last_line(err), "final_check": final_ok, "differences": diff, "ok": ok}


def pg_down(corpus: Path, ref: dict, after: int = 5, retry: float = 8.0) -> dict:
    url = pg_fresh_db()
    proc = subprocess.Popen(ingest_cmd(corpus, url, 2), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "SITROOM_DB_RETRY_SECONDS": str(retry)})
    try:
        while proc.poll() is None and stored(url) < after:
            time.sleep(0.1)
        at = stored(url)
        stopped = pg_ctl("stop")
        out, err = proc.communicate(timeout=1800)
    finally:
        pg_ctl("start")
        up = pg_wait_up()
    first = subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
    check_ok, _ = check(url)
    second = run(ingest_cmd(corpus, url, 2))
    final_ok, _ = check(url)
    diff = compare(state(url), ref)
    ok = (stopped.returncode == 0 and up and clean_error(first, "unreachable") and check_ok and second.returncode == 0
          and final_ok and not diff)
    return {"scenario": "pg-down", "stopped_at_articles": at, "retry_window_s": retry,
            "stopped_cleanly": clean_error(first, "unreachable"), "message": last_line(err),
            "check_after_stop": check_ok, "rerun_ok": second.returncode == 0, "final_check": final_ok,
            "differences": diff, "server_back_up": up, "ok": ok}


# --------------------------------------------------------------------------- main

def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pg", action="store_true", help="also restart/stop the local PostgreSQL server")
    ap.add_argument("--only", action="append", help="run only these scenarios")
    ap.add_argument("--articles", type=int, default=24)
    ap.add_argument("--json", help="write the results here")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="sitroom-faults-"))
    corpus = work / "corpus"
    build_corpus(corpus, args.articles)
    ref_db = work / "reference.db"
    ref_run = run(ingest_cmd(corpus, str(ref_db), 2))
    if ref_run.returncode != 0:
        raise SystemExit(ref_run.stderr[-2000:])
    ref = state(str(ref_db))
    print(f"reference: {ref['articles']} articles, {len(ref['sources'])} sources, {len(ref['failures'])} failures")
    scenarios = {"disk-full": lambda: disk_full(corpus, work, ref), "disk-fills": lambda: disk_fills(corpus, work, ref),
                 "read-only": lambda: read_only(corpus, work, ref)}
    if args.pg:
        scenarios |= {"pg-restart": lambda: pg_restart(corpus, ref), "pg-down": lambda: pg_down(corpus, ref)}
    results = []
    for name, fn in scenarios.items():
        if args.only and name not in args.only:
            continue
        t0 = time.monotonic()
        try:
            res = fn()
        except Exception as exc:  # noqa: BLE001 - report and go on to the next scenario
            res = {"scenario": name, "ok": False, "error": f"{exc.__class__.__name__}: {exc}"}
        res["seconds"] = round(time.monotonic() - t0, 1)
        results.append(res)
        print(json.dumps(res))
    shutil.rmtree(work, ignore_errors=True)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    print(f"{sum(r['ok'] for r in results)}/{len(results)} scenarios ok; commands: {' '.join(sitroom_cmd())}")
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
