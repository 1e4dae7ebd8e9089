"""Writing one article: identity checks, corpus actors, normalised fact rows — in one transaction.

Called by `Store.add` inside a transaction, so an article is stored whole or not at all: a process
killed mid-write leaves nothing behind, and the rerun stores it once.
"""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import (
    Connection,
    Date,
    Float,
    Integer,
    String,
    bindparam,
    func,
    insert,
    literal,
    select,
    update,
)

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
    """Find or create the corpus actor of each entity of one article (see `sitroom.store.actors`).

    Batched: one lookup of every name the article's entities go by, matching in Python, then one
    insert and one update per table — about ten statements per article, whatever its cast.
    """

    def __init__(self, conn: Connection, published: dt.date | None) -> None:
        self.conn = conn
        self.published = published

    def resolve_all(self, entities: list[Entity]) -> dict[str, int]:
        """Local actor id ("A3") → corpus actor id, creating actors and merging names and counts."""
        if not entities:
            return {}
        t, a = s.actor_names, s.actors
        keyed = [(e, kind_of(e.type), keys_for(e)) for e in entities]
        all_keys = sorted({k for _, _, keys in keyed for k, _, _ in keys})
        # name index: (kind, key) -> {actor id: strong}
        index: dict[tuple[str, str], dict[int, bool]] = {}
        names: dict[tuple[int, str], tuple[int, bool]] = {}  # (actor, key) -> (row id, strong)
        for r in self.conn.execute(select(t.c.id, t.c.actor_id, t.c.kind, t.c.key, t.c.strong)
                                   .where(t.c.key.in_(all_keys))):
            index.setdefault((r.kind, r.key), {})[r.actor_id] = r.strong
            names[(r.actor_id, r.key)] = (r.id, r.strong)
        cand = {i for ids in index.values() for i in ids}
        geo_ids = sorted({e.geo.geonames_id for e, kind, _ in keyed if kind == "place" and e.geo and e.geo.geonames_id})
        by_geo: dict[int, int] = {}
        if geo_ids:
            for r in self.conn.execute(select(a.c.id, a.c.geonames_id).where(a.c.geonames_id.in_(geo_ids),
                                                                              a.c.kind == "place")):
                by_geo.setdefault(r.geonames_id, r.id)
        sizes: dict[int, int] = {}
        strong_named: set[int] = set()
        if cand:
            sizes = dict(self.conn.execute(select(a.c.id, a.c.article_count).where(a.c.id.in_(sorted(cand)))).all())
            strong_named = {r[0] for r in self.conn.execute(
                select(t.c.actor_id).where(t.c.actor_id.in_(sorted(cand)), t.c.strong.is_(True)).distinct())}

        result: dict[str, int] = {}
        new_actor_of: dict[str, int] = {}  # local id -> index into `created`
        created: list[dict] = []
        renamed: dict[int, str] = {}
        pending_keys: list[tuple[int | str, str, list]] = []  # (actor id or "new:i", kind, keys)

        def lookup(kind: str, keys: list[str], strong: bool | None) -> dict[int | str, int]:
            hits: dict[int | str, int] = {}
            for k in keys:
                for actor, is_strong in index.get((kind, k), {}).items():
                    if strong is None or is_strong == strong:
                        hits[actor] = hits.get(actor, 0) + 1
            return hits

        for e, kind, keys in keyed:
            strong = [k for k, _, st in keys if st]
            weak = [k for k, _, st in keys if not st]
            actor: int | str | None = None
            if kind == "place" and e.geo and e.geo.geonames_id in by_geo:
                actor = by_geo[e.geo.geonames_id]
            elif strong:
                hits = lookup(kind, strong, True)
                if hits:
                    actor = max(hits, key=lambda i: (hits[i], sizes.get(i, 0) if isinstance(i, int) else 0,
                                                     -i if isinstance(i, int) else 0))
                else:  # a full name may complete an actor known so far only by its surname
                    weak_only = [i for i in lookup(kind, weak, False) if i not in strong_named]
                    if len(weak_only) == 1:
                        actor = weak_only[0]
                        if isinstance(actor, int):
                            renamed[actor] = e.name
                        else:
                            created[int(actor.split(":")[1])]["name"] = e.name
            else:
                hits = lookup(kind, weak, None)
                if len(hits) == 1:
                    actor = next(iter(hits))
            if actor is None:
                geo = e.geo
                actor = f"new:{len(created)}"
                created.append(dict(name=e.name, type=e.type, kind=kind, sector=e.sector, country=e.country,
                                    country_code=geo.country_code if geo else None,
                                    geonames_id=geo.geonames_id if geo else None,
                                    latitude=geo.latitude if geo else None, longitude=geo.longitude if geo else None,
                                    article_count=0, mention_count=0))
                if kind == "place" and geo and geo.geonames_id:
                    by_geo[geo.geonames_id] = actor  # type: ignore[assignment]
            # later entities of this article see this one's names
            for k, _, st in keys:
                index.setdefault((kind, k), {})
                index[(kind, k)][actor] = index[(kind, k)].get(actor, False) or st
            if any(st for _, _, st in keys):
                strong_named.add(actor)  # type: ignore[arg-type]
            pending_keys.append((actor, kind, keys))
            if isinstance(actor, str):
                new_actor_of[e.id] = int(actor.split(":")[1])
            else:
                result[e.id] = actor

        if created:
            ids = self.conn.execute(insert(a).returning(a.c.id, sort_by_parameter_order=True), created).scalars().all()
            for local, i in new_actor_of.items():
                result[local] = ids[i]

            def real(x: int | str) -> int:
                return ids[int(x.split(":")[1])] if isinstance(x, str) else x
        else:
            def real(x: int | str) -> int:
                return x  # type: ignore[return-value]

        for actor_id, name in renamed.items():
            self.conn.execute(update(a).where(a.c.id == actor_id).values(name=name))
        self._write_names(names, [(real(x), kind, keys) for x, kind, keys in pending_keys])
        self._write_counts(entities, result)
        return result

    def _write_names(self, names: dict[tuple[int, str], tuple[int, bool]],
                     pending: list[tuple[int, str, list]]) -> None:
        t = s.actor_names
        inserts: dict[tuple[int, str], dict] = {}
        bumps: dict[int, dict] = {}
        for actor_id, kind, keys in pending:
            for key, name, strong in keys:
                existing = names.get((actor_id, key))
                if existing is None:
                    row = inserts.get((actor_id, key))
                    if row is None:
                        inserts[(actor_id, key)] = dict(actor_id=actor_id, kind=kind, key=key, name=name,
                                                        strong=strong, count=1)
                    else:
                        row["count"] += 1
                        if strong and not row["strong"]:
                            row.update(strong=True, name=name)
                else:
                    row_id, was_strong = existing
                    bump = bumps.setdefault(row_id, dict(rid=row_id, inc=0, up=False, new_name=None))
                    bump["inc"] += 1
                    if strong and not was_strong:
                        bump.update(up=True, new_name=name)
        if inserts:
            self.conn.execute(insert(t), list(inserts.values()))
        plain = [b for b in bumps.values() if not b["up"]]
        upgraded = [b for b in bumps.values() if b["up"]]
        if plain:
            self.conn.execute(update(t).where(t.c.id == bindparam("rid")).values(count=t.c.count + bindparam("inc")),
                              [{"rid": b["rid"], "inc": b["inc"]} for b in plain])
        if upgraded:
            self.conn.execute(update(t).where(t.c.id == bindparam("rid")).values(
                count=t.c.count + bindparam("inc"), strong=True, name=bindparam("new_name")), upgraded)

    def _write_counts(self, entities: list[Entity], result: dict[str, int]) -> None:
        a = s.actors
        per: dict[int, dict] = {}
        for e in entities:
            actor_id = result[e.id]
            geo = e.geo
            row = per.setdefault(actor_id, dict(aid=actor_id, m=0, gid=None, lat=None, lon=None, cc=None,
                                                sector=None, country=None))
            row["m"] += len(e.mentions)
            if geo and geo.geonames_id and row["gid"] is None:
                row.update(gid=geo.geonames_id, lat=geo.latitude, lon=geo.longitude, cc=geo.country_code)
            row["sector"] = row["sector"] or e.sector
            row["country"] = row["country"] or e.country
        values: dict = dict(
            article_count=a.c.article_count + 1, mention_count=a.c.mention_count + bindparam("m"),
            geonames_id=func.coalesce(a.c.geonames_id, bindparam("gid", type_=Integer)),
            latitude=func.coalesce(a.c.latitude, bindparam("lat", type_=Float)),
            longitude=func.coalesce(a.c.longitude, bindparam("lon", type_=Float)),
            country_code=func.coalesce(a.c.country_code, bindparam("cc", type_=String)),
            sector=func.coalesce(a.c.sector, bindparam("sector", type_=String)),
            country=func.coalesce(a.c.country, bindparam("country", type_=String)),
        )
        if self.published:
            day = literal(self.published, Date)
            lo, hi = (func.min, func.max) if self.conn.dialect.name == "sqlite" else (func.least, func.greatest)
            values["first_seen"] = func.coalesce(lo(a.c.first_seen, day), day)
            values["last_seen"] = func.coalesce(hi(a.c.last_seen, day), day)
        self.conn.execute(update(a).where(a.c.id == bindparam("aid")).values(**values), list(per.values()))


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


