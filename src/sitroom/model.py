"""The analysis data model: the one contract between extraction and every consumer.

Everything sitroom says about an article is an `Analysis`. Every item that comes from the text
carries `start`/`end` character offsets into `Analysis.text` — which, for plain-text input, *is*
the exact input (HTML input: the text trafilatura rendered, see `Article.source_map`). A user can
always go back from a fact to the characters it came from: ``analysis.text[item.start:item.end]``.

Objects refer to each other by id (``"A3"`` for actors, ``"Q2"`` for quotes, ``"E1"`` for events,
``"T4"`` for times, ``"N5"`` for quantities, ``"C2"`` for claims) so the JSON stays flat and the
store can normalise it into tables without guessing.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class TextSpan(_Model):
    """A run of characters in `Analysis.text`; `text == Analysis.text[start:end]`."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str


# --------------------------------------------------------------------------- the article

FurnitureKind = Literal[
    "image_slug",
    "photo_credit",
    "caption",
    "ad_slot",
    "promo",
    "newsletter",
    "related_link",
    "share",
    "navigation",
    "byline",
    "dateline",
    "other",
]


class Furniture(TextSpan):
    """Page furniture: text on the page that is not part of the story."""

    kind: FurnitureKind
    reason: str = ""


class Paragraph(TextSpan):
    """A body paragraph; `source_start`/`source_end` point into the raw HTML where known."""

    source_start: int | None = None
    source_end: int | None = None


PublishedSource = Literal["override", "metadata", "dateline", "url", "slug", "text", "none"]


class Article(_Model):
    headline: TextSpan | None = None
    dek: TextSpan | None = None
    kicker: TextSpan | None = None
    section: TextSpan | None = None
    byline: TextSpan | None = None
    dateline: TextSpan | None = None
    published: dt.date | None = None
    published_source: PublishedSource = "none"
    outlet: str | None = None
    url: str | None = None
    language: str | None = None
    body: list[Paragraph] = Field(default_factory=list)
    furniture: list[Furniture] = Field(default_factory=list)

    @property
    def body_text(self) -> str:
        return "\n\n".join(p.text for p in self.body)


# --------------------------------------------------------------------------- actors

ActorType = Literal[
    "PERSON",
    "ORG",
    "GPE",
    "LOC",
    "FAC",
    "NORP",
    "MILITARY_UNIT",
    "MEDIA",
    "GOVERNMENT_BODY",
    "ALLIANCE",
    "GROUP",
]


class Role(TextSpan):
    """A title or affiliation the text gives an actor (`Russia military analyst`)."""

    label: str | None = None  # the role spelled out where the text inverts it: "secretary general of the CSTO"


class Mention(TextSpan):
    """One place the article names an actor; `kind` tells how."""

    kind: Literal["name", "alias", "acronym", "metonym", "pronoun", "nominal", "demonym"] = "name"
    in_body: bool = True


class Geo(_Model):
    country_code: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geonames_id: int | None = None
    feature: str | None = None  # country, city, admin1, region …


class Entity(_Model):
    """One real-world actor, all its names joined."""

    id: str
    name: str
    type: ActorType
    aliases: list[str] = Field(default_factory=list)
    roles: list[Role] = Field(default_factory=list)
    mentions: list[Mention] = Field(default_factory=list)
    geo: Geo | None = None
    sector: str | None = None  # government, military, media, civil society …
    country: str | None = None  # the country the actor belongs to, ISO alpha-2
    salience: float = 0.0


class ActorRef(_Model):
    """A pointer from a quote, event or claim to an actor, with the local mention."""

    name: str
    actor_id: str | None = None
    start: int | None = None
    end: int | None = None
    text: str | None = None
    role: str | None = None
    sector: str | None = None  # events: police, military, protesters, government … (Entity.sector or the noun)
    country: str | None = None  # events: ISO alpha-2 of the state the actor belongs to, where known


# --------------------------------------------------------------------------- who said what

QuoteKind = Literal["direct", "indirect"]


class Quote(TextSpan):
    """An attributed statement: the content is `text` (`start`/`end`), possibly in fragments."""

    id: str
    kind: QuoteKind
    fragments: list[TextSpan] = Field(default_factory=list)
    speaker: ActorRef | None = None
    cue: TextSpan | None = None
    addressee: ActorRef | None = None
    medium: str | None = None  # "statement", "interview with Kommersant", "briefing"
    belief: bool = False  # a stated belief (believes, thinks, expects) rather than speech
    confidence: float = 1.0


class MarkedPhrase(TextSpan):
    """A quoted phrase that is not an attribution: a scare quote, a title, a term."""

    kind: Literal["scare_quote", "title", "term"] = "scare_quote"


# --------------------------------------------------------------------------- times and numbers

TimeType = Literal["DATE", "TIME", "DURATION", "SET", "INTERVAL"]


