"""Bounds on the work one article may cost: text length, wall time, worker memory.

Why: a crawl drags in pages no article should ever be — a 5 MB one-line dump, a million short
lines, 100,000 one-word paragraphs. Without bounds one of them holds a worker for minutes and
gigabytes while the rest of the batch waits. With them, it costs at most a few seconds and
becomes a failure with a reason, and the batch goes on.

Three limits, each enforced where the cost arises:

* **text length** (`check_text`, `check_raw`): the text sitroom would analyse is refused above
  `MAX_TEXT_CHARS` — plain text *before* the page parser sees it, HTML after extraction. The
  longest news features run to ~100,000 characters; the cap leaves twice that. Refused, not
  truncated: a cut article would be silently wrong.
* **wall time** (`time_budget`): a per-article deadline (``SITROOM_ARTICLE_TIMEOUT`` seconds,
  default `ARTICLE_SECONDS`) delivered by ``SIGALRM`` in the thread that analyses — it interrupts
  Python code and regular expressions (which poll for signals); the article fails with
  `ArticleTimeout`, raised again every `REPEAT` seconds until the budget's block is left, because
  parsers wrapped in ``except Exception`` would otherwise swallow it and carry on (after `ESCALATE`
  swallowed ones, as a BaseException no ``except Exception`` catches). In worker processes a
  watchdog thread backs it up: if the deadline passes by `WATCHDOG_GRACE` more seconds (stuck in
  native code that never returns to Python), the worker exits, and the pool fails that batch with
  a reason and carries on with a fresh worker.
* **memory** (`apply_worker_limits`): a worker's address space is capped
  (``SITROOM_WORKER_MEMORY_MB``, default `WORKER_MEMORY_MB`), so a pathological article raises
  `MemoryError` in that worker — a failure of that article — instead of pushing the machine into
  swap or the OOM killer.
"""

from __future__ import annotations

import os
import resource
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from sitroom.ingest.reader import InputError

MAX_TEXT_CHARS = 200_000
ARTICLE_SECONDS = 60.0
WORKER_MEMORY_MB = 2560
WATCHDOG_GRACE = 30.0
REPEAT = 0.5  # seconds between repeated timeouts once the deadline has passed
ESCALATE = 4  # swallowed timeouts before one that `except Exception` cannot catch

TIMEOUT_ENV = "SITROOM_ARTICLE_TIMEOUT"
MAX_CHARS_ENV = "SITROOM_MAX_TEXT_CHARS"
MEMORY_ENV = "SITROOM_WORKER_MEMORY_MB"


class LimitExceeded(InputError):
    """An article that would cost more than sitroom spends on one article; the message says which limit."""


class TextTooLong(LimitExceeded):
    pass


class ArticleTimeout(LimitExceeded):
    pass


def _env_number(name: str, default: float) -> float:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return float(value)
    except ValueError:
        return default


def max_text_chars() -> int:
    return int(_env_number(MAX_CHARS_ENV, MAX_TEXT_CHARS))


def article_seconds() -> float:
    """The per-article time limit in seconds (0 or less: none)."""
    return _env_number(TIMEOUT_ENV, ARTICLE_SECONDS)


# --------------------------------------------------------------------------- length

def check_text(text: str, name: str = "input") -> None:
    """Refuse a text longer than the cap (raises `TextTooLong`)."""
    cap = max_text_chars()
    if cap > 0 and len(text) > cap:
        raise TextTooLong(f"{name}: {len(text):,} characters of text is over the {cap:,}-character limit "
                          f"for one article (set {MAX_CHARS_ENV} to raise it)")


def check_raw(raw: object, name: str | None = None) -> None:
    """Before parsing: a plain-text input is its own analysed text, so the cap applies to it already."""
    if getattr(raw, "kind", "text") != "html":
        check_text(getattr(raw, "text", ""), name or getattr(raw, "path", None) or getattr(raw, "url", None) or "input")


# --------------------------------------------------------------------------- time

class _Watchdog:
    """Kills this (worker) process when a deadline is overrun by `grace` seconds: the backstop for
    code that never returns to Python, where ``SIGALRM`` cannot reach."""

    def __init__(self, grace: float) -> None:
        self.grace = grace
        self.deadline: float | None = None
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="sitroom-watchdog", daemon=True)
        self._thread.start()

    def arm(self, seconds: float) -> float | None:
        with self._lock:
            previous = self.deadline
            deadline = time.monotonic() + seconds
            self.deadline = deadline if previous is None else min(previous, deadline)
            return previous

    def restore(self, previous: float | None) -> None:
        with self._lock:
            self.deadline = previous

    def _run(self) -> None:
        while True:
            time.sleep(1.0)
            with self._lock:
                deadline = self.deadline
            if deadline is not None and time.monotonic() > deadline + self.grace:
                os._exit(70)  # the pool sees a dead worker, fails its batch with a reason, starts another


