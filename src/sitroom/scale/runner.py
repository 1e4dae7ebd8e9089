"""`ingest`: inputs in, articles stored — skipping what is already there, keeping what fails.

The process that calls `ingest` is the only writer: it reads inputs, asks the store which raw
inputs it has seen (by hash, before any analysis), hands the rest to an engine and stores each
result in its own transaction, in input order. Killed at any point, a rerun finds every stored
article by its input hash and carries on where the batch stopped.
"""

from __future__ import annotations

import itertools
import os
import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from sitroom.ingest.items import Item
from sitroom.ingest.sources import count, iter_items, plan
from sitroom.nlp.pipeline import DEFAULT_MODEL
from sitroom.scale.work import Job, Outcome, peak_rss_mb
from sitroom.store import Store, faults

Engine = Literal["local", "ray"]
MAX_LISTED_FAILURES = 1000


@dataclass
class IngestSummary:
    engine: str = "local"
    workers: int = 1
    total: int | None = None  # articles the inputs were estimated to hold
    seen: int = 0  # articles read (including unreadable ones)
    analysed: int = 0
    added: int = 0  # new originals
    duplicates: int = 0  # exact copies of stored articles (recorded as another source)
    near_duplicates: int = 0
    versions: int = 0  # same URL, changed text
    unchanged: int = 0  # inputs stored before: skipped unread
    failed: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (source, reason), the first 1000
    elapsed: float = 0.0
    startup: float = 0.0  # seconds until the first analysis came back (model loading, worker start)
    max_worker_rss_mb: float = 0.0
    interrupted: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @property
    def rate(self) -> float:
        """Articles analysed per second of wall time."""
        return self.analysed / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def steady_rate(self) -> float:
        """Articles per second once the workers are up (start-up and model loading left out)."""
        span = self.elapsed - self.startup
        return (self.analysed - 1) / span if self.analysed > 1 and span > 0 else self.rate

    def fail(self, source: str, reason: str) -> None:
        with self._lock:
            self.failed += 1
            if len(self.failures) < MAX_LISTED_FAILURES:
                self.failures.append((source, reason))

    def bump(self, name: str) -> None:
        """Count one article under `name` (the reader and the writer thread both count)."""
        with self._lock:
            setattr(self, name, getattr(self, name) + 1)


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


Progress = Callable[[str], None]  # called once per article with its status


def _jobs(items: Iterable[Item], store: Store, summary: IngestSummary, tick: Progress,
          chunk: int = 64) -> Iterator[Job]:
    """Readable, not-yet-stored items as jobs; everything else is settled here."""
    seq = itertools.count()
    it = iter(items)
    while batch := list(itertools.islice(it, chunk)):
        known = faults.call(store.known_sources, [i.raw.sha256 for i in batch if i.ok])
        for item in batch:
            summary.bump("seen")
            if not item.ok:
                faults.call(store.record_failure, item.source, item.error or "unreadable", "read")
                summary.fail(item.source, item.error or "unreadable")
                tick("failed")
                continue
            hit = known.get(item.raw.sha256)
            if hit is not None:
                article_id, sources = hit
                if item.source in sources:
                    summary.bump("unchanged")
                    tick("unchanged")
                else:
                    faults.call(store.add_source, article_id, item.source, item.kind, item.raw.sha256)
                    sources.add(item.source)
                    summary.bump("duplicates")
                    tick("duplicate")
                continue
            yield Job.of(next(seq), item)


def _store(outcome: Outcome, store: Store, summary: IngestSummary, tick: Progress) -> None:
    summary.max_worker_rss_mb = max(summary.max_worker_rss_mb, outcome.rss_mb)
    if not outcome.ok:
        faults.call(store.record_failure, outcome.source, outcome.error or "analysis failed", "analyse")
        summary.fail(outcome.source, outcome.error or "analysis failed")
        tick("failed")
        return
    summary.bump("analysed")
    try:
        # a disk-full, read-only or unreachable database stops the batch (StoreUnavailable, resumable);
        # a dropped connection is retried; only errors of this article's own data land below
        result = faults.call(store.add, outcome.get_analysis(), source=outcome.source, source_kind=outcome.kind,
                             sha256=outcome.sha256, fingerprint=outcome.fingerprint(),
                             analysis_json=outcome.analysis_json)
    except faults.StoreUnavailable:
        raise
    except Exception as exc:  # noqa: BLE001 - e.g. a database constraint; keep it and go on
        reason = f"could not store: {exc.__class__.__name__}: {str(exc).splitlines()[0][:300]}"
        faults.call(store.record_failure, outcome.source, reason, "store")
        summary.fail(outcome.source, reason)
        tick("failed")
        return
    status = result.status
    summary.bump({"added": "added", "duplicate": "duplicates", "near_duplicate": "near_duplicates",
                  "version": "versions"}.get(status, "unchanged"))
    tick(status)


