"""Generate a corpus of hostile and broken inputs, plus a few good invented articles.

Why generated, not committed: several cases are megabytes (a 50 MB article, a 5 MB line, a gzip
bomb) and the point of most others is their exact bytes (UTF-16 without a BOM, broken UTF-8,
truncated gzip), which editors and git attributes like to "fix". The generator is deterministic:
the same call writes the same bytes.

Each case is a `BadInput` saying what a correct ingest does with it:

* ``fail``   — every article read from the file is refused, with a reason matching `reason`
               recorded in the store's ``failures`` table;
* ``store``  — it is an article after all (odd, but readable): it is stored;
* ``either`` — stored or failed with a reason, but accounted for, never lost, never a crash;
* ``mixed``  — a container holding good and bad records: at least `stored` of them are stored and
               at least `failed` are failures (each one of the two, none lost).

Use it from tests (``build(tmp_path)``) or by hand::

    python tests/bad_inputs/make_bad_inputs.py /tmp/bad   [--light]

All text here is invented for this corpus (people, places and events are fictional).
"""

from __future__ import annotations

import gzip
import io
import json
import os
import random
import sys
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# --------------------------------------------------------------------------- invented articles

GOOD_BRIDGE = """Harbour bridge to close to lorries after inspectors find corroded supports

By Nadia Okonkwo, Transport Correspondent

PORT ELLAND, March 14 — The town council voted on Tuesday to close the old harbour bridge to heavy
goods vehicles after engineers found corrosion in two of its steel supports, a decision hauliers said
would add up to an hour to some deliveries.

"We cannot take the risk of a failure with a forty-tonne lorry on the deck," said Graham Whitlow, the
council's head of highways. "The bridge stays open to cars, buses and cyclists while we repair it."

The inspection report, published on Monday, found that the two supports had lost about 12 per cent of
their thickness since the last survey in 2019. Repairs are expected to cost 3.4 million pounds and to
take eight months.

The Road Haulage Forum criticised the timing. "Our members were told nothing until this morning," its
regional director, Priya Vasquez, told reporters. She said the diversion through Kettering Lane would
cost small firms thousands of pounds a month.

The council said it would review the restriction in September.
"""

GOOD_RECOUNT = """Election officials order recount in tight Marrow Valley race

ASHFORD — Election officials in Marrow Valley ordered a full recount on Thursday after the final
tally put the two leading candidates just 41 votes apart, out of more than 38,000 ballots cast.

The county elections board said the recount would begin on Monday and should finish within a week.
"Every ballot will be looked at again, by hand, in public," board chair Lionel Abara said at a news
conference.

The incumbent, Teresa Holm, said she was confident the result would stand. Her challenger, former
school principal Dev Raman, called the recount "the only way to settle this fairly."

Turnout reached 64 percent, the highest in the district since 2008, according to the board.
"""

GOOD_DROUGHT = """Water rationing extended as reservoirs fall to record lows

The regional water authority extended rationing to three more districts on Wednesday, as its main
reservoirs fell to 28 percent of capacity after the driest spring in four decades.

Households in the affected districts will receive water for 16 hours a day from Saturday. Hospitals
and schools are exempt. "We expect the measures to last at least until the autumn rains," said
Amira Castellanos, the authority's operations director.

Farmers' groups warned that the cuts to irrigation would hit the tomato and olive harvests. The
agriculture ministry said it was preparing an aid package but gave no figure.

Forecasters at the national weather office said rainfall in May had been 70 percent below average.
"""

GOOD_ARTICLES = {"good-bridge.txt": GOOD_BRIDGE, "good-recount.txt": GOOD_RECOUNT,
                 "good-drought.txt": GOOD_DROUGHT}

# Short invented news paragraphs in other languages and scripts.
RUSSIAN = ("Власти города объявили в понедельник, что новый мост через реку откроется весной. "
           "«Мы завершили основные работы», — сказал глава департамента транспорта Иван Сорокин. "
           "По его словам, стоимость проекта составила 2,3 миллиарда рублей.\n\n"
           "Жители района давно жаловались на пробки. Местные депутаты потребовали отчёта о расходах.\n")
ARABIC = ("أعلنت وزارة الزراعة يوم الثلاثاء عن خطة جديدة لدعم المزارعين المتضررين من الجفاف. "
          "وقال المتحدث باسم الوزارة سامي الحداد إن «الخطة ستشمل أكثر من عشرة آلاف أسرة». "
          "وأضاف أن التمويل سيصل قبل نهاية الشهر المقبل.\n\n"
          "ورحب اتحاد المزارعين بالقرار لكنه طالب بمزيد من الشفافية في التوزيع.\n")
