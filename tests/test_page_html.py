"""The HTML page model: trafilatura's body and metadata, the rebuilt text, source offsets.

tests/pages/ferry-strike.html is an invented but realistic page (menus, ad slots with scripts,
a related-links box inside the story, a captioned photo, share buttons, a footer) and
ferry-strike.txt is the same page flattened to text, as a scraper would save it.
"""

from __future__ import annotations

import datetime as dt
import html as htmllib
import re

from sitroom.ingest.reader import read_path
from sitroom.page import parse_page
from sitroom.page.html import parse_html
from sitroom.page.sourcemap import SourceIndex
from sitroom.page.text import parse_text
from tests.conftest import ROOT

PAGES = ROOT / "tests" / "pages"
HTML = (PAGES / "ferry-strike.html").read_text(encoding="utf-8")


def test_html_and_its_text_version_give_the_same_body():
    from_html = parse_html(HTML).article.body
    from_text = parse_text((PAGES / "ferry-strike.txt").read_text(encoding="utf-8")).article.body
    assert [p.text for p in from_html] == [p.text for p in from_text]
    assert len(from_html) == 6


def test_html_body_leaves_out_page_furniture():
    body = parse_html(HTML).article.body_text
    for junk in ("Advertisement", "New ferry timetable", "Bridge tolls", "Subscribe", "loadAd", "dataLayer",
                 "Photo:", "All rights reserved"):
        assert junk not in body


def test_html_metadata_fills_the_header():
    a = parse_html(HTML).article
    assert a.headline.text == "Ferry Crews Walk Out Over Night Shifts, Stranding Island Commuters"
    assert a.dek.text.startswith("Talks between the ferry operator")
    assert a.byline.text == "By Priya Castellane"
    assert a.outlet == "The Harbour Post"
    assert (a.published, a.published_source) == (dt.date(2024, 6, 10), "metadata")
    assert a.language == "en"


def test_rebuilt_text_offsets():
    page = parse_html(HTML)
    a = page.article
    for span in [a.headline, a.dek, a.byline, *a.body]:
        assert page.text[span.start:span.end] == span.text
    assert page.text.index(a.headline.text) < page.text.index(a.body[0].text)


def test_paragraphs_point_into_the_html_source():
    a = parse_html(HTML).article
    for p in a.body:
        assert p.source_start is not None and p.source_end is not None
        markup = HTML[p.source_start:p.source_end]
        visible = " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", markup)).split())
        assert visible == " ".join(p.text.split())


def test_source_index_skips_scripts_and_decodes_entities():
    src = "<p>Caf&eacute; <script>var x = 'Café owners';</script><b>owners</b> met.</p>"
    index = SourceIndex(src)
    assert index.text.strip() == "Café owners met."
    start, end = index.locate("Café owners met.")
    assert src[start:end] == "Caf&eacute; <script>var x = 'Café owners';</script><b>owners</b> met."


def test_html_file_is_dispatched_to_the_html_parser():
    page = parse_page(read_path(PAGES / "ferry-strike.html"))
    assert page.article.headline.text.startswith("Ferry Crews Walk Out")
    assert not page.text.startswith("<")


def test_html_without_an_article_falls_back_to_the_text_parser():
    html = ("<html><body><nav><ul><li><a href='/'>Home</a></li><li><a href='/news'>News</a></li>"
            "<li><a href='/sport'>Sport</a></li></ul></nav><script>track();</script>"
            "<footer><a href='/about'>About us</a></footer></body></html>")
    page = parse_html(html)
    assert any("plain-text parser" in w for w in page.warnings)
    assert "<" not in page.text and "track()" not in page.text