class TimeExpr(TextSpan):
    """A time expression normalised against the publication date (TIMEX3-like)."""

    id: str
    type: TimeType = "DATE"
    value: str | None = None  # "2022-01-05", "2022-01-05/2022-01-06", "P3M", "FUTURE_REF"
    earliest: dt.date | None = None
    latest: dt.date | None = None
    vague: bool = False
    direction: Literal["past", "present", "future"] | None = None
    anchor: dt.date | None = None


class Quantity(TextSpan):
    id: str
    value: float | None = None
    value_low: float | None = None
    value_high: float | None = None
    approx: bool = False
    unit: str | None = None
    counts: str | None = None  # what is counted: troops, civilian deaths, people
    event_id: str | None = None


# --------------------------------------------------------------------------- events

EventStatus = Literal["happened", "ongoing", "planned", "threatened", "hypothetical", "denied"]


class Place(_Model):
    name: str
    actor_id: str | None = None
    start: int | None = None
    end: int | None = None
    geo: Geo | None = None


class Event(_Model):
    """A PLOVER event: who did what to whom, where and when, with its trigger and sentence."""

    id: str
    type: str
    mode: str | None = None
    trigger: TextSpan
    start: int
    end: int
    text: str
    sentence: TextSpan | None = None
    actor: ActorRef | None = None
    target: ActorRef | None = None
    # the other members of a compound actor ("X and Y sent troops": X's event lists Y) and the leader of an
    # "X-led" group
    co_actors: list[ActorRef] = Field(default_factory=list)
    # Compound actors and targets are coded as dyads, one event per actor and target (PETRARCH2/ICEWS/GDELT):
    # "X and Y sent forces to Z" is X→Z and Y→Z. The events read from one mention share trigger, sentence,
    # date and status, and carry the id of the first of them here; None for an event read alone.
    group: str | None = None
    # True where the text does not name the argument and a coding rule supplies it: unnamed demonstrators
    # ("protests erupted") are "protesters"; a protest with no stated target is aimed at the government of
    # the country where it happens (ACLED/PLOVER practice); the target of a response to "the request" / "the
    # offer" is whoever made the last one the article reported. An implied argument's offsets, when it has any,
    # point at the words it was inferred from (the place, "the request"), not at a mention of the argument.
    actor_implied: bool = False
    target_implied: bool = False
    # what a protest is about when that is not an actor: "against the closure of the harbour", "over fuel prices"
    issue: TextSpan | None = None
    location: Place | None = None
    when: str | None = None  # the resolved date or interval (TimeExpr.value)
    time_id: str | None = None
    status: EventStatus = "happened"
    quantity_ids: list[str] = Field(default_factory=list)
    source: ActorRef | None = None  # None: the article itself
    quote_id: str | None = None
    confidence: float = 1.0


# --------------------------------------------------------------------------- claims

LikelihoodKind = Literal["probability", "comparative", "volition", "capability", "belief", "possibility"]


class Likelihood(_Model):
    phrase: str
    start: int | None = None
    end: int | None = None
    kind: LikelihoodKind = "probability"
    band: str | None = None  # ICD 203 band: "likely", "very unlikely" …
    low: float | None = None  # probability range, 0..1
    high: float | None = None
    direction: Literal["more", "less", "same"] | None = None
    source: str | None = None  # where the numeric range comes from (ICD 203, survey …)
    negated: bool = False


class Claim(TextSpan):
    """An assessment or forecast: who expects what, how sure, by when."""

    id: str
    holder: ActorRef | None = None  # None: the article itself
    polarity: Literal["positive", "negative"] = "positive"
    forecast: bool = False
    horizon: TimeExpr | None = None
    conditions: list[TextSpan] = Field(default_factory=list)
    likelihood: Likelihood | None = None
    confidence: str | None = None  # the holder's stated confidence in their sourcing
    quote_id: str | None = None
    event_ids: list[str] = Field(default_factory=list)


# --------------------------------------------------------------------------- the whole

class Source(_Model):
    """Where the input came from and what it was."""

    kind: Literal["text", "html", "json", "warc", "feed"] = "text"
    path: str | None = None
    url: str | None = None
    sha256: str | None = None
    length: int = 0


class Provenance(_Model):
    sitroom_version: str
    schema_version: str = SCHEMA_VERSION
    model: str
    timings: dict[str, float] = Field(default_factory=dict)
    created: dt.datetime | None = None


class Analysis(_Model):
    """Everything sitroom read in one article."""

    text: str
    source: Source = Field(default_factory=Source)
    article: Article = Field(default_factory=Article)
    entities: list[Entity] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    marked_phrases: list[MarkedPhrase] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    quantities: list[Quantity] = Field(default_factory=list)
    times: list[TimeExpr] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    provenance: Provenance

    def entity(self, actor_id: str | None) -> Entity | None:
        return next((e for e in self.entities if e.id == actor_id), None)


def json_schema() -> dict:
    """The JSON Schema of `Analysis`, as `sitroom schema` prints it."""
    return Analysis.model_json_schema()
