"""Read-only queries the brief and the web app need beyond the `Store` API.

They read the store's tables (`sitroom.store.schema`) through its engine and never write. Kept
here, not in the store, so the presentation layer can ask for exactly the joins it needs (local
actor ids → corpus actors, claim ids by article, article headers by id) without widening the
store's public API for one consumer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from sqlalchemy import func, select

from sitroom.store import Store
from sitroom.store import schema as s
from sitroom.store.views import ArticleSummary, ResolutionRow

A = s.articles
_CHUNK = 500  # keeps IN lists well under SQLite's parameter limit


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    ids = list(dict.fromkeys(ids))
    for i in range(0, len(ids), _CHUNK):
        yield ids[i:i + _CHUNK]


def select_articles(store: Store, *, topic: str | None = None, actor: str | None = None,
                    since: dt.date | None = None, until: dt.date | None = None, limit: int = 500) -> list[int]:
    """Ids of the original articles a brief covers: full-text `topic`, an `actor`, a date range.

    Best matches first when there is a topic, else newest first; at most `limit`.
    """
    ids: list[int] = []
    page = min(limit, 200)
    while len(ids) < limit:
        res = store.search(topic or None, date_from=since, date_to=until, actor=actor or None,
                           limit=min(page, limit - len(ids)), offset=len(ids))
        ids.extend(h.id for h in res.hits)
        if not res.hits or len(ids) >= res.total:
            break
    return ids


def article_summaries(store: Store, article_ids: Sequence[int]) -> dict[int, ArticleSummary]:
    cols = [A.c.id, A.c.url, A.c.source, A.c.source_kind, A.c.headline, A.c.outlet, A.c.published, A.c.length,
            A.c.n_actors, A.c.n_quotes, A.c.n_events, A.c.n_claims, A.c.duplicate_of, A.c.duplicate_kind,
            A.c.similarity, A.c.ingested_at]
    out: dict[int, ArticleSummary] = {}
    with store.engine.connect() as conn:
        for chunk in _chunks(article_ids):
            for row in conn.execute(select(*cols).where(A.c.id.in_(chunk))).mappings():
                out[row["id"]] = ArticleSummary(**row)
    return out


def corpus_actor_ids(store: Store, article_ids: Sequence[int]) -> dict[tuple[int, str], int]:
    """(article id, local actor id "A3") → corpus actor id."""
    t = s.article_actors
    out: dict[tuple[int, str], int] = {}
    with store.engine.connect() as conn:
        for chunk in _chunks(article_ids):
            q = select(t.c.article_id, t.c.local_id, t.c.actor_id).where(t.c.article_id.in_(chunk))
            for row in conn.execute(q):
                out[(row.article_id, row.local_id)] = row.actor_id
    return out


def actor_names(store: Store, actor_ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """Corpus actor id → (canonical name, type)."""
    t = s.actors
    out: dict[int, tuple[str, str]] = {}
    with store.engine.connect() as conn:
        for chunk in _chunks(actor_ids):
            for row in conn.execute(select(t.c.id, t.c.name, t.c.type).where(t.c.id.in_(chunk))):
                out[row.id] = (row.name, row.type)
    return out


def actor_coordinates(store: Store, actor_ids: Iterable[int]) -> dict[int, tuple[float, float]]:
    """Corpus actor id → (latitude, longitude), for the actors the gazetteer placed."""
    t = s.actors
    out: dict[int, tuple[float, float]] = {}
    with store.engine.connect() as conn:
        for chunk in _chunks(actor_ids):
            q = select(t.c.id, t.c.latitude, t.c.longitude).where(t.c.id.in_(chunk), t.c.latitude.is_not(None),
                                                                  t.c.longitude.is_not(None))
            for row in conn.execute(q):
                out[row.id] = (row.latitude, row.longitude)
    return out


def claim_ids(store: Store, article_ids: Sequence[int]) -> dict[tuple[int, str], int]:
    """(article id, local claim id "C2") → stored claim id (what resolutions point at)."""
    t = s.claims
    out: dict[tuple[int, str], int] = {}
    with store.engine.connect() as conn:
        for chunk in _chunks(article_ids):
            for row in conn.execute(select(t.c.article_id, t.c.local_id, t.c.id).where(t.c.article_id.in_(chunk))):
                out[(row.article_id, row.local_id)] = row.id
    return out


def resolutions_by_claim(store: Store, ids: Iterable[int]) -> dict[int, list[ResolutionRow]]:
    t = s.forecast_resolutions
    out: dict[int, list[ResolutionRow]] = {}
    with store.engine.connect() as conn:
        for chunk in _chunks(ids):
            for row in conn.execute(select(t).where(t.c.claim_id.in_(chunk)).order_by(t.c.id)).mappings():
                out.setdefault(row["claim_id"], []).append(ResolutionRow(**row))
    return out


def claim_location(store: Store, claim_id: int) -> tuple[int, int, int] | None:
    """(article id, start, end) of a stored claim, or None."""
    t = s.claims
    with store.engine.connect() as conn:
        row = conn.execute(select(t.c.article_id, t.c.start, t.c.end).where(t.c.id == claim_id)).first()
    return (row.article_id, row.start, row.end) if row else None


def outlets(store: Store, limit: int = 200) -> list[str]:
    """Outlets in the corpus, most articles first (for the search filter)."""
    with store.engine.connect() as conn:
        q = (select(A.c.outlet, func.count().label("n")).where(A.c.outlet.is_not(None), A.c.duplicate_of.is_(None))
             .group_by(A.c.outlet).order_by(func.count().desc(), A.c.outlet).limit(limit))
        return [r.outlet for r in conn.execute(q)]


def event_types(store: Store) -> list[str]:
    """PLOVER event types present in the corpus, most frequent first."""
    e = s.events
    with store.engine.connect() as conn:
        q = select(e.c.type, func.count().label("n")).group_by(e.c.type).order_by(func.count().desc(), e.c.type)
        return [r.type for r in conn.execute(q)]
