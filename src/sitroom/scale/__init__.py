"""Running the analysis at scale: worker processes on one machine, or Ray Data on a cluster.

`ingest(specs, store, workers=…, engine="local"|"ray")` reads the inputs, skips what the store
already holds, analyses the rest in parallel (each worker loads the spaCy model once) and writes
every article into the store in its own transaction. See `sitroom.scale.runner`.
"""

from sitroom.scale.runner import IngestSummary, ingest

__all__ = ["IngestSummary", "ingest"]
