"""Assemble a `Brief` from the store: select articles, read their analyses, aggregate the facts.

Why from the stored `Analysis` and not only from the fact tables: the brief needs what the tables
flatten away (which quantity belongs to which event, the mentions inside a quote, role offsets,
geo of a place actor). The tables still give what only the corpus knows: which corpus actor each
local actor is, the stored claim ids and their resolutions.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from sitroom.model import ActorRef, Analysis, Entity, Event
from sitroom.present import queries
from sitroom.present.brief import contradictions as cx
from sitroom.present.brief.model import (
    ActorRefOut,
    ArticleOut,
    Brief,
    BriefActor,
    BriefFilters,
    ClaimOut,
    MapPoint,
    QuoteOut,
    Relation,
    ResolutionOut,
    RoleOut,
    SourceRef,
    SpeakerQuotes,
    TimelineEntry,
)
from sitroom.present.textspan import sentence_around, sentence_bounds
from sitroom.store import Store
from sitroom.store.views import ArticleSummary, ResolutionRow


def _acts(ent: Entity) -> bool:
    """Can this actor be who a number is about? Countries and organisations can; towns, regions, sites are where."""
    if ent.type in ("LOC", "FAC"):
        return False
    return not (ent.type == "GPE" and ent.geo is not None and ent.geo.feature not in (None, "country"))


def _horizon_date(h) -> dt.date | None:  # noqa: ANN001
    """The day a forecast's horizon ends, when the text fixes one (not the start of "the next few weeks")."""
    if h is None:
        return None
    if h.latest is not None:
        return h.latest
    return h.earliest if h.type == "DATE" and not h.vague else None


@dataclass
class Limits:
    """How much of each section a brief shows (the JSON API shows the same)."""

    articles: int = 300
    actors: int = 25
    relations: int = 40
    timeline: int = 150
    speakers: int = 15
    quotes_per_speaker: int = 6
    claims: int = 40
    contradictions: int = 30
    places: int = 100


@dataclass
class _ActorAgg:
    id: int
    name: str
    type: str
    salience: float = 0.0
    articles: int = 0
    mentions: int = 0
    roles: dict[str, list] = field(default_factory=dict)  # text -> [count, first ref]
    aliases: Counter = field(default_factory=Counter)
    ref: SourceRef | None = None


