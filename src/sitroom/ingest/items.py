"""`Item`: one article to ingest (or the reason it could not be read), whatever container it came in.

A batch mixes plain files, JSON lines, WARC records and feed entries; each becomes an `Item`
with a stable `source` name (``path``, ``path#L12``, ``path#<warc-record-id>``, an entry URL) that
failures and re-runs refer to.
"""

from __future__ import annotations

import datetime as dt
import email.utils
from dataclasses import dataclass

from sitroom.ingest.reader import RawDocument

SourceKind = str  # "text" | "html" | "json" | "warc" | "feed"


@dataclass
class Item:
    source: str
    kind: SourceKind
    raw: RawDocument | None = None
    published: dt.date | None = None
    error: str | None = None  # set when the input could not be read: the reason

    @property
    def ok(self) -> bool:
        return self.raw is not None and self.error is None

    @classmethod
    def failed(cls, source: str, kind: SourceKind, reason: str) -> Item:
        return cls(source=source, kind=kind, error=reason)


def parse_date(value: object) -> dt.date | None:
    """A publication date from metadata: ISO 8601, RFC 2822 (feeds, e-mail) or a struct_time."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if hasattr(value, "tm_year"):  # time.struct_time, as feedparser gives
        try:
            return dt.date(value.tm_year, value.tm_mon, value.tm_mday)
        except ValueError:
            return None
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        return None
