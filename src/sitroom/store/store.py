"""`Store`: the corpus API — write analysed articles, query them back.

One class for every consumer (the ingest runner, the CLI, the web app, the claims ledger, the
reliability suite). It hides the dialect: the same calls work on SQLite and PostgreSQL.

    store = Store("corpus.db")                # or Store() → $SITROOM_DB or ./sitroom.db
    store.add(analysis, source="wire/0001.txt")
    store.search("ceasefire", actor="Russia", date_from=date(2022, 1, 1))
    store.quotes(speaker="Kofman"); store.timeline(actor="Russia")
    store.actor(12)                           # aliases, roles, quotes, events, co-occurring actors
    store.network("cooccurrence")
    store.check()                             # integrity problems, [] when all is well

Reads return pydantic models from `sitroom.store.views`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator, Sequence
from typing import Literal

from sqlalchemy import (
    Engine,
    Select,
    and_,
    bindparam,
    column,
    exists,
    func,
    insert,
    literal_column,
    or_,
    select,
    table,
)
from sqlalchemy.exc import DatabaseError, IntegrityError

from sitroom.model import Analysis
from sitroom.store import dedup, fts, write
from sitroom.store import schema as s
from sitroom.store.actors import name_key
from sitroom.store.db import StoreError, make_engine, migrate, resolve_url
from sitroom.store.views import (
    ActorDetail,
    ActorSummary,
    AddResult,
    ArticleDetail,
    ArticleSummary,
    ClaimRow,
    CoActor,
    EventRow,
    FailureRow,
    Network,
    NetworkEdge,
    NetworkNode,
    Problem,
    QuoteRow,
    ResolutionRow,
    RoleCount,
    SearchHit,
    SearchResults,
    Stats,
)

A = s.articles
_SUMMARY_COLS = [A.c.id, A.c.url, A.c.source, A.c.source_kind, A.c.headline, A.c.outlet, A.c.published, A.c.length,
                 A.c.n_actors, A.c.n_quotes, A.c.n_events, A.c.n_claims, A.c.duplicate_of, A.c.duplicate_kind,
                 A.c.similarity, A.c.ingested_at]


class Store:
    """A corpus in one database (SQLite file or PostgreSQL URL); migrated to the current schema on open."""

    def __init__(self, db: str | None = None, *, migrate_schema: bool = True,
                 near_duplicate_threshold: float = dedup.DEFAULT_THRESHOLD, engine: Engine | None = None) -> None:
        self.url = resolve_url(db) if engine is None else str(engine.url)
        self.engine = engine or make_engine(self.url)
        self.threshold = near_duplicate_threshold
        if migrate_schema:
            try:
                migrate(self.engine)
            except DatabaseError as exc:
                raise StoreError(f"cannot open the database {self.engine.url.render_as_string()}: {exc.orig}") from None

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ========================================================================= writing
    def add(self, analysis: Analysis, *, source: str | None = None, source_kind: str | None = None,
            sha256: str | None = None, fingerprint: dedup.Fingerprint | None = None,
            analysis_json: str | None = None) -> AddResult:
        """Store one analysed article in its own transaction (all of it, or nothing).

        `source` names the input (path, URL, ``file.jsonl#12``); `sha256` is the raw input's hash
        (`RawDocument.sha256`) that lets a rerun skip the input unread; `fingerprint` may be
        computed by the worker that ran the analysis, and `analysis_json` the analysis as the worker
        serialised it (saves serialising it again). Re-adding the same input returns ``unchanged``
        and writes nothing.
        """
        source = source or analysis.source.path or analysis.source.url
        sha256 = sha256 or analysis.source.sha256 or hashlib.sha256(analysis.text.encode("utf-8")).hexdigest()
        source = source or f"sha256:{sha256}"
        source_kind = source_kind or analysis.source.kind
        fingerprint = fingerprint or dedup.Fingerprint.of(write.fingerprint_text(analysis))
        for attempt in range(3):
            try:
                with self.engine.begin() as conn:
                    return write.add_article(conn, analysis, source=source, source_kind=source_kind, sha256=sha256,
                                             fingerprint=fingerprint, threshold=self.threshold,
                                             analysis_json=analysis_json)
            except IntegrityError:
                # another writer stored the same article between our check and our insert: retry,
                # and the retry finds it
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def known_source(self, sha256: str, source: str | None = None) -> tuple[int, bool] | None:
        """(article id, this exact source seen) if a raw input with this hash was stored, else None."""
        with self.engine.connect() as conn:
            return write.source_article(conn, sha256, source)

    def known_sources(self, sha256s: Sequence[str]) -> dict[str, tuple[int, set[str]]]:
        """Batch form of `known_source`: sha256 → (article id, the sources seen with it)."""
        out: dict[str, tuple[int, set[str]]] = {}
        if not sha256s:
            return out
        t = s.article_sources
        with self.engine.connect() as conn:
            q = select(t.c.sha256, t.c.article_id, t.c.source).where(t.c.sha256.in_(list(sha256s)))
            for row in conn.execute(q):
                out.setdefault(row.sha256, (row.article_id, set()))[1].add(row.source)
        return out

    def add_source(self, article_id: int, source: str, kind: str, sha256: str) -> None:
        """Record another input that resolved to a stored article (an exact copy)."""
        with self.engine.begin() as conn:
            write.add_source(conn, article_id, source, kind, sha256)
            write.clear_failure(conn, source)

    def record_failure(self, source: str, reason: str, stage: str = "analyse") -> None:
        """Keep an input that could not be read, analysed or stored (one row per source)."""
        with self.engine.begin() as conn:
            write.record_failure(conn, source, reason, stage)

    def add_resolution(self, claim_id: int, outcome: Literal["yes", "no", "partial"],
                       resolved_on: dt.date | None = None, note: str | None = None) -> int:
        """Record how a forecast (a stored claim) turned out; returns the resolution's id."""
        if outcome not in ("yes", "no", "partial"):
            raise ValueError(f"outcome must be yes, no or partial, not {outcome!r}")
        with self.engine.begin() as conn:
            if conn.execute(select(s.claims.c.id).where(s.claims.c.id == claim_id)).first() is None:
                raise KeyError(f"no claim {claim_id}")
            return conn.execute(insert(s.forecast_resolutions).values(
                claim_id=claim_id, outcome=outcome, resolved_on=resolved_on, note=note, created_at=write.now(),
            ).returning(s.forecast_resolutions.c.id)).scalar_one()

    def delete_resolution(self, resolution_id: int) -> bool:
        with self.engine.begin() as conn:
            t = s.forecast_resolutions
            return conn.execute(t.delete().where(t.c.id == resolution_id)).rowcount > 0

    # ========================================================================= articles
    def article(self, article_id: int) -> ArticleDetail | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(*_SUMMARY_COLS, A.c.text, A.c.dek, A.c.byline, A.c.section, A.c.language,
                                      A.c.warnings).where(A.c.id == article_id)).mappings().first()
            if row is None:
                return None
            sources = [r[0] for r in conn.execute(select(s.article_sources.c.source)
                                                  .where(s.article_sources.c.article_id == article_id)
                                                  .order_by(s.article_sources.c.id))]
            dups = [r[0] for r in conn.execute(select(A.c.id).where(A.c.duplicate_of == article_id).order_by(A.c.id))]
        data = dict(row)
        data["warnings"] = json.loads(data["warnings"]) if data["warnings"] else []
        return ArticleDetail(**data, sources=sources, duplicates=dups)

    def analysis(self, article_id: int) -> Analysis | None:
        """The full stored `Analysis` of an article."""
        with self.engine.connect() as conn:
            raw = conn.execute(select(A.c.analysis).where(A.c.id == article_id)).scalar()
        return Analysis.model_validate_json(raw) if raw else None

    def iter_analyses(self, *, include_duplicates: bool = False, batch_size: int = 200,
                      article_ids: Sequence[int] | None = None) -> Iterator[tuple[int, Analysis]]:
        """Every stored analysis as (article id, Analysis), in id order, streamed in batches."""
        last = 0
        while True:
            q = select(A.c.id, A.c.analysis).where(A.c.id > last).order_by(A.c.id).limit(batch_size)
            if not include_duplicates:
                q = q.where(A.c.duplicate_of.is_(None))
            if article_ids is not None:
                q = q.where(A.c.id.in_(list(article_ids)))
            with self.engine.connect() as conn:
                rows = conn.execute(q).all()
            if not rows:
                return
            for row in rows:
                yield row.id, Analysis.model_validate_json(row.analysis)
            last = rows[-1].id

    def articles(self, *, limit: int = 50, offset: int = 0, include_duplicates: bool = False) -> list[ArticleSummary]:
        q = (select(*_SUMMARY_COLS).order_by(A.c.published.desc().nulls_last(), A.c.id.desc())
             .limit(limit).offset(offset))
        if not include_duplicates:
            q = q.where(A.c.duplicate_of.is_(None))
        with self.engine.connect() as conn:
            return [ArticleSummary(**r) for r in conn.execute(q).mappings()]

    def search(self, query: str | None = None, *, date_from: dt.date | None = None, date_to: dt.date | None = None,
               outlet: str | None = None, actor: str | int | None = None, event_type: str | None = None,
               include_duplicates: bool = False, limit: int = 20, offset: int = 0,
               marks: tuple[str, str] = ("[", "]")) -> SearchResults:
        """Full-text search with filters; without a query, the filtered articles newest first.

        `query` uses web-search syntax (words, "a phrase", OR, -word). `actor` is a name (any alias)
        or a corpus actor id; `event_type` a PLOVER type. Hits carry a snippet with the matches
        between `marks`.
        """
        filters = []
        if not include_duplicates:
            filters.append(A.c.duplicate_of.is_(None))
        if date_from:
            filters.append(A.c.published >= date_from)
        if date_to:
            filters.append(A.c.published <= date_to)
        if outlet:
            filters.append(func.lower(A.c.outlet) == outlet.lower())
        if event_type:
            filters.append(exists().where(s.events.c.article_id == A.c.id,
                                          func.lower(s.events.c.type) == event_type.lower()))
        with self.engine.connect() as conn:
            if actor is not None:
                ids = self._actor_ids(conn, actor)
                filters.append(exists().where(s.article_actors.c.article_id == A.c.id,
                                              s.article_actors.c.actor_id.in_(ids or [-1])))
            parts = fts.parse_query(query) if query else []
            if query and not any(op != "not" for op, _ in parts):
                return SearchResults(total=0)
            if not parts:
                q = select(*_SUMMARY_COLS).where(*filters)
                total = conn.execute(select(func.count()).select_from(q.subquery())).scalar_one()
                q = q.order_by(A.c.published.desc().nulls_last(), A.c.id.desc()).limit(limit).offset(offset)
                return SearchResults(total=total, hits=[SearchHit(**r) for r in conn.execute(q).mappings()])
            if self.dialect == "sqlite":
                return self._search_sqlite(conn, fts.fts5_query(query), filters, limit, offset, marks)
            return self._search_pg(conn, query, filters, limit, offset, marks)

    def _search_sqlite(self, conn, match: str, filters, limit, offset, marks) -> SearchResults:  # noqa: ANN001
        f = table(fts.FTS_TABLE, column("rowid"))
        fts_col = literal_column(fts.FTS_TABLE)
        cond = [fts_col.op("MATCH")(match), *filters]
        joined = f.join(A, A.c.id == f.c.rowid)
        total = conn.execute(select(func.count()).select_from(joined).where(*cond)).scalar_one()
        rank = func.bm25(fts_col, 5.0, 1.0)  # headline weighs five times the body; lower is better
        snippet = func.snippet(fts_col, 1, marks[0], marks[1], " … ", 16)
        q = (select(*_SUMMARY_COLS, rank.label("rank"), snippet.label("snippet")).select_from(joined).where(*cond)
             .order_by(rank, A.c.id).limit(limit).offset(offset))
        hits = []
        for r in conn.execute(q).mappings():
            d = dict(r)
            d["score"] = -float(d.pop("rank"))
            hits.append(SearchHit(**d))
        return SearchResults(total=total, hits=hits)

    def _search_pg(self, conn, query: str, filters, limit, offset, marks) -> SearchResults:  # noqa: ANN001
        tsq = func.websearch_to_tsquery(fts.PG_CONFIG, bindparam("q", query))
        vec = literal_column("articles.search_vector")
        cond = [vec.op("@@")(tsq), *filters]
        total = conn.execute(select(func.count()).select_from(A).where(*cond)).scalar_one()
        rank = func.ts_rank_cd(vec, tsq)
        options = f"StartSel={marks[0]}, StopSel={marks[1]}, MaxWords=30, MinWords=10, MaxFragments=2"
        snippet = func.ts_headline(fts.PG_CONFIG, func.left(A.c.text, fts.PG_MAX_CHARS), tsq, options)
        q = (select(*_SUMMARY_COLS, rank.label("score"), snippet.label("snippet")).where(*cond)
             .order_by(rank.desc(), A.c.id).limit(limit).offset(offset))
        return SearchResults(total=total, hits=[SearchHit(**r) for r in conn.execute(q).mappings()])

    # ========================================================================= actors
    def _actor_ids(self, conn, actor: str | int) -> list[int]:  # noqa: ANN001
        """Corpus actors a user means by a name (any alias, case and accents ignored) or an id."""
        if isinstance(actor, int) or (isinstance(actor, str) and actor.strip().isdigit()):
            return [int(actor)]
        t = s.actor_names
        ids: set[int] = set()
        for kind in ("person", "org"):  # the two ways name_key normalises
            key = name_key(actor, kind)
            if key:
                ids |= {r[0] for r in conn.execute(select(t.c.actor_id).where(t.c.key == key).distinct())}
        if not ids:
            pattern = f"%{actor.strip().lower()}%"
            ids = {r[0] for r in conn.execute(select(s.actors.c.id).where(func.lower(s.actors.c.name).like(pattern)))}
        return sorted(ids)

    def actor_ids(self, actor: str | int) -> list[int]:
        """The corpus actor ids a name (or id) refers to."""
        with self.engine.connect() as conn:
            return self._actor_ids(conn, actor)

    def _aliases(self, conn, ids: list[int]) -> dict[int, list[str]]:  # noqa: ANN001
        out: dict[int, list[str]] = {i: [] for i in ids}
        if not ids:
            return out
        t = s.actor_names
        for r in conn.execute(select(t.c.actor_id, t.c.name).where(t.c.actor_id.in_(ids), t.c.strong.is_(True))
                              .order_by(t.c.actor_id, t.c.count.desc(), t.c.id)):
            if r.name not in out[r.actor_id]:
                out[r.actor_id].append(r.name)
        return out

    def actors(self, query: str | None = None, *, type: str | None = None, kind: str | None = None,
               limit: int = 50, offset: int = 0, order: Literal["articles", "mentions", "name"] = "articles",
               ) -> list[ActorSummary]:
        """Corpus actors, most-reported first; `query` matches any of their names."""
        t = s.actors
        q = select(t)
        if type:
            q = q.where(t.c.type == type.upper())
        if kind:
            q = q.where(t.c.kind == kind.lower())
        with self.engine.connect() as conn:
            if query:
                q = q.where(t.c.id.in_(self._actor_ids(conn, query) or [-1]))
            q = q.where(t.c.article_count > 0)
            orders = {"articles": [t.c.article_count.desc(), t.c.mention_count.desc()],
                      "mentions": [t.c.mention_count.desc()], "name": [t.c.name]}[order]
            rows = conn.execute(q.order_by(*orders, t.c.id).limit(limit).offset(offset)).mappings().all()
            aliases = self._aliases(conn, [r["id"] for r in rows])
        return [ActorSummary(**r, aliases=[a for a in aliases[r["id"]] if a != r["name"]]) for r in rows]

    def actor(self, actor_id: int, *, limit: int = 50) -> ActorDetail | None:
        """One corpus actor with its names, roles, articles, quotes, events and co-occurring actors."""
        with self.engine.connect() as conn:
            row = conn.execute(select(s.actors).where(s.actors.c.id == actor_id)).mappings().first()
            if row is None:
                return None
            aliases = self._aliases(conn, [actor_id])[actor_id]
            r = s.actor_roles
            roles = [RoleCount(text=x.text, count=x.n) for x in conn.execute(
                select(r.c.text, func.count().label("n")).where(r.c.actor_id == actor_id).group_by(r.c.text)
                .order_by(func.count().desc(), r.c.text).limit(limit))]
            aa = s.article_actors
            arts = [ArticleSummary(**x) for x in conn.execute(
                select(*_SUMMARY_COLS).where(A.c.id.in_(select(aa.c.article_id).where(aa.c.actor_id == actor_id)))
                .order_by(A.c.published.desc().nulls_last(), A.c.id.desc()).limit(limit)).mappings()]
            co = self._co_actors(conn, actor_id, limit=20)
        return ActorDetail(**row, aliases=[a for a in aliases if a != row["name"]], roles=roles, articles=arts,
                           quotes=self.quotes(speaker=actor_id, limit=limit),
                           events=self.timeline(actor=actor_id, limit=limit), co_actors=co)

    def _co_actors(self, conn, actor_id: int, limit: int) -> list[CoActor]:  # noqa: ANN001
        a1, a2 = s.article_actors.alias("a1"), s.article_actors.alias("a2")
        n = func.count(func.distinct(a2.c.article_id)).label("n")
        q = (select(s.actors.c.id, s.actors.c.name, s.actors.c.type, n)
             .select_from(a1.join(a2, and_(a1.c.article_id == a2.c.article_id, a2.c.actor_id != a1.c.actor_id))
                          .join(s.actors, s.actors.c.id == a2.c.actor_id))
             .where(a1.c.actor_id == actor_id)
             .group_by(s.actors.c.id, s.actors.c.name, s.actors.c.type).order_by(n.desc(), s.actors.c.id).limit(limit))
        return [CoActor(id=r.id, name=r.name, type=r.type, articles=r.n) for r in conn.execute(q)]

    # ========================================================================= facts
    def quotes(self, *, speaker: str | int | None = None, article_id: int | None = None, query: str | None = None,
               date_from: dt.date | None = None, date_to: dt.date | None = None, limit: int = 100,
               offset: int = 0) -> list[QuoteRow]:
        """Who said what across the corpus; `speaker` is a name (any alias) or a corpus actor id."""
        q_ = s.quotes
        q = (select(q_.c.id, q_.c.article_id, q_.c.local_id, q_.c.kind, q_.c.text, q_.c.start, q_.c.end,
                    q_.c.speaker_actor_id, q_.c.speaker_name, q_.c.speaker_role, q_.c.cue_text.label("cue"),
                    q_.c.addressee_actor_id, q_.c.addressee_name, q_.c.medium, q_.c.belief, q_.c.confidence,
                    A.c.headline, A.c.published, A.c.url)
             .select_from(q_.join(A, A.c.id == q_.c.article_id)))
        if article_id is not None:
            q = q.where(q_.c.article_id == article_id)
        if query:
            q = q.where(func.lower(q_.c.text).like(f"%{query.lower()}%"))
        if date_from:
            q = q.where(A.c.published >= date_from)
        if date_to:
            q = q.where(A.c.published <= date_to)
        with self.engine.connect() as conn:
            if speaker is not None:
                ids = self._actor_ids(conn, speaker)
                cond = [q_.c.speaker_actor_id.in_(ids)] if ids else []
                if isinstance(speaker, str) and not speaker.strip().isdigit():
                    cond.append(func.lower(q_.c.speaker_name).like(f"%{speaker.strip().lower()}%"))
                q = q.where(or_(*cond) if cond else literal_column("1") == 0)
            q = q.order_by(A.c.published.desc().nulls_last(), q_.c.article_id, q_.c.start).limit(limit).offset(offset)
            return [QuoteRow(**r) for r in conn.execute(q).mappings()]

    def _event_select(self) -> Select:
        e = s.events
        date = func.coalesce(e.c.date_earliest, A.c.published)
        return (select(e.c.id, e.c.article_id, e.c.local_id, e.c.type, e.c.mode, e.c.status, e.c.text, e.c.start,
                       e.c.end, e.c.trigger_text.label("trigger"), e.c.actor_actor_id, e.c.actor_name,
                       e.c.target_actor_id, e.c.target_name, e.c.location_actor_id, e.c.location_name, e.c.latitude,
                       e.c.longitude, e.c.when_value.label("when"), date.label("date"), e.c.date_earliest,
                       e.c.date_latest, A.c.headline, A.c.published, A.c.url)
                .select_from(e.join(A, A.c.id == e.c.article_id))), date

    def timeline(self, *, actor: str | int | None = None, event_type: str | None = None,
                 date_from: dt.date | None = None, date_to: dt.date | None = None, article_id: int | None = None,
                 limit: int = 500, offset: int = 0) -> list[EventRow]:
        """Events in date order (the date the text gives the event, else the article's date).

        `actor` (a name or id) matches the event's actor, target or place.
        """
        e = s.events
        q, date = self._event_select()
        if event_type:
            q = q.where(func.lower(e.c.type) == event_type.lower())
        if article_id is not None:
            q = q.where(e.c.article_id == article_id)
        if date_from:
            q = q.where(date >= date_from)
        if date_to:
            q = q.where(date <= date_to)
        with self.engine.connect() as conn:
            if actor is not None:
                ids = self._actor_ids(conn, actor) or [-1]
                q = q.where(or_(e.c.actor_actor_id.in_(ids), e.c.target_actor_id.in_(ids),
                                e.c.location_actor_id.in_(ids)))
            q = q.order_by(date.asc().nulls_last(), e.c.article_id, e.c.start).limit(limit).offset(offset)
            return [EventRow(**r) for r in conn.execute(q).mappings()]

    def claims(self, *, holder: str | int | None = None, forecast: bool | None = None, article_id: int | None = None,
               resolved: bool | None = None, limit: int = 100, offset: int = 0) -> list[ClaimRow]:
        """Assessments and forecasts, with their resolutions (`resolved` filters on having one)."""
        c, r = s.claims, s.forecast_resolutions
        q = (select(c.c.id, c.c.article_id, c.c.local_id, c.c.text, c.c.start, c.c.end, c.c.holder_actor_id,
                    c.c.holder_name, c.c.polarity, c.c.forecast, c.c.horizon_value, c.c.horizon_earliest,
                    c.c.horizon_latest, c.c.likelihood_phrase, c.c.likelihood_band, c.c.likelihood_low,
                    c.c.likelihood_high, A.c.headline, A.c.published, A.c.url)
             .select_from(c.join(A, A.c.id == c.c.article_id)))
        if forecast is not None:
            q = q.where(c.c.forecast.is_(forecast))
        if article_id is not None:
            q = q.where(c.c.article_id == article_id)
        if resolved is not None:
            has = exists().where(r.c.claim_id == c.c.id)
            q = q.where(has if resolved else ~has)
        with self.engine.connect() as conn:
            if holder is not None:
                q = q.where(c.c.holder_actor_id.in_(self._actor_ids(conn, holder) or [-1]))
            rows = conn.execute(q.order_by(A.c.published.desc().nulls_last(), c.c.article_id, c.c.start)
                                .limit(limit).offset(offset)).mappings().all()
            res: dict[int, list[ResolutionRow]] = {}
            if rows:
                for x in conn.execute(select(r).where(r.c.claim_id.in_([x["id"] for x in rows])).order_by(r.c.id)
                                      ).mappings():
                    res.setdefault(x["claim_id"], []).append(ResolutionRow(**x))
        return [ClaimRow(**x, resolutions=res.get(x["id"], [])) for x in rows]

    def resolutions(self, claim_id: int | None = None) -> list[ResolutionRow]:
        r = s.forecast_resolutions
        q = select(r).order_by(r.c.id)
        if claim_id is not None:
            q = q.where(r.c.claim_id == claim_id)
        with self.engine.connect() as conn:
            return [ResolutionRow(**x) for x in conn.execute(q).mappings()]

    def network(self, kind: Literal["cooccurrence", "events", "quotes"] = "cooccurrence", *, min_weight: int = 1,
                limit: int = 200, actor_kind: str | None = None) -> Network:
        """An actor graph: co-occurrence in articles, actor→target events, or speaker→addressee quotes.

        The `limit` heaviest edges are kept; nodes are the actors on them.
        """
        if kind == "cooccurrence":
            a1, a2 = s.article_actors.alias("a1"), s.article_actors.alias("a2")
            w = func.count(func.distinct(a1.c.article_id)).label("w")
            q = (select(a1.c.actor_id.label("src"), a2.c.actor_id.label("dst"), w)
                 .select_from(a1.join(a2, and_(a1.c.article_id == a2.c.article_id, a1.c.actor_id < a2.c.actor_id))))
        elif kind == "events":
            e = s.events
            w = func.count().label("w")
            q = (select(e.c.actor_actor_id.label("src"), e.c.target_actor_id.label("dst"), w)
                 .where(e.c.actor_actor_id.is_not(None), e.c.target_actor_id.is_not(None),
                        e.c.actor_actor_id != e.c.target_actor_id))
        elif kind == "quotes":
            qt = s.quotes
            w = func.count().label("w")
            q = (select(qt.c.speaker_actor_id.label("src"), qt.c.addressee_actor_id.label("dst"), w)
                 .where(qt.c.speaker_actor_id.is_not(None), qt.c.addressee_actor_id.is_not(None)))
        else:
            raise ValueError(f"unknown network kind {kind!r}")
        src, dst = q.selected_columns.src, q.selected_columns.dst
        q = q.group_by(src, dst).having(w >= min_weight).order_by(w.desc(), src, dst).limit(limit)
        with self.engine.connect() as conn:
            edges = [NetworkEdge(source=r.src, target=r.dst, weight=r.w) for r in conn.execute(q)]
            if kind == "events" and edges:
                e = s.events
                types: dict[tuple[int, int], list[str]] = {}
                srcs, dsts = {x.source for x in edges}, {x.target for x in edges}
                tq = select(e.c.actor_actor_id, e.c.target_actor_id, e.c.type).distinct().where(
                    e.c.actor_actor_id.in_(srcs), e.c.target_actor_id.in_(dsts))
                for r in conn.execute(tq):
                    types.setdefault((r[0], r[1]), []).append(r[2])
                for edge in edges:
                    edge.types = sorted(types.get((edge.source, edge.target), []))
            ids = sorted({x.source for x in edges} | {x.target for x in edges})
            t = s.actors
            nq = select(t.c.id, t.c.name, t.c.type, t.c.article_count, t.c.kind).where(t.c.id.in_(ids))
            nodes = {r.id: r for r in conn.execute(nq)}
        if actor_kind:
            keep = {i for i, r in nodes.items() if r.kind == actor_kind}
            edges = [x for x in edges if x.source in keep and x.target in keep]
            nodes = {i: r for i, r in nodes.items() if i in keep}
        return Network(kind=kind, edges=edges, nodes=[NetworkNode(id=r.id, name=r.name, type=r.type,
                                                                  article_count=r.article_count)
                                                      for r in nodes.values()])

    # ========================================================================= bookkeeping
    def failures(self, limit: int = 1000, offset: int = 0) -> list[FailureRow]:
        t = s.failures
        with self.engine.connect() as conn:
            return [FailureRow(**r) for r in conn.execute(select(t).order_by(t.c.last_failed.desc(), t.c.id.desc())
                                                          .limit(limit).offset(offset)).mappings()]

    def stats(self) -> Stats:
        def count(conn, tbl, *where) -> int:  # noqa: ANN001
            return conn.execute(select(func.count()).select_from(tbl).where(*where)).scalar_one()

        with self.engine.connect() as conn:
            lo, hi = conn.execute(select(func.min(A.c.published), func.max(A.c.published))).one()
            return Stats(articles=count(conn, A), originals=count(conn, A, A.c.duplicate_of.is_(None)),
                         duplicates=count(conn, A, A.c.duplicate_of.is_not(None)),
                         sources=count(conn, s.article_sources),
                         actors=count(conn, s.actors, s.actors.c.article_count > 0),
                         quotes=count(conn, s.quotes), events=count(conn, s.events), claims=count(conn, s.claims),
                         forecasts=count(conn, s.claims, s.claims.c.forecast.is_(True)),
                         failures=count(conn, s.failures), first_published=lo, last_published=hi)

    def check(self) -> list[Problem]:
        """Integrity problems: orphans, broken links, offsets out of range, counts, FTS out of sync."""
        from sitroom.store.check import check

        return check(self)

