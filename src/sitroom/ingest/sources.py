"""Batch inputs: expand paths, folders, URLs and ``-`` into a stream of `Item`s.

`plan` turns the command-line specs into a list of inputs (folders walked in sorted order, so a
rerun sees the same order); `count` estimates how many articles they hold (for the progress bar's
ETA); `iter_items` streams them, one article in memory at a time. Nothing here raises for bad
input: an unreadable input becomes a failed `Item` and the batch goes on.
"""

from __future__ import annotations

import gzip
import io
import os
import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sitroom.ingest import feeds, records, warc
from sitroom.ingest.items import Item
from sitroom.ingest.reader import MAX_DECOMPRESSED_BYTES, MAX_INPUT_BYTES, InputError, from_bytes, read_path, read_url

ARTICLE_SUFFIXES = {".txt", ".text", ".html", ".htm", ".xhtml"}
JSON_SUFFIXES = {".json"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
WARC_SUFFIXES = {".warc"}
FEED_SUFFIXES = {".rss", ".atom", ".xml"}
KNOWN_SUFFIXES = ARTICLE_SUFFIXES | JSON_SUFFIXES | JSONL_SUFFIXES | WARC_SUFFIXES | FEED_SUFFIXES


@dataclass(frozen=True)
class Input:
    """One thing to read: a file of a given format, a URL, or standard input."""

    spec: str
    format: str  # article | json | jsonl | warc | feed | url | stdin | missing
    path: Path | None = None


def file_format(path: Path) -> str:
    """The format a file is read as, from its suffixes (``.warc.gz`` → warc, ``.txt.gz`` → article)."""
    suffixes = [s.lower() for s in path.suffixes[-2:]]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    last = suffixes[-1] if suffixes else ""
    if last in WARC_SUFFIXES:
        return "warc"
    if last in JSONL_SUFFIXES:
        return "jsonl"
    if last in JSON_SUFFIXES:
        return "json"
    if last in FEED_SUFFIXES:
        return "feed"
    return "article"


def _in_folder(path: Path) -> bool:
    """Files a folder walk picks up: known suffixes (maybe gzipped), no hidden files."""
    name = path.name.lower()
    if name.startswith("."):
        return False
    stem = name[:-3] if name.endswith(".gz") else name
    return Path(stem).suffix in KNOWN_SUFFIXES


def plan(specs: Iterable[str]) -> list[Input]:
    out: list[Input] = []
    for spec in specs:
        if spec == "-":
            out.append(Input(spec, "stdin"))
        elif spec.startswith(("http://", "https://")):
            out.append(Input(spec, "url"))
        else:
            p = Path(spec)
            if p.is_dir():
                for root, dirs, files in os.walk(p):
                    dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                    for f in sorted(files):
                        fp = Path(root) / f
                        if _in_folder(fp):
                            out.append(Input(str(fp), file_format(fp), fp.resolve()))
            elif p.exists():
                out.append(Input(spec, file_format(p), p.resolve()))
            else:
                out.append(Input(spec, "missing", p))
    return out


def _open(path: Path, gunzip: bool = True) -> io.BufferedIOBase:
    if not path.is_file():  # a named pipe blocks for ever, /dev/zero never ends
        raise InputError(f"{path}: not a regular file (a device, pipe or socket)")
    fh = open(path, "rb")  # noqa: SIM115 - handed to the caller, closed there
    if gunzip and fh.peek(2)[:2] == b"\x1f\x8b":
        return gzip.GzipFile(fileobj=fh)  # type: ignore[return-value]
    return fh


def _read_all(path: Path) -> bytes:
    """A whole (possibly gzipped) container file, bounded."""
    with _open(path) as fh:
        data = fh.read(MAX_DECOMPRESSED_BYTES + 1)
    if len(data) > MAX_DECOMPRESSED_BYTES:
        raise InputError(f"{path}: over the {MAX_DECOMPRESSED_BYTES // 2**20} MB limit for one file")
    return data


def count(inputs: Iterable[Input]) -> int | None:
    """How many articles the inputs hold (None when a URL or stdin makes it unknowable)."""
    total = 0
    for inp in inputs:
        try:
            if inp.format in ("url", "stdin"):
                return None
            if inp.format == "jsonl":
                with _open(inp.path) as fh:
                    total += records.count_jsonl(iter(fh))
            elif inp.format == "json":
                total += sum(1 for _ in records.iter_json(_read_all(inp.path), str(inp.path)))
            elif inp.format == "warc":
                with _open(inp.path, gunzip=False) as fh:
                    total += max(1, warc.count_warc(fh))
            elif inp.format == "feed":
                total += feeds.count_feed(_read_all(inp.path))
            else:
                total += 1
        except Exception:  # noqa: BLE001 - only an estimate; reading the input reports what is wrong with it
            total += 1
    return total


def _source_name(inp: Input) -> str:
    return str(inp.path) if inp.path is not None else inp.spec


def iter_input(inp: Input, follow_links: bool = False) -> Iterator[Item]:
    name = _source_name(inp)
    try:
        if inp.format == "missing":
            yield Item.failed(inp.spec, "text", f"{inp.spec}: no such file or folder")
        elif inp.format == "stdin":
            data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
            yield from _iter_bytes(data, "stdin", follow_links)
        elif inp.format == "url":
            raw = read_url(inp.spec)
            if feeds.looks_like_feed(raw.text):
                yield from feeds.iter_feed(raw.text.encode("utf-8"), inp.spec, follow_links)
            else:
                yield Item(source=inp.spec, kind=raw.kind, raw=raw)
        elif inp.format == "jsonl":
            with _open(inp.path) as fh:
                yield from records.iter_jsonl(iter(fh), name)
        elif inp.format == "json":
            yield from records.iter_json(_read_all(inp.path), name)
        elif inp.format == "warc":
            # warcio reads .warc.gz itself, record by record: through GzipFile a truncated archive
            # yielded no record at all, instead of the records before the damage
            with _open(inp.path, gunzip=False) as fh:
                yield from warc.iter_warc(fh, name)
        elif inp.format == "feed":
            data = _read_all(inp.path)
            # a 50 KB entity declaration pushes <rss> past the sniffing window: any XML declaring
            # entities goes through the feed reader's defusedxml gate, which refuses it
            if feeds.looks_like_feed(data) or b"<!ENTITY" in data[:MAX_INPUT_BYTES].upper():
                yield from feeds.iter_feed(data, name, follow_links)
            else:  # an .xml file that is not a feed: read it as a page
                raw = from_bytes(data, name, path=name)
                yield Item(source=name, kind=raw.kind, raw=raw)
        else:
            raw = read_path(inp.path)
            raw.path = name
            yield Item(source=name, kind=raw.kind, raw=raw)
    except InputError as exc:
        yield Item.failed(name, _kind_of_format(inp.format), str(exc))
    except (OSError, EOFError, zlib.error) as exc:  # zlib.error: a corrupt gzip stream
        yield Item.failed(name, _kind_of_format(inp.format), f"{name}: cannot read ({exc.__class__.__name__}: {exc})")
    except Exception as exc:  # noqa: BLE001 - a parser bug on hostile input costs this input, never the batch
        yield Item.failed(name, _kind_of_format(inp.format),
                          f"{name}: cannot read ({exc.__class__.__name__}: {str(exc)[:300]})")


def _iter_bytes(data: bytes, name: str, follow_links: bool) -> Iterator[Item]:
    """Standard input: JSON lines, a JSON document, a feed, or one article."""
    if len(data) > MAX_INPUT_BYTES:
        yield Item.failed(name, "text", f"{name}: over the {MAX_INPUT_BYTES // 2**20} MB limit")
        return
    head = data.lstrip()[:1]
    if head in (b"{", b"["):
        yield from records.iter_json(data, name)
    elif feeds.looks_like_feed(data):
        yield from feeds.iter_feed(data, name, follow_links)
    else:
        raw = from_bytes(data, name)
        yield Item(source=f"stdin:{raw.sha256[:16]}", kind=raw.kind, raw=raw)


def _kind_of_format(fmt: str) -> str:
    return {"json": "json", "jsonl": "json", "warc": "warc", "feed": "feed"}.get(fmt, "text")


def iter_items(inputs: Iterable[Input], follow_links: bool = False) -> Iterator[Item]:
    """Every article of every input, streamed in order."""
    for inp in inputs:
        n = 0
        for item in iter_input(inp, follow_links):
            n += 1
            yield item
        if n == 0:  # an empty JSON list, an empty or non-WARC .warc: say so rather than pass over it in silence
            yield Item.failed(_source_name(inp), _kind_of_format(inp.format),
                              f"{_source_name(inp)}: no articles in it (empty, or not a {inp.format} file)")
