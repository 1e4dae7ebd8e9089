"""The `sitroom` command line: one Typer app; each command group lives in its own module."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="sitroom",
    help="Turn news articles into a sourced situation picture.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Command modules register themselves on `app` when imported.
from sitroom.present.cli import analyze as _analyze  # noqa: E402,F401
from sitroom.present.cli import brief as _brief  # noqa: E402,F401
from sitroom.present.cli import corpus as _corpus  # noqa: E402,F401
from sitroom.present.cli import evaluate as _evaluate  # noqa: E402,F401
from sitroom.present.cli import events as _events  # noqa: E402,F401
from sitroom.present.cli import forecasts as _forecasts  # noqa: E402,F401


def main() -> None:
    app()
