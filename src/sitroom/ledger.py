"""The forecast ledger: forecasts across articles, what happened, and who turned out right.

Input is any iterable of ``(article_id, Analysis)`` pairs — analysis JSON files today
(`analyses_from_paths`), the corpus store's `Store.iter_analyses()` when a ``--db`` is given.
Resolutions live behind a two-method interface (`ResolutionBook`): a small JSON file
(`JsonBook`) or the store's ``forecast_resolutions`` table (`StoreBook`).

Scoring follows Good Judgment Open: the Brier score of a yes/no question is summed over both
outcomes, ``(p - o)² + ((1 - p) - (1 - o))² = 2 (p - o)²``, so it runs from 0 (a certain forecast
that came true) through 0.5 (always saying 50 %) to 2 (a certain forecast that failed). ``p`` is the
midpoint of the claim's numeric range (ICD 203 band or survey range); ``o`` is 1 for yes, 0 for no
and 0.5 for partial. A claim's probability is for its proposition *as written*, negation included
("Kazakhstan won't be an obstacle", almost certain: yes means it was no obstacle). Comparatives
("less likely"), volition, capability and bare belief carry no number: they are listed, not scored.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sitroom.model import Analysis, Claim
from sitroom.nlp.estimative import ICD203_BANDS, band_of, midpoint

Outcome = Literal["yes", "no", "partial"]
OUTCOME_VALUE: dict[str, float] = {"yes": 1.0, "no": 0.0, "partial": 0.5}
LEDGER_ENV = "SITROOM_LEDGER"
DEFAULT_LEDGER = "sitroom-ledger.json"
ARTICLE_HOLDER = "(the article)"

BRIER_EXPLAINED = (
    "Brier score, Good Judgment Open convention: (p - o)² + ((1 - p) - (1 - o))², summed over both outcomes, "
    "from 0 (best) to 2 (worst); always answering 50 % scores 0.5. p = midpoint of the estimate's range "
    "(ICD 203 band or reader-survey range), o = 1 yes, 0 no, 0.5 partial. Comparatives, volition, capability "
    "and bare beliefs have no number and are listed, not scored."
)


class LedgerError(RuntimeError):
    """A problem the user can fix (a bad file, an unknown forecast id); shown without a traceback."""


# --------------------------------------------------------------------------- rows

class Entry(BaseModel):
    """One claim in the ledger, flattened for listing and scoring."""

    model_config = ConfigDict(extra="forbid")

    id: str  # "<article id>/<claim id>", e.g. "kazakhstan-two-fronts/C3"
    article_id: str
    claim_id: str
    holder: str
    holder_actor_id: str | None = None
    text: str
    phrase: str | None = None
    kind: str | None = None
    band: str | None = None
    low: float | None = None
    high: float | None = None
    direction: str | None = None
    polarity: str = "positive"
    forecast: bool = False
    horizon: str | None = None
    horizon_value: str | None = None
    horizon_latest: dt.date | None = None
    conditions: list[str] = Field(default_factory=list)
    published: dt.date | None = None
    headline: str | None = None
    source: str | None = None

    @property
    def probability(self) -> float | None:
        return midpoint(self.low, self.high)

    @property
    def scorable(self) -> bool:
        return self.probability is not None

    @property
    def label(self) -> str:
        """How sure, in words: the band, the direction of a comparative, or the kind."""
        if self.band:
            return self.band
        if self.kind == "comparative":
            return f"comparative ({self.direction or '?'})"
        if self.kind == "possibility" and self.probability is not None:
            return f"possibility (~{round(self.probability * 100)} %)"
        return self.kind or "?"


class Resolution(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    outcome: Outcome
    date: dt.date | None = None
    note: str | None = None
    recorded: dt.datetime | None = None
    text: str | None = None  # the forecast's words when resolved: a re-analysis that renumbers claims shows up


def _holder_name(analysis: Analysis, claim: Claim) -> tuple[str, str | None]:
    if claim.holder is None:
        return ARTICLE_HOLDER, None
    ent = analysis.entity(claim.holder.actor_id)
    return (ent.name if ent else claim.holder.name), claim.holder.actor_id


def entries_from_analyses(items: Iterable[tuple[str | int, Analysis]], *, forecasts_only: bool = True) -> list[Entry]:
    """Ledger rows for the claims of many analyses (only forecasts unless `forecasts_only` is False)."""
    out: list[Entry] = []
    for article_id, analysis in items:
        aid = str(article_id)
        headline = analysis.article.headline.text if analysis.article.headline else None
        for c in analysis.claims:
            if forecasts_only and not c.forecast:
                continue
            holder, actor_id = _holder_name(analysis, c)
            lk = c.likelihood
            out.append(Entry(
                id=f"{aid}/{c.id}", article_id=aid, claim_id=c.id, holder=holder, holder_actor_id=actor_id,
                text=c.text, phrase=lk.phrase if lk else None, kind=lk.kind if lk else None,
                band=lk.band if lk else None, low=lk.low if lk else None, high=lk.high if lk else None,
                direction=lk.direction if lk else None, polarity=c.polarity, forecast=c.forecast,
                horizon=c.horizon.text if c.horizon else None, horizon_value=c.horizon.value if c.horizon else None,
                horizon_latest=c.horizon.latest if c.horizon else None, conditions=[x.text for x in c.conditions],
                published=analysis.article.published, headline=headline,
                source=analysis.source.path or analysis.source.url,
            ))
    return out


def analyses_from_paths(paths: Sequence[str | Path],
                        warnings: list[str] | None = None) -> Iterator[tuple[str, Analysis]]:
    """``(file stem, Analysis)`` for every analysis JSON file given or inside the folders given.

    A file that is not an analysis is skipped with a warning (appended to `warnings`), not an error:
    a folder of outputs may hold other things.
    """
    seen: set[str] = set()
    for raw in paths:
        p = Path(raw)
        if not p.exists():
            raise LedgerError(f"{p}: no such file or folder")
        files = sorted(p.glob("*.json")) if p.is_dir() else [p]
        for f in files:
            try:
                analysis = Analysis.model_validate_json(f.read_bytes())
            except (ValidationError, ValueError, OSError) as exc:
                if warnings is not None:
                    first = str(exc).splitlines()[0][:120]
                    warnings.append(f"{f}: not a sitroom analysis ({first})")
                continue
            stem = f.name[: -len(".json")] if f.name.endswith(".json") else f.stem
            aid = stem if stem not in seen else f"{stem}~{len(seen)}"
            seen.add(aid)
            yield aid, analysis


# --------------------------------------------------------------------------- resolutions

class ResolutionBook(Protocol):
    """Where resolutions are kept."""

    def all(self) -> dict[str, Resolution]: ...

    def record(self, entry_id: str, outcome: Outcome, date: dt.date | None, note: str | None,
               text: str | None = None) -> Resolution: ...


def default_ledger_path() -> Path:
    return Path(os.environ.get(LEDGER_ENV) or DEFAULT_LEDGER)


class JsonBook:
    """Resolutions in a small JSON file: ``{"version": 1, "resolutions": {id: {...}}}``.

    Writes go to a temporary file first, then replace the old one: a crash never leaves half a file.
    """

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else default_ledger_path()

    def all(self) -> dict[str, Resolution]:
        if not self.path.exists():
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return {k: Resolution.model_validate(v) for k, v in data.get("resolutions", {}).items()}
        except (ValueError, ValidationError, AttributeError) as exc:
            raise LedgerError(f"{self.path}: not a sitroom ledger file ({str(exc).splitlines()[0][:120]})") from None

    def record(self, entry_id: str, outcome: Outcome, date: dt.date | None, note: str | None,
               text: str | None = None) -> Resolution:
        if outcome not in OUTCOME_VALUE:
            raise LedgerError(f"outcome must be yes, no or partial, not {outcome!r}")
        book = self.all()
        res = Resolution(id=entry_id, outcome=outcome, date=date, note=note, recorded=dt.datetime.now(dt.UTC),
                         text=text)
        book[entry_id] = res
        payload = {"version": 1, "resolutions": {k: v.model_dump(mode="json") for k, v in sorted(book.items())}}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        tmp.replace(self.path)
        return res


class StoreBook:
    """Resolutions in the corpus store's ``forecast_resolutions`` table (the latest one per claim counts)."""

    def __init__(self, store) -> None:  # noqa: ANN001  (sitroom.store.Store; imported lazily)
        self.store = store

    def _claim_rows(self) -> dict[str, int]:
        ids: dict[str, int] = {}
        offset = 0
        while True:
            rows = self.store.claims(limit=1000, offset=offset)
            for r in rows:
                ids[f"{r.article_id}/{r.local_id}"] = r.id
            if len(rows) < 1000:
                return ids
            offset += 1000

    def all(self) -> dict[str, Resolution]:
        by_row = {v: k for k, v in self._claim_rows().items()}
        out: dict[str, Resolution] = {}
        for r in self.store.resolutions():
            key = by_row.get(r.claim_id)
            if key is not None:
                out[key] = Resolution(id=key, outcome=r.outcome, date=r.resolved_on, note=r.note, recorded=r.created_at)
        return out

    def record(self, entry_id: str, outcome: Outcome, date: dt.date | None, note: str | None,
               text: str | None = None) -> Resolution:
        row = self._claim_rows().get(entry_id)
        if row is None:
            raise LedgerError(f"no claim {entry_id!r} in the store")
        self.store.add_resolution(row, outcome, date, note)
        return Resolution(id=entry_id, outcome=outcome, date=date, note=note, recorded=dt.datetime.now(dt.UTC))


