"""Writing one article: identity checks, corpus actors, normalised fact rows — in one transaction.

Called by `Store.add` inside a transaction, so an article is stored whole or not at all: a process
killed mid-write leaves nothing behind, and the rerun stores it once.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable

from sqlalchemy import Connection, Date, and_, func, insert, literal, or_, select, update

from sitroom.model import ActorRef, Analysis, Entity, TextSpan
from sitroom.store import dedup
from sitroom.store import schema as s
from sitroom.store.actors import keys_for, kind_of
from sitroom.store.views import AddResult


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def fingerprint_text(analysis: Analysis) -> str:
    """The text that identifies an article: its body (page furniture and headline excluded)."""
    return analysis.article.body_text or analysis.text


# ----------------------------------------------------------------------------- sources and failures

def source_article(conn: Connection, sha256: str, source: str | None = None) -> tuple[int, bool] | None:
    """(article id, this exact source seen) for a raw input hash already stored, else None."""
    row = conn.execute(
        select(s.article_sources.c.article_id, s.article_sources.c.source)
        .where(s.article_sources.c.sha256 == sha256)
    ).all()
    if not row:
        return None
    seen = source is None or any(r.source == source for r in row)
    return row[0].article_id, seen


def add_source(conn: Connection, article_id: int, source: str, kind: str, sha256: str) -> None:
    exists = conn.execute(
        select(s.article_sources.c.id).where(s.article_sources.c.sha256 == sha256, s.article_sources.c.source == source)
    ).first()
    if exists is None:
        conn.execute(insert(s.article_sources).values(article_id=article_id, source=source, kind=kind, sha256=sha256,
                                                      seen_at=now()))


def record_failure(conn: Connection, source: str, reason: str, stage: str) -> None:
    t = s.failures
    row = conn.execute(select(t.c.id).where(t.c.source == source)).first()
    if row is None:
        conn.execute(insert(t).values(source=source, stage=stage, reason=reason[:4000], attempts=1,
                                      first_failed=now(), last_failed=now()))
    else:
        conn.execute(update(t).where(t.c.id == row.id).values(stage=stage, reason=reason[:4000],
                                                             attempts=t.c.attempts + 1, last_failed=now()))


def clear_failure(conn: Connection, source: str) -> None:
    conn.execute(s.failures.delete().where(s.failures.c.source == source))


# ----------------------------------------------------------------------------- corpus actors

class ActorResolver:
    """Find or create the corpus actor of each entity of one article (see `sitroom.store.actors`)."""

    def __init__(self, conn: Connection, published: dt.date | None) -> None:
        self.conn = conn
        self.published = published
        self.counted: set[int] = set()  # corpus actors already counted for this article

    def _by_keys(self, kind: str, keys: list[str], strong: bool | None) -> dict[int, int]:
        if not keys:
            return {}
        t = s.actor_names
        q = select(t.c.actor_id, func.count()).where(t.c.kind == kind, t.c.key.in_(keys))
        if strong is not None:
            q = q.where(t.c.strong == strong)
        return {r[0]: r[1] for r in self.conn.execute(q.group_by(t.c.actor_id))}

    def _has_strong_name(self, actor_ids: Iterable[int]) -> set[int]:
        t = s.actor_names
        rows = self.conn.execute(select(t.c.actor_id).where(t.c.actor_id.in_(list(actor_ids)), t.c.strong.is_(True))
                                 .distinct())
        return {r[0] for r in rows}

    def _pick(self, counts: dict[int, int]) -> int:
        ids = list(counts)
        sizes = dict(self.conn.execute(select(s.actors.c.id, s.actors.c.article_count).where(s.actors.c.id.in_(ids)))
                     .all())
        return max(ids, key=lambda i: (counts[i], sizes.get(i, 0), -i))

    def match(self, entity: Entity, keys: list[tuple[str, str, bool]]) -> tuple[int | None, bool]:
        """(corpus actor id or None, matched an actor known so far only by a weak name)."""
        kind = kind_of(entity.type)
        if entity.geo and entity.geo.geonames_id and kind == "place":
            row = self.conn.execute(select(s.actors.c.id).where(s.actors.c.geonames_id == entity.geo.geonames_id,
                                                                s.actors.c.kind == kind)).first()
            if row:
                return row.id, False
        strong = [k for k, _, st in keys if st]
        weak = [k for k, _, st in keys if not st]
        if strong:
            counts = self._by_keys(kind, strong, True)
            if counts:
                return self._pick(counts), False
            # a full name may complete an actor known so far only by its surname
            weak_matches = set(self._by_keys(kind, weak, False))
            weak_only = weak_matches - self._has_strong_name(weak_matches) if weak_matches else set()
            if len(weak_only) == 1:
                return weak_only.pop(), True
            return None, False
        matches = set(self._by_keys(kind, weak, None))
        if len(matches) == 1:
            return matches.pop(), False
        return None, False

    def resolve(self, entity: Entity) -> int:
        kind = kind_of(entity.type)
        keys = keys_for(entity)
        actor_id, upgrade_name = self.match(entity, keys)
        geo = entity.geo
        if actor_id is None:
            actor_id = self.conn.execute(insert(s.actors).values(
                name=entity.name, type=entity.type, kind=kind, sector=entity.sector, country=entity.country,
                country_code=geo.country_code if geo else None, geonames_id=geo.geonames_id if geo else None,
                latitude=geo.latitude if geo else None, longitude=geo.longitude if geo else None,
                article_count=0, mention_count=0,
            ).returning(s.actors.c.id)).scalar_one()
        elif upgrade_name:
            self.conn.execute(update(s.actors).where(s.actors.c.id == actor_id).values(name=entity.name))
        self._add_names(actor_id, kind, keys)
        values: dict = {"mention_count": s.actors.c.mention_count + len(entity.mentions)}
        if actor_id not in self.counted:
            self.counted.add(actor_id)
            values["article_count"] = s.actors.c.article_count + 1
            if self.published:
                day = literal(self.published, Date)
                lo, hi = (func.min, func.max) if self.conn.dialect.name == "sqlite" else (func.least, func.greatest)
                values["first_seen"] = func.coalesce(lo(s.actors.c.first_seen, day), day)
                values["last_seen"] = func.coalesce(hi(s.actors.c.last_seen, day), day)
        if geo and geo.geonames_id:
            values["geonames_id"] = func.coalesce(s.actors.c.geonames_id, geo.geonames_id)
            values["latitude"] = func.coalesce(s.actors.c.latitude, geo.latitude)
            values["longitude"] = func.coalesce(s.actors.c.longitude, geo.longitude)
            values["country_code"] = func.coalesce(s.actors.c.country_code, geo.country_code)
        if entity.sector:
            values["sector"] = func.coalesce(s.actors.c.sector, entity.sector)
        if entity.country:
            values["country"] = func.coalesce(s.actors.c.country, entity.country)
        self.conn.execute(update(s.actors).where(s.actors.c.id == actor_id).values(**values))
        return actor_id

    def _add_names(self, actor_id: int, kind: str, keys: list[tuple[str, str, bool]]) -> None:
        t = s.actor_names
        existing = {r.key: r for r in self.conn.execute(
            select(t.c.id, t.c.key, t.c.strong).where(t.c.actor_id == actor_id, t.c.key.in_([k for k, _, _ in keys])))}
        for key, name, strong in keys:
            row = existing.get(key)
            if row is None:
                self.conn.execute(insert(t).values(actor_id=actor_id, kind=kind, key=key, name=name, strong=strong,
                                                   count=1))
            else:
                vals: dict = {"count": t.c.count + 1}
                if strong and not row.strong:
                    vals.update(strong=True, name=name)
                self.conn.execute(update(t).where(t.c.id == row.id).values(**vals))


# ----------------------------------------------------------------------------- the article

def _span_text(span: TextSpan | None) -> str | None:
    return span.text if span is not None else None


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _original_of(conn: Connection, article_id: int) -> int:
    row = conn.execute(select(s.articles.c.duplicate_of).where(s.articles.c.id == article_id)).first()
    return row.duplicate_of if row and row.duplicate_of else article_id


def find_near_duplicate(conn: Connection, sig, threshold: float) -> tuple[int, float] | None:  # noqa: ANN001
    """The stored original most similar to the signature, if at least `threshold` similar."""
    pairs = dedup.band_keys(sig)
    t = s.minhash_bands
    cond = [and_(t.c.band == b, t.c.key == k) for b, k in pairs]
    ids = [r[0] for r in conn.execute(select(t.c.article_id).where(or_(*cond)).distinct().limit(200))]
    best: tuple[int, float] | None = None
    if not ids:
        return None
    for row in conn.execute(select(s.articles.c.id, s.articles.c.minhash).where(s.articles.c.id.in_(ids))):
        if row.minhash is None:
            continue
        sim = dedup.similarity(sig, dedup.from_bytes(row.minhash))
        if sim >= threshold and (best is None or sim > best[1] or (sim == best[1] and row.id < best[0])):
            best = (row.id, sim)
    return best


def add_article(conn: Connection, analysis: Analysis, *, source: str, source_kind: str, sha256: str,
                fingerprint: dedup.Fingerprint, threshold: float) -> AddResult:
    """Store one analysed article (the caller holds the transaction)."""
    known = conn.execute(select(s.articles.c.id).where(s.articles.c.content_hash == fingerprint.content_hash)).first()
    if known is not None:
        seen = conn.execute(select(s.article_sources.c.id).where(s.article_sources.c.sha256 == sha256,
                                                                 s.article_sources.c.source == source)).first()
        add_source(conn, known.id, source, source_kind, sha256)
        clear_failure(conn, source)
        return AddResult(status="unchanged" if seen else "duplicate", article_id=known.id)

    art = analysis.article
    url = art.url or analysis.source.url
    sig = dedup.from_bytes(fingerprint.minhash)
    duplicate_of: int | None = None
    kind: str | None = None
    sim: float | None = None
    if url:
        row = conn.execute(select(s.articles.c.id, s.articles.c.minhash).where(s.articles.c.url == url)
                           .order_by(s.articles.c.id).limit(1)).first()
        if row is not None:
            duplicate_of, kind = _original_of(conn, row.id), "version"
            sim = dedup.similarity(sig, dedup.from_bytes(row.minhash)) if row.minhash else None
    if duplicate_of is None:
        near = find_near_duplicate(conn, sig, threshold)
        if near is not None:
            duplicate_of, sim, kind = near[0], near[1], "near"

    original = duplicate_of is None
    article_id = conn.execute(insert(s.articles).values(
        content_hash=fingerprint.content_hash, url=url, source=source, source_kind=source_kind,
        headline=_span_text(art.headline), dek=_span_text(art.dek), byline=_span_text(art.byline),
        section=_span_text(art.section), outlet=art.outlet, published=art.published,
        published_source=art.published_source, language=art.language, text=analysis.text, length=len(analysis.text),
        analysis=analysis.model_dump_json(), minhash=fingerprint.minhash, duplicate_of=duplicate_of,
        duplicate_kind=kind, similarity=sim,
        n_actors=len(analysis.entities) if original else 0, n_quotes=len(analysis.quotes) if original else 0,
        n_events=len(analysis.events) if original else 0, n_claims=len(analysis.claims) if original else 0,
        warnings=json.dumps(analysis.warnings) if analysis.warnings else None, model=analysis.provenance.model,
        sitroom_version=analysis.provenance.sitroom_version, schema_version=analysis.provenance.schema_version,
        ingested_at=now(),
    ).returning(s.articles.c.id)).scalar_one()
    add_source(conn, article_id, source, source_kind, sha256)
    clear_failure(conn, source)
    if not original:
        return AddResult(status="near_duplicate" if kind == "near" else "version", article_id=article_id,
                         duplicate_of=duplicate_of, similarity=sim)
    conn.execute(insert(s.minhash_bands), [{"article_id": article_id, "band": b, "key": k}
                                           for b, k in dedup.band_keys(sig)])
    write_facts(conn, article_id, analysis)
    return AddResult(status="added", article_id=article_id)


def write_facts(conn: Connection, article_id: int, a: Analysis) -> None:
    """The normalised rows of one original article."""
    art = a.article
    rows: dict[str, list[dict]] = {t.name: [] for t in s.FACT_TABLES}

    for kind in ("headline", "dek", "kicker", "section", "byline", "dateline"):
        span = getattr(art, kind)
        if span is not None:
            rows["article_parts"].append(dict(article_id=article_id, kind=kind, seq=0, start=span.start, end=span.end,
                                              text=span.text))
    for i, p in enumerate(art.body):
        rows["article_parts"].append(dict(article_id=article_id, kind="paragraph", seq=i, start=p.start, end=p.end,
                                          text=p.text))
    for f in art.furniture:
        rows["furniture"].append(dict(article_id=article_id, kind=f.kind, reason=f.reason or None, start=f.start,
                                      end=f.end, text=f.text))

    resolver = ActorResolver(conn, art.published)
    corpus: dict[str, int] = {}
    for e in a.entities:
        actor_id = resolver.resolve(e)
        corpus[e.id] = actor_id
        rows["article_actors"].append(dict(article_id=article_id, actor_id=actor_id, local_id=e.id, name=e.name,
                                           type=e.type, salience=e.salience, mention_count=len(e.mentions)))
        for m in e.mentions:
            rows["mentions"].append(dict(article_id=article_id, actor_id=actor_id, local_id=e.id, kind=m.kind,
                                         in_body=m.in_body, start=m.start, end=m.end, text=m.text))
        for r in e.roles:
            rows["actor_roles"].append(dict(article_id=article_id, actor_id=actor_id, start=r.start, end=r.end,
                                            text=r.text))

    def ref(r: ActorRef | None) -> tuple[int | None, str | None]:
        if r is None:
            return None, None
        return corpus.get(r.actor_id) if r.actor_id else None, r.name

    for q in a.quotes:
        speaker_id, speaker_name = ref(q.speaker)
        addressee_id, addressee_name = ref(q.addressee)
        rows["quotes"].append(dict(
            article_id=article_id, local_id=q.id, kind=q.kind, start=q.start, end=q.end, text=q.text,
            fragments=json.dumps([[f.start, f.end] for f in q.fragments]) if q.fragments else None,
            speaker_actor_id=speaker_id, speaker_name=speaker_name,
            speaker_start=q.speaker.start if q.speaker else None, speaker_end=q.speaker.end if q.speaker else None,
            speaker_role=q.speaker.role if q.speaker else None,
            cue_start=q.cue.start if q.cue else None, cue_end=q.cue.end if q.cue else None, cue_text=_span_text(q.cue),
            addressee_actor_id=addressee_id, addressee_name=addressee_name, medium=q.medium, belief=q.belief,
            confidence=q.confidence))
    by_time = {t.id: t for t in a.times}
    for t in a.times:
        rows["times"].append(dict(article_id=article_id, local_id=t.id, type=t.type, start=t.start, end=t.end,
                                  text=t.text, value=t.value, earliest=t.earliest, latest=t.latest, vague=t.vague,
                                  direction=t.direction))
    for n in a.quantities:
        rows["quantities"].append(dict(article_id=article_id, local_id=n.id, start=n.start, end=n.end, text=n.text,
                                       value=n.value, value_low=n.value_low, value_high=n.value_high, approx=n.approx,
                                       unit=n.unit, counts=n.counts, event_local_id=n.event_id))
    for ev in a.events:
        actor_id, actor_name = ref(ev.actor)
        target_id, target_name = ref(ev.target)
        source_id, source_name = ref(ev.source)
        loc = ev.location
        time = by_time.get(ev.time_id) if ev.time_id else None
        earliest = time.earliest if time else _date(ev.when)
        latest = time.latest if time else None
        rows["events"].append(dict(
            article_id=article_id, local_id=ev.id, type=ev.type, mode=ev.mode, status=ev.status,
            start=ev.start, end=ev.end, text=ev.text, trigger_start=ev.trigger.start, trigger_end=ev.trigger.end,
            trigger_text=ev.trigger.text, sentence_start=ev.sentence.start if ev.sentence else None,
            sentence_end=ev.sentence.end if ev.sentence else None, actor_actor_id=actor_id, actor_name=actor_name,
            target_actor_id=target_id, target_name=target_name,
            location_actor_id=corpus.get(loc.actor_id) if loc and loc.actor_id else None,
            location_name=loc.name if loc else None,
            latitude=loc.geo.latitude if loc and loc.geo else None,
            longitude=loc.geo.longitude if loc and loc.geo else None,
            when_value=ev.when, time_local_id=ev.time_id, date_earliest=earliest, date_latest=latest or earliest,
            source_actor_id=source_id, source_name=source_name, quote_local_id=ev.quote_id, confidence=ev.confidence))
    for c in a.claims:
        holder_id, holder_name = ref(c.holder)
        h, lk = c.horizon, c.likelihood
        rows["claims"].append(dict(
            article_id=article_id, local_id=c.id, start=c.start, end=c.end, text=c.text, holder_actor_id=holder_id,
            holder_name=holder_name, polarity=c.polarity, forecast=c.forecast,
            horizon_value=h.value if h else None, horizon_earliest=h.earliest if h else None,
            horizon_latest=h.latest if h else None, likelihood_phrase=lk.phrase if lk else None,
            likelihood_kind=lk.kind if lk else None, likelihood_band=lk.band if lk else None,
            likelihood_low=lk.low if lk else None, likelihood_high=lk.high if lk else None, confidence=c.confidence,
            quote_local_id=c.quote_id, event_local_ids=json.dumps(c.event_ids) if c.event_ids else None))

    for table in s.FACT_TABLES:
        batch = rows[table.name]
        if batch:
            conn.execute(insert(table), batch)
