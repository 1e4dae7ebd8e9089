"""What the store's queries return: small pydantic models (JSON-ready for the web app and exports)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Row(BaseModel):
    model_config = ConfigDict(from_attributes=True)


AddStatus = Literal["added", "duplicate", "near_duplicate", "version", "unchanged"]


class AddResult(_Row):
    """The outcome of storing one article.

    added: a new original; duplicate: an exact copy of a stored article (a new source of it);
    near_duplicate / version: stored and linked to its original (facts not counted again);
    unchanged: this very input was stored before — nothing changed.
    """

    status: AddStatus
    article_id: int
    duplicate_of: int | None = None
    similarity: float | None = None


class ArticleSummary(_Row):
    id: int
    url: str | None = None
    source: str | None = None
    source_kind: str = "text"
    headline: str | None = None
    outlet: str | None = None
    published: dt.date | None = None
    length: int = 0
    n_actors: int = 0
    n_quotes: int = 0
    n_events: int = 0
    n_claims: int = 0
    duplicate_of: int | None = None
    duplicate_kind: str | None = None
    similarity: float | None = None
    ingested_at: dt.datetime | None = None


class SearchHit(ArticleSummary):
    score: float | None = None  # higher is better
    snippet: str | None = None  # matching words between the `marks` given to `search`


class SearchResults(_Row):
    total: int
    hits: list[SearchHit] = Field(default_factory=list)


class ArticleDetail(ArticleSummary):
    text: str
    dek: str | None = None
    byline: str | None = None
    section: str | None = None
    language: str | None = None
    warnings: list[str] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)  # every input that resolved to this article
    duplicates: list[int] = Field(default_factory=list)  # near-duplicates and versions linked to it


class ActorSummary(_Row):
    id: int
    name: str
    type: str
    kind: str
    aliases: list[str] = Field(default_factory=list)
    article_count: int = 0
    mention_count: int = 0
    first_seen: dt.date | None = None
    last_seen: dt.date | None = None
    country: str | None = None
    sector: str | None = None


class RoleCount(_Row):
    text: str
    count: int


class CoActor(_Row):
    id: int
    name: str
    type: str
    articles: int  # articles naming both


class QuoteRow(_Row):
    id: int
    article_id: int
    local_id: str
    kind: str
    text: str
    start: int
    end: int
    speaker_actor_id: int | None = None
    speaker_name: str | None = None
    speaker_role: str | None = None
    cue: str | None = None
    addressee_actor_id: int | None = None
    addressee_name: str | None = None
    medium: str | None = None
    belief: bool = False
    confidence: float = 1.0
    headline: str | None = None
    published: dt.date | None = None
    url: str | None = None


class EventRow(_Row):
    id: int
    article_id: int
    local_id: str
    type: str
    mode: str | None = None
    status: str
    text: str
    start: int
    end: int
    trigger: str
    actor_actor_id: int | None = None
    actor_name: str | None = None
    target_actor_id: int | None = None
    target_name: str | None = None
    location_actor_id: int | None = None
    location_name: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    when: str | None = None
    date: dt.date | None = None  # when it happened if the text says, else the article's date
    date_earliest: dt.date | None = None
    date_latest: dt.date | None = None
    headline: str | None = None
    published: dt.date | None = None
    url: str | None = None


class ResolutionRow(_Row):
    id: int
    claim_id: int
    outcome: Literal["yes", "no", "partial"]
    resolved_on: dt.date | None = None
    note: str | None = None
    created_at: dt.datetime | None = None


class ClaimRow(_Row):
    id: int
    article_id: int
    local_id: str
    text: str
    start: int
    end: int
    holder_actor_id: int | None = None
    holder_name: str | None = None
    polarity: str = "positive"
    forecast: bool = False
    horizon_value: str | None = None
    horizon_earliest: dt.date | None = None
    horizon_latest: dt.date | None = None
    likelihood_phrase: str | None = None
    likelihood_band: str | None = None
    likelihood_low: float | None = None
    likelihood_high: float | None = None
    headline: str | None = None
    published: dt.date | None = None
    url: str | None = None
    resolutions: list[ResolutionRow] = Field(default_factory=list)


class ActorDetail(ActorSummary):
    roles: list[RoleCount] = Field(default_factory=list)
    articles: list[ArticleSummary] = Field(default_factory=list)
    quotes: list[QuoteRow] = Field(default_factory=list)
    events: list[EventRow] = Field(default_factory=list)
    co_actors: list[CoActor] = Field(default_factory=list)


class NetworkNode(_Row):
    id: int
    name: str
    type: str
    article_count: int = 0


class NetworkEdge(_Row):
    source: int
    target: int
    weight: int
    types: list[str] = Field(default_factory=list)  # event types on an event edge


class Network(_Row):
    kind: Literal["cooccurrence", "events", "quotes"]
    nodes: list[NetworkNode] = Field(default_factory=list)
    edges: list[NetworkEdge] = Field(default_factory=list)


class FailureRow(_Row):
    id: int
    source: str
    stage: str
    reason: str
    attempts: int = 1
    first_failed: dt.datetime | None = None
    last_failed: dt.datetime | None = None


class Problem(_Row):
    """One integrity problem found by `Store.check`."""

    check: str
    message: str
    article_id: int | None = None


class Stats(_Row):
    articles: int = 0
    originals: int = 0
    duplicates: int = 0
    sources: int = 0
    actors: int = 0
    quotes: int = 0
    events: int = 0
    claims: int = 0
    forecasts: int = 0
    failures: int = 0
    first_published: dt.date | None = None
    last_published: dt.date | None = None