CHINESE = ("市政府周三宣布，将在明年春季前完成老城区供水管网的改造工程。"
           "水务局局长李文涛在新闻发布会上说：“这项工程将惠及二十多万居民。”"
           "据介绍，项目总投资约为十二亿元。\n\n"
           "部分居民对施工期间的停水安排表示担忧。市政府表示将提前通知。\n")
HINDI = ("राज्य सरकार ने बुधवार को घोषणा की कि बाढ़ प्रभावित जिलों में राहत शिविर एक महीने और चलेंगे। "
         "आपदा प्रबंधन विभाग के प्रवक्ता अरुण मेहता ने कहा, “हम हर परिवार तक पहुंचेंगे।” "
         "अधिकारियों के अनुसार, लगभग चालीस हजार लोग अभी भी शिविरों में हैं।\n")
JAPANESE = ("県は木曜日、台風で被害を受けた漁港の復旧に約八億円を充てると発表した。"
            "知事は記者会見で「漁業者の生活を一日も早く取り戻したい」と述べた。\n")
HEBREW = ("עיריית העיר הודיעה ביום ראשון כי קו האוטובוס החדש יופעל החל מהחודש הבא. "
          "\"זהו שינוי משמעותי עבור התושבים\", אמר דובר העירייה.\n")
GREEK = ("Το δημοτικό συμβούλιο ενέκρινε την Τρίτη την ανακατασκευή της παλιάς αγοράς. "
         "«Η αγορά θα ανοίξει ξανά το φθινόπωρο», δήλωσε ο δήμαρχος Νίκος Παππάς.\n")


@dataclass(frozen=True)
class BadInput:
    name: str  # file name in the corpus folder
    what: str  # what is hostile about it
    expect: str = "fail"  # fail | store | either | mixed
    reason: str = ""  # regex the failure reason must match (expect == "fail")
    stored: int = 0  # expect == "mixed": at least this many articles stored
    failed: int = 0  # expect == "mixed": at least this many failures recorded
    heavy: bool = False  # megabytes to write and read; skipped by --light


Writer = Callable[[Path], None]
CASES: list[tuple[BadInput, Writer]] = []


def case(name: str, what: str, expect: str = "fail", reason: str = "", *, stored: int = 0,
         failed: int = 0, heavy: bool = False) -> Callable[[Writer], Writer]:
    def register(fn: Writer) -> Writer:
        CASES.append((BadInput(name, what, expect, reason, stored, failed, heavy), fn))
        return fn
    return register


def _bytes(name: str, what: str, data: bytes | Callable[[], bytes], expect: str = "fail", reason: str = "",
           **kw: object) -> None:
    def write(p: Path) -> None:
        p.write_bytes(data() if callable(data) else data)
    case(name, what, expect, reason, **kw)(write)  # type: ignore[arg-type]


def _text(name: str, what: str, text: str | Callable[[], str], expect: str = "fail", reason: str = "",
          encoding: str = "utf-8", errors: str = "strict", **kw: object) -> None:
    _bytes(name, what, lambda: (text() if callable(text) else text).encode(encoding, errors), expect, reason, **kw)


def _rng(seed: str) -> random.Random:
    return random.Random(seed)


