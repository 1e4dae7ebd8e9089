"""The unit of work shipped to a worker, what comes back, and the worker side of it.

Workers get `Job`s (picklable, text included) and return `Outcome`s: the analysis as JSON plus
the article's fingerprint (content hash, MinHash), so the process writing the store does as little
as possible. A failure in one article is that article's `Outcome`, never the batch's.
"""

from __future__ import annotations

import datetime as dt
import itertools
import resource
import sys
from dataclasses import dataclass, field

from sitroom.ingest import limits
from sitroom.ingest.items import Item
from sitroom.ingest.reader import RawDocument
from sitroom.model import Analysis
from sitroom.store import dedup
from sitroom.store.write import fingerprint_text


@dataclass
class Job:
    seq: int
    source: str
    kind: str  # the source kind stored with the article: text html json warc feed
    raw: RawDocument
    published: dt.date | None = None

    @classmethod
    def of(cls, seq: int, item: Item) -> Job:
        assert item.raw is not None
        return cls(seq=seq, source=item.source, kind=item.kind, raw=item.raw, published=item.published)


@dataclass
class Outcome:
    seq: int
    source: str
    kind: str
    sha256: str
    analysis_json: str | None = None
    analysis: Analysis | None = None  # set instead of the JSON when analysed in this process
    content_hash: str | None = None
    minhash: bytes | None = None
    error: str | None = None
    rss_mb: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.error is None

    def get_analysis(self) -> Analysis:
        if self.analysis is None:
            assert self.analysis_json is not None
            self.analysis = Analysis.model_validate_json(self.analysis_json)
        return self.analysis

    def fingerprint(self) -> dedup.Fingerprint | None:
        if self.content_hash and self.minhash is not None:
            return dedup.Fingerprint(self.content_hash, self.minhash)
        return None


def peak_rss_mb() -> float:
    """This process's peak resident memory so far."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _done(job: Job, analysis: Analysis, as_json: bool) -> Outcome:
    if not analysis.text.strip():  # an empty page is a failure with a reason, not an empty article in the store
        return Outcome(seq=job.seq, source=job.source, kind=job.kind, sha256=job.raw.sha256, rss_mb=peak_rss_mb(),
                       error=f"{job.source}: no article text found ({'; '.join(analysis.warnings) or 'empty page'})")
    analysis.source.kind = job.kind if job.kind in ("text", "html", "json", "warc", "feed") else analysis.source.kind
    fp = dedup.Fingerprint.of(fingerprint_text(analysis))
    out = Outcome(seq=job.seq, source=job.source, kind=job.kind, sha256=job.raw.sha256,
                  content_hash=fp.content_hash, minhash=fp.minhash, rss_mb=peak_rss_mb())
    if as_json:
        out.analysis_json = analysis.model_dump_json()
    else:
        out.analysis = analysis
    return out


def _failed(job: Job, exc: BaseException) -> Outcome:
    return Outcome(seq=job.seq, source=job.source, kind=job.kind, sha256=job.raw.sha256,
                   error=limits.describe_failure(exc), rss_mb=peak_rss_mb())


def analyse_jobs(analyzer, jobs: list[Job], as_json: bool = True, batch_size: int = 16) -> list[Outcome]:  # noqa: ANN001
    """Analyse a batch with spaCy's batching; if a batch fails, retry one by one to find the culprit."""
    out: list[Outcome] = []
    for published, group in itertools.groupby(jobs, key=lambda j: j.published):
        group = list(group)
        try:
            # a batch gets two article budgets (so one stuck article costs at most three); over it, the
            # per-article retry below finds the culprit
            with limits.time_budget(2 * limits.article_seconds(), what=f"a batch of {len(group)} articles"):
                analyses = list(analyzer.analyze_many((j.raw for j in group), published=published,
                                                      batch_size=batch_size))
            out.extend(_done(j, a, as_json) for j, a in zip(group, analyses, strict=True))
            continue
        except Exception:  # noqa: BLE001 - fall through to per-article analysis
            pass
        for job in group:
            try:
                out.append(_done(job, analyzer.analyze_raw(job.raw, published=job.published), as_json))
            except Exception as exc:  # noqa: BLE001 - one bad article must not stop the batch
                out.append(_failed(job, exc))
    return out


# ---------------------------------------------------------------- worker-process side
_ANALYZER = None


def init_worker(model: str) -> None:
    """Process-pool initializer: load the pipeline once per worker."""
    global _ANALYZER
    from sitroom.analysis import Analyzer

    limits.apply_worker_limits()  # memory cap and the watchdog behind the per-article time limit
    _ANALYZER = Analyzer(model)


def run_jobs(jobs: list[Job]) -> list[Outcome]:
    assert _ANALYZER is not None, "init_worker was not run"
    return analyse_jobs(_ANALYZER, jobs, as_json=True)