class _Writer(threading.Thread):
    """Stores outcomes on a thread of its own, so that writing overlaps the analysis.

    SQLite and the spaCy parser both release the GIL in their hot loops, so with one in-process
    worker the store's work mostly hides behind the next batch's parsing. The queue is bounded:
    a slow database slows the reading down instead of filling memory.
    """

    def __init__(self, store: Store, summary: IngestSummary, tick: Progress, started: float,
                 depth: int = 64) -> None:
        super().__init__(name="sitroom-writer", daemon=True)
        self.store, self.summary, self.tick, self.started = store, summary, tick, started
        self.queue: queue.Queue[Outcome | None] = queue.Queue(maxsize=depth)
        self.error: BaseException | None = None
        self.stopping = threading.Event()

    def run(self) -> None:
        while True:
            outcome = self.queue.get()
            if outcome is None or self.stopping.is_set():
                return
            try:
                if not self.summary.startup:
                    self.summary.startup = time.perf_counter() - self.started
                _store(outcome, self.store, self.summary, self.tick)
            except BaseException as exc:  # noqa: BLE001 - handed to the main thread
                self.error = exc
                return

    def put(self, outcome: Outcome) -> None:
        while True:
            if self.error is not None or not self.is_alive():
                raise self.error or RuntimeError("the store writer stopped")
            try:
                self.queue.put(outcome, timeout=0.2)
                return
            except queue.Full:
                continue

    def finish(self, stop: bool = False) -> None:
        """Store what is queued (or, with `stop`, only the article being written) and end."""
        if stop:
            self.stopping.set()
            while True:  # make room for the sentinel
                try:
                    self.queue.get_nowait()
                except queue.Empty:
                    break
        while self.is_alive():
            try:
                self.queue.put(None, timeout=0.2)
                break
            except queue.Full:
                continue
        self.join()
        if self.error is not None and not stop:
            raise self.error


def ingest(specs: Iterable[str], store: Store, *, workers: int | None = None, engine: Engine = "local",
           model: str = DEFAULT_MODEL, follow_links: bool = False, batch_size: int = 8,
           progress: Progress | None = None, on_total: Callable[[int | None], None] | None = None,
           staging: str | None = None, count_first: bool = True) -> IngestSummary:
    """Ingest files, folders, URLs and ``-`` into `store`; returns what happened.

    `progress` is called once per article with its status (added, duplicate, near_duplicate,
    version, unchanged, failed); `on_total` once, before the work, with the estimated number of
    articles (None if unknown).
    """
    workers = workers or default_workers()
    summary = IngestSummary(engine=engine, workers=workers)
    tick = progress or (lambda _status: None)
    inputs = plan(specs)
    if count_first:
        summary.total = count(inputs)
    if on_total:
        on_total(summary.total)
    started = time.perf_counter()
    jobs = _jobs(iter_items(inputs, follow_links), store, summary, tick)
    if engine == "ray":
        from sitroom.scale.ray_engine import run_ray

        outcomes = run_ray(jobs, workers=workers, model=model, batch_size=batch_size, staging=staging)
    elif workers <= 1:
        from sitroom.scale.local import run_in_process

        outcomes = run_in_process(jobs, model=model, batch_size=batch_size)
    else:
        from sitroom.scale.local import run_pool

        outcomes = run_pool(jobs, workers=workers, model=model, batch_size=batch_size)
    writer = _Writer(store, summary, tick, started)
    writer.start()
    try:
        for outcome in outcomes:
            writer.put(outcome)
        writer.finish()
    except KeyboardInterrupt:
        summary.interrupted = True
        writer.finish(stop=True)
    finally:
        close = getattr(outcomes, "close", None)
        if close:
            close()
        if writer.is_alive():  # an error on the way: do not leave the thread writing
            writer.finish(stop=True)
        summary.elapsed = time.perf_counter() - started
        if workers <= 1 and engine == "local":
            summary.max_worker_rss_mb = max(summary.max_worker_rss_mb, peak_rss_mb())
    return summary
