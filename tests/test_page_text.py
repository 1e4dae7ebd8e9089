"""The plain-text page model: header, body and furniture recognised from layout and shape.

The pages under tests/pages are invented (realistic news in the shapes of scraped pages from
different kinds of sites); the reference article and the 88-page body benchmark are read from
../shared and skipped where it is absent.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import re

import pytest

from sitroom.page.dates import date_from_slug, date_from_url, find_date
from sitroom.page.furniture import classify, is_caption, is_image_slug, is_photo_credit, is_timestamp
from sitroom.page.text import parse_text
from tests.conftest import ROOT, shared_path

PAGES = ROOT / "tests" / "pages"


def page(name: str):
    return parse_text((PAGES / name).read_text(encoding="utf-8"))


def kinds(article) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for f in article.furniture:
        out.setdefault(f.kind, []).append(f.text)
    return out


# --------------------------------------------------------------------------- magazine layout
# (section, headline, kicker, dek, image slug and credit, ad slot, promo trailer)

MAGAZINE = (PAGES / "tidal-magazine.txt").read_text(encoding="utf-8")


def test_magazine_header_fields():
    a = parse_text(MAGAZINE).article
    assert a.section.text == "Science"
    assert a.headline.text == "Tidal Turbines Beat Their Own Power Record in a Stormy Winter"
    assert a.kicker.text == "Blue Energy"
    assert a.dek.text.startswith("The array off Corrin Point made more electricity")


def test_magazine_furniture_items_and_kinds():
    a = parse_text(MAGAZINE).article
    assert [(f.kind, f.text) for f in a.furniture] == [
        ("image_slug", "230214-corrin-turbines-hero_b7k2mx"),
        ("photo_credit", "Hana Ostrowski/Getty"),
        ("ad_slot", "ADVERTISEMENT"),
        ("promo", "Got a tip? Send it to The Corrin Ledger here."),
    ]


def test_magazine_body_is_the_story_only():
    a = parse_text(MAGAZINE).article
    assert a.body[0].text.startswith("The six turbines anchored")
    assert a.body[-1].text.startswith("The operator plans to add four more turbines")
    assert len(a.body) == 4


def test_date_from_a_dated_image_slug():
    a = parse_text(MAGAZINE).article
    assert (a.published, a.published_source) == (dt.date(2023, 2, 14), "slug")


def test_every_span_points_at_its_text_and_nothing_overlaps():
    text = MAGAZINE
    a = parse_text(text).article
    spans = [s for s in (a.section, a.headline, a.kicker, a.dek) if s] + list(a.body) + list(a.furniture)
    for s in spans:
        assert text[s.start:s.end] == s.text
    ordered = sorted(spans, key=lambda s: s.start)
    for x, y in zip(ordered, ordered[1:], strict=False):
        assert x.end <= y.start


def test_every_line_is_header_body_or_furniture():
    text = (PAGES / "wire-with-nav.txt").read_text(encoding="utf-8")
    a = parse_text(text).article
    covered = [False] * len(text)
    for s in [s for s in (a.section, a.headline, a.kicker, a.dek, a.byline) if s] + a.body + a.furniture:
        for i in range(s.start, s.end):
            covered[i] = True
    missed = [ln for ln in re.finditer(r"[^\n]+", text) if ln.group().strip() and not covered[ln.start()]]
    assert missed == []


# --------------------------------------------------------------------------- newspaper page with menus

def test_newspaper_headline_matches_page_title_and_outlet():
    a = page("wire-with-nav.txt").article
    assert a.headline.text == "Dam Inspectors Order Emergency Repairs After Spring Floods"
    assert a.headline.start > 0  # the in-page headline, not the <title> line
    assert a.outlet == "The Valley Courier"


def test_newspaper_byline_and_date_line():
    a = page("wire-with-nav.txt").article
    assert a.byline.text == "By Marta Lindqvist and Owen Achterberg"
    assert (a.published, a.published_source) == (dt.date(2023, 3, 3), "dateline")


def test_wire_style_place_dateline():
    a = page("wire-with-nav.txt").article
    assert a.dateline.text == "HARLAN FALLS, Ore."
    assert a.body[0].text.startswith("HARLAN FALLS, Ore. — State inspectors")


def test_newspaper_body_keeps_subheads_and_drops_inline_furniture():
    a = page("wire-with-nav.txt").article
    body = a.body_text
    assert "What the inspectors found" in body
    assert body.rstrip().endswith("rated it in fair condition.")
    for junk in ("Advertisement", "Related:", "Sign up", "Share", "Facebook", "Photo:"):
        assert junk not in body


def test_readers_comments_are_not_body():
    a = page("wire-with-nav.txt").article
    assert "lived below that dam for thirty years" not in a.body_text
    comment = next(f for f in a.furniture if "thirty years" in f.text)
    assert "comments" in comment.reason


def test_newspaper_furniture_kinds():
    k = kinds(page("wire-with-nav.txt").article)
    assert {"navigation", "share", "caption", "ad_slot", "related_link", "newsletter"} <= set(k)
    assert any(t.startswith("Sign up for our morning newsletter") for t in k["newsletter"])


# --------------------------------------------------------------------------- blog with a teaser rail

def test_teaser_rail_and_reply_form_are_not_body():
    a = page("teaser-rail.txt").article
    assert "Mill workers vote" not in a.body_text
    assert "Your email address" not in a.body_text
    assert a.body[-1].text.endswith('"is not going anywhere".')


def test_bulleted_list_inside_the_story_stays():
    a = page("teaser-rail.txt").article
    assert "- a loan scheme for small bakeries" in a.body_text


def test_author_note_after_the_story_is_furniture():
    a = page("teaser-rail.txt").article
    assert "covers food and farming" not in a.body_text
    note = next(f for f in a.furniture if "covers food and farming" in f.text)
    assert note.kind == "byline"


def test_posted_on_line_gives_date_over_the_slug():
    a = page("teaser-rail.txt").article
    assert (a.published, a.published_source) == (dt.date(2024, 2, 14), "dateline")


def test_upper_case_section_label_above_headline():
    a = page("teaser-rail.txt").article
    assert a.section.text == "FOOD PRICES"
    assert a.dek.text.startswith("A poor harvest")


# --------------------------------------------------------------------------- other inputs

def test_url_date_when_the_page_has_none():
    text = "Harbour Master Retires After Forty Years\n\n" + "The harbour master stepped down on Friday. " * 5
    a = parse_text(text, url="https://news.example/local/2021/05/14/harbour-master-retires").article
    assert (a.published, a.published_source) == (dt.date(2021, 5, 14), "url")


def test_metadata_date_wins():
    a = parse_text(MAGAZINE, published="2023-02-15").article
    assert (a.published, a.published_source) == (dt.date(2023, 2, 15), "metadata")


def test_a_short_note_is_all_body():
    a = parse_text("Hello world.\n\nSecond paragraph.").article
    assert [p.text for p in a.body] == ["Hello world.", "Second paragraph."]


def test_clean_article_without_furniture():
    text = ("Rail Union Accepts Pay Offer\n\n"
            "Members of the rail workers' union voted on Thursday to accept a pay offer of 6 percent over two "
            "years, ending a dispute that had led to four strike days since the autumn.\n\n"
            "The union's general secretary said the deal was not everything members had wanted, but that it "
            "protected the jobs of station staff that the operator had planned to cut.\n")
    a = parse_text(text).article
    assert a.headline.text == "Rail Union Accepts Pay Offer"
    assert len(a.body) == 2 and a.furniture == []


# --------------------------------------------------------------------------- shapes

@pytest.mark.parametrize("text", ["220106-Vavra-Putin-tease_xwcryr", "GettyImages-1172839045",
                                  "protest_march_downtown.jpg", "IMG_2034.JPG"])
def test_image_slug_shapes(text):
    assert is_image_slug(text)


@pytest.mark.parametrize("text", ["well-known", "Reuters", "COVID-19", "http://example.com/a-b-c"])
def test_not_image_slugs(text):
    assert not is_image_slug(text)


@pytest.mark.parametrize("text", ["Adam Berry/Getty", "REUTERS/Ann Wang", "Photo: Jane Doe, AP",
                                  "Photograph by Tom Lee", "AFP via Getty Images", "(Kim Hong-Ji/Reuters)"])
def test_photo_credit_shapes(text):
    assert is_photo_credit(text)


@pytest.mark.parametrize("text", ["The minister resigned on Friday.", "Reuters reported the deal on Monday.",
                                  "Foreign Affairs"])
def test_not_photo_credits(text):
    assert not is_photo_credit(text)


def test_caption_ends_in_a_credit():
    assert is_caption("Protesters gather outside parliament on Tuesday. (Mira Sol/AP)")
    assert not is_caption("Protesters gathered outside parliament on Tuesday, police said.")


@pytest.mark.parametrize("text", ["Nov. 19, 2019 8:03 am ET", "Updated 7H ago", "Published March 3, 2023",
                                  "2 days ago at 07:52 am"])
def test_timestamp_lines(text):
    assert is_timestamp(text)


def test_label_vocabulary_only_on_short_lines():
    assert classify("Advertisement").kind == "ad_slot"
    assert classify("Share 12").kind == "share"
    long = ("Sign up rates for the newsletter that the council sends to residents fell by a third last year, "
            "officials said on Monday, blaming a new registration form that asked for far too many details.")
    assert classify(long) is None


def test_related_label_is_not_a_sentence_starting_with_related():
    assert classify("Related: Council approves new bus lanes").kind == "related_link"
    assert classify("Related research suggests the effect is small.") is None


@pytest.mark.parametrize("text, expected", [
    ("Published January 6, 2022", dt.date(2022, 1, 6)), ("6 Jan. 2022, 14:00", dt.date(2022, 1, 6)),
    ("2022-01-06T10:00:00Z", dt.date(2022, 1, 6)), ("06.01.2022", dt.date(2022, 1, 6)),
    ("1/6/2022", dt.date(2022, 1, 6)), ("25/12/2021", dt.date(2021, 12, 25)),
])
def test_find_date_formats(text, expected):
    assert find_date(text).date == expected


def test_slug_and_url_dates():
    assert date_from_slug("220106-Vavra-Putin-tease_xwcryr") == dt.date(2022, 1, 6)
    assert date_from_slug("harbor_2021-03-04_final.jpg") == dt.date(2021, 3, 4)
    assert date_from_slug("GettyImages-1172839045") is None
    assert date_from_url("https://x.example/2019/11/19/story") == dt.date(2019, 11, 19)
    assert date_from_url("https://x.example/story-123") is None


# --------------------------------------------------------------------------- shared data

def test_reference_article_page_model():
    path = shared_path("gold", "kazakhstan-two-fronts.txt")
    gold = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    a = parse_text(path.read_text(encoding="utf-8")).article
    assert a.section.text == gold["section"]
    assert a.headline.text == gold["headline"]
    assert a.kicker.text == gold["kicker"]
    assert a.dek.text == gold["dek"]
    assert [f.text for f in a.furniture] == gold["furniture"]
    assert a.body[0].text.startswith(gold["body_first"])
    assert a.body[-1].text.endswith(gold["body_last"])
    assert str(a.published) == gold["published"] and a.published_source == "slug"
    assert a.language == "en"


def _body_eval():
    spec = importlib.util.spec_from_file_location("body_eval", ROOT / "bench" / "body_eval.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.shared
def test_body_extraction_quality_on_pages_dev(tmp_path):
    pages = shared_path("gold", "pages-dev")
    scorer = shared_path("eval", "score_body.py")
    res = _body_eval().main([str(pages), "--out", str(tmp_path), "--scorer", str(scorer)])
    assert res["text"]["f1"] >= 0.90
    assert res["html"]["f1"] >= 0.962


def test_first_line_headline_with_a_full_stop():
    text = ("Hold the Council to Its Own Standards.\n\n"
            "The council promised last spring to publish every contract it signs, and it has published "
            "fewer than half of them, according to records obtained by residents this month.\n\n"
            "Its leader said on Monday that the rest would be online by the end of the year.\n")
    a = parse_text(text).article
    assert a.headline.text == "Hold the Council to Its Own Standards."
    assert len(a.body) == 2
