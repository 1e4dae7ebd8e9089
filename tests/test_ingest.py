"""Batch ingestion with the real analysis: summaries, re-runs, duplicates, failures, worker pool,
kill -9 and resume, the Ray engine, and the corpus CLI commands."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitroom.scale import ingest
from sitroom.store import Store
from tests.corpus_fixtures import invented_article, mixed_folder
from tests.store_cases import counts


def small_folder(root: Path, n: int = 4) -> Path:
    """n invented articles, an exact copy (other name, trailing blank lines), a near-duplicate, a bad file."""
    root.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (root / f"art{i:02d}.txt").write_text(invented_article(100 + i), encoding="utf-8")
    (root / "copy.txt").write_text(invented_article(100) + "\n\n   \n", encoding="utf-8")
    head, body = invented_article(101).split("\n\n", 1)  # an update: one sentence added inside the body
    near = head + "\n\n" + body.replace(". ", ". Officials confirmed this late on Tuesday evening. ", 1)
    (root / "update.txt").write_text(near, encoding="utf-8")
    (root / "broken.txt").write_bytes(b"\x00\x01\x02" * 100)
    return root


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return small_folder(tmp_path_factory.mktemp("corpus") / "in")


def test_ingest_summary_rerun_and_failures(folder, tmp_path):
    store = Store(str(tmp_path / "c.db"))
    statuses: list[str] = []
    totals: list[int | None] = []
    s = ingest([str(folder)], store, workers=1, progress=statuses.append, on_total=totals.append)
    assert totals == [7] and len(statuses) == 7
    assert (s.added, s.duplicates, s.near_duplicates, s.failed) == (4, 1, 1, 1)
    assert s.failures[0][0].endswith("broken.txt")
    assert store.check() == []
    before = counts(store)
    again = ingest([str(folder)], store, workers=1)
    assert (again.unchanged, again.analysed, again.added, again.failed) == (6, 0, 0, 1)
    assert counts(store) == before  # nothing changed but the failure's attempt count
    (failure,) = store.failures()
    assert failure.attempts == 2 and failure.stage == "read"
    near = [a for a in store.articles(include_duplicates=True, limit=100) if a.duplicate_of]
    assert len(near) == 1 and near[0].duplicate_kind == "near" and near[0].source.endswith("update.txt")


def test_every_format_ingests(tmp_path):
    expected = mixed_folder(tmp_path / "mixed")
    store = Store(str(tmp_path / "m.db"))
    s = ingest([str(tmp_path / "mixed")], store, workers=1)
    assert s.added == expected["ok"] and s.failed == expected["failed"]
    kinds = {a.source_kind for a in store.articles(limit=100)}
    assert kinds == {"text", "html", "json", "warc", "feed"}
    assert store.check() == []


def test_worker_pool_stores_the_same_corpus(folder, tmp_path):
    one = Store(str(tmp_path / "one.db"))
    two = Store(str(tmp_path / "two.db"))
    s1 = ingest([str(folder)], one, workers=1)
    s2 = ingest([str(folder)], two, workers=2)
    assert (s2.added, s2.duplicates, s2.near_duplicates, s2.failed) == (s1.added, s1.duplicates, s1.near_duplicates,
                                                                        s1.failed)
    assert counts(one) == counts(two)
    assert s2.max_worker_rss_mb > 0


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-c", "from sitroom.present.cli import main; main()", *args]


def test_kill_minus_nine_and_resume(tmp_path):
    """A real ingest process is SIGKILLed mid-batch; the rerun stores every article exactly once."""
    n = 40
    root = tmp_path / "many"
    root.mkdir()
    for i in range(n):
        (root / f"a{i:03d}.txt").write_text(invented_article(500 + i), encoding="utf-8")
    db = tmp_path / "k.db"
    proc = subprocess.Popen(_cli("ingest", str(root), "--db", str(db), "--workers", "1", "--no-progress"),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    stored = 0
    deadline = time.time() + 240
    try:
        while time.time() < deadline and proc.poll() is None:
            if db.exists():
                try:
                    with sqlite3.connect(db, timeout=1) as conn:
                        stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
                except sqlite3.OperationalError:  # schema not created yet
                    stored = 0
                if stored >= 3:
                    break
            time.sleep(0.02)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert 3 <= stored < n, f"the process was not killed mid-batch ({stored} of {n} stored)"
    result = subprocess.run(_cli("ingest", str(root), "--db", str(db), "--workers", "1", "--no-progress"),
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    with Store(str(db)) as store:
        st = store.stats()
        assert (st.articles, st.sources, st.failures) == (n, n, 0)
        assert store.check() == []
        with sqlite3.connect(db) as conn:
            dup = conn.execute("SELECT source, count(*) FROM article_sources GROUP BY source HAVING count(*) > 1")
            assert dup.fetchall() == []
    assert "already stored" in result.stderr


def test_ray_engine(folder, tmp_path):
    pytest.importorskip("ray")
    pytest.importorskip("ray.data")
    local = Store(str(tmp_path / "local.db"))
    ingest([str(folder)], local, workers=1)
    ray_store = Store(str(tmp_path / "ray.db"))
    s = ingest([str(folder)], ray_store, workers=2, engine="ray", staging=str(tmp_path / "stage"))
    assert (s.added, s.duplicates, s.near_duplicates, s.failed) == (4, 1, 1, 1)
    assert counts(local) == counts(ray_store)
    assert any((tmp_path / "stage").glob("out-*/*.parquet")), "with --staging the analyses are kept as Parquet"
    assert ray_store.check() == []


def test_corpus_cli(folder, tmp_path):
    from sitroom.present.cli import app

    db = str(tmp_path / "cli.db")
    runner = CliRunner()
    r = runner.invoke(app, ["ingest", str(folder), "--db", db, "--workers", "1", "--no-progress"])
    assert r.exit_code == 0, r.output
    assert "4 new" in r.output and "1 failed" in r.output
    with Store(db) as store:
        person = next(a for a in store.actors(type="PERSON") if a.article_count >= 1)
    for args in (["search", "talks"], ["actors"], ["quotes"], ["timeline"], ["failures"], ["check"],
                 ["quotes", "--speaker", person.name], ["actors", person.name.split()[-1]],
                 ["search", "--actor", person.name]):
        r = runner.invoke(app, [*args, "--db", db])
        assert r.exit_code == 0, (args, r.output)
    r = runner.invoke(app, ["search", "--db", str(tmp_path / "missing.db"), "x"])
    assert r.exit_code == 2 and "no corpus" in r.output
    for fmt, name in (("parquet", "a.parquet"), ("csv", "a.csv"), ("jsonl", "a.jsonl")):
        r = runner.invoke(app, ["export", "--format", fmt, "--out", str(tmp_path / name), "--db", db])
        assert r.exit_code == 0 and (tmp_path / name).stat().st_size > 0, r.output
    r = runner.invoke(app, ["export", "--format", "xml", "--out", str(tmp_path / "a.xml"), "--db", db])
    assert r.exit_code != 0 and "Traceback" not in r.output
