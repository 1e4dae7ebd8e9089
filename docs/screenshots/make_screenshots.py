"""Build a corpus from the invented example articles and screenshot the web app's main pages.

    .venv/bin/python docs/screenshots/make_screenshots.py            # → docs/screenshots/*.png
    .venv/bin/python docs/screenshots/make_screenshots.py --db /tmp/valmora.db --no-shots

Every article is analysed by sitroom's real pipeline (nothing is hand-annotated here). Two things
the plain-text files cannot say are supplied the way a user would supply them: the outlet of each
(invented) article, and — standing in for an analyst using the forecast ledger — the outcome of two
forecasts, so the scorecard has something to score. Screenshots use Debian's Chromium
(/usr/bin/chromium) through Playwright; no browser is downloaded.
"""

from __future__ import annotations

import argparse
import datetime as dt
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars"]

#: (file, outlet, publication date when the page does not give one) — all invented
ARTICLES = [
    ("harbor-standoff.txt", "The Harbor Ledger", dt.date(2024, 11, 12)),
    ("corpus/01-ledger-troops.txt", "The Harbor Ledger", dt.date(2024, 11, 12)),
    ("corpus/02-courier-exercise.txt", "Northern Courier", dt.date(2024, 11, 13)),
    ("corpus/03-ledger-fishermen.txt", "The Harbor Ledger", dt.date(2024, 11, 14)),
    ("corpus/04-wire-geneva.txt", "Continental Wire", dt.date(2024, 11, 18)),
    ("corpus/05-brussels-sanctions.txt", "Brussels Dispatch", dt.date(2024, 11, 20)),
]


def build(db: Path) -> None:
    from sitroom.analysis import Analyzer
    from sitroom.ingest import read_path
    from sitroom.store import Store

    analyzer = Analyzer()
    with Store(str(db)) as store:
        for name, outlet, published in ARTICLES:
            raw = read_path(EXAMPLES / name)
            try:
                analysis = analyzer.analyze_raw(raw, published=published)
            except Exception as exc:  # an extraction stage failing on one article: report it, go on
                print(f"{name}: not analysed: {type(exc).__name__}: {exc}", file=sys.stderr)
                continue
            analysis.article.outlet = outlet
            result = store.add(analysis, source=f"examples/{name}")
            print(f"{name}: {result.status} as article {result.article_id} — {len(analysis.entities)} actors, "
                  f"{len(analysis.quotes)} quotes, {len(analysis.events)} events, {len(analysis.claims)} claims")
        # the analyst's part: record how two forecasts turned out (invented outcomes for invented events)
        forecasts = store.claims(forecast=True, resolved=False, limit=50)
        for claim, outcome in zip(forecasts[:2], ("yes", "no"), strict=False):
            store.add_resolution(claim.id, outcome, dt.date(2024, 12, 20), "demo resolution")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def shots(db: Path, out: Path) -> None:
    import uvicorn
    from playwright.sync_api import sync_playwright

    from sitroom.present.web import Settings, create_app
    from sitroom.store import Store

    store = Store(str(db))
    app = create_app(store, Settings(token="screenshots"))
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    first = store.search("troops", limit=1).hits
    article = first[0].id if first else 1
    actors = store.actors("Morland", limit=1)
    pages = [
        ("home", "/", False),
        ("search", "/search?q=troops", False),
        ("article", f"/articles/{article}", False),
        ("actor", f"/actors/{actors[0].id}" if actors else "/actors", False),
        ("quotes", "/quotes", False),
        ("forecasts", "/forecasts", False),
        ("scorecard", "/scorecard", False),
        ("brief", "/brief", False),
        ("brief-contradictions", "/brief#contradictions", False),
        ("network", "/network?kind=cooccurrence&min_weight=2", False),
        ("map", "/map", False),
        ("analyse", "/analyse", False),
    ]
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1360, "height": 860})
        for name, path, full in pages:
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            if page.locator(".leaflet-map").count():
                page.wait_for_selector(".leaflet-map[data-ready]", timeout=10_000)
                page.wait_for_timeout(500)
            page.screenshot(path=str(out / f"{name}.png"), full_page=full)
            print(f"{out / name}.png ← {path}")
        browser.close()
    server.should_exit = True
    store.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, help="corpus file to build (default: a temporary one)")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    ap.add_argument("--no-shots", action="store_true", help="only build the corpus")
    args = ap.parse_args()
    db = args.db or Path(tempfile.mkdtemp()) / "valmora.db"
    if db.exists():
        sys.exit(f"{db} exists; give a new path")
    build(db)
    if not args.no_shots:
        shots(db, args.out)
    print(f"corpus: {db}")


if __name__ == "__main__":
    main()
