"""Faults under a real `sitroom ingest`: kill -9 at random points, a full disk, a read-only store.

The full runs are scripts (`bench/kill_trials.py`: 20+ kills; `bench/fault_trials.py`: disk full,
disk filling mid-batch, read-only, PostgreSQL restarted and down); these tests run a few of the
same trials. The PostgreSQL restart runs only with ``SITROOM_TEST_PG_RESTART=1`` because it
restarts the local server other tests use.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))

import fault_trials  # noqa: E402
import kill_trials  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    work = tmp_path_factory.mktemp("faults")
    root = work / "corpus"
    kill_trials.build_corpus(root, articles=6)
    ref_db = work / "reference.db"
    proc = subprocess.run(kill_trials.ingest_cmd(root, str(ref_db), 2), capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr
    return work, root, fault_trials.state(str(ref_db))


def test_kill_minus_nine_at_random_points(tmp_path):
    """Three trials: killed store passes `sitroom check`; the rerun ends like an uninterrupted run."""
    summary = kill_trials.run_trials(trials=3, workers=(2, 1), seed=11, articles=6, workdir=tmp_path,
                                     log=lambda _msg: None)
    bad = [t for t in summary["results"] if not t["ok"]]
    assert not bad, bad
    assert summary["checks_passed_after_kill"] == summary["kills"]


def _can_mount(tmp: Path) -> bool:
    if os.geteuid() != 0:
        return False
    probe = tmp / "probe"
    try:
        fault_trials.mount_tmpfs(probe, "1m")
    except (subprocess.CalledProcessError, FileNotFoundError):
        return False
    fault_trials.umount(probe)
    return True


def test_disk_full_stops_cleanly_and_resumes(corpus):
    work, root, ref = corpus
    if not _can_mount(work):
        pytest.skip("needs root and tmpfs mounts to fill a real disk")
    result = fault_trials.disk_full(root, work, ref)
    assert result["ok"], result


def test_disk_filling_mid_batch(corpus):
    work, root, ref = corpus
    if not _can_mount(work):
        pytest.skip("needs root and tmpfs mounts to fill a real disk")
    for after in (4, 1):  # on a fast machine the batch can finish before the disk is shrunk: fill it sooner
        result = fault_trials.disk_fills(root, work, ref, after=after)
        if result["filled"]:
            break
    assert result["filled"], result
    assert result["ok"], result


def test_read_only_store_is_a_clear_error_and_changes_nothing(corpus):
    work, root, ref = corpus
    result = fault_trials.read_only(root, work, ref)
    assert result["ok"], result


@pytest.mark.skipif(os.environ.get("SITROOM_TEST_PG_RESTART") != "1",
                    reason="restarts the local PostgreSQL server: set SITROOM_TEST_PG_RESTART=1")
def test_postgres_restart_mid_batch(corpus):
    _work, root, ref = corpus
    result = fault_trials.pg_restart(root, ref, after=3)
    assert result["ok"], result
