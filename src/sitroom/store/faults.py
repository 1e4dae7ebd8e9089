"""Database faults in the middle of a batch: the database's problem, not the article's.

Why: a batch writer meets two kinds of database errors. Some belong to one article (a constraint
its data breaks) — record it as a failure and go on. Others belong to the database: the disk is
full, the file became read-only, the server restarted. Treating those as article failures marks
every remaining article as failed (and the failure itself cannot be written: a traceback). So:

* **transient** — the connection dropped (PostgreSQL restarted, a network blip) or the file is
  locked: wait and retry the same call, with backoff, for up to ``SITROOM_DB_RETRY_SECONDS``
  (default `RETRY_SECONDS`); the article's transaction was rolled back, so retrying it is safe and
  a commit that did land is found by the retry (the store is idempotent by source and hash);
* **unwritable** — the disk is full, the database is read-only or its file cannot be opened:
  stop the batch with `StoreUnavailable`, a one-line reason and what to do. Every article stored
  so far was committed in its own transaction; rerunning the same command resumes.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from typing import Literal, TypeVar

from sitroom.store.db import StoreError

RETRY_SECONDS = 60.0
RETRY_ENV = "SITROOM_DB_RETRY_SECONDS"

_UNWRITABLE = ("database or disk is full", "disk i/o error", "readonly database", "read-only", "read only",
               "no space left", "could not extend file", "disk full", "unable to open database file",
               "quota exceeded", "could not write")
_TRANSIENT = ("server closed the connection", "terminating connection", "connection refused", "could not connect",
              "the database system is shutting down", "the database system is starting up",
              "the database system is in recovery mode", "connection to server", "connection has been closed",
              "connection reset", "broken pipe", "database is locked", "consuming input failed",
              "connection is closed", "connection not open", "connection already closed", "admin_shutdown",
              "cannot connect now", "ssl syscall error", "eof detected")

Fault = Literal["transient", "unwritable"]
log = logging.getLogger("sitroom.store")
T = TypeVar("T")


class StoreUnavailable(StoreError):
    """The database cannot be written (or reached) any more; the batch stops, resumable."""


def classify(exc: BaseException) -> Fault | None:
    """Whether `exc` is the database's fault (and which kind), or None: the article's own."""
    try:
        from sqlalchemy.exc import DBAPIError
    except ImportError:  # pragma: no cover - sqlalchemy is a dependency
        return None
    if not isinstance(exc, DBAPIError):
        return None
    message = f"{exc.orig} {exc}".lower()
    if any(p in message for p in _UNWRITABLE):
        return "unwritable"
    if exc.connection_invalidated or any(p in message for p in _TRANSIENT):
        return "transient"
    return None


def _retry_seconds() -> float:
    try:
        return float(os.environ.get(RETRY_ENV, "") or RETRY_SECONDS)
    except ValueError:
        return RETRY_SECONDS


def _reason(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    return " ".join(str(orig).split())[:300]


def call(fn: Callable[..., T], *args: object, retry_seconds: float | None = None,
         on_retry: Callable[[BaseException, float], None] | None = None, **kwargs: object) -> T:
    """``fn(*args, **kwargs)``, retried through transient faults; `StoreUnavailable` when the
    database cannot be written or stays unreachable. Errors that are the article's pass through."""
    window = _retry_seconds() if retry_seconds is None else retry_seconds
    deadline = time.monotonic() + window
    delay = 0.25
    while True:
        try:
            return fn(*args, **kwargs)
        except Exception as exc:
            kind = classify(exc)
            if kind is None:
                raise
            if kind == "unwritable":
                raise StoreUnavailable(
                    f"the database cannot be written: {_reason(exc)}. Nothing is half-written (each article is "
                    "stored in its own transaction); free space or fix the permissions and rerun the same "
                    "command to resume.") from None
            if time.monotonic() + delay > deadline:
                raise StoreUnavailable(
                    f"the database stayed unreachable for {window:g} s: {_reason(exc)}. Every article stored "
                    f"so far is kept; rerun the same command when it is back to resume (set {RETRY_ENV} "
                    "to wait longer).") from None
            if on_retry:
                on_retry(exc, delay)
            else:
                log.warning("database unavailable (%s); retrying in %.2g s", _reason(exc), delay)
            time.sleep(delay)
            delay = min(delay * 2, 5.0)