_WATCHDOG: _Watchdog | None = None


class _Overrun(BaseException):
    """The deadline passed and `ArticleTimeout` was swallowed `ESCALATE` times: raised as a
    BaseException that ``except Exception`` cannot catch, turned back into `ArticleTimeout` at the
    edge of the budget's block."""


@contextmanager
def time_budget(seconds: float | None = None, what: str = "the article") -> Iterator[None]:
    """Raise `ArticleTimeout` in the block if it runs longer than `seconds` (default: `article_seconds()`).

    Budgets nest (the inner one cannot extend the outer). Outside the main thread, where signals
    cannot be delivered, the block runs without a limit.
    """
    seconds = article_seconds() if seconds is None else seconds
    if (not seconds or seconds <= 0 or not hasattr(signal, "setitimer")
            or threading.current_thread() is not threading.main_thread()):
        yield
        return
    started = time.monotonic()
    outer_left, outer_interval = signal.getitimer(signal.ITIMER_REAL)
    limit = min(seconds, outer_left) if outer_left > 0 else seconds
    message = (f"{what}: analysis took longer than {limit:g} s, the per-article time limit "
               f"(set {TIMEOUT_ENV} to change it)")
    fired = 0

    def on_alarm(_signum: int, _frame: object) -> None:
        nonlocal fired
        fired += 1
        raise (ArticleTimeout(message) if fired <= ESCALATE else _Overrun())

    previous_handler = signal.signal(signal.SIGALRM, on_alarm)
    previous_deadline = _WATCHDOG.arm(limit) if _WATCHDOG is not None else None
    # Re-fired every REPEAT seconds after the deadline: library code that swallows exceptions
    # (``except Exception: return None`` around a parser) gets the timeout again until the block exits.
    signal.setitimer(signal.ITIMER_REAL, limit, REPEAT)
    try:
        yield
    except _Overrun:
        raise ArticleTimeout(message) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        if _WATCHDOG is not None:
            _WATCHDOG.restore(previous_deadline)
        if outer_left > 0:  # give the enclosing budget what it has left (at least a tick)
            signal.setitimer(signal.ITIMER_REAL, max(outer_left - (time.monotonic() - started), 0.001),
                             outer_interval)


# --------------------------------------------------------------------------- memory

def apply_worker_limits(memory_mb: float | None = None, watchdog: bool = True, *,
                        private_only: bool = False) -> None:
    """In a worker process: cap its memory and start the watchdog. Never call it in the
    process that writes the store (a `MemoryError` there would cost the batch, not an article).

    The cap is on the address space (``RLIMIT_AS``), or with `private_only` on private data only
    (``RLIMIT_DATA``, Linux ≥ 4.7): a Ray worker maps the node's whole shared object store and
    would fail at once under an address-space cap, while its private heap is what an article grows.
    """
    global _WATCHDOG
    memory_mb = _env_number(MEMORY_ENV, WORKER_MEMORY_MB) if memory_mb is None else memory_mb
    if memory_mb and memory_mb > 0:
        which = resource.RLIMIT_DATA if private_only else resource.RLIMIT_AS
        cap = int(memory_mb * 2**20)
        soft, hard = resource.getrlimit(which)
        if hard != resource.RLIM_INFINITY:
            cap = min(cap, hard)
        if soft == resource.RLIM_INFINITY or cap < soft:
            resource.setrlimit(which, (cap, hard))
    if watchdog and _WATCHDOG is None:
        _WATCHDOG = _Watchdog(WATCHDOG_GRACE)


def describe_failure(exc: BaseException) -> str:
    """A one-line reason for an article that failed inside the analysis."""
    if isinstance(exc, LimitExceeded):
        return str(exc)
    if isinstance(exc, MemoryError):
        return (f"analysis ran out of memory (over the worker's {_env_number(MEMORY_ENV, WORKER_MEMORY_MB):g} MB "
                f"limit, set {MEMORY_ENV} to change it)")
    if isinstance(exc, RecursionError):
        return "analysis failed: the input is nested too deeply to process"
    return f"analysis failed: {exc.__class__.__name__}: {str(exc).splitlines()[0][:300] if str(exc) else ''}"
