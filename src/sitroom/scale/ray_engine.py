"""The Ray engine: the same analysis as a Ray Data pipeline, on a local Ray or a cluster.

read (inputs, as Arrow blocks) → `map_batches` on an actor pool (each actor loads the spaCy model
once) → analyses streamed back through Ray's object store, in input order, and written into the
store by this process while the actors go on (optionally also kept as Parquet, `staging`).

Where it runs: ``RAY_ADDRESS`` set (``ray://head:10001`` or ``auto``) → that cluster; otherwise a
local Ray with ``workers`` CPUs. Every node needs sitroom and the spaCy model installed (the same
virtualenv, or a Ray runtime environment with them). Neither inputs nor results need storage that
every node sees: both travel through the object store. `staging` (a path, or ``s3://…`` /
``gs://…`` that pyarrow can write) keeps a Parquet copy of the analyses for DuckDB or pandas.

Inputs go in chunks of `CHUNK` articles, so neither the driver nor a worker ever holds the whole
corpus; each chunk is one Ray Data run.
"""

from __future__ import annotations

import functools
import itertools
import os
from collections.abc import Iterable, Iterator

from sitroom.ingest.reader import RawDocument
from sitroom.scale.work import Job, Outcome, analyse_jobs

CHUNK = 2000  # articles per Ray Data run


@functools.lru_cache(maxsize=1)
def _out_schema():  # noqa: ANN202
    import pyarrow as pa

    return pa.schema([("seq", pa.int64()), ("source", pa.string()), ("kind", pa.string()), ("sha256", pa.string()),
                      ("analysis_json", pa.large_string()), ("content_hash", pa.string()), ("minhash", pa.binary()),
                      ("error", pa.string()), ("rss_mb", pa.float64())])


class RayAnalyzer:
    """Ray Data actor: one loaded pipeline per actor, batches of input rows → outcome rows."""

    def __init__(self, model: str) -> None:
        from sitroom.analysis import Analyzer
        from sitroom.ingest import limits

        # the memory cap of local workers, on private memory (the object store is mapped shared);
        # no watchdog: an actor it ended would be restarted by Ray on the same batch, again and
        # again — the per-article time limit (SIGALRM: actor tasks run in the main thread) stays
        limits.apply_worker_limits(watchdog=False, private_only=True)
        self.analyzer = Analyzer(model)

    def __call__(self, batch: dict):  # noqa: ANN204 - a pyarrow.Table
        import datetime as dt

        jobs = []
        for i in range(len(batch["seq"])):
            raw = RawDocument(text=str(batch["text"][i]), kind=str(batch["raw_kind"][i]),
                              path=_opt(batch["path"][i]), url=_opt(batch["url"][i]), title=_opt(batch["title"][i]),
                              published=_opt(batch["published"][i]), sha256=str(batch["sha256"][i]))
            pub = _opt(batch["published"][i])
            jobs.append(Job(seq=int(batch["seq"][i]), source=str(batch["source"][i]), kind=str(batch["kind"][i]),
                            raw=raw, published=dt.date.fromisoformat(pub) if pub else None))
        outs = analyse_jobs(self.analyzer, jobs, as_json=True)
        import pyarrow as pa

        # an explicit schema: a block where every article succeeded must still type `error` as
        # string, or the Parquet parts disagree and cannot be read as one dataset
        return pa.table({
            "seq": [o.seq for o in outs],
            "source": [o.source for o in outs],
            "kind": [o.kind for o in outs],
            "sha256": [o.sha256 for o in outs],
            "analysis_json": [o.analysis_json for o in outs],
            "content_hash": [o.content_hash for o in outs],
            "minhash": [o.minhash for o in outs],
            "error": [o.error for o in outs],
            "rss_mb": [o.rss_mb for o in outs],
        }, schema=_out_schema())


def _opt(value: object) -> str | None:
    if value is None:
        return None
    text = str(value)
    return None if text in ("", "None", "nan") else text


def _input_table(jobs: list[Job]):  # noqa: ANN202
    import pyarrow as pa

    return pa.table({
        "seq": [j.seq for j in jobs],
        "source": [j.source for j in jobs],
        "kind": [j.kind for j in jobs],
        "raw_kind": [j.raw.kind for j in jobs],
        "text": [j.raw.text for j in jobs],
        "path": [j.raw.path for j in jobs],
        "url": [j.raw.url for j in jobs],
        "title": [j.raw.title for j in jobs],
        "published": [j.published.isoformat() if j.published else None for j in jobs],
        "sha256": [j.raw.sha256 for j in jobs],
    })


