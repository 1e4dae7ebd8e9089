"""Per-article limits (`sitroom.ingest.limits`) and database-fault handling (`sitroom.store.faults`)."""

from __future__ import annotations

import re
import sqlite3
import time

import pytest
from sqlalchemy.exc import IntegrityError, OperationalError

from sitroom.ingest import limits
from sitroom.ingest.reader import InputError, RawDocument
from sitroom.store import faults

# --------------------------------------------------------------------------- text length


def test_text_over_the_cap_is_refused_with_the_numbers(monkeypatch):
    monkeypatch.setenv(limits.MAX_CHARS_ENV, "1000")
    limits.check_text("x" * 1000, "ok.txt")
    with pytest.raises(limits.TextTooLong, match=r"ok\.txt: 1,001 characters .* 1,000-character limit"):
        limits.check_text("x" * 1001, "ok.txt")


def test_plain_text_is_checked_before_parsing_html_after(monkeypatch):
    monkeypatch.setenv(limits.MAX_CHARS_ENV, "100")
    with pytest.raises(InputError):  # a limit is an input error: callers already report those
        limits.check_raw(RawDocument(text="y" * 200, kind="text", path="a.txt"))
    limits.check_raw(RawDocument(text="<p>" + "y" * 200 + "</p>", kind="html"))  # judged on its extracted text


def test_analyzer_refuses_an_over_long_article(analyzer, monkeypatch):
    monkeypatch.setenv(limits.MAX_CHARS_ENV, "500")
    with pytest.raises(limits.TextTooLong):
        analyzer.analyze("The council met on Monday. " * 40)


# --------------------------------------------------------------------------- time


def _busy(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        re.match(r"a", "a")


def test_time_budget_interrupts():
    t0 = time.monotonic()
    with pytest.raises(limits.ArticleTimeout, match="longer than 0.3 s"):
        with limits.time_budget(0.3, what="slow.txt"):
            _busy(10)
    assert time.monotonic() - t0 < 5


def test_time_budget_survives_code_that_swallows_exceptions():
    """A parser wrapped in ``except Exception`` cannot keep running past the deadline."""
    swallowed = 0
    with pytest.raises(limits.ArticleTimeout):
        with limits.time_budget(0.2):
            while True:
                try:
                    _busy(10)
                except Exception:  # noqa: BLE001 - what the library code under test does
                    swallowed += 1
    assert 1 <= swallowed <= limits.ESCALATE


def test_time_budgets_nest_and_restore():
    with limits.time_budget(5):
        with limits.time_budget(0.1):
            pass
        _busy(0.3)  # the inner budget is gone; the outer one still has time
    with pytest.raises(limits.ArticleTimeout):
        with limits.time_budget(0.3):
            with limits.time_budget(30):  # an inner budget cannot extend the outer one
                _busy(10)


def test_zero_disables_the_time_limit(monkeypatch):
    monkeypatch.setenv(limits.TIMEOUT_ENV, "0")
    with limits.time_budget():
        _busy(0.1)


@pytest.mark.parametrize("private_only", [False, True])
def test_worker_memory_cap_turns_a_huge_allocation_into_memory_error(private_only):
    """Run in a child process: the cap cannot be lifted again in the test process."""
    import subprocess
    import sys

    code = ("from sitroom.ingest import limits\n"
            f"limits.apply_worker_limits(memory_mb=1500, watchdog=False, private_only={private_only})\n"
            "small = bytearray(50 * 2**20)\n"
            "try:\n    bytearray(3 * 2**30)\nexcept MemoryError:\n    print('capped')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "capped"


def test_describe_failure_is_one_clear_line():
    assert "out of memory" in limits.describe_failure(MemoryError())
    assert "nested too deeply" in limits.describe_failure(RecursionError("maximum recursion depth"))
    assert limits.describe_failure(ValueError("bad\nsecond line")) == "analysis failed: ValueError: bad"


# --------------------------------------------------------------------------- database faults


def _op(message: str) -> OperationalError:
    return OperationalError("INSERT …", {}, sqlite3.OperationalError(message))


@pytest.mark.parametrize("message, kind", [
    ("database or disk is full", "unwritable"),
    ("attempt to write a readonly database", "unwritable"),
    ("disk I/O error", "unwritable"),
    ("server closed the connection unexpectedly", "transient"),
    ("connection failed: Connection refused", "transient"),
    ("terminating connection due to administrator command", "transient"),
    ("database is locked", "transient"),
    ("no such column: foo", None),
])
def test_fault_classification(message, kind):
    assert faults.classify(_op(message)) == kind


def test_an_articles_own_error_is_not_a_fault():
    exc = IntegrityError("INSERT …", {}, sqlite3.IntegrityError("UNIQUE constraint failed"))
    assert faults.classify(exc) is None
    assert faults.classify(ValueError("x")) is None


def test_transient_faults_are_retried_until_the_call_succeeds():
    calls = []

    def flaky() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise _op("server closed the connection unexpectedly")
        return "stored"

    assert faults.call(flaky, retry_seconds=10, on_retry=lambda exc, delay: None) == "stored"
    assert len(calls) == 3


def test_a_full_disk_stops_at_once_with_a_resumable_message():
    calls = []

    def full() -> None:
        calls.append(1)
        raise _op("database or disk is full")

    with pytest.raises(faults.StoreUnavailable, match="cannot be written: database or disk is full.*rerun"):
        faults.call(full, retry_seconds=10)
    assert len(calls) == 1


def test_an_unreachable_database_stops_after_the_retry_window():
    def down() -> None:
        raise _op("connection failed: Connection refused")

    t0 = time.monotonic()
    with pytest.raises(faults.StoreUnavailable, match="unreachable for 1 s"):
        faults.call(down, retry_seconds=1, on_retry=lambda exc, delay: None)
    assert time.monotonic() - t0 < 10


def test_article_errors_pass_through():
    def bad() -> None:
        raise IntegrityError("INSERT …", {}, sqlite3.IntegrityError("CHECK constraint failed"))

    with pytest.raises(IntegrityError):
        faults.call(bad, retry_seconds=1)
