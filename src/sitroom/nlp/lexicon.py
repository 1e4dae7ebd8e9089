"""The attribution lexicon (`data/cue_verbs.txt`), loaded once."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def cue_lexicon() -> dict[tuple[str, str], str]:
    """(lemma, "verb"|"noun"|"medium") -> class; verbs map to speech/belief/report/stance."""
    out: dict[tuple[str, str], str] = {}
    text = resources.files("sitroom").joinpath("data/cue_verbs.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        lemma, _, cls = line.partition("\t")
        cls = cls.strip()
        part = cls if cls in ("noun", "medium") else "verb"
        out[(lemma.strip().lower(), part)] = cls
    return out


def verb_class(lemma: str) -> str | None:
    return cue_lexicon().get((lemma.lower(), "verb"))


def is_cue_noun(lemma: str) -> bool:
    return (lemma.lower(), "noun") in cue_lexicon()


def is_medium_noun(lemma: str) -> bool:
    return (lemma.lower(), "medium") in cue_lexicon()
