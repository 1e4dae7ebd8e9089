"""The local engine: analysis in this process (one worker) or in a pool of worker processes.

Why a hand-made window over `ProcessPoolExecutor` instead of `Pool.imap`: imap reads its whole
input ahead, so a 100,000-article crawl would sit in memory; here at most ``2 × workers`` batches
are in flight, results come back in input order (so "which copy is the original" does not depend
on timing), and a worker that dies takes only its batches with it.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from sitroom.scale.work import Job, Outcome, analyse_jobs, init_worker, run_jobs

MAX_BATCH_CHARS = 60_000  # a batch's Docs and analyses are alive together: bound their total size


def batches(jobs: Iterable[Job], size: int, max_chars: int = MAX_BATCH_CHARS) -> Iterator[list[Job]]:
    """Groups of at most `size` jobs and (past the first job) `max_chars` characters of text."""
    chunk: list[Job] = []
    chars = 0
    for job in jobs:
        n = len(job.raw.text)
        if chunk and (len(chunk) >= size or chars + n > max_chars):
            yield chunk
            chunk, chars = [], 0
        chunk.append(job)
        chars += n
    if chunk:
        yield chunk


def run_in_process(jobs: Iterable[Job], model: str, batch_size: int = 8) -> Iterator[Outcome]:
    from sitroom.analysis import Analyzer

    analyzer = Analyzer(model)
    for chunk in batches(jobs, batch_size):
        yield from analyse_jobs(analyzer, chunk, as_json=False)


def run_pool(jobs: Iterable[Job], workers: int, model: str, batch_size: int = 8) -> Iterator[Outcome]:
    ctx = multiprocessing.get_context("spawn")  # a clean interpreter: no inherited DB handles or threads

    def new_pool() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=init_worker, initargs=(model,))

    pool = new_pool()
    deaths: dict[int, int] = {}  # job seq → worker deaths while it was being analysed
    window: deque[tuple[list[Job], Future]] = deque()
    source = batches(jobs, batch_size)
    try:
        while True:
            while len(window) < 2 * workers:
                chunk = next(source, None)
                if chunk is None:
                    break
                window.append((chunk, pool.submit(run_jobs, chunk)))
            if not window:
                return
            chunk, future = window.popleft()
            try:
                yield from future.result()
            except BrokenProcessPool:
                # a worker died (killed, out of memory, a crash in native code, the time-limit
                # watchdog). Its batch is retried one article at a time, so only the article that
                # kills a worker twice fails, not its batch-mates; the other batches in flight are
                # resubmitted as they were, to a fresh pool.
                retry: list[list[Job]] = []
                for j in chunk:
                    deaths[j.seq] = deaths.get(j.seq, 0) + 1
                    if deaths[j.seq] >= 2 and len(chunk) == 1:
                        yield Outcome(seq=j.seq, source=j.source, kind=j.kind, sha256=j.raw.sha256,
                                      error=f"{j.source}: the analysis worker died on this article twice "
                                            "(killed, out of memory, or stuck past the time limit)")
                    else:
                        retry.append([j])
                pending = retry + [c for c, _ in window]
                window.clear()
                pool.shutdown(wait=False, cancel_futures=True)
                pool = new_pool()
                for c in pending:
                    window.append((c, pool.submit(run_jobs, c)))
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
