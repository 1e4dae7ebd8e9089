"""Store behaviour shared by the SQLite and PostgreSQL test modules (each provides a `store` fixture).

The analyses here are built by hand (`make_analysis`), with invented articles, so that these tests
check the store and not the extraction: offsets, identity, actor merging and queries are exact.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select, text, update

from sitroom.model import (
    ActorRef,
    Analysis,
    Article,
    Claim,
    Entity,
    Event,
    Likelihood,
    Mention,
    Paragraph,
    Provenance,
    Quote,
    Role,
    Source,
    TextSpan,
    TimeExpr,
)
from sitroom.store import schema as s


def span(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def make_analysis(text: str, *, entities=(), quotes=(), events=(), claims=(), published: str | None = None,
                  url: str | None = None, outlet: str | None = None, path: str | None = None) -> Analysis:
    """An `Analysis` of `text` with facts located by substring.

    entities: (local id, name, type, [aliases], [mention strings], [role strings])
    quotes:   (speaker local id, content string, cue string)
    events:   (type, trigger string, actor local id, target local id, date "YYYY-MM-DD" or None)
    claims:   (holder local id, claim string, forecast, band)
    """
    first_line = text.split("\n", 1)[0]
    paragraphs = []
    pos = len(first_line)
    for block in text[pos:].split("\n\n"):
        if block.strip():
            st = text.index(block.strip(), pos)
            paragraphs.append(Paragraph(start=st, end=st + len(block.strip()), text=block.strip()))
            pos = st + len(block.strip())
    art = Article(headline=TextSpan(start=0, end=len(first_line), text=first_line), body=paragraphs,
                  published=dt.date.fromisoformat(published) if published else None,
                  published_source="metadata" if published else "none", url=url, outlet=outlet)
    ents = []
    refs: dict[str, ActorRef] = {}
    for local, name, typ, aliases, mentions, roles in entities:
        ms = []
        for m in mentions:
            a, b = span(text, m)
            ms.append(Mention(start=a, end=b, text=m, kind="name"))
        rs = [Role(start=span(text, r)[0], end=span(text, r)[1], text=r) for r in roles]
        ents.append(Entity(id=local, name=name, type=typ, aliases=list(aliases), mentions=ms, roles=rs))
        refs[local] = ActorRef(name=name, actor_id=local, start=ms[0].start if ms else None,
                               end=ms[0].end if ms else None, text=ms[0].text if ms else None)
    qs = []
    for i, (speaker, content, cue) in enumerate(quotes, 1):
        a, b = span(text, content)
        c0, c1 = span(text, cue)
        qs.append(Quote(id=f"Q{i}", kind="direct", start=a, end=b, text=content, speaker=refs.get(speaker),
                        cue=TextSpan(start=c0, end=c1, text=cue)))
    times, evs = [], []
    for i, (typ, trigger, actor, target, date) in enumerate(events, 1):
        a, b = span(text, trigger)
        time_id = None
        if date:
            time_id = f"T{i}"
            d = dt.date.fromisoformat(date)
            times.append(TimeExpr(id=time_id, start=a, end=b, text=trigger, value=date, earliest=d, latest=d))
        evs.append(Event(id=f"E{i}", type=typ, trigger=TextSpan(start=a, end=b, text=trigger), start=a, end=b,
                         text=trigger, actor=refs.get(actor), target=refs.get(target), when=date, time_id=time_id))
    cls = []
    for i, (holder, content, forecast, band) in enumerate(claims, 1):
        a, b = span(text, content)
        cls.append(Claim(id=f"C{i}", start=a, end=b, text=content, holder=refs.get(holder), forecast=forecast,
                         likelihood=Likelihood(phrase=band, band=band) if band else None))
    return Analysis(text=text, source=Source(kind="text", path=path, url=url, length=len(text)), article=art,
                    entities=ents, quotes=qs, events=evs, claims=cls, times=times,
                    provenance=Provenance(sitroom_version="test", model="hand-made"))


# --------------------------------------------------------------------------- invented articles

HARBOR = """Coast guards face off near Port Valmora

Two Estavian cutters shadowed four Morland patrol boats for a third day on Tuesday, as talks on the \
fishing zone stalled.

"Neither side wants a shooting war, but the risk of an accident is real," said Michael Kofman, a \
maritime analyst at the Institute for Sea Studies.

