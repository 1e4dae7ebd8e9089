"""WARC archives (``.warc``, ``.warc.gz``): every archived HTML or text page becomes an article.

Read with warcio. Responses with a 2xx status and an HTML or plain-text payload count; requests,
metadata, redirects, images and scripts are skipped (they are not articles). The record's
``WARC-Target-URI`` is the article's URL; its source name is ``archive#<WARC-Record-ID>``. A
truncated or corrupt archive yields the records before the damage and one failure.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from sitroom.ingest.items import Item
from sitroom.ingest.reader import MAX_INPUT_BYTES, InputError, from_bytes

_ARTICLE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")


def _content_type(record) -> str:  # noqa: ANN001
    if record.rec_type == "response" and record.http_headers is not None:
        return (record.http_headers.get_header("Content-Type") or "").lower()
    return (record.rec_headers.get_header("Content-Type") or "").lower()


def _is_article(record) -> bool:  # noqa: ANN001
    if record.rec_type == "response":
        if record.http_headers is None:
            return False
        status = record.http_headers.get_statuscode() or ""
        if not status.startswith("2"):
            return False
    elif record.rec_type != "resource":
        return False
    return any(t in _content_type(record) for t in _ARTICLE_TYPES)


def iter_warc(stream: BinaryIO, name: str) -> Iterator[Item]:
    from warcio.archiveiterator import ArchiveIterator

    n = 0
    records = ArchiveIterator(stream)
    # warcio writes a warning per damaged record straight to stderr (thousands for a big garbage
    # file); silence it and report the count as one failure instead
    records.INC_RECORD = ""
    try:
        for record in records:
            if not _is_article(record):
                continue
            n += 1
            rid = record.rec_headers.get_header("WARC-Record-ID") or f"record{n}"
            url = record.rec_headers.get_header("WARC-Target-URI")
            source = f"{name}#{rid.strip('<>')}"
            data = record.content_stream().read(MAX_INPUT_BYTES + 1)
            kind = "text" if "text/plain" in _content_type(record) else "html"
            try:
                raw = from_bytes(data, f"{name} {url or rid}", path=source, url=url, kind=kind)
            except InputError as exc:
                yield Item.failed(source, "warc", str(exc))
                continue
            yield Item(source=source, kind="warc", raw=raw)
    except Exception as exc:  # noqa: BLE001 - warcio raises ArchiveLoadFailed, OSError, ValueError, zlib.error, and
        # on damaged records AttributeError, TypeError, OverflowError… (found by fuzzing): all mean "unreadable here"
        yield Item.failed(f"{name}#after-{n}-records", "warc",
                          f"{name}: unreadable WARC data after {n} article records ({exc.__class__.__name__}: {exc})")
        return
    damaged = getattr(records, "err_count", 0)
    if damaged:
        yield Item.failed(f"{name}#damaged", "warc", f"{name}: {damaged} damaged WARC record(s) skipped "
                          "(the Content-Length does not match the data)")


def count_warc(stream: BinaryIO) -> int:
    from warcio.archiveiterator import ArchiveIterator

    try:
        return sum(1 for record in ArchiveIterator(stream) if _is_article(record))
    except Exception:  # noqa: BLE001 - a count is an estimate; reading reports the error
        return 0
