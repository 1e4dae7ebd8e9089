"""The estimative lexicon: words of estimative probability mapped to ICD 203 bands and ranges.

The table lives in ``sitroom/data/estimative.tsv`` (its header documents every column and source).
This module loads it once and answers the questions the claims component asks: which entry does
this word belong to, and what does a negation that scopes over it turn it into.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources

#: The seven ICD 203 bands, lowest first, with their ranges (ICD 203, 2015, D.6.e(2)(a)).
ICD203_BANDS: tuple[tuple[str, float, float], ...] = (
    ("almost no chance", 0.01, 0.05),
    ("very unlikely", 0.05, 0.20),
    ("unlikely", 0.20, 0.45),
    ("roughly even chance", 0.45, 0.55),
    ("likely", 0.55, 0.80),
    ("very likely", 0.80, 0.95),
    ("almost certain", 0.95, 0.99),
)

#: A band and its mirror image: what "not <band>" means on the ICD 203 scale.
_MIRROR = {name: ICD203_BANDS[-1 - i][0] for i, (name, _, _) in enumerate(ICD203_BANDS)}

Kind = str  # probability | possibility | comparative | volition | capability | belief


@dataclass(frozen=True)
class Entry:
    """One row of the table."""

    phrase: str
    match: str
    kind: Kind
    band: str | None = None
    low: float | None = None
    high: float | None = None
    median: float | None = None
    direction: str | None = None
    source: str = ""

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(self.phrase.split())


@dataclass(frozen=True)
class Lexicon:
    """The table indexed by how the claims component matches it."""

    entries: tuple[Entry, ...]

    def by_match(self, match: str) -> dict[str, Entry]:
        return {e.phrase: e for e in self.entries if e.match == match}

    def phrases(self) -> dict[str, Entry]:
        return self.by_match("phrase")

    def words(self, match: str) -> frozenset[str]:
        return frozenset(e.phrase for e in self.entries if e.match == match)


def _float(value: str) -> float | None:
    value = value.strip()
    return float(value) if value else None


def _read(text: str) -> tuple[Entry, ...]:
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    rows = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    out = []
    for row in rows:
        out.append(Entry(
            phrase=row["phrase"].strip().lower(),
            match=row["match"].strip(),
            kind=row["kind"].strip(),
            band=row["band"].strip() or None,
            low=_float(row["low"]),
            high=_float(row["high"]),
            median=_float(row["median"]),
            direction=row["direction"].strip() or None,
            source=row["source"].strip(),
        ))
    return tuple(out)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The table shipped with sitroom, loaded once per process."""
    text = resources.files("sitroom.data").joinpath("estimative.tsv").read_text(encoding="utf-8")
    return Lexicon(_read(text))


def band_of(p: float) -> str:
    """The ICD 203 band a probability falls in (a boundary value goes to the upper band)."""
    for name, low, _high in reversed(ICD203_BANDS):
        if p >= low:
            return name
    return ICD203_BANDS[0][0]


def band_range(name: str) -> tuple[float, float] | None:
    return next(((lo, hi) for n, lo, hi in ICD203_BANDS if n == name), None)


def negate(entry: Entry) -> Entry:
    """What a negation scoping over the estimative word makes of it.

    ``not likely`` is ``unlikely``: the band is mirrored on the ICD 203 scale and the range becomes
    ``1-high .. 1-low``. A negated certainty ("not certain") is only "less than certain": no band,
    an upper bound. A negated comparative ("not less likely") leaves the chance where it was.
    Possibility ("not possible") is read as almost no chance. Labels (volition, belief) are kept:
    the caller records the negation as the claim's polarity instead.
    """
    if entry.kind == "comparative":
        return replace(entry, direction="same")
    if entry.kind == "possibility":
        lo, hi = band_range("almost no chance")  # type: ignore[misc]
        return replace(entry, kind="probability", band="almost no chance", low=lo, high=hi, median=None,
                       source="ICD203 (negated possibility read as \"almost no chance\")")
    if entry.kind != "probability" or entry.band is None:
        return entry
    if entry.band == "almost certain":
        return replace(entry, band=None, low=None, high=0.95, median=None,
                       source="negated certainty: less than ICD 203 \"almost certain\"")
    mirrored = _MIRROR[entry.band]
    lo = round(1 - entry.high, 4) if entry.high is not None else None
    hi = round(1 - entry.low, 4) if entry.low is not None else None
    return replace(entry, band=mirrored, low=lo, high=hi,
                   median=round(1 - entry.median, 4) if entry.median is not None else None,
                   source=f"{entry.source}; negated: mirrored band")


def midpoint(low: float | None, high: float | None) -> float | None:
    """The single probability a range stands for when it is scored (its midpoint)."""
    if low is None or high is None:
        return None
    return round((low + high) / 2, 4)