Kofman said Morland had moved two more boats into the strait. Estavia protested the move on Monday.

Morland is likely to extend the patrols into next month, officials said."""

WIRE = """Fishing talks collapse as patrols widen

Talks between Estavia and Morland on the disputed fishing zone broke down on Thursday, negotiators said.

"The talks have run out of road for now," Kofman told reporters, adding that both navies had doubled their patrols.

Estavia recalled its envoy from the Morland capital on Friday."""

SMITHS = """Two Smiths and a budget

Jane Smith, the finance minister, presented the budget on Wednesday. John Smith, the opposition leader, rejected it.

"This budget is a mistake," said John Smith. "It balances the books," said Jane Smith."""


def harbor(**kw) -> Analysis:
    t = HARBOR
    return make_analysis(t, entities=[
        ("A1", "Michael Kofman", "PERSON", ["Kofman"], ["Michael Kofman", "Kofman"], ["maritime analyst"]),
        ("A2", "Morland", "GPE", [], ["Morland"], []),
        ("A3", "Estavia", "GPE", ["Estavian"], ["Estavia"], []),
        ("A4", "Institute for Sea Studies", "ORG", [], ["Institute for Sea Studies"], []),
    ], quotes=[("A1", "Neither side wants a shooting war, but the risk of an accident is real", "said"),
               ("A1", "Morland had moved two more boats into the strait", "said")],
        events=[("PROTEST", "protested", "A3", "A2", "2024-11-11"), ("MOBILIZE", "moved", "A2", None, None)],
        claims=[(None, "Morland is likely to extend the patrols into next month", True, "likely")],
        published="2024-11-12", **kw)


def wire(**kw) -> Analysis:
    t = WIRE
    return make_analysis(t, entities=[
        ("A1", "Kofman", "PERSON", [], ["Kofman"], []),
        ("A2", "Estavia", "GPE", [], ["Estavia"], []),
        ("A3", "Morland", "GPE", [], ["Morland"], []),
    ], quotes=[("A1", "The talks have run out of road for now", "told")],
        events=[("REDUCE", "recalled", "A2", "A3", "2024-11-15"), ("REJECT", "broke down", "A2", "A3", "2024-11-14")],
        published="2024-11-15", outlet="Wire Service", **kw)


def smiths(**kw) -> Analysis:
    t = SMITHS
    return make_analysis(t, entities=[
        ("A1", "Jane Smith", "PERSON", ["Smith"], ["Jane Smith"], ["the finance minister"]),
        ("A2", "John Smith", "PERSON", ["Smith"], ["John Smith"], ["the opposition leader"]),
    ], quotes=[("A2", "This budget is a mistake", "said"), ("A1", "It balances the books", "said")],
        published="2024-11-13", **kw)


def counts(store) -> dict[str, int]:  # noqa: ANN001
    with store.engine.connect() as conn:
        return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                for t in s.metadata.sorted_tables}


# --------------------------------------------------------------------------- the cases

def test_schema_matches_the_migrations(store):
    """The migrated database is exactly `schema.metadata` (a model change without migration fails)."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from sitroom.store.fts import is_fts_object

    with store.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={
            "include_object": lambda obj, name, type_, reflected, compare_to: not is_fts_object(name, type_),
            "compare_type": True})
        assert compare_metadata(ctx, s.metadata) == []


def test_add_is_idempotent_and_copies_are_sources(store):
    first = store.add(harbor(path="a.txt"))
    assert first.status == "added"
    before = counts(store)
    again = store.add(harbor(path="a.txt"))
    assert again.status == "unchanged" and again.article_id == first.article_id
    assert counts(store) == before  # re-ingesting changes nothing
    # the same text under another name, with different whitespace and quote marks: one article, two sources
    copy = harbor(path="b.txt")
    copy_text = copy.text.replace("\n\n", "\n\n\n").replace('"', "\u201c")
    other = make_analysis(copy_text, path="b.txt")
    res = store.add(other)
    assert res.status == "duplicate" and res.article_id == first.article_id
    assert store.article(first.article_id).sources == ["a.txt", "b.txt"]
    assert store.stats().articles == 1


