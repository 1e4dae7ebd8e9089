"""Article identity: a normalised content hash (exact copies) and MinHash LSH (near-duplicates).

Why normalise before hashing: the same wire story arrives with curly or straight quotes, NBSPs,
different line wrapping and letter case; none of that makes it a different article.

Near-duplicates (syndicated copy with a new headline, an updated version with a paragraph added)
are found with datasketch's MinHash over word 5-shingles. The LSH bands are stored in the database
(`minhash_bands`) rather than held in memory, so detection survives restarts, works the same on
SQLite and PostgreSQL, and does not grow the ingest process with the corpus.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

NUM_PERM = 128
SHINGLE = 5
DEFAULT_THRESHOLD = 0.8  # estimated Jaccard at or above which an article is a near-duplicate
# LSH only proposes candidates; its bands are tuned for a lower similarity so that a pair at 0.8
# becomes a candidate 98.6% of the time (tuned for 0.8 itself, the S-curve's midpoint, it would
# miss 60% of them). Candidates are then checked against DEFAULT_THRESHOLD. Fixed for a store:
# the bands in the database were cut with it.
LSH_THRESHOLD = 0.6

_TRANSLATE = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2015": "-", "\u2212": "-",
    "\u00a0": " ", "\u200b": "", "\u00ad": "",
})
_WS = re.compile(r"\s+")
_WORD = re.compile(r"\w+", re.UNICODE)


def normalise(text: str) -> str:
    """NFKC, case-folded, typographic quotes and dashes unified, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE).casefold()
    return _WS.sub(" ", text).strip()


def content_hash(text: str) -> str:
    """sha256 of the normalised text: equal for copies that differ only in typography or spacing."""
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


def shingles(text: str, k: int = SHINGLE) -> set[bytes]:
    words = _WORD.findall(normalise(text))
    if len(words) < k:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i:i + k]).encode("utf-8") for i in range(len(words) - k + 1)}


def signature(text: str, num_perm: int = NUM_PERM) -> np.ndarray:
    """The MinHash signature (uint64 array) of the text's word shingles."""
    from datasketch import MinHash

    mh = MinHash(num_perm=num_perm)
    sh = shingles(text)
    if sh:
        mh.update_batch(list(sh))
    return mh.hashvalues.astype("<u8")


def to_bytes(sig: np.ndarray) -> bytes:
    return sig.astype("<u8").tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<u8")


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures."""
    if len(a) != len(b) or not len(a):
        return 0.0
    return float(np.count_nonzero(a == b)) / len(a)


@lru_cache(maxsize=8)
def lsh_ranges(threshold: float = LSH_THRESHOLD, num_perm: int = NUM_PERM) -> tuple[tuple[int, int], ...]:
    """(start, end) of each LSH band, with datasketch's optimal band/row split for `threshold`."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return tuple((int(s), int(e)) for s, e in lsh.hashranges)


def band_keys(sig: np.ndarray) -> list[tuple[int, int]]:
    """(band, key) pairs: two articles sharing any pair are near-duplicate candidates."""
    out = []
    for band, (s, e) in enumerate(lsh_ranges(LSH_THRESHOLD, len(sig))):
        digest = hashlib.blake2b(sig[s:e].tobytes(), digest_size=8).digest()
        out.append((band, int.from_bytes(digest, "little", signed=True)))
    return out


@dataclass(frozen=True)
class Fingerprint:
    """What identifies an article's content: computed where the analysis runs (a worker)."""

    content_hash: str
    minhash: bytes

    @classmethod
    def of(cls, text: str) -> Fingerprint:
        return cls(content_hash(text), to_bytes(signature(text)))
