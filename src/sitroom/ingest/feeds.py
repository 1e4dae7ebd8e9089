"""RSS and Atom feeds: each entry becomes an article.

Parsed with feedparser, after a defusedxml pass that refuses entity expansion and external
entities (a "billion laughs" feed or one reading local files must not get near the parser).
An entry's article is its full content (``content:encoded``, Atom ``content``) or, failing that,
its summary; with ``follow_links`` the page the entry links to is fetched instead when the feed
gives only a teaser.
"""

from __future__ import annotations

import html as html_lib
from collections.abc import Iterator

from sitroom.ingest.items import Item, parse_date
from sitroom.ingest.reader import InputError, from_bytes, looks_like_html, read_url

TEASER_CHARS = 600  # entries with less text than this are teasers, not articles


def looks_like_feed(head: bytes | str) -> bool:
    text = head[:4096].decode("utf-8", "ignore") if isinstance(head, bytes) else head[:4096]
    low = text.lower()
    return "<rss" in low or "<rdf:rdf" in low or ("<feed" in low and "w3.org/2005/atom" in low)


def check_safe(data: bytes, name: str) -> None:
    """Refuse XML that declares entities or external references (raises InputError)."""
    import defusedxml
    from defusedxml.ElementTree import fromstring

    try:
        fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except defusedxml.DefusedXmlException as exc:
        raise InputError(f"{name}: refused: the feed declares XML entities or external references ({exc})") from None
    except Exception:  # noqa: BLE001 - malformed XML: feedparser is lenient, but no entity tricks allowed
        if b"<!ENTITY" in data[:65536].upper():
            raise InputError(f"{name}: refused: malformed feed that declares XML entities") from None


def _entry_content(entry) -> tuple[str, str]:  # noqa: ANN001
    """(content, mime type): the longest full content, else the summary."""
    best, mime = "", "text/html"
    for c in entry.get("content") or []:
        value = c.get("value") or ""
        if len(value) > len(best):
            best, mime = value, c.get("type") or "text/html"
    if not best.strip():
        best = entry.get("summary") or entry.get("description") or ""
        mime = (entry.get("summary_detail") or {}).get("type") or "text/html"
    return best, mime


def iter_feed(data: bytes, name: str, follow_links: bool = False) -> Iterator[Item]:
    import feedparser

    try:
        check_safe(data, name)
    except InputError as exc:
        yield Item.failed(name, "feed", str(exc))
        return
    parsed = feedparser.parse(data, sanitize_html=True, resolve_relative_uris=False)
    entries = parsed.get("entries") or []
    if not entries:
        reason = f" ({parsed.get('bozo_exception')})" if parsed.get("bozo") else ""
        yield Item.failed(name, "feed", f"{name}: no entries in the feed{reason}")
        return
    for i, entry in enumerate(entries):
        link = entry.get("link")
        source = link or entry.get("id") or f"{name}#entry{i}"
        title = (entry.get("title") or "").strip()
        published = parse_date(entry.get("published_parsed") or entry.get("updated_parsed")
                               or entry.get("published") or entry.get("updated"))
        content, mime = _entry_content(entry)
        is_html = "html" in mime or looks_like_html(content) or "<p" in content.lower()
        plain_len = len(html_lib.unescape(content)) if not is_html else len(_strip_tags(content))
        if follow_links and link and plain_len < TEASER_CHARS:
            try:
                raw = read_url(link)
            except InputError as exc:
                yield Item.failed(source, "feed", str(exc))
                continue
        else:
            if not content.strip():
                yield Item.failed(source, "feed", f"{source}: the feed entry has no text")
                continue
            if is_html:
                page = (f"<html><head><title>{html_lib.escape(title)}</title></head><body><article>"
                        f"<h1>{html_lib.escape(title)}</h1>{content}</article></body></html>")
                kind = "html"
            else:
                page = f"{title}\n\n{content}" if title else content
                kind = "text"
            try:
                raw = from_bytes(page.encode("utf-8"), source, path=source, url=link, kind=kind)
            except InputError as exc:
                yield Item.failed(source, "feed", str(exc))
                continue
        raw.title, raw.published = title or None, published.isoformat() if published else None
        yield Item(source=source, kind="feed", raw=raw, published=published)


def count_feed(data: bytes) -> int:
    import feedparser

    try:
        check_safe(data, "feed")
    except InputError:
        return 1
    return max(1, len(feedparser.parse(data).get("entries") or []))


def _strip_tags(text: str) -> str:
    import re

    return html_lib.unescape(re.sub(r"<[^>]+>", " ", text))
