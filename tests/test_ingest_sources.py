"""Reading batch inputs (no analysis): folders, JSON lines, WARC, RSS/Atom, bad inputs."""

from __future__ import annotations

import datetime as dt
import gzip
import json

from sitroom.ingest.sources import count, iter_items, plan
from tests.corpus_fixtures import BILLION_LAUGHS, invented_article, mixed_folder, rss, split_article


def test_mixed_folder(tmp_path):
    expected = mixed_folder(tmp_path / "in")
    inputs = plan([str(tmp_path / "in")])
    names = [i.path.name for i in inputs]
    assert ".hidden.txt" not in names and "notes.pdf" not in names
    items = list(iter_items(inputs))
    ok = [i for i in items if i.ok]
    failed = [i for i in items if not i.ok]
    assert (len(ok), len(failed)) == (expected["ok"], expected["failed"])
    assert count(inputs) == len(items)
    by_source = {i.source.rsplit("/", 1)[-1]: i for i in items}
    # JSON lines: a bad line fails alone, with its line number
    assert "not valid JSON" in by_source["c.jsonl#L2"].error
    assert "no text or html field" in by_source["c.jsonl#L3"].error
    assert by_source["c.jsonl#L1"].published == dt.date(2024, 11, 3)
    assert by_source["c.jsonl#L1"].raw.url == "https://news.example/3"
    assert by_source["c.jsonl#L4"].raw.kind == "html" and by_source["c.jsonl#L4"].published == dt.date(2024, 11, 4)
    # a JSON list, with the title put at the head of a text record
    assert by_source["d.json#0"].raw.text.startswith("Fifth report\n\n")
    # WARC: the two pages, not the request, the image or the 404
    warc = [i for i in ok if i.kind == "warc"]
    assert sorted(i.raw.url for i in warc) == ["https://news.example/w7", "https://news.example/w8"]
    assert all(i.raw.kind == "html" and "<p>" in i.raw.text for i in warc)
    # feeds: full content, entry date, link as the source
    feed = {i.source: i for i in ok if i.kind == "feed"}
    assert set(feed) == {"https://news.example/f9", "https://news.example/f10", "https://news.example/a11"}
    assert feed["https://news.example/f9"].published == dt.date(2024, 11, 19)
    assert feed["https://news.example/a11"].published == dt.date(2024, 11, 21)
    assert split_article(invented_article(9))[1].split("\n\n")[0] in feed["https://news.example/f9"].raw.text
    # refused and unreadable inputs say why
    assert "refused" in by_source["bomb.xml"].error
    assert "empty" in by_source["empty.txt"].error
    assert "binary" in by_source["binary.txt"].error


def test_missing_path_and_gzipped_jsonl(tmp_path):
    gz = tmp_path / "batch.jsonl.gz"
    with gzip.open(gz, "wt", encoding="utf-8") as fh:
        for i in (1, 2, 3):
            fh.write(json.dumps({"text": invented_article(i)}) + "\n")
    items = list(iter_items(plan([str(gz), str(tmp_path / "nope.txt")])))
    assert [i.ok for i in items] == [True, True, True, False]
    assert "no such file" in items[-1].error


def test_feed_with_entities_is_refused_even_if_malformed(tmp_path):
    bad = tmp_path / "feed.rss"
    bad.write_text(BILLION_LAUGHS.replace("</channel>", ""), encoding="utf-8")
    (item,) = list(iter_items(plan([str(bad)])))
    assert not item.ok and "refused" in item.error


def test_feed_teaser_without_follow_links_is_kept_as_text(tmp_path):
    f = tmp_path / "teasers.rss"
    f.write_text(rss([{"title": "Short one", "link": "https://news.example/s", "date": "2024-11-02",
                       "summary": "Only a teaser about the talks."}]), encoding="utf-8")
    (item,) = list(iter_items(plan([str(f)])))
    assert item.ok and "Only a teaser" in item.raw.text and item.published == dt.date(2024, 11, 2)
