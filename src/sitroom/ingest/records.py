"""JSON and JSON Lines inputs: one article per record.

A record is an object with the article in ``text`` (plain text) or ``html`` (a page), and optional
``url``, ``title``, ``published``. ``content`` and ``body`` are accepted for ``text``. A ``.json``
file holds one record or a list of them; a ``.jsonl`` file one record per line. A bad line is a
failure of that record only.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from sitroom.ingest.items import Item, parse_date
from sitroom.ingest.reader import MAX_INPUT_BYTES, InputError, from_bytes

TEXT_KEYS = ("text", "content", "body")


def record_item(record: object, source: str) -> Item:
    """One JSON record → an `Item` (or a failed one saying what is wrong with it)."""
    if not isinstance(record, dict):
        return Item.failed(source, "json", f"{source}: a record must be a JSON object, not {type(record).__name__}")
    html = record.get("html")
    body = next((record[k] for k in TEXT_KEYS if isinstance(record.get(k), str) and record[k].strip()), None)
    if not (isinstance(html, str) and html.strip()) and body is None:
        return Item.failed(source, "json", f"{source}: no text or html field with content")
    url = record.get("url") if isinstance(record.get("url"), str) else None
    title = record.get("title") if isinstance(record.get("title"), str) else None
    published = parse_date(record.get("published") or record.get("date"))
    if isinstance(html, str) and html.strip():
        content, kind = html, "html"
    else:
        content, kind = body, "text"
        if title and title.strip() and title.strip() not in body[:500]:
            content = f"{title.strip()}\n\n{body}"  # the headline leads, as on the page
    try:
        raw = from_bytes(content.encode("utf-8", "surrogatepass"), source, path=source, url=url, kind=kind)
    except InputError as exc:
        return Item.failed(source, "json", str(exc))
    raw.title, raw.published = title, published.isoformat() if published else None
    return Item(source=source, kind="json", raw=raw, published=published)


def iter_jsonl(lines: Iterator[bytes], name: str) -> Iterator[Item]:
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        source = f"{name}#L{n}"
        if len(line) > MAX_INPUT_BYTES:
            yield Item.failed(source, "json", f"{source}: record over the {MAX_INPUT_BYTES // 2**20} MB limit")
            continue
        try:
            record = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            yield Item.failed(source, "json", f"{source}: not valid JSON ({exc})")
            continue
        except RecursionError:  # [[[[… thousands deep: the decoder gives up
            yield Item.failed(source, "json", f"{source}: JSON nested too deeply to read")
            continue
        yield record_item(record, source)


def iter_json(data: bytes, name: str) -> Iterator[Item]:
    try:
        doc = json.loads(data)
    except RecursionError:
        yield Item.failed(name, "json", f"{name}: JSON nested too deeply to read")
        return
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        # a .json file may well be JSON Lines
        if data.lstrip().startswith(b"{") and b"\n" in data.strip():
            yield from iter_jsonl(iter(data.splitlines()), name)
            return
        yield Item.failed(name, "json", f"{name}: not valid JSON ({exc})")
        return
    if isinstance(doc, list):
        for i, record in enumerate(doc):
            yield record_item(record, f"{name}#{i}")
    else:
        yield record_item(doc, name)


def count_jsonl(lines: Iterator[bytes]) -> int:
    return sum(1 for line in lines if line.strip())