class _Collector:
    """Reads one article at a time, keeps the aggregates the brief sections need."""

    def __init__(self, summaries: dict[int, ArticleSummary], local: dict[tuple[int, str], int],
                 names: dict[int, tuple[str, str]], claim_ids: dict[tuple[int, str], int],
                 resolutions: dict[int, list[ResolutionRow]]) -> None:
        self.summaries = summaries
        self.local = local
        self.names = names
        self.claim_ids = claim_ids
        self.resolutions = resolutions
        self.actors: dict[int, _ActorAgg] = {}
        self.relations: dict[tuple[str, str, str], dict] = {}
        self.timeline: dict[tuple, TimelineEntry] = {}
        self.speakers: dict[str, dict] = {}
        self.claims: list[ClaimOut] = []
        self.places: dict[tuple[str, float, float], MapPoint] = {}
        self.q_obs: list[cx.QuantityObs] = []
        self.e_obs: list[cx.EventObs] = []
        self.c_obs: list[cx.ClaimObs] = []

    # ------------------------------------------------------------------ helpers
    def ref(self, article_id: int, start: int, end: int) -> SourceRef:
        s = self.summaries.get(article_id)
        return SourceRef(article_id=article_id, start=start, end=end, headline=s.headline if s else None,
                         outlet=s.outlet if s else None, published=s.published if s else None)

    def actor_out(self, article_id: int, ref: ActorRef | None) -> ActorRefOut | None:
        if ref is None:
            return None
        cid = self.local.get((article_id, ref.actor_id)) if ref.actor_id else None
        if cid is not None and cid in self.names:
            return ActorRefOut(id=cid, name=self.names[cid][0])
        return ActorRefOut(id=None, name=ref.name)

    @staticmethod
    def key(a: ActorRefOut | None) -> str:
        if a is None:
            return ""
        return f"#{a.id}" if a.id is not None else "name:" + " ".join(a.name.lower().split())

    def source_of(self, article_id: int, a: Analysis, start: int, end: int) -> tuple[str, str]:
        """(identity key, display name) of who vouches for [start, end): a quote's speaker, else the outlet."""
        for q in a.quotes:
            if q.speaker is not None and q.start <= start and end <= q.end:
                who = self.actor_out(article_id, q.speaker)
                if who is not None:
                    return self.key(who), who.name
        s = self.summaries.get(article_id)
        if s is not None and s.outlet:
            return "outlet:" + s.outlet.lower(), s.outlet
        return f"article:{article_id}", f"article {article_id}"

    # ------------------------------------------------------------------ one article
    def add(self, article_id: int, a: Analysis) -> None:
        published = a.article.published or (self.summaries[article_id].published
                                            if article_id in self.summaries else None)
        entity_corpus: dict[str, ActorRefOut] = {}
        for e in a.entities:
            self._actor(article_id, e)
            cid = self.local.get((article_id, e.id))
            entity_corpus[e.id] = (ActorRefOut(id=cid, name=self.names[cid][0]) if cid in self.names
                                   else ActorRefOut(name=e.name))
        for ev in a.events:
            self._event(article_id, a, ev, published)
        for q in a.quotes:
            self._quote(article_id, a, q, entity_corpus)
        for c in a.claims:
            self._claim(article_id, a, c)
        for n in a.quantities:
            self._quantity(article_id, a, n, published)

    def _actor(self, article_id: int, e: Entity) -> None:
        cid = self.local.get((article_id, e.id))
        if cid is None:
            return
        name, typ = self.names.get(cid, (e.name, e.type))
        agg = self.actors.setdefault(cid, _ActorAgg(id=cid, name=name, type=typ))
        agg.salience += e.salience
        agg.articles += 1
        agg.mentions += len(e.mentions)
        for alias in [e.name, *e.aliases]:
            agg.aliases[alias] += 1
        for r in e.roles:
            slot = agg.roles.setdefault(r.text, [0, self.ref(article_id, r.start, r.end)])
            slot[0] += 1
        if agg.ref is None and e.mentions:
            m = min((m for m in e.mentions if m.in_body) or e.mentions, key=lambda m: m.start)
            agg.ref = self.ref(article_id, m.start, m.end)

    def _relation(self, kind: str, src: ActorRefOut, dst: ActorRefOut, ref: SourceRef, etype: str | None) -> None:
        """Count one relation between two corpus actors ("her government", "reporters": not actors we know)."""
        if src.id is None or dst.id is None or src.id == dst.id:
            return
        ks, kd = self.key(src), self.key(dst)
        slot = self.relations.setdefault((kind, ks, kd), {"src": src, "dst": dst, "count": 0, "types": Counter(),
                                                          "refs": []})
        slot["count"] += 1
        if etype:
            slot["types"][etype] += 1
        if len(slot["refs"]) < 5:
            slot["refs"].append(ref)

    def _event_date(self, a: Analysis, ev: Event) -> tuple[dt.date | None, dt.date | None, str | None]:
        t = next((t for t in a.times if t.id == ev.time_id), None) if ev.time_id else None
        if t is not None and t.earliest is not None:
            return t.earliest, t.latest or t.earliest, t.text
        if ev.when:
            try:
                d = dt.date.fromisoformat(ev.when[:10])
                return d, d, ev.when
            except ValueError:
                pass
        return None, None, None

    def _event(self, article_id: int, a: Analysis, ev: Event, published: dt.date | None) -> None:
        actor = self.actor_out(article_id, ev.actor)
        target = self.actor_out(article_id, ev.target)
        span = ev.sentence or ev
        ref = self.ref(article_id, span.start, span.end)
        sentence = " ".join((ev.sentence.text if ev.sentence else sentence_around(a.text, ev.start, ev.end)).split())
        if actor and target:
            self._relation("acts_on", actor, target, ref, ev.type)
        earliest, latest, when_text = self._event_date(a, ev)
        dated_by = "text" if earliest else ("published" if published else "none")
        date = earliest or published
        numbers = [n.text for n in a.quantities if n.event_id == ev.id or n.id in ev.quantity_ids]
        place = ev.location.name if ev.location else None
        lat = lon = None
        if ev.location is not None:
            geo = ev.location.geo
            if (geo is None or geo.latitude is None) and ev.location.actor_id:
                ent = a.entity(ev.location.actor_id)
                geo = ent.geo if ent else None
            if geo is not None and geo.latitude is not None and geo.longitude is not None:
                lat, lon = geo.latitude, geo.longitude
        key = (date, ev.type, ev.status, self.key(actor), self.key(target), (place or "").lower())
        entry = self.timeline.get(key)
        if entry is None:
            self.timeline[key] = TimelineEntry(
                date=date, date_latest=latest if earliest else date, dated_by=dated_by, when=when_text or ev.when,
                type=ev.type, mode=ev.mode, status=ev.status, trigger=ev.trigger.text, actor=actor, target=target,
                place=place, latitude=lat, longitude=lon, numbers=numbers, sentence=sentence, refs=[ref])
        elif all(r.article_id != article_id for r in entry.refs):
            entry.refs.append(ref)
            entry.numbers.extend(n for n in numbers if n not in entry.numbers)
        if lat is not None and lon is not None and place:
            pk = (place.lower(), round(lat, 3), round(lon, 3))
            pt = self.places.setdefault(pk, MapPoint(name=place, latitude=lat, longitude=lon, count=0))
            pt.count += 1
            if ev.type not in pt.types:
                pt.types.append(ev.type)
            if len(pt.refs) < 5:
                pt.refs.append(ref)
        if earliest and actor and ev.status in ("happened", "ongoing"):
            src, src_name = self.source_of(article_id, a, ev.start, ev.end)
            other = self.key(target) or ("place:" + place.lower() if place else "")
            label = " ".join(x for x in (actor.name, ev.type, target.name if target else (f"at {place}" if place
                                                                                          else "")) if x)
            value = f"{when_text} ({earliest.isoformat()})" if when_text and when_text != earliest.isoformat() \
                else earliest.isoformat()
            self.e_obs.append(cx.EventObs(key=(ev.type, self.key(actor), other), label=label, value=value,
                                          earliest=earliest, latest=latest or earliest, source=src,
                                          source_name=src_name, context=sentence, ref=ref, published=published))

    def _quote(self, article_id: int, a: Analysis, q, entity_corpus: dict[str, ActorRefOut]) -> None:  # noqa: ANN001
        speaker = self.actor_out(article_id, q.speaker)
        ref = self.ref(article_id, q.start, q.end)
        if speaker is None:
            return
        spans = [(f.start, f.end) for f in q.fragments] or [(q.start, q.end)]
        for e in a.entities:
            if q.speaker and e.id == q.speaker.actor_id:
                continue
            if any(s <= m.start and m.end <= t for m in e.mentions for s, t in spans):
                self._relation("speaks_about", speaker, entity_corpus[e.id], ref, None)
        addressee = self.actor_out(article_id, q.addressee)
        if addressee is not None:
            self._relation("speaks_to", speaker, addressee, ref, None)
        if q.speaker is None or q.speaker.actor_id is None:
            return  # "officials said": not a named source
        slot = self.speakers.setdefault(self.key(speaker), {"speaker": speaker, "roles": Counter(), "quotes": []})
        if q.speaker and q.speaker.role:
            slot["roles"][q.speaker.role] += 1
        text = " ".join(q.text.split())
        same = next((x for x in slot["quotes"] if x.text.casefold() == text.casefold()), None)
        if same is not None:  # the same words repeated by another article: one quote, several sources
            if all(r.article_id != article_id for r in [same.ref, *same.also]):
                same.also.append(ref)
            return
        slot["quotes"].append(QuoteOut(text=text, kind=q.kind, cue=q.cue.text if q.cue else None,
                                       addressee=addressee.name if addressee else None, belief=q.belief, ref=ref))

    def _claim(self, article_id: int, a: Analysis, c) -> None:  # noqa: ANN001
        holder = self.actor_out(article_id, c.holder)
        ref = self.ref(article_id, c.start, c.end)
        cid = self.claim_ids.get((article_id, c.id))
        lk, h = c.likelihood, c.horizon
        out = ClaimOut(
            claim_id=cid, text=" ".join(c.text.split()), holder=holder, holder_role=c.holder.role if c.holder else None,
            polarity=c.polarity, forecast=c.forecast, likelihood=lk.phrase if lk else None,
            band=lk.band if lk else None, low=lk.low if lk else None, high=lk.high if lk else None,
            horizon=h.text if h else None, horizon_value=h.value if h else None,
            horizon_date=_horizon_date(h), conditions=[x.text for x in c.conditions],
            resolutions=[ResolutionOut(outcome=r.outcome, resolved_on=r.resolved_on, note=r.note)
                         for r in self.resolutions.get(cid, [])] if cid is not None else [], ref=ref)
        self.claims.append(out)
        if holder is not None:
            hk, hname = self.key(holder), holder.name
        else:
            hk, hname = self.source_of(article_id, a, c.start, c.end)
        events = set()
        for eid in c.event_ids:
            ev = next((e for e in a.events if e.id == eid), None)
            if ev is not None:
                events.add((ev.type, self.key(self.actor_out(article_id, ev.actor)),
                            self.key(self.actor_out(article_id, ev.target))))
        stop = {w.lower() for w in hname.split()}
        if lk:
            stop |= {w.lower() for w in lk.phrase.split()}
        self.c_obs.append(cx.ClaimObs(text=out.text, holder=hk, holder_name=hname, polarity=c.polarity,
                                      low=lk.low if lk else None, high=lk.high if lk else None,
                                      phrase=lk.phrase if lk else None, events=events, ref=ref,
                                      words=cx.content_words(c.text, stop)))

    def _quantity(self, article_id: int, a: Analysis, n, published: dt.date | None) -> None:  # noqa: ANN001
        rng = cx.quantity_range(n.value, n.value_low, n.value_high, n.approx)
        unit = (n.unit or n.counts or "").strip()
        if rng is None or not unit:
            return
        ev = next((e for e in a.events if e.id == n.event_id or n.id in e.quantity_ids), None)
        about: ActorRefOut | None = None
        if ev is not None:
            about = self.actor_out(article_id, ev.actor) or self.actor_out(article_id, ev.target)
        if about is None:
            about = self._salient_actor_near(article_id, a, n.start, n.end)
        if about is None:
            return
        src, src_name = self.source_of(article_id, a, n.start, n.end)
        s_text = sentence_around(a.text, n.start, n.end)
        self.q_obs.append(cx.QuantityObs(unit=unit, about=self.key(about), about_name=about.name,
                                         event_type=ev.type if ev else None, value=n.text, low=rng[0], high=rng[1],
                                         source=src, source_name=src_name, context=s_text,
                                         ref=self.ref(article_id, n.start, n.end), published=published))

    def _salient_actor_near(self, article_id: int, a: Analysis, start: int, end: int) -> ActorRefOut | None:
        """The most salient non-place actor named in the number's sentence (places say where, not who)."""
        s, e = sentence_bounds(a.text, start, end)
        found = [ent for ent in a.entities if any(s <= m.start and m.end <= e for m in ent.mentions)]
        if not found:
            return None
        best = max(found, key=lambda ent: (_acts(ent), ent.salience, len(ent.mentions)))
        cid = self.local.get((article_id, best.id))
        return ActorRefOut(id=cid, name=self.names[cid][0]) if cid in self.names else ActorRefOut(name=best.name)

    # ------------------------------------------------------------------ the brief
    def finish(self, limits: Limits) -> dict:
        actors = sorted(self.actors.values(), key=lambda x: (-x.salience, -x.articles, -x.mentions, x.name))
        actor_out = [BriefActor(
            id=x.id, name=x.name, type=x.type, salience=round(x.salience, 4), articles=x.articles, mentions=x.mentions,
            roles=[RoleOut(text=t, count=v[0], ref=v[1]) for t, v in sorted(x.roles.items(), key=lambda kv: -kv[1][0])
                   ][:6],
            aliases=[n for n, _ in x.aliases.most_common() if n != x.name][:8], ref=x.ref)
            for x in actors[:limits.actors]]
        relations = sorted(self.relations.items(), key=lambda kv: (-kv[1]["count"], kv[0]))
        rel_out = [Relation(kind=k[0], source=v["src"], target=v["dst"], count=v["count"],
                            types=[t for t, _ in v["types"].most_common()], refs=v["refs"])
                   for k, v in relations[:limits.relations]]
        timeline = sorted(self.timeline.values(), key=lambda t: (t.date is None, t.date or dt.date.min, t.type,
                                                                 t.refs[0].article_id, t.refs[0].start))
        speakers = sorted(self.speakers.values(), key=lambda v: (-len(v["quotes"]), v["speaker"].name))
        roles_of = {x.id: [r.text for r in x.roles] for x in actor_out}
        sp_out = []
        for v in speakers[:limits.speakers]:
            sp = v["speaker"]
            roles = list(dict.fromkeys([*[r for r, _ in v["roles"].most_common()], *roles_of.get(sp.id, [])]))[:4]
            quotes = sorted(v["quotes"], key=lambda q: (q.kind != "direct", q.ref.published or dt.date.min,
                                                        q.ref.article_id, q.ref.start))
            sp_out.append(SpeakerQuotes(speaker=sp, roles=roles, total=len(quotes),
                                        quotes=quotes[:limits.quotes_per_speaker]))
        forecasts = sorted((c for c in self.claims if c.forecast),
                           key=lambda c: (c.horizon_date is None, c.horizon_date or dt.date.max, c.ref.article_id,
                                          c.ref.start))
        assessments = [c for c in self.claims if not c.forecast]
        contra = (cx.quantity_contradictions(self.q_obs) + cx.date_contradictions(self.e_obs)
                  + cx.claim_contradictions(self.c_obs))
        places = sorted(self.places.values(), key=lambda p: (-p.count, p.name))
        return dict(actors=actor_out, relations=rel_out, timeline=timeline[:limits.timeline], speakers=sp_out,
                    assessments=assessments[:limits.claims], forecasts=forecasts[:limits.claims],
                    contradictions=contra[:limits.contradictions], places=places[:limits.places])


