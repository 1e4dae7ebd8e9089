"""The JSON API under /api: the store's reads, the brief, the map points, analysis and two writes.

Every read answers with the store's view models (`sitroom.store.views`) or the brief's; the
OpenAPI schema documents them. Writes (`POST /api/claims/{id}/resolutions`, `POST /api/analyse`
with ``store``) need the token.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from pydantic import BaseModel, Field

from sitroom.ingest.reader import InputError, from_bytes
from sitroom.model import Analysis
from sitroom.present import queries
from sitroom.present.brief import Brief, Limits, assemble
from sitroom.present.geo import world_geojson
from sitroom.present.scorecard import Scorecard, store_scorecard
from sitroom.present.web.security import check_read, check_write
from sitroom.store import Store
from sitroom.store.views import (
    ActorDetail,
    ActorSummary,
    AddResult,
    ArticleDetail,
    ArticleSummary,
    ClaimRow,
    EventRow,
    Network,
    QuoteRow,
    ResolutionRow,
    SearchResults,
    Stats,
)

router = APIRouter(prefix="/api", tags=["api"], dependencies=[Depends(check_read)])

Limit = Annotated[int, Query(ge=1, le=500, description="At most this many rows.")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="Skip this many rows.")]
Text = Annotated[str | None, Query(max_length=500)]
WRITE_RESPONSES = {401: {"description": "No token sent"}, 403: {"description": "Wrong token, or writes disabled"}}
NOT_FOUND = {404: {"description": "No such item"}}
MAX_TEXT = 1_000_000  # characters accepted by POST /api/analyse


def utc(value):  # noqa: ANN001, ANN201
    """Mark naive datetimes as UTC, in place, through models and lists.

    The store writes UTC (`datetime.now(UTC)`), but SQLite hands timestamps back without their zone;
    the API promises RFC 3339 date-times, which need one.
    """
    if isinstance(value, list):
        for v in value:
            utc(v)
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            v = getattr(value, name)
            if isinstance(v, dt.datetime) and v.tzinfo is None:
                object.__setattr__(value, name, v.replace(tzinfo=dt.UTC))
            elif isinstance(v, BaseModel | list):
                utc(v)
    return value


def store_of(request: Request) -> Store:
    return request.app.state.store


StoreDep = Annotated[Store, Depends(store_of)]


@router.get("/stats", response_model=Stats)
def stats(store: StoreDep) -> Stats:
    """Counts of articles, actors, quotes, events, claims; the publication date range."""
    return store.stats()


@router.get("/search", response_model=SearchResults)
def search(store: StoreDep, q: Text = None, date_from: dt.date | None = None, date_to: dt.date | None = None,
           outlet: Text = None, actor: Text = None, event_type: Text = None, limit: Limit = 20,
           offset: Offset = 0) -> SearchResults:
    """Full-text search (words, "a phrase", OR, -word) with filters; snippets mark matches with [ ]."""
    return utc(store.search(q or None, date_from=date_from, date_to=date_to, outlet=outlet or None,
                            actor=actor or None, event_type=event_type or None, limit=limit, offset=offset))


@router.get("/articles", response_model=list[ArticleSummary])
def articles(store: StoreDep, limit: Limit = 50, offset: Offset = 0) -> list[ArticleSummary]:
    """Stored articles, newest first (near-duplicates left out)."""
    return utc(store.articles(limit=limit, offset=offset))


@router.get("/articles/{article_id}", response_model=ArticleDetail, responses=NOT_FOUND)
def article(store: StoreDep, article_id: int) -> ArticleDetail:
    """One article with its text (every offset in the API points into it)."""
    found = store.article(article_id)
    if found is None:
        raise HTTPException(404, f"no article {article_id}")
    return utc(found)


@router.get("/articles/{article_id}/analysis", response_model=Analysis, responses=NOT_FOUND)
def article_analysis(store: StoreDep, article_id: int) -> Analysis:
    """The full analysis of one article (the `sitroom schema` model)."""
    found = store.analysis(article_id)
    if found is None:
        raise HTTPException(404, f"no article {article_id}")
    return found


@router.get("/actors", response_model=list[ActorSummary])
def actors(store: StoreDep, q: Text = None, type: Text = None, limit: Limit = 50, offset: Offset = 0,
           order: Literal["articles", "mentions", "name"] = "articles") -> list[ActorSummary]:
    """Corpus actors, most reported first; `q` matches any of their names."""
    return store.actors(q or None, type=type or None, limit=limit, offset=offset, order=order)


@router.get("/actors/{actor_id}", response_model=ActorDetail, responses=NOT_FOUND)
def actor(store: StoreDep, actor_id: int) -> ActorDetail:
    """One actor: names, roles, articles, quotes, events as actor or target, co-occurring actors."""
    found = store.actor(actor_id)
    if found is None:
        raise HTTPException(404, f"no actor {actor_id}")
    return utc(found)


@router.get("/quotes", response_model=list[QuoteRow])
def quotes(store: StoreDep, speaker: Text = None, q: Text = None, article_id: int | None = None,
           date_from: dt.date | None = None, date_to: dt.date | None = None, limit: Limit = 100,
           offset: Offset = 0) -> list[QuoteRow]:
    """Who said what: quotes by speaker (a name or actor id), words in the quote, dates."""
    return store.quotes(speaker=speaker or None, query=q or None, article_id=article_id, date_from=date_from,
                        date_to=date_to, limit=limit, offset=offset)


@router.get("/events", response_model=list[EventRow])
def events(store: StoreDep, actor: Text = None, event_type: Text = None, article_id: int | None = None,
           date_from: dt.date | None = None, date_to: dt.date | None = None, limit: Limit = 200,
           offset: Offset = 0) -> list[EventRow]:
    """PLOVER events in date order; `actor` matches actor, target or place."""
    return store.timeline(actor=actor or None, event_type=event_type or None, article_id=article_id,
                          date_from=date_from, date_to=date_to, limit=limit, offset=offset)


@router.get("/claims", response_model=list[ClaimRow])
def claims(store: StoreDep, holder: Text = None, forecast: bool | None = None, resolved: bool | None = None,
           article_id: int | None = None, limit: Limit = 100, offset: Offset = 0) -> list[ClaimRow]:
    """Assessments and forecasts with their resolutions."""
    return utc(store.claims(holder=holder or None, forecast=forecast, resolved=resolved, article_id=article_id,
                            limit=limit, offset=offset))


class ResolutionIn(BaseModel):
    outcome: Literal["yes", "no", "partial"]
    resolved_on: dt.date | None = None
    note: str | None = Field(default=None, max_length=2000)


@router.post("/claims/{claim_id}/resolutions", response_model=ResolutionRow, status_code=201,
             responses={**WRITE_RESPONSES, **NOT_FOUND})
def resolve(request: Request, store: StoreDep, claim_id: int, body: ResolutionIn) -> ResolutionRow:
    """Record how a forecast turned out (needs the token)."""
    check_write(request)
    try:
        rid = store.add_resolution(claim_id, body.outcome, body.resolved_on, body.note)
    except KeyError:
        raise HTTPException(404, f"no claim {claim_id}") from None
    return utc(next(r for r in store.resolutions(claim_id) if r.id == rid))


@router.get("/scorecard", response_model=Scorecard)
def get_scorecard(store: StoreDep) -> Scorecard:
    """Brier scores of the resolved forecasts, by holder and by ICD 203 band (the forecast ledger's scoring)."""
    return store_scorecard(store)


@router.get("/network", response_model=Network)
def network(store: StoreDep, kind: Literal["events", "quotes", "cooccurrence"] = "events",
            min_weight: Annotated[int, Query(ge=1, le=10_000)] = 1, limit: Limit = 200) -> Network:
    """Actor graph: actor→target events, speaker→addressee quotes, or co-occurrence in articles."""
    return store.network(kind, min_weight=min_weight, limit=limit)


@router.get("/brief", response_model=Brief)
def brief(request: Request, store: StoreDep, topic: Text = None, actor: Text = None, since: dt.date | None = None,
          until: dt.date | None = None,
          max_articles: Annotated[int, Query(ge=1, le=1000)] = 300) -> Brief:
    """The situation brief as data (what `sitroom brief` renders)."""
    return assemble(store, topic=topic or None, actor=actor or None, since=since, until=until,
                    limits=Limits(articles=max_articles), now=request.app.state.now())


class EventRef(BaseModel):
    article_id: int
    start: int
    end: int
    type: str
    date: dt.date | None = None
    headline: str | None = None


class EventPoint(BaseModel):
    name: str
    latitude: float
    longitude: float
    count: int
    types: list[str] = Field(default_factory=list)
    events: list[EventRef] = Field(default_factory=list)


def event_points(store: Store, *, actor: str | None = None, event_type: str | None = None,
                 date_from: dt.date | None = None, date_to: dt.date | None = None,
                 limit: int = 5000) -> list[EventPoint]:
    points: dict[tuple[str, float, float], EventPoint] = {}
    rows = store.timeline(actor=actor, event_type=event_type, date_from=date_from, date_to=date_to, limit=limit)
    # an event whose place was not geocoded on the event itself may still be at a placed actor
    placed = queries.actor_coordinates(store, {e.location_actor_id for e in rows
                                               if e.latitude is None and e.location_actor_id is not None})
    for e in rows:
        lat, lon = e.latitude, e.longitude
        if (lat is None or lon is None) and e.location_actor_id in placed:
            lat, lon = placed[e.location_actor_id]
        if lat is None or lon is None:
            continue
        name = e.location_name or f"{lat:.2f}, {lon:.2f}"
        key = (name.lower(), round(lat, 3), round(lon, 3))
        p = points.setdefault(key, EventPoint(name=name, latitude=lat, longitude=lon, count=0))
        p.count += 1
        if e.type not in p.types:
            p.types.append(e.type)
        if len(p.events) < 20:
            p.events.append(EventRef(article_id=e.article_id, start=e.start, end=e.end, type=e.type, date=e.date,
                                     headline=e.headline))
    return sorted(points.values(), key=lambda p: (-p.count, p.name))


@router.get("/map", response_model=list[EventPoint])
def map_points(store: StoreDep, actor: Text = None, event_type: Text = None, date_from: dt.date | None = None,
               date_to: dt.date | None = None) -> list[EventPoint]:
    """Located events grouped by place, for the events map."""
    return event_points(store, actor=actor or None, event_type=event_type or None, date_from=date_from,
                        date_to=date_to)


@router.get("/world.geojson", response_class=Response,
            responses={200: {"content": {"application/geo+json": {}}, "description": "GeoJSON FeatureCollection"}})
def world() -> Response:
    """Country outlines (Natural Earth 110m, public domain) for the offline map."""
    return Response(world_geojson(), media_type="application/geo+json",
                    headers={"Cache-Control": "public, max-age=86400"})


class AnalyseIn(BaseModel):
    text: str = Field(min_length=1, max_length=MAX_TEXT, description="Plain text or HTML of one article.")
    published: dt.date | None = Field(default=None, description="Publication date (anchors relative dates).")
    store: bool = Field(default=False, description="Also store the analysis in the corpus (needs the token).")
    source: str | None = Field(default=None, max_length=500, description="A name for the input (path, URL).")


class AnalyseOut(BaseModel):
    analysis: Analysis
    stored: AddResult | None = None


@router.post("/analyse", response_model=AnalyseOut, responses={400: {"description": "Not a readable article"},
                                                                 **WRITE_RESPONSES})
def analyse(request: Request, store: StoreDep, body: AnalyseIn) -> AnalyseOut:
    """Analyse one article; with ``store`` also add it to the corpus (needs the token)."""
    if body.store:
        check_write(request)
    analysis = run_analysis(request, body.text.encode("utf-8"), body.source or "api", body.published)
    stored = store.add(analysis, source=body.source or None) if body.store else None
    return AnalyseOut(analysis=utc(analysis), stored=stored)


def run_analysis(request: Request, data: bytes, name: str, published: dt.date | None) -> Analysis:
    try:
        raw = from_bytes(data, name)
    except InputError as exc:
        raise HTTPException(400, str(exc)) from None
    return request.app.state.analyzer.analyze(raw, published)
