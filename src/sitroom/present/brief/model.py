"""The `Brief`: a situation report as data, every line carrying the source it came from.

The assembler (`assemble.py`) fills it from the store; the renderers (`render.py`) only lay it
out. Nothing in here is written by a model: each field is an extracted fact, a count, or a sort
of them, and each `SourceRef` points at an article and the characters the fact was read from.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field


class SourceRef(BaseModel):
    """Where a statement comes from: an article and a character span of its text."""

    article_id: int
    start: int
    end: int
    headline: str | None = None
    outlet: str | None = None
    published: dt.date | None = None

    @property
    def anchor(self) -> str:
        return f"/articles/{self.article_id}?hl={self.start}-{self.end}#s{self.start}"

    @property
    def label(self) -> str:
        bits = [self.outlet or f"article {self.article_id}"]
        if self.published:
            bits.append(self.published.isoformat())
        return ", ".join(bits)


class ActorRefOut(BaseModel):
    """A corpus actor as the brief names it (id None: not resolved to a corpus actor)."""

    id: int | None = None
    name: str


class RoleOut(BaseModel):
    text: str
    count: int = 1
    ref: SourceRef | None = None


class BriefActor(BaseModel):
    id: int
    name: str
    type: str
    salience: float  # summed over the covered articles
    articles: int
    mentions: int
    roles: list[RoleOut] = Field(default_factory=list)
    aliases: list[str] = Field(default_factory=list)
    ref: SourceRef | None = None  # its first mention


RelationKind = Literal["acts_on", "speaks_about", "speaks_to"]


class Relation(BaseModel):
    """Who acts on whom (events) or speaks about / to whom (quotes)."""

    kind: RelationKind
    source: ActorRefOut
    target: ActorRefOut
    count: int
    types: list[str] = Field(default_factory=list)  # PLOVER types of the events on an acts_on edge
    refs: list[SourceRef] = Field(default_factory=list)


class TimelineEntry(BaseModel):
    date: dt.date | None = None
    date_latest: dt.date | None = None
    dated_by: Literal["text", "published", "none"] = "none"  # the text dates the event, or the article does
    when: str | None = None
    type: str
    mode: str | None = None
    status: str = "happened"
    trigger: str
    actor: ActorRefOut | None = None
    target: ActorRefOut | None = None
    place: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    numbers: list[str] = Field(default_factory=list)
    sentence: str
    refs: list[SourceRef] = Field(default_factory=list)  # one per article reporting it


class QuoteOut(BaseModel):
    text: str
    kind: str
    cue: str | None = None
    addressee: str | None = None
    belief: bool = False
    ref: SourceRef
    also: list[SourceRef] = Field(default_factory=list)  # other articles repeating the same words


class SpeakerQuotes(BaseModel):
    speaker: ActorRefOut
    roles: list[str] = Field(default_factory=list)
    total: int
    quotes: list[QuoteOut] = Field(default_factory=list)


class ResolutionOut(BaseModel):
    outcome: str
    resolved_on: dt.date | None = None
    note: str | None = None


class ClaimOut(BaseModel):
    claim_id: int | None = None  # the stored claim's id (for resolving it)
    text: str
    holder: ActorRefOut | None = None  # None: the article itself
    holder_role: str | None = None
    polarity: str = "positive"
    forecast: bool = False
    likelihood: str | None = None  # the phrase as written
    band: str | None = None  # ICD 203 band
    low: float | None = None
    high: float | None = None
    horizon: str | None = None  # as written
    horizon_value: str | None = None
    horizon_date: dt.date | None = None
    conditions: list[str] = Field(default_factory=list)
    resolutions: list[ResolutionOut] = Field(default_factory=list)
    ref: SourceRef


class ContradictionItem(BaseModel):
    value: str  # as written: "around 2,500", "March 3"
    low: float | None = None
    high: float | None = None
    source: str  # who reports it: a speaker, else the outlet
    context: str  # the sentence
    ref: SourceRef


ContradictionKind = Literal["quantity", "date", "claim"]


class Contradiction(BaseModel):
    kind: ContradictionKind
    subject: str  # "troops (Morland)", "Estavia attack Morland", the proposition
    items: list[ContradictionItem] = Field(default_factory=list)


class MapPoint(BaseModel):
    name: str
    latitude: float
    longitude: float
    count: int
    types: list[str] = Field(default_factory=list)
    refs: list[SourceRef] = Field(default_factory=list)


class ArticleOut(BaseModel):
    id: int
    headline: str | None = None
    outlet: str | None = None
    published: dt.date | None = None
    url: str | None = None


class BriefFilters(BaseModel):
    topic: str | None = None
    actor: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None


class Brief(BaseModel):
    title: str
    generated: dt.datetime
    filters: BriefFilters
    first_published: dt.date | None = None
    last_published: dt.date | None = None
    articles: list[ArticleOut] = Field(default_factory=list)
    actors: list[BriefActor] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)
    timeline: list[TimelineEntry] = Field(default_factory=list)
    speakers: list[SpeakerQuotes] = Field(default_factory=list)
    assessments: list[ClaimOut] = Field(default_factory=list)
    forecasts: list[ClaimOut] = Field(default_factory=list)
    contradictions: list[Contradiction] = Field(default_factory=list)
    places: list[MapPoint] = Field(default_factory=list)
    truncated: bool = False  # more articles matched than the brief read

    @property
    def empty(self) -> bool:
        return not self.articles
