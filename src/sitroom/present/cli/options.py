"""What several commands share: the `--db` option, date parsing, loading the model, reading inputs.

One place for these keeps the commands' behaviour (messages, exit codes) the same everywhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from sitroom.ingest.reader import InputError, read_input

if TYPE_CHECKING:
    from sitroom.analysis import Analyzer
    from sitroom.model import Analysis

DbOption = Annotated[str | None, typer.Option(
    "--db", help="SQLite file or database URL (default: $SITROOM_DB, else ./sitroom.db).", show_default=False)]


def parse_date(value: str | None, name: str = "--published") -> dt.date | None:
    """A YYYY-MM-DD option value, or a usage error naming the option."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)", param_hint=name) from None


def load_analyzer(model: str, err: Console) -> Analyzer:
    """The analyzer for `model`, or exit 2 with a one-line reason when the model is not installed."""
    from sitroom.analysis import Analyzer
    from sitroom.nlp.pipeline import ModelNotFound

    try:
        return Analyzer(model)
    except ModelNotFound as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None


class InputRun:
    """Analyse inputs one by one; a bad input is reported on stderr and counted, never raised."""

    def __init__(self, analyzer: Analyzer, err: Console, published: dt.date | None = None,
                 name_warnings: bool = False) -> None:
        self.analyzer, self.err, self.published = analyzer, err, published
        self.name_warnings = name_warnings
        self.failed = 0

    def __call__(self, inputs: list[str]) -> Iterator[tuple[str, Analysis]]:
        for spec in inputs:
            try:
                analysis = self.analyzer.analyze_raw(read_input(spec), published=self.published)
            except InputError as exc:
                self.err.print(f"[red]error:[/red] {exc}")
                self.failed += 1
                continue
            prefix = f"{spec}: " if self.name_warnings else ""
            for w in analysis.warnings:
                self.err.print(f"[yellow]warning:[/yellow] {prefix}{w}")
            yield spec, analysis
