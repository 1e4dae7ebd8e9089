"""`sitroom brief` (a situation report over the corpus) and `sitroom serve` (the web app)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from sitroom.present.cli import app
from sitroom.present.cli.options import DbOption, parse_date

err = Console(stderr=True, soft_wrap=True)



def open_existing_store(db: str | None):  # -> Store
    """Open a corpus that exists: a missing SQLite file is an error here, not a new empty corpus."""
    from sitroom.store import Store, StoreError, resolve_url

    try:
        url = resolve_url(db)
        if url.startswith("sqlite:///"):
            path = Path(url.removeprefix("sqlite:///"))
            if not path.exists():
                err.print(f"[red]error:[/red] no corpus at {path}; store articles first, or pass --db "
                          "(or set SITROOM_DB)")
                raise typer.Exit(2)
        return Store(db)
    except StoreError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None


@app.command()
def brief(
    topic: Annotated[str | None, typer.Option(help="Full-text query selecting the articles (web-search syntax).")]
    = None,
    actor: Annotated[str | None, typer.Option(help="Only articles naming this actor (any of its names).")] = None,
    since: Annotated[str | None, typer.Option(help="Articles published on or after YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Articles published on or before YYYY-MM-DD.")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="md | html | pdf")] = "md",
    out: Annotated[Path | None, typer.Option(help="Write to this file (Markdown charts go to FILE_files/).")] = None,
    db: DbOption = None,
    base_url: Annotated[str, typer.Option(help="Where `sitroom serve` runs: every source links there.")]
    = "http://127.0.0.1:8000",
    max_articles: Annotated[int, typer.Option(min=1, help="Read at most this many articles.")] = 300,
) -> None:
    """A situation report over the stored articles: actors, timeline, quotes, forecasts, contradictions, map."""
    from sitroom.present.brief import (
        FORMATS,
        Limits,
        Links,
        PdfUnavailable,
        assemble,
        render_html,
        render_markdown,
        render_pdf,
    )

    fmt = format.lower()
    if fmt not in FORMATS:
        raise typer.BadParameter(f"unknown format {format!r}; use {', '.join(FORMATS)}", param_hint="--format")
    d0, d1 = parse_date(since, "--since"), parse_date(until, "--until")
    if d0 and d1 and d0 > d1:
        raise typer.BadParameter("--since is after --until", param_hint="--since")
    if fmt == "pdf" and out is None and sys.stdout.isatty():
        raise typer.BadParameter("PDF output needs --out FILE (or a pipe)", param_hint="--out")
    if out is not None and not out.parent.exists():
        raise typer.BadParameter(f"{out.parent}: no such folder", param_hint="--out")
    store = open_existing_store(db)
    try:
        report = assemble(store, topic=topic, actor=actor, since=d0, until=d1, limits=Limits(articles=max_articles))
    finally:
        store.close()
    if report.empty:
        err.print("[yellow]warning:[/yellow] no article matches these filters; the brief is empty")
    links = Links(base_url=base_url)
    if fmt == "pdf":
        try:
            data = render_pdf(report, links)
        except PdfUnavailable as exc:
            err.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from None
        if out is None:
            sys.stdout.buffer.write(data)
        else:
            out.write_bytes(data)
        return
    if fmt == "html":
        text = render_html(report, links)
    else:
        assets = out.with_name(out.stem + "_files") if out is not None else None
        text = render_markdown(report, links, assets_dir=assets, assets_prefix=f"{assets.name}/" if assets else "")
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
        err.print(f"wrote {out}")


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    private: Annotated[bool, typer.Option(help="Reads need the token too (SITROOM_TOKEN).")] = False,
) -> None:
    """The situation room in a browser: search, articles, actors, quotes, forecasts, brief, map, network.

    Writes (storing an analysed upload, resolving a forecast) need the token in $SITROOM_TOKEN;
    tiles for the events map come from $SITROOM_TILES (a URL template), else a plain outline map.
    """
    import uvicorn

    from sitroom.present.web import Settings, create_app

    store = open_existing_store(db)
    settings = Settings.from_env(private=private)
    if host not in ("127.0.0.1", "localhost", "::1") and not settings.token:
        err.print("[yellow]warning:[/yellow] listening beyond this machine with no SITROOM_TOKEN: "
                  "writes are disabled")
    err.print(f"sitroom serving {store.url.split('://', 1)[0]} corpus on http://{host}:{port}/"
              + (f" (tiles: {settings.tiles})" if settings.tiles else " (offline outline map)"))
    uvicorn.run(create_app(store, settings), host=host, port=port, log_level=os.environ.get("SITROOM_LOG", "info"))
