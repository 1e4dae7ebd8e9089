"""Read one input into a `RawDocument`: decoded text plus what kind of page it is.

Every failure is an `InputError` with a one-line reason a user can act on; callers that process
batches record it and go on.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path

# Larger inputs are refused, not truncated silently. The heaviest real news pages are a few MB of
# HTML; a bigger file is a dump, a log or a binary, and would take spaCy minutes and gigabytes.
MAX_INPUT_BYTES = 10 * 1024 * 1024
MAX_DECOMPRESSED_BYTES = 64 * 1024 * 1024
URL_TIMEOUT_SECONDS = 20.0


class InputError(ValueError):
    """An input that cannot be read as an article; the message is the reason."""


@dataclass
class RawDocument:
    """Decoded input text and what we know about where it came from."""

    text: str
    kind: str = "text"  # "text" or "html"
    path: str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = None
    sha256: str = ""
    warnings: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.sha256:
            self.sha256 = hashlib.sha256(self.text.encode("utf-8", "surrogatepass")).hexdigest()


def _gunzip(data: bytes, name: str) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as fh:
            out = fh.read(MAX_DECOMPRESSED_BYTES + 1)
    except (OSError, EOFError, zlib.error) as exc:  # zlib.error: a corrupt deflate stream (not an OSError)
        raise InputError(f"{name}: not a readable gzip file ({exc})") from None
    if len(out) > MAX_DECOMPRESSED_BYTES:
        raise InputError(f"{name}: decompresses to more than {MAX_DECOMPRESSED_BYTES // 2**20} MB")
    return out


# File signatures of common binary formats someone might pass by mistake.
_MAGIC = [
    (b"%PDF", "a PDF file"), (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"), (b"PK\x03\x04", "a ZIP archive (or a Word/Excel/EPUB file)"),
    (b"\x7fELF", "an executable"), (b"MZ", "an executable"), (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ", "an xz archive"), (b"7z\xbc\xaf", "a 7-Zip archive"), (b"Rar!", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"), (b"RIFF", "a media file"), (b"OggS", "a media file"),
    (b"ID3", "an MP3 file"), (b"\x00\x00\x00", "a binary file"), (b"SQLite format 3", "a SQLite database"),
    (b"WARC/", "a WARC archive (not supported by analyze yet)"),
]


def sniff_binary(data: bytes) -> str | None:
    """What binary format `data` is, from its first bytes (None: it may be text)."""
    head = data[:16]
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return what
    if head[4:8] == b"ftyp":
        return "a video or image file"
    return None


def decode(data: bytes, name: str = "input") -> tuple[str, list[str]]:
    """Decode bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM, else a detected charset."""
    warnings: list[str] = []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), warnings
        except UnicodeDecodeError as exc:  # an odd byte count or a broken surrogate pair (found by fuzzing)
            raise InputError(f"{name}: starts like UTF-16 but is not valid UTF-16 ({exc.reason})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        matches = from_bytes(data)
        best = matches.best()
        if best is None:
            raise InputError(f"{name}: binary data or an unknown text encoding") from None
        # Short Western text fits several Latin code pages equally well; Windows-1252 is what
        # English-language pages that are not UTF-8 are nearly always in, so it wins a tie.
        tied = [m for m in matches if "cp1252" in m.could_be_from_charset and m.chaos <= best.chaos + 0.01]
        chosen = tied[0] if tied else best
        encoding, text = ("cp1252" if tied else chosen.encoding), str(chosen)
        warnings.append(f"{name}: not valid UTF-8; decoded as {encoding}")
    if "\x00" in text:
        raise InputError(f"{name}: contains NUL bytes (a binary file, or UTF-16 without a BOM)")
    return text, warnings


def looks_like_html(text: str) -> bool:
    head = text[:2048].lstrip().lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) or (
        "<body" in text[:20000].lower() and "</p>" in text.lower()
    )


def from_bytes(data: bytes, name: str, *, path: str | None = None, url: str | None = None,
               kind: str | None = None) -> RawDocument:
    """Turn raw bytes (maybe gzip) into a `RawDocument`, checking size, emptiness and encoding."""
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(f"{name}: {len(data) / 2**20:.1f} MB is over the {MAX_INPUT_BYTES // 2**20} MB limit")
    if data[:2] == b"\x1f\x8b":
        data = _gunzip(data, name)
        if len(data) > MAX_INPUT_BYTES:
            raise InputError(f"{name}: {len(data) / 2**20:.1f} MB uncompressed is over the limit")
    if not data.strip():
        raise InputError(f"{name}: empty input (no text)")
    what = sniff_binary(data)
    if what:
        raise InputError(f"{name}: {what}, not a text or HTML page")
    text, warnings = decode(data, name)
    if not text.strip():
        raise InputError(f"{name}: empty input (no text)")
    sample = text[:10000]
    printable = sum(1 for ch in sample if ch.isprintable() or ch in "\n\r\t")
    if printable < 0.9 * len(sample):
        raise InputError(f"{name}: looks like binary data, not text")
    if warnings and sum(1 for ch in sample if ch.isalpha()) < 0.3 * len(sample.replace(" ", "")):
        # a guessed legacy encoding that yields mostly symbols is binary data, not text
        raise InputError(f"{name}: binary data or an unknown text encoding")
    kind = kind or ("html" if looks_like_html(text) else "text")
    return RawDocument(text=text, kind=kind, path=path, url=url, warnings=warnings)


def read_path(path: str | Path) -> RawDocument:
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file")
    if p.is_dir():
        raise InputError(f"{p}: is a folder, not a file")
    if not p.is_file():  # /dev/zero never ends and a named pipe blocks for ever: neither is an article
        raise InputError(f"{p}: not a regular file (a device, pipe or socket)")
    size = p.stat().st_size
    if size > MAX_INPUT_BYTES:
        raise InputError(f"{p}: {size / 2**20:.1f} MB is over the {MAX_INPUT_BYTES // 2**20} MB limit")
    suffixes = [s.lower() for s in p.suffixes]
    kind = "html" if any(s in (".html", ".htm", ".xhtml") for s in suffixes) else None
    with open(p, "rb") as fh:  # bounded: the file may grow after the size check
        data = fh.read(MAX_INPUT_BYTES + 1)
    return from_bytes(data, str(p), path=str(p), kind=kind)


def read_url(url: str, timeout: float = URL_TIMEOUT_SECONDS) -> RawDocument:
    """Fetch a page with a timeout and a size cap (streamed, so a huge page is cut off early)."""
    import httpx

    try:
        with httpx.stream("GET", url, timeout=timeout, follow_redirects=True,
                          headers={"User-Agent": "sitroom"}) as resp:
            resp.raise_for_status()
            chunks, size = [], 0
            for chunk in resp.iter_bytes():
                size += len(chunk)
                if size > MAX_INPUT_BYTES:
                    raise InputError(f"{url}: page is over the {MAX_INPUT_BYTES // 2**20} MB limit")
                chunks.append(chunk)
            content_type = resp.headers.get("content-type", "")
    except httpx.HTTPError as exc:
        raise InputError(f"{url}: could not fetch ({exc.__class__.__name__}: {exc})") from None
    kind = "html" if "html" in content_type else None
    return from_bytes(b"".join(chunks), url, url=url, kind=kind)


def read_input(spec: str) -> RawDocument:
    """A path, an http(s) URL, or `-` for standard input."""
    if spec == "-":
        return from_bytes(sys.stdin.buffer.read(MAX_INPUT_BYTES + 1), "stdin")  # bounded: stdin may never end
    if spec.startswith(("http://", "https://")):
        return read_url(spec)
    return read_path(spec)
