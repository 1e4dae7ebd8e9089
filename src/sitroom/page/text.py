"""Plain-text page parser: a page scraped to text, furniture and all, into an `Article`.

Steps, each in its own module:

1. `lines` — split the page into lines with shape features (length, punctuation, function words);
2. `language` — which language the page is in (its stoplist feeds the features);
3. `body` — find the story's main text run and set aside furniture inside it;
4. `header` — read section, headline, kicker, dek, byline and date line above the body;
5. `dates` — the publication date from a date line, the URL, or a dated image slug.

Every character of the input ends up in exactly one place: a header field, a body paragraph, or
a furniture item (with the reason it was set aside), so nothing is silently lost and every
offset is an offset into the exact input.
"""

from __future__ import annotations

import datetime as dt

from sitroom.model import Article, Furniture, Paragraph, PublishedSource, TextSpan
from sitroom.page.body import LineClass, locate_body
from sitroom.page.dates import date_from_slug, date_from_url, find_date
from sitroom.page.furniture import FurnitureMatch
from sitroom.page.header import Header, byline_names, place_dateline, read_header, split_lead
from sitroom.page.language import LanguageGuess, detect_language, stopwords_for
from sitroom.page.lines import Line, split_lines
from sitroom.page.parse import ParsedPage

# Furniture kinds that stay one item per line; runs of the others (menus, share bars) are merged.
_SINGLE_KINDS = {"image_slug", "photo_credit", "caption", "ad_slot", "promo", "newsletter", "byline", "dateline"}


def _span(line: Line) -> TextSpan:
    return TextSpan(start=line.start, end=line.end, text=line.text)


def _outside_kind(c: LineClass, blocks: dict[int, tuple[int, int]], in_comments: bool) -> FurnitureMatch:
    """Why a line outside the main text that no furniture rule named is furniture all the same."""
    if in_comments:
        return FurnitureMatch("other", "in the readers' comments")
    size, short = blocks[c.line.block]
    if size >= 3 and short >= 0.8 * size:
        return FurnitureMatch("navigation", "in a list of short lines outside the main text")
    return FurnitureMatch("other", "prose outside the main text" if c.prose else "outside the main text")


def _paragraphs(text: str, lines: list[Line]) -> list[Paragraph]:
    """Body lines → paragraphs: consecutive body lines of one block make one paragraph."""
    paras: list[Paragraph] = []
    run: list[Line] = []

    def flush() -> None:
        if run:
            s, e = run[0].start, run[-1].end
            paras.append(Paragraph(start=s, end=e, text=text[s:e]))
            run.clear()

    for ln in lines:
        if run and (ln.block != run[-1].block or ln.idx != run[-1].idx + 1):
            flush()
        run.append(ln)
    flush()
    return paras


def _furniture(text: str, items: list[tuple[Line, FurnitureMatch]]) -> list[Furniture]:
    """One item per furniture line, except runs of one kind in one block (a menu) are merged."""
    out: list[Furniture] = []
    prev: tuple[Line, FurnitureMatch] | None = None
    for ln, m in items:
        if (prev and out and m.kind == prev[1].kind and m.kind not in _SINGLE_KINDS
                and ln.block == prev[0].block and ln.idx == prev[0].idx + 1):
            last = out[-1]
            out[-1] = Furniture(start=last.start, end=ln.end, text=text[last.start:ln.end], kind=last.kind,
                                reason=last.reason)
        else:
            out.append(Furniture(start=ln.start, end=ln.end, text=ln.text, kind=m.kind, reason=m.reason))
        prev = (ln, m)
    return out


def infer_published(header: Header, furniture: list[Furniture], url: str | None,
                    body_start_offset: int) -> tuple[dt.date | None, PublishedSource]:
    """The publication date and where it came from: a date line, the URL, then a dated image slug."""
    for line in (header.timestamp, header.byline, header.dek):
        if line is not None:
            found = find_date(line.text)
            if found:
                return found.date, "dateline"
    for item in furniture:
        if item.kind == "dateline" and item.start < body_start_offset + 2000:
            found = find_date(item.text)
            if found:
                return found.date, "dateline"
    date = date_from_url(url)
    if date:
        return date, "url"
    slugs = sorted((abs(f.start - body_start_offset), f) for f in furniture if f.kind == "image_slug")
    for _, item in slugs:
        date = date_from_slug(item.text)
        if date:
            return date, "slug"
    return None, "none"