def test_near_duplicates_link_to_the_original_and_do_not_count_twice(store):
    orig = store.add(harbor(path="orig.txt"))
    quotes_before = store.stats().quotes
    # syndicated copy: new headline, one sentence added
    text = HARBOR.replace("Coast guards face off near Port Valmora", "Standoff at sea enters third day")
    text = text.replace("stalled.", "stalled. Fishing boats stayed in port.")
    res = store.add(make_analysis(text, path="syndicated.txt"))
    assert res.status == "near_duplicate" and res.duplicate_of == orig.article_id
    assert res.similarity is not None and res.similarity >= 0.8
    assert store.stats().quotes == quotes_before
    assert store.article(orig.article_id).duplicates == [res.article_id]
    # a different story is not a duplicate
    assert store.add(wire(path="wire.txt")).status == "added"
    # search shows originals only unless asked
    assert [h.id for h in store.search("standoff").hits] == []
    assert [h.id for h in store.search("standoff", include_duplicates=True).hits] == [res.article_id]


def test_same_url_with_new_text_is_a_version(store):
    store.add(harbor(url="https://news.example/harbor"))
    res = store.add(make_analysis("Completely rewritten\n\nThe story was replaced by a new one entirely.",
                                  url="https://news.example/harbor"))
    assert res.status == "version"


def test_cross_article_actors(store):
    store.add(harbor(path="h.txt"))
    store.add(wire(path="w.txt"))
    store.add(smiths(path="s.txt"))
    kofman = store.actors("Kofman")
    assert len(kofman) == 1 and kofman[0].name == "Michael Kofman" and kofman[0].article_count == 2
    assert "Kofman" not in kofman[0].aliases  # a lone surname is not listed as a name of its own
    morland = store.actors("morland")
    assert len(morland) == 1 and morland[0].article_count == 2
    assert (morland[0].first_seen, morland[0].last_seen) == (dt.date(2024, 11, 12), dt.date(2024, 11, 15))
    # two people sharing a surname stay two actors
    smith_names = sorted(a.name for a in store.actors("Smith"))
    assert smith_names == ["Jane Smith", "John Smith"]
    # quotes across the corpus by any name of the speaker
    said = store.quotes(speaker="Kofman")
    assert {q.text for q in said} == {"Neither side wants a shooting war, but the risk of an accident is real",
                                      "Morland had moved two more boats into the strait",
                                      "The talks have run out of road for now"}
    assert [q.text for q in store.quotes(speaker="John Smith")] == ["This budget is a mistake"]
    # the timeline, in date order (the event's own date, else the article's)
    tl = store.timeline(actor="Morland")
    assert [(e.type, e.date) for e in tl] == [("PROTEST", dt.date(2024, 11, 11)), ("MOBILIZE", dt.date(2024, 11, 12)),
                                              ("REJECT", dt.date(2024, 11, 14)), ("REDUCE", dt.date(2024, 11, 15))]
    detail = store.actor(kofman[0].id)
    assert [r.text for r in detail.roles] == ["maritime analyst"]
    assert {c.name for c in detail.co_actors} >= {"Morland", "Estavia"}
    assert len(detail.quotes) == 3 and len(detail.articles) == 2


def test_search_filters_and_syntax(store):
    h = store.add(harbor(path="h.txt")).article_id
    w = store.add(wire(path="w.txt")).article_id
    sm = store.add(smiths(path="s.txt")).article_id
    assert {x.id for x in store.search("patrols").hits} == {h, w}
    assert {x.id for x in store.search('"fishing zone"').hits} == {h, w}
    assert {x.id for x in store.search("budget OR envoy").hits} == {w, sm}
    assert {x.id for x in store.search("patrols -envoy").hits} == {h}
    assert store.search("patrol").total == 2  # stemmed
    assert [x.id for x in store.search("patrols", date_from=dt.date(2024, 11, 13)).hits] == [w]
    assert [x.id for x in store.search("patrols", outlet="wire service").hits] == [w]
    assert [x.id for x in store.search(actor="Jane Smith").hits] == [sm]
    assert [x.id for x in store.search(event_type="protest").hits] == [h]
    assert store.search(date_to=dt.date(2024, 11, 13)).total == 2
    hit = store.search("envoy", marks=("<<", ">>")).hits[0]
    assert "<<envoy>>" in hit.snippet and hit.headline == "Fishing talks collapse as patrols widen"
    for nasty in ['"unbalanced', "AND OR NOT", "*", "NEAR(a b)", "col:value", "'; DROP TABLE articles; --"]:
        store.search(nasty)  # never a syntax error
    assert store.stats().articles == 3


