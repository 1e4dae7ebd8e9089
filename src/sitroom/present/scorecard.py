"""The forecast scorecard of the web app and API: `sitroom.ledger`'s scoring over the stored corpus.

One scoring for the whole project: the ledger's (Good Judgment Open two-outcome Brier score,
ICD 203 calibration bands, probabilities for the proposition as written). This module only reads
the store through the ledger (`entries_from_analyses` + `StoreBook`) and turns its dataclasses
into JSON-ready models for the API schema.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from sitroom import ledger
from sitroom.store import Store


class BandScore(BaseModel):
    band: str
    low: float
    high: float
    n: int = 0
    mean_probability: float | None = None
    observed: float | None = None  # share that came true (partial counts half)


class HolderScore(BaseModel):
    holder: str
    forecasts: int = 0
    resolved: int = 0
    scored: int = 0
    brier: float | None = None
    bands: list[BandScore] = Field(default_factory=list)


class Scorecard(BaseModel):
    convention: str = ledger.BRIER_EXPLAINED
    overall: HolderScore | None = None  # every holder pooled
    holders: list[HolderScore] = Field(default_factory=list)


def _holder(s: ledger.HolderScore) -> HolderScore:
    return HolderScore(holder=s.holder, forecasts=s.forecasts, resolved=s.resolved, scored=s.scored, brier=s.brier,
                       bands=[BandScore(band=b.band, low=b.low, high=b.high, n=b.n,
                                        mean_probability=b.mean_p if b.n else None,
                                        observed=b.observed if b.n else None) for b in s.buckets])


def store_scorecard(store: Store) -> Scorecard:
    """Scores of every forecast in the corpus against the resolutions recorded in the store."""
    entries = ledger.entries_from_analyses(store.iter_analyses())
    scores = ledger.scorecard(entries, ledger.StoreBook(store).all())
    holders = [s for s in scores if s.holder != ledger.ALL_HOLDERS]
    pooled = next((s for s in scores if s.holder == ledger.ALL_HOLDERS), holders[0] if len(holders) == 1 else None)
    return Scorecard(overall=_holder(pooled) if pooled else None, holders=[_holder(s) for s in holders])