def find_near_duplicate(conn: Connection, sig, threshold: float,  # noqa: ANN001
                        pairs: list[tuple[int, int]] | None = None) -> tuple[int, float] | None:
    """The stored original most similar to the signature, if at least `threshold` similar."""
    pairs = pairs if pairs is not None else dedup.band_keys(sig)
    wanted = set(pairs)
    t = s.minhash_bands
    rows = conn.execute(select(t.c.article_id, t.c.band, t.c.key).where(t.c.key.in_([k for _, k in pairs])))
    ids = sorted({r.article_id for r in rows if (r.band, r.key) in wanted})[:200]
    if not ids:
        return None
    best: tuple[int, float] | None = None
    for row in conn.execute(select(s.articles.c.id, s.articles.c.minhash).where(s.articles.c.id.in_(ids))):
        if row.minhash is None:
            continue
        sim = dedup.similarity(sig, dedup.from_bytes(row.minhash))
        if sim >= threshold and (best is None or sim > best[1] or (sim == best[1] and row.id < best[0])):
            best = (row.id, sim)
    return best


def add_article(conn: Connection, analysis: Analysis, *, source: str, source_kind: str, sha256: str,
                fingerprint: dedup.Fingerprint, threshold: float, analysis_json: str | None = None) -> AddResult:
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
    pairs = dedup.band_keys(sig)
    if duplicate_of is None:
        near = find_near_duplicate(conn, sig, threshold, pairs)
        if near is not None:
            duplicate_of, sim, kind = near[0], near[1], "near"

    original = duplicate_of is None
    article_id = conn.execute(insert(s.articles).values(
        content_hash=fingerprint.content_hash, url=url, source=source, source_kind=source_kind,
        headline=_span_text(art.headline), dek=_span_text(art.dek), byline=_span_text(art.byline),
        section=_span_text(art.section), outlet=art.outlet, published=art.published,
        published_source=art.published_source, language=art.language, text=analysis.text, length=len(analysis.text),
        analysis=analysis_json or analysis.model_dump_json(), minhash=fingerprint.minhash, duplicate_of=duplicate_of,
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
    conn.execute(insert(s.minhash_bands), [{"article_id": article_id, "band": b, "key": k} for b, k in pairs])
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

    corpus = ActorResolver(conn, art.published).resolve_all(list(a.entities))
    for e in a.entities:
        actor_id = corpus[e.id]
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
            source_actor_id=source_id, source_name=source_name, quote_local_id=ev.quote_id, confidence=ev.confidence,
            group_local_id=ev.group, actor_implied=ev.actor_implied, target_implied=ev.target_implied,
            issue_start=ev.issue.start if ev.issue else None, issue_end=ev.issue.end if ev.issue else None,
            issue_text=ev.issue.text if ev.issue else None))
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