# --------------------------------------------------------------------------- scoring

def brier(p: float, outcome: float) -> float:
    """Two-outcome Brier score (Good Judgment Open): 0 best, 2 worst."""
    return round((p - outcome) ** 2 + ((1 - p) - (1 - outcome)) ** 2, 6)


@dataclass
class Bucket:
    """Forecasts whose probability falls in one ICD 203 band, against how often they came true."""

    band: str
    low: float
    high: float
    n: int = 0
    mean_p: float = 0.0
    observed: float = 0.0


@dataclass
class HolderScore:
    holder: str
    forecasts: int = 0
    resolved: int = 0
    scored: int = 0
    brier: float | None = None
    buckets: list[Bucket] = field(default_factory=list)
    unscored: list[tuple[Entry, Resolution | None]] = field(default_factory=list)
    scored_rows: list[tuple[Entry, Resolution, float]] = field(default_factory=list)


ALL_HOLDERS = "(all holders)"


def _score(holder: str, rows: list[Entry], book: dict[str, Resolution]) -> HolderScore:
    hs = HolderScore(holder=holder, forecasts=len(rows))
    per_band: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for e in rows:
        res = book.get(e.id)
        if res is not None:
            hs.resolved += 1
        p = e.probability
        if p is None:
            hs.unscored.append((e, res))
            continue
        if res is None:
            continue
        o = OUTCOME_VALUE[res.outcome]
        b = brier(p, o)
        hs.scored_rows.append((e, res, b))
        per_band[band_of(p)].append((p, o))
    hs.scored = len(hs.scored_rows)
    if hs.scored:
        hs.brier = round(sum(b for _, _, b in hs.scored_rows) / hs.scored, 4)
    for name, lo, hi in ICD203_BANDS:
        pts = per_band.get(name, [])
        bucket = Bucket(band=name, low=lo, high=hi, n=len(pts))
        if pts:
            bucket.mean_p = round(sum(p for p, _ in pts) / len(pts), 4)
            bucket.observed = round(sum(o for _, o in pts) / len(pts), 4)
        hs.buckets.append(bucket)
    return hs


