"""Invented corpora for the ingest tests: articles, JSON lines, a WARC archive, RSS and Atom feeds.

Every article is made up here (invented countries, people and institutions), varied enough that
two of them are never near-duplicates of each other.
"""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

COUNTRIES = ["Estavia", "Morland", "Kelsova", "Dravenia", "Ostrana", "Velmark", "Sarnia", "Luvonia", "Tarsk",
             "Belgrana", "Quorin", "Halvessa"]
PEOPLE = ["Anna Ferreira", "Tomas Lindqvist", "Grace Okafor", "Pavel Drozd", "Mira Castell", "Jonah Reyes",
          "Lena Hartmann", "Samir Haddad", "Ines Duarte", "Oskar Brandt", "Yara Nasser", "Felix Moreau"]
ROLES = ["the foreign minister", "a defence analyst", "the port authority chief", "an opposition lawmaker",
         "the energy minister", "a senior diplomat", "the central bank governor", "a regional governor"]
SENTENCES = [
    "{c1} accused {c2} of moving {n} troops towards the border on {day}.",
    '"We will not accept this," said {p1}, {r1}, at a news conference in the capital.',
    "Officials in {c2} said the shipment of {n} tonnes of grain had been delayed for a week.",
    "{p2}, {r2}, told reporters that talks with {c1} would resume next month.",
    "The government of {c1} announced a {n} million euro aid package for farmers hit by the drought.",
    "Protesters gathered outside the {c2} embassy for a {ord} night, according to local police.",
    '"The risk of escalation is rising," {p1} warned in an interview with a state broadcaster.',
    "{c2} recalled its ambassador from {c1} on {day} after the incident at sea.",
    "Analysts expect inflation in {c1} to fall below {n} percent by the end of the year.",
    "A ferry carrying {n} passengers was turned back at the harbour entrance by the coast guard.",
    "{p2} said the sanctions would probably be lifted if both sides honoured the ceasefire.",
    "Power cuts affected {n} households in the north of {c2} after a storm damaged the grid.",
    "The parliament of {c1} voted to extend the state of emergency by {n} days.",
    "Trade between {c1} and {c2} fell by a third last quarter, customs data showed.",
    "{p1} met the {c2} delegation behind closed doors, aides said, without giving details.",
    "Rescue teams searched for {n} miners trapped after a tunnel collapse near the border town.",
    '"Our patience has limits," {r2} {p2} told the assembly, to loud applause.',
    "The central bank of {c2} raised its main rate by {n} basis points on {day}.",
    "Satellite images showed new earthworks along a {n} kilometre stretch of the frontier.",
    "Teachers in {c1} began a strike over pay that unions said would last {n} days.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
ORD = ["second", "third", "fourth", "fifth", "sixth"]
HEADLINES = ["{c1} and {c2} trade accusations", "Tension rises between {c1} and {c2}", "{p1} warns {c2}",
             "Crisis talks stall in {c1}", "{c2} braces for a long winter", "New sanctions weighed against {c2}"]


def invented_article(i: int) -> str:
    """Article number `i` (deterministic), about 8 varied sentences under a headline."""
    rng = random.Random(1000 + i)
    c1, c2 = rng.sample(COUNTRIES, 2)
    p1, p2 = rng.sample(PEOPLE, 2)
    r1, r2 = rng.sample(ROLES, 2)

    def fill(t: str) -> str:
        return t.format(c1=c1, c2=c2, p1=p1, p2=p2, r1=r1, r2=r2, n=rng.randint(2, 900), day=rng.choice(DAYS),
                        ord=rng.choice(ORD))

    sentences = [fill(t) for t in rng.sample(SENTENCES, 8)]
    paragraphs = [" ".join(sentences[k:k + 2]) for k in range(0, 8, 2)]
    return fill(rng.choice(HEADLINES)) + f" (report {i})\n\n" + "\n\n".join(paragraphs) + "\n"


def html_page(title: str, body: str, url: str = "") -> str:
    paras = "".join(f"<p>{p}</p>\n" for p in body.split("\n\n") if p.strip())
    return (f"<!doctype html><html><head><title>{title}</title><link rel='canonical' href='{url}'></head><body>"
            f"<nav>Home | World | Business</nav><article><h1>{title}</h1>\n{paras}</article>"
            f"<footer>Copyright The Example Times</footer></body></html>")


def split_article(text: str) -> tuple[str, str]:
    head, _, body = text.partition("\n\n")
    return head.strip(), body.strip()


def write_warc(path: Path, pages: list[tuple[str, str]]) -> None:
    """A gzipped WARC: one response per (url, html), plus an image, a 404 and a request (all skipped)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)

        def response(url: str, status: str, ctype: str, payload: bytes) -> None:
            headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(payload),
                                                          http_headers=headers))

        writer.write_record(writer.create_warc_record("https://news.example/", "request",
                                                      payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")))
        for url, html in pages:
            response(url, "200 OK", "text/html; charset=utf-8", html.encode("utf-8"))
        response("https://news.example/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
        response("https://news.example/missing", "404 Not Found", "text/html", b"<html><body>gone</body></html>")


def rss(entries: list[dict]) -> str:
    items = "".join(
        f"<item><title>{e['title']}</title><link>{e['link']}</link><pubDate>{e['date']}</pubDate>"
        f"<description><![CDATA[{e['summary']}]]></description>"
        + (f"<content:encoded><![CDATA[{e['content']}]]></content:encoded>" if e.get("content") else "")
        + "</item>" for e in entries)
    return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Example World</title>'
            f"<link>https://news.example/</link><description>World news</description>{items}</channel></rss>")


def atom(entries: list[dict]) -> str:
    items = "".join(
        f"<entry><title>{e['title']}</title><link href=\"{e['link']}\"/><id>{e['link']}</id>"
        f"<updated>{e['date']}</updated><content type=\"html\"><![CDATA[{e['content']}]]></content></entry>"
        for e in entries)
    return ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            "<title>Example Atom</title><id>urn:example:feed</id><updated>2024-11-12T10:00:00Z</updated>"
            f"{items}</feed>")


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<rss version="2.0"><channel><title>&lol3;</title><item><title>&lol3;</title><description>&lol3;</description></item>
</channel></rss>"""


def mixed_folder(root: Path) -> dict[str, int]:
    """A folder of every input format, good and bad; returns what a reader should find in it."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "a.txt").write_text(invented_article(1), encoding="utf-8")
    head, body = split_article(invented_article(2))
    (root / "b.html").write_text(html_page(head, body, "https://news.example/b"), encoding="utf-8")
    lines = [json.dumps({"text": invented_article(3), "url": "https://news.example/3", "published": "2024-11-03"}),
             "{not json",
             json.dumps({"title": "No body here", "url": "https://news.example/empty"}),
             json.dumps({"html": html_page(*split_article(invented_article(4))), "published": "2024-11-04T08:00:00Z"})]
    (root / "c.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "d.json").write_text(json.dumps([{"text": invented_article(5), "title": "Fifth report"},
                                             {"content": invented_article(6)}]), encoding="utf-8")
    sub = root / "sub"
    sub.mkdir(exist_ok=True)
    write_warc(sub / "crawl.warc.gz", [(f"https://news.example/w{i}", html_page(*split_article(invented_article(i))))
                                       for i in (7, 8)])
    entries = [{"title": split_article(invented_article(i))[0], "link": f"https://news.example/f{i}",
                "date": f"Mon, {10 + i} Nov 2024 09:00:00 GMT", "summary": "Teaser.",
                "content": "".join(f"<p>{p}</p>" for p in split_article(invented_article(i))[1].split("\n\n"))}
               for i in (9, 10)]
    (sub / "world.rss").write_text(rss(entries), encoding="utf-8")
    (sub / "world.atom").write_text(atom([{"title": "Atom story", "link": "https://news.example/a11",
                                           "date": "2024-11-21T09:00:00Z",
                                           "content": "<p>" + split_article(invented_article(11))[1] + "</p>"}]),
                                    encoding="utf-8")
    (sub / "bomb.xml").write_text(BILLION_LAUGHS, encoding="utf-8")
    (root / "empty.txt").write_text("   \n", encoding="utf-8")
    (root / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (root / ".hidden.txt").write_text(invented_article(12), encoding="utf-8")
    (root / "notes.pdf").write_bytes(b"%PDF-1.4 not an article")
    # ok: a, b, c#L1, c#L4, d#0, d#1, 2 WARC pages, 2 RSS entries, 1 Atom entry
    # failed: c#L2 (bad JSON), c#L3 (no text), bomb.xml, empty.txt, binary.txt
    return {"ok": 11, "failed": 5}