def _outcomes(table) -> Iterator[Outcome]:  # noqa: ANN001 - a pyarrow.Table of `_out_schema`
    for r in table.to_pylist():
        yield Outcome(seq=r["seq"], source=r["source"], kind=r["kind"], sha256=r["sha256"],
                      analysis_json=r["analysis_json"], content_hash=r["content_hash"], minhash=r["minhash"],
                      error=r["error"], rss_mb=r["rss_mb"] or 0.0)


def _staging_folder(staging: str, chunk: int):  # noqa: ANN202 - (pyarrow FileSystem, folder path)
    """The folder of one chunk's Parquet parts under ``staging`` (a path or URI), created."""
    import pyarrow.fs as pafs

    fs, root = pafs.FileSystem.from_uri(staging if "://" in staging else os.path.abspath(staging))
    folder = f"{root.rstrip('/')}/out-{chunk:05d}"
    fs.create_dir(folder, recursive=True)
    return fs, folder


def _keep_parquet(table, fs, folder: str, part: int) -> None:  # noqa: ANN001
    """Write one streamed batch of analyses as a Parquet part of its chunk's folder."""
    import pyarrow.parquet as pq

    pq.write_table(table, f"{folder}/part-{part:05d}.parquet", filesystem=fs)


def _init_ray(workers: int) -> bool:
    """Connect to RAY_ADDRESS or start a local Ray; True if this call started it."""
    import ray

    if ray.is_initialized():
        return False
    address = os.environ.get("RAY_ADDRESS")
    kwargs = {"ignore_reinit_error": True, "include_dashboard": False, "log_to_driver": False}
    if address:
        ray.init(address=address, **kwargs)
    else:
        # Ray runs its workers at nice 15 by default: on a machine shared with other work they
        # would get only leftovers, unlike the local engine's workers
        os.environ.setdefault("RAY_worker_niceness", "0")
        ray.init(num_cpus=workers, **kwargs)
    return True


def run_ray(jobs: Iterable[Job], *, workers: int, model: str, batch_size: int = 8,
            staging: str | None = None) -> Iterator[Outcome]:
    """Analyse `jobs` on Ray; outcomes stream back in input order while the actors keep working.

    Results travel through Ray's object store to this process, which writes the store as they
    arrive, so the store writes overlap the analysis (a Parquet barrier after every chunk made
    them a serial tail). With `staging`, each streamed batch is also kept there as Parquet.
    """
    try:
        import ray
        import ray.data
    except ImportError:
        raise RuntimeError("the ray engine needs Ray Data: pip install 'sitroom[ray]'") from None
    started = _init_ray(workers)
    try:
        ctx = ray.data.DataContext.get_current()
        ctx.execution_options.preserve_order = True
        ctx.enable_progress_bars = False
        ctx.print_on_execution_start = False
        it = iter(jobs)
        for n in itertools.count():
            chunk = list(itertools.islice(it, CHUNK))
            if not chunk:
                break
            table = _input_table(chunk)
            del chunk
            # several blocks, so that every actor gets work; the driver hands them to the object
            # store itself, so no read task competes with the actors for a CPU slot
            step = max(1, min(batch_size * 4, -(-table.num_rows // (2 * workers))))
            blocks = [table.slice(i, step) for i in range(0, table.num_rows, step)]
            concurrency = max(1, min(workers, len(blocks)))
            analysed = (ray.data.from_arrow(blocks)
                        .map_batches(RayAnalyzer, fn_constructor_kwargs={"model": model}, batch_size=batch_size,
                                     compute=ray.data.ActorPoolStrategy(size=concurrency), num_cpus=1,
                                     batch_format="numpy", zero_copy_batch=True))
            del table, blocks
            kept = _staging_folder(staging, n) if staging else None
            for part, batch in enumerate(analysed.iter_batches(batch_size=None, batch_format="pyarrow")):
                if kept is not None:
                    _keep_parquet(batch, *kept, part)
                yield from _outcomes(batch)
    finally:
        if started:
            ray.shutdown()
