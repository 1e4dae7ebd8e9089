"""Forecast ledger commands: `sitroom forecasts`, `sitroom resolve`, `sitroom scorecard`.

Forecasts come from analysis JSON files (``--from DIR``, what ``sitroom analyze --format json --out DIR``
writes) or from the corpus store (``--db``). Resolutions are kept in a small JSON ledger file
(``--ledger``, default ``$SITROOM_LEDGER`` else ``./sitroom-ledger.json``) — or, with ``--db`` and no
``--ledger``, in the store's own resolutions table.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from sitroom.ledger import (
    BRIER_EXPLAINED,
    Entry,
    HolderScore,
    JsonBook,
    LedgerError,
    ResolutionBook,
    StoreBook,
    analyses_from_paths,
    entries_from_analyses,
    filter_entries,
    mismatches,
    plot_calibration,
)
from sitroom.ledger import (
    scorecard as make_scorecard,
)
from sitroom.present.cli import app

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

FromOption = Annotated[list[Path] | None, typer.Option(
    "--from", metavar="PATH", help="Analysis JSON files or folders of them (sitroom analyze --format json --out DIR).",
    show_default=False)]
DbOption = Annotated[str | None, typer.Option(
    "--db", help="Read forecasts from the corpus store (SQLite file or database URL).", show_default=False)]
LedgerOption = Annotated[Path | None, typer.Option(
    "--ledger", help="The resolutions file (default: $SITROOM_LEDGER, else ./sitroom-ledger.json; "
                     "with --db and no --ledger: the store's table).", show_default=False)]
FormatOption = Annotated[str, typer.Option("--format", "-f", help="table|json|md")]


class _Sources:
    """Where entries and resolutions come from, opened once per command."""

    def __init__(self, paths: list[Path] | None, db: str | None, ledger: Path | None,
                 forecasts_only: bool = True) -> None:
        self.warnings: list[str] = []
        self.store = None
        if not paths and db is None:
            raise LedgerError("give --from DIR (analysis JSON files) or --db (the corpus store)")
        items = []
        if paths:
            items.extend(analyses_from_paths(paths, self.warnings))
        if db is not None:
            self.store = _open_store(db)
            items.extend(self.store.iter_analyses())
        self.entries: list[Entry] = entries_from_analyses(items, forecasts_only=forecasts_only)
        self.book: ResolutionBook = StoreBook(self.store) if (self.store is not None and ledger is None) \
            else JsonBook(ledger)

    def close(self) -> None:
        if self.store is not None:
            self.store.close()


def _open_store(db: str):  # noqa: ANN202
    try:
        from sitroom.store import Store, StoreError, resolve_url
    except ImportError as exc:  # pragma: no cover - the store ships with sitroom
        raise LedgerError(f"the corpus store is not available: {exc}") from None
    try:
        url = resolve_url(db)
        if url.startswith("sqlite:///") and not Path(url[len("sqlite:///"):]).exists():
            raise LedgerError(f"no corpus at {url[len('sqlite:///'):]}")
        return Store(url)
    except StoreError as exc:
        raise LedgerError(str(exc)) from None


def _run(fn):  # noqa: ANN001, ANN202
    """Call `fn`, turning a LedgerError into a clear message and exit status 2."""
    try:
        return fn()
    except LedgerError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(2) from None


def _warn(src: _Sources) -> None:
    for w in src.warnings:
        err.print(f"[yellow]warning:[/yellow] {escape(w)}")


def _check_format(fmt: str) -> str:
    fmt = fmt.lower()
    if fmt not in ("table", "json", "md"):
        raise typer.BadParameter(f"unknown format {fmt!r}; use table, json or md", param_hint="--format")
    return fmt


def _short(text: str | None, n: int = 80) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _horizon(e: Entry) -> str:
    if not e.horizon:
        return ""
    return f"{e.horizon} ({e.horizon_value})" if e.horizon_value else e.horizon


def _pct(p: float | None) -> str:
    return "" if p is None else f"{round(p * 100)} %"


# ----------------------------------------------------------------------------- forecasts
@app.command()
def forecasts(
    from_: FromOption = None,
    db: DbOption = None,
    ledger: LedgerOption = None,
    holder: Annotated[str | None, typer.Option(help="Only this holder (case-insensitive, part of the name).")] = None,
    open_: Annotated[bool, typer.Option("--open", help="Only forecasts not yet resolved.")] = False,
    resolved: Annotated[bool, typer.Option("--resolved", help="Only resolved forecasts.")] = False,
    all_claims: Annotated[bool, typer.Option("--all", help="Assessments of the present too, not only forecasts.")]
    = False,
    format: FormatOption = "table",
) -> None:
    """List forecasts across articles: who expects what, how sure, by when, and what happened."""
    fmt = _check_format(format)
    if open_ and resolved:
        raise typer.BadParameter("--open and --resolved exclude each other")
    src = _run(lambda: _Sources(from_, db, ledger, forecasts_only=not all_claims))
    try:
        _warn(src)
        book = _run(src.book.all)
        for w in mismatches(src.entries, book):
            err.print(f"[yellow]warning:[/yellow] {escape(w)}")
        state = "open" if open_ else "resolved" if resolved else None
        rows = filter_entries(src.entries, book, holder=holder, state=state)
    finally:
        src.close()
    if fmt == "json":
        data = [{**e.model_dump(mode="json"), "probability": e.probability,
                 "resolution": book[e.id].model_dump(mode="json") if e.id in book else None} for e in rows]
        sys.stdout.write(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
        return
    if fmt == "md":
        sys.stdout.write(forecasts_markdown(rows, book))
        return
    table = Table(title=f"{len(rows)} forecast{'s' if len(rows) != 1 else ''}", show_lines=False)
    for col in ("id", "holder", "forecast", "estimate", "p", "horizon", "outcome"):
        table.add_column(col, overflow="fold")
    for e in rows:
        res = book.get(e.id)
        table.add_row(escape(e.id), escape(e.holder), escape(_short(e.text)),
                      escape(f"{e.phrase} → {e.label}"), _pct(e.probability), escape(_horizon(e)),
                      escape(f"{res.outcome} {res.date or ''}".strip()) if res else "open")
    out.print(table)


def forecasts_markdown(rows: list[Entry], book: dict) -> str:
    lines = ["| id | holder | forecast | estimate | p | horizon | outcome |", "|---|---|---|---|---|---|---|"]
    for e in rows:
        res = book.get(e.id)
        outcome = f"{res.outcome} ({res.date})" if res and res.date else (res.outcome if res else "open")
        cells = [e.id, e.holder, _short(e.text, 200), f"{e.phrase} → {e.label}", _pct(e.probability),
                 _horizon(e), outcome]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------- resolve
@app.command()
def resolve(
    forecast_id: Annotated[str, typer.Argument(metavar="ID", help="The forecast's id, as `sitroom forecasts` "
                                                                  "shows it (article/claim, e.g. report-12/C3).")],
    outcome: Annotated[str, typer.Option(help="yes | no | partial — did the proposition, as written, happen?")],
    date: Annotated[str, typer.Option(help="When it was settled, YYYY-MM-DD.")],
    note: Annotated[str | None, typer.Option(help="What happened, and the source.")] = None,
    from_: FromOption = None,
    db: DbOption = None,
    ledger: LedgerOption = None,
) -> None:
    """Record what happened to a forecast."""
    outcome = outcome.lower()
    if outcome not in ("yes", "no", "partial"):
        raise typer.BadParameter(f"{outcome!r}: use yes, no or partial", param_hint="--outcome")
    try:
        when = dt.date.fromisoformat(date)
    except ValueError:
        raise typer.BadParameter(f"{date!r} is not a date (YYYY-MM-DD)", param_hint="--date") from None
    if from_ or db is not None:
        src = _run(lambda: _Sources(from_, db, ledger, forecasts_only=False))
        try:
            _warn(src)
            known = {e.id: e for e in src.entries}
            if forecast_id not in known:
                close = [k for k in known if forecast_id.split("/")[-1] == k.split("/")[-1]][:5]
                hint = f"; did you mean {', '.join(close)}?" if close else ""
                err.print(f"[red]error:[/red] no forecast {escape(forecast_id)!s} in the sources given{hint}")
                raise typer.Exit(2)
            entry = known[forecast_id]
            res = _run(lambda: src.book.record(forecast_id, outcome, when, note, entry.text))  # type: ignore[arg-type]
        finally:
            src.close()
        out.print(f"resolved [bold]{escape(forecast_id)}[/bold] ({escape(entry.holder)}: "
                  f"{escape(_short(entry.text, 70))}) → {res.outcome} on {res.date}")
        if not entry.scorable:
            out.print(f"[dim]note: {escape(entry.label)} carries no probability; it is listed, not scored[/dim]")
        return
    book = JsonBook(ledger)
    res = _run(lambda: book.record(forecast_id, outcome, when, note))  # type: ignore[arg-type]
    out.print(f"resolved [bold]{escape(forecast_id)}[/bold] → {res.outcome} on {res.date} in {escape(str(book.path))} "
              "[dim](not checked: give --from or --db to check the id)[/dim]")


# ----------------------------------------------------------------------------- scorecard
@app.command()
def scorecard(
    from_: FromOption = None,
    db: DbOption = None,
    ledger: LedgerOption = None,
    holder: Annotated[str | None, typer.Option(help="Only this holder (case-insensitive, part of the name).")] = None,
    plot: Annotated[Path | None, typer.Option(help="Write a calibration plot here (.png or .svg).")] = None,
    format: FormatOption = "table",
) -> None:
    """Per holder: resolved forecasts, Brier score (0 best … 2 worst), calibration by ICD 203 band."""
    fmt = _check_format(format)
    src = _run(lambda: _Sources(from_, db, ledger, forecasts_only=True))
    try:
        _warn(src)
        book = _run(src.book.all)
        for w in mismatches(src.entries, book):
            err.print(f"[yellow]warning:[/yellow] {escape(w)}")
    finally:
        src.close()
    scores = make_scorecard(src.entries, book, holder=holder)
    if plot is not None:
        path = _run(lambda: plot_calibration(scores, plot))
        err.print(f"calibration plot: {escape(str(path))}")
    if fmt == "json":
        sys.stdout.write(json.dumps({"explanation": BRIER_EXPLAINED, "holders": [_score_json(s) for s in scores]},
                                    indent=1, ensure_ascii=False) + "\n")
        return
    if fmt == "md":
        sys.stdout.write(scorecard_markdown(scores))
        return
    table = Table(title="Scorecard", caption=BRIER_EXPLAINED, caption_justify="left")
    for col in ("holder", "forecasts", "resolved", "scored", "Brier", "calibration (band: n, mean p → observed)",
                "listed, not scored"):
        table.add_column(col, overflow="fold")
    for s in scores:
        table.add_row(escape(s.holder), str(s.forecasts), str(s.resolved), str(s.scored),
                      "—" if s.brier is None else f"{s.brier:.3f}", escape(_buckets_text(s)),
                      escape("; ".join(f"{e.id} {e.label}" + (f" ({r.outcome})" if r else "")
                                       for e, r in s.unscored)))
    out.print(table)


def _buckets_text(s: HolderScore) -> str:
    return "; ".join(f"{b.band}: {b.n}, {_pct(b.mean_p)} → {_pct(b.observed)}" for b in s.buckets if b.n)


def _score_json(s: HolderScore) -> dict:
    return {
        "holder": s.holder, "forecasts": s.forecasts, "resolved": s.resolved, "scored": s.scored, "brier": s.brier,
        "calibration": [vars(b) for b in s.buckets if b.n],
        "scored_forecasts": [{"id": e.id, "p": e.probability, "outcome": r.outcome, "brier": b}
                             for e, r, b in s.scored_rows],
        "not_scored": [{"id": e.id, "label": e.label, "outcome": r.outcome if r else None} for e, r in s.unscored],
    }


def scorecard_markdown(scores: list[HolderScore]) -> str:
    lines = ["| holder | forecasts | resolved | scored | Brier (0–2) | calibration: band n, mean p → observed "
             "| listed, not scored |", "|---|---|---|---|---|---|---|"]
    for s in scores:
        unscored = "; ".join(f"{e.id} {e.label}" + (f" ({r.outcome})" if r else "") for e, r in s.unscored)
        lines.append(f"| {s.holder} | {s.forecasts} | {s.resolved} | {s.scored} | "
                     f"{'—' if s.brier is None else f'{s.brier:.3f}'} | {_buckets_text(s)} | {unscored} |")
    lines += ["", BRIER_EXPLAINED, ""]
    return "\n".join(lines)