def _gz(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


# --------------------------------------------------------------------------- empty and blank
EMPTY = r"empty"
_bytes("empty.txt", "a zero-byte text file", b"", reason=EMPTY)
_bytes("empty.html", "a zero-byte HTML file", b"", reason=EMPTY)
_text("spaces.txt", "only spaces", " " * 5000, reason=EMPTY)
_text("newlines.txt", "only newlines", "\n" * 5000, reason=EMPTY)
_text("mixed-blank.txt", "tabs, CR, LF, form feeds and vertical tabs", "\t \r\n\f\v " * 800, reason=EMPTY)
_text("unicode-blank.txt", "no-break, em and ideographic spaces, line separators",
      "\u00a0\u2003\u3000\u2028\u2029\u205f " * 500, reason=EMPTY)
_bytes("bom-only.txt", "a UTF-8 byte-order mark and nothing else", b"\xef\xbb\xbf", reason=EMPTY)
_bytes("bom-blank.txt", "a UTF-16 BOM followed by blanks", b"\xff\xfe" + " \n".encode("utf-16-le") * 100,
       reason=EMPTY)
_text("zero-width.txt", "only zero-width spaces and joiners (not whitespace to Python)",
      "\u200b\u200c\u200d\u2060\ufeff" * 2000, expect="either")
_text("empty-page.html", "an HTML page with empty body", "<!DOCTYPE html><html><head><title></title></head>"
      "<body></body></html>", reason=r"no article|no text|empty|body")
_text("empty-tags.html", "markup and nothing visible", "<html><body>" + "<div><span></span></div>" * 2000
      + "</body></html>", reason=r"no article|no text|empty|body")
_bytes("empty.jsonl", "an empty JSON Lines file", b"", expect="either")
_bytes("empty.warc", "an empty WARC file", b"", expect="either")
_bytes("empty.rss", "an empty feed file", b"", reason=r"empty|no entries|not")
_text("empty-object.json", "a JSON object with no article", "{}", reason=r"no text")
_text("empty-list.json", "an empty JSON list", "[]", expect="either")

# --------------------------------------------------------------------------- binary with text names
BINARY = r"binary|PNG|PDF|ZIP|executable|image|archive|SQLite|encoding|NUL|not a text"
_bytes("png-image.txt", "a PNG image named .txt", lambda: b"\x89PNG\r\n\x1a\n" + _rng("png").randbytes(20000),
       reason=BINARY)
_bytes("pdf-document.html", "a PDF named .html", lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
       + _rng("pdf").randbytes(20000),
       reason=BINARY)
_bytes("zip-archive.txt", "a ZIP archive named .txt", lambda: b"PK\x03\x04" + _rng("zip").randbytes(8000),
       reason=BINARY)
_bytes("elf-binary.txt", "an executable named .txt", lambda: b"\x7fELF\x02\x01\x01" + bytes(9)
       + _rng("elf").randbytes(8000),
       reason=BINARY)
_bytes("random-bytes.txt", "64 KB of random bytes", lambda: _rng("random").randbytes(65536), reason=BINARY)
_bytes("random-bytes.html", "random bytes named .html", lambda: _rng("random2").randbytes(30000), reason=BINARY)
_bytes("sqlite-db.txt", "a SQLite database header named .txt", b"SQLite format 3\x00" + bytes(4000), reason=BINARY)
_bytes("nul-inside.txt", "a good article with NUL bytes sprinkled in",
       lambda: GOOD_BRIDGE.encode().replace(b" the ", b" the\x00"), reason=r"NUL|binary")
_bytes("gzip-of-binary.txt.gz", "gzip-compressed random bytes", lambda: _gz(_rng("gzbin").randbytes(20000)),
       reason=BINARY)
_bytes("jpeg-image.jsonl", "a JPEG named .jsonl", lambda: b"\xff\xd8\xff\xe0\x00\x10JFIF" + _rng("jpg").randbytes(5000),
       reason=r"JSON|binary|encoding|decode", expect="fail")

# --------------------------------------------------------------------------- encodings
_bytes("utf16le-no-bom.txt", "a good article in UTF-16 LE without a BOM",
       lambda: GOOD_RECOUNT.encode("utf-16-le"), reason=r"NUL|UTF-16|binary|encoding")
_bytes("utf16be-no-bom.txt", "a good article in UTF-16 BE without a BOM",
       lambda: GOOD_RECOUNT.encode("utf-16-be"), reason=r"NUL|UTF-16|binary|encoding")
_bytes("utf32.txt", "a good article in UTF-32 (with BOM)", lambda: GOOD_RECOUNT.encode("utf-32"),
       reason=r"NUL|UTF|binary|encoding")
_bytes("utf16-bom.txt", "UTF-16 with a BOM: readable", lambda: ("\ufeff" + GOOD_DROUGHT).encode("utf-16-le"),
       expect="store")
_bytes("latin1.txt", "an article in Latin-1 with accented names", lambda: (
    GOOD_BRIDGE.replace("Priya Vasquez", "Inés Ibáñez").replace("Graham Whitlow", "Søren Ølund")
    + "\nThe café owner, José Muñoz, said: «Ça suffit».\n").replace("\u2014", "-").encode("latin-1"),
       expect="store")
_bytes("cp1252-smart-quotes.txt", "Windows-1252 curly quotes and dashes", lambda: GOOD_RECOUNT.replace('"', "\u201c", 1)
       .replace('"', "\u201d", 1).replace(" — ", " \u2013 ").encode("cp1252"), expect="store")
_bytes("broken-utf8.txt", "UTF-8 with a few invalid byte sequences", lambda: GOOD_DROUGHT.encode().replace(
    b"reservoirs", b"reserv\xff\xfeoirs").replace(b"Farmers", b"Farm\xc3ers"), expect="either",
       reason=r"encoding|binary")
_bytes("mixed-utf8-latin1.txt", "half UTF-8, half Latin-1",
       lambda: "Café São Paulo — “quoted”.\n".encode() * 20 + "Café São Paulo.\n".encode("latin-1") * 20,
       expect="either", reason=r"encoding|binary")
_bytes("overlong-utf8.txt", "overlong UTF-8 encodings of / and NUL",
       b"Path \xc0\xaf\xc0\xaf etc \xe0\x80\xaf and \xc0\x80 end. " * 50, expect="either",
       reason=r"encoding|binary|NUL")
_bytes("cesu-surrogates.txt", "UTF-8-encoded lone surrogates (CESU-8 style)",
       b"Speaker said \xed\xa0\x80\xed\xb0\x80 yesterday in the capital. " * 50, expect="either",
       reason=r"encoding|binary")
_bytes("shift-jis.txt", "Japanese text in Shift-JIS", lambda: JAPANESE.encode("shift_jis") * 5, expect="either",
       reason=r"encoding|binary")
_bytes("gb18030.txt", "Chinese text in GB18030", lambda: CHINESE.encode("gb18030") * 3, expect="either",
       reason=r"encoding|binary")

# --------------------------------------------------------------------------- size
TOO_BIG = r"over the .*limit|too long|too large|limit"


@case("huge-50mb.txt", "a 50 MB article (paragraphs of news repeated)", reason=TOO_BIG, heavy=True)
def _huge(p: Path) -> None:
    para = (GOOD_BRIDGE + "\n").encode()
    with open(p, "wb") as fh:
        n = 0
        while n < 50 * 2**20:
            fh.write(para)
            n += len(para)


_text("one-line-5mb.txt", "a single 5 MB line",
      lambda: ("The council said the bridge would close. " * 130000)[:5 * 2**20],
      reason=TOO_BIG, heavy=True)
_text("one-word-1mb.txt", "one 1 MB word without spaces", lambda: "x" * 2**20, expect="either", reason=TOO_BIG)
_text("million-lines.txt", "a million short lines", lambda: "Yes.\n" * 1_000_000, reason=TOO_BIG, heavy=True)
_text("long-article-900k.txt", "a 900 K-character article (a long but text-only page)",
      lambda: (GOOD_BRIDGE + "\n") * (900_000 // len(GOOD_BRIDGE)), expect="either", reason=TOO_BIG, heavy=True)


@case("gzip-bomb.txt.gz", "40 KB of gzip that inflates to 100 MB", reason=r"MB|limit|decompress")
def _bomb(p: Path) -> None:
    z = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = b"news " * 200_000  # 1 MB
    with open(p, "wb") as fh:
        for _ in range(100):
            fh.write(z.compress(chunk))
        fh.write(z.flush())


_bytes("truncated.txt.gz", "a gzipped article cut in half", lambda: _gz(GOOD_BRIDGE.encode())[:300],
       reason=r"gzip|compressed|EOF|truncat|end of stream")
_bytes("not-gzip.txt.gz", "a .gz name on a plain text file", lambda: GOOD_RECOUNT.encode(), expect="store")
_bytes("gzip-garbage-tail.txt.gz", "valid gzip followed by garbage",
       lambda: _gz(GOOD_RECOUNT.encode()) + b"\x00garbage" * 10,
       expect="either", reason=r"gzip")
_bytes("double-gzip.txt.gz", "an article gzipped twice", lambda: _gz(_gz(GOOD_DROUGHT.encode())), expect="either",
       reason=BINARY + r"|gzip")

# --------------------------------------------------------------------------- HTML
_text("deep-nest-10000.html", "10,000 nested <div>s around an article", lambda: "<html><body>" + "<div>" * 10000
      + "<p>" + GOOD_BRIDGE.replace("\n\n", "</p><p>") + "</p>" + "</div>" * 10000 + "</body></html>",
      expect="either", reason=r"nest|deep|no article|limit|body")
_text("deep-nest-unclosed.html", "100,000 unclosed <b> tags", lambda: "<html><body><p>" + "<b>" * 100000
      + GOOD_RECOUNT + "</body></html>", expect="either", reason=r"nest|deep|no article|limit|body", heavy=True)
_text("deep-nest-tables.html", "3,000 nested tables", lambda: "<html><body>" + "<table><tr><td>" * 3000
      + GOOD_DROUGHT + "</td></tr></table>" * 3000 + "</body></html>", expect="either",
      reason=r"nest|deep|no article|limit|body")
_text("megabyte-scripts.html", "an article under 6 MB of <script>", lambda: "<html><head>" + (
    "<script>var x = '" + "a" * 200_000 + "'; for (;;) {}</script>") * 30 + "</head><body><article><h1>Harbour bridge"
    " to close</h1><p>" + GOOD_BRIDGE.replace("\n\n", "</p><p>") + "</p></article></body></html>", expect="store",
      heavy=True)
_text("megabyte-styles.html", "an article after 3 MB of inline CSS", lambda: "<html><head><style>" + (
    ".c{color:red}" * 250_000) + "</style></head><body><p>" + GOOD_RECOUNT.replace("\n\n", "</p><p>")
      + "</p></body></html>",
      expect="either", reason=r"no article|body")
_text("unterminated-comment.html", "a comment that never closes", lambda: "<html><body><p>Opening line.</p><!-- "
      + GOOD_BRIDGE * 20, expect="either", reason=r"no article|empty|body")
_text("unterminated-script.html", "a <script> that never closes", lambda: "<html><body><script>" + GOOD_BRIDGE * 20,
      expect="either", reason=r"no article|empty|body")
_text("entity-flood.html", "a million character references", lambda: "<html><body><p>" + "&amp;&#x2603;&lt;" * 350_000
      + "</p></body></html>", expect="either", reason=r"no article|body|limit")
_text("many-paragraphs.html", "100,000 one-word paragraphs", lambda: "<html><body>" + "<p>Word.</p>" * 100_000
      + "</body></html>", expect="either", reason=r"no article|body|limit")
_text("html-entity-dtd.xhtml", "XHTML declaring an entity bomb in its DTD", lambda: '<?xml version="1.0"?>\n'
      '<!DOCTYPE html [<!ENTITY a "AAAAAAAAAA"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
      '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">'
      '<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">'
      '<!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">]>\n'
      '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>&h;</p><p>' + GOOD_RECOUNT + "</p></body></html>",
      expect="either", reason=r"entit|no article|body")
_text("html-xxe.html", "HTML with an external entity reading /etc/passwd",
      lambda: '<?xml version="1.0"?><!DOCTYPE html [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
      "<html><body><article><p>&x;</p><p>" + GOOD_DROUGHT.replace("\n\n", "</p><p>") + "</p></article></body></html>",
      expect="either", reason=r"entit|no article|body")
_text("text-as-html.html", "plain text named .html", GOOD_DROUGHT, expect="store")
_text("html-as-text.txt", "an HTML page named .txt", "<!DOCTYPE html><html><body><article><p>"
      + GOOD_RECOUNT.replace("\n\n", "</p><p>") + "</p></article></body></html>", expect="store")
_text("svg-script.html", "an SVG with a script and no article", '<svg xmlns="http://www.w3.org/2000/svg">'
      '<script>alert(1)</script><circle r="4"/></svg>', expect="either", reason=r"no article|empty|body")


# --------------------------------------------------------------------------- WARC
def _warc(records: list[tuple[str, str, bytes]], gz: bool = False) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    for i, (url, ctype, payload) in enumerate(records):
        http = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        rec = writer.create_warc_record(url, "response", payload=io.BytesIO(payload), http_headers=http,
                                        warc_headers_dict={
                                            "WARC-Record-ID": f"<urn:uuid:00000000-0000-0000-0000-{i:012d}>",
                                            "WARC-Date": "2024-03-14T10:00:00Z"})
        writer.write_record(rec)
    return buf.getvalue()


def _page(body: str, title: str = "") -> bytes:
    paras = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    return f"<html><head><title>{title}</title></head><body><article>{paras}</article></body></html>".encode()


_bytes("garbage.warc", "random text named .warc", lambda: b"this is not a warc file\r\n" * 100,
       reason=r"WARC|warc|unreadable")
_bytes("truncated.warc.gz", "a gzipped WARC of 3 articles cut inside the 3rd (the records before the cut are kept)",
       lambda: (lambda d: d[: len(d) - 400])(_warc([("https://news.example/a", "text/html", _page(GOOD_BRIDGE)),
                                                    ("https://news.example/b", "text/html", _page(GOOD_RECOUNT)),
                                                    ("https://news.example/c", "text/html", _page(GOOD_DROUGHT))],
                                                   gz=True)),
       expect="mixed", stored=2)


def _bad_length() -> bytes:
    good = _warc([("https://news.example/len", "text/html", _page(GOOD_RECOUNT))])
    return good.replace(b"Content-Length: ", b"Content-Length: 9", 1)  # claims ~10x more bytes than there are


_bytes("wrong-length.warc", "a WARC record whose Content-Length overshoots the file", _bad_length,
       expect="either", reason=r"WARC|warc|unreadable")
_bytes("binary-payload.warc", "a text/html WARC response holding a PNG",
       lambda: _warc([("https://news.example/img", "text/html", b"\x89PNG\r\n\x1a\n" + _rng("w").randbytes(3000)),
                      ("https://news.example/ok", "text/html", _page(GOOD_DROUGHT))]),
       expect="mixed", stored=1, failed=1)
_bytes("header-garbage.warc", "a WARC header block of garbage after one good record",
       lambda: _warc([("https://news.example/first", "text/html", _page(GOOD_BRIDGE))])
       + b"WARC/1.0\r\nWARC-Type: \x00\xff\xfe response\r\nContent-Length: abc\r\n\r\n" + b"\xff" * 500,
       expect="mixed", stored=1, failed=1)
_bytes("not-gzip.warc.gz", "a plain-text file named .warc.gz", lambda: GOOD_BRIDGE.encode(),
       reason=r"WARC|warc|gzip|unreadable")

# --------------------------------------------------------------------------- feeds
RSS_HEAD = '<?xml version="1.0" encoding="utf-8"?>\n'
LOL = ('<!DOCTYPE rss [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
       + "".join(f'<!ENTITY lol{i} "' + f"&lol{i - 1};" * 10 + '">' for i in range(2, 10)) + "]>\n")


def _rss(items: str, doctype: str = "") -> str:
    return (RSS_HEAD + doctype + '<rss version="2.0"><channel><title>Invented Wire</title>'
            "<link>https://wire.example/</link><description>test</description>" + items + "</channel></rss>")


def _item(title: str, body: str, n: int) -> str:
    paras = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    return (f"<item><title>{title}</title><guid isPermaLink=\"false\">urn:invented:{n}</guid>"
            f"<pubDate>Thu, 14 Mar 2024 10:00:00 GMT</pubDate><description><![CDATA[{paras}]]></description></item>")


REFUSED = r"refused|entit|external|DTD"
_text("billion-laughs.rss", "an RSS feed with a billion-laughs entity bomb",
      lambda: _rss("<item><title>&lol9;</title><description>&lol9;</description></item>", LOL), reason=REFUSED)
_text("quadratic-blowup.rss", "one 50 KB entity referenced 20,000 times",
      lambda: _rss("<item><description>" + "&big;" * 20000 + "</description></item>",
                   '<!DOCTYPE rss [<!ENTITY big "' + "B" * 50000 + '">]>\n'), reason=REFUSED)
_text("xxe-file.rss", "an external entity reading /etc/passwd",
      lambda: _rss("<item><title>x</title><description>&xxe;</description></item>",
                   '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'), reason=REFUSED)
_text("xxe-http.atom", "an Atom feed with an external entity on the network",
      lambda: RSS_HEAD + '<!DOCTYPE feed [<!ENTITY ext SYSTEM "http://127.0.0.1:9/secret">]>\n'
      '<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><title>&ext;</title>'
      "<content>&ext;</content></entry></feed>", reason=REFUSED)
_text("parameter-entity.rss", "a parameter entity pulling an external DTD",
      lambda: _rss("<item><title>p</title></item>",
                   '<!DOCTYPE rss [<!ENTITY % ext SYSTEM "http://127.0.0.1:9/evil.dtd"> %ext;]>\n'), reason=REFUSED)
_text("malformed-entity.rss", "a broken feed declaring entities", lambda: RSS_HEAD
      + '<!DOCTYPE rss [<!ENTITY a "aaaa">]><rss><channel><item><title>&a;<description>&a;&a;', reason=REFUSED)
_text("malformed.rss", "a feed with unclosed tags and one readable entry",
      lambda: RSS_HEAD + '<rss version="2.0"><channel><title>Broken</title>' + _item("Recount", GOOD_RECOUNT, 1)
      + "<item><title>Broken<description>no end", expect="either", reason=r"feed|entr|text")
_text("no-entries.rss", "a well-formed feed with no items", lambda: _rss(""), reason=r"no entries")
_text("feed-mixed.rss", "a feed with two good entries and two empty ones",
      lambda: _rss(_item("Bridge", GOOD_BRIDGE, 1) + "<item><title>Empty</title><guid>urn:invented:e1</guid></item>"
                   + _item("Drought", GOOD_DROUGHT, 2) + "<item><guid>urn:invented:e2</guid><description>   "
                   "</description></item>"), expect="mixed", stored=2, failed=2)
_text("not-a-feed.xml", "an XML file that is not a feed (with an entity bomb)",
      lambda: RSS_HEAD + LOL.replace("rss", "data") + "<data>&lol9;</data>", reason=REFUSED)


# --------------------------------------------------------------------------- JSON
def _jsonl(rows: list[object]) -> str:
    return "\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n"


_text("wrong-types.jsonl", "records with wrong types in every field, and one good record", lambda: _jsonl([
    {"text": 123}, {"text": None}, {"text": ["a", "b"]}, {"text": {"nested": "x"}}, {"html": 42},
    {"text": True}, {"text": ""}, {"content": 3.14}, [1, 2, 3], "42", '"a string record"', "null",
    {"text": GOOD_RECOUNT, "url": 5, "title": ["not", "a", "title"], "published": {"y": 2024}},
]), expect="mixed", stored=1, failed=12)
_text("bad-dates.jsonl", "published dates that are not dates", lambda: _jsonl([
    {"text": GOOD_BRIDGE, "published": "yesterday-ish"},
    {"text": GOOD_DROUGHT, "published": 99999999999999},
    {"text": GOOD_RECOUNT + "\nUpdated.", "published": "9999-99-99"},
]), expect="mixed", stored=3, failed=0)
_text("not-json.jsonl", "lines that are not JSON", "{not json}\n[1, 2\n\x00\x01\x02\n{'single': 'quotes'}\n",
      expect="fail", reason=r"JSON|binary|NUL|record")
_text("deep-nesting.json", "JSON nested 100,000 levels deep", lambda: "[" * 100_000 + "]" * 100_000,
      reason=r"JSON|deep|nest|record|recursion")
_text("deep-nesting.jsonl", "a JSON line nested 50,000 levels deep, then a good line",
      lambda: '{"text": ' + "[" * 50_000 + "]" * 50_000 + "}\n" + json.dumps({"text": GOOD_BRIDGE}) + "\n",
      expect="mixed", stored=1, failed=1)
_text("scalar.json", "a JSON file holding a number", "42", reason=r"object|record")
_text("nan.json", "JSON with NaN and Infinity", '{"text": NaN, "html": Infinity}', reason=r"no text|JSON")
_text("lone-surrogates.jsonl", "JSON escapes for lone surrogates in the text",
      lambda: '{"text": "The minister \\ud800 said \\udfff the \\ud83d plan would pass. ' + "Filler sentence. " * 30
      + '"}\n', expect="either", reason=r"surrogate|encod|UTF")
_text("huge-field.jsonl", "a 3 MB title field", lambda: json.dumps({"text": GOOD_DROUGHT, "title": "T" * 3_000_000})
      + "\n", expect="either", reason=TOO_BIG, heavy=True)
_text("long-line.jsonl", "a 12 MB JSON line (over the 10 MB record limit), then a good line",
      lambda: json.dumps({"text": "word " * 2_400_000}) + "\n" + json.dumps({"text": GOOD_DROUGHT}) + "\n",
      expect="mixed", stored=1, failed=1, heavy=True)
_bytes("utf16.jsonl", "JSON Lines in UTF-16", lambda: ("\ufeff" + json.dumps({"text": GOOD_BRIDGE}) + "\n")
       .encode("utf-16-le"), expect="either", reason=r"JSON|encod|UTF")

# --------------------------------------------------------------------------- text content
_text("only-quote-marks.txt", "an article of only quote marks", lambda: "".join(
    _rng("quotes").choice('"“”„«»‘’\'‹›`') for _ in range(200_000)), expect="either",
      reason=r"no article|body|text")
_text("quote-marks-spaced.txt", "quote marks separated by spaces and newlines", lambda: "".join(
    _rng("q2").choice(['" ', "“", "” ", "'", "\n", "‘ ", "’", "« ", " »"]) for _ in range(100_000)),
      expect="either", reason=r"no article|body|text")
_text("unbalanced-quotes.txt", "an article with thousands of unclosed quotes", lambda: GOOD_BRIDGE.replace(
    "\n\n", '\n\n"' * 3) + ('He said "no and "maybe and “perhaps. ' * 3000), expect="either", reason=TOO_BIG)
_text("only-punctuation.txt", "10,000 lines of punctuation", lambda: "\n".join(
    "".join(_rng(f"p{i}").choice(".,;:!?-—()[]{}") for _ in range(60)) for i in range(10_000)),
      expect="either", reason=r"no article|body|text")
_text("russian.txt", "a Russian article (Cyrillic)", RUSSIAN * 3, expect="store")
_text("arabic.txt", "an Arabic article (right-to-left)", ARABIC * 3, expect="store")
_text("chinese.txt", "a Chinese article (no spaces between words)", CHINESE * 3, expect="store")
_text("hindi.txt", "a Hindi article (Devanagari)", HINDI * 3, expect="store")
_text("hebrew-greek.txt", "Hebrew and Greek paragraphs", HEBREW * 3 + "\n" + GREEK * 3, expect="store")
_text("mixed-scripts.txt", "English with Cyrillic, Arabic and CJK names inside sentences", lambda: GOOD_BRIDGE.replace(
    "Graham Whitlow", "Грэм Уитлоу").replace("Priya Vasquez", "بريا فاسكيز").replace("Kettering Lane", "凯特林巷"),
      expect="store")
_text("emoji.txt", "an article dense with emoji and ZWJ sequences", lambda: GOOD_RECOUNT.replace(
    " ", " \U0001F1FA\U0001F1F8 ", 40).replace(".", ". \U0001F469\u200d\U0001F4BB\u200d", 10), expect="store")
_text("zalgo.txt", "combining marks stacked on every letter", lambda: "".join(
    ch + "\u0301\u0316\u0340\u0351\u036f" * 6 if ch.isalpha() else ch for ch in GOOD_DROUGHT), expect="either",
      reason=r"no article|body|binary")
_text("control-chars.txt", "an article with C0/C1 control characters and DEL", lambda: GOOD_BRIDGE.replace(
    ", ", ",\x01\x02 ").replace(". ", ".\x1b[31m \x7f\x85\x9b"), expect="either", reason=r"binary|control")
_text("rtl-override.txt", "right-to-left overrides and isolates inside English sentences", lambda: GOOD_RECOUNT.replace(
    "41 votes", "\u202e41 votes\u202c").replace("Lionel Abara", "\u2067Lionel Abara\u2069").replace(
    "recount", "\u202drecount\u202c"), expect="store")
_text("bidi-spoof-filename\u202etxt.html", "a file name with a right-to-left override", GOOD_DROUGHT, expect="store")
_text("cr-line-endings.txt", "old Mac CR-only line endings", lambda: GOOD_DROUGHT.replace("\n", "\r"), expect="store")
_text("unicode-line-separators.txt", "paragraphs split by U+2028/U+2029 and form feeds",
      lambda: GOOD_BRIDGE.replace("\n\n", "\u2029").replace("\n", "\u2028").replace("said", "\fsaid", 1),
      expect="store")
_text("said-said-said.txt", "one sentence of 'said' 20,000 times", lambda: "He said " + "said " * 20_000 + ".",
      expect="either", reason=r"no article|body")
_text("numbers.txt", "a page of 200,000 numbers and dates", lambda: " ".join(
    f"{i} 12 March {1900 + i % 200} 3.{i}%" for i in range(20_000)), expect="either", reason=TOO_BIG + r"|time")
_text("repeated-headline.txt", "one headline repeated 20,000 times", "Harbour bridge to close\n" * 20_000,
      expect="either", reason=r"no article|body")
_text("markdown.txt", "a Markdown article with link syntax and tables", lambda: "# Harbour bridge to close\n\n"
      + GOOD_BRIDGE.replace("council", "[council](https://example.org/council)")
      + "\n| a | b |\n|---|---|\n| 1 | 2 |\n",
      expect="store")


# --------------------------------------------------------------------------- file-system oddities
@case("dev-zero-link.txt", "a symlink to /dev/zero (endless bytes)", reason=r"not a regular file|special|device|limit")
def _devzero(p: Path) -> None:
    os.symlink("/dev/zero", p)


@case("fifo.txt", "a named pipe nobody writes to (reading it blocks for ever)",
      reason=r"not a regular file|special|pipe")
def _fifo(p: Path) -> None:
    os.mkfifo(p)


@case("fifo.jsonl", "a named pipe named .jsonl (containers are opened, not just read)",
      reason=r"not a regular file|special|pipe")
def _fifo2(p: Path) -> None:
    os.mkfifo(p)


@case("dev-zero.warc.gz", "a symlink to /dev/zero named .warc.gz", reason=r"not a regular file|special|device")
def _devzero2(p: Path) -> None:
    os.symlink("/dev/zero", p)


@case("dangling-link.html", "a symlink to nothing", reason=r"no such file|not found")
def _dangling(p: Path) -> None:
    os.symlink("/nonexistent/sitroom/bad-input", p)


# --------------------------------------------------------------------------- building
def build(dest: Path, *, heavy: bool = True, good: bool = True) -> list[BadInput]:
    """Write the corpus into `dest` (created); returns the cases written (good articles not included)."""
    dest.mkdir(parents=True, exist_ok=True)
    out = []
    for spec, write in CASES:
        if spec.heavy and not heavy:
            continue
        write(dest / spec.name)
        out.append(spec)
    if good:
        for name, text in GOOD_ARTICLES.items():
            (dest / name).write_text(text, encoding="utf-8")
    return out


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0
    specs = build(Path(argv[0]), heavy="--light" not in argv)
    for spec in specs:
        print(f"{spec.expect:6}  {spec.name:40}  {spec.what}")
    print(f"{len(specs)} bad inputs + {len(GOOD_ARTICLES)} good articles in {argv[0]}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
