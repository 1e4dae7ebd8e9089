"""The situation brief: assembly from the store, contradictions, rendering (md, html, pdf), the CLI."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from typer.testing import CliRunner

from sitroom.present import charts
from sitroom.present.brief import assemble, render_html, render_markdown, render_pdf
from sitroom.present.brief import contradictions as cx
from sitroom.present.brief.model import SourceRef
from sitroom.present.cli import app
from sitroom.present.geo import countries, world_geojson
from sitroom.present.web.highlight import highlight
from tests.corpus_builder import XSS_ACTOR, build_store, corpus


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = build_store(tmp_path_factory.mktemp("brief") / "corpus.db")
    yield s
    s.close()


@pytest.fixture(scope="module")
def brief(store):
    return assemble(store, now=dt.datetime(2024, 12, 1, tzinfo=dt.UTC))


def _text(store, ref: SourceRef) -> str:
    return store.article(ref.article_id).text[ref.start:ref.end]


# --------------------------------------------------------------------------- assembly

def test_brief_covers_every_article_in_date_order(brief):
    assert [a.published for a in brief.articles] == sorted(a.published for a in brief.articles)
    assert len(brief.articles) == 4
    assert (brief.first_published, brief.last_published) == (dt.date(2024, 11, 12), dt.date(2024, 11, 15))


def test_actors_ranked_by_salience_with_roles(brief):
    saliences = [a.salience for a in brief.actors]
    assert saliences == sorted(saliences, reverse=True)
    morland = next(a for a in brief.actors if a.name == "Morland")
    assert morland.articles == 2  # the same corpus actor across two outlets
    varga = next(a for a in brief.actors if a.name == "Piet Varga")
    assert [r.text for r in varga.roles] == ["Defence Minister"]
    assert "Varga" in varga.aliases


def test_relations_say_who_acts_on_and_speaks_to_whom(brief):
    rel = {(r.kind, r.source.name, r.target.name): r for r in brief.relations}
    acts = rel[("acts_on", "Morland", "Estavia")]
    assert acts.count == 2 and acts.types == ["MOBILIZE"]
    assert ("speaks_to", "Piet Varga", "Estavia") in rel


def test_speaks_about_comes_from_mentions_inside_a_quote(tmp_path):
    from sitroom.model import ActorRef, Quote
    from tests.corpus_builder import ArticleBuilder

    b = ArticleBuilder("Envoy warns Morland", ["\u201cMorland must pull back,\u201d said envoy Lia Oren.",
                                               "Talks could resume soon, officials said."],
                       outlet="Wire", published=dt.date(2024, 11, 20))
    b.actor("A1", "Morland", "GPE", ["Morland"])
    b.actor("A2", "Lia Oren", "PERSON", ["Lia Oren"], roles=["envoy"])
    b.quote("Morland must pull back,", "A2", cue="said")
    s0, e0 = b.span("Talks could resume soon")
    b.quotes.append(Quote(id="Q2", kind="indirect", start=s0, end=e0, text="Talks could resume soon",
                          speaker=ActorRef(name="officials")))
    s = build_store(tmp_path / "x.db")
    s.add(b.build("wire/x.txt"))
    brief = assemble(s, topic="Oren")
    assert [(r.kind, r.source.name, r.target.name) for r in brief.relations] == [
        ("speaks_about", "Lia Oren", "Morland")]
    assert [sp.speaker.name for sp in brief.speakers] == ["Lia Oren"]  # "officials" is not a named source


def test_timeline_is_dated_placed_and_numbered(brief, store):
    dates = [t.date for t in brief.timeline]
    assert dates == sorted(dates)
    first = brief.timeline[0]
    assert (first.date, first.type, first.place, first.numbers) == (dt.date(2024, 11, 10), "MOBILIZE", "Port Valmora",
                                                                    ["3,000 troops"])
    assert first.dated_by == "text"
    for t in brief.timeline:
        for ref in t.refs:  # each entry links the sentence it was read from
            assert _text(store, ref) == t.sentence


def test_quotes_grouped_by_speaker_with_roles(brief, store):
    by = {s.speaker.name: s for s in brief.speakers}
    duvall = by["Clara Duvall"]
    assert duvall.roles == ["Estavian Foreign Minister"]
    q = duvall.quotes[0]
    assert _text(store, q.ref) == q.text == "We will not be intimidated in our own waters,"


def test_forecasts_carry_likelihood_horizon_holder_and_outcome(store, tmp_path):
    b = assemble(store)
    reyes = next(c for c in b.forecasts if c.text.startswith("a collision"))
    assert (reyes.holder.name, reyes.likelihood, reyes.band, reyes.low, reyes.high) == (
        "Tomas Reyes", "more likely than not", "likely", 0.55, 0.8)
    assert reyes.horizon == "over the next few weeks" and reyes.horizon_date == dt.date(2024, 12, 1)
    assert reyes.resolutions == []
    store.add_resolution(reyes.claim_id, "no", dt.date(2024, 12, 2), "no collision reported")
    again = next(c for c in assemble(store).forecasts if c.claim_id == reyes.claim_id)
    assert [(r.outcome, r.resolved_on, r.note) for r in again.resolutions] == [
        ("no", dt.date(2024, 12, 2), "no collision reported")]


def test_contradictions_figures_dates_and_claims(brief, store):
    kinds = {c.kind: c for c in brief.contradictions}
    assert set(kinds) == {"quantity", "date", "claim"}
    q = kinds["quantity"]
    assert q.subject.startswith("troops (Morland)")
    assert [(i.value, i.source) for i in q.items] == [("around 2,500 troops", "The Harbor Ledger"),
                                                       ("3,000 troops", "Northern Courier")]
    for i in q.items:
        assert _text(store, i.ref) == i.value  # the figure as written, at its offsets
    d = kinds["date"]
    assert [i.value for i in d.items] == ["on Sunday (2024-11-10)", "on Monday (2024-11-11)"]
    c = kinds["claim"]
    assert {i.source for i in c.items} == {"Tomas Reyes", "Piet Varga"}


def _qobs(value, low, high, source, published=dt.date(2024, 1, 1), article=1, unit="troops", about="#1"):
    ref = SourceRef(article_id=article, start=0, end=1)
    return cx.QuantityObs(unit=unit, about=about, about_name="X", event_type=None, value=value, low=low, high=high,
                          source=source, source_name=source, context="", ref=ref, published=published)


def test_quantity_contradiction_rules():
    # different sources, disjoint ranges: a contradiction
    assert len(cx.quantity_contradictions([_qobs("2,500", 2375, 2625, "a"), _qobs("3,000", 3000, 3000, "b")])) == 1
    # the same source changing its figure: an update, not a contradiction
    assert cx.quantity_contradictions([_qobs("2,500", 2500, 2500, "a"), _qobs("3,000", 3000, 3000, "a")]) == []
    # approximate figures that overlap agree
    assert cx.quantity_contradictions([_qobs("about 3,000", 2850, 3150, "a"), _qobs("3,100", 3100, 3100, "b")]) == []
    # reports weeks apart are not compared
    late = dt.date(2024, 2, 1)
    assert cx.quantity_contradictions([_qobs("10", 10, 10, "a"), _qobs("40", 40, 40, "b", published=late)]) == []
    # different actors or units are different quantities
    assert cx.quantity_contradictions([_qobs("10", 10, 10, "a"), _qobs("40", 40, 40, "b", about="#2")]) == []
    assert cx.quantity_contradictions([_qobs("10", 10, 10, "a"), _qobs("40", 40, 40, "b", unit="deaths")]) == []
    # a generic unit needs an event to say what is counted
    assert cx.quantity_contradictions([_qobs("10", 10, 10, "a", unit="people"),
                                       _qobs("40", 40, 40, "b", unit="people")]) == []


def test_approximate_range():
    assert cx.quantity_range(2500, None, None, True) == pytest.approx((2375, 2625))
    assert cx.quantity_range(None, 40, 30, False) == (30, 40)
    assert cx.quantity_range(None, None, None, False) is None


def _eobs(day, source, article):
    d = dt.date(2024, 3, day)
    return cx.EventObs(key=("ATTACK", "#1", "#2"), label="X ATTACK Y", value=d.isoformat(), earliest=d, latest=d,
                       source=source, source_name=source, context="", ref=SourceRef(article_id=article, start=0, end=1),
                       published=dt.date(2024, 3, 5))


def test_date_contradiction_rules():
    assert len(cx.date_contradictions([_eobs(1, "a", 1), _eobs(2, "b", 2)])) == 1
    assert cx.date_contradictions([_eobs(1, "a", 1), _eobs(1, "b", 2)]) == []
    # one article reporting the event on two days: it recurs, nothing to contradict
    assert cx.date_contradictions([_eobs(1, "a", 1), _eobs(3, "a", 1), _eobs(2, "b", 2)]) == []


def _cobs(text, holder, low=None, high=None, polarity="positive"):
    return cx.ClaimObs(text=text, holder=holder, holder_name=holder, polarity=polarity, low=low, high=high,
                       phrase=None, ref=SourceRef(article_id=1, start=0, end=1), words=cx.content_words(text))


def test_claim_disagreement_rules():
    a = _cobs("The talks will resume in Geneva next month", "A")
    b = _cobs("The talks will not resume in Geneva next month", "B", polarity="negative")
    assert len(cx.claim_contradictions([a, b])) == 1
    same_holder = _cobs("The talks will not resume in Geneva next month", "A", polarity="negative")
    assert cx.claim_contradictions([a, same_holder]) == []
    other_topic = _cobs("Grain exports will not recover this year", "B", polarity="negative")
    assert cx.claim_contradictions([a, other_topic]) == []
    even = _cobs("The talks will resume in Geneva next month", "C", low=0.45, high=0.55)
    assert cx.claim_contradictions([a, even]) == []  # even odds takes no side
    unlikely = _cobs("The talks are unlikely to resume in Geneva next month", "D", low=0.2, high=0.45)
    assert len(cx.claim_contradictions([a, unlikely])) == 1


def test_filters_select_articles(store):
    assert len(assemble(store, topic="troops").articles) == 2
    assert [a.outlet for a in assemble(store, actor="Piet Varga").articles] == ["Northern Courier"]
    only = assemble(store, since=dt.date(2024, 11, 14), until=dt.date(2024, 11, 14))
    assert [a.published for a in only.articles] == [dt.date(2024, 11, 14)]
    empty = assemble(store, topic="nonexistentword")
    assert empty.empty and empty.actors == [] and empty.contradictions == []


def test_places_for_the_map(brief):
    names = {p.name: p for p in brief.places}
    assert names["Port Valmora"].count == 4
    assert set(names["Port Valmora"].types) == {"MOBILIZE", "PROTEST", "CONSULT"}


# --------------------------------------------------------------------------- rendering

def test_markdown_links_every_source_and_escapes_article_text(brief, tmp_path):
    md = render_markdown(brief, assets_dir=tmp_path / "b_files", assets_prefix="b_files/")
    for heading in ("## Key actors", "## Timeline of events", "## What the named sources say",
                    "## Assessments and forecasts", "## Contradictions", "## Map of event locations"):
        assert heading in md
    assert "(http://127.0.0.1:8000/articles/1?hl=" in md
    assert re.search(r"(?<!\\)<", md) is None  # every < of article text is escaped: payloads are inert
    assert r"\<script\>alert" in md
    for name in ("map", "timeline", "network"):
        assert f"](b_files/{name}.svg)" in md
        assert (tmp_path / "b_files" / f"{name}.svg").read_text().startswith("<svg")


def test_html_brief_is_escaped_and_self_contained(brief):
    html = render_html(brief)
    assert "<script" not in html.replace("&lt;script", "")
    assert "&lt;script&gt;alert" in html
    assert "onerror=alert" not in re.sub(r"&lt;img src=x onerror=alert", "", html)
    assert html.count("<svg") == 3
    assert 'href="http://127.0.0.1:8000/articles/2?hl=' in html
    assert "http" not in re.sub(r'(href|xlink:href)="http://127\.0\.0\.1:8000[^"]*"', "", html).split("<body>")[0] \
        .replace("http://www.w3.org", "")


def test_pdf_brief(brief):
    pytest.importorskip("weasyprint")
    try:
        pdf = render_pdf(brief)
    except Exception as exc:  # pango missing on this machine
        pytest.skip(f"WeasyPrint cannot run here: {exc}")
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000


# --------------------------------------------------------------------------- charts, outline, highlighting

def test_world_outline_decodes():
    world = countries()
    assert len(world) > 150
    for name, polys in world:
        for poly in polys:
            ring = poly[0]
            for x, y in ring:
                assert -200 <= x <= 200 and -90.01 <= y <= 90.01
            jumps = [1 for (x0, _), (x1, _) in zip(ring, ring[1:], strict=False) if abs(x1 - x0) > 180]
            assert not jumps or name == "Antarctica"  # rings across the antimeridian are continuous
    assert world_geojson().startswith('{"type":"FeatureCollection"')


def test_charts_use_no_inline_style_and_escape_labels():
    svg = charts.map_svg([charts.Point(lat=43.5, lon=16.4, label="<b>x</b>", count=2, href="/articles/1?hl=1-2#s1")])
    svg += charts.timeline_svg([charts.Mark(date=dt.date(2024, 1, 1), lane="<i>", label="<script>")])
    nodes = [charts.Node(key="a", label="A&B"), charts.Node(key="b", label="<b>")]
    svg += charts.network_svg(nodes, [charts.Edge(source="a", target="b", kind="acts_on", label="x")])
    assert "style=" not in svg and "<style" not in svg
    assert "<b>" not in svg and "<script>" not in svg and "<i>" not in svg
    assert "&lt;b&gt;" in svg and "A&amp;B" in svg


def test_force_layout_is_deterministic():
    keys = ["a", "b", "c", "d"]
    edges = [("a", "b"), ("b", "c"), ("c", "d")]
    assert charts.force_layout(keys, edges) == charts.force_layout(keys, edges)


def test_highlight_keeps_every_character_and_escapes():
    for a in corpus():
        h = highlight(a, target=(a.quotes[0].start, a.quotes[0].end) if a.quotes else None)
        plain = re.sub(r"<[^>]+>", "", str(h.html))
        import html as _html

        assert _html.unescape(plain) == a.text
        assert "<script" not in str(h.html)
    x = corpus()[-1]
    html = str(highlight(x).html)
    assert "&lt;img src=x onerror=alert(&#39;actor&#39;)&gt;Mayor" in html
    assert XSS_ACTOR not in html


# --------------------------------------------------------------------------- the CLI

def test_cli_brief_md_html_pdf(store, tmp_path):
    runner = CliRunner()
    db = store.url.removeprefix("sqlite:///")
    r = runner.invoke(app, ["brief", "--db", db, "--topic", "troops", "--format", "md"])
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("# Situation brief: troops")
    out = tmp_path / "brief.html"
    r = runner.invoke(app, ["brief", "--db", db, "--actor", "Morland", "--format", "html", "--out", str(out),
                            "--base-url", "http://room.example:9000"])
    assert r.exit_code == 0, r.output
    assert "http://room.example:9000/articles/" in out.read_text()
    md = tmp_path / "b.md"
    assert runner.invoke(app, ["brief", "--db", db, "--out", str(md)]).exit_code == 0
    assert (tmp_path / "b_files" / "map.svg").exists() and "](b_files/map.svg)" in md.read_text()


def test_cli_brief_pdf(store, tmp_path):
    pytest.importorskip("weasyprint")
    out = tmp_path / "b.pdf"
    r = CliRunner().invoke(app, ["brief", "--db", store.url.removeprefix("sqlite:///"), "--format", "pdf",
                                 "--out", str(out)])
    if r.exit_code == 2 and "Pango" in r.output:
        pytest.skip("pango missing")
    assert r.exit_code == 0, r.output
    assert out.read_bytes().startswith(b"%PDF")


def test_cli_brief_bad_input_is_a_clear_error(store, tmp_path):
    runner = CliRunner()
    r = runner.invoke(app, ["brief", "--db", str(tmp_path / "missing.db")])
    assert r.exit_code == 2 and "no corpus" in r.output and "Traceback" not in r.output
    assert not (tmp_path / "missing.db").exists()  # nothing created by looking
    r = runner.invoke(app, ["serve", "--db", str(tmp_path / "missing.db")])
    assert r.exit_code == 2 and "no corpus" in r.output
    db = store.url.removeprefix("sqlite:///")
    r = runner.invoke(app, ["brief", "--db", db, "--since", "yesterday"])
    assert r.exit_code == 2 and "not a date" in r.output
    r = runner.invoke(app, ["brief", "--db", db, "--format", "docx"])
    assert r.exit_code == 2 and "unknown format" in r.output
    r = runner.invoke(app, ["brief", "--db", db, "--since", "2024-12-01", "--until", "2024-11-01"])
    assert r.exit_code == 2


def test_repeated_quote_is_one_quote_with_several_sources(tmp_path):
    from tests.corpus_builder import ArticleBuilder

    s = build_store(tmp_path / "r.db")
    for i, outlet in enumerate(("Wire A", "Wire B")):
        b = ArticleBuilder(f"Minister speaks {i}",
                           [f"\u201cThe port stays open,\u201d said minister Ada Lemm. Day {i}."],
                           outlet=outlet, published=dt.date(2024, 11, 21 + i))
        b.actor("A1", "Ada Lemm", "PERSON", ["Ada Lemm"], roles=["minister"])
        b.quote("The port stays open,", "A1", cue="said")
        s.add(b.build(f"{outlet}/{i}.txt"))
    sp = next(x for x in assemble(s, topic="Lemm").speakers if x.speaker.name == "Ada Lemm")
    assert len(sp.quotes) == 1 and len(sp.quotes[0].also) == 1
    assert {sp.quotes[0].ref.outlet, sp.quotes[0].also[0].outlet} == {"Wire A", "Wire B"}


def test_relations_only_between_known_actors(brief):
    assert all(r.source.id is not None and r.target.id is not None for r in brief.relations)


def test_horizon_date_only_when_the_text_fixes_an_end():
    from sitroom.model import TimeExpr
    from sitroom.present.brief.assemble import _horizon_date

    weeks = TimeExpr(id="T1", start=0, end=1, text="x", type="INTERVAL", value="2024-11-12/PXW",
                     earliest=dt.date(2024, 11, 12))
    assert _horizon_date(weeks) is None  # the start of "the next few weeks" is not its horizon
    month = TimeExpr(id="T2", start=0, end=1, text="x", type="DURATION", value="P1M", earliest=dt.date(2024, 11, 20),
                     latest=dt.date(2024, 12, 20))
    assert _horizon_date(month) == dt.date(2024, 12, 20)