def language_warning(guess: LanguageGuess) -> str | None:
    if guess.code is None or guess.is_english:
        return None
    return (f"the article looks like {guess.name} ({guess.code}), not English: "
            "sitroom's extractors are built for English, expect fewer and weaker results")


def parse_text(text: str, url: str | None = None, published: str | None = None) -> ParsedPage:
    """Parse a plain-text page. `published` is a date given by the page's metadata, if any."""
    page_lang = detect_language(text)
    stop = stopwords_for(page_lang.code)
    lines = split_lines(text, stop)
    classes, run = locate_body(lines, bool(stop))
    article = Article(url=url)
    warnings: list[str] = []

    if run is None:
        # No run of prose (a short note, a list): every line that is not furniture is body.
        first, last = 0, len(classes) - 1
        body_idx = [c.line.idx for c in classes if c.furniture is None]
        header = Header()
    else:
        first, last = run
        header = read_header(classes, first)
        hi = header.headline.idx if header.headline else None
        start = split_lead(classes, first, last, hi)
        if start != first and header.dek is None:
            lead = [c for c in classes[first:start] if c.furniture is None]
            if lead:
                header.dek = lead[0].line
                header.claimed.add(lead[0].line.idx)
        first = start
        body_idx = [c.line.idx for c in classes[first:last + 1]
                    if c.furniture is None and c.line.idx not in header.claimed]
    if header.byline is not None and body_idx:
        # "Ann Lee covers food for The Ledger." at the end is the author's note, not the story.
        names = byline_names(header.byline.text)
        tail = lines[body_idx[-1]]
        if names and tail.words <= 60 and any(tail.text.startswith(n) for n in names):
            body_idx.pop()
            author_note = tail
        else:
            author_note = None
    else:
        author_note = None
    body_set = set(body_idx)

    body_lines = [lines[i] for i in body_idx]
    article.body = _paragraphs(text, body_lines)
    for name in ("section", "headline", "kicker", "dek", "byline"):
        line = getattr(header, name)
        if line is not None:
            setattr(article, name, _span(line))
    if article.body:
        place = place_dateline(article.body[0].text)
        if place:
            s = article.body[0].start + place[0]
            e = article.body[0].start + place[1]
            article.dateline = TextSpan(start=s, end=e, text=text[s:e])
    if article.dateline is None and header.timestamp is not None:
        article.dateline = _span(header.timestamp)
    if header.outlet:
        article.outlet = header.outlet

    named = header.claimed | body_set
    items: list[tuple[Line, FurnitureMatch]] = []
    in_comments = False
    blocks: dict[int, tuple[int, int]] = {}
    for c in classes:
        size, short = blocks.get(c.line.block, (0, 0))
        blocks[c.line.block] = (size + 1, short + (not c.prose))
    for c in classes:
        if c.furniture is not None and c.furniture.comments and c.line.idx > last:
            in_comments = True
        if c.line.idx in named:
            continue
        if c.furniture is not None:
            items.append((c.line, c.furniture))
        elif author_note is not None and c.line.idx == author_note.idx:
            items.append((c.line, FurnitureMatch("byline", "about the author (starts with the byline's name)")))
        elif header.title is not None and c.line.idx == header.title.idx:
            items.append((c.line, FurnitureMatch("other", "the page title")))
        else:
            items.append((c.line, _outside_kind(c, blocks, in_comments)))
    article.furniture = _furniture(text, items)

    body_start = article.body[0].start if article.body else 0
    if published:
        try:
            article.published = dt.date.fromisoformat(published[:10])
            article.published_source = "metadata"
        except ValueError:
            warnings.append(f"unreadable publication date in the metadata: {published!r}")
    if article.published is None:
        article.published, article.published_source = infer_published(header, article.furniture, url, body_start)

    body_lang = detect_language(article.body_text) if article.body else page_lang
    guess = body_lang if body_lang.code else page_lang
    article.language = guess.code
    warning = language_warning(guess)
    if warning:
        warnings.append(warning)
    return ParsedPage(text=text, article=article, warnings=warnings)
