"""Body-extraction benchmark: the page parser alone (no spaCy) over a folder of pages.

For every ``ID.page.txt`` (a whole page flattened to plain text) and ``ID.html.gz`` (its raw
HTML) in the folder, run sitroom's page parser, write the body it finds to
``OUT/text/ID.body.txt`` and ``OUT/html/ID.body.txt`` (paragraphs joined by blank lines), and
score both against the gold ``ID.body.txt`` with the shared body scorer.

    python bench/body_eval.py [PAGES_DIR] [--out DIR] [--scorer PATH] [--only text|html]

Defaults: ``../shared/gold/pages-dev`` and ``../shared/eval/score_body.py`` beside the repo.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sitroom.ingest.reader import InputError, read_path
from sitroom.page.html import parse_html
from sitroom.page.text import parse_text

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def predict(pages: Path, out: Path, kind: str) -> tuple[int, float]:
    """Write one predicted body per page; returns (pages, seconds)."""
    out.mkdir(parents=True, exist_ok=True)
    suffix = ".page.txt" if kind == "text" else ".html.gz"
    n, t0 = 0, time.perf_counter()
    for src in sorted(pages.glob("*" + suffix)):
        page_id = src.name[: -len(suffix)]
        try:
            raw = read_path(src)
        except InputError as exc:
            print(f"  {page_id}: {exc}", file=sys.stderr)
            body = ""
        else:
            page = parse_text(raw.text) if kind == "text" else parse_html(raw.text)
            body = page.article.body_text
        (out / f"{page_id}.body.txt").write_text(body, encoding="utf-8")
        n += 1
    return n, time.perf_counter() - t0


def score(scorer: Path, gold: Path, pred: Path) -> dict:
    res = subprocess.run([sys.executable, str(scorer), str(gold), str(pred)], capture_output=True, text=True,
                         check=True)
    return json.loads(res.stdout)


def main(argv: list[str] | None = None) -> dict[str, dict]:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pages", nargs="?", type=Path, default=SHARED / "gold" / "pages-dev")
    ap.add_argument("--out", type=Path, default=None, help="where predictions go (default: a temp folder)")
    ap.add_argument("--scorer", type=Path, default=SHARED / "eval" / "score_body.py")
    ap.add_argument("--only", choices=["text", "html"], default=None)
    args = ap.parse_args(argv)
    out = args.out or Path(tempfile.mkdtemp(prefix="sitroom-body-"))
    results = {}
    for kind in ("text", "html"):
        if args.only and kind != args.only:
            continue
        n, secs = predict(args.pages, out / kind, kind)
        res = score(args.scorer, args.pages, out / kind)
        res["seconds"] = round(secs, 2)
        results[kind] = res
        print(f"{kind:5s} pages={res['pages']} P={res['precision']:.3f} R={res['recall']:.3f} "
              f"F1={res['f1']:.3f}  ({n} parsed in {secs:.1f}s)  -> {out / kind}")
    return results


if __name__ == "__main__":
    main()