def test_resolutions_and_claims(store):
    store.add(harbor(path="h.txt"))
    (claim,) = store.claims(forecast=True)
    assert claim.likelihood_band == "likely" and claim.holder_name is None
    rid = store.add_resolution(claim.id, "yes", dt.date(2024, 12, 20), "patrols extended")
    assert store.claims(resolved=True)[0].resolutions[0].id == rid
    assert store.claims(resolved=False) == []
    with pytest.raises(ValueError):
        store.add_resolution(claim.id, "maybe")  # type: ignore[arg-type]
    with pytest.raises(KeyError):
        store.add_resolution(999_999, "no")
    assert store.delete_resolution(rid) and store.resolutions() == []


def test_failures_are_kept_and_cleared_by_success(store):
    store.record_failure("bad.txt", "bad.txt: empty input", "read")
    store.record_failure("bad.txt", "bad.txt: empty input", "read")
    (f,) = store.failures()
    assert (f.source, f.stage, f.attempts) == ("bad.txt", "read", 2)
    store.add(harbor(), source="bad.txt")
    assert store.failures() == []


def test_iter_analyses_round_trip(store):
    a = harbor(path="h.txt")
    aid = store.add(a).article_id
    store.add(wire(path="w.txt"))
    got = list(store.iter_analyses(batch_size=1))
    assert [i for i, _ in got][0] == aid and len(got) == 2
    assert got[0][1] == a
    assert store.analysis(aid) == a


def test_network(store):
    store.add(harbor(path="h.txt"))
    store.add(wire(path="w.txt"))
    net = store.network("cooccurrence", min_weight=2)
    names = {n.id: n.name for n in net.nodes}
    assert {(names[e.source], names[e.target]) for e in net.edges} >= {("Michael Kofman", "Morland")} or \
        {(names[e.source], names[e.target]) for e in net.edges} >= {("Morland", "Michael Kofman")}
    ev = store.network("events")
    names = {n.id: n.name for n in ev.nodes}
    edges = {(names[e.source], names[e.target]): e for e in ev.edges}
    assert edges[("Estavia", "Morland")].weight == 3
    assert edges[("Estavia", "Morland")].types == ["PROTEST", "REDUCE", "REJECT"]


def test_check_is_clean_and_finds_problems(store):
    aid = store.add(harbor(path="h.txt")).article_id
    store.add(wire(path="w.txt"))
    assert store.check() == []
    with store.engine.begin() as conn:
        conn.execute(update(s.quotes).where(s.quotes.c.article_id == aid).values(start=s.quotes.c.start + 1))
        conn.execute(update(s.actors).values(article_count=s.actors.c.article_count + 5))
    checks = {p.check for p in store.check()}
    assert {"offsets", "counts"} <= checks


def test_check_finds_fts_out_of_sync(store):
    if store.dialect != "sqlite":
        pytest.skip("the PostgreSQL search vector is a generated column: it cannot drift")
    store.add(harbor(path="h.txt"))
    with store.engine.begin() as conn:
        conn.execute(text("INSERT INTO articles_fts(articles_fts, rowid, headline, text) "
                          "SELECT 'delete', id, headline, text FROM articles"))
    assert "fts" in {p.check for p in store.check()}


def test_exports(store, tmp_path):
    import pyarrow.parquet as pq

    store.add(harbor(path="h.txt"))
    store.add(wire(path="w.txt"))
    from sitroom.store.export import export

    assert export(store, tmp_path / "a.parquet", "parquet") == 2
    table = pq.read_table(tmp_path / "a.parquet")
    assert table.num_rows == 2 and "headline" in table.column_names and "analysis" not in table.column_names
    assert export(store, tmp_path / "q.parquet", "parquet", "quotes") == 3
    assert export(store, tmp_path / "a.jsonl", "jsonl") == 2
    lines = [json.loads(x) for x in (tmp_path / "a.jsonl").read_text().splitlines()]
    assert Analysis.model_validate(lines[0]["analysis"]).text == HARBOR
    assert export(store, tmp_path / "e.csv", "csv", "events") == 4
    assert (tmp_path / "e.csv").read_text().splitlines()[0].startswith("id,article_id,local_id,type")