def scorecard(entries: Sequence[Entry], book: dict[str, Resolution], holder: str | None = None) -> list[HolderScore]:
    """Per holder (most resolved first), then all holders pooled."""
    groups: dict[str, list[Entry]] = defaultdict(list)
    for e in entries:
        if holder is None or holder.lower() in e.holder.lower():
            groups[e.holder].append(e)
    scores = [_score(h, rows, book) for h, rows in groups.items()]
    scores.sort(key=lambda s: (-s.resolved, -s.forecasts, s.holder))
    pooled = [e for rows in groups.values() for e in rows]
    if len(groups) > 1:
        scores.append(_score(ALL_HOLDERS, pooled, book))
    return scores


def mismatches(entries: Iterable[Entry], book: dict[str, Resolution]) -> list[str]:
    """Resolutions whose recorded words differ from the forecast now under that id (claims renumbered)."""
    out = []
    for e in entries:
        res = book.get(e.id)
        if res is not None and res.text is not None and res.text != e.text:
            out.append(f"{e.id} was resolved as {res.text!r} but now reads {e.text!r}; check the resolution")
    return out


def filter_entries(entries: Iterable[Entry], book: dict[str, Resolution], *, holder: str | None = None,
           state: Literal["open", "resolved"] | None = None) -> list[Entry]:
    """Filter ledger rows by holder (case-insensitive substring) and open/resolved state."""
    out = []
    for e in entries:
        if holder is not None and holder.lower() not in e.holder.lower():
            continue
        if state == "open" and e.id in book:
            continue
        if state == "resolved" and e.id not in book:
            continue
        out.append(e)
    return out


def plot_calibration(scores: Sequence[HolderScore], path: str | Path) -> Path:
    """A calibration plot (PNG or SVG by suffix): forecast probability against observed frequency per band."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path = Path(path)
    if path.suffix.lower() not in (".png", ".svg"):
        raise LedgerError(f"{path}: the plot is written as .png or .svg")
    fig, ax = plt.subplots(figsize=(6, 6))
    ax.plot([0, 1], [0, 1], linestyle="--", color="#888888", linewidth=1, label="perfect calibration")
    for name, lo, hi in ICD203_BANDS:
        ax.axvspan(lo, hi, alpha=0.04 if ICD203_BANDS.index((name, lo, hi)) % 2 else 0.09, color="#4477aa")
    markers = "osD^v<>ph*"
    plotted = 0
    for i, hs in enumerate(scores):
        pts = [b for b in hs.buckets if b.n]
        if not pts:
            continue
        plotted += 1
        ax.plot([b.mean_p for b in pts], [b.observed for b in pts], marker=markers[i % len(markers)],
                linestyle="-" if len(pts) > 1 else "none",
                label=f"{hs.holder} (n={hs.scored}, Brier {hs.brier:.3f})")
        for b in pts:
            ax.annotate(str(b.n), (b.mean_p, b.observed), textcoords="offset points", xytext=(5, 5), fontsize=8)
    ax.set_xlim(0, 1)
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel("forecast probability (midpoint of the estimate's range)")
    ax.set_ylabel("observed frequency (yes = 1, partial = 0.5, no = 0)")
    ax.set_title("Calibration by ICD 203 band" + ("" if plotted else " — nothing resolved yet"))
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format=path.suffix.lower().lstrip("."))
    plt.close(fig)
    return path
