"""The forecast scorecard: how well each holder's resolved forecasts turned out.

A forecast with a stated probability range scores by the Brier score of the range's midpoint
(0 is perfect, 0.25 is always saying even odds); the outcome counts 1 for yes, 0 for no, 0.5 for
partial. Forecasts without a probability are counted but not scored. The latest resolution of a
forecast is the one that counts.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from sitroom.store.views import ClaimRow

OUTCOME_VALUE = {"yes": 1.0, "no": 0.0, "partial": 0.5}


class HolderScore(BaseModel):
    holder: str
    holder_actor_id: int | None = None
    forecasts: int = 0
    resolved: int = 0
    scored: int = 0
    brier: float | None = None
    right_side: int = 0  # resolved forecasts whose probability was on the side of the outcome


class BandScore(BaseModel):
    band: str
    scored: int = 0
    mean_probability: float | None = None
    observed: float | None = None  # share of yes (partial counts half)


class Scorecard(BaseModel):
    forecasts: int = 0
    resolved: int = 0
    scored: int = 0
    brier: float | None = None
    holders: list[HolderScore] = Field(default_factory=list)
    bands: list[BandScore] = Field(default_factory=list)


def probability(c: ClaimRow) -> float | None:
    if c.likelihood_low is None or c.likelihood_high is None:
        return None
    p = (c.likelihood_low + c.likelihood_high) / 2
    return 1 - p if c.polarity == "negative" else p


def scorecard(claims: list[ClaimRow]) -> Scorecard:
    """Scores over the forecasts given (those with a resolution are scored)."""
    holders: dict[str, HolderScore] = {}
    bands: dict[str, list[tuple[float, float]]] = {}
    total_sq: list[float] = []
    card = Scorecard()
    for c in claims:
        if not c.forecast:
            continue
        name = c.holder_name or "(the article)"
        key = f"#{c.holder_actor_id}" if c.holder_actor_id is not None else "name:" + name.lower()
        h = holders.setdefault(key, HolderScore(holder=name, holder_actor_id=c.holder_actor_id))
        h.forecasts += 1
        card.forecasts += 1
        if not c.resolutions:
            continue
        outcome = OUTCOME_VALUE[c.resolutions[-1].outcome]
        h.resolved += 1
        card.resolved += 1
        p = probability(c)
        if p is None:
            continue
        sq = (p - outcome) ** 2
        h.scored += 1
        card.scored += 1
        h.brier = ((h.brier or 0.0) * (h.scored - 1) + sq) / h.scored
        total_sq.append(sq)
        if (p > 0.5 and outcome > 0.5) or (p < 0.5 and outcome < 0.5):
            h.right_side += 1
        bands.setdefault(c.likelihood_band or "unbanded", []).append((p, outcome))
    card.brier = sum(total_sq) / len(total_sq) if total_sq else None
    card.holders = sorted(holders.values(), key=lambda h: (-h.scored, -h.resolved, -h.forecasts, h.holder))
    card.bands = [BandScore(band=b, scored=len(v), mean_probability=sum(p for p, _ in v) / len(v),
                            observed=sum(o for _, o in v) / len(v))
                  for b, v in sorted(bands.items(), key=lambda kv: sum(p for p, _ in kv[1]) / len(kv[1]))]
    return card
