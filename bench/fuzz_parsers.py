"""Coverage-guided fuzzing (atheris / libFuzzer) of every parser bad input reaches first.

Targets (one libFuzzer process each, run one after another):

* ``reader``  — `from_bytes`: size, gzip, binary sniffing, charset detection. May raise `InputError` only.
* ``text``    — `parse_text`: the plain-text page model. Never raises; every span's offsets hold.
* ``quotes``  — `find_quoted`: quote-mark pairing. Never raises; spans inside the text, marks where claimed.
* ``html``    — `parse_html`: trafilatura + the source map. Never raises; offsets into the rebuilt text hold.
* ``jsonl``   — JSON Lines / JSON records → items. Never raises; every item is an article or a reason.
* ``feed``    — RSS/Atom (defusedxml gate + feedparser). Never raises; entity tricks are refused.
* ``warc``    — WARC records (warcio). Never raises; damage becomes a failed item.

A crash, an unexpected exception, a broken offset, an input over ``-timeout`` seconds or over
``-rss_limit_mb`` stops the target and leaves the input in ``--out`` (``crash-*``, ``timeout-*``,
``oom-*``); rerun one with ``python bench/fuzz_parsers.py --target T --reproduce FILE``.

    .venv/bin/pip install 'sitroom[fuzz]'
    .venv/bin/python bench/fuzz_parsers.py --seconds 600           # all targets, 600 s in total
    .venv/bin/python bench/fuzz_parsers.py --target html --seconds 120
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGETS = ["reader", "text", "quotes", "html", "jsonl", "feed", "warc"]
ROOT = Path(__file__).resolve().parents[1]

SEEDS: dict[str, list[bytes]] = {
    "reader": [b"Plain text.\n", b"\xef\xbb\xbfBOM text", b"\xff\xfeu\x00t\x00f\x00", b"caf\xe9 au lait",
               b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", b"<html><body><p>x</p></body></html>", b"%PDF-1.4"],
    "text": [b"Headline here\n\nBy Ann Lee\nMarch 3, 2024\n\nThe mayor said on Monday that \"it is over\".\n"
             b"Share\nAdvertisement\n\nSecond paragraph, with more words in it than a menu would have.\n",
             b"\xe2\x80\x9cQuote,\xe2\x80\x9d he said.\n\n\xe2\x80\x94 Reuters"],
    "quotes": [b"\"One,\" he said, \"two.\"", "“Nested ‘inner’ quote” and «guillemets».".encode(),
               b"''Typewriter'' and ``TeX'' quotes; don't; '90s", b"\"Open\n\"continued\"\n"],
    "html": [b"<html><head><title>T</title><meta name='author' content='A B'></head><body><article><h1>H</h1>"
             b"<p>The council said on Tuesday that the bridge will close.</p><p>\"No,\" she said.</p></article>"
             b"</body></html>", b"<div><p>x<b>y</p></b><script>z</script>"],
    "jsonl": [b'{"text": "A story.", "url": "https://e.x/a", "published": "2024-03-01"}\n{"html": "<p>x</p>"}\n',
              b'[{"title": "T", "content": "Body"}]', b'{"text": 1}\n[]\n"x"\n'],
    "feed": [b'<?xml version="1.0"?><rss version="2.0"><channel><title>W</title><item><title>T</title>'
             b"<description>The mayor said it was over.</description></item></channel></rss>",
             b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>T</title><content type="html">&lt;p&gt;x'
             b"&lt;/p&gt;</content></entry></feed>"],
    "warc": [],  # built at start (needs warcio)
}


def _warc_seed() -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=False)
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    w.write_record(w.create_warc_record("https://e.x/a", "response", http_headers=http,
                                        payload=io.BytesIO(b"<html><body><p>The mayor said so.</p></body></html>")))
    return buf.getvalue()


# --------------------------------------------------------------------------- checks shared by targets

def _check_spans(text: str, obj: object, path: str = "") -> None:
    from pydantic import BaseModel

    if isinstance(obj, BaseModel):
        start, end = getattr(obj, "start", None), getattr(obj, "end", None)
        if start is not None or end is not None:
            if start is None or end is None or not 0 <= start <= end <= len(text):
                raise AssertionError(f"{path}: offsets {start}:{end} outside a text of {len(text)}")
            claimed = getattr(obj, "text", None)
            if isinstance(claimed, str) and text[start:end] != claimed:
                raise AssertionError(f"{path}: {claimed[:40]!r} != text[{start}:{end}] {text[start:end][:40]!r}")
        for name in type(obj).model_fields:
            _check_spans(text, getattr(obj, name), f"{path}.{name}")
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            _check_spans(text, v, f"{path}[{i}]")


def _decode(data: bytes) -> str:
    return data.decode("utf-8", "replace")


def make_target(name: str):  # noqa: ANN201
    """The one-input test function for `name` (imports inside, so atheris can instrument them)."""
    from sitroom.ingest.reader import InputError

    if name == "reader":
        from sitroom.ingest.reader import from_bytes

        def one(data: bytes) -> None:
            try:
                raw = from_bytes(data, "fuzz")
            except InputError:
                return
            assert raw.text.strip(), "an accepted input has text"
    elif name == "text":
        from sitroom.page.text import parse_text

        def one(data: bytes) -> None:
            text = _decode(data)
            page = parse_text(text)
            assert page.text == text
            _check_spans(text, page.article, "article")
    elif name == "quotes":
        from sitroom.nlp.quote_marks import DOUBLE, SINGLE, find_quoted

        glyphs = DOUBLE | SINGLE | {"`"}

        def one(data: bytes) -> None:
            text = _decode(data)
            for q in find_quoted(text):
                assert 0 <= q.start < q.end <= len(text), (q, len(text))
                for at in (q.open_at, q.close_at):
                    assert at is None or text[at] in glyphs, (q, text[at])
    elif name == "html":
        from sitroom.page.html import parse_html

        def one(data: bytes) -> None:
            page = parse_html(_decode(data))
            _check_spans(page.text, page.article, "article")
    elif name in ("jsonl", "feed", "warc"):
        from sitroom.ingest import feeds, records, warc

        def one(data: bytes) -> None:
            if name == "jsonl":
                items = [*records.iter_jsonl(iter(data.splitlines()), "fuzz"), *records.iter_json(data, "fuzz")]
            elif name == "feed":
                items = list(feeds.iter_feed(data, "fuzz"))
            else:
                items = list(warc.iter_warc(io.BytesIO(data), "fuzz"))
            for item in items:
                assert item.ok or (item.error and item.error.strip()), item
    else:
        raise SystemExit(f"unknown target {name!r}; one of {', '.join(TARGETS)}")
    return one


def run_target(name: str, libfuzzer_args: list[str]) -> None:
    """In this process: instrument sitroom and fuzz `name` (libFuzzer exits when done)."""
    import atheris

    with atheris.instrument_imports(include=["sitroom"]):
        one = make_target(name)

    def test_one_input(data: bytes) -> None:
        one(data)

    atheris.Setup([sys.argv[0], *libfuzzer_args], test_one_input)
    atheris.Fuzz()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--target", choices=TARGETS, action="append", help="target(s) to fuzz (default: all)")
    ap.add_argument("--seconds", type=float, default=600, help="total fuzzing time, split evenly over the targets")
    ap.add_argument("--out", default=str(ROOT / "bench" / "fuzz_out"), help="folder for crash/timeout inputs")
    ap.add_argument("--timeout", type=int, default=20, help="seconds one input may take before it counts as a hang")
    ap.add_argument("--rss-mb", type=int, default=2048, help="memory one run may use before it counts as a leak/bomb")
    ap.add_argument("--max-len", type=int, default=8192, help="largest input libFuzzer generates, in bytes")
    ap.add_argument("--reproduce", help="run one saved input through --target and show what happens")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args, rest = ap.parse_known_args()

    targets = args.target or TARGETS
    if args.reproduce:
        one = make_target(targets[0])
        one(Path(args.reproduce).read_bytes())
        print("no failure")
        return 0
    if args.child:
        run_target(targets[0], rest)
        return 0

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    per = max(10, int(args.seconds / len(targets)))
    summary = []
    for name in targets:
        corpus = Path(tempfile.mkdtemp(prefix=f"sitroom-fuzz-{name}-"))
        seeds = SEEDS[name] or ([_warc_seed()] if name == "warc" else [])
        for i, seed in enumerate(seeds):
            (corpus / f"seed{i}").write_bytes(seed)
        cmd = [sys.executable, __file__, "--child", "--target", name, str(corpus),
               f"-max_total_time={per}", f"-timeout={args.timeout}", f"-rss_limit_mb={args.rss_mb}",
               f"-max_len={args.max_len}", f"-artifact_prefix={out}/{name}-", "-print_final_stats=1"]
        t0 = time.monotonic()
        proc = subprocess.run(cmd, capture_output=True, text=True, errors="replace",
                              env={**os.environ, "PYTHONWARNINGS": "ignore"})
        elapsed = time.monotonic() - t0
        log = proc.stderr
        (out / f"{name}.log").write_text(log)
        runs = next((ln.split(":")[-1].strip() for ln in log.splitlines() if "stat::number_of_executed_units" in ln),
                    "?")
        cov = next((ln.split("cov:")[1].split()[0] for ln in reversed(log.splitlines()) if " cov: " in ln), "?")
        found = [p.name for p in out.glob(f"{name}-*") if p.is_file()]
        status = "ok" if proc.returncode == 0 else f"FOUND (exit {proc.returncode})"
        summary.append((name, elapsed, runs, cov, status, found))
        print(f"{name:7} {elapsed:6.0f}s  {runs:>8} runs  cov {cov:>5}  {status}  {' '.join(found)}", flush=True)
    failed = [s for s in summary if s[4] != "ok"]
    print(f"\n{len(targets)} targets, {sum(s[1] for s in summary):.0f} s in total, "
          f"{len(failed)} with findings (inputs in {out})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