def _title(topic: str | None, actor: str | None) -> str:
    if topic and actor:
        return f"Situation brief: {topic} — {actor}"
    if topic or actor:
        return f"Situation brief: {topic or actor}"
    return "Situation brief"


def assemble(store: Store, *, topic: str | None = None, actor: str | None = None, since: dt.date | None = None,
             until: dt.date | None = None, limits: Limits | None = None, now: dt.datetime | None = None) -> Brief:
    """The brief over the articles matching the filters (all originals when none is given)."""
    limits = limits or Limits()
    ids = queries.select_articles(store, topic=topic, actor=actor, since=since, until=until,
                                  limit=limits.articles + 1)
    truncated = len(ids) > limits.articles
    ids = ids[:limits.articles]
    summaries = queries.article_summaries(store, ids)
    local = queries.corpus_actor_ids(store, ids)
    names = queries.actor_names(store, set(local.values()))
    claim_ids = queries.claim_ids(store, ids)
    resolutions = queries.resolutions_by_claim(store, claim_ids.values())
    col = _Collector(summaries, local, names, claim_ids, resolutions)
    for article_id, analysis in store.iter_analyses(article_ids=ids):
        col.add(article_id, analysis)
    arts = sorted((summaries[i] for i in ids if i in summaries),
                  key=lambda s: (s.published is None, s.published or dt.date.min, s.id))
    dates = [s.published for s in arts if s.published]
    return Brief(
        title=_title(topic, actor), generated=now or dt.datetime.now(dt.UTC),
        filters=BriefFilters(topic=topic, actor=actor, since=since, until=until),
        first_published=min(dates) if dates else None, last_published=max(dates) if dates else None,
        articles=[ArticleOut(id=s.id, headline=s.headline, outlet=s.outlet, published=s.published, url=s.url)
                  for s in arts],
        truncated=truncated, **col.finish(limits))
